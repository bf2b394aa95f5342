from interventions.views import agenda, assessments, plans, referrals, sessions

app_name = "interventions"

urlpatterns = [
    *assessments.urlpatterns,
    *plans.urlpatterns,
    *sessions.urlpatterns,
    *agenda.urlpatterns,
    *referrals.urlpatterns,
]
