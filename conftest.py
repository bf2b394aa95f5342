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
