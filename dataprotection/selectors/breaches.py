"""Reads of the breach register."""

from django.db.models import Count, Q

from dataprotection.models import SecurityBreach

STATUS_OPEN = "open"
STATUS_CLOSED = "closed"


def breach_list(*, status=""):
    queryset = SecurityBreach.objects.select_related("recorded_by")
    if status == STATUS_OPEN:
        queryset = queryset.filter(closed_on__isnull=True)
    elif status == STATUS_CLOSED:
        queryset = queryset.filter(closed_on__isnull=False)
    return queryset.order_by("-detected_on", "-id")


def breach_counts():
    return SecurityBreach.objects.aggregate(open=Count("id", filter=Q(closed_on__isnull=True)))


def breach_detail(*, pk):
    return SecurityBreach.objects.select_related("recorded_by").get(pk=pk)
