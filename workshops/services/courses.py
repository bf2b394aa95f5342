"""Writes of trade training: courses, enrolments and their moves up to the certificate.

Each function runs in a transaction, checks the state, raises DomainError with a
Spanish message, saves through `save_with_history` and, for enrolments, adds an
EnrolmentEvent row to the timeline."""

import datetime

from django.db import transaction
from django.db.models import Max, Min
from django.utils.translation import gettext as _, gettext_lazy

from conecta.concurrency import check_version
from conecta.services import save_with_history
from participants.models import Case
from participants.selectors import PROCESS, WIND_DOWN
from participants.services import DomainError, require_processing
from workshops.models import CourseEnrolment, EnrolmentEvent, TrainingCourse
from workshops.selectors.courses import ENROLLABLE_CASE_STATUSES, ENROLLING_COURSE_STATUSES
from workshops.services.batch import enrol_each

Status = CourseEnrolment.Status


TRANSITIONS = {
    Status.APPLIED: {Status.ENROLLED, Status.DROPPED},
    Status.ENROLLED: {Status.IN_PROGRESS, Status.DROPPED},
    Status.IN_PROGRESS: {Status.COMPLETED, Status.DROPPED},
    Status.COMPLETED: {Status.CERTIFIED, Status.DROPPED},
    Status.CERTIFIED: set(),
    Status.DROPPED: set(),
}

# The user-facing actions, one per target status (URL slug → target, button label).
ACTIONS = {
    "enrol": (Status.ENROLLED, gettext_lazy("Confirmar inscripción")),
    "start": (Status.IN_PROGRESS, gettext_lazy("Iniciar curso")),
    "complete": (Status.COMPLETED, gettext_lazy("Registrar aprobación")),
    "certify": (Status.CERTIFIED, gettext_lazy("Registrar certificación")),
    "drop": (Status.DROPPED, gettext_lazy("Registrar retiro")),
}


def available_actions(enrolment):
    allowed = TRANSITIONS[enrolment.status]
    return [(code, label) for code, (target, label) in ACTIONS.items() if target in allowed]


def seats_taken(course):
    return CourseEnrolment.objects.filter(course_id=course.pk, status__in=CourseEnrolment.SEAT_STATUSES).count()


def course_problems(course):
    """{field: message} for the rules a course must meet; the form shows them next to the field."""
    problems = {}
    if course.sence_certified and not (course.sence_code or "").strip():
        problems["sence_code"] = _("Indique el código SENCE del curso certificado.")
    if course.start_date and course.end_date and course.end_date < course.start_date:
        problems["end_date"] = _("El término no puede ser anterior al inicio.")
    if course.provider_id and course.provider.kind != course.provider.Kind.TRAINING:
        problems["provider"] = _("El proveedor debe ser una institución de capacitación (OTEC).")
    if course.pk and course.places is not None:
        seats = seats_taken(course)
        if course.places < seats:
            problems["places"] = _("El curso ya tiene %(n)s personas inscritas: los cupos no pueden ser menos.") % {
                "n": seats}
    if course.pk and course.start_date and course.end_date:
        problems.update(_moved_dates_problems(course))
    return problems


def _moved_dates_problems(course):
    """New dates of a course must keep its enrolments' recorded steps inside them (see check_course_dates)."""
    events = EnrolmentEvent.objects.filter(enrolment__course_id=course.pk)
    first_started = events.filter(status=Status.IN_PROGRESS).aggregate(day=Min("date"))["day"]
    first_passed = events.filter(status__in=[Status.COMPLETED, Status.CERTIFIED]).aggregate(day=Min("date"))["day"]
    last_before_end = events.filter(
        status__in=[Status.APPLIED, Status.ENROLLED, Status.IN_PROGRESS]).aggregate(day=Max("date"))["day"]
    problems = {}
    if first_started and course.start_date > first_started:
        problems["start_date"] = _("Hay personas cursando desde el %(date)s: el inicio no puede ser posterior.") % {
            "date": _display(first_started)}
    if first_passed and course.end_date > first_passed:
        problems["end_date"] = _("Hay aprobaciones registradas el %(date)s: el término no puede ser posterior.") % {
            "date": _display(first_passed)}
    elif last_before_end and course.end_date < last_before_end:
        problems["end_date"] = _("Hay movimientos de inscripciones del %(date)s: el término no puede ser anterior.") % {
            "date": _display(last_before_end)}
    return problems


@transaction.atomic
def course_save(*, course, actor, reason=None, version=None):
    """Create or update a course; an update needs the `version` its form loaded (StaleEditError if stale)."""
    if course.pk is not None:
        check_version(course, version=version)
    problems = course_problems(course)
    if problems:
        raise DomainError(" ".join(str(message) for message in problems.values()))
    if not course.sence_certified:
        course.sence_code = ""
    if course.pk is None:
        course.created_by = actor
        reason = reason or _("Registro del curso")
    return save_with_history(course, actor=actor, reason=reason or _("Actualización del curso"))


def _date_refused(message):
    error = DomainError(message)
    error.field = "date"
    return error


def _display(day):
    return day.strftime("%d-%m-%Y")


def _check_date(date, *, not_before, message):
    """`message` has a %(date)s placeholder for the earliest date allowed."""
    if date > datetime.date.today():
        raise _date_refused(_("La fecha no puede estar en el futuro."))
    if date < not_before:
        raise _date_refused(message % {"date": _display(not_before)})


def check_course_dates(*, course, to_status, date):
    """Each step of an enrolment happens within its course: nobody applies, is enrolled or starts
    after the course ended, starts before it began, or passes (and so is certified) before it ended."""
    if to_status in (Status.APPLIED, Status.ENROLLED, Status.IN_PROGRESS) and date > course.end_date:
        raise _date_refused(_("El curso terminó el %(end)s: «%(status)s» no puede tener fecha posterior.")
                            % {"end": _display(course.end_date), "status": Status(to_status).label})
    if to_status == Status.IN_PROGRESS and date < course.start_date:
        raise _date_refused(_("El curso comienza el %(start)s: no se puede estar cursando antes.")
                            % {"start": _display(course.start_date)})
    if to_status in (Status.COMPLETED, Status.CERTIFIED) and date < course.end_date:
        raise _date_refused(_("El curso termina el %(end)s: «%(status)s» se registra desde esa fecha.")
                            % {"end": _display(course.end_date), "status": Status(to_status).label})


@transaction.atomic
def enrolment_create(*, course, case, actor, date, note=""):
    """A case applies to a course (status «postulado/a»)."""
    course = TrainingCourse.objects.select_for_update().get(pk=course.pk)
    case = Case.objects.select_related("participant").get(pk=case.pk)
    require_processing(case.participant)
    if course.status not in ENROLLING_COURSE_STATUSES:
        raise DomainError(
            _("El curso está %(status)s: no recibe postulaciones.") % {"status": course.get_status_display().lower()}
        )
    if case.status not in ENROLLABLE_CASE_STATUSES:
        raise DomainError(
            _("Solo se pueden inscribir casos en diagnóstico, en intervención o egresados; este caso está «%(status)s».")
            % {"status": case.get_status_display()}
        )
    if CourseEnrolment.objects.filter(course=course, case=case).exists():
        raise DomainError(_("Este caso ya está inscrito en el curso."))
    _check_date(date, not_before=case.applied_on,
                message=_("La fecha no puede ser anterior a la postulación del caso al programa (%(date)s)."))
    check_course_dates(course=course, to_status=Status.APPLIED, date=date)
    enrolment = CourseEnrolment(course=course, case=case, status=Status.APPLIED, applied_on=date,
                                status_changed_on=date, created_by=actor)
    save_with_history(enrolment, actor=actor, reason=_("Postulación al curso"))
    EnrolmentEvent.objects.create(enrolment=enrolment, status=Status.APPLIED, date=date, note=note, actor=actor)
    return enrolment


@transaction.atomic
def enrolment_create_many(*, course, cases, actor, date, note=""):
    """Several cases apply at once, each through `enrolment_create`; those the rules refuse are
    reported (EnrolmentResult) and the others are saved."""
    cases = list(cases)
    if not cases:
        raise DomainError(_("Seleccione al menos una persona."))
    return enrol_each(cases, lambda case: enrolment_create(course=course, case=case, actor=actor, date=date,
                                                           note=note))


@transaction.atomic
def enrolment_move(*, enrolment, to_status, actor, date, reason="", certificate=None, version=None):
    """Move an enrolment one step; dropping needs a reason, certifying needs the certificate file.

    `version`: the enrolment as the person saw it on the form; if it moved since,
    the step is refused (StaleEditError). None (scripts, demo data): rules only."""
    if version is not None:
        check_version(enrolment, version=version)
    enrolment = CourseEnrolment.objects.select_for_update().select_related("course", "case").get(pk=enrolment.pk)
    require_processing(enrolment.case.participant_id, purpose=WIND_DOWN if to_status == Status.DROPPED else PROCESS)
    if to_status not in TRANSITIONS[enrolment.status]:
        raise DomainError(
            _("No se puede pasar de «%(from)s» a «%(to)s».")
            % {"from": enrolment.get_status_display(), "to": Status(to_status).label}
        )
    _check_date(date, not_before=enrolment.status_changed_on,
                message=_("La fecha no puede ser anterior al último movimiento (%(date)s)."))
    check_course_dates(course=enrolment.course, to_status=to_status, date=date)
    reason = (reason or "").strip()
    if to_status == Status.DROPPED and not reason:
        raise DomainError(_("Indique el motivo del retiro."))
    if to_status == Status.ENROLLED:
        # Lock the course so two simultaneous enrolments cannot take the last place.
        course = TrainingCourse.objects.select_for_update().get(pk=enrolment.course_id)
        if seats_taken(course) >= course.places:
            raise DomainError(
                _("El curso no tiene cupos disponibles (%(places)s cupos ocupados).") % {"places": course.places}
            )
    if to_status == Status.CERTIFIED:
        if not certificate and not enrolment.certificate:
            raise DomainError(_("Adjunte el certificado (PDF, JPG o PNG) para registrar la certificación."))
        if certificate:
            enrolment.certificate = certificate
        enrolment.certified_on = date
    if to_status == Status.DROPPED:
        enrolment.drop_reason = reason
    enrolment.status = to_status
    enrolment.status_changed_on = date
    save_with_history(enrolment, actor=actor, reason=Status(to_status).label)
    EnrolmentEvent.objects.create(enrolment=enrolment, status=to_status, date=date, note=reason, actor=actor)
    return enrolment
