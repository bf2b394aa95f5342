"""Reads of referrals, each at a fixed number of queries."""

from django.db.models import Prefetch
from django.utils import timezone

from conecta.selectors import team_professionals
from interventions.models import Assessment, DomainResult, Instrument, PlanReview, PlanSection, Referral, ReferralEvent
from interventions.models.base import Area
from interventions.selectors.assessments import answer_rows, with_answers
from interventions.services.referrals import FINAL_STATUSES, OPEN_STATUSES, last_move_date
from participants.querysets import visible_filter

# Filter values of the list besides the statuses themselves.
STATUS_OPEN = "open"
STATUS_ALL = "all"


def _with_related(queryset):
    return queryset.select_related("case__participant", "institution", "created_by")


def annotate_waiting(referrals, *, today=None):
    """Days since the last move and whether the follow-up date has passed (in Python: no queries)."""
    today = today or timezone.localdate()
    for referral in referrals:
        referral.days_waiting = (today - last_move_date(referral)).days
        referral.followup_overdue = bool(
            referral.next_followup_on and referral.next_followup_on < today and referral.status not in FINAL_STATUSES
        )
    return referrals


def referral_list(*, viewer, status=Referral.Status.SENT, institution=None, need="", professional=None):
    """The «por responder» queue: by default referrals still waiting for an answer, oldest first."""
    queryset = _with_related(Referral.objects.filter(visible_filter(viewer, "case__participant")))
    if status == STATUS_OPEN:
        queryset = queryset.filter(status__in=OPEN_STATUSES)
    elif status and status != STATUS_ALL:
        queryset = queryset.filter(status=status)
    if institution:
        queryset = queryset.filter(institution=institution)
    if need:
        queryset = queryset.filter(need=need)
    if professional:
        queryset = queryset.filter(created_by=professional)
    return queryset.order_by("sent_on", "id")


# Team members who may make referrals, for the list's filter.
referral_professionals = team_professionals


def referral_detail(*, pk):
    """The referral with its timeline; raises Referral.DoesNotExist."""
    events = ReferralEvent.objects.select_related("actor").order_by("date", "recorded_at", "id")
    return _with_related(Referral.objects.prefetch_related(Prefetch("events", queryset=events, to_attr="timeline"))).get(pk=pk)


def referrals_of_cases(*, cases):
    case_ids = [case.pk for case in cases]
    return annotate_waiting(list(
        _with_related(Referral.objects.filter(case_id__in=case_ids)).order_by("-sent_on", "-id")
    ))


def waiting_for_answer(*, viewer, user=None, limit=10):
    """Referrals still sent without an answer, oldest first; only the user's when given."""
    queryset = _with_related(Referral.objects.filter(visible_filter(viewer, "case__participant"),
                                                     status=Referral.Status.SENT))
    if user is not None:
        queryset = queryset.filter(created_by=user)
    return queryset.order_by("sent_on", "id")[:limit]


def followups_due(*, viewer, user=None, until, limit=10):
    """Open referrals whose next follow-up falls on or before `until` (overdue ones included)."""
    queryset = _with_related(Referral.objects.filter(visible_filter(viewer, "case__participant"),
                                                     status__in=OPEN_STATUSES, next_followup_on__lte=until))
    if user is not None:
        queryset = queryset.filter(created_by=user)
    return queryset.order_by("next_followup_on", "id")[:limit]


def socio_family_report(*, case):
    """What the socio-family report prints. Never reads sessions: their notes may be clinical."""
    person = case.participant
    def latest(kind):
        # Every answer the assessment holds goes into the report, the open ones too.
        assessment = with_answers(
            Assessment.objects.filter(case=case, status=Assessment.Status.COMPLETED, instrument__kind=kind)
            .select_related("instrument", "professional")
            .prefetch_related(Prefetch("domain_results", queryset=DomainResult.objects.select_related("domain"),
                                       to_attr="results"))
        ).order_by("-applied_on", "-id").first()
        if assessment is not None:
            assessment.answer_rows = answer_rows(assessment)
        return assessment

    assessment = latest(Instrument.Kind.SOCIO_FAMILY)
    network = latest(Instrument.Kind.NETWORK)
    social_section = (
        PlanSection.objects.filter(plan__case=case, area=Area.SOCIAL)
        .prefetch_related("objectives",
                          Prefetch("reviews", queryset=PlanReview.objects.select_related("author"), to_attr="review_list"))
        .first()
    )
    return {
        "case": case,
        "person": person,
        "family": list(person.family_members.order_by("relationship", "name")),
        "evaluations": [{"kind": "socio_family", "item": assessment}, {"kind": "network", "item": network}],
        "referrals": referrals_of_cases(cases=[case]),
        "social_section": social_section,
    }

