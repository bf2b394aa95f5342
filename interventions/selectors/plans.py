"""Reads of the intervention plan, each at a fixed number of queries."""

import datetime

from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.utils import timezone

from interventions.models import Area, Plan, PlanAction, PlanObjective, PlanReview, PlanSection
from interventions.models.instruments import HIGH_NEED_LEVELS, Assessment, DomainResult
from participants.querysets import visible_filter

OPEN_ACTION_STATUSES = (PlanAction.Status.PENDING, PlanAction.Status.IN_PROGRESS)


def _sections_prefetch():
    objectives = PlanObjective.objects.select_related("domain").prefetch_related(
        Prefetch("actions", queryset=PlanAction.objects.select_related("responsible"), to_attr="action_list")
    )
    return Prefetch(
        "sections",
        queryset=PlanSection.objects.select_related("updated_by").prefetch_related(
            Prefetch("objectives", queryset=objectives, to_attr="objective_list"),
            Prefetch("reviews", queryset=PlanReview.objects.select_related("author"), to_attr="review_list"),
        ),
        to_attr="section_list",
    )


AREA_ORDER = {area: index for index, area in enumerate(Area.values)}


def _in_area_order(plan):
    """Psychological, social, occupational: the order of the PII form, not the alphabet."""
    plan.section_list.sort(key=lambda section: AREA_ORDER[section.area])
    return plan


def plan_detail(*, pk):
    """The plan with its sections, objectives, actions and reviews; raises Plan.DoesNotExist."""
    return _in_area_order(
        Plan.objects.select_related("case__participant", "approved_by", "created_by",
                                    "case__psychologist", "case__social_worker", "case__occupational_therapist")
        .prefetch_related(_sections_prefetch())
        .get(pk=pk)
    )


def section_for_edit(*, plan, area):
    """One section with its objectives and actions (raises PlanSection.DoesNotExist)."""
    objectives = PlanObjective.objects.select_related("domain").prefetch_related(
        Prefetch("actions", queryset=PlanAction.objects.select_related("responsible"), to_attr="action_list")
    )
    return (
        PlanSection.objects.select_related("plan__case__participant", "updated_by")
        .prefetch_related(Prefetch("objectives", queryset=objectives, to_attr="objective_list"))
        .get(plan=plan, area=area)
    )


def objective_suggestions(*, case, area, exclude_domain_ids=()):
    """Domains of the case's latest completed assessments at high need whose plan area is `area`.

    Only the latest result of each domain counts: a need that a later
    re-assessment lowered is no longer suggested."""
    results = (
        DomainResult.objects.filter(assessment__case=case, assessment__status=Assessment.Status.COMPLETED)
        .select_related("domain", "assessment__instrument")
        .order_by("domain_id", "-assessment__applied_on", "-assessment_id")
    )
    latest = {}
    for result in results:
        latest.setdefault(result.domain_id, result)
    return [
        result for domain_id, result in sorted(latest.items())
        if result.level in HIGH_NEED_LEVELS and result.domain.plan_area == area
        and domain_id not in set(exclude_domain_ids)
    ]


def plans_for_cases(*, cases):
    """The plans of the given cases for the case-file tab, with objective counts."""
    plans = (Plan.objects.filter(case__in=cases).select_related("case", "approved_by")
             .prefetch_related(_sections_prefetch()).order_by("-case__number"))
    return [_in_area_order(plan) for plan in plans]


def _today():
    return timezone.localdate()


def actions_due_for(*, user, days=7):
    """Open actions the user is responsible for, overdue or due within `days`."""
    limit = _today() + datetime.timedelta(days=days)
    return (
        PlanAction.objects.filter(visible_filter(user, "objective__section__plan__case__participant"),
                                  responsible=user, status__in=OPEN_ACTION_STATUSES, due_on__lte=limit)
        .select_related("objective__section__plan__case__participant")
        .order_by("due_on", "id")
    )


def reviews_due_for(*, cases, areas, days=7):
    """Sections of the cases in `areas` whose latest review sets a next review within `days` (or past)."""
    latest_next = Subquery(
        PlanReview.objects.filter(section=OuterRef("pk")).order_by("-reviewed_on", "-id").values("next_review_on")[:1]
    )
    latest_date = Subquery(
        PlanReview.objects.filter(section=OuterRef("pk")).order_by("-reviewed_on", "-id").values("reviewed_on")[:1]
    )
    return (
        PlanSection.objects.filter(plan__case__in=cases, area__in=areas)
        .annotate(next_review=latest_next, last_review=latest_date)
        .filter(next_review__lte=_today() + datetime.timedelta(days=days))
        .select_related("plan__case__participant")
        .order_by("next_review", "id")
    )


def plans_to_approve():
    return (
        Plan.objects.filter(status=Plan.Status.SUBMITTED)
        .select_related("case__participant", "created_by")
        .annotate(objective_count=Count("sections__objectives"))
        .order_by("submitted_at", "id")
    )
