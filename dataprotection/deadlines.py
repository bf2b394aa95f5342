"""Deadlines of rights requests, counted by the app from the settings (see conecta/settings.py,
DATA_PROTECTION_*, with the articles of Ley 21.719 they come from).

- The answer is due a number of *calendar* days after receipt (30), plus the
  extension days (30) once the term was extended (at most
  DATA_PROTECTION_MAX_EXTENSIONS times). No rollover to the next working day: the
  app keeps the earlier, safer date.
- A blocking request must be applied within a number of *business* days (2):
  Chilean días hábiles, without Saturdays, Sundays and public holidays
  (conecta/workdays.py).
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conecta.workdays import add_business_days


def answer_due_on(received_on, *, extensions=0):
    days = settings.DATA_PROTECTION_ANSWER_DAYS + extensions * settings.DATA_PROTECTION_EXTENSION_DAYS
    return received_on + datetime.timedelta(days=days)


def block_due_on(received_on):
    return add_business_days(received_on, settings.DATA_PROTECTION_BLOCKING_BUSINESS_DAYS)


@dataclass(frozen=True)
class Deadline:
    """The next thing the program owes on a request, and how much time is left."""

    label: str
    due_on: datetime.date
    days_left: int

    @property
    def overdue(self):
        return self.days_left < 0

    @property
    def due_soon(self):
        return 0 <= self.days_left <= settings.DATA_PROTECTION_DUE_SOON_DAYS

    @property
    def days_late(self):
        return -self.days_left


def pending_deadline(rights_request, *, today=None):
    """Applying a block comes first (2 business days), then the answer; None once answered."""
    today = today or timezone.localdate()
    if rights_request.answered_on is not None:
        return None
    if rights_request.block_due_on and rights_request.blocked_on is None:
        return Deadline(_("Aplicar el bloqueo"), rights_request.block_due_on,
                        (rights_request.block_due_on - today).days)
    return Deadline(_("Responder"), rights_request.due_on, (rights_request.due_on - today).days)


def annotate_deadlines(requests, *, today=None):
    """Set `deadline` (or None) and `answered_late` on each request; no queries."""
    today = today or timezone.localdate()
    for item in requests:
        item.deadline = pending_deadline(item, today=today)
        item.answered_late = bool(item.answered_on and item.answered_on > item.due_on)
        item.blocked_late = bool(item.blocked_on and item.block_due_on and item.blocked_on > item.block_due_on)
    return requests
