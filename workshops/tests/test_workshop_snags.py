"""Workshop snags of issue 9: dates within the run (point 1), the signature sheet's numbering
(point 8), enrolling from the case file and several people at once (point 12)."""

import datetime
import re
import subprocess

import pytest
from django.urls import reverse

from conecta import permissions as p
from participants.models import CaseStatus
from participants.services import DomainError
from participants.tests.factories import CaseFactory, ParticipantFactory
from workshops.models import CourseEnrolment, WorkshopAttendance, WorkshopEnrolment
from workshops.selectors.workshops import attendance_sheet
from workshops.services import workshops as services
from workshops.tests.factories import enrol, make_workshop
from workshops.tests.factories_courses import TrainingCourseFactory

pytestmark = pytest.mark.django_db


def days(n):
    return datetime.date.today() + datetime.timedelta(days=n)


@pytest.fixture
def psychologist(role_users):
    return role_users[p.PSYCHOLOGIST]


# --- Point 1: nothing dated outside the run ---------------------------------------------

def test_no_enrolment_in_the_future_nor_after_the_last_session(psychologist):
    workshop = make_workshop(actor=psychologist, sessions=2, start_date=days(-21))  # sessions at -21 and -14
    case = CaseFactory(status=CaseStatus.INTERVENTION)
    with pytest.raises(DomainError, match="no puede estar en el futuro") as refused:
        services.enrolment_create(workshop=workshop, case=case, actor=psychologist, date=days(1))
    assert refused.value.field == "date"
    with pytest.raises(DomainError, match=r"La última sesión del taller fue el .*: no se inscribe a nadie después"):
        services.enrolment_create(workshop=workshop, case=case, actor=psychologist, date=days(-13))
    assert services.enrolment_create(workshop=workshop, case=case, actor=psychologist,
                                     date=days(-14)).enrolled_on == days(-14)


def test_no_attendance_for_a_session_before_the_enrolment(psychologist):
    workshop = make_workshop(actor=psychologist, sessions=3, start_date=days(-14))  # -14, -7, 0
    early = enrol(workshop, actor=psychologist, date=days(-14))
    late = enrol(workshop, actor=psychologist, date=days(-7))
    first = workshop.sessions.get(number=1)
    sheet = attendance_sheet(session_pk=first.pk)
    assert [row.pk for row in sheet.rows] == [early.pk]
    with pytest.raises(DomainError, match=r"se inscribió el .*: no estaba en la sesión del"):
        services.attendance_record(session=first, marks={early.pk: "present", late.pk: "present"}, actor=psychologist)
    assert not WorkshopAttendance.objects.exists()
    # The person enrolled later is not asked for on the first session.
    services.attendance_record(session=first, marks={early.pk: "present"}, actor=psychologist)
    second = workshop.sessions.get(number=2)
    assert {row.pk for row in attendance_sheet(session_pk=second.pk).rows} == {early.pk, late.pk}


def test_withdrawal_and_certificate_dated_within_the_run(psychologist):
    workshop = make_workshop(actor=psychologist, sessions=1, start_date=days(-7))
    enrolment = enrol(workshop, actor=psychologist, date=days(-7))
    with pytest.raises(DomainError, match="el retiro no puede ser anterior"):
        services.enrolment_withdraw(enrolment=enrolment, actor=psychologist, reason="Trabajo", date=days(-8))
    with pytest.raises(DomainError, match="futuro"):
        services.enrolment_withdraw(enrolment=enrolment, actor=psychologist, reason="Trabajo", date=days(1))
    services.attendance_record(session=workshop.sessions.get(), marks={enrolment.pk: "present"}, actor=psychologist)
    services.workshop_set_status(workshop=workshop, status="finished", actor=psychologist)
    with pytest.raises(DomainError, match="el certificado no puede ser anterior"):
        services.certificate_issue(enrolment=enrolment, actor=psychologist, date=days(-8))
    assert services.certificate_issue(enrolment=enrolment, actor=psychologist, date=days(-7)).certificate_code


def test_withdraw_page_takes_a_date_and_refuses_one_before_the_enrolment(client_for, psychologist):
    workshop = make_workshop(actor=psychologist, sessions=2)
    enrolment = enrol(workshop, actor=psychologist)
    url = reverse("workshops:workshop_withdraw", args=[enrolment.pk])
    response = client_for(psychologist).post(url, {"reason": "Trabajo", "date": days(-30).isoformat(),
                                                   "version": enrolment.version})
    assert response.status_code == 200
    assert "el retiro no puede ser anterior" in response.context["form"].errors["date"][0]
    response = client_for(psychologist).post(url, {"reason": "Trabajo", "date": days(0).isoformat(),
                                                   "version": enrolment.version})
    assert response.status_code == 302
    assert WorkshopEnrolment.objects.get(pk=enrolment.pk).withdrawn_on == days(0)


# --- Point 8: the signature sheet numbers only the rows it prints -----------------------------

def _pdf_text(content, tmp_path):
    path = tmp_path / "hoja.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_signature_sheet_numbers_rows_without_gaps(client_for, psychologist, role_users, tmp_path):
    workshop = make_workshop(actor=psychologist, sessions=2, start_date=days(-7))
    surnames = ["Araya", "Bustos", "Cáceres", "Díaz", "Espinoza", "Fuentes", "González", "Henríquez", "Ibáñez"]
    enrolments = [enrol(workshop, actor=psychologist, case=CaseFactory(
        status=CaseStatus.INTERVENTION, participant=ParticipantFactory(
            given_names="Ana", paternal_surname=surname, maternal_surname="Quilapán")))
        for surname in surnames]
    first = workshop.sessions.get(number=1)
    services.attendance_record(session=first, marks={e.pk: "present" for e in enrolments}, actor=psychologist)
    # The eighth person withdraws after the first session: the reprint of that sheet must not skip a number.
    services.enrolment_withdraw(enrolment=enrolments[7], actor=psychologist, reason="Cambio de horario")
    response = client_for(role_users[p.RECEPTIONIST]).get(
        reverse("workshops:workshop_attendance_sheet", args=[first.pk]))
    assert response.status_code == 200
    text = _pdf_text(response.content, tmp_path)
    # (A surname the generated staff names never have: the facilitator is printed too.)
    rows = [line for line in text.splitlines() if "Quilapán" in line]
    numbers = [int(re.match(r"\s*(\d+)\s", line).group(1)) for line in rows]
    assert numbers == list(range(1, 9))
    assert "Henríquez" not in text and len(rows) == 8


# --- Point 12: from the case file, several at once --------------------------------------------

def test_case_file_offers_enrolment_with_the_case_chosen(client_for, psychologist, role_users):
    workshop = make_workshop(actor=psychologist, sessions=3)
    full = make_workshop(actor=psychologist, sessions=3, capacity=1)
    enrol(full, actor=psychologist)
    case = CaseFactory(status=CaseStatus.INTERVENTION)
    client = client_for(psychologist)
    detail = client.get(reverse("participants:participant_detail", args=[case.participant_id])).content.decode()
    url = reverse("workshops:workshop_enrol_case", args=[case.pk])
    assert f'href="{url}"' in detail
    page = client.get(url)
    assert page.status_code == 200 and case.participant.full_name in page.content.decode()
    response = client.post(url, {"workshop": full.pk, "date": days(0).isoformat()})
    assert response.status_code == 200 and "no tiene cupos" in response.context["form"].errors["workshop"][0]
    response = client.post(url, {"workshop": workshop.pk, "date": days(0).isoformat()})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("participants:participant_detail", args=[case.participant_id]))
    assert WorkshopEnrolment.objects.filter(workshop=workshop, case=case, enrolled_on=days(0)).exists()
    # Once enrolled, that workshop is no longer offered.
    assert workshop not in client.get(url).context["form"].fields["workshop"].queryset


def test_case_file_offers_a_course_with_the_case_chosen(client_for, role_users):
    therapist = role_users[p.OCCUPATIONAL_THERAPIST]
    course = TrainingCourseFactory(created_by=therapist, start_date=days(10), end_date=days(40))
    ended = TrainingCourseFactory(created_by=therapist, start_date=days(-40), end_date=days(-10))
    case = CaseFactory(status=CaseStatus.INTERVENTION)
    client = client_for(therapist)
    detail = client.get(reverse("participants:participant_detail", args=[case.participant_id])).content.decode()
    url = reverse("workshops:course_enrol_case", args=[case.pk])
    assert f'href="{url}"' in detail
    offered = client.get(url).context["form"].fields["course"].queryset
    assert course in offered and ended not in offered
    response = client.post(url, {"course": course.pk, "date": days(0).isoformat(), "note": "Desde la ficha"})
    assert response.status_code == 302
    assert CourseEnrolment.objects.get(case=case).course == course


def test_several_people_enrol_in_a_workshop_at_once(client_for, psychologist):
    workshop = make_workshop(actor=psychologist, sessions=3, capacity=3)
    already = enrol(workshop, actor=psychologist)
    people = [CaseFactory(status=CaseStatus.INTERVENTION) for _i in range(3)]
    url = reverse("workshops:workshop_enrol", args=[workshop.pk])
    client = client_for(psychologist)
    offered = client.get(url).context["form"].fields["cases"].queryset
    assert already.case not in offered and all(case in offered for case in people)
    # More people than places: refused as a whole, nothing saved, the ticks kept.
    response = client.post(url, {"cases": [c.pk for c in people], "date": days(0).isoformat()})
    assert "Quedan 2 cupos y seleccionó 3 personas" in response.context["form"].errors["cases"][0]
    assert response.context["form"]["cases"].value() == [str(c.pk) for c in people]
    assert WorkshopEnrolment.objects.filter(workshop=workshop).count() == 1
    response = client.post(url, {"cases": [c.pk for c in people[:2]], "date": days(0).isoformat()}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["2 personas inscritas."]
    assert WorkshopEnrolment.objects.filter(workshop=workshop, status="enrolled").count() == 3
    # `?caso=` ticks the person beforehand.
    form = client.get(url, {"caso": people[2].pk}).context["form"]
    assert form["cases"].value() == [people[2].pk]


def test_group_enrolment_reports_who_was_refused_and_why(psychologist):
    workshop = make_workshop(actor=psychologist, sessions=3)
    ok = CaseFactory(status=CaseStatus.INTERVENTION)
    not_yet = CaseFactory(status=CaseStatus.DIAGNOSIS)
    result = services.enrolment_create_many(workshop=workshop, cases=[ok, not_yet], actor=psychologist)
    assert [e.case for e in result.enrolled] == [ok]
    assert result.summary() == (
        f"1 persona inscrita. No se inscribió a: {not_yet.participant.full_name} "
        "(Solo se inscriben casos en intervención (este caso está «En diagnóstico»).).")


def test_several_people_apply_to_a_course_at_once(client_for, role_users):
    therapist = role_users[p.OCCUPATIONAL_THERAPIST]
    course = TrainingCourseFactory(created_by=therapist, start_date=days(10), end_date=days(40))
    people = [CaseFactory(status=CaseStatus.INTERVENTION) for _i in range(3)]
    url = reverse("workshops:enrolment_create", args=[course.pk])
    response = client_for(therapist).post(url, {"cases": [c.pk for c in people], "date": days(0).isoformat()},
                                          follow=True)
    assert [str(m) for m in response.context["messages"]] == ["3 postulaciones registradas."]
    assert CourseEnrolment.objects.filter(course=course, status="applied").count() == 3
