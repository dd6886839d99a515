"""Dates and months as text: each form of generator/core/dates.py, the same whatever the locale."""

from __future__ import annotations

import datetime as dt
import locale

import pytest

from generator.core import dates
from generator.core.months import Month

DAY = dt.date(2028, 5, 31)

# fmt: off
FORMS = [
    # (function, value, text)
    (dates.day_text, DAY, "31 May 2028"),
    (dates.day_text, dt.date(2024, 2, 29), "29 February 2024"),
    (dates.short_day_text, dt.date(2026, 11, 27), "27 Nov 2026"),
    (dates.short_day_text, dt.date(2026, 9, 1), "1 Sep 2026"),
    (dates.day_month_text, dt.date(2026, 11, 27), "27 November"),
    (dates.month_year_text, Month.of(2024, 3), "March 2024"),
    (dates.month_year_text, Month.of(2025, 12), "December 2025"),
    (dates.numeric_month_year_text, DAY, "05/2028"),
    (dates.numeric_month_year_text, dt.date(2028, 12, 1), "12/2028"),
    (dates.iso_day, DAY, "2028-05-31"),
    (dates.iso_month, Month.of(2024, 3), "2024-03"),
    (dates.iso_midnight, dt.date(2026, 11, 1), "2026-11-01T00:00:00Z"),
]
# fmt: on


@pytest.mark.parametrize(("form", "value", "text"), FORMS)
def test_each_date_form_reads_as_its_name_says(form, value, text):
    assert form(value) == text


def test_date_forms_do_not_follow_the_machines_locale():
    before = locale.setlocale(locale.LC_TIME)
    try:
        for name in ("de_DE.UTF-8", "fr_FR.UTF-8", "C.UTF-8"):
            try:
                locale.setlocale(locale.LC_TIME, name)
            except locale.Error:
                continue
            assert [form(value) for form, value, _ in FORMS] == [text for *_, text in FORMS]
    finally:
        locale.setlocale(locale.LC_TIME, before)


def test_every_month_has_its_english_name():
    assert [dates.month_year_text(Month.of(2026, m)) for m in (1, 6, 12)] == [
        "January 2026",
        "June 2026",
        "December 2026",
    ]
    assert len(dates.MONTH_NAMES) == 12
