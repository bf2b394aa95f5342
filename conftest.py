"""Standing users for every role, shared by every test module."""

import pytest

from conecta import permissions

ROLE_USERNAMES = {
    permissions.MANAGER: "gestora",
    permissions.PSYCHOLOGIST: "psicologa",
    permissions.SOCIAL_WORKER: "trabajador.social",
    permissions.OCCUPATIONAL_THERAPIST: "terapeuta",
    permissions.FOLLOWUP_PSYCHOLOGIST: "monitoreo",
    permissions.RECEPTIONIST: "recepcion",
}


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def role_users(db):
    from participants.tests.factories import UserFactory

    return {role: UserFactory(username=username, roles=[role]) for role, username in ROLE_USERNAMES.items()}


@pytest.fixture
def manager(role_users):
    return role_users[permissions.MANAGER]


@pytest.fixture
def psychologist(role_users):
    return role_users[permissions.PSYCHOLOGIST]


@pytest.fixture
def receptionist(role_users):
    return role_users[permissions.RECEPTIONIST]


@pytest.fixture
def client_for(client):
    """Log a test client in as the given user (no password round trip)."""

    def login(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return login


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "real_second_factor: force_login leaves the session without a second factor "
                   "(tests of the MFA flow itself)")


@pytest.fixture(autouse=True)
def _force_login_gives_second_factor(request, monkeypatch):
    """`client.force_login(user)` also verifies the session with a real TOTP device, the way
    django_otp.login() does after a correct code, for users who need a second factor (or have one).

    Hundreds of tests log in this way to test what a page does, not how one signs in; the
    sign-in flow itself is tested with real codes (tests/test_mfa.py, marked
    `real_second_factor`). The application's own code path is untouched."""
    if request.node.get_closest_marker("real_second_factor"):
        return
    from django.test import Client

    original = Client.force_login

    def force_login(self, user, backend=None):
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from conecta.permissions import requires_second_factor

        original(self, user, backend)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None and requires_second_factor(user):
            device = TOTPDevice.objects.create(user=user, name="pruebas", confirmed=True)
        user.__dict__.pop("_conecta_roles", None)  # the test may give this user roles afterwards
        if device is not None:
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login)
