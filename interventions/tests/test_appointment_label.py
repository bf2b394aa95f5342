"""The desk reads an appointment by its neutral label (kind and area), never by its free-text reason."""

import datetime
import importlib

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from django.utils import timezone

from conecta import permissions as p
from interventions.models import Appointment, Area
from interventions.services import agenda as services
from interventions.tests.factories import AppointmentFactory
from participants.models import CaseStatus
from participants.tests.factories import CaseFactory

pytestmark = pytest.mark.django_db
REASON = "Evaluación de riesgo de reincidencia"
JSON = {"HTTP_ACCEPT": "application/json"}


def test_label_is_kind_and_area():
    assert Appointment(kind="care", area=Area.PSYCHOLOGICAL).label == "Atención psicológica"
    assert Appointment(kind="care", area=Area.SOCIAL).label == "Atención social"
    assert Appointment(kind="care", area=Area.OCCUPATIONAL).label == "Terapia ocupacional"
    assert Appointment(kind="intake", area=Area.SOCIAL).label == "Entrevista de ingreso"
    assert Appointment(kind="followup", area=Area.PSYCHOLOGICAL).label == "Seguimiento"


@pytest.fixture
def booked(psychologist, receptionist):
    """Today's appointment (on the desk, agenda, home panels) and a missed one (on the call list)."""
    case = CaseFactory(status=CaseStatus.INTERVENTION)
    now = timezone.now()
    today = services.appointment_create(case=case, professional=psychologist, area=Area.PSYCHOLOGICAL,
                                        purpose=REASON, actor=receptionist, starts_at=now + datetime.timedelta(minutes=2))
    missed = AppointmentFactory(case=case, professional=psychologist, created_by=receptionist, purpose=REASON,
                                starts_at=now - datetime.timedelta(hours=1))
    services.appointment_mark_no_show(appointment=missed, actor=receptionist)
    return today, missed


def _pages(today, missed, psychologist):
    from participants.models import PhoneFollowUp

    followup = PhoneFollowUp.objects.get()
    local = timezone.localtime(today.starts_at).date()
    agenda_query = f"?profesional={psychologist.pk}&fecha={local.isoformat()}"
    return [
        reverse("interventions:reception"),
        reverse("interventions:agenda_day") + agenda_query,
        reverse("interventions:agenda_week") + agenda_query,
        reverse("interventions:appointment_detail", args=[today.pk]),
        reverse("interventions:appointment_detail", args=[missed.pk]),
        reverse("interventions:appointment_reschedule", args=[today.pk]),
        reverse("interventions:appointment_cancel", args=[today.pk]),
        reverse("participants:participant_detail", args=[today.case.participant_id]),
        reverse("role_home", args=[p.RECEPTIONIST]),
        reverse("interventions:phonefollowup_list"),
        reverse("interventions:phonefollowup_call", args=[followup.pk]),
    ]


def test_the_desk_never_reads_the_reason(client_for, receptionist, psychologist, booked):
    today, missed = booked
    client = client_for(receptionist)
    home = reverse("role_home", args=[p.RECEPTIONIST])
    for url in _pages(today, missed, psychologist):
        response = client.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        assert REASON not in content, url
        # Every page that shows the appointment shows its label (the desk's home shows counts only).
        assert url == home or "Atención psicológica" in content, url
    # The desk's JSON answer (the re-rendered row) neither.
    response = client.post(reverse("interventions:appointment_undo", args=[missed.pk]),
                           {"version": missed.__class__.objects.get(pk=missed.pk).version}, **JSON)
    assert response.status_code == 200
    assert REASON not in response.json()["row_html"] and "Atención psicológica" in response.json()["row_html"]


def test_the_professionals_still_read_the_reason(client_for, psychologist, receptionist, booked):
    today, _missed = booked
    client = client_for(psychologist)
    local = timezone.localtime(today.starts_at).date()
    for url in [reverse("interventions:reception"),
                reverse("interventions:agenda_day") + f"?fecha={local.isoformat()}",
                reverse("interventions:appointment_detail", args=[today.pk]),
                reverse("participants:participant_detail", args=[today.case.participant_id])]:
        content = client.get(url).content.decode()
        assert REASON in content and "Atención psicológica" in content, url


def test_the_desk_books_with_a_kind(client_for, receptionist, role_users):
    social_worker = role_users[p.SOCIAL_WORKER]
    case = CaseFactory(status=CaseStatus.APPLICANT)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client_for(receptionist).post(reverse("interventions:appointment_create"), {
        "case": case.pk, "professional": social_worker.pk, "area": "social", "date": str(tomorrow), "time": "10:00",
        "duration_minutes": 45, "modality": "centre", "kind": "intake", "purpose": "",
    })
    assert response.status_code == 302
    appointment = Appointment.objects.get()
    assert appointment.kind == Appointment.Kind.INTAKE and appointment.label == "Entrevista de ingreso"


def test_migration_derives_the_kind_from_the_professional(role_users, receptionist):
    followup = AppointmentFactory(professional=role_users[p.FOLLOWUP_PSYCHOLOGIST], created_by=receptionist)
    care = AppointmentFactory(professional=role_users[p.SOCIAL_WORKER], area=Area.SOCIAL, created_by=receptionist)
    migration = importlib.import_module("interventions.migrations.0005_appointment_kind")
    migration.derive_kind(django_apps, None)
    followup.refresh_from_db()
    care.refresh_from_db()
    assert followup.kind == Appointment.Kind.FOLLOWUP and followup.label == "Seguimiento"
    assert care.kind == Appointment.Kind.CARE and care.label == "Atención social"
