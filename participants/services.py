"""State changes of people and cases. Each runs in a transaction, checks the
state, raises DomainError (shown to the user as a message) and leaves history:
simple-history rows carry the change reason and, for cases, a CaseStatusChange
row records the timeline step."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy

from conecta import permissions
from conecta.concurrency import check_version
from conecta.errors import DomainError
from conecta.models import ProgramSettings
from conecta.services import history_reason, save_with_history
from conecta.text import fold
from participants.models import (
    UNFINISHED_STATUSES, Case, CaseStatus, CaseStatusChange, Participant, PhoneCall, PhoneFollowUp,
)
from participants.selectors import CONSENT, PROCESS, WIND_DOWN, has_active_consent, processing_block


class ProcessingRefused(DomainError):
    """The person's data may not be processed (blocked, or consent withdrawn); `restriction` says why."""

    def __init__(self, restriction):
        super().__init__(str(restriction))
        self.restriction = restriction


class ConsentRequired(DomainError):
    """Admission needs an active data-protection consent; the page offers to record one."""


def require_processing(person, *, purpose=PROCESS):
    """Raise ProcessingRefused unless `purpose` may go ahead on the person's data.

    `person` is a Participant or its id; it is read again, so a block applied
    after the caller loaded the person still counts. Every write service of
    every app calls this (participants.selectors.processing_block holds the rule)."""
    pk = getattr(person, "pk", person)
    fresh = Participant.objects.only("blocked_on", "processing_basis").get(pk=pk)
    restriction = processing_block(fresh, purpose=purpose)
    if restriction is not None:
        raise ProcessingRefused(restriction)


# Allowed lifecycle moves (DESIGN.md "Case"): anything else is refused.
TRANSITIONS = {
    CaseStatus.APPLICANT: {CaseStatus.DIAGNOSIS, CaseStatus.NOT_ADMITTED},
    CaseStatus.DIAGNOSIS: {CaseStatus.INTERVENTION, CaseStatus.EXITED, CaseStatus.NOT_ADMITTED},
    CaseStatus.INTERVENTION: {CaseStatus.EXITED},
    CaseStatus.EXITED: {CaseStatus.FOLLOWUP, CaseStatus.CLOSED},
    CaseStatus.FOLLOWUP: {CaseStatus.CLOSED},
    CaseStatus.CLOSED: set(),
    CaseStatus.NOT_ADMITTED: set(),
}

# The user-facing actions, one per target status.
ACTIONS = {
    "admit": (CaseStatus.DIAGNOSIS, gettext_lazy("Ingresar a diagnóstico")),
    "not_admit": (CaseStatus.NOT_ADMITTED, gettext_lazy("Registrar no ingreso")),
    "start_intervention": (CaseStatus.INTERVENTION, gettext_lazy("Iniciar intervención")),
    "exit": (CaseStatus.EXITED, gettext_lazy("Registrar egreso")),
    "start_followup": (CaseStatus.FOLLOWUP, gettext_lazy("Pasar a seguimiento")),
    "close": (CaseStatus.CLOSED, gettext_lazy("Cerrar caso")),
}


# Moves that end the relationship stay possible after the consent is withdrawn (see
# participants.selectors.processing_block); the others are new processing.
WIND_DOWN_TARGETS = frozenset({CaseStatus.EXITED, CaseStatus.CLOSED, CaseStatus.NOT_ADMITTED})
# Moves that need an active data-protection consent (program setting, Ley 21.719 art. 12 and 16).
CONSENT_TARGETS = frozenset({CaseStatus.DIAGNOSIS, CaseStatus.INTERVENTION})


def available_actions(case):
    allowed = TRANSITIONS[case.status]
    return [(code, label) for code, (target, label) in ACTIONS.items() if target in allowed]


@dataclass
class EligibilityCheck:
    ok: bool
    message: str


@dataclass
class Eligibility:
    checks: list = field(default_factory=list)

    @property
    def eligible(self):
        return all(check.ok for check in self.checks)


def case_eligibility(case, *, program=None, on=None):
    """Explain, rule by rule, whether the case meets seed 000 §3."""
    program = program or ProgramSettings.load()
    on = on or case.applied_on or datetime.date.today()
    person = case.participant
    result = Eligibility()

    age = person.age_on(on)
    if age is None:
        result.checks.append(EligibilityCheck(False, _("Falta la fecha de nacimiento para verificar la mayoría de edad.")))
    elif age < program.minimum_age:
        result.checks.append(EligibilityCheck(False, _("Tiene %(age)s años: el programa atiende a personas desde los %(min)s años.") % {"age": age, "min": program.minimum_age}))
    else:
        result.checks.append(EligibilityCheck(True, _("Es mayor de edad (%(age)s años).") % {"age": age}))

    if program.commune_id is None:
        result.checks.append(EligibilityCheck(False, _("El programa no tiene comuna configurada.")))
    elif person.commune_id == program.commune_id:
        result.checks.append(EligibilityCheck(True, _("Reside en %(commune)s.") % {"commune": program.commune.name}))
    else:
        where = person.commune.name if person.commune_id else _("una comuna no registrada")
        result.checks.append(EligibilityCheck(False, _("Reside en %(where)s, no en %(commune)s.") % {"where": where, "commune": program.commune.name}))

    if case.category == Case.Category.JUSTICE:
        if case.sentence_type:
            result.checks.append(EligibilityCheck(True, _("Conflicto con la justicia: %(sentence)s.") % {"sentence": case.get_sentence_type_display()}))
        else:
            result.checks.append(EligibilityCheck(False, _("Falta indicar el tipo de pena o medida.")))
    elif case.category == Case.Category.VULNERABILITY:
        if case.vulnerability_factors:
            result.checks.append(EligibilityCheck(True, _("Vulnerabilidad: %(factors)s.") % {"factors": "; ".join(str(f) for f in case.get_vulnerability_factors_display())}))
        else:
            result.checks.append(EligibilityCheck(False, _("Falta indicar al menos un factor de vulnerabilidad.")))
    else:
        result.checks.append(EligibilityCheck(False, _("Falta indicar si la persona está en conflicto con la justicia o en condición de vulnerabilidad.")))
    return result


@transaction.atomic
def participant_create(*, actor, data, application=None):
    """Register a person; with `application` (case_open fields), open their first case too."""
    if Participant.objects.filter(rut=data["rut"]).exists():
        raise DomainError(_("Ya existe una persona con este RUT."))
    person = Participant(created_by=actor, **data)
    save_with_history(person, actor=actor, reason=_("Registro de la persona"))
    if application is not None:
        case_open(participant=person, actor=actor, **application)
    return person


# The case fields only professionals may see or set (the receptionist's intake has none of them).
SENSITIVE_APPLICATION_FIELDS = frozenset({
    "referral_source", "referral_notes", "category", "sentence_type", "supervising_institution", "offences",
    "vulnerability_factors",
})


@transaction.atomic
def participant_intake(*, actor, data, application, consent_signed_on=None, consent_version="", admit_on=None):
    """Register a person, their application with its eligibility and, optionally, the data-protection
    consent they already signed and the admission to diagnosis: one step, all or nothing.

    Returns the new case. Refused (DomainError, nothing saved) when the actor may not set the
    sensitive fields or admit, or when the admission's own rules refuse it."""
    from participants.models import Consent

    if not permissions.can_see_sensitive(actor) and SENSITIVE_APPLICATION_FIELDS & set(application):
        raise DomainError(_("Los datos de derivación y de situación judicial los registra el equipo profesional."))
    if admit_on is not None and not permissions.can_manage_cases(actor):
        raise DomainError(_("El ingreso a diagnóstico lo registra el equipo profesional."))
    person = participant_create(actor=actor, data=data)
    case = case_open(participant=person, actor=actor, **application)
    if consent_signed_on is not None:
        if not permissions.can_see_sensitive(actor):
            raise DomainError(_("El consentimiento lo registra el equipo profesional."))
        consent_record(actor=actor, consent=Consent(
            participant=person, case=case, kind=Consent.Kind.DATA_PROTECTION, version=consent_version,
            signed_on=consent_signed_on))
    if admit_on is not None:
        case = case_transition(case=case, to_status=CaseStatus.DIAGNOSIS, actor=actor, date=admit_on,
                               reason=_("Ingreso registrado junto con la postulación."))
    return case


@transaction.atomic
def participant_update(*, participant, actor, version, reason=None):
    """Save the edited person; refused (StaleEditError) if someone saved since `version` was loaded."""
    check_version(participant, version=version)
    require_processing(participant)
    save_with_history(participant, actor=actor, reason=reason or _("Actualización de datos"))
    return participant


# What a re-entry carries over from the last episode unless the form says otherwise: who the person
# is for the program (justice situation, vulnerability, who referred and who supervises). Per-episode
# decisions (cohort, exception, team, dates) start afresh.
CARRIED_OVER_FIELDS = (
    "category", "sentence_type", "supervising_institution", "offences", "vulnerability_factors",
    "referral_source", "referral_notes",
)


def unfinished_case(participant):
    """The person's episode that is not closed yet (at most one), or None."""
    return participant.cases.filter(status__in=UNFINISHED_STATUSES).order_by("-number").first()


def reentry_refusal(participant):
    """Why a new episode may not be opened now (a message), or None."""
    open_case = unfinished_case(participant)
    if open_case is None:
        return None
    return _("El ingreso %(n)s está «%(status)s»: ciérrelo (o regístrelo como no ingreso) antes de abrir un "
             "reingreso. Una persona tiene un solo ingreso abierto a la vez.") % {
        "n": open_case.number, "status": open_case.get_status_display()}


def carried_over(last):
    """The fields of `last` a re-entry starts with (see CARRIED_OVER_FIELDS)."""
    if last is None:
        return {}
    return {name: getattr(last, name) for name in CARRIED_OVER_FIELDS}


@transaction.atomic
def case_open(*, participant, actor, applied_on, cohort=None, reason="", **fields):
    """Open an application; a re-entry (reingreso) is a new case for the same person.

    A re-entry needs the previous episode closed and a `reason` (what changed since); what the
    caller does not give is carried over from the last episode (CARRIED_OVER_FIELDS)."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    require_processing(participant)
    refusal = reentry_refusal(participant)
    if refusal:
        raise DomainError(refusal)
    if applied_on > datetime.date.today():
        raise DomainError(_("La fecha de postulación no puede estar en el futuro."))
    last = participant.cases.order_by("-number").first()
    reason = (reason or "").strip()
    if last is not None:
        last_step = last.status_changes.order_by("-date").values_list("date", flat=True).first() or last.applied_on
        if applied_on < last_step:
            raise DomainError(
                _("El reingreso no puede ser anterior al último movimiento del ingreso %(n)s (%(date)s).")
                % {"n": last.number, "date": last_step.strftime("%d-%m-%Y")}
            )
        if not reason:
            raise DomainError(_("Indique qué cambió desde el ingreso %(n)s: el motivo del reingreso queda en la "
                                "línea de tiempo.") % {"n": last.number})
        fields = {**carried_over(last), **fields}
    case = Case(
        participant=participant,
        number=(last.number + 1) if last else 1,
        cohort=cohort,
        applied_on=applied_on,
        status=CaseStatus.APPLICANT,
        **fields,
    )
    _check_case_fields(case)
    if last is None:
        history = step_reason = _("Postulación")
    else:
        history = _("Reingreso (ingreso %(n)s anterior): %(reason)s") % {"n": last.number, "reason": reason}
        step_reason = _("Reingreso: %(reason)s") % {"reason": reason}
    save_with_history(case, actor=actor, reason=history)
    CaseStatusChange.objects.create(
        case=case, from_status="", to_status=CaseStatus.APPLICANT, date=applied_on,
        actor=actor, reason=step_reason,
    )
    return case


def _check_case_fields(case):
    """Invariants of the justice fields that a form alone cannot see (they need the person)."""
    if case.sentence_type == Case.SentenceType.EXPULSION and is_chilean(case.participant):
        raise DomainError(_("La expulsión (art. 34 de la Ley 18.216) solo se aplica a personas extranjeras; "
                            "revise la nacionalidad o el tipo de pena."))


def is_chilean(person):
    return fold(person.nationality or "").strip() in {"chilena", "chileno", "chile"}


@transaction.atomic
def case_update(*, case, actor, version, reason=None):
    """Save the edited case (justice fields included); refused if stale, as participant_update."""
    check_version(case, version=version)
    require_processing(case.participant_id)
    _check_case_fields(case)
    save_with_history(case, actor=actor, reason=reason or _("Actualización del caso"))
    return case


@transaction.atomic
def case_grant_exception(*, case, actor, reason, version=None):
    """`version`: the case as the manager saw it on the form (None from scripts)."""
    from conecta.permissions import can_grant_exception

    if not can_grant_exception(actor):
        raise DomainError(_("Solo la gestora del programa puede autorizar una excepción."))
    require_processing(case.participant_id)
    if not reason or not reason.strip():
        raise DomainError(_("Escriba el fundamento de la excepción."))
    if version is not None:
        check_version(case, version=version)
    if case.status != CaseStatus.APPLICANT:
        raise DomainError(_("La excepción se autoriza antes del ingreso, cuando el caso está en postulación."))
    case.exception_granted = True
    case.exception_reason = reason.strip()
    case.exception_granted_by = actor
    save_with_history(case, actor=actor, reason=_("Excepción de elegibilidad autorizada"))
    return case


@transaction.atomic
def case_transition(*, case, to_status, actor, date, reason="", exit_type="", version=None):
    """Move a case to another status, or refuse with a message saying why.

    `version`: the case as the person saw it on the form; a move made from a
    page loaded before someone else changed the case is refused (StaleEditError).
    None (scripts, demo data) checks only the lifecycle rules."""
    if version is not None:
        check_version(case, version=version)
    case = Case.objects.select_for_update().select_related("participant").get(pk=case.pk)
    current = CaseStatus(case.status)
    target = CaseStatus(to_status)
    if target not in TRANSITIONS[current]:
        raise DomainError(
            _("Un caso «%(current)s» no puede pasar a «%(target)s».")
            % {"current": current.label, "target": target.label}
        )
    last_change = case.status_changes.order_by("-date", "-recorded_at").first()
    if last_change and date < last_change.date:
        raise DomainError(
            _("La fecha no puede ser anterior al último cambio de estado (%(date)s).")
            % {"date": last_change.date.strftime("%d-%m-%Y")}
        )
    if date > datetime.date.today():
        raise DomainError(_("La fecha no puede estar en el futuro."))
    require_processing(case.participant, purpose=WIND_DOWN if target in WIND_DOWN_TARGETS else PROCESS)
    reason = (reason or "").strip()

    if target == CaseStatus.DIAGNOSIS:
        eligibility = case_eligibility(case)
        if not eligibility.eligible and not case.exception_granted:
            missing = " ".join(c.message for c in eligibility.checks if not c.ok)
            raise DomainError(
                _("No cumple los requisitos de ingreso: %(missing)s Corrija los datos o pida a la gestora una excepción.")
                % {"missing": missing}
            )
        case.admitted_on = date
    elif target == CaseStatus.NOT_ADMITTED:
        if not reason:
            raise DomainError(_("Indique el motivo del no ingreso."))
        case.not_admitted_reason = reason
    elif target == CaseStatus.INTERVENTION:
        case.intervention_started_on = date
    elif target == CaseStatus.EXITED:
        if exit_type not in Case.ExitType.values:
            raise DomainError(_("Indique el tipo de egreso."))
        if current == CaseStatus.DIAGNOSIS and exit_type == Case.ExitType.COMPLETED:
            # Outcome figures count completed plans: none exists before intervention.
            raise DomainError(_("Un caso que no inició intervención no puede egresar por término del plan."))
        case.exited_on = date
        case.exit_type = exit_type
    elif target == CaseStatus.CLOSED:
        case.closed_on = date
    if target in CONSENT_TARGETS:
        _require_consent_for_admission(case.participant, on=date, target=target)

    case.status = target
    save_with_history(case, actor=actor, reason=_("%(from)s → %(to)s") % {"from": current.label, "to": target.label})
    CaseStatusChange.objects.create(
        case=case, from_status=current, to_status=target, date=date, actor=actor, reason=reason,
    )
    return case


def admission_lacks_consent(person, *, on):
    """True when the program asks for a data-protection consent at admission and `person` has
    neither one in force on `on` nor a legal basis the manager recorded."""
    program = ProgramSettings.load()
    if not program.require_consent_for_admission or person.processing_basis:
        return False
    return not has_active_consent(person, on=on)


def _require_consent_for_admission(person, *, on, target=CaseStatus.DIAGNOSIS):
    if admission_lacks_consent(person, on=on):
        what = _("iniciar la intervención") if target == CaseStatus.INTERVENTION else _("ingresar el caso")
        raise ConsentRequired(_(
            "Para %(what)s la persona debe tener un consentimiento de tratamiento de datos (Ley 21.719) "
            "vigente, firmado a más tardar el %(date)s. Regístrelo en la pestaña Consentimientos, o pida a la "
            "gestora que autorice el tratamiento con una base legal.") % {"what": what, "date": on.strftime("%d-%m-%Y")})


@transaction.atomic
def family_member_save(*, member, actor, version=None):
    """Add a family member, or save an edited one: an edit needs the `version` its form loaded."""
    if member.pk is not None:
        check_version(member, version=version)
    require_processing(member.participant_id)
    save_with_history(member, actor=actor, reason=_("Registro de familiar") if member.pk is None else _("Actualización de familiar"))
    return member


@transaction.atomic
def consent_record(*, consent, actor):
    require_processing(consent.participant_id, purpose=CONSENT)
    consent.recorded_by = actor
    save_with_history(consent, actor=actor, reason=_("Registro de consentimiento"))
    return consent


@transaction.atomic
def consent_withdraw(*, consent, actor, date, reason, version=None):
    """`version`: the consent as the person saw it on the withdrawal form (None from scripts)."""
    if version is not None:
        check_version(consent, version=version)
    if consent.withdrawn_on is not None:
        raise DomainError(_("Este consentimiento ya fue retirado."))
    if date < consent.signed_on:
        raise DomainError(_("El retiro no puede ser anterior a la firma."))
    if not reason or not reason.strip():
        raise DomainError(_("Indique el motivo del retiro."))
    consent.withdrawn_on = date
    consent.withdrawal_reason = reason.strip()
    save_with_history(consent, actor=actor, reason=_("Retiro de consentimiento"))
    return consent


@transaction.atomic
def document_receive(*, document, actor):
    require_processing(document.participant_id)
    document.received_by = actor
    save_with_history(document, actor=actor, reason=_("Documento recibido"))
    return document


@transaction.atomic
def phone_followup_open(*, case, reason, description, missed_on, actor, source=None):
    """Put a person on the desk's call list; the same absence is listed once.

    `source` is the missed thing (an appointment, a workshop attendance row):
    calling this again for it returns the existing entry, so marking an
    absence twice never makes two calls to do."""
    require_processing(case.participant_id)
    source_type = ContentType.objects.get_for_model(source) if source is not None else None
    if source is not None:
        existing = PhoneFollowUp.objects.filter(
            source_type=source_type, source_id=source.pk, reason=reason,
        ).first()
        if existing is not None:
            if existing.status == PhoneFollowUp.Status.CANCELLED:
                existing.status = PhoneFollowUp.Status.OPEN
                existing.closed_at = None
                save_with_history(existing, actor=actor, reason=_("Inasistencia registrada de nuevo"))
            return existing
    followup = PhoneFollowUp(
        case=case, reason=reason, description=str(description)[:300], missed_on=missed_on,
        source_type=source_type, source_id=source.pk if source is not None else None, opened_by=actor,
    )
    save_with_history(followup, actor=actor, reason=_("Inasistencia a seguir por teléfono"))
    return followup


@transaction.atomic
def phone_followup_cancel_for(*, source, reason, actor):
    """The absence was corrected (marked present after all): drop the pending call."""
    source_type = ContentType.objects.get_for_model(source)
    for followup in PhoneFollowUp.objects.filter(
        source_type=source_type, source_id=source.pk, reason=reason, status=PhoneFollowUp.Status.OPEN,
    ):
        followup.status = PhoneFollowUp.Status.CANCELLED
        followup.closed_at = timezone.now()
        followup.resolution = _("La inasistencia fue corregida.")
        save_with_history(followup, actor=actor, reason=_("Inasistencia corregida"))


@transaction.atomic
def phone_followup_resolve_for(*, source, reason, actor, resolution):
    """What was missed is taken care of (a missed appointment booked again): no call is pending for it."""
    source_type = ContentType.objects.get_for_model(source)
    for followup in PhoneFollowUp.objects.filter(
        source_type=source_type, source_id=source.pk, reason=reason, status=PhoneFollowUp.Status.OPEN,
    ):
        followup.status = PhoneFollowUp.Status.DONE
        followup.closed_at = timezone.now()
        followup.resolution = str(resolution)[:300]
        save_with_history(followup, actor=actor, reason=_("Seguimiento telefónico resuelto"))


def open_followups_of_person(participant_id):
    """The person's pending calls, newest absence first: the desk calls a person once for all of them."""
    return PhoneFollowUp.objects.filter(case__participant_id=participant_id, status=PhoneFollowUp.Status.OPEN) \
        .order_by("-missed_on", "-pk")


@transaction.atomic
def phone_call_log(*, followup, actor, outcome, notes="", called_at=None, resolve=False):
    """Record one call; reaching the person (or `resolve`) closes every pending follow-up of the
    person, since one call covers all their absences.

    «Reagendado/a» alone closes nothing: the follow-up waits until the new appointment is booked
    (interventions.services.agenda.phone_call_reschedule books it and resolves)."""
    followup = PhoneFollowUp.objects.select_for_update().select_related("case").get(pk=followup.pk)
    require_processing(followup.case.participant_id)
    if followup.status != PhoneFollowUp.Status.OPEN:
        raise DomainError(_("Este seguimiento ya está cerrado."))
    called_at = called_at or timezone.now()
    if called_at > timezone.now():
        raise DomainError(_("La fecha del llamado no puede estar en el futuro."))
    call = PhoneCall(followup=followup, caller=actor, outcome=outcome, notes=(notes or "").strip(), called_at=called_at)
    save_with_history(call, actor=actor, reason=_("Llamado registrado"))
    if resolve or outcome == PhoneCall.Outcome.REACHED:
        # Never an absence that happened after the call.
        pending_then = open_followups_of_person(followup.case.participant_id).filter(
            missed_on__lte=timezone.localdate(called_at))
        for pending in pending_then.select_for_update():
            pending.status = PhoneFollowUp.Status.DONE
            pending.closed_at = called_at
            pending.resolution = PhoneCall.Outcome(outcome).label
            save_with_history(pending, actor=actor, reason=_("Seguimiento telefónico resuelto"))
    return call


# --- Data protection: blocking, processing on a legal basis, deletion (Ley 21.719) -----------------


def _require_data_protection_role(actor):
    if not permissions.can_manage_data_protection(actor):
        raise DomainError(_("Solo la gestora del programa puede hacer este cambio."))


def _require_text(value, message):
    value = (value or "").strip()
    if not value:
        raise DomainError(message)
    return value


@transaction.atomic
def participant_block(*, participant, actor, reason, on=None):
    """Block the person's data (bloqueo temporal del tratamiento): read-only and out of every
    list but the manager's until `participant_unblock`. A rights request links here with its
    reason; the law gives 2 business days to apply it (the rights register counts them)."""
    _require_data_protection_role(actor)
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    reason = _require_text(reason, _("Indique el motivo del bloqueo."))
    on = on or timezone.localdate()
    if participant.blocked_on is not None:
        raise DomainError(_("Los datos de esta persona ya están bloqueados desde el %(date)s.")
                          % {"date": participant.blocked_on.strftime("%d-%m-%Y")})
    if on > timezone.localdate():
        raise DomainError(_("La fecha del bloqueo no puede estar en el futuro."))
    registered_on = timezone.localdate(participant.created_at)  # the program's day, not UTC's
    if on < registered_on:
        raise DomainError(_("La fecha del bloqueo no puede ser anterior al registro de la persona (%(date)s).")
                          % {"date": registered_on.strftime("%d-%m-%Y")})
    participant.blocked_on = on
    participant.blocked_reason = reason
    participant.blocked_by = actor
    return save_with_history(participant, actor=actor, reason=_("Bloqueo del tratamiento: %(reason)s") % {"reason": reason})


@transaction.atomic
def participant_unblock(*, participant, actor, reason):
    """Lift the block; the history keeps when, by whom and why it was set and lifted."""
    _require_data_protection_role(actor)
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    reason = _require_text(reason, _("Indique el motivo para levantar el bloqueo."))
    if participant.blocked_on is None:
        raise DomainError(_("Los datos de esta persona no están bloqueados."))
    participant.blocked_on = None
    participant.blocked_reason = ""
    participant.blocked_by = None
    return save_with_history(participant, actor=actor, reason=_("Bloqueo levantado: %(reason)s") % {"reason": reason})


@transaction.atomic
def processing_authorise(*, participant, actor, basis, detail, on=None):
    """The manager authorises processing without an active consent on a written legal basis
    (settings.CONECTA_PROCESSING_BASES, Ley 21.719 art. 13 and 20); revocable."""
    _require_data_protection_role(actor)
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.blocked_on is not None:
        raise DomainError(_("Los datos están bloqueados: levante el bloqueo antes de autorizar su tratamiento."))
    if basis not in dict(settings.CONECTA_PROCESSING_BASES):
        raise DomainError(_("Elija la base legal del tratamiento."))
    detail = _require_text(detail, _("Escriba el fundamento: qué obligación o función legal exige tratar estos datos."))
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise DomainError(_("La fecha de la autorización no puede estar en el futuro."))
    participant.processing_basis = basis
    participant.processing_basis_detail = detail
    participant.processing_authorised_on = on
    participant.processing_authorised_by = actor
    return save_with_history(participant, actor=actor, reason=_("Tratamiento autorizado sin consentimiento: %(basis)s")
                             % {"basis": participant.get_processing_basis_display()})


@transaction.atomic
def processing_revoke(*, participant, actor, reason):
    _require_data_protection_role(actor)
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    reason = _require_text(reason, _("Indique el motivo de la revocación."))
    if not participant.processing_basis:
        raise DomainError(_("No hay una autorización de tratamiento vigente."))
    participant.processing_basis = ""
    participant.processing_basis_detail = ""
    participant.processing_authorised_on = None
    participant.processing_authorised_by = None
    return save_with_history(participant, actor=actor, reason=_("Autorización de tratamiento revocada: %(reason)s")
                             % {"reason": reason})


def participant_delete_refusal(participant):
    """Why the person may not be deleted (a message), or None."""
    if participant.cases.exists():
        return _("%(name)s tiene casos registrados y no se puede eliminar: la historia del programa y sus "
                 "estadísticas dependen de ellos. Sus datos se anonimizan al vencer el plazo de conservación, "
                 "o pueden bloquearse mientras tanto.") % {"name": participant.full_name}
    if participant.blocked_on is not None:
        return _("Los datos de esta persona están bloqueados: no se pueden eliminar mientras dure el bloqueo.")
    return None


@transaction.atomic
def participant_delete(*, participant, actor, reason):
    """Delete a person registered by mistake; someone with cases is refused (never a ProtectedError)."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    refusal = participant_delete_refusal(participant)
    if refusal:
        raise DomainError(refusal)
    participant._history_user = actor
    participant._change_reason = history_reason(_require_text(reason, _("Indique el motivo de la eliminación.")))
    participant.delete()
