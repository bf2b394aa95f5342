"""Every edit form of case data refuses a stale copy the same way (conecta.concurrency).

Each scenario loads a form page, saves once from that copy (as someone else
would), then posts the same stale copy with another change: the second save
is refused with the common notice, the database keeps the first save, and the
form shown again keeps what was typed the second time."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conecta import permissions as p
from conecta.models import Institution, ProgramSettings
from interventions.models import Appointment, Instrument, Plan, Referral, Session
from interventions.tests.factories import (
    AppointmentFactory, PlanFactory, ReferralFactory, SessionFactory, make_instrument,
)
from participants.models import Case, CaseStatus, Cohort, Consent, FamilyMember
from participants.tests.factories import CaseFactory, CohortFactory, InstitutionFactory
from workshops.models import CourseEnrolment, TrainingCourse, Workshop, WorkshopEnrolment, WorkshopSession, WorkshopType
from workshops.tests.factories import WorkshopTypeFactory, enrol, make_workshop
from workshops.tests.factories_courses import TrainingCourseFactory

from tests.formdata import page_data

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today


def _person_case(**fields):
    return CaseFactory(status=fields.pop("status", CaseStatus.INTERVENTION), **fields)


# --- Scenarios: each returns the user, the form URL, a first change, a second change and a check ------------

def family_member(users):
    member = FamilyMember.objects.create(participant=_person_case().participant, name="Rosa Pérez",
                                         relationship=FamilyMember.Relationship.MOTHER)
    return {"user": users[p.SOCIAL_WORKER], "url": reverse("participants:familymember_update", args=[member.pk]),
            "first": {"phone": "+56 9 1111 1111"}, "second": {"notes": "Vive en Puente Alto"},
            "check": lambda: FamilyMember.objects.get(pk=member.pk).notes == ""
            and FamilyMember.objects.get(pk=member.pk).phone == "+56 9 1111 1111"}


def cohort(users):
    row = CohortFactory(name="2026-1")
    return {"user": users[p.MANAGER], "url": reverse("participants:cohort_update", args=[row.pk]),
            "first": {"name": "2026-1 A"}, "second": {"year": "2027"},
            "check": lambda: Cohort.objects.get(pk=row.pk).name == "2026-1 A" and Cohort.objects.get(pk=row.pk).year != 2027}


def institution(users):
    row = InstitutionFactory(name="OMIL Las Condes", kind=Institution.Kind.EMPLOYMENT)
    return {"user": users[p.SOCIAL_WORKER], "url": reverse("institution_update", args=[row.pk]),
            "first": {"phone": "+56 2 2222 2222"}, "second": {"contact_name": "Marta Soto"},
            "check": lambda: Institution.objects.get(pk=row.pk).contact_name == ""
            and Institution.objects.get(pk=row.pk).phone == "+56 2 2222 2222"}


def program_settings(users):
    ProgramSettings.load()
    return {"user": users[p.MANAGER], "url": reverse("program_settings"),
            "first": {"address": "Av. Apoquindo 3000"}, "second": {"minimum_age": "21"},
            "check": lambda: ProgramSettings.load().minimum_age == 18
            and ProgramSettings.load().address == "Av. Apoquindo 3000"}


def consent_withdraw(users):
    case = _person_case()
    consent = Consent.objects.create(participant=case.participant, case=case, kind=Consent.Kind.SOCIAL_CONTRACT,
                                     version="1", signed_on=TODAY() - datetime.timedelta(days=30),
                                     recorded_by=users[p.SOCIAL_WORKER])
    return {"user": users[p.SOCIAL_WORKER], "url": reverse("participants:consent_withdraw", args=[consent.pk]),
            "first": {"date": TODAY().isoformat(), "reason": "Ya no desea participar"},
            "second": {"date": TODAY().isoformat(), "reason": "Se cambió de comuna"},
            "check": lambda: Consent.objects.get(pk=consent.pk).withdrawal_reason == "Ya no desea participar"}


def case_transition(users):
    case = _person_case(status=CaseStatus.APPLICANT)
    url = reverse("participants:case_transition", args=[case.pk, "not_admit"])
    return {"user": users[p.MANAGER], "url": url,
            "first": {"date": TODAY().isoformat(), "reason": "No reside en la comuna"},
            "second": {"date": TODAY().isoformat(), "reason": "No asistió a la entrevista"},
            "check": lambda: Case.objects.get(pk=case.pk).not_admitted_reason == "No reside en la comuna"
            and Case.objects.get(pk=case.pk).status_changes.count() == 1}


def session_update(users):
    author = users[p.PSYCHOLOGIST]
    session = SessionFactory(professional=author, case=_person_case(status=CaseStatus.INTERVENTION))
    return {"user": author, "url": reverse("interventions:session_update", args=[session.pk]),
            "first": {"next_steps": "Citar a la familia"}, "second": {"notes": "Registro corregido"},
            "check": lambda: Session.objects.get(pk=session.pk).next_steps == "Citar a la familia"
            and Session.objects.get(pk=session.pk).notes == "Texto clínico de prueba"}


def referral_followup(users):
    referral = ReferralFactory(created_by=users[p.SOCIAL_WORKER])
    return {"user": users[p.SOCIAL_WORKER], "url": reverse("interventions:referral_update", args=[referral.pk]),
            "first": {"outcome": "Llamar el lunes"}, "second": {"next_followup_on": TODAY().isoformat()},
            "check": lambda: Referral.objects.get(pk=referral.pk).outcome == "Llamar el lunes"
            and Referral.objects.get(pk=referral.pk).next_followup_on is None}


def referral_move(users):
    referral = ReferralFactory(created_by=users[p.SOCIAL_WORKER])
    return {"user": users[p.SOCIAL_WORKER],
            "url": reverse("interventions:referral_detail", args=[referral.pk]),
            "first": {"move": "accepted", "date": TODAY().isoformat(), "note": "Aceptada por teléfono"},
            "second": {"move": "accepted", "date": TODAY().isoformat(), "note": "Aceptada por correo"},
            "check": lambda: list(Referral.objects.get(pk=referral.pk).events.values_list("note", flat=True))
            == ["Aceptada por teléfono"]}


def appointment_cancel(users):
    appointment = AppointmentFactory(professional=users[p.PSYCHOLOGIST],
                                     starts_at=timezone.now() + datetime.timedelta(days=2))
    return {"user": users[p.RECEPTIONIST], "url": reverse("interventions:appointment_cancel", args=[appointment.pk]),
            "first": {"reason": "La persona avisó que no puede"}, "second": {"reason": "Licencia de la psicóloga"},
            "check": lambda: Appointment.objects.get(pk=appointment.pk).cancel_reason == "La persona avisó que no puede"}


def appointment_reschedule(users):
    appointment = AppointmentFactory(professional=users[p.PSYCHOLOGIST],
                                     starts_at=timezone.now() + datetime.timedelta(days=2))
    later = timezone.localtime(appointment.starts_at) + datetime.timedelta(days=1)
    return {"user": users[p.RECEPTIONIST],
            "url": reverse("interventions:appointment_reschedule", args=[appointment.pk]),
            "first": {"date": later.date().isoformat(), "time": "09:00", "reason": "Pidió otro día"},
            "second": {"date": later.date().isoformat(), "time": "16:00", "reason": "Pidió la tarde"},
            "check": lambda: Appointment.objects.filter(rescheduled_from__pk=appointment.pk).count() == 1
            and Appointment.objects.get(pk=appointment.pk).cancel_reason == "Pidió otro día"}


def plan_agree(users):
    plan = PlanFactory(created_by=users[p.PSYCHOLOGIST])
    return {"user": users[p.PSYCHOLOGIST], "url": reverse("interventions:plan_agree", args=[plan.pk]),
            "first": {"agreed_on": TODAY().isoformat(), "agreement_notes": "Firmó en sesión"},
            "second": {"agreed_on": TODAY().isoformat(), "agreement_notes": "Firmó en visita"},
            "check": lambda: Plan.objects.get(pk=plan.pk).agreement_notes == "Firmó en sesión"}


def plan_approve(users):
    plan = PlanFactory(created_by=users[p.PSYCHOLOGIST], status=Plan.Status.SUBMITTED, agreed_on=TODAY())
    return {"user": users[p.MANAGER], "url": reverse("interventions:plan_approve", args=[plan.pk]),
            "first": {"decision": "return", "notes": "Falta el área ocupacional"},
            "second": {"decision": "approve", "notes": ""},
            "check": lambda: Plan.objects.get(pk=plan.pk).status == Plan.Status.DRAFT}


def instrument(users):
    row = make_instrument(code="borrador-prueba", status=Instrument.Status.DRAFT)
    return {"user": users[p.MANAGER], "url": reverse("interventions:instrument_update", args=[row.pk]),
            "first": {"name": "Tamizaje revisado"}, "second": {"description": "Aplicar en entrevista"},
            "check": lambda: Instrument.objects.get(pk=row.pk).name == "Tamizaje revisado"
            and Instrument.objects.get(pk=row.pk).description == ""}


def instrument_domain(users):
    row = make_instrument(code="borrador-dominio", status=Instrument.Status.DRAFT).domains.first()
    return {"user": users[p.MANAGER], "url": reverse("interventions:instrument_domain_update", args=[row.pk]),
            "first": {"name": "Dominio renombrado"}, "second": {"description": "Nueva descripción"},
            "check": lambda: type(row).objects.get(pk=row.pk).name == "Dominio renombrado"
            and type(row).objects.get(pk=row.pk).description == ""}


def instrument_item(users):
    row = make_instrument(code="borrador-item", status=Instrument.Status.DRAFT).domains.first().items.first()
    return {"user": users[p.MANAGER], "url": reverse("interventions:instrument_item_update", args=[row.pk]),
            "first": {"text": "Pregunta reformulada"}, "second": {"help_text": "Lea en voz alta"},
            "check": lambda: type(row).objects.get(pk=row.pk).text == "Pregunta reformulada"
            and type(row).objects.get(pk=row.pk).help_text == ""}


def workshop_type(users):
    row = WorkshopTypeFactory(name="Habilidades parentales")
    return {"user": users[p.MANAGER], "url": reverse("workshops:workshoptype_update", args=[row.pk]),
            "first": {"description": "Para madres y padres"}, "second": {"completion_share": "80"},
            "check": lambda: WorkshopType.objects.get(pk=row.pk).completion_share == 75
            and WorkshopType.objects.get(pk=row.pk).description == "Para madres y padres"}


def workshop(users):
    row = make_workshop(actor=users[p.OCCUPATIONAL_THERAPIST])
    return {"user": users[p.OCCUPATIONAL_THERAPIST], "url": reverse("workshops:workshop_update", args=[row.pk]),
            "first": {"place": "Sede vecinal El Golf"}, "second": {"capacity": "12"},
            "check": lambda: Workshop.objects.get(pk=row.pk).place == "Sede vecinal El Golf"
            and Workshop.objects.get(pk=row.pk).capacity == 20}


def workshop_session(users):
    row = make_workshop(actor=users[p.OCCUPATIONAL_THERAPIST]).sessions.order_by("number").last()
    return {"user": users[p.OCCUPATIONAL_THERAPIST],
            "url": reverse("workshops:workshop_session_update", args=[row.pk]),
            "first": {"topic": "Comunicación asertiva"}, "second": {"start_time": "15:00"},
            "check": lambda: WorkshopSession.objects.get(pk=row.pk).topic == "Comunicación asertiva"
            and WorkshopSession.objects.get(pk=row.pk).start_time == datetime.time(10, 0)}


def workshop_withdraw(users):
    run = make_workshop(actor=users[p.OCCUPATIONAL_THERAPIST])
    enrolment = enrol(run, actor=users[p.OCCUPATIONAL_THERAPIST])
    return {"user": users[p.OCCUPATIONAL_THERAPIST], "url": reverse("workshops:workshop_withdraw", args=[enrolment.pk]),
            "first": {"reason": "Encontró trabajo"}, "second": {"reason": "Cambio de domicilio"},
            "check": lambda: WorkshopEnrolment.objects.get(pk=enrolment.pk).withdrawal_reason == "Encontró trabajo"}


def course(users):
    row = TrainingCourseFactory(created_by=users[p.OCCUPATIONAL_THERAPIST])
    return {"user": users[p.OCCUPATIONAL_THERAPIST], "url": reverse("workshops:course_update", args=[row.pk]),
            "first": {"place": "Liceo Industrial"}, "second": {"places": "15"},
            "check": lambda: TrainingCourse.objects.get(pk=row.pk).place == "Liceo Industrial"
            and TrainingCourse.objects.get(pk=row.pk).places == 10}


def course_enrolment_move(users):
    from workshops.services import courses as course_services

    therapist = users[p.OCCUPATIONAL_THERAPIST]
    enrolment = course_services.enrolment_create(course=TrainingCourseFactory(created_by=therapist),
                                                 case=_person_case(), actor=therapist,
                                                 date=TODAY() - datetime.timedelta(days=5))
    return {"user": therapist, "url": reverse("workshops:enrolment_move", args=[enrolment.pk, "drop"]),
            "first": {"date": TODAY().isoformat(), "reason": "Encontró trabajo"},
            "second": {"date": TODAY().isoformat(), "reason": "No asistió"},
            "check": lambda: CourseEnrolment.objects.get(pk=enrolment.pk).drop_reason == "Encontró trabajo"
            and CourseEnrolment.objects.get(pk=enrolment.pk).events.count() == 2}


SCENARIOS = [family_member, cohort, institution, program_settings, consent_withdraw, case_transition,
             session_update, referral_followup, referral_move, appointment_cancel, appointment_reschedule,
             plan_agree, plan_approve, instrument, instrument_domain, instrument_item, workshop_type, workshop,
             workshop_session, workshop_withdraw, course, course_enrolment_move]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.__name__ for s in SCENARIOS])
def test_a_stale_copy_is_refused_and_keeps_what_was_typed(client_for, role_users, scenario):
    setup = scenario(role_users)
    client = client_for(setup["user"])
    page = client.get(setup["url"])
    assert page.status_code == 200
    loaded = page_data(page)
    assert "version" in loaded, "the form carries the version it was loaded at"

    first = client.post(setup["url"], {**loaded, **setup["first"]})
    assert first.status_code == 302, first.context and first.context["form"].errors

    refused = client.post(setup["url"], {**loaded, **setup["second"]})
    assert refused.status_code == 200
    assert refused.context["stale"], "the stale copy is refused with the common notice"
    assert "stale-notice" in refused.content.decode()
    assert setup["check"](), "the database keeps the first save only"
    kept = refused.context["form"].data
    for name, value in setup["second"].items():
        assert kept.get(name) == value, f"what was typed in {name} is kept"
    assert kept["version"] != loaded["version"], "the form now carries the stored version"
