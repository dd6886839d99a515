"""One more award in a record's text, with every other byte of the file left as it was.

The award is inserted as text at the end of `labels`, in the file's own style: block items
with the same dash column and key indentation, bracketed lists with `, {level: …}`, the file's
line endings. The result is then read back: it must hold the same record with exactly one more
award, or nothing is written. A layout where that cannot be done is refused with what to do.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from dataclasses import dataclass, replace
from pathlib import Path

from generator.core.dates import iso_day
from generator.core.errors import ClusterdirError, Diagnostic, Severity, shown
from generator.core.model import Award, Cluster
from generator.core.months import Month, parse_month
from generator.editing.drafts import LABELS_TO_FILL_IN
from generator.records.catalog import record_from_bytes
from generator.records.records import Vocabulary
from generator.records.source import Node, SourceError, decode, parse

_COMMENT = re.compile(r"[ ]*#")


@dataclass(frozen=True, slots=True)
class NewAward:
    """The award an editor adds: level, assessment month and an optional end month, as text."""

    level: str
    assessed: str
    valid_until: str | None = None

    def fields(self) -> list[tuple[str, str]]:
        """The award's keys and values, in the order they are written."""
        found = [("level", self.level), ("assessed", self.assessed)]
        return found + ([("valid_until", self.valid_until)] if self.valid_until else [])

    def value(self) -> Award:
        """The award as the record will hold it."""
        until = parse_month(self.valid_until) if self.valid_until else None
        return Award(self.level, parse_month(self.assessed), until)


class CannotAppend(Exception):
    """The file's layout leaves no safe place for the award."""


def normalised(level: str, assessed: str, valid_until: str | None) -> NewAward:
    """The award from the command line, its months checked and written as YYYY-MM."""
    months: dict[str, str | None] = {}
    for key, value in (("assessed", assessed), ("valid_until", valid_until)):
        if value is None:
            months[key] = None
            continue
        try:
            months[key] = str(parse_month(value))
        except ValueError as exc:
            raise ClusterdirError(f"--{key.replace('_', '-')}: {exc}") from None
    return NewAward(level, months["assessed"] or assessed, months["valid_until"])


# Lines as YAML counts them (str.splitlines would also split at form feeds and other controls).
_LINE = re.compile(
    r"[^\r\n\x85\u2028\u2029]*(?:\r\n|[\r\n\x85\u2028\u2029])|[^\r\n\x85\u2028\u2029]+\Z"
)


def _lines(text: str) -> list[str]:
    return _LINE.findall(text)


def _newline(lines: list[str]) -> str:
    """The file's own line ending (CRLF, LF or a lone CR), LF for a one-line file."""
    for line in lines:
        for ending in ("\r\n", "\n", "\r"):
            if line.endswith(ending):
                return ending
    return "\n"


def _offset(lines: list[str], line: int, col: int) -> int:
    """The character offset of a 0-based line and column."""
    return sum(len(text) for text in lines[:line]) + col


def _after_line(lines: list[str], line: int, deeper_than: int) -> int:
    """The offset just past `line` and the comment lines that follow it, indented deeper than
    `deeper_than` (they belong to it)."""
    end = line + 1
    while end < len(lines) and _COMMENT.match(lines[end]):
        indent = len(lines[end]) - len(lines[end].lstrip(" "))
        if indent <= deeper_than:
            break
        end += 1
    return _offset(lines, end, 0)


def _block_item(award: NewAward, dash: str, pad: str, flow_item: bool, newline: str) -> str:
    if flow_item:
        inner = ", ".join(f"{k}: {v}" for k, v in award.fields())
        return f"{dash}-{pad[1:]}{{{inner}}}{newline}"
    first, *rest = award.fields()
    lines = [f"{dash}-{pad[1:]}{first[0]}: {first[1]}"]
    lines += [f"{dash}{' ' * len(pad)}{k}: {v}" for k, v in rest]
    return newline.join(lines) + newline


def _insert_block(text: str, labels: Node, award: NewAward) -> str:
    """After the last item of a block list, in its dash column and key indentation."""
    lines = _lines(text)
    newline = _newline(lines)
    last = labels.items[-1]
    start_line = last.line - 1
    before = lines[start_line][: last.col - 1]
    dash_at = before.rfind("-")
    if dash_at < 0 or before[:dash_at].strip():
        raise CannotAppend("its last award does not start a line with '- '")
    end_line, end_col = last.last_end()
    if end_col == 0:  # a block scalar's end lies at the start of the next line
        end_line -= 1
    at = _after_line(lines, end_line, dash_at)
    if at == len(text) and not text.endswith(("\n", "\r")):
        text, at = text + newline, at + len(newline)
    item = _block_item(award, " " * dash_at, before[dash_at:], last.flow, newline)
    return text[:at] + item + text[at:]


def _insert_flow(text: str, labels: Node, award: NewAward) -> str:
    """Inside a bracketed list: `, {level: …, assessed: …}` after its last item."""
    lines = _lines(text)
    inner = "{" + ", ".join(f"{k}: {v}" for k, v in award.fields()) + "}"
    if labels.items:
        line, col = labels.items[-1].last_end()
        at = _offset(lines, line, col)
        return text[:at] + ", " + inner + text[at:]
    at = _offset(lines, labels.line - 1, labels.col)  # just past '['
    return text[:at] + inner + text[at:]


def _without_example(lines: list[str], at: int) -> list[str]:
    """The lines without the example that `new` writes under an empty `labels:` at line `at`
    (its `# fill in` comment and the commented award), when they are exactly as it wrote them:
    the first award takes their place. An editor's own comments stay."""
    ends = len(LABELS_TO_FILL_IN)
    found = [line.rstrip("\r\n") for line in lines[at : at + ends]]
    if found != list(LABELS_TO_FILL_IN):
        return lines
    ending = lines[at][len(found[0]) :]
    return [*lines[:at], "labels:" + ending, *lines[at + ends :]]


def _insert_first(text: str, key: Node, labels: Node, award: NewAward) -> str:
    """Under an empty `labels:` (as `new` leaves it), indented two more than the key; the
    example `new` wrote there goes."""
    lines = _lines(text)
    newline = _newline(lines)
    if labels.line != key.line:
        raise CannotAppend("'labels' is empty on a line of its own")
    lines = _without_example(lines, key.line - 1)
    text = "".join(lines)
    at = _after_line(lines, key.line - 1, key.col - 1)
    if at == len(text) and not text.endswith(("\n", "\r")):
        text, at = text + newline, at + len(newline)
    dash = " " * (key.col + 1)
    return text[:at] + _block_item(award, dash, "- ", False, newline) + text[at:]


def _labels(root: Node) -> tuple[Node, Node]:
    if root.kind != "map":
        raise CannotAppend("the file is not a record")
    for key, value in root.pairs:
        if key.value == "labels":
            return key, value
    raise CannotAppend("it has no 'labels'")


def appended(text: str, award: NewAward) -> str:
    """The record's text with the award inserted at the end of `labels`; raise CannotAppend."""
    try:
        root = parse(text)
    except SourceError as exc:
        raise CannotAppend(exc.message) from None
    key, labels = _labels(root)
    if labels.kind == "seq" and labels.flow:
        return _insert_flow(text, labels, award)
    if labels.kind == "seq" and labels.items:
        return _insert_block(text, labels, award)
    if labels.kind == "scalar" and labels.plain and labels.value == "":
        return _insert_first(text, key, labels, award)
    raise CannotAppend("'labels' is not a list of awards")


def _is_first_award(problems: list[Diagnostic], text: str) -> bool:
    """Whether the record's only errors are that `labels` is still empty, as `new` leaves it."""
    if not problems or any(p.field != "labels" for p in problems if p.severity == "error"):
        return False
    _, labels = _labels(parse(text))
    return (labels.kind == "seq" and labels.flow and not labels.items) or (
        labels.kind == "scalar" and labels.plain and labels.value == ""
    )


def _same_but_the_award(before: Cluster | None, after: Cluster, award: NewAward) -> bool:
    """Whether `after` is `before` with the one award more, and nothing else changed."""

    def bare(items: tuple[Award, ...]) -> list[tuple[str, int, int | None]]:
        return sorted(
            (a.level, a.assessed.index, a.valid_until.index if a.valid_until else None)
            for a in items
        )

    expected = bare((before.awards if before else ()) + (award.value(),))
    if bare(after.awards) != expected:
        return False
    if before is None:
        return True
    return replace(before, awards=(), where=()) == replace(after, awards=(), where=())


def add_award(path: Path, data: bytes, award: NewAward, vocab: Vocabulary) -> tuple[str, Cluster]:
    """The record's new text with one more award, checked; raise when it cannot be done safely."""
    bom = "\ufeff" if data.startswith(codecs.BOM_UTF8) else ""  # kept, as every other byte
    named = shown(path, None, quoted=False)
    try:
        original = decode(data)
    except SourceError as exc:
        raise ClusterdirError(f"{named}:{exc.line}:{exc.col}: {exc.message}") from None
    before, problems = record_from_bytes(path, data, vocab)
    if before is None and not _is_first_award(problems, original):
        first = next(p for p in problems if p.severity == "error")
        raise ClusterdirError(f"{named} has errors; fix them first: {first.format()}")
    try:
        text = appended(original, award)
    except CannotAppend as reason:
        raise ClusterdirError(
            f"cannot add the award to {named} safely ({shown(reason, None, False)}): add it under 'labels' by hand; "
            "nothing was written"
        ) from None
    # The bytes as they will be written, byte-order mark and all, are what must be valid.
    after, problems = record_from_bytes(path, (bom + text).encode("utf-8"), vocab)
    if after is None:
        first = next(p for p in problems if p.severity == "error")
        raise ClusterdirError(
            f"the award would make {named} invalid: {first.message}; nothing was written"
        )
    if not _same_but_the_award(before, after, award):
        raise ClusterdirError(
            f"cannot add the award to {named} safely (the file reads differently afterwards): "
            "add it under 'labels' by hand; nothing was written"
        )
    return bom + text, after


def with_future_award(
    warnings: list[Diagnostic], cluster: Cluster, award: NewAward, as_of: dt.date
) -> list[Diagnostic]:
    """The check's warnings about a record just given `award`; when the award's month is after
    the as-of date, its warning says what that means: the status `award` prints leaves the award
    out, and `check --strict` (CI, pre-commit) refuses the record until that month."""
    month = award.value().assessed
    if month <= Month.from_date(as_of):
        return warnings
    added = max(
        (a for a in cluster.awards if a.level == award.level and a.assessed == month),
        key=lambda a: (a.line, a.col),
    )
    check_says = f"assessed {month} is later than the build date"  # checks.check_rules
    kept = [
        p
        for p in warnings
        if not ((p.line, p.col) == (added.line, added.col) and p.message.startswith(check_says))
    ]
    message = (
        f"assessed {month} is after the as-of date {iso_day(as_of)}: the status shown below"
        f" ignores this award, and check --strict refuses the record until {month}"
    )
    return [
        *kept,
        Diagnostic(cluster.path, added.line, added.col, Severity.WARNING, message, "assessed"),
    ]
