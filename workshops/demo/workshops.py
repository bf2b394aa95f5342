"""Demo workshops: two finished runs with attendance and certificates, one running
now with a session today when the program works today (for the desk's home), and two
planned for the coming weeks. No session falls on a Sunday, a public holiday or a day
the program closes (conecta.workdays.is_program_day)."""

import datetime

from conecta import permissions
from conecta.workdays import is_program_day
from participants.models import Case, CaseStatus
from participants.services import DomainError
from workshops.models import Workshop, WorkshopAttendance, WorkshopType
from workshops.services import workshops as services

PLACES = ["Sala multiuso, Centro Conecta", "Sede Junta de Vecinos Villa La Escuela", "Biblioteca municipal, sala 2"]


def _attendance(*, workshop, enrolments, actor, rng, present_share, until):
    """Mark every session up to `until` with mostly present, some absent or justified."""
    for session in workshop.sessions.filter(date__lte=until).order_by("number"):
        marks = {}
        for enrolment in enrolments:
            roll = rng.random()
            if roll < present_share:
                marks[enrolment.pk] = WorkshopAttendance.Status.PRESENT
            elif roll < present_share + (1 - present_share) / 2:
                marks[enrolment.pk] = WorkshopAttendance.Status.JUSTIFIED
            else:
                marks[enrolment.pk] = WorkshopAttendance.Status.ABSENT
        services.attendance_record(session=session, marks=marks, actor=actor)


def _program_weekday(day):
    """The run meets on the weekday of `day`, unless that is a Sunday (the program does not open)."""
    return 0 if day.weekday() == 6 else day.weekday()


def _off_closed_days(workshop, *, actor):
    """Move each session that falls on a Sunday, a holiday or a day the program closes (24 and 31
    December) to the next day the program works, as a facilitator would, through the service."""
    for session in workshop.sessions.order_by("number"):
        day = session.date
        while not is_program_day(day):
            day += datetime.timedelta(days=1)
        if day != session.date:
            session.date = day
            services.session_update(session=session, actor=actor, version=session.version)


def _run(*, name, facilitators, start, place, capacity, cases, actor, rng, weekday=None, hour=10):
    workshop_type = WorkshopType.objects.get(name=name)
    workshop = services.workshop_create(
        workshop_type=workshop_type, facilitators=facilitators, place=place, capacity=capacity,
        start_date=start, weekday=_program_weekday(start) if weekday is None else weekday,
        start_time=datetime.time(hour, rng.choice([0, 30])), actor=actor,
    )
    _off_closed_days(workshop, actor=actor)
    today = datetime.date.today()
    enrolments = []
    for case in cases[:capacity]:
        try:
            # Enrolled a few days before the start, never later than today.
            date = min(start - datetime.timedelta(days=rng.randint(2, 10)), today)
            enrolments.append(services.enrolment_create(workshop=workshop, case=case, actor=actor, date=date))
        except DomainError:
            continue
    return workshop, enrolments


def seed(*, users, rng, stdout):
    """Demo data of this area (idempotent)."""
    if Workshop.objects.exists():
        return
    cases = list(Case.objects.filter(status=CaseStatus.INTERVENTION).select_related("participant").order_by("pk"))
    if not cases:
        return
    psychologist = users[permissions.PSYCHOLOGIST]
    social_worker = users[permissions.SOCIAL_WORKER]
    therapist = users[permissions.OCCUPATIONAL_THERAPIST]
    desk = users[permissions.RECEPTIONIST]
    today = datetime.date.today()

    def sample(k):
        return rng.sample(cases, min(k, len(cases)))

    # Finished: soft skills (7 weekly sessions ending three weeks ago) and job readiness.
    finished = [
        _run(name="Habilidades transversales", facilitators=[psychologist, therapist],
             start=today - datetime.timedelta(weeks=10), place=PLACES[0], capacity=15, cases=sample(10),
             actor=psychologist, rng=rng, hour=15),
        _run(name="Apresto laboral y seguridad social", facilitators=[therapist],
             start=today - datetime.timedelta(weeks=6, days=2), place=PLACES[2], capacity=12, cases=sample(7),
             actor=therapist, rng=rng),
    ]
    certificates = 0
    for workshop, enrolments in finished:
        _attendance(workshop=workshop, enrolments=enrolments, actor=desk, rng=rng, present_share=0.85, until=today)
        services.workshop_set_status(workshop=workshop, status=Workshop.Status.FINISHED, actor=workshop.created_by)
        for enrolment in enrolments[: len(enrolments) - 2]:
            try:
                services.certificate_issue(enrolment=enrolment, actor=workshop.created_by,
                                           date=workshop.sessions.order_by("-number").first().date)
                certificates += 1
            except DomainError:
                continue  # did not reach the required attendance

    # Running now: its fourth session is today (or the next day the program works), attendance
    # still to be taken at the desk.
    running, enrolments = _run(
        name="Habilidades transversales", facilitators=[psychologist], start=today - datetime.timedelta(weeks=3),
        place=PLACES[1], capacity=12, cases=sample(9), actor=psychologist, rng=rng, hour=10,
    )
    _attendance(workshop=running, enrolments=enrolments, actor=desk, rng=rng, present_share=0.8,
                until=today - datetime.timedelta(days=1))
    if enrolments:
        services.enrolment_withdraw(enrolment=enrolments[-1], actor=psychologist,
                                    reason="Comenzó a trabajar en el mismo horario.")

    # Planned for the coming weeks.
    _run(name="Emprendimiento", facilitators=[therapist], start=today + datetime.timedelta(days=8),
         place=PLACES[0], capacity=10, cases=sample(5), actor=therapist, rng=rng, hour=11)
    _run(name="Redes locales y beneficios", facilitators=[social_worker], start=today + datetime.timedelta(days=12),
         place=PLACES[1], capacity=15, cases=sample(6), actor=social_worker, rng=rng, hour=16)
    stdout.write(f"Talleres: {Workshop.objects.count()} ({certificates} certificados emitidos).")
