"""Writes of sessions (atenciones individuales y familiares)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from conecta import permissions
from conecta.concurrency import check_version
from conecta.services import save_with_history
from interventions.models import Appointment, Area, PlanObjective, Session
from participants.models import CaseStatus
from participants.services import DomainError, require_processing

SESSION_CASE_STATUSES = (CaseStatus.DIAGNOSIS, CaseStatus.INTERVENTION, CaseStatus.EXITED, CaseStatus.FOLLOWUP)

# What a session recorded from an appointment says about that appointment.
APPOINTMENT_STATUS = {
    Session.Attendance.ATTENDED: Appointment.Status.ATTENDED,
    Session.Attendance.NO_SHOW: Appointment.Status.NO_SHOW,
    Session.Attendance.CANCELLED: Appointment.Status.CANCELLED,
}

# A cancelled or rescheduled appointment did not happen: no session comes from it.
SESSION_APPOINTMENT_STATUSES = (Appointment.Status.SCHEDULED, Appointment.Status.ARRIVED,
                                Appointment.Status.ATTENDED, Appointment.Status.NO_SHOW)

FIELDS = ("starts_at", "duration_minutes", "professional", "area", "modality", "attendance",
          "with_participant", "notes", "next_steps")


def can_record_from_appointment(user, appointment):
    """Whether «Registrar sesión» is offered on an appointment: only where `session_create`
    would accept it. No queries when the appointment comes with `case` and `session` selected."""
    return (
        appointment.status in (Appointment.Status.ARRIVED, Appointment.Status.ATTENDED)
        and getattr(appointment, "session", None) is None
        and appointment.case.status in SESSION_CASE_STATUSES
        and permissions.can_write_area(user, appointment.area)
    )


def can_edit_session(user, session):
    """The author corrects their record; the manager may step in."""
    return session.professional_id == user.pk or permissions.is_manager(user)


def _validate(*, case, actor, data, family_members, objectives):
    area = data["area"]
    if area not in Area.values:
        raise DomainError(_("Área no válida."))
    if not permissions.can_write_area(actor, area):
        raise DomainError(_("Usted no registra sesiones del área %(area)s.") % {"area": Area(area).label.lower()})
    if not permissions.can_write_area(data["professional"], area):
        raise DomainError(_("La persona indicada como profesional no trabaja en el área %(area)s.")
                          % {"area": Area(area).label.lower()})
    if timezone.localdate(data["starts_at"]) > timezone.localdate():
        raise DomainError(_("No se registra una sesión futura: agéndela como cita."))
    if not data.get("with_participant", True) and not family_members:
        raise DomainError(_("Indique quién participó: la persona o al menos un familiar."))
    if any(member.participant_id != case.participant_id for member in family_members):
        raise DomainError(_("Los familiares deben ser de la persona atendida."))
    wrong = [o for o in objectives if o.section.plan.case_id != case.pk or o.section.area != area]
    if wrong:
        raise DomainError(_("Los objetivos trabajados deben ser del plan de este caso y del área de la sesión."))


def _objectives(objectives):
    return list(PlanObjective.objects.filter(pk__in=[o.pk for o in objectives]).select_related("section__plan"))


@transaction.atomic
def session_create(*, case, actor, data, family_members=(), objectives=(), appointment=None,
                   appointment_version=None):
    """Record a session; from an appointment, the appointment takes the session's attendance.

    `appointment_version`: the appointment as the professional saw it when opening the
    form; if the desk has since marked it (arrival, no-show) the save is refused
    (StaleEditError), so a stale form never turns an absence into an attendance unseen."""
    require_processing(case.participant_id)
    if case.status not in SESSION_CASE_STATUSES:
        raise DomainError(_("Solo se registran sesiones de casos en diagnóstico, intervención, egreso o seguimiento."))
    family_members, objectives = list(family_members), _objectives(objectives)
    _validate(case=case, actor=actor, data=data, family_members=family_members, objectives=objectives)
    if appointment is not None:
        if appointment_version is not None:
            check_version(appointment, version=appointment_version)
        appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if appointment.case_id != case.pk:
            raise DomainError(_("La cita no corresponde a este caso."))
        if Session.objects.filter(appointment=appointment).exists():
            raise DomainError(_("Esta cita ya tiene una sesión registrada."))
        if appointment.status not in SESSION_APPOINTMENT_STATUSES:
            raise DomainError(_("No se registra una sesión de una cita «%(status)s».")
                              % {"status": appointment.get_status_display()})
    session = Session(case=case, appointment=appointment, **{name: data[name] for name in FIELDS if name in data})
    save_with_history(session, actor=actor, reason=_("Registro de la sesión"))
    session.family_members.set(family_members)
    session.objectives.set(objectives)
    if appointment is not None:
        appointment.status = APPOINTMENT_STATUS[session.attendance]
        save_with_history(appointment, actor=actor, reason=_("Sesión registrada a partir de la cita"))
        if appointment.status == Appointment.Status.NO_SHOW:
            _follow_up_no_show(appointment=appointment, actor=actor)
    return session


def _follow_up_no_show(*, appointment, actor):
    """A no-show recorded by the professional reaches the desk's call list like one marked at the desk."""
    from participants.models import PhoneFollowUp
    from participants.services import phone_followup_open

    phone_followup_open(
        case=appointment.case, reason=PhoneFollowUp.Reason.APPOINTMENT_NO_SHOW,
        description=_("%(label)s del %(when)s con %(who)s") % {
            "label": appointment.label, "when": timezone.localtime(appointment.starts_at).strftime("%d-%m-%Y %H:%M"),
            "who": appointment.professional.get_full_name() or appointment.professional.username},
        missed_on=timezone.localdate(appointment.starts_at), actor=actor, source=appointment,
    )


@transaction.atomic
def session_update(*, session, actor, version, data, family_members=(), objectives=()):
    """Correct a session; refused (StaleEditError) if someone saved it since `version` was loaded."""
    # Check against the stored record: the form may already have changed `professional` on this instance.
    stored = check_version(session, version=version)
    require_processing(stored.case.participant_id)
    if not can_edit_session(actor, stored):
        raise DomainError(_("Solo quien registró la sesión o la gestora pueden modificarla."))
    family_members, objectives = list(family_members), _objectives(objectives)
    _validate(case=session.case, actor=actor, data=data, family_members=family_members, objectives=objectives)
    for name in FIELDS:
        if name in data:
            setattr(session, name, data[name])
    save_with_history(session, actor=actor, reason=_("Corrección del registro de la sesión"))
    session.family_members.set(family_members)
    session.objectives.set(objectives)
    if session.appointment_id:
        appointment = session.appointment
        if appointment.status != APPOINTMENT_STATUS[session.attendance]:
            appointment.status = APPOINTMENT_STATUS[session.attendance]
            save_with_history(appointment, actor=actor, reason=_("Asistencia corregida en la sesión"))
    return session
