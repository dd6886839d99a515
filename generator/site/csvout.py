"""CSV as the project writes it: text that a spreadsheet would run as a formula is neutralised.

A cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is run as a formula by
Excel, LibreOffice and Google Sheets; OWASP's rule is to put an apostrophe before it, which the
spreadsheet hides. Every text cell is also quoted, so that a spreadsheet that splits on another
separator (`;` in much of Europe, a tab) cannot cut "Name;=1+1" into a cell that starts with
one. Numbers are left as numbers, unquoted.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from generator.records.textcheck import FORMULA_STARTS


def safe_cell(value: object) -> object:
    """A cell's value, with an apostrophe before text that a spreadsheet would run."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(
    columns: Sequence[str], rows: Iterable[Sequence[object]], lineterminator: str = "\r\n"
) -> str:
    """A header row and the rows, every text cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=lineterminator, quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow(columns)
    writer.writerows([safe_cell(v) for v in row] for row in rows)
    return buffer.getvalue()
