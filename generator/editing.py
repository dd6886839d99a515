"""The editors' commands as a library: a new record, one more award, records from a CSV list.

Every change is checked with the same validator as `check` before anything is written, files
are written atomically, an existing record is never overwritten, and `award` keeps the editor's
comments and layout (round-trip YAML).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from anyascii import anyascii
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from generator.catalog import load_record, record_files, record_from_bytes
from generator.checks import check_set
from generator.errors import ClusterdirError, Diagnostic, Severity
from generator.model import Cluster
from generator.months import parse_month
from generator.records import Vocabulary

MAX_SLUG = 60
_PLAIN = re.compile(r"[A-Za-z\u00c0-\uffff][\w .,'()&/+\u00c0-\uffff-]*")
_YAML_WORDS = {"yes", "no", "on", "off", "true", "false", "null", "y", "n", "~"}


def slugify(name: str) -> str:
    """A file name from a cluster name: transliterated to ASCII, lowercase words joined by '-'."""
    words = re.sub(r"[^a-z0-9]+", " ", anyascii(name).lower()).split()
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > MAX_SLUG:
            break
        slug = candidate
    return slug or (words[0][:MAX_SLUG] if words else "")


def scalar(text: str) -> str:
    """A YAML scalar that reads back as exactly `text` (plain when safe, else double-quoted)."""
    if _PLAIN.fullmatch(text) and text.lower() not in _YAML_WORDS and text == text.strip():
        return text
    if re.fullmatch(r"https?://[^\s\"'#,\[\]{}]+", text):
        return text
    return json.dumps(text, ensure_ascii=False)


@dataclass(frozen=True, slots=True)
class Draft:
    """What an editor gives for a new record."""

    name: str
    country: str
    website: str | None = None
    city: str | None = None
    acronym: str | None = None
    sectors: tuple[str, ...] = ()
    level: str | None = None
    assessed: str | None = None
    valid_until: str | None = None
    note: str | None = None  # a comment line for the record, e.g. where it was imported from


def draft_text(draft: Draft, record_path: Path, schema_file: Path) -> str:
    """The YAML text of a new record, starting with the line that names the schema."""
    relative = os.path.relpath(schema_file.resolve(), record_path.parent.resolve())
    lines = [f"# yaml-language-server: $schema={Path(relative).as_posix()}"]
    if draft.note:
        lines.append(f"# {draft.note}")
    lines.append(f"name: {scalar(draft.name)}")
    if draft.acronym:
        lines.append(f"acronym: {scalar(draft.acronym)}")
    lines.append(f"country: {draft.country}")
    if draft.city:
        lines.append(f"city: {scalar(draft.city)}")
    lines.append(
        f"website: {scalar(draft.website)}" if draft.website else "website:  # fill in: https://..."
    )
    if draft.sectors:
        lines += ["sectors:", *(f"  - {scalar(s)}" for s in draft.sectors)]
    if draft.level and draft.assessed:
        lines += ["labels:", f"  - level: {draft.level}", f"    assessed: {draft.assessed}"]
        if draft.valid_until:
            lines.append(f"    valid_until: {draft.valid_until}")
    else:
        lines += [
            "labels:  # fill in, for example:",
            "  # - level: bronze",
            "  #   assessed: 2026-01",
        ]
    return "\n".join(lines) + "\n"


def validate_text(
    text: str, path: Path, vocab: Vocabulary
) -> tuple[Cluster | None, list[Diagnostic]]:
    """Check a record's text as `check` would check the file."""
    return record_from_bytes(path, text.encode("utf-8"), vocab)


def existing(data_dir: Path, vocab: Vocabulary) -> list[Cluster]:
    """The valid records already under the data folder."""
    found = []
    for path in record_files(data_dir)[0] if data_dir.is_dir() else []:
        cluster, _ = load_record(path, vocab)
        if cluster is not None:
            found.append(cluster)
    return found


def plan_new(
    draft: Draft, data_dir: Path, schema_file: Path, vocab: Vocabulary, others: Iterable[Cluster]
) -> tuple[Path, str]:
    """Where a new record goes and its text; raise with every reason it cannot be written."""
    slug = slugify(draft.name)
    if not slug:
        raise ClusterdirError(
            f"cannot make a file name from '{draft.name}': give a name with letters"
        )
    country = (
        draft.country.upper() if re.fullmatch(r"[A-Za-z]{2}", draft.country) else draft.country
    )
    draft = replace(draft, country=country)
    path = data_dir / country.lower() / f"{slug}.yaml"
    others = list(others)
    clash = next((c for c in others if c.id == slug), None)
    if path.exists() or clash:
        raise ClusterdirError(
            f"a record with the id '{slug}' exists already ({clash.path if clash else path}): nothing was written"
        )
    text = draft_text(draft, path, schema_file)
    cluster, problems = validate_text(text, path, vocab)
    unfinished = {"website"} if not draft.website else set()
    if not (draft.level and draft.assessed):
        unfinished.add("labels")
    blocking = [p for p in problems if p.field not in unfinished]
    if cluster is not None:
        blocking += [p for p in check_set([*others, cluster]) if p.path == str(path)]
    if blocking:
        raise ClusterdirError("; ".join(p.message for p in blocking) + ": nothing was written")
    return path, text


# Round-trip YAML: comments, order, quoting and layout of the editor's file stay as they are.
def _round_trip() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    return yaml


def add_award(
    path: Path,
    level: str,
    assessed: str,
    valid_until: str | None,
    vocab: Vocabulary,
) -> tuple[str, Cluster]:
    """The record's text with one more award, checked; raise if the record would not be valid."""
    try:
        original = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ClusterdirError(f"cannot read {path}: {exc}") from None
    before, problems = validate_text(original, path, vocab)
    if before is None:
        raise ClusterdirError(f"{path} has errors; fix them first: {problems[0].format()}")
    for key, value in (("assessed", assessed), ("valid_until", valid_until)):
        if value is not None:
            try:
                parse_month(value)
            except ValueError as exc:
                raise ClusterdirError(f"--{key.replace('_', '-')}: {exc}") from None
    fields = [("level", level), ("assessed", str(parse_month(assessed)))]
    if valid_until:
        fields.append(("valid_until", str(parse_month(valid_until))))
    text = _appended(original, fields) or _round_tripped(original, fields)
    after, problems = validate_text(text, path, vocab)
    if after is not None and len(after.awards) != len(before.awards) + 1:
        after, problems = (
            None,
            [Diagnostic(str(path), 1, 1, Severity.ERROR, "the award could not be added")],
        )
    if after is None:
        raise ClusterdirError(
            f"the award would make {path} invalid: {problems[0].message}; nothing was written"
        )
    return text, after


def _appended(original: str, fields: list[tuple[str, str]]) -> str | None:
    """The award added as text after the last one, in the file's own indentation: the file is
    otherwise untouched. None when `labels` is not the file's last key in block style."""
    data = _round_trip().load(original)
    labels = data.get("labels") if isinstance(data, CommentedMap) else None
    if (
        list(data.keys())[-1:] != ["labels"]
        or not isinstance(labels, list)
        or labels.fa.flow_style()
    ):
        return None
    after_key = original[re.search(r"(?m)^labels:.*$", original).end() :]
    item = re.search(r"(?m)^([ ]*)- ", after_key)
    if item is None:
        return None
    dash = item.group(1)
    lines = [
        f"{dash}- {fields[0][0]}: {fields[0][1]}",
        *(f"{dash}  {k}: {v}" for k, v in fields[1:]),
    ]
    return original + ("" if original.endswith("\n") else "\n") + "\n".join(lines) + "\n"


def _round_tripped(original: str, fields: list[tuple[str, str]]) -> str:
    """The award added through round-trip YAML, for files where plain appending does not fit."""
    data = _round_trip().load(original)
    award = CommentedMap()
    for key, value in fields:
        award[key] = value
    data["labels"].append(award)
    buffer = io.StringIO()
    _round_trip().dump(data, buffer)
    text = buffer.getvalue()
    return text if text.endswith("\n") else text + "\n"


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
_LEVEL_WORDS = {"bronze": "bronze", "silver": "silver", "gold": "gold"}


def _header_map(header: list[str]) -> dict[str, str]:
    def norm(text: str) -> str:
        return " ".join(text.lower().replace("_", " ").split())

    found: dict[str, str] = {}
    for column in header:
        for key, words in CSV_COLUMNS.items():
            if norm(column) in {norm(w) for w in words} and key not in found:
                found[key] = column
    return found


def _country_code(text: str) -> str | None:
    import pycountry

    text = text.strip()
    if re.fullmatch(r"[A-Za-z]{2}", text) and pycountry.countries.get(alpha_2=text.upper()):
        return text.upper()
    try:
        return pycountry.countries.lookup(text).alpha_2
    except LookupError:
        return None


def _month_text(text: str) -> str | None:
    """A month from the forms lists use: 2023-05, 2023-05-31, 31.05.2023, 05/2023, 31/05/2023."""
    text = text.strip()
    for pattern, order in (
        (r"(\d{4})-(\d{1,2})(?:-\d{1,2})?", "ym"),
        (r"\d{1,2}[./](\d{1,2})[./](\d{4})", "my"),
        (r"(\d{1,2})[./](\d{4})", "my"),
    ):
        match = re.fullmatch(pattern, text)
        if match:
            year, month = (match[1], match[2]) if order == "ym" else (match[2], match[1])
            candidate = f"{int(year):04d}-{int(month):02d}"
            try:
                parse_month(candidate)  # the same bounds as in a record
            except ValueError:
                return None
            return candidate
    return None


def plan_import(
    text: str,
    source: str,
    data_dir: Path,
    schema_file: Path,
    vocab: Vocabulary,
    first_validity_months: int,
    others: Iterable[Cluster],
) -> tuple[list[tuple[Path, str]], list[str]]:
    """The records a CSV list maps to, and a message for every row that cannot be mapped."""
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    rows = list(reader)
    if not rows:
        raise ClusterdirError(f"{source} is empty")
    columns = _header_map(rows[0])
    missing = [k for k in ("name", "country", "website", "level") if k not in columns]
    if missing or not ({"assessed", "valid_until"} & set(columns)):
        wanted = ", ".join(
            missing
            + ([] if {"assessed", "valid_until"} & set(columns) else ["assessed or valid until"])
        )
        raise ClusterdirError(
            f"{source}: no column for {wanted} (the header row reads: {', '.join(rows[0])})"
        )
    index = {key: rows[0].index(column) for key, column in columns.items()}
    planned: list[tuple[Path, str]] = []
    skipped: list[str] = []
    known = list(others)
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue

        def cell(key: str, row: list[str] = row) -> str:
            position = index.get(key)
            return row[position].strip() if position is not None and position < len(row) else ""

        where = f"{source}:{number}"
        name = cell("name")
        country = _country_code(cell("country"))
        level = _LEVEL_WORDS.get(cell("level").lower().split(" ")[0]) if cell("level") else None
        assessed = _month_text(cell("assessed")) if cell("assessed") else None
        until = _month_text(cell("valid_until")) if cell("valid_until") else None
        reasons = []
        if not name:
            reasons.append("no name")
        if country is None:
            reasons.append(f"unknown country '{cell('country')}'")
        if level is None:
            reasons.append(f"unknown label '{cell('level')}'")
        if cell("assessed") and assessed is None:
            reasons.append(f"assessed '{cell('assessed')}' is not a month")
        if cell("valid_until") and until is None:
            reasons.append(f"valid until '{cell('valid_until')}' is not a date")
        if assessed is None and until is None and not reasons:
            reasons.append("neither an assessment month nor a valid-until date")
        sectors = tuple(s.strip() for s in re.split(r"[;|]", cell("sectors")) if s.strip())
        unknown = [s for s in sectors if s not in vocab.sectors]
        if unknown:
            reasons.append(f"unknown sector '{unknown[0]}'")
        if reasons:
            skipped.append(f"{where}: {'; '.join(reasons)}")
            continue
        note = f"imported from {Path(source).name}, row {number}"
        if assessed is None:
            # An old list gives only the end of validity: take it as a first award that ends then.
            assessed = str(parse_month(until) + (1 - first_validity_months))
            note += "; the assessment month is derived from 'valid until'"
        draft = Draft(
            name=name,
            country=country,
            website=cell("website") or None,
            city=cell("city") or None,
            acronym=cell("acronym") or None,
            sectors=sectors,
            level=level,
            assessed=assessed,
            valid_until=until,
            note=note,
        )
        try:
            if not draft.website:
                raise ClusterdirError("no website")
            path, record = plan_new(draft, data_dir, schema_file, vocab, known)
        except ClusterdirError as exc:
            skipped.append(f"{where}: {str(exc).removesuffix(': nothing was written')}")
            continue
        if any(p == path for p, _ in planned):
            skipped.append(f"{where}: the same name as an earlier row")
            continue
        cluster, _ = validate_text(record, path, vocab)
        if cluster is not None:
            known.append(cluster)
        planned.append((path, record))
    return planned, skipped
