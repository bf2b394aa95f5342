from workshops.views import courses, workshops

app_name = "workshops"

urlpatterns = [
    *workshops.urlpatterns,
    *courses.urlpatterns,
]
