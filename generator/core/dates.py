"""Every date and month as the site and the commands show it: the one place they become text.

Each name says which form it gives: `day_text` ('31 May 2028'), `short_day_text` ('31 May
2028' with the month cut to three letters), `day_month_text` ('31 May'), `month_year_text`
('May 2028'), `numeric_month_year_text` ('05/2028'), and the ISO forms the data files and
addresses use, `iso_day` ('2028-05-31'), `iso_month` ('2028-05') and `iso_midnight`
('2028-05-31T00:00:00Z').

The words are those of the current language (`i18n.current()`), the same whatever the machine's
locale. In English, the commands' language and the site's at `/`, they are written here: CLDR's
`en` puts the month first ('May 31, 2028') and its `en_GB` cuts September to 'Sept', so neither
gives the forms above. Every other language takes its CLDR form from the skeleton of each form
(`yMMMMd` and so on) through Babel: German '31. Mai 2028', Polish '31 maja 2028', French '27 nov.
2026', Spanish 'mayo de 2028'. The numeric and ISO forms are the same in every language.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import babel.dates

from generator.core import i18n
from generator.core.months import Month

# English's month names, fixed here because calendar.month_name follows the machine's locale.
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


# The CLDR skeleton of each form in words, for the languages other than English.
_DAY, _SHORT_DAY, _DAY_MONTH, _MONTH_YEAR = "yMMMMd", "yMMMd", "MMMMd", "yMMMM"


@lru_cache(maxsize=16384)
def _cldr(language: i18n.Language, skeleton: str, day: dt.date) -> str:
    # Kept: a page of every cluster shows the same few months again and again, and Babel
    # matches the skeleton to a pattern each time it is asked.
    return babel.dates.format_skeleton(skeleton, day, locale=language.locale)


def _other_language() -> i18n.Language | None:
    """The current language unless it is English, whose forms are written here."""
    language = i18n.current()
    return None if language.code == i18n.SOURCE_LANGUAGE else language


def day_text(day: dt.date) -> str:
    """A day in words: '31 May 2028', '31. Mai 2028'."""
    language = _other_language()
    if language:
        return _cldr(language, _DAY, day)
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def short_day_text(day: dt.date) -> str:
    """A day in words with a short month, where room is short: '27 Nov 2026', '27. Nov. 2026'."""
    language = _other_language()
    if language:
        return _cldr(language, _SHORT_DAY, day)
    return f"{day.day} {MONTH_NAMES[day.month - 1][:3]} {day.year}"


def day_month_text(day: dt.date) -> str:
    """A day of the month in words, without its year: '27 November', '27 listopada'."""
    language = _other_language()
    if language:
        return _cldr(language, _DAY_MONTH, day)
    return f"{day.day} {MONTH_NAMES[day.month - 1]}"


def month_year_text(month: Month) -> str:
    """A month in words: 'March 2024', 'marzec 2024'."""
    language = _other_language()
    if language:
        return _cldr(language, _MONTH_YEAR, month.first_day())
    return f"{MONTH_NAMES[month.month - 1]} {month.year}"


def month_names() -> tuple[str, ...]:
    """The months' names as a date with a day writes them, January first: 'May', 'maja'."""
    language = _other_language()
    if language is None:
        return MONTH_NAMES
    names = language.locale.months["format"]["wide"]
    return tuple(str(names[number]) for number in range(1, 13))


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
