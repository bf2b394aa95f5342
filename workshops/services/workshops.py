"""Writes of workshops: types, runs and their sessions, enrolment, attendance
and certificates. Each runs in a transaction, refuses with DomainError and
leaves history through save_with_history."""

import datetime
import secrets

from django.db import transaction
from django.utils.translation import gettext as _

from conecta.concurrency import StaleEditError, check_version
from conecta.services import save_with_history
from conecta.workdays import program_closed_reason
from participants.models import CaseStatus, PhoneFollowUp
from participants.selectors import WIND_DOWN, consents_prefetch, processing_block
from participants.services import DomainError, phone_followup_cancel_for, phone_followup_open, require_processing
from workshops.models import (
    Workshop, WorkshopAttendance, WorkshopEnrolment, WorkshopSession, required_present,
)
from workshops.services.batch import enrol_each

# Unambiguous characters only: the code is read aloud and typed by hand.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10


@transaction.atomic
def workshop_type_save(*, workshop_type, actor, version=None):
    """Create a type, or save an edited one (an edit needs the `version` its form loaded)."""
    if workshop_type.pk is not None:
        check_version(workshop_type, version=version)
    topics = [t.strip() for t in (workshop_type.session_topics or []) if t and t.strip()]
    if len(topics) > workshop_type.session_count:
        raise DomainError(_("Hay %(topics)s temas para %(count)s sesiones: sobran temas.")
                          % {"topics": len(topics), "count": workshop_type.session_count})
    workshop_type.session_topics = topics
    reason = _("Tipo de taller actualizado") if workshop_type.pk else _("Tipo de taller creado")
    return save_with_history(workshop_type, actor=actor, reason=reason)


def session_dates(*, start_date, weekday, count):
    """`count` weekly dates on `weekday`, the first on or after `start_date`."""
    first = start_date + datetime.timedelta(days=(weekday - start_date.weekday()) % 7)
    return [first + datetime.timedelta(weeks=n) for n in range(count)]


@transaction.atomic
def workshop_create(*, workshop_type, facilitators, place, capacity, start_date, weekday, start_time, actor,
                    cohort=None):
    """A new run of a type, with one session per required session of the type."""
    if not workshop_type.active:
        raise DomainError(_("Este tipo de taller no está vigente."))
    if not facilitators:
        raise DomainError(_("Indique al menos un facilitador o facilitadora."))
    workshop = Workshop(
        workshop_type=workshop_type, place=place, capacity=capacity, start_date=start_date, weekday=weekday,
        start_time=start_time, cohort=cohort, hours_per_session=workshop_type.hours_per_session,
        completion_share=workshop_type.completion_share, created_by=actor,
    )
    save_with_history(workshop, actor=actor, reason=_("Taller planificado"))
    workshop.facilitators.set(facilitators)
    for number, date in enumerate(session_dates(start_date=start_date, weekday=weekday,
                                                count=workshop_type.session_count), start=1):
        session = WorkshopSession(workshop=workshop, number=number, date=date, start_time=start_time,
                                  topic=workshop_type.topic_for(number))
        save_with_history(session, actor=actor, reason=_("Sesión programada"))
    return workshop


@transaction.atomic
def workshop_update(*, workshop, facilitators, actor, version):
    """Place, capacity, cohort and facilitators of a run (its sessions are edited one by one).
    Refused (StaleEditError) if the run changed since `version` was loaded."""
    check_version(workshop, version=version)
    if not facilitators:
        raise DomainError(_("Indique al menos un facilitador o facilitadora."))
    active = workshop.enrolments.filter(status=WorkshopEnrolment.Status.ENROLLED).count()
    if workshop.capacity < active:
        raise DomainError(_("Hay %(count)s personas inscritas: los cupos no pueden ser menos.") % {"count": active})
    save_with_history(workshop, actor=actor, reason=_("Taller actualizado"))
    workshop.facilitators.set(facilitators)
    return workshop


WORKSHOP_STATUS_MOVES = {
    Workshop.Status.PLANNED: {Workshop.Status.RUNNING, Workshop.Status.CANCELLED},
    Workshop.Status.RUNNING: {Workshop.Status.FINISHED, Workshop.Status.CANCELLED},
    Workshop.Status.FINISHED: {Workshop.Status.RUNNING},
    Workshop.Status.CANCELLED: {Workshop.Status.PLANNED},
}


@transaction.atomic
def workshop_set_status(*, workshop, status, actor, version=None):
    """`version`: the run as the page with the button showed it (None: scripts)."""
    if version is not None:
        check_version(workshop, version=version)
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if status not in WORKSHOP_STATUS_MOVES.get(workshop.status, set()):
        raise DomainError(_("Un taller «%(from)s» no puede pasar a «%(to)s».") % {
            "from": workshop.get_status_display(), "to": Workshop.Status(status).label})
    if status == Workshop.Status.FINISHED and workshop.sessions.filter(attendances__isnull=True).exists():
        raise DomainError(_("Falta registrar la asistencia de alguna sesión: no se puede finalizar el taller."))
    workshop.status = status
    return save_with_history(workshop, actor=actor, reason=_("Estado del taller: %(status)s")
                             % {"status": Workshop.Status(status).label})


@transaction.atomic
def session_update(*, session, actor, version):
    """Move or retitle one session; refused (StaleEditError) if it changed since `version` was loaded."""
    check_version(session, version=version)
    if session.attendances.exists() and session.date > datetime.date.today():
        raise DomainError(_("Esta sesión ya tiene asistencia registrada: no puede moverse al futuro."))
    closed = program_closed_reason(session.date)
    if closed:
        raise _date_refused(_("El %(date)s %(reason)s: el programa no hace sesiones ese día.")
                            % {"date": _display(session.date), "reason": closed})
    latest = (session.attendances.order_by("-enrolment__enrolled_on")
              .values_list("enrolment__enrolled_on", flat=True).first())
    if latest and session.date < latest:
        raise _date_refused(_("Hay asistencia registrada de personas inscritas el %(date)s: "
                              "la sesión no puede ser anterior.") % {"date": _display(latest)})
    return save_with_history(session, actor=actor, reason=_("Sesión reprogramada"))


def sessions_on_closed_days(workshop):
    """[(session, why)] of the run's sessions that fall on a day the program does not work."""
    return [(session, reason) for session in workshop.sessions.order_by("number")
            if (reason := program_closed_reason(session.date))]


def _display(day):
    return day.strftime("%d-%m-%Y")


def _date_refused(message):
    error = DomainError(message)
    error.field = "date"
    return error


def _check_not_future(date):
    if date > datetime.date.today():
        raise _date_refused(_("La fecha no puede estar en el futuro."))


@transaction.atomic
def enrolment_create(*, workshop, case, actor, date=None):
    """Enrol a case in intervention on `date` (today if None); twice is refused, and so is a full
    workshop or one whose last session is before that date."""
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    require_processing(case.participant_id)
    if not workshop.is_open:
        raise DomainError(_("El taller está %(status)s: no admite inscripciones.")
                          % {"status": workshop.get_status_display().lower()})
    if case.status != CaseStatus.INTERVENTION:
        raise DomainError(_("Solo se inscriben casos en intervención (este caso está «%(status)s»).")
                          % {"status": case.get_status_display()})
    existing = WorkshopEnrolment.objects.filter(workshop=workshop, case=case).first()
    if existing is not None and existing.is_active:
        raise DomainError(_("%(name)s ya está inscrito/a en este taller.") % {"name": case.participant.full_name})
    active = workshop.enrolments.filter(status=WorkshopEnrolment.Status.ENROLLED).count()
    if active >= workshop.capacity:
        raise DomainError(_("El taller no tiene cupos disponibles (%(capacity)s).") % {"capacity": workshop.capacity})
    date = date or datetime.date.today()
    _check_not_future(date)
    last_session = workshop.sessions.order_by("-date").values_list("date", flat=True).first()
    if last_session is not None and date > last_session:
        raise _date_refused(_("La última sesión del taller fue el %(date)s: no se inscribe a nadie después.")
                            % {"date": _display(last_session)})
    if existing is not None:
        # Coming back after a withdrawal keeps the attendance already recorded.
        existing.status = WorkshopEnrolment.Status.ENROLLED
        existing.withdrawn_on = None
        existing.withdrawal_reason = ""
        return save_with_history(existing, actor=actor, reason=_("Reinscripción en el taller"))
    enrolment = WorkshopEnrolment(workshop=workshop, case=case, enrolled_on=date, created_by=actor)
    return save_with_history(enrolment, actor=actor, reason=_("Inscripción en el taller"))


@transaction.atomic
def enrolment_create_many(*, workshop, cases, actor, date=None):
    """Enrol several cases at once, each through `enrolment_create`.

    More people than the places left is refused as a whole (nothing saved); a person the
    rules refuse (not in intervention, blocked…) is reported and the others are enrolled."""
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    cases = list(cases)
    if not cases:
        raise DomainError(_("Seleccione al menos una persona."))
    already = set(workshop.enrolments.filter(status=WorkshopEnrolment.Status.ENROLLED).values_list("case_id", flat=True))
    left = workshop.capacity - len(already)
    joining = [case for case in cases if case.pk not in already]
    if len(joining) > left:
        raise DomainError(_("Quedan %(left)s cupos y seleccionó %(count)s personas.")
                          % {"left": max(left, 0), "count": len(joining)})
    return enrol_each(cases, lambda case: enrolment_create(workshop=workshop, case=case, actor=actor, date=date))


@transaction.atomic
def enrolment_withdraw(*, enrolment, actor, reason, date=None, version=None):
    """`version`: the enrolment as the withdrawal form showed it (None: scripts)."""
    if version is not None:
        check_version(enrolment, version=version)
    require_processing(enrolment.case.participant_id, purpose=WIND_DOWN)
    if not enrolment.is_active:
        raise DomainError(_("Esta inscripción ya estaba retirada."))
    if not (reason or "").strip():
        raise DomainError(_("Indique el motivo del retiro."))
    date = date or datetime.date.today()
    _check_not_future(date)
    if date < enrolment.enrolled_on:
        raise _date_refused(_("La persona se inscribió el %(date)s: el retiro no puede ser anterior.")
                            % {"date": _display(enrolment.enrolled_on)})
    enrolment.status = WorkshopEnrolment.Status.WITHDRAWN
    enrolment.withdrawn_on = date
    enrolment.withdrawal_reason = reason.strip()
    return save_with_history(enrolment, actor=actor, reason=_("Retiro del taller"))


def _absence_description(session):
    return _("Taller %(type)s, sesión %(number)s (%(date)s)") % {
        "type": session.workshop.workshop_type.name, "number": session.number,
        "date": session.date.strftime("%d-%m-%Y"),
    }


class StaleAttendanceError(StaleEditError):
    """The sheet was loaded before someone else recorded marks on it.

    `rows` lists, for each person whose mark changed meanwhile, the enrolment, the
    mark the sheet showed (None: unmarked) and the stored attendance row."""

    def __init__(self, *, session, rows):
        super().__init__(stored=session, loaded_version=None, message=_(
            "Otra persona registró asistencia en esta sesión mientras usted tenía la hoja abierta. "
            "No se guardó nada: revise las personas señaladas, su hoja ya incorpora lo registrado, "
            "y vuelva a guardar."))
        self.rows = rows

    def last_change(self):
        latest = max((row for _e, _before, row in self.rows), key=lambda row: row.recorded_at, default=None)
        if latest is None:
            return None
        return {"user": latest.recorded_by, "at": latest.recorded_at}


def _stale_marks(*, existing, versions):
    """[(enrolment id, loaded status, stored row)] for the rows that moved since the sheet was loaded.

    `versions` is {enrolment id: version of its row when loaded, None if it had no mark};
    a person missing from it counts as unmarked, so a sheet that does not say what it
    showed cannot overwrite a mark."""
    moved = []
    for enrolment_id, row in existing.items():
        loaded = versions.get(enrolment_id)
        if loaded is not None and loaded == row.version:
            continue
        before = None
        if loaded is not None:
            record = row.history.filter(version=loaded).order_by("-history_date", "-history_id").first()
            before = record.status if record is not None else None
        moved.append((enrolment_id, before, row))
    return moved


@transaction.atomic
def attendance_record(*, session, marks, actor, versions=None):
    """Save the attendance of a session at once: `marks` is {enrolment id: status}.

    Unjustified absences go to the desk's phone list; correcting one to present
    or justified drops the pending call. Every active enrolment needs a mark.

    `versions` ({enrolment id: version of its mark when the sheet was loaded, None
    if unmarked}) makes the save refuse a stale sheet (StaleAttendanceError): a
    sheet loaded before someone else marked a person never overwrites that mark,
    so it cannot turn an absence back into a presence nor cancel the call it opened.
    None (scripts, demo data) skips the check. People whose data may not be processed
    (blocked, consent withdrawn) need no mark: their rows are left as they are, and a
    changed mark is refused."""
    # The lock serializes two sheets of the same session saved at the same moment.
    session = (WorkshopSession.objects.select_for_update().select_related("workshop__workshop_type")
               .get(pk=session.pk))
    workshop = session.workshop
    if workshop.status == Workshop.Status.CANCELLED:
        raise DomainError(_("El taller está cancelado."))
    if session.date > datetime.date.today():
        raise DomainError(_("La sesión es el %(date)s: la asistencia se registra desde ese día.")
                          % {"date": session.date.strftime("%d-%m-%Y")})
    enrolments = {e.pk: e for e in workshop.enrolments.select_related("case__participant")
                  .prefetch_related(consents_prefetch("case__participant"))}
    existing = {a.enrolment_id: a for a in session.attendances.select_related("recorded_by")}
    if versions is not None:
        moved = _stale_marks(existing=existing, versions=versions)
        if moved:
            raise StaleAttendanceError(session=session, rows=[
                (enrolments[enrolment_id], before, row) for enrolment_id, before, row in moved])
    restricted = {pk: restriction for pk, e in enrolments.items()
                  if (restriction := processing_block(e.case.participant)) is not None}
    # Nobody attends a session held before they enrolled: no mark is asked for, and none is taken.
    not_yet = {pk for pk, e in enrolments.items() if e.enrolled_on > session.date}
    required = {pk for pk, e in enrolments.items() if e.is_active and pk not in restricted and pk not in not_yet}
    unknown = set(marks) - set(enrolments)
    if unknown:
        raise DomainError(_("Hay personas que no están inscritas en este taller."))
    missing = required - set(marks)
    if missing:
        raise DomainError(_("Falta marcar la asistencia de %(count)s persona(s).") % {"count": len(missing)})
    valid = set(WorkshopAttendance.Status.values)
    for enrolment_id, status in marks.items():
        if status not in valid:
            raise DomainError(_("Asistencia no válida."))
        row = existing.get(enrolment_id)
        previous = row.status if row else None
        if previous == status:
            continue
        if enrolment_id in restricted:
            raise DomainError(_("%(name)s: %(reason)s") % {
                "name": enrolments[enrolment_id].case.participant.full_name, "reason": restricted[enrolment_id]})
        if enrolment_id in not_yet:
            raise DomainError(_("%(name)s se inscribió el %(enrolled)s: no estaba en la sesión del %(date)s.") % {
                "name": enrolments[enrolment_id].case.participant.full_name,
                "enrolled": _display(enrolments[enrolment_id].enrolled_on), "date": _display(session.date)})
        if row is None:
            row = WorkshopAttendance(session=session, enrolment=enrolments[enrolment_id])
        row.status = status
        row.recorded_by = actor
        save_with_history(row, actor=actor, reason=_("Asistencia registrada") if previous is None
                          else _("Asistencia corregida"))
        if status == WorkshopAttendance.Status.ABSENT:
            phone_followup_open(
                case=enrolments[enrolment_id].case, reason=PhoneFollowUp.Reason.WORKSHOP_ABSENCE,
                description=_absence_description(session), missed_on=session.date, actor=actor, source=row,
            )
        elif previous == WorkshopAttendance.Status.ABSENT:
            phone_followup_cancel_for(source=row, reason=PhoneFollowUp.Reason.WORKSHOP_ABSENCE, actor=actor)
    if workshop.status == Workshop.Status.PLANNED:
        workshop.status = Workshop.Status.RUNNING
        save_with_history(workshop, actor=actor, reason=_("Primera asistencia registrada"))
    return session


def enrolment_progress(enrolment, *, session_count=None):
    """(present, required, completed) of one enrolment, counting only sessions marked present."""
    workshop = enrolment.workshop
    if session_count is None:
        session_count = workshop.sessions.count()
    present = getattr(enrolment, "present_count", None)
    if present is None:
        present = enrolment.attendances.filter(status=WorkshopAttendance.Status.PRESENT).count()
    required = required_present(session_count, workshop.completion_share)
    return present, required, present >= required > 0


def enrolment_completed(enrolment):
    """Completed = the run is finished and the person met the attendance rule."""
    _present, _required, met = enrolment_progress(enrolment)
    return enrolment.workshop.status == Workshop.Status.FINISHED and met


def _new_code():
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
        if not WorkshopEnrolment.objects.filter(certificate_code=code).exists():
            return code


@transaction.atomic
def certificate_issue(*, enrolment, actor, date=None):
    """Give a completed enrolment its certificate code; issuing again keeps the same code."""
    enrolment = WorkshopEnrolment.objects.select_for_update().select_related("workshop", "case").get(pk=enrolment.pk)
    require_processing(enrolment.case.participant_id)
    if enrolment.certificate_code:
        return enrolment
    if not enrolment.is_active:
        raise DomainError(_("La persona se retiró del taller: no corresponde certificado."))
    if enrolment.workshop.status != Workshop.Status.FINISHED:
        raise DomainError(_("El certificado se emite cuando el taller está finalizado."))
    present, required, met = enrolment_progress(enrolment)
    if not met:
        raise DomainError(_("Asistió a %(present)s sesiones y se requieren %(required)s: no aprueba el taller.")
                          % {"present": present, "required": required})
    date = date or datetime.date.today()
    _check_not_future(date)
    last_session = enrolment.workshop.sessions.order_by("-date").values_list("date", flat=True).first()
    if last_session is not None and date < last_session:
        raise _date_refused(_("La última sesión del taller es el %(date)s: el certificado no puede ser anterior.")
                            % {"date": _display(last_session)})
    enrolment.certificate_code = _new_code()
    enrolment.certificate_issued_on = date
    return save_with_history(enrolment, actor=actor, reason=_("Certificado emitido"))
