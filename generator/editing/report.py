"""The secretariat's report: labels that end in the coming months, and those in their renewal period."""

from __future__ import annotations

import datetime as dt
import textwrap
import unicodedata
from dataclasses import dataclass

from generator.core.dates import iso_day
from generator.core.months import Month
from generator.labels.status import State
from generator.site.csvout import csv_text
from generator.site.directory import Directory

COLUMNS = ("due", "status", "label", "name", "country", "valid_until", "renewable_until", "file")
# The columns a table fits when the terminal does not say how wide it is (a pipe, a log).
DEFAULT_WIDTH = 100
# Left out first when the table is too wide: the due date and the status say most of it.
_DATES = ("valid_until", "renewable_until")
_GAP = "  "


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


def _cells(text: str) -> int:
    """The terminal cells a text takes: two for a wide character, none for a combining one."""
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in text
    )


def _pad(text: str, cells: int) -> str:
    return text + " " * (cells - _cells(text))


def _cut(text: str, cells: int, keep_end: bool = False) -> str:
    """The text in at most `cells` cells, shortened with '…' (at its start with keep_end)."""
    if _cells(text) <= cells:
        return text
    kept = text[::-1] if keep_end else text
    while kept and _cells(kept) > cells - 1:
        kept = kept[:-1]
    return "…" + kept[::-1] if keep_end else kept + "…"


def _aligned(table: list[list[str]]) -> list[str]:
    widths = [max(_cells(line[i]) for line in table) for i in range(len(table[0]))]
    return [
        _GAP.join(_pad(cell, widths[i]) for i, cell in enumerate(line)).rstrip() for line in table
    ]


def _two_lines(table: list[list[str]], width: int) -> list[str]:
    """Each row on two lines: the short columns and the name (cut to fit), then the file."""
    at = {name: i for i, name in enumerate(COLUMNS)}
    short = [[line[at[c]] for c in ("due", "status", "label", "country")] for line in table]
    widths = [max(_cells(cells[i]) for cells in short) for i in range(len(short[0]))]
    lead = _GAP.join(" " * w for w in widths) + _GAP
    lines = []
    for line, cells in zip(table, short, strict=True):
        name = _cut(line[at["name"]], max(width - len(lead), 8))
        lines.append(
            _GAP.join(_pad(c, w) for c, w in zip(cells, widths, strict=True)) + _GAP + name
        )
        lines.append(_GAP + _cut(line[at["file"]], max(width - len(_GAP), 8), keep_end=True))
    return lines


def as_table(rows: list[ReportRow], as_of: dt.date, months: int, width: int = DEFAULT_WIDTH) -> str:
    """The report as an aligned text table with a title line, `width` terminal cells wide at
    most: without the two date columns when the whole table is wider, and each row on two
    lines (the file under the rest, a long name shortened) when that is still too wide."""
    horizon = (Month.from_date(as_of) + months).last_day()
    if not rows:
        after = horizon + dt.timedelta(days=1)
        message = (
            f"No label ends before {iso_day(after)}, and none is in renewal,"
            f" as of {iso_day(as_of)}."
        )
        return textwrap.fill(message, max(width, 20)) + "\n"
    title = f"Labels ending by {iso_day(horizon)}, and labels in renewal, as of {iso_day(as_of)}"
    table = [list(COLUMNS), *(_values(r) for r in rows)]
    lines = _aligned(table)
    if max(map(_cells, lines)) > width:
        keep = [i for i, name in enumerate(COLUMNS) if name not in _DATES]
        lines = _aligned([[line[i] for i in keep] for line in table])
    if max(map(_cells, lines)) > width:
        lines = _two_lines(table, width)
    return textwrap.fill(title, max(width, 20)) + "\n\n" + "\n".join(lines) + "\n"
