"""Deadlines counted by the app: calendar days for the answer (extendable once), Chilean
business days for applying a block (no weekends, no public holidays)."""

import datetime
import json

import pytest

from conecta import workdays
from dataprotection import checks
from dataprotection.deadlines import Deadline, answer_due_on, block_due_on

D = datetime.date


def test_answer_due_thirty_calendar_days_after_receipt():
    assert answer_due_on(D(2026, 12, 1)) == D(2026, 12, 31)
    # Calendar days: weekends and holidays count, and the year changes.
    assert answer_due_on(D(2026, 12, 10)) == D(2027, 1, 9)


def test_extension_adds_the_extension_days_once():
    assert answer_due_on(D(2026, 12, 1), extensions=1) == D(2027, 1, 30)


def test_deadlines_follow_the_settings(settings):
    settings.DATA_PROTECTION_ANSWER_DAYS = 15
    settings.DATA_PROTECTION_EXTENSION_DAYS = 10
    settings.DATA_PROTECTION_BLOCKING_BUSINESS_DAYS = 3
    assert answer_due_on(D(2026, 12, 1)) == D(2026, 12, 16)
    assert answer_due_on(D(2026, 12, 1), extensions=1) == D(2026, 12, 26)
    assert block_due_on(D(2026, 11, 27)) == D(2026, 12, 2)


@pytest.mark.parametrize("received,due", [
    (D(2026, 11, 30), D(2026, 12, 2)),   # Monday → Wednesday
    (D(2026, 11, 27), D(2026, 12, 1)),   # Friday → over the weekend → Tuesday
    (D(2026, 11, 28), D(2026, 12, 1)),   # received on a Saturday: Monday is the first business day
    (D(2026, 12, 7), D(2026, 12, 10)),   # Monday; Tuesday 8 December (Inmaculada Concepción) does not count
    (D(2026, 12, 4), D(2026, 12, 9)),    # Friday; weekend and 8 December skipped
    (D(2026, 12, 24), D(2026, 12, 29)),  # Thursday; Christmas (Friday) and the weekend skipped
    (D(2027, 3, 25), D(2027, 3, 30)),    # Good Friday 2027 and the weekend skipped
])
def test_blocking_due_two_business_days_after_receipt(received, due):
    assert block_due_on(received) == due


def test_business_days_know_the_holidays():
    assert not workdays.is_business_day(D(2026, 12, 8))
    assert not workdays.is_business_day(D(2026, 12, 25))
    assert not workdays.is_business_day(D(2026, 12, 5))  # Saturday
    assert workdays.is_business_day(D(2026, 12, 9))
    assert workdays.holidays()[D(2027, 9, 18)] == "Independencia Nacional"


def test_deadline_states():
    assert Deadline("Responder", D(2026, 12, 1), -1).overdue
    assert Deadline("Responder", D(2026, 12, 1), 0).due_soon
    assert not Deadline("Responder", D(2026, 12, 1), 30).due_soon
    assert Deadline("Responder", D(2026, 12, 1), -4).days_late == 4


def test_a_year_missing_from_the_holiday_file_is_warned(settings, tmp_path):
    holidays = tmp_path / "feriados.json"
    holidays.write_text(json.dumps({"2020": {"2020-01-01": "Año Nuevo"}}), encoding="utf-8")
    settings.PUBLIC_HOLIDAYS_FILE = holidays
    assert workdays.missing_years([2020, 2028]) == [2028]
    assert [warning.id for warning in checks.holidays_listed(None)] == ["dataprotection.W001"]


def test_the_shipped_holiday_file_covers_this_year_and_the_next():
    assert workdays.missing_years([2026, 2027]) == []
