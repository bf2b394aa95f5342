"""Appointments: booking, moving, cancelling, the desk's check-in and no-shows, reminders.

Every change goes through `save_with_history`; a refused change raises
`AgendaError` (a DomainError) naming the form field it belongs to, so the view
shows the message next to that field. Moves made from a page take the
`version` of the appointment that page showed (None: scripts, reminders)."""

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from conecta import permissions
from conecta.concurrency import check_version
from conecta.models import ProgramSettings
from conecta.services import save_with_history
from interventions.models import Appointment, Area, Modality
from participants.models import OPEN_STATUSES, CaseStatus, PhoneCall, PhoneFollowUp
from participants.selectors import PROCESS, WIND_DOWN, processing_block
from participants.services import (
    DomainError, ProcessingRefused, open_followups_of_person, phone_call_log, phone_followup_cancel_for,
    phone_followup_open, phone_followup_resolve_for, require_processing,
)

Status = Appointment.Status
# Appointments that hold their slot in the professional's agenda.
ACTIVE_STATUSES = (Status.SCHEDULED, Status.ARRIVED, Status.ATTENDED)
BOOKABLE_CASE_STATUSES = (*OPEN_STATUSES, CaseStatus.FOLLOWUP)
# Longest appointment the model allows: bounds the overlap search window.
MAX_DURATION = datetime.timedelta(minutes=480)


class AgendaError(DomainError):
    """A refused agenda change; `field` is the form field the message belongs to (None: the whole form)."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


class AgendaProcessingRefused(ProcessingRefused, AgendaError):
    """The person's data may not be processed (participants.selectors.processing_block); an
    AgendaError too, so the agenda pages show it like any other refusal."""

    def __init__(self, restriction):
        super().__init__(restriction)
        self.field = None


def _require_processing(person, purpose=PROCESS):
    try:
        require_processing(person, purpose=purpose)
    except ProcessingRefused as error:
        raise AgendaProcessingRefused(error.restriction) from None


def _local(dt):
    return timezone.localtime(dt)


def _describe(appointment):
    """What the desk can say on the phone: the neutral label, never the free-text reason."""
    return _("%(label)s con %(who)s, %(when)s") % {
        "label": appointment.label,
        "who": appointment.professional.get_full_name() or appointment.professional.username,
        "when": _local(appointment.starts_at).strftime("%d-%m-%Y %H:%M"),
    }


def _check_slot(*, professional, starts_at, duration_minutes, exclude_pk=None):
    """Refuse a time in the past or one that overlaps another appointment of the professional."""
    if starts_at < timezone.now():
        raise AgendaError(_("La cita no puede quedar en el pasado."), field="date")
    ends_at = starts_at + datetime.timedelta(minutes=duration_minutes)
    candidates = Appointment.objects.filter(
        professional=professional, status__in=ACTIVE_STATUSES,
        starts_at__lt=ends_at, starts_at__gt=starts_at - MAX_DURATION,
    ).select_related("case__participant")
    if exclude_pk:
        candidates = candidates.exclude(pk=exclude_pk)
    for other in candidates:
        if other.starts_at + datetime.timedelta(minutes=other.duration_minutes) > starts_at:
            raise AgendaError(
                _("%(who)s ya tiene una cita de %(start)s a %(end)s que se superpone con este horario.")
                % {
                    "who": professional.get_full_name() or professional.username,
                    "start": _local(other.starts_at).strftime("%H:%M"),
                    "end": _local(other.starts_at + datetime.timedelta(minutes=other.duration_minutes)).strftime("%H:%M"),
                },
                field="time",
            )


def _check_professional(professional, area=None):
    if not permissions.has_role(professional, *permissions.PROFESSIONAL_ROLES):
        raise AgendaError(_("Solo se agendan citas con profesionales del equipo."), field="professional")
    if area and not permissions.can_write_area(professional, area):
        # The session logged from this appointment would be refused for the same reason.
        raise AgendaError(_("Esta persona no atiende en el área %(area)s.") % {"area": Area(area).label.lower()},
                          field="area")


@transaction.atomic
def appointment_create(*, case, professional, area, starts_at, actor, duration_minutes=45,
                       modality=Modality.CENTRE, purpose="", kind=Appointment.Kind.CARE):
    _require_processing(case.participant_id)
    if case.status not in BOOKABLE_CASE_STATUSES:
        raise AgendaError(
            _("Solo se agendan citas para casos abiertos o en seguimiento (este caso está «%(status)s»).")
            % {"status": case.get_status_display()},
            field="case",
        )
    _check_professional(professional, area)
    _check_slot(professional=professional, starts_at=starts_at, duration_minutes=duration_minutes)
    appointment = Appointment(
        case=case, professional=professional, area=area, starts_at=starts_at,
        duration_minutes=duration_minutes, modality=modality, kind=kind, purpose=(purpose or "").strip(),
        created_by=actor,
    )
    save_with_history(appointment, actor=actor, reason=_("Cita agendada"))
    return appointment


def _lock(appointment, version=None):
    """The stored appointment, locked. With `version` (what the person's page showed), a
    change made meanwhile by someone else refuses the move (StaleEditError): a stale desk
    page never turns an absence into an arrival nor drops the call it opened."""
    if version is not None:
        check_version(appointment, version=version)
    return Appointment.objects.select_for_update().select_related(
        "case__participant", "professional").get(pk=appointment.pk)


def _refuse_if_booked_again(appointment):
    """A missed appointment already booked again stays an absence: the new one holds the slot."""
    if appointment.status == Status.NO_SHOW and appointment.rescheduled_to_id:
        raise AgendaError(_("Esta inasistencia ya se reagendó: registre la llegada en la cita nueva."))


def _require_reason(reason):
    reason = (reason or "").strip()
    if not reason:
        raise AgendaError(_("Indique el motivo."), field="reason")
    return reason


@transaction.atomic
def appointment_reschedule(*, appointment, starts_at, reason, actor, duration_minutes=None, professional=None,
                           version=None):
    """Book the new time, linked from the old appointment.

    A scheduled appointment is left `rescheduled`; a missed one stays `no_show` (the absence
    happened) and its phone follow-up is resolved, since what it was for is now booked."""
    appointment = _lock(appointment, version)
    _require_processing(appointment.case.participant_id)
    missed = appointment.status == Status.NO_SHOW
    if missed and appointment.rescheduled_to_id:
        raise AgendaError(_("Esta inasistencia ya se reagendó para el %(date)s.")
                          % {"date": _local(appointment.rescheduled_to.starts_at).strftime("%d-%m-%Y %H:%M")})
    if not missed and appointment.status != Status.SCHEDULED:
        raise AgendaError(_("Solo se puede reagendar una cita agendada o una inasistencia (esta está «%(status)s»).")
                          % {"status": appointment.get_status_display()})
    reason = _require_reason(reason)
    professional = professional or appointment.professional
    duration_minutes = duration_minutes or appointment.duration_minutes
    _check_professional(professional, appointment.area)
    _check_slot(professional=professional, starts_at=starts_at, duration_minutes=duration_minutes,
                exclude_pk=appointment.pk)
    new = Appointment(
        case=appointment.case, professional=professional, area=appointment.area, starts_at=starts_at,
        duration_minutes=duration_minutes, modality=appointment.modality, kind=appointment.kind,
        purpose=appointment.purpose, created_by=actor,
    )
    save_with_history(new, actor=actor, reason=_("Cita reagendada desde el %(date)s")
                      % {"date": _local(appointment.starts_at).strftime("%d-%m-%Y %H:%M")})
    if not missed:
        appointment.status = Status.RESCHEDULED
    appointment.cancel_reason = reason
    appointment.rescheduled_to = new
    save_with_history(appointment, actor=actor, reason=_("Cita reagendada"))
    if missed:
        phone_followup_resolve_for(
            source=appointment, reason=PhoneFollowUp.Reason.APPOINTMENT_NO_SHOW, actor=actor,
            resolution=_("Reagendada para el %(date)s") % {"date": _local(new.starts_at).strftime("%d-%m-%Y %H:%M")},
        )
    return new


def missed_appointment_to_book(followup):
    """The person's latest missed appointment still pending a call and not booked again, or None:
    what «Reagendado/a» books on the phone follow-up page."""
    pending = open_followups_of_person(followup.case.participant_id).filter(
        reason=PhoneFollowUp.Reason.APPOINTMENT_NO_SHOW, source_type=ContentType.objects.get_for_model(Appointment))
    ids = list(pending.values_list("source_id", flat=True))
    return Appointment.objects.filter(pk__in=ids, status=Status.NO_SHOW, rescheduled_to__isnull=True) \
        .select_related("professional").order_by("-starts_at", "-pk").first()


@transaction.atomic
def phone_call_reschedule(*, followup, actor, starts_at, professional=None, duration_minutes=None, notes=""):
    """A call that books the missed appointment again: the call is logged, the person's pending
    follow-ups are resolved and the new appointment is booked, or nothing is (AgendaError)."""
    appointment = missed_appointment_to_book(followup)
    if appointment is None:
        raise AgendaError(_("No hay una cita perdida que reagendar: registre el llamado y agende la cita aparte."),
                          field="outcome")
    phone_call_log(followup=followup, actor=actor, outcome=PhoneCall.Outcome.RESCHEDULED, notes=notes, resolve=True)
    return appointment_reschedule(appointment=appointment, starts_at=starts_at, actor=actor,
                                  professional=professional, duration_minutes=duration_minutes,
                                  reason=_("Reagendada por teléfono"))


@transaction.atomic
def appointment_cancel(*, appointment, reason, actor, version=None):
    appointment = _lock(appointment, version)
    _require_processing(appointment.case.participant_id, purpose=WIND_DOWN)
    if appointment.status != Status.SCHEDULED:
        raise AgendaError(_("Solo se puede cancelar una cita agendada (esta está «%(status)s»).")
                          % {"status": appointment.get_status_display()})
    appointment.cancel_reason = _require_reason(reason)
    appointment.status = Status.CANCELLED
    save_with_history(appointment, actor=actor, reason=_("Cita cancelada"))
    return appointment


@transaction.atomic
def appointment_check_in(*, appointment, actor, at=None, version=None):
    """The person is at the desk: the professional gets the arrival notice."""
    appointment = _lock(appointment, version)
    _require_processing(appointment.case.participant_id)
    at = at or timezone.now()
    if appointment.status not in (Status.SCHEDULED, Status.NO_SHOW):
        raise AgendaError(_("No se puede registrar la llegada: la cita está «%(status)s».")
                          % {"status": appointment.get_status_display()})
    if _local(appointment.starts_at).date() != timezone.localdate(at):
        raise AgendaError(_("La llegada se registra el mismo día de la cita."))
    _refuse_if_booked_again(appointment)
    if appointment.status == Status.NO_SHOW:
        # Came late after being marked absent: nobody needs to call.
        phone_followup_cancel_for(source=appointment, reason=PhoneFollowUp.Reason.APPOINTMENT_NO_SHOW, actor=actor)
    appointment.status = Status.ARRIVED
    appointment.checked_in_at = at
    appointment.checked_in_by = actor
    appointment.arrival_seen_at = None
    save_with_history(appointment, actor=actor, reason=_("Llegada registrada en recepción"))
    return appointment


@transaction.atomic
def appointment_mark_no_show(*, appointment, actor, version=None):
    """The person did not come: the desk gets one phone follow-up for it."""
    appointment = _lock(appointment, version)
    _require_processing(appointment.case.participant_id)
    if appointment.status != Status.SCHEDULED:
        raise AgendaError(_("Solo una cita agendada puede marcarse como inasistencia (esta está «%(status)s»).")
                          % {"status": appointment.get_status_display()})
    if appointment.starts_at > timezone.now():
        raise AgendaError(_("La cita aún no comienza: no se puede marcar la inasistencia."))
    appointment.status = Status.NO_SHOW
    save_with_history(appointment, actor=actor, reason=_("Inasistencia a la cita"))
    phone_followup_open(
        case=appointment.case, reason=PhoneFollowUp.Reason.APPOINTMENT_NO_SHOW,
        description=_describe(appointment), missed_on=_local(appointment.starts_at).date(),
        actor=actor, source=appointment,
    )
    return appointment


@transaction.atomic
def appointment_undo(*, appointment, actor, version=None):
    """Correct a mistaken check-in or no-show: the appointment is scheduled again."""
    appointment = _lock(appointment, version)
    _require_processing(appointment.case.participant_id)
    if appointment.status == Status.ARRIVED:
        appointment.checked_in_at = None
        appointment.checked_in_by = None
        appointment.arrival_seen_at = None
        reason = _("Llegada anulada")
    elif appointment.status == Status.NO_SHOW:
        _refuse_if_booked_again(appointment)
        phone_followup_cancel_for(source=appointment, reason=PhoneFollowUp.Reason.APPOINTMENT_NO_SHOW, actor=actor)
        reason = _("Inasistencia anulada")
    else:
        raise AgendaError(_("Solo se puede deshacer una llegada o una inasistencia."))
    appointment.status = Status.SCHEDULED
    save_with_history(appointment, actor=actor, reason=reason)
    return appointment


@transaction.atomic
def appointment_mark_attended(*, appointment, actor, version=None):
    appointment = _lock(appointment, version)
    _require_processing(appointment.case.participant_id)
    if appointment.status not in (Status.ARRIVED, Status.SCHEDULED):
        raise AgendaError(_("No se puede marcar como atendida una cita «%(status)s».")
                          % {"status": appointment.get_status_display()})
    if appointment.status == Status.SCHEDULED and appointment.starts_at > timezone.now():
        raise AgendaError(_("Una cita futura no puede marcarse como atendida."))
    if appointment.arrival_seen_at is None:
        appointment.arrival_seen_at = timezone.now()
    appointment.status = Status.ATTENDED
    save_with_history(appointment, actor=actor, reason=_("Cita atendida"))
    return appointment


@transaction.atomic
def appointment_arrival_seen(*, appointment, actor):
    """The professional acknowledged the arrival notice."""
    appointment = _lock(appointment)
    if appointment.professional_id != actor.pk:
        raise AgendaError(_("Solo el profesional de la cita puede confirmar el aviso de llegada."))
    if appointment.arrival_seen_at is None:
        appointment.arrival_seen_at = timezone.now()
        # The field is left out of the history on purpose: acknowledging a notice is no change to the case.
        appointment.save(update_fields=["arrival_seen_at"])
    return appointment


def _reminder_message(appointment, program):
    context = {"appointment": appointment, "person": appointment.case.participant, "program": program,
               "starts_at": _local(appointment.starts_at)}
    subject = _("Recordatorio de su cita del %(date)s") % {"date": context["starts_at"].strftime("%d-%m-%Y")}
    body = render_to_string("interventions/email/appointment_reminder.txt", context)
    return subject, body


@transaction.atomic
def appointment_send_reminder(*, appointment, actor, program=None, version=None):
    """E-mail the person the date, time and place of the appointment."""
    appointment = _lock(appointment, version)
    person = appointment.case.participant
    _require_processing(person)
    if not person.email:
        raise AgendaError(_("La persona no tiene correo electrónico registrado."))
    if appointment.status != Status.SCHEDULED or appointment.starts_at < timezone.now():
        raise AgendaError(_("Solo se envían recordatorios de citas agendadas que aún no ocurren."))
    subject, body = _reminder_message(appointment, program or ProgramSettings.load())
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email])
    appointment.reminder_sent_at = timezone.now()
    save_with_history(appointment, actor=actor, reason=_("Recordatorio enviado por correo"))
    return appointment


def reminders_send_for_day(*, day, actor=None):
    """Send the reminders of `day` not sent yet; returns (sent, skipped).

    Skipped: no e-mail, or data that may not be processed (blocked, consent withdrawn)."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    end = start + datetime.timedelta(days=1)
    due = Appointment.objects.filter(
        starts_at__gte=max(start, timezone.now()), starts_at__lt=end, status=Status.SCHEDULED,
        reminder_sent_at__isnull=True,
    ).select_related("case__participant")
    program = ProgramSettings.load()
    sent = skipped = 0
    for appointment in due:
        person = appointment.case.participant
        if not person.email or processing_block(person) is not None:
            skipped += 1
            continue
        appointment_send_reminder(appointment=appointment, actor=actor, program=program)
        sent += 1
    return sent, skipped
