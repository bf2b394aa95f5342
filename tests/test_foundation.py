"""Project-wide guarantees: roles, settings, health check, lockout, sessions, demo data."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from conecta import permissions

pytestmark = pytest.mark.django_db


def test_groups_match_the_role_map():
    permissions.sync_role_groups()
    permissions.sync_role_groups()  # idempotent
    assert sorted(Group.objects.values_list("name", flat=True)) == sorted(permissions.ROLES)
    assert set(permissions.ROLES) == {"manager", "psychologist", "social_worker", "occupational_therapist",
                                      "followup_psychologist", "receptionist"}


def test_receptionist_capabilities_are_narrow(role_users):
    receptionist = role_users[permissions.RECEPTIONIST]
    assert not permissions.can_see_sensitive(receptionist)
    assert not permissions.can_read_clinical_notes(receptionist)
    assert permissions.visible_sections(receptionist) == {
        "identity", "cases", "documents", "history", "appointments", "workshops"}
    assert permissions.can_read_clinical_notes(role_users[permissions.PSYCHOLOGIST])
    assert not permissions.can_read_clinical_notes(role_users[permissions.SOCIAL_WORKER])


def test_healthz_round_trips_the_database(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.content == b"ok"


def test_settings_follow_the_design():
    assert settings.LANGUAGE_CODE == "es-cl"
    assert settings.TIME_ZONE == "America/Santiago"
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is False and settings.SESSION_RENEW_SECONDS == 60
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.DEBUG is False
    assert settings.SECURE_HSTS_SECONDS > 0


def run_python(code, env):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    return subprocess.run([sys.executable, "-c", code], env={**base, "DJANGO_SETTINGS_MODULE": "conecta.settings", **env},
                          capture_output=True, text=True, cwd=settings.BASE_DIR)


def run_settings(env):
    code = "import django; django.setup(); from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    return run_python(code, env)


def test_refuses_to_start_without_secret_key_when_debug_is_off():
    # The server (gunicorn and runserver both load conecta.wsgi) refuses to start...
    result = run_python("import conecta.wsgi", {"DJANGO_DEBUG": "0"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr
    assert run_python("import conecta.wsgi", {"DJANGO_DEBUG": "1"}).returncode == 0
    # ...while commands that need no key (migrations, catalogues) still run.
    check = run_python("import sys; from django.core.management import execute_from_command_line; "
                       "execute_from_command_line(['manage.py', 'makemigrations', '--check', '--dry-run'])",
                       {"DJANGO_DEBUG": "0"})
    assert check.returncode == 0, check.stderr


def test_database_url_selects_postgresql():
    result = run_settings({"DJANGO_DEBUG": "1", "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/conecta"})
    assert result.stdout.strip() == "django.db.backends.postgresql"
    assert run_settings({"DJANGO_DEBUG": "1"}).stdout.strip() == "django.db.backends.sqlite3"


def test_security_headers(client):
    response = client.get(reverse("login"))
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert "max-age" in response.get("Strict-Transport-Security", "max-age") or not response.wsgi_request.is_secure()


def test_login_page_is_spanish(client):
    html = client.get(reverse("login")).content.decode()
    assert "Nombre de usuario" in html and "Contraseña" in html and "Ingresar" in html


def test_lockout_after_five_failed_logins(client, role_users):
    url = reverse("login")
    for _attempt in range(5):
        response = client.post(url, {"username": "psicologa", "password": "mala"}, REMOTE_ADDR="10.0.0.9")
    response = client.post(url, {"username": "psicologa", "password": "conecta-demo"}, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429
    assert "Cuenta bloqueada" in response.content.decode()
    from axes.models import AccessAttempt

    assert AccessAttempt.objects.filter(username="psicologa").get().failures_since_start >= 5


def test_login_works_and_lands_on_role_home(client, role_users):
    response = client.post(reverse("login"), {"username": "recepcion", "password": "conecta-demo"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("role_home", args=["receptionist"])


def test_seed_demo_is_idempotent_and_spans_every_state():
    from participants.models import Case, CaseStatus, Participant

    call_command("seed_demo", force=True)
    first = Participant.objects.count()
    call_command("seed_demo", force=True)
    assert Participant.objects.count() == first == 60
    assert set(Case.objects.values_list("status", flat=True)) == set(CaseStatus.values)
    for username in ["gestora", "psicologa", "trabajador.social", "terapeuta", "monitoreo", "recepcion"]:
        from django.contrib.auth.models import User

        assert User.objects.get(username=username).check_password("conecta-demo")


def test_seed_demo_refuses_with_debug_off_without_force():
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")


def test_communes_fixture_is_complete():
    from conecta.models import Commune, Region

    assert Commune.objects.count() == 346
    assert Region.objects.count() == 16
    assert Commune.objects.get(code="13114").name == "Las Condes"
    assert Commune.objects.get(code="16101").region.name == "Ñuble"


def test_check_deploy_passes_with_production_settings():
    import secrets

    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={**base, "DJANGO_SETTINGS_MODULE": "conecta.settings", "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
             "DJANGO_ALLOWED_HOSTS": "conecta.example"},
        capture_output=True, text=True, cwd=settings.BASE_DIR)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
