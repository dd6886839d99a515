"""Records from a CSV list: every data row becomes a new record or a reason, with its line.

Three steps, each a function: read the rows (the separator is chosen from the header row alone,
and quotes are always `"`, so that an apostrophe in a name can never swallow rows), turn one
row into a draft or the reasons it cannot be one (pure, tested as a table), then plan the files
with the same checks as `new`. Rows in = records planned + rows reported, always.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from generator.core.countries import code_from_list
from generator.core.dates import MONTH_NAMES
from generator.core.errors import ClusterdirError, shown
from generator.core.months import parse_month
from generator.editing.drafts import Draft, Planned, plan_new
from generator.records.checks import SetIndex
from generator.records.reader import MAX_LIST_BYTES
from generator.records.records import Vocabulary

# Header words an existing list may use for each field (compared case- and space-insensitively).
CSV_COLUMNS = {
    "name": ("name", "cluster", "cluster name", "organisation", "organization"),
    "acronym": ("acronym", "short name"),
    "country": ("country", "country code", "iso2"),
    "city": ("city", "town"),
    "website": ("website", "www", "url", "web"),
    "sectors": ("sector", "sectors", "comparative portfolio", "portfolio"),
    "level": ("label", "level"),
    "assessed": ("assessed", "assessment", "assessment month", "awarded"),
    "valid_until": ("valid until", "label valid until", "valid_until", "validity"),
}
REQUIRED_COLUMNS = ("name", "country", "website", "level")
SEPARATORS = (",", ";", "\t")


@dataclass(frozen=True, slots=True)
class Row:
    """One data row: the physical lines it spans in the file, and its cells."""

    line: int
    last_line: int
    cells: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ImportPlan:
    """What an import would write, row by row, and every row it cannot use."""

    planned: tuple[tuple[int, Planned], ...]  # (line, record)
    skipped: tuple[tuple[int, str], ...]  # (line, reason)
    rows: int  # data rows read (blank lines aside)


def _norm(text: str) -> str:
    return " ".join(text.lower().replace("_", " ").split())


_WORDS = {_norm(word): key for key, words in CSV_COLUMNS.items() for word in words}


def header_map(header: list[str]) -> dict[str, int]:
    """Which column holds each field, by the header's words (the first match wins)."""
    found: dict[str, int] = {}
    for position, column in enumerate(header):
        key = _WORDS.get(_norm(column))
        if key is not None and key not in found:
            found[key] = position
    return found


# A cell may be as long as the whole list (the default limit, 128 KiB, raised an error).
csv.field_size_limit(MAX_LIST_BYTES)


def _reader(text: str, separator: str) -> Iterator[list[str]]:
    # RFC 4180: quotes are '"' and a quote inside a quoted cell is doubled; nothing is guessed.
    return csv.reader(io.StringIO(text, newline=""), delimiter=separator, quotechar='"')


def _separator(text: str) -> str:
    """The separator that makes the most of the header row's words known."""
    first_line = re.split(r"\r\n|\r|\n", text, maxsplit=1)[0]

    def score(separator: str) -> tuple[int, int]:
        try:
            header = next(_reader(first_line, separator), [])
        except csv.Error:
            return (0, 0)
        return len(header_map(header)), len(header)

    return max(SEPARATORS, key=score)


def read_rows(text: str, source: str) -> tuple[list[str], list[Row]]:
    """The header and every data row with its physical line numbers; blank lines are left out."""
    text = text.removeprefix("\ufeff")  # a spreadsheet's "CSV UTF-8" starts with one
    separator = _separator(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, quotechar='"')
    header: list[str] | None = None
    rows: list[Row] = []
    last = 0
    try:
        for cells in reader:
            first, last = last + 1, reader.line_num
            if header is None:
                header = [c.strip() for c in cells]
            elif any(c.strip() for c in cells):
                rows.append(Row(first, last, tuple(cells)))
    except csv.Error as exc:
        where = shown(source, None, quoted=False)
        problem = shown(exc, None, quoted=False)
        raise ClusterdirError(f"{where}:{last + 1}: cannot read the CSV: {problem}") from None
    if header is None:
        raise ClusterdirError(f"{shown(source, None, quoted=False)} is empty")
    return header, rows


# The forms lists use besides the records' own YYYY-MM and YYYY-MM-DD. Dots are written day
# first (only European lists use them); with slashes the order is certain only when the first
# number cannot be a month or both are the same: '12/01/2023' is a US list's December and a
# European list's January, and is refused rather than guessed.
_ISO = re.compile(r"([0-9]{4})-([0-9]{2})(?:-([0-9]{2}))?")  # as in a record: two-digit parts
_DOTTED = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")
_SLASHED = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
_MONTH_YEAR = re.compile(r"([0-9]{1,2})[./]([0-9]{4})")


class NotAMonth(ValueError):
    """A list's date cell that names no month, or one only by a guess; the argument is the
    reason after the quoted cell, or empty when it is simply not a date."""


def _day_month_year(day: int, month: int, year: int) -> str:
    """The month of a day written in parts, checked as `check` checks a record's date."""
    try:
        found = parse_month(f"{year:04d}-{month:02d}")  # the same bounds as in a record
    except ValueError:
        raise NotAMonth("") from None
    try:
        dt.date(year, month, day)
    except ValueError:
        raise NotAMonth("is not a real date") from None
    return str(found)


def month_from_list(text: str) -> str:
    """A month, as YYYY-MM, from the forms lists use: 2023-05, 2023-05-31, 31.05.2023, 05/2023,
    31/05/2023; a day must exist, as in a record. Raise NotAMonth otherwise, or when the order
    of day and month is a guess (12/01/2023)."""
    text = text.strip()
    if match := _ISO.fullmatch(text):
        return _day_month_year(int(match[3] or 1), int(match[2]), int(match[1]))
    if match := _DOTTED.fullmatch(text):
        return _day_month_year(int(match[1]), int(match[2]), int(match[3]))
    if match := _SLASHED.fullmatch(text):
        first, second, year = int(match[1]), int(match[2]), int(match[3])
        if 1 <= first <= 12 and 1 <= second <= 12 and first != second:
            raise NotAMonth(
                f"may be {first} {MONTH_NAMES[second - 1]} or {second} {MONTH_NAMES[first - 1]}"
                f" {year}: write the month as YYYY-MM"
            )
        return _day_month_year(first, second, year)
    if match := _MONTH_YEAR.fullmatch(text):
        return _day_month_year(1, int(match[1]), int(match[2]))
    raise NotAMonth("")


def _month_cell(
    cells: dict[str, str], key: str, label: str, general: str
) -> tuple[str | None, str | None]:
    """A date cell's month, or why it has none: (month, None) or (None, reason)."""
    text = cells.get(key)
    if not text:
        return None, None
    try:
        return month_from_list(text), None
    except NotAMonth as exc:
        why = str(exc)
        if not why:
            return None, f"{label} {shown(text)} is {general}"
        return None, f"{label} {shown(text)} {why}"


def row_draft(
    cells: dict[str, str], levels: tuple[str, ...], sectors: tuple[str, ...], first_months: int
) -> Draft | list[str]:
    """A row's cells (by field) as a draft record, or every reason it cannot be one."""
    name = cells.get("name", "")
    country = code_from_list(cells.get("country", ""))
    level_word = cells.get("level", "").lower().split(" ")[0] if cells.get("level") else ""
    level = level_word if level_word in levels else None
    assessed, assessed_problem = _month_cell(cells, "assessed", "assessed", "not a month")
    until, until_problem = _month_cell(cells, "valid_until", "valid until", "not a date")
    reasons = []
    if not name:
        reasons.append("no name")
    if country is None:
        reasons.append(f"unknown country {shown(cells.get('country', ''))}")
    if level is None:
        reasons.append(f"unknown label {shown(cells.get('level', ''))}")
    reasons += [problem for problem in (assessed_problem, until_problem) if problem]
    if assessed is None and until is None and not reasons:
        reasons.append("neither an assessment month nor a valid-until date")
    listed = tuple(s.strip() for s in re.split(r"[;|]", cells.get("sectors", "")) if s.strip())
    unknown = [s for s in listed if s not in sectors]
    if unknown:
        reasons.append(f"unknown sector {shown(unknown[0])}")
    if not cells.get("website") and not reasons:
        reasons.append("no website")
    if reasons:
        return reasons
    assert country is not None and level is not None
    note = None
    if assessed is None:
        # An old list gives only the end of validity: take it as a first award that ends then.
        assert until is not None
        assessed = str(parse_month(until) + (1 - first_months))
        note = "the assessment month is derived from 'valid until'"
    return Draft(
        name=name,
        country=country,
        website=cells.get("website") or None,
        city=cells.get("city") or None,
        acronym=cells.get("acronym") or None,
        sectors=listed,
        level=level,
        assessed=assessed,
        valid_until=until,
        note=note,
    )


def _cells(row: Row, columns: dict[str, int], width: int) -> dict[str, str] | str:
    """The row's cells by field, or why the row cannot be read as the header says."""
    extra = [c for c in row.cells[width:] if c.strip()]
    if extra:
        return (
            f"the row has {len(row.cells)} cells and the header {width}: "
            "put quotes around a cell that holds the separator"
        )
    cells = {
        key: row.cells[position].strip() if position < len(row.cells) else ""
        for key, position in columns.items()
    }
    broken = next((key for key, value in cells.items() if "\n" in value or "\r" in value), None)
    if broken is not None:
        return (
            f"the {broken} cell runs over lines {row.line} to {row.last_line}: "
            "check the quotes in the row"
        )
    return cells


def _printable(name: str) -> str:
    """A file name as text for a record's comment: bytes that are not UTF-8 (a name from
    another system) shown as the replacement character, controls as escapes."""
    text = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return shown(text, 200, quoted=False)


def plan_import(
    text: str,
    source: str,
    data_dir: Path,
    schema_file: Path,
    vocab: Vocabulary,
    first_months: int,
    known: SetIndex,
) -> ImportPlan:
    """The records a CSV list maps to, and a reason for every row that cannot be mapped."""
    header, rows = read_rows(text, source)
    columns = header_map(header)
    missing = [k for k in REQUIRED_COLUMNS if k not in columns]
    if not {"assessed", "valid_until"} & set(columns):
        missing.append("assessed or valid until")
    if missing:
        raise ClusterdirError(
            f"{shown(source, None, quoted=False)}: no column for {', '.join(missing)} (the header row reads:"
            f" {shown(', '.join(header))})"
        )
    planned: list[tuple[int, Planned]] = []
    skipped: list[tuple[int, str]] = []
    for row in rows:
        cells = _cells(row, columns, len(header))
        draft = (
            [cells]
            if isinstance(cells, str)
            else row_draft(cells, vocab.levels, vocab.sectors, first_months)
        )
        if isinstance(draft, list):
            skipped.append((row.line, "; ".join(draft)))
            continue
        note = f"imported from {_printable(Path(source).name)}, row {row.line}"
        draft = replace(draft, note=f"{note}; {draft.note}" if draft.note else note)
        try:
            record = plan_new(draft, data_dir, schema_file, vocab, known)
        except ClusterdirError as exc:
            skipped.append((row.line, str(exc).removesuffix(": nothing was written")))
            continue
        if record.cluster is not None:
            known.add(record.cluster)
        known.hold(record.path.stem, str(record.path))  # a later row may not take its id
        planned.append((row.line, record))
    return ImportPlan(tuple(planned), tuple(skipped), len(rows))
