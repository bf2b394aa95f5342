import datetime

import pytest
from django.urls import reverse

from conecta import permissions as p
from conecta.models import AccessLog
from participants.models import CaseStatus, PhoneFollowUp
from participants.services import DomainError
from participants.tests.factories import CaseFactory
from workshops.models import Workshop, WorkshopAttendance, WorkshopEnrolment, WorkshopType, required_present
from workshops.selectors import workshops as selectors
from workshops.services import workshops as services
from workshops.tests.factories import (
    WorkshopTypeFactory, enrol, finished_workshop_with_certificate, make_workshop, mark_all,
)

pytestmark = pytest.mark.django_db

PRESENT, ABSENT, JUSTIFIED = "present", "absent", "justified"


def past_workshop(actor, sessions=4, weeks_ago=6):
    start = datetime.date.today() - datetime.timedelta(weeks=weeks_ago)
    return make_workshop(actor=actor, sessions=sessions, start_date=start)


# --- types ------------------------------------------------------------------

def test_seeded_types_match_the_program():
    types = {t.name: t for t in WorkshopType.objects.all()}
    assert types["Habilidades transversales"].session_count == 7
    assert len(types["Habilidades transversales"].session_topics) == 7
    assert types["Apresto laboral y seguridad social"].session_count == 2
    assert types["Emprendimiento"].session_count == 2
    assert "Canvas" in " ".join(types["Emprendimiento"].session_topics)
    assert types["Redes locales y beneficios"].area == "social"
    assert all(t.completion_share == 75 for t in types.values())


def test_required_present_rounds_up():
    assert required_present(7, 75) == 6
    assert required_present(2, 75) == 2
    assert required_present(4, 75) == 3
    assert required_present(4, 1) == 1
    assert required_present(0, 75) == 0


def test_type_with_more_topics_than_sessions_is_refused(manager):
    workshop_type = WorkshopType(name="X", area="social", session_count=1, session_topics=["a", "b"])
    with pytest.raises(DomainError):
        services.workshop_type_save(workshop_type=workshop_type, actor=manager)


def test_manager_edits_a_type_through_the_form(client_for, manager):
    client = client_for(manager)
    response = client.post(reverse("workshops:workshoptype_create"), {
        "name": "Alfabetización digital", "area": "occupational", "session_count": "3",
        "hours_per_session": "1.5", "completion_share": "70", "topics": "Correo\nCV en línea\n\nPortales de empleo",
        "active": "on",
    })
    assert response.status_code == 302
    created = WorkshopType.objects.get(name="Alfabetización digital")
    assert created.session_topics == ["Correo", "CV en línea", "Portales de empleo"]
    assert created.history.first().history_change_reason == "Tipo de taller creado"
    # More topics than sessions: error next to the field, input kept.
    response = client.post(reverse("workshops:workshoptype_update", args=[created.pk]), {
        "name": "Alfabetización digital", "area": "occupational", "session_count": "1",
        "hours_per_session": "1.5", "completion_share": "70", "topics": "Uno\nDos",
    })
    assert response.status_code == 200
    assert "Hay 2 temas para 1 sesiones" in response.content.decode()
    assert "Uno\nDos" in response.content.decode()


# --- runs and sessions ---------------------------------------------------------

def test_create_generates_weekly_sessions_with_the_type_topics(psychologist):
    workshop_type = WorkshopType.objects.get(name="Habilidades transversales")
    monday = datetime.date(2026, 11, 2)
    workshop = services.workshop_create(
        workshop_type=workshop_type, facilitators=[psychologist], place="Sala 1", capacity=15,
        start_date=monday, weekday=Workshop.Weekday.WEDNESDAY, start_time=datetime.time(15, 30), actor=psychologist,
    )
    sessions = list(workshop.sessions.order_by("number"))
    assert [s.number for s in sessions] == [1, 2, 3, 4, 5, 6, 7]
    assert sessions[0].date == datetime.date(2026, 11, 4)
    assert sessions[6].date == datetime.date(2026, 12, 16)
    assert sessions[0].topic == workshop_type.session_topics[0]
    assert workshop.completion_share == 75 and workshop.hours_per_session == workshop_type.hours_per_session
    assert workshop.history.first().history_user == psychologist


def test_inactive_type_and_no_facilitator_are_refused(psychologist):
    workshop_type = WorkshopTypeFactory(active=False)
    with pytest.raises(DomainError):
        make_workshop(actor=psychologist, workshop_type=workshop_type)
    with pytest.raises(DomainError):
        services.workshop_create(workshop_type=WorkshopTypeFactory(), facilitators=[], place="x", capacity=2,
                                 start_date=datetime.date.today(), weekday=0, start_time=datetime.time(9),
                                 actor=psychologist)


def test_create_view_with_bad_input_keeps_values(client_for, psychologist):
    client = client_for(psychologist)
    response = client.post(reverse("workshops:workshop_create"), {"place": "Sede vecinal", "capacity": "abc",
                                                                 "weekday": "9", "start_date": "31-02-2026"})
    assert response.status_code == 200
    assert 'value="Sede vecinal"' in response.content.decode()
    assert not Workshop.objects.exists()


# --- enrolment ----------------------------------------------------------------

def test_only_cases_in_intervention_are_enrolled(psychologist):
    workshop = make_workshop(actor=psychologist)
    with pytest.raises(DomainError, match="intervención"):
        enrol(workshop, actor=psychologist, case=CaseFactory(status=CaseStatus.DIAGNOSIS))


def test_enrolling_twice_is_refused_and_withdrawal_allows_coming_back(psychologist):
    workshop = make_workshop(actor=psychologist)
    enrolment = enrol(workshop, actor=psychologist)
    with pytest.raises(DomainError, match="ya está inscrito"):
        enrol(workshop, actor=psychologist, case=enrolment.case)
    services.enrolment_withdraw(enrolment=enrolment, actor=psychologist, reason="Consiguió trabajo en horario")
    enrolment.refresh_from_db()
    assert enrolment.status == WorkshopEnrolment.Status.WITHDRAWN
    again = enrol(workshop, actor=psychologist, case=enrolment.case)
    assert again.pk == enrolment.pk and again.is_active


def test_capacity_is_respected(psychologist):
    workshop = make_workshop(actor=psychologist, capacity=1)
    enrol(workshop, actor=psychologist)
    with pytest.raises(DomainError, match="cupos"):
        enrol(workshop, actor=psychologist)


def test_withdraw_needs_a_reason(psychologist):
    enrolment = enrol(make_workshop(actor=psychologist), actor=psychologist)
    with pytest.raises(DomainError):
        services.enrolment_withdraw(enrolment=enrolment, actor=psychologist, reason="  ")


def test_enrol_view_shows_the_refusal_next_to_the_field(client_for, psychologist):
    workshop = make_workshop(actor=psychologist, capacity=1)
    enrol(workshop, actor=psychologist)
    case = CaseFactory(status=CaseStatus.INTERVENTION)
    response = client_for(psychologist).post(reverse("workshops:workshop_enrol", args=[workshop.pk]),
                                             {"cases": [case.pk], "date": workshop.start_date.isoformat()})
    assert response.status_code == 200
    assert "Quedan 0 cupos y seleccionó 1 personas" in response.content.decode()
    response = client_for(psychologist).post(reverse("workshops:workshop_enrol", args=[workshop.pk]),
                                             {"cases": "no-es-un-numero"})
    assert response.status_code == 200


# --- attendance -----------------------------------------------------------------

def test_absence_opens_a_phone_followup_and_correction_cancels_it(psychologist, receptionist):
    workshop = past_workshop(psychologist)
    a = enrol(workshop, actor=psychologist)
    b = enrol(workshop, actor=psychologist)
    session = workshop.sessions.get(number=1)
    services.attendance_record(session=session, marks={a.pk: PRESENT, b.pk: ABSENT}, actor=receptionist)
    followup = PhoneFollowUp.objects.get(case=b.case)
    assert followup.reason == PhoneFollowUp.Reason.WORKSHOP_ABSENCE
    assert followup.status == PhoneFollowUp.Status.OPEN
    assert followup.missed_on == session.date
    assert followup.description == f"Taller {workshop.workshop_type.name}, sesión 1 ({session.date:%d-%m-%Y})"
    assert not PhoneFollowUp.objects.filter(case=a.case).exists()
    workshop.refresh_from_db()
    assert workshop.status == Workshop.Status.RUNNING

    services.attendance_record(session=session, marks={a.pk: PRESENT, b.pk: PRESENT}, actor=receptionist)
    followup.refresh_from_db()
    assert followup.status == PhoneFollowUp.Status.CANCELLED
    row = WorkshopAttendance.objects.get(session=session, enrolment=b)
    assert row.status == PRESENT
    assert [h.history_change_reason for h in row.history.order_by("history_date")] == [
        "Asistencia registrada", "Asistencia corregida"]


def test_justified_absence_opens_no_call(psychologist):
    workshop = past_workshop(psychologist)
    a = enrol(workshop, actor=psychologist)
    services.attendance_record(session=workshop.sessions.get(number=1), marks={a.pk: JUSTIFIED}, actor=psychologist)
    assert not PhoneFollowUp.objects.exists()


def test_missing_marks_and_future_sessions_are_refused_without_saving(psychologist):
    workshop = past_workshop(psychologist, weeks_ago=1, sessions=4)
    a = enrol(workshop, actor=psychologist)
    b = enrol(workshop, actor=psychologist)
    with pytest.raises(DomainError, match="Falta marcar"):
        services.attendance_record(session=workshop.sessions.get(number=1), marks={a.pk: PRESENT}, actor=psychologist)
    assert not WorkshopAttendance.objects.exists()
    future = workshop.sessions.get(number=4)
    with pytest.raises(DomainError):
        services.attendance_record(session=future, marks={a.pk: PRESENT, b.pk: PRESENT}, actor=psychologist)
    assert not WorkshopAttendance.objects.exists()


def test_attendance_screen_keeps_marks_when_someone_is_missing(client_for, psychologist, receptionist):
    workshop = make_workshop(actor=psychologist)
    a = enrol(workshop, actor=psychologist)
    b = enrol(workshop, actor=psychologist)
    session = workshop.sessions.get(number=1)
    url = reverse("workshops:workshop_attendance", args=[session.pk])
    client = client_for(receptionist)
    response = client.post(url, {f"e{a.pk}": ABSENT})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Marque la asistencia de esta persona." in html
    assert f'id="id_e{a.pk}_1" value="absent" autocomplete="off" checked' in html
    assert not WorkshopAttendance.objects.exists()
    # Nonsense values are a form error, never a 500.
    response = client.post(url, {f"e{a.pk}": "quizas", f"e{b.pk}": PRESENT, "e999": PRESENT})
    assert response.status_code == 200
    assert not WorkshopAttendance.objects.exists()

    response = client.post(url, {f"e{a.pk}": ABSENT, f"e{b.pk}": PRESENT})
    assert response.status_code == 302
    assert response["Location"] == reverse("role_home", args=[p.RECEPTIONIST])
    assert dict(WorkshopAttendance.objects.values_list("enrolment_id", "status")) == {a.pk: ABSENT, b.pk: PRESENT}


def test_receptionist_sees_names_and_attendance_but_no_case_data(client_for, psychologist, receptionist):
    workshop = make_workshop(actor=psychologist)
    case = CaseFactory(status=CaseStatus.INTERVENTION, offences="Texto judicial reservado")
    enrol(workshop, actor=psychologist, case=case)
    client = client_for(receptionist)
    for url in [reverse("workshops:workshop_attendance", args=[workshop.sessions.get(number=1).pk]),
                reverse("workshops:workshop_detail", args=[workshop.pk])]:
        html = client.get(url).content.decode()
        assert case.participant.full_name in html
        assert "Texto judicial reservado" not in html
        assert "Inscribir personas" not in html and "Retirar" not in html


# --- completion and certificates -----------------------------------------------------

def test_completion_counts_present_only(psychologist):
    workshop = past_workshop(psychologist, sessions=4)
    present_three = enrol(workshop, actor=psychologist)
    justified_counts_not = enrol(workshop, actor=psychologist)
    sessions = list(workshop.sessions.order_by("number"))
    for index, session in enumerate(sessions):
        services.attendance_record(session=session, marks={
            present_three.pk: PRESENT if index < 3 else ABSENT,
            justified_counts_not.pk: PRESENT if index < 2 else JUSTIFIED,
        }, actor=psychologist)
    services.workshop_set_status(workshop=workshop, status=Workshop.Status.FINISHED, actor=psychologist)
    detail = selectors.workshop_detail(pk=workshop.pk, viewer=None)
    assert detail.required_present == 3
    by_pk = {e.pk: e for e in detail.enrolment_list}
    assert by_pk[present_three.pk].completed
    assert not by_pk[justified_counts_not.pk].completed
    assert by_pk[present_three.pk].attendance_rate == 75
    assert detail.attendance_rate == round(100 * 5 / 8)
    with pytest.raises(DomainError, match="no aprueba"):
        services.certificate_issue(enrolment=justified_counts_not, actor=psychologist)
    issued = services.certificate_issue(enrolment=present_three, actor=psychologist)
    assert len(issued.certificate_code) == 10
    assert services.certificate_issue(enrolment=present_three, actor=psychologist).certificate_code == \
        issued.certificate_code


def test_certificate_needs_a_finished_workshop(psychologist):
    workshop = past_workshop(psychologist, sessions=2)
    enrolment = enrol(workshop, actor=psychologist)
    for session in workshop.sessions.all():
        mark_all(session, PRESENT, actor=psychologist)
    with pytest.raises(DomainError, match="finalizado"):
        services.certificate_issue(enrolment=enrolment, actor=psychologist)


def test_workshop_cannot_finish_with_sessions_without_attendance(psychologist):
    workshop = past_workshop(psychologist, sessions=2)
    enrol(workshop, actor=psychologist)
    mark_all(workshop.sessions.get(number=1), PRESENT, actor=psychologist)
    with pytest.raises(DomainError, match="Falta registrar"):
        services.workshop_set_status(workshop=workshop, status=Workshop.Status.FINISHED, actor=psychologist)


def test_certificate_pdf_and_verification(client_for, psychologist, manager, receptionist):
    _workshop, certified, _failed = finished_workshop_with_certificate(actor=psychologist)
    client = client_for(manager)
    response = client.get(reverse("workshops:workshop_certificate", args=[certified.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AccessLog.objects.with_section(p.SECTION_WORKSHOPS).filter(
        user=manager, subject_id=certified.case.participant_id).exists()

    client = client_for(receptionist)
    url = reverse("workshops:workshop_certificate_verify")
    html = client.get(url, {"codigo": certified.certificate_code.lower()}).content.decode()
    assert "Certificado válido" in html and certified.case.participant.full_name in html
    html = client.get(url, {"codigo": "NOEXISTE99"}).content.decode()
    assert "No existe un certificado con ese código" in html
    assert client.get(url, {"codigo": "x" * 500}).status_code == 200


def test_attendance_sheet_pdf(client_for, psychologist, receptionist):
    workshop = make_workshop(actor=psychologist)
    enrol(workshop, actor=psychologist)
    response = client_for(receptionist).get(
        reverse("workshops:workshop_attendance_sheet", args=[workshop.sessions.get(number=1).pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


# --- case file, homes, lists -------------------------------------------------------------

def test_case_file_tab_shows_progress(client_for, psychologist, receptionist):
    workshop_type = WorkshopType.objects.get(name="Habilidades transversales")
    workshop = make_workshop(actor=psychologist, workshop_type=workshop_type,
                             start_date=datetime.date.today() - datetime.timedelta(weeks=5))
    enrolment = enrol(workshop, actor=psychologist)
    for session in workshop.sessions.order_by("number")[:5]:
        mark_all(session, PRESENT, actor=psychologist)
    url = reverse("participants:participant_detail", args=[enrolment.case.participant_id])
    for user in (psychologist, receptionist):
        html = client_for(user).get(url).content.decode()
        assert "Habilidades transversales 5/7" in html


def test_receptionist_home_lists_today_sessions(client_for, psychologist, receptionist):
    workshop = make_workshop(actor=psychologist)  # first session today
    enrol(workshop, actor=psychologist)
    html = client_for(receptionist).get(reverse("role_home", args=[p.RECEPTIONIST])).content.decode()
    assert "Talleres de hoy" in html
    assert reverse("workshops:workshop_attendance", args=[workshop.sessions.get(number=1).pk]) in html


def test_facilitator_home_shows_rates(client_for, psychologist):
    workshop = past_workshop(psychologist, sessions=4, weeks_ago=1)
    a = enrol(workshop, actor=psychologist)
    b = enrol(workshop, actor=psychologist)
    services.attendance_record(session=workshop.sessions.get(number=1), marks={a.pk: PRESENT, b.pk: ABSENT},
                               actor=psychologist)
    html = client_for(psychologist).get(reverse("role_home", args=[p.PSYCHOLOGIST])).content.decode()
    assert "Mis talleres" in html and "50 %" in html


def test_list_filters_and_weird_params(client_for, psychologist):
    make_workshop(actor=psychologist)
    client = client_for(psychologist)
    assert client.get(reverse("workshops:workshop_list"), {"status": "zzz", "workshop_type": "abc",
                                                           "page": "-4"}).status_code == 200
    response = client.get(reverse("workshops:workshop_list"), {"mine": "on", "status": "planned"})
    assert len(response.context["page"].object_list) == 1
    response = client.get(reverse("workshops:workshop_list"), {"status": "finished"})
    assert len(response.context["page"].object_list) == 0


def test_status_view_refuses_illegal_moves_with_a_message(client_for, psychologist):
    workshop = make_workshop(actor=psychologist)
    client = client_for(psychologist)
    response = client.post(reverse("workshops:workshop_status", args=[workshop.pk]),
                           {"status": "finished", "version": workshop.version}, follow=True)
    assert "no puede pasar" in response.content.decode()
    response = client.post(reverse("workshops:workshop_status", args=[workshop.pk]), {"status": "nada"})
    assert response.status_code == 302
    workshop.refresh_from_db()
    assert workshop.status == Workshop.Status.PLANNED


def test_a_change_of_facilitators_is_kept_in_history(role_users):
    psychologist, social_worker = role_users[p.PSYCHOLOGIST], role_users[p.SOCIAL_WORKER]
    workshop = make_workshop(actor=psychologist, facilitators=[psychologist])
    services.workshop_update(workshop=workshop, version=workshop.version, facilitators=[psychologist, social_worker], actor=social_worker)
    latest = workshop.history.order_by("-history_date", "-history_id").first()
    assert latest.history_user == social_worker
    assert {row.user_id for row in latest.facilitators.all()} == {psychologist.pk, social_worker.pk}
    first = workshop.history.order_by("history_date", "history_id").first()
    assert {row.user_id for row in first.facilitators.all()} <= {psychologist.pk}


def test_outcomes_are_decided_once_for_the_grid_and_the_case_file(role_users):
    workshop, passed, failed = finished_workshop_with_certificate(actor=role_users[p.PSYCHOLOGIST])
    grid = {e.pk: e.outcome for e in selectors.workshop_detail(pk=workshop.pk, viewer=None).enrolment_list}
    assert grid == {passed.pk: "certified", failed.pk: "not_completed"}
    tab = {e.pk: e.outcome for e in selectors.case_workshops(cases=[passed.case, failed.case])}
    assert tab == grid
