"""Plan panels and pages: the same queries for 2 rows and for 30."""

import datetime

from django.urls import reverse

from conecta import permissions as p
from participants.models import CaseStatus

PLAN_RUT = "8765432-1"


def _plan_with_actions(users, n, *, submit=False):
    from interventions.models import PlanSection
    from interventions.services import plans as services
    from participants.tests.factories import CaseFactory

    today = datetime.date.today()
    psychologist = users[p.PSYCHOLOGIST]
    case = CaseFactory(status=CaseStatus.INTERVENTION, psychologist=psychologist)
    plan = services.plan_create(case=case, actor=users[p.MANAGER])
    section = PlanSection.objects.get(plan=plan, area="psychological")
    services.plan_section_save(
        section=section, actor=psychologist, revision=0, needs_summary="",
        objectives=[{"id": None, "text": f"Objetivo {i}", "status": "pending"} for i in range(n)],
        actions=[{"id": None, "objective": i, "description": f"Acción {i}", "responsible": psychologist,
                  "due_on": today + datetime.timedelta(days=(i % 10) - 5)} for i in range(n)],
    )
    services.plan_review_add(section=section, actor=psychologist, reviewed_on=today - datetime.timedelta(days=20),
                             progress="Avance", next_review_on=today - datetime.timedelta(days=1))
    if submit:
        services.plan_agree(plan=plan, version=plan.version, actor=psychologist, agreed_on=today)
        services.plan_submit(plan=plan, actor=psychologist, confirm_empty=True)
    return plan


def add_plans(users, n):
    for _i in range(n):
        _plan_with_actions(users, 1, submit=True)


def add_rows_to_one_plan(users, n):
    from django.contrib.contenttypes.models import ContentType

    from interventions.models import Plan, PlanObjective, PlanReview, PlanSection
    from participants.models import Participant

    # The access log's first write looks up the content type once per process; keep it out of the count.
    ContentType.objects.get_for_model(Participant)
    plan = Plan.objects.filter(case__participant__rut=PLAN_RUT).first()
    if plan is None:
        from interventions.services.plans import plan_create
        from participants.tests.factories import CaseFactory, ParticipantFactory

        case = CaseFactory(participant=ParticipantFactory(rut=PLAN_RUT), status=CaseStatus.INTERVENTION)
        plan = plan_create(case=case, actor=users[p.MANAGER])
    today = datetime.date.today()
    for i in range(n):
        section = PlanSection.objects.get(plan=plan, area=["psychological", "social", "occupational"][i % 3])
        objective = PlanObjective.objects.create(section=section, text=f"Objetivo {i}")
        objective.actions.create(description=f"Acción {i}", responsible=users[p.SOCIAL_WORKER], due_on=today)
        PlanReview.objects.create(section=section, author=users[p.SOCIAL_WORKER], reviewed_on=today, progress="Avance")


def _one_plan_url(name):
    def url(users):
        from interventions.models import Plan

        return reverse(f"interventions:{name}", args=[Plan.objects.get(case__participant__rut=PLAN_RUT).pk])
    return url


def _case_file_url(users):
    from participants.models import Participant

    return reverse("participants:participant_detail", args=[Participant.objects.get(rut=PLAN_RUT).pk])


QUERY_PAGES = [
    ("plans-home-psychologist", p.PSYCHOLOGIST, lambda users: reverse("role_home", args=[p.PSYCHOLOGIST]), add_plans),
    ("plans-home-manager", p.MANAGER, lambda users: reverse("role_home", args=[p.MANAGER]), add_plans),
    ("plans-detail", p.SOCIAL_WORKER, _one_plan_url("plan_detail"), add_rows_to_one_plan),
    ("plans-case-file", p.PSYCHOLOGIST, _case_file_url, add_rows_to_one_plan),
]
