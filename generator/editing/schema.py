"""The JSON Schema of a record, generated from the record model so that it is never written twice.

Editors' tools (the YAML language server) read it for completion and errors while typing; the
committed copy is `schema/cluster.schema.json`, refreshed with `clusterdir schema --out ...`.
"""

from __future__ import annotations

import json
from typing import Any

from generator.core.countries import country_codes
from generator.core.model import AWARD_FIELDS, COORDINATES, RECORD_FIELDS, FieldSpec
from generator.core.months import FIRST_YEAR, LAST_YEAR
from generator.records.records import MAX_AWARDS, Vocabulary
from generator.records.textcheck import (
    CONTROL_CLASS,
    ECCP_PATTERN,
    INVISIBLE_CLASS,
    OTHER_DOTS,
    REFUSED_CLASS,
    URL_FORBIDDEN_CLASS,
)

SCHEMA_PATH = "schema/cluster.schema.json"


def _years(first: int, last: int) -> str:
    """A regular expression for the years first..last: whole decades as '199[0-9]', whole
    centuries as '20[0-9]{2}', other years written out."""
    parts: list[str] = []
    year = first
    while year <= last:
        if year % 100 == 0 and year + 99 <= last:
            parts.append(f"{year // 100}[0-9]{{2}}")
            year += 100
        elif year % 10 == 0 and year + 9 <= last:
            parts.append(f"{year // 10}[0-9]")
            year += 10
        else:
            parts.append(str(year))
            year += 1
    return "|".join(parts)


MONTH_PATTERN = rf"^({_years(FIRST_YEAR, LAST_YEAR)})-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?$"
_LINE = rf"[^{REFUSED_CLASS}\n\r]"
_TEXT = rf"[^{REFUSED_CLASS}]"
_VISIBLE = rf"[^{CONTROL_CLASS}{INVISIBLE_CLASS}\s]"
ONE_LINE = rf"^{_LINE}*{_VISIBLE}{_LINE}*$"
MULTI_LINE = rf"^{_TEXT}*{_VISIBLE}{_TEXT}*$"
_LABEL = rf"[^\s/?#:@.{OTHER_DOTS}{INVISIBLE_CLASS}]+"
_TOP_LABEL = (
    rf"[^\s/?#:@.{OTHER_DOTS}0-9{INVISIBLE_CLASS}][^\s/?#:@.{OTHER_DOTS}{INVISIBLE_CLASS}]+"
)
_PORT = r"(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3})"
URL_PATTERN = (
    rf"^[Hh][Tt][Tt][Pp][Ss]?://({_LABEL}\.)+{_TOP_LABEL}\.?(:{_PORT})?"
    rf"([/?#][^{URL_FORBIDDEN_CLASS}{CONTROL_CLASS}{INVISIBLE_CLASS}]*)?$"
)


def _kind(spec: FieldSpec, vocab: Vocabulary) -> dict[str, Any]:
    kind = spec.kind
    if kind == "text":
        return {"type": "string", "pattern": ONE_LINE if spec.one_line else MULTI_LINE}
    if kind == "country":
        return {"type": "string", "enum": country_codes()}
    if kind == "coordinates":
        return {
            "type": "array",
            "items": [
                {"type": "number", "minimum": -limit, "maximum": limit, "description": name}
                for name, limit in COORDINATES
            ],
            "minItems": 2,
            "maxItems": 2,
        }
    if kind == "url":
        return {"type": "string", "pattern": URL_PATTERN}
    if kind == "eccp":
        return {"type": "string", "pattern": ECCP_PATTERN}
    if kind == "sectors":
        return {
            "type": "array",
            "items": {"type": "string", "enum": list(vocab.sectors)},
            "uniqueItems": True,
        }
    if kind == "level":
        return {"type": "string", "enum": list(vocab.levels)}
    if kind == "body":
        return {"type": "string", "enum": list(vocab.bodies)}
    if kind == "month":
        return {"type": "string", "pattern": MONTH_PATTERN}
    if kind == "awards":
        return {
            "type": "array",
            "minItems": 1,
            "maxItems": MAX_AWARDS,
            "uniqueItems": True,
            "items": _object(AWARD_FIELDS, vocab, "An award"),
        }
    raise ValueError(f"no schema for field kind {kind!r}")  # a new kind in model.py needs one here


def _object(specs: tuple[FieldSpec, ...], vocab: Vocabulary, title: str) -> dict[str, Any]:
    return {
        "type": "object",
        "title": title,
        "properties": {s.key: {"description": s.doc, **_kind(s, vocab)} for s in specs},
        "required": [s.key for s in specs if s.required],
        "additionalProperties": False,
    }


def record_schema(vocab: Vocabulary) -> dict[str, Any]:
    """The JSON Schema (draft-07) of one cluster record, with the values the vocabulary allows."""
    schema = _object(RECORD_FIELDS, vocab, "ECEI cluster record")
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "description": "One cluster organisation of the ECEI directory; the file name is its id.",
        **schema,
    }


def schema_text(vocab: Vocabulary) -> str:
    """The schema as the committed file holds it."""
    return json.dumps(record_schema(vocab), ensure_ascii=False, indent=2) + "\n"


def schema_comment(record_path: str) -> str:
    """The first line of a record at `record_path` (relative to the project), pointing to the schema."""
    depth = record_path.count("/")
    return f"# yaml-language-server: $schema={'../' * depth}{SCHEMA_PATH}"
