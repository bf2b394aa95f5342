"""Every step of a training enrolment happens within its course's dates (issue 9, point 1)."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from conecta import permissions as p
from participants.models import CaseStatus
from participants.services import DomainError
from participants.tests.factories import CaseFactory
from workshops.forms.courses import CourseForm
from workshops.models import CourseEnrolment
from workshops.selectors import courses as selectors
from workshops.services import courses as services
from workshops.tests.factories_courses import TrainingCourseFactory

pytestmark = pytest.mark.django_db
Status = CourseEnrolment.Status
PDF = b"%PDF-1.4 certificado"


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def therapist(role_users):
    return role_users[p.OCCUPATIONAL_THERAPIST]


def move(enrolment, status, actor, offset):
    certificate = ContentFile(PDF, name="c.pdf") if status == Status.CERTIFIED else None
    return services.enrolment_move(enrolment=enrolment, to_status=status, actor=actor, date=days(offset),
                                   certificate=certificate)


def test_no_step_of_a_course_that_has_not_started_is_dated_before_it(therapist):
    # The snag: Inscrito → Cursando → Aprobado → Certificado on one day, twelve days before the course.
    course = TrainingCourseFactory(created_by=therapist, start_date=days(12), end_date=days(40))
    case = CaseFactory(status=CaseStatus.INTERVENTION, applied_on=days(-100))
    enrolment = services.enrolment_create(course=course, case=case, actor=therapist, date=days(-3))
    enrolment = move(enrolment, Status.ENROLLED, therapist, 0)
    with pytest.raises(DomainError, match=r"El curso comienza el .*: no se puede estar cursando antes\.") as refused:
        move(enrolment, Status.IN_PROGRESS, therapist, 0)
    assert refused.value.field == "date"
    enrolment.refresh_from_db()
    assert enrolment.status == Status.ENROLLED
    assert not selectors.certified_in_semester(viewer=therapist)[0].exists()


def test_pass_and_certificate_wait_for_the_end_of_the_course(therapist):
    course = TrainingCourseFactory(created_by=therapist, start_date=days(-30), end_date=days(-5))
    case = CaseFactory(status=CaseStatus.INTERVENTION, applied_on=days(-100))
    enrolment = services.enrolment_create(course=course, case=case, actor=therapist, date=days(-40))
    enrolment = move(enrolment, Status.ENROLLED, therapist, -35)
    enrolment = move(enrolment, Status.IN_PROGRESS, therapist, -30)
    with pytest.raises(DomainError, match="El curso termina el .*«Aprobado/a» se registra desde esa fecha"):
        move(enrolment, Status.COMPLETED, therapist, -10)
    enrolment = move(enrolment, Status.COMPLETED, therapist, -5)
    enrolment = move(enrolment, Status.CERTIFIED, therapist, -2)
    assert enrolment.certified_on == days(-2) >= course.end_date


def test_nobody_applies_or_starts_after_the_course_ended(therapist):
    course = TrainingCourseFactory(created_by=therapist, start_date=days(-60), end_date=days(-20))
    case = CaseFactory(status=CaseStatus.INTERVENTION, applied_on=days(-100))
    with pytest.raises(DomainError, match="El curso terminó el .*«Postulado/a» no puede tener fecha posterior"):
        services.enrolment_create(course=course, case=case, actor=therapist, date=days(-10))
    enrolment = services.enrolment_create(course=course, case=case, actor=therapist, date=days(-65))
    enrolment = move(enrolment, Status.ENROLLED, therapist, -62)
    with pytest.raises(DomainError, match="El curso terminó el"):
        move(enrolment, Status.IN_PROGRESS, therapist, -19)
    # Leaving is possible at any time after the last step.
    enrolment = services.enrolment_move(enrolment=enrolment, to_status=Status.DROPPED, actor=therapist,
                                        date=days(-1), reason="No se presentó")
    assert enrolment.status == Status.DROPPED


def test_move_page_shows_the_refusal_next_to_the_date(client_for, therapist):
    course = TrainingCourseFactory(created_by=therapist, start_date=days(12), end_date=days(40))
    case = CaseFactory(status=CaseStatus.INTERVENTION, applied_on=days(-100))
    enrolment = services.enrolment_create(course=course, case=case, actor=therapist, date=days(-3))
    enrolment = move(enrolment, Status.ENROLLED, therapist, 0)
    response = client_for(therapist).post(
        reverse("workshops:enrolment_move", args=[enrolment.pk, "start"]),
        {"date": days(0).isoformat(), "reason": "", "version": enrolment.version})
    assert response.status_code == 200
    form = response.context["form"]
    assert "no se puede estar cursando antes" in form.errors["date"][0]
    assert form["date"].value() == days(0).isoformat()


def test_course_dates_cannot_move_past_recorded_steps(therapist):
    course = TrainingCourseFactory(created_by=therapist, start_date=days(-30), end_date=days(-5))
    case = CaseFactory(status=CaseStatus.INTERVENTION, applied_on=days(-100))
    enrolment = services.enrolment_create(course=course, case=case, actor=therapist, date=days(-40))
    for status, offset in [(Status.ENROLLED, -35), (Status.IN_PROGRESS, -30), (Status.COMPLETED, -5)]:
        enrolment = move(enrolment, status, therapist, offset)
    course.refresh_from_db()
    data = {
        "trade": course.trade, "name": course.name, "provider": course.provider_id, "sence_certified": "on",
        "sence_code": course.sence_code, "hours": course.hours, "start_date": days(-20).isoformat(),
        "end_date": days(10).isoformat(), "places": course.places, "cost": "0",
        "funding_source": course.funding_source, "status": course.status, "version": course.version,
    }
    form = CourseForm(data=data, instance=course, record=course)
    assert not form.is_valid()
    assert "Hay personas cursando desde el" in form.errors["start_date"][0]
    assert "Hay aprobaciones registradas el" in form.errors["end_date"][0]
    course.start_date = days(-20)
    with pytest.raises(DomainError, match="Hay personas cursando desde el"):
        services.course_save(course=course, actor=therapist, version=course.version)


def test_course_cost_typed_with_thousands_separators_is_stored_in_pesos(client_for, therapist):
    # The snag: "250.000" stored $250.
    course = TrainingCourseFactory(created_by=therapist, cost=0)
    url = reverse("workshops:course_update", args=[course.pk])
    client = client_for(therapist)
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update({"cost": "250.000", "start_date": course.start_date.isoformat(),
                 "end_date": course.end_date.isoformat(), "sence_certified": "on"})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    course.refresh_from_db()
    assert course.cost == 250000
    assert 'value="250.000"' in client.get(url).content.decode()
    data.update({"cost": "250,5", "version": course.version})
    response = client.post(url, data)
    assert "no llevan coma ni decimales" in response.context["form"].errors["cost"][0]
    course.refresh_from_db()
    assert course.cost == 250000
