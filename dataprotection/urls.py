from dataprotection.views import breaches, export, privacy, requests

app_name = "dataprotection"

urlpatterns = [
    *requests.urlpatterns,
    *export.urlpatterns,
    *breaches.urlpatterns,
    *privacy.urlpatterns,
]
