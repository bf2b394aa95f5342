"""The manager's program pages: users and roles, program settings, cohorts, institutions."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from conecta import permissions as p
from conecta.models import Commune, Institution, ProgramSettings
from participants import services
from participants.models import Cohort
from participants.tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def test_manager_creates_a_user_with_two_roles(client_for, manager):
    response = client_for(manager).post(reverse("user_create"), {
        "username": "ps.nueva", "first_name": "Paula", "last_name": "Soto", "email": "",
        "is_active": "on", "roles": [p.PSYCHOLOGIST, p.FOLLOWUP_PSYCHOLOGIST], "password": "Paseo-Tranquilo-77",
    })
    assert response.status_code == 302
    created = User.objects.get(username="ps.nueva")
    assert created.check_password("Paseo-Tranquilo-77")
    assert p.user_roles(created) == [p.PSYCHOLOGIST, p.FOLLOWUP_PSYCHOLOGIST]
    assert created.history.first().history_user == manager


def test_weak_password_is_refused_in_spanish_and_input_kept(client_for, manager):
    response = client_for(manager).post(reverse("user_create"), {
        "username": "debil", "first_name": "Pedro", "roles": [p.RECEPTIONIST], "password": "12345678",
    })
    assert response.status_code == 200
    html = response.content.decode()
    assert "Esta contraseña es demasiado común" in html
    assert 'value="Pedro"' in html
    assert not User.objects.filter(username="debil").exists()


def test_superusers_are_not_managed_from_the_app(client_for, manager):
    root = User.objects.create_superuser("raiz", password="x-Conecta-2026")
    client = client_for(manager)
    assert client.get(reverse("user_update", args=[root.pk])).status_code == 404
    assert "raiz" not in client.get(reverse("user_list")).content.decode()


def test_program_commune_drives_eligibility(client_for, manager):
    case = CaseFactory()  # lives in Las Condes, the default program commune
    assert services.case_eligibility(case).eligible
    quillota = Commune.objects.get(code="05501")
    response = client_for(manager).post(reverse("program_settings"), {
        "name": "Oportunidades para la Vida", "municipality": "Municipalidad de Quillota",
        "commune": quillota.pk, "address": "", "minimum_age": 18, "version": ProgramSettings.load().version,
    })
    assert response.status_code == 302
    assert ProgramSettings.load().commune == quillota
    result = services.case_eligibility(case)
    assert not result.eligible
    assert any("no en Quillota" in c.message for c in result.checks)


def test_cohort_dates_are_checked(client_for, manager):
    response = client_for(manager).post(reverse("participants:cohort_create"), {
        "name": "2027-1", "year": 2027, "semester": 1, "start_date": "2027-06-30", "end_date": "2027-01-01"})
    assert response.context["form"].errors["end_date"] == ["El término debe ser posterior al inicio."]
    response = client_for(manager).post(reverse("participants:cohort_create"), {
        "name": "2027-1", "year": 2027, "semester": 1, "start_date": "2027-01-01", "end_date": "2027-06-30"})
    assert response.status_code == 302
    assert Cohort.objects.get(name="2027-1").history.first().history_change_reason == "Generación"


def test_social_worker_adds_an_institution(client_for, role_users):
    response = client_for(role_users[p.SOCIAL_WORKER]).post(reverse("institution_create"), {
        "name": "OMIL Las Condes", "kind": "employment", "level": "communal", "active": "on"})
    assert response.status_code == 302
    assert Institution.objects.get(name="OMIL Las Condes").history.first().history_user == role_users[p.SOCIAL_WORKER]


def test_manager_unlocks_a_locked_account(client, role_users):
    from django.test import Client

    for _attempt in range(5):
        client.post(reverse("login"), {"username": "psicologa", "password": "mala"}, REMOTE_ADDR="10.0.0.7")
    assert client.post(reverse("login"), {"username": "psicologa", "password": "conecta-demo"},
                       REMOTE_ADDR="10.0.0.7").status_code == 429
    manager = Client()
    manager.force_login(role_users[p.MANAGER], backend="django.contrib.auth.backends.ModelBackend")
    assert "Bloqueada" in manager.get(reverse("user_list")).content.decode()
    response = manager.post(reverse("user_unlock", args=[role_users[p.PSYCHOLOGIST].pk]))
    assert response.status_code == 302
    assert "Bloqueada" not in manager.get(reverse("user_list")).content.decode()
    response = client.post(reverse("login"), {"username": "psicologa", "password": "conecta-demo"},
                           REMOTE_ADDR="10.0.0.7")
    assert response.status_code == 302
