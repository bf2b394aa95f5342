"""Reads of the agenda, the reception desk and the phone follow-up list (fixed query cost)."""

import datetime

from django.db.models import Count, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from conecta.selectors import team_professionals
from interventions.models import Appointment
from participants.models import Participant, PhoneCall, PhoneFollowUp
from participants.querysets import visible_filter

Status = Appointment.Status
# Appointments that still stand in the day (moved and cancelled ones are listed apart).
STANDING_STATUSES = (Status.SCHEDULED, Status.ARRIVED, Status.ATTENDED, Status.NO_SHOW)


def day_bounds(day):
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return start, start + datetime.timedelta(days=1)


def week_start(day):
    return day - datetime.timedelta(days=day.weekday())


# Team members with an agenda: the professional roles (the desk books for them).
professionals = team_professionals


def _appointments():
    # `session`: whether one was already recorded from the appointment («Registrar sesión» is not offered twice).
    return Appointment.objects.select_related("case__participant", "professional", "checked_in_by", "session")


def agenda_for(*, professional, start_day, days, viewer):
    """The professional's appointments over `days` days from `start_day`, every status, as `viewer` sees them."""
    start, _end = day_bounds(start_day)
    return _appointments().filter(visible_filter(viewer, "case__participant")).filter(
        professional=professional, starts_at__gte=start, starts_at__lt=start + datetime.timedelta(days=days),
    ).order_by("starts_at", "pk")


def reception_day(*, day, viewer):
    """Expected arrivals of the day for every professional, in time order."""
    start, end = day_bounds(day)
    return _appointments().filter(visible_filter(viewer, "case__participant")).filter(starts_at__gte=start, starts_at__lt=end, status__in=STANDING_STATUSES) \
        .order_by("starts_at", "professional__first_name", "pk")


def arrivals_unseen(*, user):
    """Today's check-ins of the user's appointments the user has not acknowledged."""
    start, end = day_bounds(timezone.localdate())
    return _appointments().filter(visible_filter(user, "case__participant")).filter(
        professional=user, status=Status.ARRIVED, arrival_seen_at__isnull=True,
        checked_in_at__gte=start, checked_in_at__lt=end,
    ).order_by("checked_in_at", "pk")


def today_for(*, user):
    start, end = day_bounds(timezone.localdate())
    return _appointments().filter(visible_filter(user, "case__participant")).filter(
        professional=user, starts_at__gte=start, starts_at__lt=end,
                                  status__in=STANDING_STATUSES).order_by("starts_at", "pk")


def appointments_of_person(*, person):
    return _appointments().filter(case__participant=person).select_related("rescheduled_to") \
        .order_by("-starts_at", "-pk")


FOLLOWUP_FILTERS = {"abiertos": [PhoneFollowUp.Status.OPEN],
                    "cerrados": [PhoneFollowUp.Status.DONE, PhoneFollowUp.Status.CANCELLED]}


def phone_followup_list(*, viewer, state="abiertos"):
    """Follow-ups with the person, how many calls were made and the last one, at a fixed cost."""
    last_call = PhoneCall.objects.filter(followup=OuterRef("pk")).order_by("-called_at", "-pk")
    calls = PhoneCall.objects.filter(followup=OuterRef("pk")).order_by().values("followup")
    queryset = PhoneFollowUp.objects.select_related("case__participant", "opened_by").annotate(
        # Subqueries, not Count("calls"): a join and GROUP BY would run over every follow-up ever
        # closed before the page is cut.
        call_count=Coalesce(Subquery(calls.annotate(n=Count("pk")).values("n")[:1]), 0),
        last_called_at=Subquery(last_call.values("called_at")[:1]),
        last_outcome=Subquery(last_call.values("outcome")[:1]),
    )
    statuses = FOLLOWUP_FILTERS.get(state, FOLLOWUP_FILTERS["abiertos"])
    order = ("missed_on", "pk") if state != "cerrados" else ("-closed_at", "-pk")
    return queryset.filter(visible_filter(viewer, "case__participant")).filter(status__in=statuses).order_by(*order)


def phone_followup_people(*, viewer):
    """One row per person with pending calls, longest waiting first, at a fixed cost: how many
    absences are pending out of all those recorded, the latest one, and the calls made about them."""
    OPEN = PhoneFollowUp.Status.OPEN
    pending = PhoneFollowUp.objects.filter(case__participant=OuterRef("pk"), status=OPEN).order_by("-missed_on", "-pk")
    last_call = PhoneCall.objects.filter(followup__case__participant=OuterRef("pk"), followup__status=OPEN) \
        .order_by("-called_at", "-pk")
    followups = "cases__phone_followups"
    is_open = Q(**{f"{followups}__status": OPEN})
    return (
        # Only the people with a pending call are counted, not everyone the desk ever called.
        Participant.objects.filter(visible_filter(viewer))
        .filter(pk__in=PhoneFollowUp.objects.filter(status=OPEN).values("case__participant"))
        .annotate(
            pending_count=Count(followups, filter=is_open, distinct=True),
            absence_count=Count(followups, distinct=True),
            call_count=Count(f"{followups}__calls", filter=is_open, distinct=True),
            first_missed_on=Min(f"{followups}__missed_on", filter=is_open),
            latest_followup_id=Subquery(pending.values("pk")[:1]),
            latest_missed_on=Subquery(pending.values("missed_on")[:1]),
            latest_reason=Subquery(pending.values("reason")[:1]),
            latest_description=Subquery(pending.values("description")[:1]),
            last_called_at=Subquery(last_call.values("called_at")[:1]),
            last_outcome=Subquery(last_call.values("outcome")[:1]),
        )
        # Filtered after counting: a filter before it would narrow `absence_count` to the pending ones.
        .filter(pending_count__gt=0)
        .order_by("first_missed_on", "pk")
    )


def open_followup_count():
    """People with pending calls (the desk calls a person once for all their absences)."""
    return Participant.objects.filter(cases__phone_followups__status=PhoneFollowUp.Status.OPEN).distinct().count()


def reception_summary(*, day):
    """{status: count} of the day's appointments for the receptionist's home."""
    start, end = day_bounds(day)
    counts = dict(
        Appointment.objects.filter(starts_at__gte=start, starts_at__lt=end).values_list("status")
        .annotate(n=Count("id")).order_by()
    )
    return counts


def appointment_detail(*, pk):
    return _appointments().select_related("rescheduled_to", "created_by").get(pk=pk)


def bookable_cases():
    from interventions.services.agenda import BOOKABLE_CASE_STATUSES
    from participants.models import Case

    # Nobody books for a blocked person (their data are read-only), the manager included.
    return Case.objects.filter(status__in=BOOKABLE_CASE_STATUSES, participant__blocked_on__isnull=True) \
        .select_related("participant") \
        .order_by("participant__paternal_surname", "participant__given_names", "number")

