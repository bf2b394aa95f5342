from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from conecta import users, views
from conecta.accounts import forms as account_forms, views as account_views

handler500 = "conecta.views.server_error"

urlpatterns = [
    path("healthz/", views.healthz, name="healthz"),
    path("", views.home, name="home"),
    path("inicio/<slug:role>/", views.role_home, name="role_home"),
    path("accounts/login/", auth_views.LoginView.as_view(
        redirect_authenticated_user=True, authentication_form=account_forms.LoginForm), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/verificacion/", account_views.SecondFactorVerifyView.as_view(), name="otp_verify"),
    path("accounts/doble-factor/", account_views.SecondFactorSetupView.as_view(), name="mfa_setup"),
    path("accounts/doble-factor/codigos/", account_views.RecoveryCodesView.as_view(), name="mfa_recovery_codes"),
    path("accounts/password_change/", account_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password_change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("registro-de-accesos/", views.AccessLogListView.as_view(), name="accesslog_list"),
    path("instituciones/", views.InstitutionListView.as_view(), name="institution_list"),
    path("instituciones/nueva/", views.InstitutionFormView.as_view(), name="institution_create"),
    path("instituciones/<int:pk>/editar/", views.InstitutionFormView.as_view(), name="institution_update"),
    path("instituciones/<int:pk>/", views.InstitutionDetailView.as_view(), name="institution_detail"),
    path("usuarios/", users.UserListView.as_view(), name="user_list"),
    path("usuarios/nuevo/", users.UserFormView.as_view(), name="user_create"),
    path("usuarios/<int:pk>/editar/", users.UserFormView.as_view(), name="user_update"),
    path("usuarios/<int:pk>/desbloquear/", users.UserUnlockView.as_view(), name="user_unlock"),
    path("usuarios/<int:pk>/doble-factor/", users.UserSecondFactorResetView.as_view(), name="user_mfa_reset"),
    path("programa/", views.ProgramSettingsView.as_view(), name="program_settings"),
    path("", include("participants.urls")),
    path("", include("interventions.urls")),
    path("", include("workshops.urls")),
    path("", include("dataprotection.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
