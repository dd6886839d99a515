"""Whole calendar months as plain values: parsing, arithmetic and the last day of a month."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from generator.core.showing import shown

# ASCII digits only, as the editors' schema has it (\d would take '٢٠٢٤' and fullwidth digits).
_MONTH_RE = re.compile(r"([0-9]{4})-([0-9]{2})(?:-([0-9]{2}))?")
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# The directory's life: dates outside it are typing slips, and the bounds keep every validity
# the rules can compute inside the calendar.
FIRST_YEAR, LAST_YEAR = 1990, 2199


@dataclass(frozen=True, order=True, slots=True)
class Month:
    """A calendar month, ordered and comparable; `index` counts months since year 0."""

    index: int

    @classmethod
    def of(cls, year: int, month: int) -> Month:
        """The month `month` (1-12) of `year`."""
        return cls(year * 12 + month - 1)

    @classmethod
    def from_date(cls, day: dt.date) -> Month:
        """The month a date falls in."""
        return cls.of(day.year, day.month)

    @property
    def year(self) -> int:
        """The calendar year."""
        return self.index // 12

    @property
    def month(self) -> int:
        """The month number, 1 to 12."""
        return self.index % 12 + 1

    def __add__(self, months: int) -> Month:
        return Month(self.index + months)

    def __sub__(self, other: Month) -> int:
        return self.index - other.index

    def first_day(self) -> dt.date:
        """The first day of the month."""
        return dt.date(self.year, self.month, 1)

    def last_day(self) -> dt.date:
        """The last day of the month (29 February in leap years)."""
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def __str__(self) -> str:
        # The ISO form records are written in; dates.iso_month names it for callers.
        return f"{self.year:04d}-{self.month:02d}"


def parse_month(text: str) -> Month:
    """Parse `YYYY-MM` or `YYYY-MM-DD` (the day is checked, then ignored); raise ValueError."""
    match = _MONTH_RE.fullmatch(text)
    if not match:
        raise ValueError(f"{shown(text)} is not a month: write it as YYYY-MM, for example 2024-03")
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12:
        raise ValueError(f"{shown(text)} has no month {match[2]}: months run from 01 to 12")
    _check_year(text, year)
    if match[3] is not None:
        try:
            dt.date(year, month, int(match[3]))
        except ValueError:
            raise ValueError(f"{shown(text)} is not a real date") from None
    return Month.of(year, month)


def _check_year(text: str, year: int) -> None:
    if year < FIRST_YEAR:
        raise ValueError(f"{shown(text)} is too early: the labels began in the 2000s")
    if year > LAST_YEAR:
        raise ValueError(f"{shown(text)} is too far in the future: check the year")


def parse_date(text: str) -> dt.date:
    """Parse a calendar date `YYYY-MM-DD` (not a week or ordinal date); raise ValueError."""
    # date.fromisoformat alone would also take '2026-W01-1' and '20260101'.
    if not _DATE_RE.fullmatch(text):
        raise ValueError(f"{shown(text)} is not a date: write it as YYYY-MM-DD")
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{shown(text)} is not a real date") from None
    _check_year(text, day.year)
    return day


def today() -> dt.date:
    """Today's date in UTC: the one place the clock is read (the default as-of date)."""
    return dt.datetime.now(dt.UTC).date()


def as_of_or_today(given: dt.date | None) -> dt.date:
    """The date a command works as of: the one given (`--as-of`), else today, read now."""
    return today() if given is None else given
