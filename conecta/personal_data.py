"""One way to export everything held on a person, and to know who received it.

Ley 21.719 gives the person a right of access to all their data, with its
recipients. No single app knows all of it: each app registers here the
sections it holds (`register_section`) and the third parties it passed data
to (`register_recipients`), in its own `personal_data.py` imported from its
AppConfig.ready(). The access export (dataprotection) and the rectification
page read only this registry, so a later app (placements, follow-up) adds its
data by registering, without touching the export.

A section provider is `provider(person, *, for_person) -> list[dict]`: one
dict per row, Spanish column labels as keys (the same keys in every row), plain
values (str, int, bool, date, datetime or None). `for_person=True` means the
rows are handed to the person: leave out what the law lets the program keep
back (see settings.DATA_PROTECTION_EXPORT_CLINICAL_NOTES) and third parties'
contact details. A recipient provider is `provider(person) -> list[Recipient]`.
"""

from dataclasses import dataclass
from typing import Callable, Optional

from django.utils.text import capfirst


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    provider: Callable
    order: int
    # The access-log sections (conecta.permissions.SECTION_*) the rows reveal.
    log_sections: tuple


_SECTIONS = {}


def register_section(key, title, provider=None, *, order=50, log_sections=()):
    """Register `provider` under `key`; usable as a decorator. Registering a key again replaces it."""

    def decorator(func):
        _SECTIONS[key] = Section(key, title, func, order, tuple(log_sections))
        return func

    return decorator(provider) if provider is not None else decorator


def sections():
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))


def collect(person, *, for_person=True):
    """[(section, rows)] for every registered section, in order (empty sections included)."""
    return [(section, list(section.provider(person, for_person=for_person))) for section in sections()]


@dataclass(frozen=True)
class Recipient:
    """A third party that received the person's data (an institution of a referral, a course's OTEC…)."""

    name: str
    reason: str
    since: object = None  # the date it first received data, when known
    institution_id: Optional[int] = None
    contact: str = ""

    @property
    def key(self):
        return f"institution:{self.institution_id}" if self.institution_id else f"name:{self.name}"


_RECIPIENTS = {}


def register_recipients(key, provider=None):
    def decorator(func):
        _RECIPIENTS[key] = func
        return func

    return decorator(provider) if provider is not None else decorator


def recipients_of(person):
    """Every recipient of the person's data, one per institution: reasons joined, earliest date kept."""
    merged = {}
    for key in sorted(_RECIPIENTS):
        for recipient in _RECIPIENTS[key](person):
            known = merged.get(recipient.key)
            if known is None:
                merged[recipient.key] = recipient
                continue
            dates = [d for d in (known.since, recipient.since) if d]
            reasons = known.reason if recipient.reason in known.reason else f"{known.reason}; {recipient.reason}"
            merged[recipient.key] = Recipient(name=known.name, reason=reasons, since=min(dates) if dates else None,
                                              institution_id=known.institution_id,
                                              contact=known.contact or recipient.contact)
    return sorted(merged.values(), key=lambda r: r.name.lower())


def field_values(obj, names, *, labels=None):
    """{label: value} of model fields for a row: choice labels, related objects as text, plain
    values otherwise. `labels` overrides a field's verbose name."""
    labels = labels or {}
    row = {}
    for name in names:
        field = obj._meta.get_field(name)
        label = str(labels.get(name) or capfirst(field.verbose_name))
        if field.choices:
            value = getattr(obj, f"get_{name}_display")() if getattr(obj, name) not in (None, "") else ""
        elif field.is_relation:
            related = getattr(obj, name)
            value = person_label(related) if hasattr(related, "get_full_name") else (str(related) if related else "")
        else:
            value = getattr(obj, name)
        row[label] = value
    return row


def person_label(user):
    """A team member as the person knows them: full name, else username."""
    if user is None:
        return ""
    return user.get_full_name() or user.username
