"""Rules added after the cross-area review: stale or cancelled appointments, areas, approved plans,
draft ownership, answer history, service-level role checks and unreadable query parameters."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conecta import permissions as p
from interventions.models import Answer, Appointment, Plan
from interventions.services import agenda as agenda_services
from interventions.services import assessments as assessment_services
from interventions.services import plans as plan_services
from interventions.services import referrals as referral_services
from interventions.services import sessions as session_services
from interventions.tests.factories import AppointmentFactory, PlanFactory, ReferralFactory, make_instrument
from participants.models import CaseStatus, PhoneFollowUp
from participants.services import DomainError
from participants.tests.factories import CaseFactory, InstitutionFactory

pytestmark = pytest.mark.django_db


def session_data(user, **extra):
    values = {"starts_at": timezone.now() - datetime.timedelta(hours=1), "duration_minutes": 45,
              "professional": user, "area": "psychological", "modality": "centre", "attendance": "attended",
              "with_participant": True, "notes": "", "next_steps": ""}
    values.update(extra)
    return values


@pytest.mark.parametrize("status", [Appointment.Status.CANCELLED, Appointment.Status.RESCHEDULED])
def test_no_session_from_an_appointment_that_did_not_happen(psychologist, status):
    appointment = AppointmentFactory(case=CaseFactory(status=CaseStatus.INTERVENTION), professional=psychologist,
                                     starts_at=timezone.now() - datetime.timedelta(hours=1), status=status)
    with pytest.raises(DomainError, match="No se registra una sesión de una cita"):
        session_services.session_create(case=appointment.case, actor=psychologist, data=session_data(psychologist),
                                        appointment=appointment)
    appointment.refresh_from_db()
    assert appointment.status == status


def test_a_no_show_logged_by_the_professional_reaches_the_call_list(psychologist):
    appointment = AppointmentFactory(case=CaseFactory(status=CaseStatus.INTERVENTION), professional=psychologist,
                                     starts_at=timezone.now() - datetime.timedelta(hours=1))
    session_services.session_create(case=appointment.case, actor=psychologist,
                                    data=session_data(psychologist, attendance="no_show"), appointment=appointment)
    followup = PhoneFollowUp.objects.get(case=appointment.case)
    assert followup.reason == PhoneFollowUp.Reason.APPOINTMENT_NO_SHOW and followup.status == "open"


def test_an_appointment_is_booked_in_an_area_the_professional_works_in(role_users, receptionist):
    case = CaseFactory(status=CaseStatus.INTERVENTION)
    with pytest.raises(agenda_services.AgendaError) as error:
        agenda_services.appointment_create(case=case, professional=role_users[p.SOCIAL_WORKER], area="psychological",
                                           starts_at=timezone.now() + datetime.timedelta(days=1), actor=receptionist)
    assert error.value.field == "area"
    agenda_services.appointment_create(case=case, professional=role_users[p.SOCIAL_WORKER], area="social",
                                       starts_at=timezone.now() + datetime.timedelta(days=1), actor=receptionist)


def test_the_agreement_of_a_plan_under_approval_is_not_rewritten(psychologist):
    plan = PlanFactory(status=Plan.Status.APPROVED, agreed_on=datetime.date.today() - datetime.timedelta(days=3))
    with pytest.raises(DomainError, match="en elaboración"):
        plan_services.plan_agree(plan=plan, version=plan.version, actor=psychologist, agreed_on=datetime.date.today())
    plan.refresh_from_db()
    assert plan.agreed_on == datetime.date.today() - datetime.timedelta(days=3)


def test_a_draft_is_finished_only_by_its_author_or_the_manager(role_users, psychologist, manager):
    instrument = make_instrument(code="borrador")
    case = CaseFactory(status=CaseStatus.DIAGNOSIS)
    draft = assessment_services.assessment_create(case=case, instrument=instrument, actor=psychologist,
                                                  applied_on=datetime.date.today(), answers={})
    with pytest.raises(DomainError, match="Solo quien aplica"):
        assessment_services.assessment_update(assessment=draft, version=draft.version, actor=role_users[p.SOCIAL_WORKER],
                                              applied_on=datetime.date.today(), answers={})
    assessment_services.assessment_update(assessment=draft, version=draft.version, actor=manager, applied_on=datetime.date.today(),
                                          answers={})


def test_every_change_of_a_draft_answer_is_kept(psychologist):
    instrument = make_instrument(code="historia")
    case = CaseFactory(status=CaseStatus.DIAGNOSIS)
    item = instrument.domains.first().items.first()
    low, high = item.options.order_by("score")[0], item.options.order_by("-score")[0]
    draft = assessment_services.assessment_create(case=case, instrument=instrument, actor=psychologist,
                                                  applied_on=datetime.date.today(), answers={item.pk: low})
    assessment_services.assessment_update(assessment=draft, version=draft.version, actor=psychologist, applied_on=datetime.date.today(),
                                          answers={item.pk: high})
    answer = Answer.objects.get(assessment=draft, item=item)
    assert answer.option == high
    assert [h.option_id for h in answer.history.order_by("history_date")] == [low.pk, high.pk]
    assert {h.history_user for h in answer.history.all()} == {psychologist}


def test_referral_services_refuse_the_desk(receptionist):
    case = CaseFactory(status=CaseStatus.INTERVENTION, admitted_on=datetime.date.today() - datetime.timedelta(days=30))
    with pytest.raises(DomainError):
        referral_services.referral_create(case=case, institution=InstitutionFactory(), need="health",
                                          sent_on=datetime.date.today(), actor=receptionist)
    referral = ReferralFactory()
    with pytest.raises(DomainError):
        referral_services.referral_transition(referral=referral, to_status="accepted", date=datetime.date.today(),
                                              actor=receptionist)


UNREADABLE = "²"


@pytest.mark.parametrize("url", [
    lambda case, plan: reverse("interventions:session_create", args=[case.pk]) + f"?cita={UNREADABLE}",
    lambda case, plan: reverse("interventions:assessment_create", args=[case.pk]) + f"?instrumento={UNREADABLE}",
    lambda case, plan: reverse("interventions:plan_section_update", args=[plan.pk, "psychological"])
    + f"?sugerir={UNREADABLE}",
    lambda case, plan: reverse("interventions:appointment_create") + f"?caso={UNREADABLE}&profesional={UNREADABLE}",
    lambda case, plan: reverse("interventions:agenda_day") + "?fecha=9999-12-31",
    lambda case, plan: reverse("interventions:agenda_week") + "?fecha=0001-01-01",
    lambda case, plan: reverse("participants:participant_list") + f"?busqueda=1{UNREADABLE}345678",
], ids=["cita", "instrumento", "sugerir", "caso", "dia-maximo", "semana-minima", "rut"])
def test_unreadable_query_parameters_never_break_a_page(client_for, psychologist, url):
    plan = PlanFactory(case=CaseFactory(status=CaseStatus.INTERVENTION))
    response = client_for(psychologist).get(url(plan.case, plan))
    assert response.status_code == 200
