"""Chilean business days (días hábiles): not Saturday, not Sunday, not a public holiday.

The holidays are data (settings.PUBLIC_HOLIDAYS_FILE, one object per year), so
adding next year's list, or a holiday decreed for an election, needs no code.
A year missing from the file counts weekends only; `missing_years` lets a
system check say so before a deadline is counted wrong.

Program days (`is_program_day`) are another calendar: the days group work can be
scheduled (Saturdays yes; Sundays, holidays and the program's closed days no)."""

import datetime
import functools
import json

from django.conf import settings
from django.utils.translation import gettext as _


@functools.lru_cache(maxsize=4)
def _load(path):
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    years = {key: value for key, value in data.items() if key.isdigit()}
    days = {datetime.date.fromisoformat(day): name for listing in years.values() for day, name in listing.items()}
    return frozenset(int(year) for year in years), days


def holidays():
    """{date: name} of every public holiday in the file."""
    return _load(str(settings.PUBLIC_HOLIDAYS_FILE))[1]


def missing_years(years):
    """The given years that the holiday file does not list."""
    known = _load(str(settings.PUBLIC_HOLIDAYS_FILE))[0]
    return sorted(set(years) - known)


def is_business_day(day):
    return day.weekday() < 5 and day not in holidays()


def is_program_day(day):
    """A day the program runs group work: not Sunday, not a public holiday, not one of the
    days it closes (settings.PROGRAM_CLOSED_DAYS, e.g. 24 and 31 December). Saturdays count."""
    return program_closed_reason(day) is None


def program_closed_reason(day):
    """Why the program does not work on `day` (Spanish, for a message), or None if it does."""
    if day.weekday() == 6:
        return _("es domingo")
    if day in holidays():
        return _("es feriado (%(name)s)") % {"name": holidays()[day]}
    if day.strftime("%m-%d") in settings.PROGRAM_CLOSED_DAYS:
        return _("el programa no atiende ese día")
    return None


def add_business_days(start, count):
    """The day on which `count` business days after `start` have passed (start itself not counted).

    Received on Friday, 2 business days → Tuesday; received on Monday 7 December
    2026 → Thursday 10 (the 8th is a holiday)."""
    day = start
    remaining = count
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if is_business_day(day):
            remaining -= 1
    return day
