from django.urls import path

from participants import views

app_name = "participants"

urlpatterns = [
    path("participants/", views.ParticipantListView.as_view(), name="participant_list"),
    path("participants/buscar/", views.ParticipantSearchView.as_view(), name="participant_search"),
    path("participants/nuevo/", views.ParticipantCreateView.as_view(), name="participant_create"),
    path("participants/<int:pk>/", views.ParticipantDetailView.as_view(), name="participant_detail"),
    path("participants/<int:pk>/editar/", views.ParticipantUpdateView.as_view(), name="participant_update"),
    path("participants/<int:pk>/historial/", views.ParticipantHistoryView.as_view(), name="participant_history"),
    path("participants/<int:pk>/bloquear/", views.ParticipantBlockView.as_view(), name="participant_block"),
    path("participants/<int:pk>/desbloquear/", views.ParticipantUnblockView.as_view(), name="participant_unblock"),
    path("participants/<int:pk>/autorizar-tratamiento/", views.ProcessingAuthoriseView.as_view(),
         name="processing_authorise"),
    path("participants/<int:pk>/revocar-autorizacion/", views.ProcessingRevokeView.as_view(), name="processing_revoke"),
    path("participants/<int:pk>/casos/nuevo/", views.CaseCreateView.as_view(), name="case_create"),
    path("participants/<int:pk>/familia/nuevo/", views.FamilyMemberFormView.as_view(), name="familymember_create"),
    path("familia/<int:child_pk>/editar/", views.FamilyMemberFormView.as_view(), name="familymember_update"),
    path("participants/<int:pk>/consentimientos/nuevo/", views.ConsentCreateView.as_view(), name="consent_create"),
    path("consentimientos/<int:pk>/retirar/", views.ConsentWithdrawView.as_view(), name="consent_withdraw"),
    path("consentimientos/<int:pk>/archivo/", views.ConsentFileView.as_view(), name="consent_file"),
    path("participants/<int:pk>/documentos/nuevo/", views.DocumentCreateView.as_view(), name="document_create"),
    path("documentos/<int:pk>/archivo/", views.DocumentFileView.as_view(), name="document_file"),
    path("casos/<int:pk>/editar/", views.CaseUpdateView.as_view(), name="case_update"),
    path("casos/<int:pk>/estado/<slug:action>/", views.CaseTransitionView.as_view(), name="case_transition"),
    path("casos/<int:pk>/excepcion/", views.CaseExceptionView.as_view(), name="case_exception"),
    path("generaciones/", views.CohortListView.as_view(), name="cohort_list"),
    path("generaciones/nueva/", views.CohortFormView.as_view(), name="cohort_create"),
    path("generaciones/<int:pk>/editar/", views.CohortFormView.as_view(), name="cohort_update"),
]
