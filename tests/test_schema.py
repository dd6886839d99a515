"""The JSON Schema for editors: generated from the model, committed, and in agreement with check."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from generator.editing.schema import SCHEMA_PATH, schema_comment, schema_text
from generator.labels.rules import load_rules, load_sectors
from generator.records.catalog import load_record
from generator.records.records import Vocabulary
from generator.records.source import Node, read_record
from tests.conftest import FIXTURES, ROOT

RULES = load_rules()
VOCAB = Vocabulary(RULES.level_ids, load_sectors(), RULES.body_ids)
SCHEMA = json.loads((ROOT / SCHEMA_PATH).read_text("utf-8"))
VALIDATOR = jsonschema.Draft7Validator(SCHEMA)

# Problems that no JSON Schema of one file's content can see, each with the reason.
BEYOND_A_SCHEMA = {
    "Bad_File_Name": "the file name is not part of the content",
    "index": "the file name is not part of the content",
    "page": "the file name is not part of the content",
    "valid-until-before-assessed": "a comparison of two fields' values",
    "website-host-mixing-scripts": "which script a letter belongs to (UTS #39), beyond a pattern",
}
_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")


def as_yaml_1_2(node: Node) -> object:
    """The data an editor's YAML 1.2 tool sees in a node tree (NO and 2024-03 stay strings)."""
    if node.kind == "map":
        return {key.value: as_yaml_1_2(value) for key, value in node.pairs}
    if node.kind == "seq":
        return [as_yaml_1_2(item) for item in node.items]
    if not node.plain:
        return node.value
    if node.is_null:
        return None
    if node.value in ("true", "True", "TRUE", "false", "False", "FALSE"):
        return node.value.lower() == "true"
    if _INT.fullmatch(node.value):
        return int(node.value)
    if _FLOAT.fullmatch(node.value):
        return float(node.value)
    return node.value


def _cases() -> list[Path]:
    folders = [
        "bad",
        "good",
        "warnings",
        "site",
        "duplicate-name-same-country",
        "confusable-names-same-country",
        "same-website-two-records",
    ]
    return sorted(p for f in folders for p in (FIXTURES / f).rglob("*.yaml"))


def test_committed_schema_is_the_generated_one():
    assert (ROOT / SCHEMA_PATH).read_text("utf-8") == schema_text(VOCAB), (
        f"run `clusterdir schema --out {SCHEMA_PATH}`"
    )


@pytest.mark.parametrize("path", _cases(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_schema_and_check_agree(path):
    cluster, _ = load_record(path, VOCAB)
    root, yaml_problems = read_record(str(path), path.read_bytes())
    if root is None:
        # Not one plain YAML document: the editor's YAML tool reports it before any schema applies.
        assert cluster is None and yaml_problems
        return
    schema_ok = VALIDATOR.is_valid(as_yaml_1_2(root))
    if path.stem in BEYOND_A_SCHEMA:
        assert schema_ok and cluster is None
    else:
        assert schema_ok == (cluster is not None), list(VALIDATOR.iter_errors(as_yaml_1_2(root)))[
            :1
        ]


def test_every_sample_record_is_valid_and_names_the_schema():
    for path in sorted((ROOT / "clusters").rglob("*.yaml")):
        text = path.read_text("utf-8")
        relative = path.relative_to(ROOT).as_posix()
        assert text.splitlines()[0] == schema_comment(relative), relative
        root, _ = read_record(relative, text.encode())
        assert VALIDATOR.is_valid(as_yaml_1_2(root)), relative


def test_schema_comment_points_from_the_record_to_the_schema():
    assert (
        schema_comment("clusters/de/x.yaml")
        == f"# yaml-language-server: $schema=../../{SCHEMA_PATH}"
    )
    assert schema_comment("clusters/x.yaml") == f"# yaml-language-server: $schema=../{SCHEMA_PATH}"
