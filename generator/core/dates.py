"""Every date and month as the site and the commands show it: the one place they become text.

Each name says which form it gives: `day_text` ('31 May 2028'), `short_day_text` ('31 May
2028' with the month cut to three letters), `day_month_text` ('31 May'), `month_year_text`
('May 2028'), `numeric_month_year_text` ('05/2028'), and the ISO forms the data files and
addresses use, `iso_day` ('2028-05-31'), `iso_month` ('2028-05') and `iso_midnight`
('2028-05-31T00:00:00Z'). The words are English for now, the same whatever the machine's
locale; a translation replaces `MONTH_NAMES` and the patterns here, never a caller.
"""

from __future__ import annotations

import datetime as dt

from generator.core.months import Month

# Fixed here because calendar.month_name follows the machine's locale.
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def day_text(day: dt.date) -> str:
    """A day in words: '31 May 2028'."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def short_day_text(day: dt.date) -> str:
    """A day in words with a three-letter month, where room is short: '27 Nov 2026'."""
    return f"{day.day} {MONTH_NAMES[day.month - 1][:3]} {day.year}"


def day_month_text(day: dt.date) -> str:
    """A day of the month in words, without its year: '27 November'."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]}"


def month_year_text(month: Month) -> str:
    """A month in words: 'March 2024'."""
    return f"{MONTH_NAMES[month.month - 1]} {month.year}"


def numeric_month_year_text(day: dt.date) -> str:
    """The month of a day in digits, as the badge shows it: '05/2028'."""
    return f"{day.month:02d}/{day.year}"


def iso_day(day: dt.date) -> str:
    """A day as ISO 8601, for data, addresses and `<time datetime>`: '2028-05-31'."""
    return day.isoformat()


def iso_month(month: Month) -> str:
    """A month as ISO 8601, the form records are written in: '2024-03'."""
    return str(month)


def iso_midnight(day: dt.date) -> str:
    """The start of a day in UTC as an ISO 8601 timestamp, as the feed dates entries:
    '2026-11-01T00:00:00Z'."""
    return f"{iso_day(day)}T00:00:00Z"
