"""Access-matrix rows of the intervention plan pages."""

from django.urls import reverse

from conecta import permissions as p
from tests.roles import PROFESSIONALS, only

PSY_AREA = [p.MANAGER, p.PSYCHOLOGIST, p.FOLLOWUP_PSYCHOLOGIST]


def build(objects):
    from interventions.services.plans import plan_create
    from participants.models import CaseStatus
    from participants.tests.factories import CaseFactory

    users = objects["users"]
    case = CaseFactory(status=CaseStatus.INTERVENTION, psychologist=users[p.PSYCHOLOGIST])
    plan = plan_create(case=case, actor=users[p.MANAGER])
    return {"plans_plan": plan, "plans_case_without_plan": CaseFactory(status=CaseStatus.DIAGNOSIS)}


def _plan(name, *extra):
    return lambda o: reverse(f"interventions:{name}", args=[o["plans_plan"].pk, *extra])


ROWS = [
    ("plan_create", lambda o: reverse("interventions:plan_create", args=[o["plans_case_without_plan"].pk]),
     only(PROFESSIONALS), 302),
    # An existing plan: the create page sends to it.
    ("plan_create:existing", lambda o: reverse("interventions:plan_create", args=[o["plans_plan"].case_id]),
     only(PROFESSIONALS, status=302), 302),
    ("plan_detail", _plan("plan_detail"), only(PROFESSIONALS), 302),
    ("plan_detail:missing", lambda o: reverse("interventions:plan_detail", args=[999999]),
     only(PROFESSIONALS, status=404), 302),
    ("plan_section_update:psychological", _plan("plan_section_update", "psychological"), only(PSY_AREA), 302),
    ("plan_section_update:social", _plan("plan_section_update", "social"), only([p.MANAGER, p.SOCIAL_WORKER]), 302),
    ("plan_section_update:occupational", _plan("plan_section_update", "occupational"),
     only([p.MANAGER, p.OCCUPATIONAL_THERAPIST]), 302),
    ("plan_section_update:bad-area", _plan("plan_section_update", "legal"), only(PROFESSIONALS, status=404), 302),
    ("plan_section_update:suggestion-param", lambda o: _plan("plan_section_update", "social")(o) + "?sugerir=99999999999999999999x",
     only([p.MANAGER, p.SOCIAL_WORKER]), 302),
    ("plan_review_create", _plan("plan_review_create", "occupational"), only([p.MANAGER, p.OCCUPATIONAL_THERAPIST]), 302),
    ("plan_agree", _plan("plan_agree"), only(PROFESSIONALS), 302),
    # POST only: GET is refused with 405 for those allowed, 403 for the rest.
    ("plan_submit", _plan("plan_submit"), only(PROFESSIONALS, status=405), 302),
    ("plan_approve", _plan("plan_approve"), only([p.MANAGER]), 302),
    ("plan_pdf", _plan("plan_pdf"), only(PROFESSIONALS), 302),
]
