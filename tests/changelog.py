"""Fingerprints of the public contracts, kept beside CHANGELOG.md so that a change to one of them
cannot go in without an entry there.

Each contract (the record schema, the columns of each CSV download, the keys of clusters.json
and status.json, the data files' format version) is put in a canonical JSON form and hashed;
CHANGELOG.fingerprints.json holds the hashes. tests/test_changelog.py fails when one differs.
After writing the entry, refresh them with `make changelog-fingerprints`
(python -m tests.changelog), which refuses while the newest section of the changelog does not
name each contract that changed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from generator import FORMAT_VERSION
from generator.labels.rules import load_rules, load_sectors
from generator.records.catalog import load_catalog
from generator.site.directory import build_directory
from generator.site.opendata import AWARD_COLUMNS, CLUSTER_COLUMNS, Column, open_data
from generator.site.verify import status_document
from tests import golden

ROOT = Path(__file__).resolve().parent.parent
CHANGELOG = ROOT / "CHANGELOG.md"
FINGERPRINTS = ROOT / "CHANGELOG.fingerprints.json"
REFRESH = "make changelog-fingerprints"
# The contracts, by the name their changelog entries use.
NAMES = (
    "record format",
    "clusters.csv",
    "awards.csv",
    "clusters.json",
    "status.json",
    "format_version",
)


def _columns(columns: Sequence[Column]) -> list[dict[str, object]]:
    # What a reader's program depends on: names, types and allowed values. The descriptions
    # are prose for people, reworded freely.
    # A flag added later (bodies) counts only where it is set, so that the fingerprints of the
    # columns that do not use it stay as they were.
    return [
        {
            k: v
            for k, v in dataclasses.asdict(column).items()
            if k != "description" and not (k == "bodies" and not v)
        }
        for column in columns
    ]


def contracts() -> dict[str, object]:
    """Each contract (NAMES) in a JSON-ready form."""
    rules = load_rules()
    catalog = load_catalog(golden.FIXTURE_RECORDS, rules, load_sectors(), golden.AS_OF)
    directory = build_directory(catalog.clusters, rules, golden.AS_OF)
    status_keys = {
        key for entry in directory.entries for key in status_document(entry, "./", rules)
    }
    files = {f.path: f.data for f in open_data(directory)}
    clusters_json = json.loads(files["clusters.json"])
    return {
        "record format": json.loads((ROOT / "schema" / "cluster.schema.json").read_text("utf-8")),
        "clusters.csv": _columns(CLUSTER_COLUMNS),
        "awards.csv": _columns(AWARD_COLUMNS),
        "clusters.json": {
            "keys": sorted(clusters_json),
            "headline": sorted(clusters_json["headline"]),
        },
        "status.json": sorted(status_keys),
        "format_version": FORMAT_VERSION,
    }


def fingerprint(value: object) -> str:
    """The SHA-256 of a value's canonical JSON (sorted keys, no spaces)."""
    canonical = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def current() -> dict[str, str]:
    """The fingerprint of each contract now."""
    found = contracts()
    assert tuple(found) == NAMES
    return {name: fingerprint(value) for name, value in found.items()}


def stored(path: Path = FINGERPRINTS) -> dict[str, str]:
    """The fingerprints recorded with the last changelog entry (none when there is no file)."""
    if not path.exists():
        return {}
    return dict(json.loads(path.read_text("utf-8"))["sha256"])


def newest_section(changelog: str) -> str:
    """The first release section of the changelog (normally `## [Unreleased]`), heading included."""
    sections = re.split(r"^(?=## \[)", changelog, flags=re.M)
    return sections[1] if len(sections) > 1 else ""


def refresh(changelog: Path = CHANGELOG, path: Path = FINGERPRINTS) -> list[str]:
    """Record the current fingerprints; return the contracts that changed. Raise SystemExit
    when the newest changelog section does not name one of them."""
    before, now = stored(path), current()
    changed = [name for name in now if before.get(name) != now[name]]
    # The first fingerprints stand for the whole changelog; later ones for its newest section.
    text = changelog.read_text("utf-8")
    section = newest_section(text) if before else text
    missing = [name for name in changed if name.lower() not in section.lower()]
    if missing:
        heading = section.splitlines()[0] if section else "a '## [Unreleased]' section"
        raise SystemExit(
            f"{changelog.name}: {heading} does not name {', '.join(missing)}: describe the"
            f" change there, then run `{REFRESH}` again"
        )
    if changed:
        document = {"refresh": f"{REFRESH}, after the {changelog.name} entry", "sha256": now}
        path.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n", "utf-8")
    return changed


if __name__ == "__main__":
    names = refresh()
    print(
        f"refreshed {FINGERPRINTS.name}: {', '.join(names)}" if names else "nothing changed",
        file=sys.stderr,
    )
