"""Brute-force defence on top of django-axes.

Axes records every failed login as (username, address) rows. This handler reads
them on two separate axes: a username is locked after AXES_FAILURE_LIMIT failures
from any addresses, an address is throttled after LOGIN_ADDRESS_FAILURE_LIMIT
failures over any usernames. Both last AXES_COOLOFF_TIME."""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render
from django.utils import timezone


def _failures(attempts):
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class LockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None):
        recent = AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))
        username = get_client_username(request, credentials)
        by_username = _failures(recent.filter(username=username)) if username else 0
        by_address = _failures(recent.filter(ip_address=request.axes_ip_address))
        # Axes compares this number with AXES_FAILURE_LIMIT: an address over its own (higher)
        # limit counts as having reached it, whatever the username.
        if by_address >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            return max(by_username, settings.AXES_FAILURE_LIMIT)
        return by_username

    def reset_user_attempts(self, request, credentials=None):
        """A successful login clears the failures on that username only.

        Axes would also clear every failure from the address, so someone with an
        account of their own could guess a colleague's password four times, log in,
        and start over; the address keeps its count until the cool-off ends."""
        username = get_client_username(request, credentials)
        count, _detail = AccessAttempt.objects.filter(username=username).delete()
        return count


def lockout_response(request, original_response=None, credentials=None):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"minutes": minutes},
                  status=settings.AXES_HTTP_RESPONSE_CODE)


def locked_usernames():
    """Usernames locked right now (failures within the cool-off over the limit)."""
    threshold = timezone.now() - settings.AXES_COOLOFF_TIME
    return set(
        AccessAttempt.objects.filter(attempt_time__gte=threshold, username__isnull=False).order_by()
        .values("username").annotate(total=Sum("failures_since_start"))
        .filter(total__gte=settings.AXES_FAILURE_LIMIT).values_list("username", flat=True)
    )
