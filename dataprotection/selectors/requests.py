"""Reads of the rights register, each at a fixed number of queries."""

import datetime

from django.conf import settings
from django.db.models import Case, Count, F, Prefetch, Q, When
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from conecta.personal_data import Recipient, recipients_of
from dataprotection.deadlines import annotate_deadlines
from dataprotection.models import RightsRequest, RightsRequestEvent
from dataprotection.services.requests import EXPORT_KINDS, NOTIFY_RECIPIENTS_KINDS

# Filter values of the list besides the statuses themselves.
STATUS_OPEN = "open"
STATUS_OVERDUE = "overdue"
STATUS_ALL = "all"


def _open():
    return Q(answered_on__isnull=True)


def _block_pending():
    return Q(kind=RightsRequest.Kind.BLOCKING, blocked_on__isnull=True)


def _with_next_due(queryset):
    """`next_due`: the block deadline while a block is pending, else the answer deadline."""
    return queryset.annotate(next_due=Case(When(_block_pending(), then=F("block_due_on")), default=F("due_on")))


def rights_request_list(*, status=STATUS_OPEN, kind="", today=None):
    today = today or timezone.localdate()
    queryset = _with_next_due(RightsRequest.objects.select_related("participant", "registered_by"))
    if status == STATUS_OPEN:
        queryset = queryset.filter(_open()).order_by("next_due", "id")
    elif status == STATUS_OVERDUE:
        queryset = queryset.filter(_open(), next_due__lt=today).order_by("next_due", "id")
    else:
        if status in RightsRequest.Status.values:
            queryset = queryset.filter(status=status)
        queryset = queryset.order_by("-received_on", "-id")
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset


def pending_deadlines(*, today=None, limit=10):
    """Open requests whose next deadline has passed or falls within the warning window."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=settings.DATA_PROTECTION_DUE_SOON_DAYS)
    queryset = (_with_next_due(RightsRequest.objects.select_related("participant"))
                .filter(_open(), next_due__lte=horizon).order_by("next_due", "id"))
    return annotate_deadlines(list(queryset[:limit]), today=today)


def register_counts(*, today=None):
    """Open and overdue requests, in one query."""
    today = today or timezone.localdate()
    return _with_next_due(RightsRequest.objects.filter(_open())).aggregate(
        open=Count("id"), overdue=Count("id", filter=Q(next_due__lt=today)))


def rights_request_detail(*, pk):
    """The request with its timeline; raises RightsRequest.DoesNotExist."""
    events = RightsRequestEvent.objects.select_related("actor").order_by("date", "recorded_at", "id")
    return (RightsRequest.objects
            .select_related("participant", "registered_by", "identity_verified_by", "answered_by")
            .prefetch_related(Prefetch("events", queryset=events, to_attr="timeline"))
            .get(pk=pk))


def recipients_to_inform(rights_request):
    """[{recipient, notice}] for a rectification, suppression or block: every institution that
    received the person's data (conecta.personal_data), with the notice recorded, if any."""
    if rights_request.kind not in NOTIFY_RECIPIENTS_KINDS:
        return []
    notices = {notice.recipient_key: notice
               for notice in rights_request.recipient_notices.select_related("informed_by")}
    rows = []
    recipients = recipients_of(rights_request.participant) if rights_request.participant_id else []
    for recipient in recipients:
        rows.append({"recipient": recipient, "notice": notices.pop(recipient.key, None)})
    # A notice whose recipient no longer appears (its referral was removed) stays on record.
    for notice in notices.values():
        rows.append({"recipient": Recipient(name=notice.recipient_name, reason="",
                                            institution_id=notice.institution_id), "notice": notice})
    return rows


def recipient_by_key(rights_request, key):
    for recipient in recipients_of(rights_request.participant) if rights_request.participant_id else []:
        if recipient.key == key:
            return recipient
    return None


def block_page_url(rights_request):
    """The case file's page that blocks the person, carrying the request number.

    It belongs to participants (the blocking of a person); until that page is
    installed the request shows only the form that records the date."""
    if rights_request.kind != RightsRequest.Kind.BLOCKING or not rights_request.participant_id:
        return None
    try:
        url = reverse("participants:participant_block", args=[rights_request.participant_id])
    except NoReverseMatch:
        return None
    return f"{url}?solicitud={rights_request.pk}"


def can_extend(rights_request):
    return not rights_request.is_answered and rights_request.extension_count < settings.DATA_PROTECTION_MAX_EXTENSIONS


def can_export(rights_request):
    return rights_request.kind in EXPORT_KINDS and rights_request.participant_id is not None


def requests_of_person(*, person):
    return list(RightsRequest.objects.filter(participant=person).order_by("received_on", "id"))
