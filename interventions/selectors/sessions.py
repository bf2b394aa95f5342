"""Reads of sessions, each at a fixed number of queries.

Callers decide per session whether its content may be shown
(`permissions.can_read_session_content`); these only fetch."""

from django.db.models import Prefetch

from interventions.models import PlanObjective, Session
from participants.models import FamilyMember
from participants.querysets import visible_filter


def _with_details(queryset):
    return queryset.select_related("case__participant", "professional", "appointment").prefetch_related(
        Prefetch("objectives", queryset=PlanObjective.objects.select_related("section"), to_attr="objective_list"),
        Prefetch("family_members", queryset=FamilyMember.objects.order_by("name"), to_attr="family_list"),
    )


def session_detail(*, pk):
    """Raises Session.DoesNotExist."""
    return _with_details(Session.objects.all()).get(pk=pk)


def my_sessions(*, user, date_from=None, date_to=None, area=""):
    queryset = Session.objects.filter(visible_filter(user, "case__participant"), professional=user)
    if date_from:
        queryset = queryset.filter(starts_at__date__gte=date_from)
    if date_to:
        queryset = queryset.filter(starts_at__date__lte=date_to)
    if area:
        queryset = queryset.filter(area=area)
    return queryset.select_related("case__participant").order_by("-starts_at", "-id")


def sessions_for_cases(*, cases):
    return list(_with_details(Session.objects.filter(case__in=cases)).order_by("-starts_at", "-id"))


def sessions_for_plan_pdf(*, plan):
    return list(_with_details(Session.objects.filter(case_id=plan.case_id)).order_by("starts_at", "id"))
