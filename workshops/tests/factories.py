"""Factories of workshops (the courses helper keeps its own below or in factories_courses.py)."""

import datetime

import factory

from participants.models import CaseStatus
from participants.tests.factories import CaseFactory, UserFactory
from workshops.models import Workshop, WorkshopEnrolment, WorkshopType
from workshops.services import workshops as services


class WorkshopTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkshopType
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Taller de prueba {n}")
    area = "psychological"
    session_count = 4
    session_topics = factory.LazyAttribute(lambda o: [f"Tema {i + 1}" for i in range(o.session_count)])
    hours_per_session = 2
    completion_share = 75


def make_workshop(*, actor=None, workshop_type=None, sessions=4, start_date=None, weekday=None, capacity=20,
                  facilitators=None, place="Sala multiuso, Centro Conecta"):
    """A workshop created through the service, so its sessions are generated."""
    actor = actor or UserFactory()
    workshop_type = workshop_type or WorkshopTypeFactory(session_count=sessions)
    start_date = start_date or datetime.date.today()
    return services.workshop_create(
        workshop_type=workshop_type, facilitators=facilitators or [actor], place=place, capacity=capacity,
        start_date=start_date, weekday=start_date.weekday() if weekday is None else weekday,
        start_time=datetime.time(10, 0), actor=actor,
    )


def enrol(workshop, *, actor=None, case=None, date=None):
    """Enrolled from the first session (or today, for a run that has not started)."""
    case = case or CaseFactory(status=CaseStatus.INTERVENTION)
    date = date or min(workshop.start_date, datetime.date.today())
    return services.enrolment_create(workshop=workshop, case=case, actor=actor or workshop.created_by, date=date)


def mark_all(session, status, *, actor):
    """Mark every active enrolment of the session's workshop with one status."""
    marks = {e.pk: status for e in WorkshopEnrolment.objects.filter(
        workshop_id=session.workshop_id, status=WorkshopEnrolment.Status.ENROLLED)}
    return services.attendance_record(session=session, marks=marks, actor=actor)


def finished_workshop_with_certificate(*, actor):
    """A finished run (sessions in the past) with one person certified and one not approved."""
    start = datetime.date.today() - datetime.timedelta(weeks=6)
    workshop = make_workshop(actor=actor, sessions=2, start_date=start)
    passed = enrol(workshop, actor=actor)
    failed = enrol(workshop, actor=actor)
    for session in workshop.sessions.order_by("number"):
        services.attendance_record(session=session, marks={passed.pk: "present", failed.pk: "absent"}, actor=actor)
    services.workshop_set_status(workshop=workshop, status=Workshop.Status.FINISHED, actor=actor)
    passed = services.certificate_issue(enrolment=passed, actor=actor)
    return workshop, passed, failed
