"""The session pages offer only what the session service accepts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conecta import permissions as p
from interventions.models import Appointment, PlanObjective, Session
from interventions.services import agenda as agenda_services
from interventions.services import sessions as services
from interventions.tests.factories import AppointmentFactory, PlanFactory
from participants.models import CaseStatus
from participants.services import DomainError
from participants.tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def session_data(user, area="psychological"):
    return {"starts_at": timezone.now() - datetime.timedelta(minutes=30), "duration_minutes": 45,
            "professional": user, "area": area, "modality": "centre", "attendance": "attended",
            "with_participant": True, "notes": "", "next_steps": ""}


@pytest.fixture
def arrived(psychologist, receptionist):
    appointment = AppointmentFactory(professional=psychologist, created_by=receptionist,
                                     starts_at=timezone.now() - datetime.timedelta(minutes=2))
    return agenda_services.appointment_check_in(appointment=appointment, actor=receptionist)


def _pages(appointment):
    day = timezone.localtime(appointment.starts_at).date().isoformat()
    query = f"?profesional={appointment.professional_id}&fecha={day}"
    return [reverse("interventions:agenda_day") + query, reverse("interventions:agenda_week") + query,
            reverse("interventions:reception"), reverse("interventions:appointment_detail", args=[appointment.pk])]


def test_record_session_is_not_offered_twice(client_for, psychologist, arrived):
    link = reverse("interventions:session_create", args=[arrived.case_id]) + f"?cita={arrived.pk}"
    client = client_for(psychologist)
    for url in _pages(arrived):
        assert link in client.get(url).content.decode(), url
    session = services.session_create(case=arrived.case, actor=psychologist, data=session_data(psychologist),
                                      appointment=arrived)
    for url in _pages(arrived):
        assert link not in client.get(url).content.decode(), url
    detail = client.get(reverse("interventions:appointment_detail", args=[arrived.pk])).content.decode()
    assert reverse("interventions:session_detail", args=[session.pk]) in detail
    # The form page itself shows the recorded session instead of a second form; the service refuses one.
    page = client.get(link)
    assert "Esta cita ya tiene una sesión registrada" in page.content.decode() and 'name="notes"' not in \
        page.content.decode()
    with pytest.raises(DomainError, match="ya tiene una sesión"):
        services.session_create(case=arrived.case, actor=psychologist, data=session_data(psychologist),
                                appointment=Appointment.objects.get(pk=arrived.pk))
    assert Session.objects.count() == 1


def test_record_session_is_offered_only_where_the_service_accepts_it(client_for, role_users, psychologist, arrived):
    link = reverse("interventions:session_create", args=[arrived.case_id]) + f"?cita={arrived.pk}"
    # A social worker does not record psychological sessions: no link for her.
    social = client_for(role_users[p.SOCIAL_WORKER])
    for url in _pages(arrived):
        assert link not in social.get(url).content.decode(), url
    # An applicant's appointment: sessions start at diagnosis.
    applicant = AppointmentFactory(case=CaseFactory(status=CaseStatus.APPLICANT), professional=psychologist,
                                   created_by=psychologist, starts_at=timezone.now() - datetime.timedelta(minutes=1))
    agenda_services.appointment_check_in(appointment=applicant, actor=psychologist)
    content = client_for(psychologist).get(
        reverse("interventions:appointment_detail", args=[applicant.pk])).content.decode()
    assert reverse("interventions:session_create", args=[applicant.case_id]) not in content
    with pytest.raises(DomainError):
        services.session_create(case=applicant.case, actor=psychologist, data=session_data(psychologist),
                                appointment=applicant)


@pytest.fixture
def objectives():
    plan = PlanFactory()
    sections = {section.area: section for section in plan.sections.all()}
    return plan.case, {area: PlanObjective.objects.create(section=section, text=f"Objetivo del área {area}")
                       for area, section in sections.items()}


def test_session_form_lists_only_the_objectives_the_author_may_link(client_for, role_users, objectives):
    case, by_area = objectives
    url = reverse("interventions:session_create", args=[case.pk])
    response = client_for(role_users[p.PSYCHOLOGIST]).get(url)
    assert list(response.context["form"].fields["objectives"].queryset) == [by_area["psychological"]]
    content = response.content.decode()
    assert "Objetivo del área psychological" in content
    assert "Objetivo del área social" not in content and "Objetivo del área occupational" not in content
    # Nor professionals who may not hold a psychological session.
    professionals = set(response.context["form"].fields["professional"].queryset)
    assert role_users[p.SOCIAL_WORKER] not in professionals and role_users[p.PSYCHOLOGIST] in professionals
    social = client_for(role_users[p.SOCIAL_WORKER]).get(url).context["form"]
    assert list(social.fields["objectives"].queryset) == [by_area["social"]]


def test_manager_sees_every_area_and_a_mismatch_is_refused_next_to_the_field(client_for, manager, objectives):
    case, by_area = objectives
    url = reverse("interventions:session_create", args=[case.pk])
    client = client_for(manager)
    assert set(client.get(url).context["form"].fields["objectives"].queryset) == set(by_area.values())
    response = client.post(url, {
        "starts_at": timezone.localtime(timezone.now() - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": 45, "professional": manager.pk, "area": "social", "modality": "centre",
        "attendance": "attended", "with_participant": "on", "notes": "Lo que escribí",
        "objectives": [by_area["psychological"].pk],
    })
    assert response.status_code == 200
    assert "Marque solo objetivos del área de la sesión (social)." in response.context["form"].errors["objectives"]
    assert "Lo que escribí" in response.content.decode()
    assert not Session.objects.exists()
