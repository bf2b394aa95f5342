"""Ley 21.719 across the apps: a blocked person is in no non-manager's list or search, every write
service refuses their data, and a withdrawn consent stops new processing but not the wind-down."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conecta import permissions as p
from interventions.models import Area, Referral
from interventions.services import agenda, assessments, plans, referrals, sessions
from interventions.tests.factories import (
    AppointmentFactory, AssessmentFactory, PlanFactory, ReferralFactory, SessionFactory, make_instrument,
)
from participants import services
from participants.models import Case, CaseStatus, Consent, FamilyMember, PhoneFollowUp, ReceivedDocument
from participants.services import ProcessingRefused
from participants.tests.factories import CaseFactory, ConsentFactory, InstitutionFactory
from tests.roles import ROLES
from workshops.services import courses, workshops
from workshops.tests.factories import make_workshop
from workshops.tests.factories_courses import TrainingCourseFactory

pytestmark = pytest.mark.django_db

NON_MANAGERS = [role for role in ROLES if role != p.MANAGER]



def stored_version(obj):
    """The version an edit form would carry if opened now (the stale-save check is not under test here)."""
    return type(obj).objects.filter(pk=obj.pk).values_list("version", flat=True).get()

def today():
    return timezone.localdate()


def _case_with_everything(users, *, surname, given_names="Ana María"):
    """A case in intervention with an appointment today, a session, a plan, a referral, an
    assessment draft, a workshop and a course enrolment, and an open phone follow-up."""
    psychologist = users[p.PSYCHOLOGIST]
    case = CaseFactory(status=CaseStatus.INTERVENTION, admitted_on=today() - datetime.timedelta(days=50),
                       psychologist=psychologist, participant__paternal_surname=surname,
                       participant__given_names=given_names)
    ConsentFactory(participant=case.participant)
    starts = timezone.now().replace(second=0, microsecond=0)
    objects = {
        "case": case,
        "appointment": AppointmentFactory(case=case, professional=psychologist, starts_at=starts + datetime.timedelta(hours=2)),
        "past_appointment": AppointmentFactory(case=case, professional=psychologist,
                                               starts_at=starts - datetime.timedelta(hours=1)),
        "session": SessionFactory(case=case, professional=psychologist),
        "plan": PlanFactory(case=case, created_by=psychologist),
        "referral": ReferralFactory(case=case, created_by=users[p.SOCIAL_WORKER]),
        "assessment": AssessmentFactory(case=case, professional=psychologist),
        "workshop": make_workshop(actor=users[p.MANAGER], start_date=today()),
        "course": TrainingCourseFactory(),
        "followup": services.phone_followup_open(case=case, reason=PhoneFollowUp.Reason.OTHER, description="Llamar",
                                                 missed_on=today(), actor=users[p.RECEPTIONIST]),
    }
    objects["enrolment"] = workshops.enrolment_create(workshop=objects["workshop"], case=case, actor=users[p.MANAGER])
    objects["course_enrolment"] = courses.enrolment_create(course=objects["course"], case=case,
                                                           actor=users[p.MANAGER], date=today())
    return objects


def _writes(o, users):
    """Every write service of every app on the person's data, as (name, purpose, call)."""
    manager, psychologist = users[p.MANAGER], users[p.PSYCHOLOGIST]
    case, person = o["case"], o["case"].participant
    section = o["plan"].sections.get(area=Area.PSYCHOLOGICAL)
    later = timezone.now() + datetime.timedelta(days=2)
    return [
        ("participant_update", "process", lambda: services.participant_update(participant=person, actor=manager, version=stored_version(person))),
        ("case_update", "process", lambda: services.case_update(case=case, actor=manager, version=stored_version(case))),
        ("case_open", "process", lambda: services.case_open(participant=person, actor=manager, applied_on=today())),
        ("family_member_save", "process", lambda: services.family_member_save(
            member=FamilyMember(participant=person, name="Rosa", relationship="mother"), actor=manager)),
        ("document_receive", "process", lambda: services.document_receive(document=ReceivedDocument(
            participant=person, document_type="id_card", received_on=today()), actor=manager)),
        ("phone_followup_open", "process", lambda: services.phone_followup_open(
            case=case, reason=PhoneFollowUp.Reason.OTHER, description="x", missed_on=today(), actor=manager)),
        ("phone_call_log", "process", lambda: services.phone_call_log(followup=o["followup"], actor=manager,
                                                                       outcome="no_answer")),
        ("exit", "wind_down", lambda: services.case_transition(case=case, to_status=CaseStatus.EXITED, actor=manager,
                                                               date=today(), exit_type="dropout")),
        ("appointment_create", "process", lambda: agenda.appointment_create(
            case=case, professional=psychologist, area=Area.PSYCHOLOGICAL, starts_at=later, actor=manager)),
        ("appointment_reschedule", "process", lambda: agenda.appointment_reschedule(
            appointment=o["appointment"], starts_at=later, reason="x", actor=manager)),
        ("appointment_check_in", "process", lambda: agenda.appointment_check_in(appointment=o["appointment"],
                                                                                actor=manager)),
        ("appointment_mark_no_show", "process", lambda: agenda.appointment_mark_no_show(
            appointment=o["past_appointment"], actor=manager)),
        ("appointment_cancel", "wind_down", lambda: agenda.appointment_cancel(appointment=o["appointment"],
                                                                              reason="x", actor=manager)),
        ("session_create", "process", lambda: sessions.session_create(case=case, actor=psychologist, data={
            "starts_at": timezone.now(), "professional": psychologist, "area": Area.PSYCHOLOGICAL})),
        ("session_update", "process", lambda: sessions.session_update(session=o["session"], actor=manager, version=stored_version(o["session"]), data={
            "starts_at": o["session"].starts_at, "professional": psychologist, "area": Area.PSYCHOLOGICAL})),
        ("assessment_create", "process", lambda: assessments.assessment_create(
            case=case, instrument=make_instrument(code="otro"), actor=psychologist, applied_on=today(), answers={})),
        ("assessment_update", "process", lambda: assessments.assessment_update(
            assessment=o["assessment"], actor=psychologist, applied_on=today(), answers={},
            version=stored_version(o["assessment"]))),
        ("plan_section_save", "process", lambda: plans.plan_section_save(
            section=section, actor=psychologist, revision=section.revision, needs_summary="x", objectives=[],
            actions=[])),
        ("plan_review_add", "process", lambda: plans.plan_review_add(section=section, actor=psychologist,
                                                                     reviewed_on=today(), progress="x")),
        ("plan_agree", "process", lambda: plans.plan_agree(plan=o["plan"], actor=psychologist, agreed_on=today(),
                                                                   version=stored_version(o["plan"]))),
        ("referral_create", "process", lambda: referrals.referral_create(
            case=case, institution=InstitutionFactory(), need=Referral.Need.HEALTH, sent_on=today(),
            actor=users[p.SOCIAL_WORKER])),
        ("referral_transition", "process", lambda: referrals.referral_transition(
            referral=o["referral"], to_status=Referral.Status.ACCEPTED, date=today(), actor=users[p.SOCIAL_WORKER])),
        ("referral_update", "process", lambda: referrals.referral_update(
            referral=o["referral"], actor=users[p.SOCIAL_WORKER], outcome="x", next_followup_on=None,
            version=stored_version(o["referral"]))),
        ("workshop_enrolment_create", "process", lambda: workshops.enrolment_create(
            workshop=make_workshop(actor=manager), case=case, actor=manager)),
        ("workshop_enrolment_withdraw", "wind_down", lambda: workshops.enrolment_withdraw(
            enrolment=o["enrolment"], actor=manager, reason="x")),
        ("course_enrolment_create", "process", lambda: courses.enrolment_create(
            course=TrainingCourseFactory(), case=case, actor=manager, date=today())),
        ("course_enrolment_move", "process", lambda: courses.enrolment_move(
            enrolment=o["course_enrolment"], to_status="enrolled", actor=manager, date=today())),
        ("course_enrolment_drop", "wind_down", lambda: courses.enrolment_move(
            enrolment=o["course_enrolment"], to_status="dropped", actor=manager, date=today(), reason="x")),
        # Last: a new consent lifts the withdrawn-consent restriction.
        ("consent_record", "consent", lambda: services.consent_record(consent=Consent(
            participant=person, kind=Consent.Kind.DATA_PROTECTION, version="2", signed_on=today()), actor=manager)),
    ]


def test_every_write_service_refuses_a_blocked_persons_data(role_users):
    o = _case_with_everything(role_users, surname="Bloqueada")
    services.participant_block(participant=o["case"].participant, actor=role_users[p.MANAGER], reason="Solicitud")
    not_refused = []
    for name, _purpose, call in _writes(o, role_users):
        try:
            call()
        except ProcessingRefused as error:
            assert "bloqueados" in str(error)
        else:
            not_refused.append(name)
    assert not_refused == []


def test_a_withdrawn_consent_stops_new_processing_but_not_the_wind_down(role_users):
    o = _case_with_everything(role_users, surname="Retirada")
    person = o["case"].participant
    consent = person.consents.get()
    services.consent_withdraw(consent=consent, actor=role_users[p.PSYCHOLOGIST], date=today(), reason="Lo pidió")
    allowed, not_refused = [], []
    for name, purpose, call in _writes(o, role_users):
        if purpose == "process":
            try:
                call()
            except ProcessingRefused as error:
                assert "retiró su consentimiento" in str(error)
            else:
                not_refused.append(name)
        else:
            call()  # ending what is under way and recording a new consent stay possible
            allowed.append(name)
    assert not_refused == []
    assert allowed == ["exit", "appointment_cancel", "workshop_enrolment_withdraw", "course_enrolment_drop",
                       "consent_record"]
    services.case_update(case=o["case"], actor=role_users[p.MANAGER], version=stored_version(o["case"]))  # the new consent lifts the restriction


def test_manager_authorisation_lifts_the_withdrawn_consent_restriction_until_revoked(role_users):
    manager = role_users[p.MANAGER]
    case = CaseFactory(status=CaseStatus.INTERVENTION)
    consent = ConsentFactory(participant=case.participant)
    services.consent_withdraw(consent=consent, actor=manager, date=today(), reason="Lo pidió")
    with pytest.raises(ProcessingRefused):
        services.case_update(case=case, actor=manager, version=stored_version(case))
    with pytest.raises(services.DomainError, match="Solo la gestora"):
        services.processing_authorise(participant=case.participant, actor=role_users[p.PSYCHOLOGIST],
                                      basis="legal_obligation", detail="Informe al tribunal")
    with pytest.raises(services.DomainError, match="fundamento"):
        services.processing_authorise(participant=case.participant, actor=manager, basis="legal_obligation", detail=" ")
    services.processing_authorise(participant=case.participant, actor=manager, basis="legal_obligation",
                                  detail="Informe mensual al tribunal (Ley 18.216)")
    services.case_update(case=case, actor=manager, version=stored_version(case))  # allowed now
    services.processing_revoke(participant=case.participant, actor=manager, reason="Terminó la obligación")
    with pytest.raises(ProcessingRefused):
        services.case_update(case=case, actor=manager, version=stored_version(case))
    reasons = list(case.participant.history.order_by("history_date").values_list("history_change_reason", flat=True))
    assert any((r or "").startswith("Tratamiento autorizado sin consentimiento") for r in reasons)
    assert reasons[-1] == "Autorización de tratamiento revocada: Terminó la obligación"


def _hidden_pages(o):
    """Lists and searches that must not show a blocked person to a non-manager."""
    person = o["case"].participant
    return [
        (NON_MANAGERS, reverse("participants:participant_list")),
        (NON_MANAGERS, reverse("participants:participant_list") + f"?q={person.paternal_surname}"),
        (NON_MANAGERS, reverse("participants:participant_list") + "?q=" + person.rut),
        ([p.PSYCHOLOGIST], reverse("role_home", args=[p.PSYCHOLOGIST])),
        ([p.RECEPTIONIST], reverse("role_home", args=[p.RECEPTIONIST])),
        ([p.RECEPTIONIST, p.PSYCHOLOGIST], reverse("interventions:reception")),
        ([p.RECEPTIONIST, p.PSYCHOLOGIST], reverse("interventions:agenda_day")
         + f"?profesional={o['appointment'].professional_id}"),
        ([p.RECEPTIONIST], reverse("interventions:phonefollowup_list")),
        ([p.PSYCHOLOGIST], reverse("interventions:session_list")),
        ([p.SOCIAL_WORKER], reverse("interventions:referral_list") + "?status=all"),
        ([p.PSYCHOLOGIST, p.OCCUPATIONAL_THERAPIST], reverse("workshops:workshop_detail", args=[o["workshop"].pk])),
        ([p.OCCUPATIONAL_THERAPIST], reverse("workshops:course_detail", args=[o["course"].pk])),
        ([p.OCCUPATIONAL_THERAPIST], reverse("workshops:enrolment_list") + "?status=applied"),
        ([p.SOCIAL_WORKER], reverse("institution_detail", args=[o["referral"].institution_id])),
    ]


def test_a_blocked_person_is_in_no_non_managers_list_or_search(client, role_users):
    # Found by surname or RUT; the given name (never in a query) tells whether the row is shown.
    o = _case_with_everything(role_users, surname="Zapallar", given_names="Eustaquia")
    visible = _case_with_everything(role_users, surname="Quintero")
    person = o["case"].participant
    pages = _hidden_pages(o)
    for roles, url in pages:  # before blocking, the person is listed: the check below can fail
        client.force_login(role_users[roles[0]], backend="django.contrib.auth.backends.ModelBackend")
        assert "Zapallar" in client.get(url, follow=True).content.decode(), url
    services.participant_block(participant=person, actor=role_users[p.MANAGER], reason="Solicitud N.º 4")
    for roles, url in pages:
        for role in roles:
            client.force_login(role_users[role], backend="django.contrib.auth.backends.ModelBackend")
            response = client.get(url, follow=True)
            assert "Eustaquia" not in response.content.decode(), (role, url)
    client.force_login(role_users[p.PSYCHOLOGIST], backend="django.contrib.auth.backends.ModelBackend")
    assert "Quintero" in client.get(reverse("participants:participant_list")).content.decode()
    for role in NON_MANAGERS:
        client.force_login(role_users[role], backend="django.contrib.auth.backends.ModelBackend")
        assert client.get(reverse("participants:participant_detail", args=[person.pk])).status_code == 404
        assert client.get(reverse("participants:participant_history", args=[person.pk])).status_code == 404
    assert visible["case"].participant.pk != person.pk


def test_the_manager_sees_a_blocked_person_with_badge_reason_and_dates(client_for, manager):
    case = CaseFactory(status=CaseStatus.FOLLOWUP, participant__paternal_surname="Zapallar")
    services.participant_block(participant=case.participant, actor=manager, reason="Reclamo en curso", on=today())
    client = client_for(manager)
    since = today().strftime("%d-%m-%Y")
    listing = client.get(reverse("participants:participant_list")).content.decode()
    assert "Zapallar" in listing and f"Bloqueado desde {since}" in listing and "Reclamo en curso" in listing
    detail = client.get(reverse("participants:participant_detail", args=[case.participant.pk])).content.decode()
    assert f"Bloqueado desde {since}" in detail and "Reclamo en curso" in detail
    assert "Levantar el bloqueo" in detail


def test_blocked_and_withdrawn_people_are_left_out_of_the_attendance_sheet(role_users):
    from workshops.selectors.workshops import attendance_sheet

    manager = role_users[p.MANAGER]
    workshop = make_workshop(actor=manager, start_date=today())
    kept = workshops.enrolment_create(workshop=workshop, case=CaseFactory(status=CaseStatus.INTERVENTION), actor=manager)
    blocked = workshops.enrolment_create(workshop=workshop, case=CaseFactory(status=CaseStatus.INTERVENTION),
                                         actor=manager)
    withdrawn_case = CaseFactory(status=CaseStatus.INTERVENTION)
    withdrawn = workshops.enrolment_create(workshop=workshop, case=withdrawn_case, actor=manager)
    services.participant_block(participant=blocked.case.participant, actor=manager, reason="Solicitud")
    consent = ConsentFactory(participant=withdrawn_case.participant)
    services.consent_withdraw(consent=consent, actor=manager, date=today(), reason="Lo pidió")
    session = workshop.sessions.order_by("number").first()
    sheet = attendance_sheet(session_pk=session.pk)
    assert [row.pk for row in sheet.rows] == [kept.pk]
    assert sheet.left_out == 2
    # The sheet without them saves; a mark for them is refused by name.
    workshops.attendance_record(session=session, marks={kept.pk: "present"}, actor=manager)
    with pytest.raises(services.DomainError, match="retiró su consentimiento"):
        workshops.attendance_record(session=session, marks={kept.pk: "present", withdrawn.pk: "absent"},
                                    actor=manager)


def test_pdfs_of_a_person_whose_consent_was_withdrawn_are_refused(client_for, manager):
    o_case = CaseFactory(status=CaseStatus.INTERVENTION)
    plan = PlanFactory(case=o_case, created_by=manager)
    consent = ConsentFactory(participant=o_case.participant)
    services.consent_withdraw(consent=consent, actor=manager, date=today(), reason="Lo pidió")
    client = client_for(manager)
    for url in [reverse("interventions:plan_pdf", args=[plan.pk]),
                reverse("interventions:diagnosis_pdf", args=[o_case.pk]),
                reverse("interventions:socio_family_pdf", args=[o_case.pk])]:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "retiró su consentimiento" in response.content.decode()
    assert client.get(reverse("participants:participant_detail", args=[o_case.participant_id])).status_code == 200


def test_desk_actions_on_a_withdrawn_persons_appointment_are_refused_with_a_message(client_for, role_users):
    appointment = AppointmentFactory(professional=role_users[p.PSYCHOLOGIST],
                                     starts_at=timezone.now() + datetime.timedelta(minutes=30))
    consent = ConsentFactory(participant=appointment.case.participant)
    services.consent_withdraw(consent=consent, actor=role_users[p.MANAGER], date=today(), reason="Lo pidió")
    client = client_for(role_users[p.RECEPTIONIST])
    url = reverse("interventions:appointment_check_in", args=[appointment.pk])
    response = client.post(url, {"version": appointment.version}, HTTP_ACCEPT="application/json")
    assert response.status_code == 409 and "retiró su consentimiento" in response.json()["message"]
    response = client.post(url, {"version": appointment.version}, follow=True)
    assert response.status_code == 200 and "retiró su consentimiento" in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == "scheduled"


def test_new_session_and_referral_forms_of_a_withdrawn_person_answer_with_the_refusal_page(client_for, role_users):
    """The form would only lead to a refused save: the GET says why instead."""
    case = CaseFactory(status=CaseStatus.INTERVENTION, psychologist=role_users[p.PSYCHOLOGIST])
    consent = ConsentFactory(participant=case.participant)
    services.consent_withdraw(consent=consent, actor=role_users[p.MANAGER], date=today(), reason="Lo pidió")
    for role, url in [(p.PSYCHOLOGIST, reverse("interventions:session_create", args=[case.pk])),
                      (p.SOCIAL_WORKER, reverse("interventions:referral_create", args=[case.pk]))]:
        response = client_for(role_users[role]).get(url)
        assert response.status_code == 403, url
        assert "retiró su consentimiento" in response.content.decode()
