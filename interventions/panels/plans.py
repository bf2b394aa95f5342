"""Plan: case-file tab and role-home panels."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conecta import permissions
from conecta.casefile import register_tab
from conecta.home import register_panel
from interventions.models import Area
from interventions.selectors import plans as selectors
from interventions.services.plans import PLAN_CASE_STATUSES
from participants.selectors import caseload_for

PANEL_LIMIT = 15
AREA_OF_ROLE = {
    permissions.PSYCHOLOGIST: Area.PSYCHOLOGICAL,
    permissions.SOCIAL_WORKER: Area.SOCIAL,
    permissions.OCCUPATIONAL_THERAPIST: Area.OCCUPATIONAL,
}
# The follow-up psychologist (not listed) works with people who have left the program:
# the plans' due actions and reviews belong to the area professionals, not to her home.
PLAN_PANEL_ROLES = list(AREA_OF_ROLE)


@register_tab(key="plan", label=_("Plan"), section=permissions.SECTION_PLAN,
              template="interventions/tabs/_plan.html", order=40)
def plan_tab(*, request, person, cases):
    plans = selectors.plans_for_cases(cases=cases)
    with_plan = {plan.case_id for plan in plans}
    can_create = permissions.can_work_cases(request.user)
    return {
        "plans": plans,
        "creatable": [c for c in cases if can_create and c.status in PLAN_CASE_STATUSES and c.pk not in with_plan],
        "count": len(plans),
    }


@register_panel(roles=PLAN_PANEL_ROLES, template="interventions/panels/_plan_actions.html", order=30)
def plan_actions(*, request, role):
    # Overdue and this week's each get their own share of the panel, so a long backlog never hides the week.
    actions = selectors.actions_due_for(user=request.user)
    today = timezone.localdate()
    overdue = actions.filter(due_on__lt=today)
    return {"overdue": overdue[:PANEL_LIMIT], "overdue_count": overdue.count(),
            "upcoming": actions.filter(due_on__gte=today)[:PANEL_LIMIT]}


@register_panel(roles=PLAN_PANEL_ROLES, template="interventions/panels/_plan_reviews.html", order=31)
def plan_reviews(*, request, role):
    # Reviews belong to plans being worked: closed cases of past years are not walked.
    cases = caseload_for(user=request.user, role=role).filter(status__in=PLAN_CASE_STATUSES).values("pk")
    sections = selectors.reviews_due_for(cases=cases, areas=[AREA_OF_ROLE[role]])
    return {"sections": sections[:PANEL_LIMIT], "today": timezone.localdate()}


@register_panel(roles=[permissions.MANAGER], template="interventions/panels/_plan_approvals.html", order=30)
def plan_approvals(*, request, role):
    return {"plans": selectors.plans_to_approve()[:PANEL_LIMIT]}
