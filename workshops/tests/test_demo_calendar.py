"""Demo group work is believable: no workshop session and no course day on a Sunday, a Chilean
public holiday or a day the program closes (24 and 31 December); and the demo keeps the date
rules of the services (issue 9, point 22)."""

import datetime
import io

import pytest
from django.db.models import F
from django.urls import reverse

from conecta import permissions as p
from conecta.workdays import is_program_day, program_closed_reason
from participants.models import CaseStatus
from participants.services import DomainError
from participants.tests.factories import CaseFactory
from workshops import demo
from workshops.demo.workshops import _off_closed_days
from workshops.models import EnrolmentEvent, TrainingCourse, WorkshopAttendance, WorkshopSession
from workshops.services import workshops as services
from workshops.tests.factories import WorkshopTypeFactory, make_workshop

pytestmark = pytest.mark.django_db
D = datetime.date


def test_program_days_leave_out_sundays_holidays_and_the_closed_days():
    assert is_program_day(D(2026, 12, 5))  # Saturday: workshops may meet
    assert program_closed_reason(D(2026, 12, 6)) == "es domingo"
    assert program_closed_reason(D(2026, 12, 8)).startswith("es feriado")
    assert program_closed_reason(D(2026, 12, 24)) == "el programa no atiende ese día"
    assert not is_program_day(D(2026, 12, 31)) and not is_program_day(D(2027, 1, 1))
    assert is_program_day(D(2026, 12, 9))


def test_seeded_demo_puts_no_session_on_a_day_the_program_does_not_work(role_users):
    for _i in range(30):
        CaseFactory(status=CaseStatus.INTERVENTION, applied_on=datetime.date.today() - datetime.timedelta(days=400))
    for _i in range(6):
        CaseFactory(status=CaseStatus.EXITED, applied_on=datetime.date.today() - datetime.timedelta(days=500))
    demo.seed(users=role_users, seed=2026, stdout=io.StringIO())
    sessions = list(WorkshopSession.objects.select_related("workshop"))
    assert len(sessions) >= 15
    closed = [(s.workshop_id, s.number, s.date, program_closed_reason(s.date)) for s in sessions
              if not is_program_day(s.date)]
    assert closed == []
    courses = list(TrainingCourse.objects.all())
    assert len(courses) == 5
    assert [(c.name, d) for c in courses for d in (c.start_date, c.end_date) if not is_program_day(d)] == []
    # The demo keeps the date rules: no mark before the enrolment, no course step outside its course.
    assert not WorkshopAttendance.objects.filter(enrolment__enrolled_on__gt=F("session__date")).exists()
    for event in EnrolmentEvent.objects.select_related("enrolment__course"):
        course = event.enrolment.course
        if event.status == "in_progress":
            assert course.start_date <= event.date <= course.end_date
        if event.status in ("completed", "certified"):
            assert event.date >= course.end_date


def test_sessions_are_moved_off_holidays_and_the_24th_and_31st():
    # Thursdays from 3 December 2026: the 24th and the 31st are closed, the 25th and 1 January holidays.
    workshop = make_workshop(sessions=5, start_date=D(2026, 12, 3), weekday=3)
    assert [s.date for s in workshop.sessions.order_by("number")][3:] == [D(2026, 12, 24), D(2026, 12, 31)]
    assert [s.number for s, _why in services.sessions_on_closed_days(workshop)] == [4, 5]
    _off_closed_days(workshop, actor=workshop.created_by)
    dates = [s.date for s in workshop.sessions.order_by("number")]
    assert dates == [D(2026, 12, 3), D(2026, 12, 10), D(2026, 12, 17), D(2026, 12, 26), D(2027, 1, 2)]


def test_a_session_cannot_be_moved_onto_a_holiday(client_for, role_users):
    psychologist = role_users[p.PSYCHOLOGIST]
    workshop = make_workshop(actor=psychologist, sessions=2, start_date=D(2026, 12, 1), weekday=1)
    session = workshop.sessions.get(number=2)
    session.date = D(2026, 12, 8)
    with pytest.raises(DomainError, match=r"El 08-12-2026 es feriado .*: el programa no hace sesiones ese día"):
        services.session_update(session=session, actor=psychologist, version=session.version)
    response = client_for(psychologist).post(
        reverse("workshops:workshop_session_update", args=[session.pk]),
        {"date": "2026-12-06", "start_time": "10:00", "topic": "Tema", "version": session.version})
    assert response.status_code == 200
    assert "es domingo" in response.context["form"].errors["date"][0]


def test_create_form_refuses_sunday_and_warns_of_sessions_on_closed_days(client_for, role_users):
    psychologist = role_users[p.PSYCHOLOGIST]
    workshop_type = WorkshopTypeFactory(session_count=5)
    data = {"workshop_type": workshop_type.pk, "facilitators": [psychologist.pk], "place": "Sala",
            "capacity": "10", "start_date": "2026-12-03", "weekday": "6", "start_time": "10:00"}
    client = client_for(psychologist)
    response = client.post(reverse("workshops:workshop_create"), data)
    assert "no atiende los domingos" in response.context["form"].errors["weekday"][0]
    data["weekday"] = "3"
    response = client.post(reverse("workshops:workshop_create"), data, follow=True)
    shown = " ".join(str(m) for m in response.context["messages"])
    assert "sesión 4, 24-12-2026 (el programa no atiende ese día)" in shown
    assert "sesión 5, 31-12-2026" in shown
