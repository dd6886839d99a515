"""Turning one record's YAML nodes into a Cluster, checking every field on the way.

Every problem is reported with the line and column of the value at fault, and checking goes on
after a problem, so an editor sees all of a file's mistakes in one run.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from generator.core.countries import NOT_ISO, code_for_name, is_country
from generator.core.errors import Diagnostic, Severity, shown
from generator.core.model import (
    AWARD_FIELDS,
    COORDINATES,
    RECORD_FIELDS,
    Award,
    Cluster,
    FieldSpec,
)
from generator.core.months import Month, parse_month
from generator.records.personal import personal_data
from generator.records.source import Node
from generator.records.textcheck import (
    BIDI_CONTROLS,
    CONTROL_CLASS,
    ECCP_EXAMPLE,
    ECCP_PATTERN,
    FORMULA_STARTS,
    NUMBER_PATTERN,
    URL_FORBIDDEN_CLASS,
    code_point,
    first_invisible,
    has_visible,
    host_problem,
)

_NOT_IN_URL = re.compile(f"[{URL_FORBIDDEN_CLASS}{CONTROL_CLASS}]")
_PORT = re.compile(r":([^:\]@]*)$")  # what follows the host's last ':' in the authority
_PORT_NUMBER = re.compile(r"[1-9][0-9]{0,4}")  # as the schema has it: no leading zero
ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# File names that would take the place of a page of the site: clusters/index.md is the list,
# and clusters/page/ holds its further pages.
RESERVED_IDS = frozenset({"index", "page", "cd-cluster-shell"})
_CONTROL = re.compile(f"[{CONTROL_CLASS}]")  # see textcheck.CONTROL_RANGES
_NUMBER = re.compile(NUMBER_PATTERN)
_ECCP = re.compile(ECCP_PATTERN)
# More awards than a cluster could gather in two centuries is a mistake; the bound also keeps
# the validity arithmetic within the calendar.
MAX_AWARDS = 100


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """What values a record may use: the label levels, the sectors and the awarding bodies."""

    levels: tuple[str, ...]
    sectors: tuple[str, ...]
    bodies: tuple[str, ...] = ()


class _Report:
    """Collects the diagnostics of one file."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.items: list[Diagnostic] = []

    def error(self, node: Node, message: str, field: str = "") -> None:
        self.items.append(
            Diagnostic(self.path, node.line, node.col, Severity.ERROR, message, field)
        )

    def warning(self, node: Node, message: str, field: str = "") -> None:
        self.items.append(
            Diagnostic(self.path, node.line, node.col, Severity.WARNING, message, field)
        )

    @property
    def failed(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.items)


def _suggest(word: str, choices: tuple[str, ...] | list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if not close:
        lower = {c.lower(): c for c in choices}
        if word.lower() in lower:
            close = [lower[word.lower()]]
    return f" (did you mean '{close[0]}'?)" if close else ""


def _mapping(
    node: Node, specs: tuple[FieldSpec, ...], what: str, report: _Report
) -> dict[str, Node]:
    """Check keys against the specs: unknown keys, missing required keys; return key -> value."""
    keys = [s.key for s in specs]
    found: dict[str, Node] = {}
    misspelt: set[str] = set()
    for key, value in node.pairs:
        if key.value in keys:
            found[key.value] = value
            continue
        close = difflib.get_close_matches(key.value, keys, n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        misspelt.update(close)
        report.error(key, f"unknown key {shown(key.value)} in {what}{hint}", key.value)
    for spec in specs:
        # A missing key that an unknown key was suggested for has been reported already.
        if spec.required and spec.key not in found and spec.key not in misspelt:
            report.error(node, f"{what} is missing the required key '{spec.key}'", spec.key)
    return found


def text_problem(value: str, key: str, one_line: bool = True, bidi: bool = True) -> str | None:
    """Why a text cannot stand in a record as written, or None. `new` and `import-csv` ask the
    same of what an editor gives them, before they write anything."""
    if not has_visible(value):
        # Text made only of spaces, zero-width or other invisible characters shows nothing.
        return f"'{key}' is empty"
    if one_line and ("\n" in value or "\r" in value):
        return f"'{key}' must fit on one line"
    bad = _CONTROL.search(value)
    if bad:
        return f"'{key}' holds the control character {shown(bad.group(), quoted=False)}: remove it"
    control = next((c for c in value if c in BIDI_CONTROLS), None) if bidi else None
    if control is not None:
        return (
            f"'{key}' holds the bidi control {code_point(control)}, which makes it read other"
            " than it is written: remove it"
        )
    return None


def _text(
    node: Node,
    key: str,
    report: _Report,
    one_line: bool = True,
    exact: bool = False,
    bidi: bool = True,
) -> str | None:
    """A text value; with `exact` (codes, levels, months), spaces around it are refused rather
    than trimmed, as the editors' schema refuses them."""
    if node.kind != "scalar":
        report.error(node, f"'{key}' must be text, not {node.describe()}", key)
        return None
    problem = f"'{key}' is empty" if node.is_null else text_problem(node.value, key, one_line, bidi)
    if problem:
        report.error(node, problem, key)
        return None
    value = node.value.strip()
    if exact and value != node.value:
        report.error(node, f"'{key}' has spaces around it: write {shown(value)}", key)
        return None
    return value


def _text_field(node: Node, spec: FieldSpec, vocab: Vocabulary, report: _Report) -> str | None:
    """A text; a one-line text that a spreadsheet would run as a formula gets a warning, and
    so does text that looks like a person's e-mail address or a phone number."""
    value = _text(node, spec.key, report, spec.one_line)
    if value is not None and spec.one_line and value.startswith(FORMULA_STARTS):
        report.warning(
            node,
            f"'{spec.key}' begins with {shown(value[0])}, which spreadsheets run as a formula: "
            "the downloads show it after an apostrophe",
            spec.key,
        )
    for found in personal_data(value or ""):
        report.warning(
            node, PERSONAL_DATA[found.kind].format(spec.key, shown(found.text)), spec.key
        )
    return value


# The register names organisations, not people (personal.py says how each is recognised).
PERSONAL_DATA = {
    "email": "'{}' holds {}, which looks like a person's e-mail address: the register names"
    " organisations, not people; remove it, or give a functional address such as info@",
    "phone": "'{}' holds {}, which looks like a phone number: the register publishes none;"
    " remove it (the cluster's website gives its contacts)",
}


def _country(node: Node, spec: FieldSpec, vocab: Vocabulary, report: _Report) -> str | None:
    code = _text(node, "country", report, exact=True)
    if code is None:
        return None
    if code.upper() in NOT_ISO and code.isascii():
        report.error(node, NOT_ISO[code.upper()][1], "country")
        return None
    if len(code) == 2 and code.isascii() and is_country(code.upper()):
        if code != code.upper():
            report.error(node, f"write the country code in capitals: '{code.upper()}'", "country")
            return None
        return code
    by_name = code_for_name(code)
    hint = f" (for {shown(code, quoted=False)} write '{by_name}')" if by_name else ""
    report.error(
        node,
        f"unknown country code {shown(code)}: use an ISO 3166-1 alpha-2 code such as DE{hint}",
        "country",
    )
    return None


def _coordinates(
    node: Node, spec: FieldSpec, vocab: Vocabulary, report: _Report
) -> tuple[float, float] | None:
    message = "'coordinates' must be [latitude, longitude] in degrees, e.g. [48.14, 11.58]"
    if node.kind != "seq" or len(node.items) != 2 or any(i.kind != "scalar" for i in node.items):
        report.error(node, message, "coordinates")
        return None
    values: list[float] = []
    for item, (name, limit) in zip(node.items, COORDINATES, strict=True):
        # A number as JSON and YAML write one, in ASCII digits and without quotes, as the
        # editors' schema reads it (float() would take '١٢', '1_0' and 'nan').
        if not item.plain or not _NUMBER.fullmatch(item.value):
            quoted = " (write it without quotes)" if _NUMBER.fullmatch(item.value) else ""
            report.error(item, f"{name} {shown(item.value)} is not a number{quoted}", "coordinates")
            return None
        number = float(item.value)
        if not math.isfinite(number) or abs(number) > limit:
            report.error(
                item, f"{name} {item.value} is out of range (-{limit} to {limit})", "coordinates"
            )
            return None
        values.append(number)
    return values[0], values[1]


def _website_problem(url: str) -> str | None:
    """Why a website address cannot be published, or None."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "is not a valid address"
    if parts.scheme.lower() not in ("http", "https"):
        return "must start with http:// or https://"
    if parts.username is not None:
        return "holds a user name before '@': give the address without it"
    host = parts.hostname or ""
    if not host:
        return "is not a valid address: it needs a host such as example.org"
    problem = host_problem(host)
    if problem:
        return problem
    hidden = first_invisible(url)
    if hidden is not None and not hidden.isspace():
        return f"holds the invisible character {code_point(hidden)}: retype the address"
    port = _PORT.search(parts.netloc)
    if port and not port[1]:
        return "has a ':' with no port after it: remove it"
    if port and not (_PORT_NUMBER.fullmatch(port[1]) and int(port[1]) <= 65535):
        return f"has the port {shown(port[1])}, which is not a number from 1 to 65535"
    # Characters that a URL must percent-encode (RFC 3986) are refused rather than repaired.
    if _NOT_IN_URL.search(url):
        return "is not a valid address"
    return None


def _website(node: Node, spec: FieldSpec, vocab: Vocabulary, report: _Report) -> str | None:
    url = _text(node, "website", report, bidi=False)  # the host check names them in a URL
    if url is None:
        return None
    problem = _website_problem(url)
    if problem:
        report.error(node, f"website {shown(url)} {problem}", "website")
        return None
    return url


def _eccp(node: Node, spec: FieldSpec, vocab: Vocabulary, report: _Report) -> str | None:
    """A profile address on the European Cluster Collaboration Platform."""
    url = _text(node, spec.key, report, bidi=False)
    if url is None:
        return None
    if not _ECCP.fullmatch(url):
        report.error(
            node,
            f"eccp {shown(url)} is not a profile address on the European Cluster Collaboration"
            f" Platform: copy the cluster's address there, such as {ECCP_EXAMPLE}",
            spec.key,
        )
        return None
    return url


def _sectors(node: Node, spec: FieldSpec, vocab: Vocabulary, report: _Report) -> tuple[str, ...]:
    if node.is_null:
        return ()
    if node.kind != "seq":
        report.error(
            node, "'sectors' must be a list, one sector per line starting with '- '", "sectors"
        )
        return ()
    sectors: list[str] = []
    for item in node.items:
        value = _text(item, "sectors", report)
        if value is None:
            continue
        if value not in vocab.sectors:
            report.error(
                item, f"unknown sector {shown(value)}{_suggest(value, vocab.sectors)}", "sectors"
            )
        elif value in sectors:
            report.error(item, f"sector {shown(value)} is listed twice", "sectors")
        else:
            sectors.append(value)
    return tuple(sectors)


def _month(node: Node, spec: FieldSpec, vocab: Vocabulary, report: _Report) -> Month | None:
    key = spec.key
    if node.kind != "scalar" or node.is_null:
        report.error(node, f"'{key}' must be a month such as 2024-03, not {node.describe()}", key)
        return None
    if _text(node, key, report, exact=True) is None:
        return None
    try:
        return parse_month(node.value)
    except ValueError as exc:
        report.error(node, f"'{key}': {exc}", key)
        return None


def _one_of(
    node: Node, key: str, choices: tuple[str, ...], what: str, report: _Report
) -> str | None:
    """A text that must be one of `choices`; an error naming `what` and the choices otherwise."""
    raw = _text(node, key, report, exact=True)
    if raw is not None and raw not in choices:
        listed = ", ".join(choices)
        report.error(
            node, f"unknown {what} {shown(raw)}{_suggest(raw, choices)}: use one of {listed}", key
        )
        return None
    return raw


def _level(node: Node, spec: FieldSpec, vocab: Vocabulary, report: _Report) -> str | None:
    return _one_of(node, spec.key, vocab.levels, "level", report)


def _body(node: Node, spec: FieldSpec, vocab: Vocabulary, report: _Report) -> str | None:
    return _one_of(node, spec.key, vocab.bodies, "awarding body", report)


def _values(
    fields: dict[str, Node], specs: tuple[FieldSpec, ...], vocab: Vocabulary, report: _Report
) -> dict[str, object]:
    """Each given field read by the validator of its kind, by attribute name."""
    return {
        spec.name: _VALIDATORS[spec.kind](fields[spec.key], spec, vocab, report)
        for spec in specs
        if spec.key in fields
    }


def _award(node: Node, spec: FieldSpec, vocab: Vocabulary, report: _Report) -> Award | None:
    if node.kind != "map":
        report.error(
            node,
            f"an award must be a mapping with level and assessed, not {node.describe()}",
            spec.key,
        )
        return None
    fields = _mapping(node, AWARD_FIELDS, "an award", report)
    values = _values(fields, AWARD_FIELDS, vocab, report)
    if any(values.get(s.name) is None for s in AWARD_FIELDS if s.required or s.key in fields):
        return None
    # Each validator returns its field's type (the FieldSpec table ties them), which a
    # checker cannot follow through the dict of values.
    award = Award(line=node.line, col=node.col, **values)  # type: ignore[arg-type]
    if award.valid_until is not None and award.valid_until < award.assessed:
        report.error(
            fields["valid_until"],
            f"valid_until {award.valid_until} is before the assessment month {award.assessed}",
            "valid_until",
        )
        return None
    return award


def _awards(
    node: Node, spec: FieldSpec, vocab: Vocabulary, report: _Report
) -> tuple[Award, ...] | None:
    if node.kind != "seq":
        report.error(
            node, "'labels' must be a list of awards, each starting with '- level:'", "labels"
        )
        return None
    if not node.items:
        report.error(node, "'labels' has no awards: a listed cluster needs at least one", "labels")
        return None
    if len(node.items) > MAX_AWARDS:
        report.error(
            node,
            f"'labels' lists {len(node.items)} awards; a record holds at most {MAX_AWARDS}",
            "labels",
        )
        return None
    awards = [_award(item, spec, vocab, report) for item in node.items]
    if any(a is None for a in awards):
        return None
    seen: set[tuple[str, Month]] = set()
    for award, item in zip(awards, node.items, strict=True):
        assert award is not None
        if (award.level, award.assessed) in seen:
            report.error(
                item, f"the {award.level} award of {award.assessed} is listed twice", "labels"
            )
            return None
        seen.add((award.level, award.assessed))
    return tuple(a for a in awards if a is not None)


# Which validator reads each kind of field (model.FieldSpec.kind).
_VALIDATORS: dict[str, Callable[[Node, FieldSpec, Vocabulary, _Report], Any]] = {
    "text": _text_field,
    "country": _country,
    "coordinates": _coordinates,
    "url": _website,
    "eccp": _eccp,
    "sectors": _sectors,
    "awards": _awards,
    "level": _level,
    "body": _body,
    "month": _month,
}


def cluster_from_node(
    cluster_id: str, path: str, root: Node, vocab: Vocabulary
) -> tuple[Cluster | None, list[Diagnostic]]:
    """Validate a record's node tree; return the Cluster (None if any error) and the problems."""
    report = _Report(path)
    if not ID_RE.fullmatch(cluster_id) or cluster_id in RESERVED_IDS:
        report.items.append(
            Diagnostic(
                path,
                1,
                1,
                Severity.ERROR,
                f"file name {shown(cluster_id)} cannot be a cluster id: use lowercase a-z, 0-9 and '-'"
                + (
                    f" (and not the word {shown(cluster_id)}, which the site uses)"
                    if cluster_id in RESERVED_IDS
                    else ""
                ),
                "id",
            )
        )
    if root.kind != "map":
        report.error(
            root, f"a record must be a mapping of keys such as 'name: ...', not {root.describe()}"
        )
        return None, report.items
    fields = _mapping(root, RECORD_FIELDS, "the record", report)
    values = _values(fields, RECORD_FIELDS, vocab, report)
    if report.failed:
        return None, report.items
    where = tuple((key, value.line, value.col) for key, value in fields.items())
    # As for an award: each value has its field's type by the FieldSpec table, not by a checker.
    cluster = Cluster(id=cluster_id, path=path, line=root.line, where=where, **values)  # type: ignore[arg-type]
    return cluster, report.items
