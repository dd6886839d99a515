"""New records: a file name from the cluster's name, the record's text, and every check that
`check` would make of it, before anything is written.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

from anyascii import anyascii

from generator.core.errors import ClusterdirError, Diagnostic, Severity, shown
from generator.core.model import Cluster
from generator.records.catalog import load_record, record_from_bytes
from generator.records.checks import SetIndex
from generator.records.reader import find_records
from generator.records.records import Vocabulary, text_problem

MAX_SLUG = 60
# What a record without an award says under `labels`: `award` removes these lines when it
# writes the first award in their place, and only when they are as written here.
LABELS_TO_FILL_IN = (
    "labels:  # fill in, for example:",
    "  # - level: bronze",
    "  #   assessed: 2026-01",
)
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
    """A YAML scalar that reads back as exactly `text` (plain when safe, else double-quoted,
    with every character that does not print written as an escape)."""
    if not text.isprintable():
        pass
    elif (
        _PLAIN.fullmatch(text) and text.lower() not in _YAML_WORDS and text == text.strip()
    ) or re.fullmatch(r"https?://[^\s\"'#,\[\]{}]+", text):
        return text
    quoted = json.dumps(text, ensure_ascii=False)  # quotes, backslashes and C0 escaped
    return "".join(
        c
        if c.isprintable()
        else f"\\u{ord(c):04x}"
        if ord(c) <= 0xFFFF
        else f"\\U{ord(c):08x}"  # YAML's own escape: JSON's surrogate pairs would not join
        for c in quoted
    )


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


def _month(text: str) -> str:
    # A month as YYYY-MM reads back as text in YAML; anything else is quoted, and refused later.
    return text if re.fullmatch(r"[0-9]{4}-[0-9]{2}", text) else scalar(text)


def draft_text(draft: Draft, record_path: Path, schema_file: Path) -> str:
    """The YAML text of a new record, starting with the line that names the schema."""
    relative = os.path.relpath(schema_file.resolve(), record_path.parent.resolve())
    lines = [f"# yaml-language-server: $schema={Path(relative).as_posix()}"]
    if draft.note:
        lines.append(f"# {draft.note}")
    lines.append(f"name: {scalar(draft.name)}")
    if draft.acronym:
        lines.append(f"acronym: {scalar(draft.acronym)}")
    lines.append(f"country: {scalar(draft.country)}")
    if draft.city:
        lines.append(f"city: {scalar(draft.city)}")
    lines.append(
        f"website: {scalar(draft.website)}" if draft.website else "website:  # fill in: https://..."
    )
    if draft.sectors:
        lines += ["sectors:", *(f"  - {scalar(s)}" for s in draft.sectors)]
    if draft.level and draft.assessed:
        lines += [
            "labels:",
            f"  - level: {scalar(draft.level)}",
            f"    assessed: {_month(draft.assessed)}",
        ]
        if draft.valid_until:
            lines.append(f"    valid_until: {_month(draft.valid_until)}")
    else:
        lines += LABELS_TO_FILL_IN
    return "\n".join(lines) + "\n"


def held_ids(path: Path) -> set[str]:
    """The ids a record file holds, as far as they can be read without a valid record: its
    name, and that name in small letters (the fix that the id error asks for)."""
    return {path.stem, path.stem.lower()}


def existing(data_dir: Path, vocab: Vocabulary) -> SetIndex:
    """The records already under the data folder, indexed for the set checks; the ids of those
    with an error are taken too, so that fixing one never makes two records of one id."""
    index = SetIndex()
    if not data_dir.exists():
        return index
    found = find_records(data_dir)
    for path in found.files:
        cluster, _ = load_record(path, vocab, data_dir)
        if cluster is not None:
            index.add(cluster)
        for cluster_id in held_ids(path):
            index.hold(cluster_id, str(path))
    for problem in found.problems:
        # A record file the build does not read yet ('.yml', '.YAML'): renamed, it will be.
        path = Path(problem.path)
        if path.suffix.lower() in (".yaml", ".yml") and path.is_file():
            for cluster_id in held_ids(path):
                index.hold(cluster_id, str(path))
    return index


@dataclass(frozen=True, slots=True)
class Planned:
    """A new record ready to be written, and the warnings it draws."""

    path: Path
    text: str
    cluster: Cluster | None  # None while website or labels are left to fill in
    warnings: tuple[Diagnostic, ...]


_GIVEN_TEXT = (("name", True), ("acronym", True), ("city", True), ("website", True))


def _check_given_text(draft: Draft) -> None:
    """Refuse text that a record cannot hold as given (controls, line breaks, bidi controls),
    before any YAML is made of it."""
    for key, one_line in _GIVEN_TEXT:
        value = getattr(draft, key)
        problem = text_problem(value, key, one_line) if value is not None else None
        if problem:
            raise ClusterdirError(f"{problem}: nothing was written")


def _check_read_back(draft: Draft, cluster: Cluster) -> None:
    """The record must read back as exactly what was given: nothing changed on the way."""
    for key, _ in _GIVEN_TEXT:
        given = getattr(draft, key)
        if given is not None and getattr(cluster, key) != given.strip():
            raise ClusterdirError(f"'{key}' would not read back as written: nothing was written")


def plan_new(
    draft: Draft, data_dir: Path, schema_file: Path, vocab: Vocabulary, others: SetIndex
) -> Planned:
    """Where a new record goes and its text; raise with every reason it cannot be written."""
    slug = slugify(draft.name)
    if not slug:
        raise ClusterdirError(
            f"cannot make a file name from {shown(draft.name)}: give a name with letters"
        )
    country = (
        draft.country.upper() if re.fullmatch(r"[A-Za-z]{2}", draft.country) else draft.country
    )
    draft = replace(draft, country=country)
    path = data_dir / country.lower() / f"{slug}.yaml"
    if path.parent.is_symlink():
        # check reads no record through it, and the record would land in the folder it leads to.
        raise ClusterdirError(
            f"{shown(path.parent, None)} is a link to a folder, which check does not follow:"
            " nothing was written"
        )
    holder = others.holder(slug)
    if holder or path.exists() or path.is_symlink():
        raise ClusterdirError(
            f"a record with the id '{slug}' exists already ({shown(holder or path, None, quoted=False)}): nothing was written"
        )
    _check_given_text(draft)
    text = draft_text(draft, path, schema_file)
    cluster, problems = record_from_bytes(path, text.encode("utf-8"), vocab)
    if cluster is not None:
        _check_read_back(draft, cluster)
    unfinished = {"website"} if not draft.website else set()
    if not (draft.level and draft.assessed):
        unfinished.add("labels")
    if cluster is not None:
        problems += others.conflicts(cluster)
    blocking = [p for p in problems if p.severity is Severity.ERROR and p.field not in unfinished]
    if blocking:
        raise ClusterdirError("; ".join(p.message for p in blocking) + ": nothing was written")
    warnings = tuple(p for p in problems if p.severity is Severity.WARNING)
    return Planned(path, text, cluster, warnings)
