"""The life of a rights request: intake → identity verified → (term extended) → answered.

Each step is a service that runs in a transaction, refuses a broken rule with a
Spanish `DomainError`, saves through `save_with_history` and adds a dated step
to the request's timeline. The date rules are written once, as functions that
return {field: message}: forms call them to show each message next to its
field, services call them again so no other caller can skip them."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from conecta import permissions
from conecta.concurrency import check_version
from conecta.errors import DomainError
from conecta.services import save_with_history
from dataprotection.deadlines import answer_due_on, block_due_on
from dataprotection.models import RecipientNotice, RightsRequest, RightsRequestEvent

Kind, Status, Outcome, Step = (RightsRequest.Kind, RightsRequest.Status, RightsRequest.Outcome,
                               RightsRequestEvent.Step)

# Rectification, suppression and blocking must reach whoever received the data
# (Ley 21.719 arts. 6, 7 and 8 ter): their page lists the recipients to tell.
NOTIFY_RECIPIENTS_KINDS = (Kind.RECTIFICATION, Kind.SUPPRESSION, Kind.BLOCKING)
# Answered with the export of everything held (access; portability in machine-readable form).
EXPORT_KINDS = (Kind.ACCESS, Kind.PORTABILITY)


def _d(date):
    return date.strftime("%d-%m-%Y")


def raise_errors(errors):
    if errors:
        raise DomainError(" ".join(str(message) for message in errors.values()))


def _require(allowed, actor):
    if not allowed(actor):
        raise DomainError(_("Solo la gestora del programa tramita las solicitudes de derechos."))


def _not_before(errors, field, date, floor, message):
    if date is not None and floor is not None and date < floor and field not in errors:
        errors[field] = message % {"date": _d(floor)}


def _not_future(errors, field, date, today):
    if date is not None and date > today:
        errors[field] = _("La fecha no puede estar en el futuro.")


# --- The rules, field by field ---------------------------------------------

def intake_errors(*, received_on, relation, requester_name, participant, subject_name, rights_request=None,
                  today=None):
    today = today or timezone.localdate()
    errors = {}
    _not_future(errors, "received_on", received_on, today)
    if rights_request is not None and received_on is not None:
        # A later step cannot precede the receipt it follows.
        later = [d for d in (rights_request.identity_verified_on, rights_request.extended_on,
                             rights_request.blocked_on) if d]
        if later and received_on > min(later):
            errors.setdefault("received_on", _("La recepción no puede ser posterior a un paso ya registrado "
                                               "(%(date)s).") % {"date": _d(min(later))})
    if participant is None and not (subject_name or "").strip():
        errors["subject_name"] = _("Indique el nombre de la persona titular, o su RUT si está registrada.")
    if relation != RightsRequest.Relation.SELF and not (requester_name or "").strip():
        errors["requester_name"] = _("Indique el nombre de quien presenta la solicitud en nombre de la titular.")
    return errors


def identity_errors(*, rights_request, method, verified_on, today=None):
    today = today or timezone.localdate()
    errors = {}
    if rights_request.is_answered:
        errors[None] = _("La solicitud ya fue respondida.")
    elif rights_request.identity_verified_on is not None:
        errors[None] = _("La identidad ya fue verificada el %(date)s.") % {"date": _d(rights_request.identity_verified_on)}
    if not method:
        errors["identity_method"] = _("Indique cómo se verificó la identidad.")
    _not_future(errors, "identity_verified_on", verified_on, today)
    _not_before(errors, "identity_verified_on", verified_on, rights_request.received_on,
                _("La verificación no puede ser anterior a la recepción de la solicitud (%(date)s)."))
    return errors


def extension_errors(*, rights_request, extended_on, reason, today=None):
    today = today or timezone.localdate()
    errors = {}
    if rights_request.is_answered:
        errors[None] = _("La solicitud ya fue respondida.")
    elif rights_request.extension_count >= settings.DATA_PROTECTION_MAX_EXTENSIONS:
        errors[None] = _("El plazo ya fue prorrogado: la ley permite prorrogarlo una sola vez.")
    if not (reason or "").strip():
        errors["extension_reason"] = _("Indique el motivo de la prórroga: se comunica a la persona.")
    _not_future(errors, "extended_on", extended_on, today)
    _not_before(errors, "extended_on", extended_on, rights_request.received_on,
                _("La prórroga no puede ser anterior a la recepción de la solicitud (%(date)s)."))
    if extended_on is not None and extended_on > rights_request.due_on and "extended_on" not in errors:
        errors["extended_on"] = _("La prórroga se decide antes de que venza el plazo (%(date)s): "
                                  "un plazo vencido ya no se puede prorrogar.") % {"date": _d(rights_request.due_on)}
    return errors


def block_errors(*, rights_request, blocked_on, today=None):
    today = today or timezone.localdate()
    errors = {}
    if rights_request.kind != Kind.BLOCKING:
        errors[None] = _("Solo una solicitud de bloqueo registra un bloqueo aplicado.")
    elif rights_request.blocked_on is not None:
        errors[None] = _("El bloqueo ya se registró el %(date)s.") % {"date": _d(rights_request.blocked_on)}
    _not_future(errors, "blocked_on", blocked_on, today)
    _not_before(errors, "blocked_on", blocked_on, rights_request.received_on,
                _("El bloqueo no puede ser anterior a la recepción de la solicitud (%(date)s)."))
    return errors


def answer_errors(*, rights_request, answered_on, outcome, answer, today=None):
    today = today or timezone.localdate()
    errors = {}
    if rights_request.is_answered:
        errors[None] = _("La solicitud ya fue respondida el %(date)s.") % {"date": _d(rights_request.answered_on)}
    if outcome not in Outcome.values:
        errors["outcome"] = _("Indique el resultado.")
    elif outcome != Outcome.REFUSED and rights_request.identity_verified_on is None:
        errors["outcome"] = _("Verifique la identidad de quien solicita antes de acoger la solicitud; "
                              "sin identidad acreditada, la respuesta es un rechazo fundado.")
    elif (outcome != Outcome.REFUSED and rights_request.kind == Kind.BLOCKING
          and rights_request.blocked_on is None):
        errors["outcome"] = _("Registre primero el bloqueo aplicado.")
    if not (answer or "").strip():
        errors["answer"] = _("Escriba la respuesta: qué se hizo y, si se rechaza, por qué.")
    _not_future(errors, "answered_on", answered_on, today)
    _not_before(errors, "answered_on", answered_on, rights_request.received_on,
                _("La respuesta no puede ser anterior a la recepción de la solicitud (%(date)s)."))
    for previous, message in [
        (rights_request.identity_verified_on, _("La respuesta no puede ser anterior a la verificación de identidad (%(date)s).")),
        (rights_request.extended_on, _("La respuesta no puede ser anterior a la prórroga (%(date)s).")),
        (rights_request.blocked_on, _("La respuesta no puede ser anterior al bloqueo (%(date)s).")),
    ]:
        _not_before(errors, "answered_on", answered_on, previous, message)
    return errors


def notice_errors(*, rights_request, informed_on, today=None):
    today = today or timezone.localdate()
    errors = {}
    if rights_request.kind not in NOTIFY_RECIPIENTS_KINDS:
        errors[None] = _("Solo una rectificación, supresión o bloqueo se comunica a los destinatarios.")
    _not_future(errors, "informed_on", informed_on, today)
    _not_before(errors, "informed_on", informed_on, rights_request.received_on,
                _("El aviso no puede ser anterior a la recepción de la solicitud (%(date)s)."))
    return errors


# --- The steps --------------------------------------------------------------

def _refresh(rights_request):
    """Deadlines and status follow from the recorded facts, so no step can leave them stale."""
    rights_request.due_on = answer_due_on(rights_request.received_on, extensions=rights_request.extension_count)
    rights_request.block_due_on = (block_due_on(rights_request.received_on)
                                   if rights_request.kind == Kind.BLOCKING else None)
    if rights_request.answered_on is not None:
        rights_request.status = Status.ANSWERED
    elif rights_request.extension_count:
        rights_request.status = Status.EXTENDED
    elif rights_request.identity_verified_on is not None:
        rights_request.status = Status.VERIFIED
    else:
        rights_request.status = Status.RECEIVED


def _step(rights_request, *, step, date, actor, note=""):
    RightsRequestEvent.objects.create(rights_request=rights_request, status=step, date=date, note=note, actor=actor)


def _subject_from_participant(rights_request):
    if rights_request.participant is not None:
        rights_request.subject_name = rights_request.participant.full_name
        rights_request.subject_rut = rights_request.participant.rut
    if rights_request.relation == RightsRequest.Relation.SELF:
        rights_request.requester_name = ""
        rights_request.requester_rut = ""


@transaction.atomic
def rights_request_register(*, actor, kind, received_on, channel, contact, description,
                            relation=RightsRequest.Relation.SELF, participant=None, subject_name="", subject_rut="",
                            requester_name="", requester_rut="", identity_method="", identity_notes=""):
    """Record a request as received; with `identity_method`, its identity was checked at intake too."""
    _require(permissions.can_register_rights_request, actor)
    if kind not in Kind.values:
        raise DomainError(_("Indique qué derecho ejerce la persona."))
    raise_errors(intake_errors(received_on=received_on, relation=relation, requester_name=requester_name,
                               participant=participant, subject_name=subject_name))
    rights_request = RightsRequest(
        kind=kind, participant=participant, subject_name=(subject_name or "").strip(), subject_rut=subject_rut or "",
        relation=relation, requester_name=(requester_name or "").strip(), requester_rut=requester_rut or "",
        contact=contact.strip(), received_on=received_on, channel=channel, description=description.strip(),
        registered_by=actor,
    )
    _subject_from_participant(rights_request)
    _refresh(rights_request)
    save_with_history(rights_request, actor=actor, reason=_("Solicitud de derechos recibida"))
    _step(rights_request, step=Step.RECEIVED, date=received_on, actor=actor,
          note=RightsRequest.Channel(channel).label)
    if identity_method:
        rights_request = rights_request_verify_identity(
            rights_request=rights_request, actor=actor, method=identity_method, verified_on=received_on,
            notes=identity_notes, version=rights_request.version)
    return rights_request


@transaction.atomic
def rights_request_update(*, rights_request, actor, version):
    """Correct the intake (who, when, how, what); deadlines are counted again from the receipt."""
    _require(permissions.can_manage_rights_requests, actor)
    check_version(rights_request, version=version)
    if rights_request.is_answered:
        raise DomainError(_("La solicitud ya fue respondida: su ingreso no se modifica."))
    raise_errors(intake_errors(received_on=rights_request.received_on, relation=rights_request.relation,
                               requester_name=rights_request.requester_name,
                               participant=rights_request.participant, subject_name=rights_request.subject_name,
                               rights_request=rights_request))
    if rights_request.kind != Kind.BLOCKING:
        rights_request.blocked_on = None
    _subject_from_participant(rights_request)
    _refresh(rights_request)
    save_with_history(rights_request, actor=actor, reason=_("Datos de ingreso corregidos"))
    _step(rights_request, step=Step.CORRECTED, date=timezone.localdate(), actor=actor)
    return rights_request


def _load(rights_request, version):
    """The stored row, locked, refused if it moved since the form was loaded."""
    return check_version(rights_request, version=version)


@transaction.atomic
def rights_request_verify_identity(*, rights_request, actor, method, verified_on, notes="", version):
    # The desk may check the identity card when it receives the request in person.
    _require(permissions.can_register_rights_request, actor)
    stored = _load(rights_request, version)
    raise_errors(identity_errors(rights_request=stored, method=method, verified_on=verified_on))
    stored.identity_method = method
    stored.identity_verified_on = verified_on
    stored.identity_verified_by = actor
    stored.identity_notes = (notes or "").strip()
    _refresh(stored)
    save_with_history(stored, actor=actor, reason=_("Identidad verificada"))
    _step(stored, step=Step.VERIFIED, date=verified_on, actor=actor, note=stored.get_identity_method_display())
    return stored


@transaction.atomic
def rights_request_extend(*, rights_request, actor, extended_on, reason, version):
    _require(permissions.can_manage_rights_requests, actor)
    stored = _load(rights_request, version)
    raise_errors(extension_errors(rights_request=stored, extended_on=extended_on, reason=reason))
    stored.extension_count += 1
    stored.extended_on = extended_on
    stored.extension_reason = reason.strip()
    _refresh(stored)
    save_with_history(stored, actor=actor, reason=_("Plazo prorrogado"))
    _step(stored, step=Step.EXTENDED, date=extended_on, actor=actor,
          note=_("Nuevo plazo: %(date)s. %(reason)s") % {"date": _d(stored.due_on), "reason": stored.extension_reason})
    return stored


@transaction.atomic
def rights_request_record_block(*, rights_request, actor, blocked_on, version, note=""):
    """The date the person's data were blocked (the block itself is applied from the case file)."""
    _require(permissions.can_manage_rights_requests, actor)
    stored = _load(rights_request, version)
    raise_errors(block_errors(rights_request=stored, blocked_on=blocked_on))
    stored.blocked_on = blocked_on
    save_with_history(stored, actor=actor, reason=_("Bloqueo aplicado"))
    _step(stored, step=Step.BLOCKED, date=blocked_on, actor=actor, note=(note or "").strip())
    return stored


@transaction.atomic
def rights_request_answer(*, rights_request, actor, answered_on, outcome, answer, version, proof=None):
    _require(permissions.can_manage_rights_requests, actor)
    stored = _load(rights_request, version)
    raise_errors(answer_errors(rights_request=stored, answered_on=answered_on, outcome=outcome, answer=answer))
    stored.answered_on = answered_on
    stored.outcome = outcome
    stored.answer = answer.strip()
    stored.answered_by = actor
    if proof:
        stored.answer_proof = proof
    _refresh(stored)
    save_with_history(stored, actor=actor, reason=_("Solicitud respondida: %(outcome)s") % {
        "outcome": Outcome(outcome).label})
    _step(stored, step=Step.ANSWERED, date=answered_on, actor=actor, note=Outcome(outcome).label)
    return stored


@transaction.atomic
def rights_request_attach_proof(*, rights_request, actor, proof, version):
    """The proof of the answer (letter signed for, e-mail sent) may arrive after the answer is recorded."""
    _require(permissions.can_manage_rights_requests, actor)
    stored = _load(rights_request, version)
    if not stored.is_answered:
        raise DomainError(_("Registre primero la respuesta."))
    if not proof:
        raise DomainError(_("Adjunte el comprobante."))
    stored.answer_proof = proof
    return save_with_history(stored, actor=actor, reason=_("Comprobante de la respuesta adjuntado"))


@transaction.atomic
def recipient_notice_record(*, rights_request, recipient, actor, informed_on, means):
    """Record that a recipient of the data (conecta.personal_data.Recipient) was told."""
    _require(permissions.can_manage_rights_requests, actor)
    stored = RightsRequest.objects.select_for_update().get(pk=rights_request.pk)
    raise_errors(notice_errors(rights_request=stored, informed_on=informed_on))
    if not (means or "").strip():
        raise DomainError(_("Indique cómo se informó al destinatario."))
    existing = stored.recipient_notices.filter(recipient_key=recipient.key).first()
    if existing is not None:
        raise DomainError(_("El aviso a %(name)s ya se registró el %(date)s.") % {
            "name": existing.recipient_name, "date": _d(existing.informed_on)})
    notice = RecipientNotice(rights_request=stored, recipient_key=recipient.key, recipient_name=recipient.name[:200],
                             institution_id=recipient.institution_id, informed_on=informed_on,
                             means=means.strip(), informed_by=actor)
    save_with_history(notice, actor=actor, reason=_("Destinatario informado"))
    _step(stored, step=Step.INFORMED, date=informed_on, actor=actor, note=f"{notice.recipient_name}: {notice.means}")
    return notice
