"""Panels of the role homes that belong to people and cases."""

from django.db.models import Q

from conecta import permissions
from conecta.home import register_panel
from participants import selectors
from participants.models import OPEN_STATUSES, Case, CaseStatus, Participant

CASELOAD_ROLES = [
    permissions.PSYCHOLOGIST, permissions.SOCIAL_WORKER,
    permissions.OCCUPATIONAL_THERAPIST, permissions.FOLLOWUP_PSYCHOLOGIST,
]
CASELOAD_LIMIT = 15


@register_panel(roles=[permissions.MANAGER], template="participants/panels/_program.html", order=10)
def program_overview(*, request, role):
    start, end = selectors.semester_bounds()
    cases = Case.objects.all()
    return {
        "counts": selectors.status_counts(cases=cases, viewer=request.user),
        "semester_start": start,
        "semester_end": end,
        "admitted": cases.filter(admitted_on__range=(start, end)).count(),
        "exited": cases.filter(exited_on__range=(start, end)).count(),
        "applicants": selectors.caseload_for(user=request.user, role=role)
        .filter(status=CaseStatus.APPLICANT).order_by("applied_on")[:CASELOAD_LIMIT],
        "unassigned": cases.filter(status__in=OPEN_STATUSES)
        .filter(Q(psychologist__isnull=True) | Q(social_worker__isnull=True)).count(),
    }


@register_panel(roles=CASELOAD_ROLES, template="participants/panels/_caseload.html", order=10)
def caseload(*, request, role):
    mine = selectors.caseload_for(user=request.user, role=role)
    if role == permissions.FOLLOWUP_PSYCHOLOGIST:
        active = mine.filter(status__in=[CaseStatus.EXITED, CaseStatus.FOLLOWUP])
    else:
        active = mine.filter(status__in=OPEN_STATUSES)
    counts = selectors.caseload_status_counts(user=request.user, role=role)
    active_statuses = ({CaseStatus.EXITED, CaseStatus.FOLLOWUP} if role == permissions.FOLLOWUP_PSYCHOLOGIST
                       else set(OPEN_STATUSES))
    return {
        "counts": counts,
        "cases": active.order_by("participant__paternal_surname", "participant__given_names")[:CASELOAD_LIMIT],
        "total_active": sum(n for value, _label, n in counts if value in active_statuses),
    }


@register_panel(roles=[permissions.RECEPTIONIST], template="participants/panels/_reception.html", order=10)
def reception(*, request, role):
    return {
        # The desk's tiles are the people the program works with now, not its whole history.
        "counts": selectors.caseload_status_counts(user=request.user, role=role),
        "recent": Participant.objects.visible_to(request.user).order_by("-created_at")[:10],
    }
