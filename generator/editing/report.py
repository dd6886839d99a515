"""The secretariat's report: labels that end in the coming months, and those in their renewal period."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.core.dates import iso_day
from generator.core.months import Month
from generator.labels.status import State
from generator.site.csvout import csv_text
from generator.site.directory import Directory

COLUMNS = ("due", "status", "label", "name", "country", "valid_until", "renewable_until", "file")


@dataclass(frozen=True, slots=True)
class ReportRow:
    """One label the secretariat should act on."""

    due: dt.date  # the date that matters: the end of validity, or the end of the renewal window
    status: str  # "ends soon" or "in renewal"
    label: str
    name: str
    country: str
    valid_until: dt.date
    renewable_until: dt.date
    file: str


def report_rows(directory: Directory, months: int) -> list[ReportRow]:
    """Valid labels ending within `months` months of the as-of month, and labels in renewal."""
    horizon = (Month.from_date(directory.as_of) + months).last_day()
    rows = []
    for entry in directory.entries:
        s, c = entry.status, entry.cluster
        if s.state is State.VALID and s.valid_until <= horizon:
            rows.append(
                ReportRow(
                    s.valid_until,
                    "ends soon",
                    directory.rules.level(s.label).name,
                    c.name,
                    c.country,
                    s.valid_until,
                    s.renewable_until,
                    c.path,
                )
            )
        elif s.state is State.RENEWAL:
            level = directory.rules.level(s.level_of_record).name
            rows.append(
                ReportRow(
                    s.renewable_until,
                    "in renewal",
                    level,
                    c.name,
                    c.country,
                    s.valid_until,
                    s.renewable_until,
                    c.path,
                )
            )
    return sorted(rows, key=lambda r: (r.due, r.name, r.file))


def _values(row: ReportRow) -> list[str]:
    return [
        iso_day(row.due),
        row.status,
        row.label,
        row.name,
        row.country,
        iso_day(row.valid_until),
        iso_day(row.renewable_until),
        row.file,
    ]


def as_csv(rows: list[ReportRow]) -> str:
    """The report as CSV with a header row."""
    return csv_text(COLUMNS, (_values(r) for r in rows), lineterminator="\n")


def as_table(rows: list[ReportRow], as_of: dt.date, months: int) -> str:
    """The report as an aligned text table with a title line."""
    horizon = (Month.from_date(as_of) + months).last_day()
    title = f"Labels ending by {iso_day(horizon)}, and labels in renewal, as of {iso_day(as_of)}"
    if not rows:
        return f"{title}: none\n"
    table = [list(COLUMNS), *(_values(r) for r in rows)]
    widths = [max(len(line[i]) for line in table) for i in range(len(COLUMNS))]
    lines = [
        "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(line)).rstrip() for line in table
    ]
    return f"{title}\n\n" + "\n".join(lines) + "\n"
