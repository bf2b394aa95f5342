import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conecta import permissions as p
from interventions.models import Appointment, PlanObjective, PlanSection, Session
from interventions.services import plans as plan_services
from interventions.services import sessions as services
from interventions.tests.factories import AppointmentFactory, SessionFactory
from participants.models import CaseStatus, FamilyMember
from participants.services import DomainError
from participants.tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    return CaseFactory(status=CaseStatus.INTERVENTION)


def data(user, area="psychological", **extra):
    values = {"starts_at": timezone.now() - datetime.timedelta(hours=2), "duration_minutes": 50,
              "professional": user, "area": area, "modality": "centre", "attendance": "attended",
              "with_participant": True, "notes": "Notas", "next_steps": "Pasos"}
    values.update(extra)
    return values


def objective_of(case, area, actor):
    plan = plan_services.plan_create(case=case, actor=actor)
    section = PlanSection.objects.get(plan=plan, area=area)
    plan_services.plan_section_save(section=section, actor=actor, revision=0, needs_summary="",
                                    objectives=[{"id": None, "text": f"Objetivo {area}", "status": "pending"}],
                                    actions=[])
    return PlanObjective.objects.get(section=section)


class TestServices:
    def test_create_from_appointment_marks_it_attended(self, case, psychologist):
        appointment = AppointmentFactory(case=case, professional=psychologist,
                                         starts_at=timezone.now() - datetime.timedelta(hours=1))
        session = services.session_create(case=case, actor=psychologist, data=data(psychologist),
                                          appointment=appointment)
        appointment.refresh_from_db()
        assert session.appointment == appointment and appointment.status == Appointment.Status.ATTENDED
        assert appointment.history.first().history_user == psychologist
        with pytest.raises(DomainError, match="ya tiene una sesión"):
            services.session_create(case=case, actor=psychologist, data=data(psychologist), appointment=appointment)

    def test_no_show_session_marks_appointment_no_show(self, case, psychologist):
        appointment = AppointmentFactory(case=case, professional=psychologist)
        services.session_create(case=case, actor=psychologist, data=data(psychologist, attendance="no_show"),
                                appointment=appointment)
        appointment.refresh_from_db()
        assert appointment.status == Appointment.Status.NO_SHOW

    def test_appointment_of_another_case_refused(self, case, psychologist):
        with pytest.raises(DomainError, match="no corresponde"):
            services.session_create(case=case, actor=psychologist, data=data(psychologist),
                                    appointment=AppointmentFactory(professional=psychologist))

    def test_area_rules(self, case, role_users):
        social = role_users[p.SOCIAL_WORKER]
        with pytest.raises(DomainError, match="no registra sesiones"):
            services.session_create(case=case, actor=social, data=data(social, area="psychological"))
        with pytest.raises(DomainError, match="no trabaja en el área"):
            services.session_create(case=case, actor=role_users[p.MANAGER],
                                    data=data(social, area="occupational"))
        assert services.session_create(case=case, actor=social, data=data(social, area="social")).area == "social"

    def test_case_status_future_and_people_rules(self, case, psychologist):
        with pytest.raises(DomainError, match="casos en diagnóstico"):
            services.session_create(case=CaseFactory(status=CaseStatus.APPLICANT), actor=psychologist,
                                    data=data(psychologist))
        with pytest.raises(DomainError, match="futura"):
            services.session_create(case=case, actor=psychologist,
                                    data=data(psychologist, starts_at=timezone.now() + datetime.timedelta(days=2)))
        stranger = FamilyMember.objects.create(participant=CaseFactory().participant, name="Otra", relationship="mother")
        with pytest.raises(DomainError, match="familiares"):
            services.session_create(case=case, actor=psychologist, data=data(psychologist), family_members=[stranger])
        with pytest.raises(DomainError, match="Indique quién"):
            services.session_create(case=case, actor=psychologist, data=data(psychologist, with_participant=False))
        mother = FamilyMember.objects.create(participant=case.participant, name="Rosa", relationship="mother")
        session = services.session_create(case=case, actor=psychologist, data=data(psychologist, with_participant=False),
                                          family_members=[mother])
        assert list(session.family_members.all()) == [mother]

    def test_objectives_must_be_of_the_case_and_area(self, case, psychologist, manager):
        psy = objective_of(case, "psychological", manager)
        social = PlanObjective.objects.create(section=psy.section.plan.sections.get(area="social"), text="Social")
        with pytest.raises(DomainError, match="objetivos trabajados"):
            services.session_create(case=case, actor=psychologist, data=data(psychologist), objectives=[social])
        other_case = objective_of(CaseFactory(status=CaseStatus.INTERVENTION), "psychological", manager)
        with pytest.raises(DomainError, match="objetivos trabajados"):
            services.session_create(case=case, actor=psychologist, data=data(psychologist), objectives=[other_case])
        session = services.session_create(case=case, actor=psychologist, data=data(psychologist), objectives=[psy])
        assert list(session.objectives.all()) == [psy]

    def test_update_author_or_manager(self, case, role_users):
        author = role_users[p.PSYCHOLOGIST]
        session = services.session_create(case=case, actor=author, data=data(author))
        with pytest.raises(DomainError, match="Solo quien registró"):
            services.session_update(session=session, version=session.version, actor=role_users[p.FOLLOWUP_PSYCHOLOGIST],
                                    data=data(author, notes="Cambio"))
        services.session_update(session=session, version=session.version, actor=role_users[p.MANAGER], data=data(author, notes="Corregido"))
        session.refresh_from_db()
        assert session.notes == "Corregido"
        assert session.history.first().history_user == role_users[p.MANAGER]


class TestViews:
    def test_create_prefills_from_appointment(self, case, client_for, role_users):
        social = role_users[p.SOCIAL_WORKER]
        starts = timezone.now() - datetime.timedelta(minutes=30)
        appointment = AppointmentFactory(case=case, professional=social, area="social", duration_minutes=60,
                                         modality="home_visit", starts_at=starts)
        url = reverse("interventions:session_create", args=[case.pk]) + f"?cita={appointment.pk}"
        client = client_for(role_users[p.MANAGER])
        form = client.get(url).context["form"]
        assert form.initial["professional"] == social.pk and form.initial["area"] == "social"
        assert form.initial["duration_minutes"] == 60 and form.initial["modality"] == "home_visit"
        response = client.post(url, {
            "starts_at": timezone.localtime(starts).strftime("%Y-%m-%dT%H:%M"), "duration_minutes": 60,
            "professional": social.pk, "area": "social", "modality": "home_visit", "attendance": "attended",
            "with_participant": "on", "notes": "Visita al domicilio", "next_steps": "Postular a subsidio",
            "appointment_version": appointment.version,
        })
        session = Session.objects.get()
        assert response.status_code == 302 and session.appointment == appointment
        appointment.refresh_from_db()
        assert appointment.status == Appointment.Status.ATTENDED

    def test_defaults_for_the_user(self, case, client_for, role_users):
        form = client_for(role_users[p.OCCUPATIONAL_THERAPIST]).get(
            reverse("interventions:session_create", args=[case.pk])).context["form"]
        assert form.initial["area"] == "occupational"
        assert form.initial["professional"] == role_users[p.OCCUPATIONAL_THERAPIST].pk
        assert [value for value, _label in form.fields["area"].choices] == ["occupational"]

    def test_bad_input_keeps_values(self, case, client_for, psychologist):
        url = reverse("interventions:session_create", args=[case.pk])
        response = client_for(psychologist).post(url, {"starts_at": "ayer", "duration_minutes": "9999",
                                                       "area": "psychological", "notes": "Lo que escribí"})
        assert response.status_code == 200
        body = response.content.decode()
        assert "Lo que escribí" in body and "invalid-feedback" in body
        assert not Session.objects.exists()

    def test_service_error_shown_in_form(self, case, client_for, psychologist):
        url = reverse("interventions:session_create", args=[case.pk])
        future = (timezone.localtime() + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
        response = client_for(psychologist).post(url, {
            "starts_at": future, "duration_minutes": 45, "professional": psychologist.pk, "area": "psychological",
            "modality": "centre", "attendance": "attended", "with_participant": "on"})
        assert response.status_code == 200 and "agéndela como cita" in response.content.decode()

    def test_my_sessions_filters(self, client_for, psychologist):
        old = SessionFactory(professional=psychologist, starts_at=timezone.now() - datetime.timedelta(days=40))
        recent = SessionFactory(professional=psychologist, starts_at=timezone.now() - datetime.timedelta(days=2))
        SessionFactory()  # someone else's
        client = client_for(psychologist)
        page = client.get(reverse("interventions:session_list")).context["page"]
        assert list(page) == [recent, old]
        since = (timezone.localdate() - datetime.timedelta(days=10)).isoformat()
        page = client.get(reverse("interventions:session_list") + f"?date_from={since}").context["page"]
        assert list(page) == [recent]
        response = client.get(reverse("interventions:session_list") + "?date_from=2026-05-01&date_to=2026-01-01")
        assert response.status_code == 200 and "posterior a la inicial" in response.content.decode()

    def test_update_view(self, client_for, role_users):
        session = SessionFactory(professional=role_users[p.PSYCHOLOGIST])
        url = reverse("interventions:session_update", args=[session.pk])
        assert client_for(role_users[p.SOCIAL_WORKER]).get(url).status_code == 403
        response = client_for(role_users[p.PSYCHOLOGIST]).post(url, {
            "starts_at": timezone.localtime(session.starts_at).strftime("%Y-%m-%dT%H:%M"), "duration_minutes": 30,
            "professional": role_users[p.PSYCHOLOGIST].pk, "area": "psychological", "modality": "phone",
            "attendance": "attended", "with_participant": "on", "notes": "Nuevo registro", "next_steps": "",
            "version": session.version})
        assert response.status_code == 302
        session.refresh_from_db()
        assert session.modality == "phone" and session.notes == "Nuevo registro"

    def test_menu_entry(self, client_for, role_users):
        body = client_for(role_users[p.SOCIAL_WORKER]).get(reverse("role_home", args=[p.SOCIAL_WORKER])).content.decode()
        assert reverse("interventions:session_list") in body
        body = client_for(role_users[p.RECEPTIONIST]).get(reverse("role_home", args=[p.RECEPTIONIST])).content.decode()
        assert reverse("interventions:session_list") not in body
