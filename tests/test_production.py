"""The production path: health check, request ids, server-error logging and page,
caching headers and the absolute session lifetime."""

import logging
import time

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from conecta import permissions as p
from conecta.middleware import UserContextMiddleware

pytestmark = pytest.mark.django_db

MANIFEST_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def test_healthz_ok_when_pages_can_be_served(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200 and response.content == b"ok"


def test_healthz_fails_without_the_static_manifest(client, settings, tmp_path):
    """With debug off and no collected static files every page is a 500: the health check must say so."""
    from django.contrib.staticfiles.storage import staticfiles_storage

    settings.STORAGES = MANIFEST_STORAGES
    settings.STATIC_ROOT = tmp_path / "empty-static"
    staticfiles_storage._wrapped = None  # re-read STORAGES
    try:
        response = client.get(reverse("healthz"))
    finally:
        staticfiles_storage._wrapped = None
    assert response.status_code == 503
    assert response.content.startswith(b"error:")


def test_every_response_carries_a_request_id(client):
    response = client.get(reverse("login"))
    generated = response["X-Request-ID"]
    assert len(generated) == 32
    assert client.get(reverse("login"), HTTP_X_REQUEST_ID="proxy-abc-12345")["X-Request-ID"] == "proxy-abc-12345"
    forged = client.get(reverse("login"), HTTP_X_REQUEST_ID="x\nINFO fake log line")["X-Request-ID"]
    assert "\n" not in forged and "fake" not in forged


@override_settings(ROOT_URLCONF="tests.urls_boom", ADMINS=[("Soporte", "soporte@example.cl")],
                   EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def test_server_error_is_logged_with_request_and_user_but_never_form_contents(client, role_users, caplog):
    user = role_users[p.PSYCHOLOGIST]
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    client.raise_request_exception = False
    secret = "RUT 12.345.678-5 nota reservada"
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.post("/boom/", {"notes": secret}, HTTP_X_REQUEST_ID="req-boom-0001")
    assert response.status_code == 500
    page = response.content.decode()
    assert "req-boom-0001" in page, "the 500 page gives the code the error was logged under"
    assert "notificado" not in page, "the page must not claim someone was told"
    records = [r for r in caplog.records if r.name == "django.request"]
    assert records and records[0].exc_info, "the traceback is logged"
    record = records[0]
    assert record.request_id == "req-boom-0001" and record.user_id == str(user.pk)
    assert secret not in caplog.text
    assert len(mail.outbox) == 1
    report = mail.outbox[0].body
    assert "simulated failure" in report
    assert secret not in report and "12.345.678" not in report


def test_the_log_line_format_names_request_and_user():
    from django.conf import settings

    assert "%(request_id)s" in settings.LOGGING["formatters"]["line"]["format"]
    assert "%(user_id)s" in settings.LOGGING["formatters"]["line"]["format"]


def test_pages_and_files_are_never_stored_by_browsers_or_proxies(client, role_users):
    from participants.tests.factories import CaseFactory

    case = CaseFactory()
    client.force_login(role_users[p.MANAGER], backend="django.contrib.auth.backends.ModelBackend")
    for url in (reverse("participants:participant_list"),
                reverse("participants:participant_detail", args=[case.participant.pk]),
                reverse("interventions:diagnosis_pdf", args=[case.pk]),
                reverse("login")):
        response = client.get(url)
        assert response.status_code in (200, 302), url
        assert "no-store" in response["Cache-Control"], url


def test_session_ends_after_its_absolute_lifetime_even_if_active(client, role_users, settings):
    settings.SESSION_ABSOLUTE_SECONDS = 3600
    client.force_login(role_users[p.PSYCHOLOGIST], backend="django.contrib.auth.backends.ModelBackend")
    home = reverse("role_home", args=[p.PSYCHOLOGIST])
    assert client.get(home).status_code == 200
    session = client.session
    session[UserContextMiddleware.SESSION_KEY] = time.time() - 3500
    session.save()
    assert client.get(home).status_code == 200, "still within the lifetime"
    session = client.session
    session[UserContextMiddleware.SESSION_KEY] = time.time() - 3601
    session.save()
    response = client.get(home)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.get(home).status_code == 302, "logged out for good"


def test_the_idle_limit_is_renewed_at_most_once_a_minute_without_writing_every_page_view(client, role_users):
    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(role_users[p.PSYCHOLOGIST], backend="django.contrib.auth.backends.ModelBackend")
    home = reverse("role_home", args=[p.PSYCHOLOGIST])
    assert client.get(home).status_code == 200  # the first view renews
    key = client.session.session_key
    renewed = Session.objects.get(session_key=key).expire_date
    with CaptureQueriesContext(connection) as queries:
        assert client.get(home).status_code == 200
    writes = [q["sql"] for q in queries if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")]
    assert writes == [], "a page view within the minute does not write the session"
    assert Session.objects.get(session_key=key).expire_date == renewed

    # A minute later the next view moves the expiry 30 minutes ahead of now.
    session = client.session
    session[UserContextMiddleware.RENEWED_KEY] = time.time() - 61
    session.save()
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + timezone.timedelta(minutes=2))
    assert client.get(home).status_code == 200
    expiry = Session.objects.get(session_key=key).expire_date
    assert expiry > timezone.now() + timezone.timedelta(minutes=29)

    # Idle past the limit: the session is gone and the page asks to log in.
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timezone.timedelta(seconds=1))
    response = client.get(home)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_long_reason_fits_the_history_column(role_users):
    """simple-history's change reason is 100 characters; PostgreSQL refuses longer ones."""
    from participants import services
    from participants.tests.factories import ParticipantFactory

    person = ParticipantFactory()
    reason = "Solicitud de bloqueo presentada en la Oficina de Partes; " * 5
    services.participant_block(participant=person, actor=role_users[p.MANAGER], reason=reason)
    record = person.history.order_by("-history_id").first()
    assert len(record.history_change_reason) <= 100 and record.history_change_reason.endswith("…")
