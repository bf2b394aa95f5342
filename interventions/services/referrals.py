"""Referrals to the local network: create, move through their status flow, follow up.

Flow (DESIGN.md, "Referral"): sent → accepted / rejected / no answer;
accepted → attended → completed. Each move is dated (never before the
previous move, never in the future), leaves a ReferralEvent row for the
timeline and a history version of the referral."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from conecta import permissions
from conecta.concurrency import check_version
from conecta.services import save_with_history
from interventions.models import Referral, ReferralEvent
from participants.models import CaseStatus
from participants.services import DomainError, require_processing

Status = Referral.Status

TRANSITIONS = {
    Status.SENT: (Status.ACCEPTED, Status.REJECTED, Status.NO_ANSWER),
    Status.ACCEPTED: (Status.ATTENDED,),
    Status.ATTENDED: (Status.COMPLETED,),
}
FINAL_STATUSES = (Status.COMPLETED, Status.REJECTED, Status.NO_ANSWER)
# Statuses in which the program still waits for something from the institution.
OPEN_STATUSES = (Status.SENT, Status.ACCEPTED, Status.ATTENDED)

# Cases that may be referred: admitted and not yet closed.
REFERRABLE_CASE_STATUSES = (CaseStatus.DIAGNOSIS, CaseStatus.INTERVENTION, CaseStatus.EXITED, CaseStatus.FOLLOWUP)


class ReferralError(DomainError):
    """A refused referral change; `field` is the form field the message belongs to (None: the whole form)."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


def available_moves(referral):
    """[(status, label)] the referral may move to now."""
    return [(status, Status(status).label) for status in TRANSITIONS.get(referral.status, ())]


def last_move_date(referral):
    return max(d for d in (referral.sent_on, referral.answered_on, referral.attended_on, referral.closed_on) if d)


def _check_date(date, *, not_before, message, field):
    """`message` says what the date may not precede; it gets the date as %(date)s."""
    if date is None:
        raise ReferralError(_("Indique la fecha."), field=field)
    if date > timezone.localdate():
        raise ReferralError(_("La fecha no puede estar en el futuro."), field=field)
    if not_before and date < not_before:
        raise ReferralError(message % {"date": not_before.strftime("%d-%m-%Y")}, field=field)


def _check_followup(next_followup_on, *, sent_on):
    if next_followup_on and next_followup_on < sent_on:
        raise DomainError(_("El próximo seguimiento no puede ser anterior a la fecha de envío."))


def _require_network_role(actor):
    if not permissions.can_manage_network(actor):
        raise DomainError(_("Solo los profesionales del programa gestionan derivaciones."))


@transaction.atomic
def referral_create(*, case, institution, need, sent_on, actor, detail="", next_followup_on=None):
    _require_network_role(actor)
    require_processing(case.participant_id)
    if case.status not in REFERRABLE_CASE_STATUSES:
        raise DomainError(
            _("No se puede derivar un caso en estado «%(status)s».") % {"status": case.get_status_display()}
        )
    if not institution.active:
        raise DomainError(_("La institución no está vigente en el catastro de redes."))
    _check_date(sent_on, not_before=case.admitted_on or case.applied_on,
                message=_("La fecha de envío no puede ser anterior al ingreso del caso (%(date)s)."), field="sent_on")
    _check_followup(next_followup_on, sent_on=sent_on)
    referral = Referral(case=case, institution=institution, need=need, detail=detail, sent_on=sent_on,
                        next_followup_on=next_followup_on, created_by=actor, status=Status.SENT)
    save_with_history(referral, actor=actor, reason=_("Derivación enviada"))
    ReferralEvent.objects.create(referral=referral, status=Status.SENT, date=sent_on, note=detail, actor=actor)
    return referral


@transaction.atomic
def referral_transition(*, referral, to_status, date, actor, note="", outcome="", version=None):
    """Move a referral one step; illegal moves and bad dates raise DomainError.

    `version`: the referral as the person saw it on the form; if it changed since,
    the move is refused (StaleEditError). None (scripts, demo data): rules only."""
    _require_network_role(actor)
    if version is not None:
        check_version(referral, version=version)
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    require_processing(referral.case.participant_id)
    if to_status not in TRANSITIONS.get(referral.status, ()):
        raise ReferralError(
            _("Una derivación «%(current)s» no puede pasar a «%(target)s».")
            % {"current": referral.get_status_display(), "target": dict(Status.choices).get(to_status, to_status)},
            field="move",
        )
    _check_date(date, not_before=last_move_date(referral),
                message=_("La fecha no puede ser anterior al movimiento anterior (%(date)s)."), field="date")
    if to_status in (Status.ACCEPTED, Status.REJECTED, Status.NO_ANSWER):
        referral.answered_on = date
    if to_status == Status.ATTENDED:
        referral.attended_on = date
    if to_status in FINAL_STATUSES:
        referral.closed_on = date
        referral.next_followup_on = None
    if outcome:
        referral.outcome = outcome
    referral.status = to_status
    save_with_history(referral, actor=actor, reason=_("Derivación: %(status)s") % {"status": Status(to_status).label})
    ReferralEvent.objects.create(referral=referral, status=to_status, date=date, note=note, actor=actor)
    return referral


@transaction.atomic
def referral_update(*, referral, actor, outcome, next_followup_on, version):
    """Outcome text and next follow-up date; a closed referral has nothing left to follow up.
    Refused (StaleEditError) if the referral changed since `version` was loaded."""
    _require_network_role(actor)
    check_version(referral, version=version)
    require_processing(referral.case.participant_id)
    if next_followup_on and referral.status in FINAL_STATUSES:
        raise DomainError(_("La derivación está cerrada: no requiere un próximo seguimiento."))
    _check_followup(next_followup_on, sent_on=referral.sent_on)
    referral.outcome = outcome
    referral.next_followup_on = next_followup_on
    return save_with_history(referral, actor=actor, reason=_("Seguimiento de la derivación actualizado"))
