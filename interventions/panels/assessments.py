"""Case-file tab «Evaluaciones», the «Instrumentos» menu entry and the home panel of unfinished drafts."""

from django.utils.translation import gettext_lazy as _

from conecta import permissions
from conecta.casefile import register_tab
from conecta.home import register_panel
from conecta.navigation import register_nav
from interventions.selectors import assessments as selectors
from interventions.services.assessments import ASSESSABLE_STATUSES

register_nav(label=_("Instrumentos"), url_name="interventions:instrument_list", allowed=permissions.can_work_cases,
             order=60, group=_("Intervención"))


@register_tab(key="evaluaciones", label=_("Evaluaciones"), section=permissions.SECTION_ASSESSMENTS,
              template="interventions/tabs/_assessments.html", order=20)
def assessments_tab(*, request, person, cases):
    """One query for the assessments of every case of the person, whatever their number."""
    by_case = {case.pk: [] for case in cases}
    assessments = list(selectors.case_assessments(cases=[case.pk for case in cases]))
    for assessment in assessments:
        by_case[assessment.case_id].append(assessment)
    for case in cases:
        case.assessable = case.status in ASSESSABLE_STATUSES
    return {
        "cases": [(case, by_case[case.pk]) for case in cases],
        "count": len(assessments),
        "can_work": permissions.can_work_cases(request.user),
    }


DRAFT_PANEL_ROLES = [permissions.MANAGER, permissions.PSYCHOLOGIST, permissions.SOCIAL_WORKER,
                     permissions.OCCUPATIONAL_THERAPIST, permissions.FOLLOWUP_PSYCHOLOGIST]
DRAFT_PANEL_LIMIT = 10


@register_panel(roles=DRAFT_PANEL_ROLES, template="interventions/panels/_assessment_drafts.html", order=40)
def assessment_drafts(*, request, role):
    drafts = selectors.draft_assessments_of(user=request.user)
    return {"drafts": drafts[:DRAFT_PANEL_LIMIT], "total": drafts.count()}
