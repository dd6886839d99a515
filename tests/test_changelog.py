"""The changelog of the public contracts: a change to the record schema, a download's columns or
the status.json keys fails here until CHANGELOG.md has an entry and the fingerprints are
refreshed; the package's version is one semantic version, written alike everywhere."""

from __future__ import annotations

import json
import re
import shutil
import tomllib

import pytest

from generator import FORMAT_VERSION, __version__
from tests import changelog
from tests.conftest import ROOT

TEXT = changelog.CHANGELOG.read_text("utf-8")
STORED = changelog.stored()
SEMVER = r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"


@pytest.fixture(scope="module")
def current() -> dict[str, str]:
    return changelog.current()


@pytest.mark.parametrize("name", changelog.NAMES)
def test_a_contract_changes_only_with_a_changelog_entry(current, name):
    assert STORED.get(name) == current[name], (
        f"{name!r} changed: describe the change in CHANGELOG.md under [Unreleased], naming"
        f" {name!r}, then run `{changelog.REFRESH}` (python -m tests.changelog)"
    )


def test_the_fingerprints_cover_every_contract():
    assert set(STORED) == set(changelog.NAMES)


def test_the_refresh_refuses_a_change_the_newest_section_does_not_name(current, tmp_path):
    notes = tmp_path / "CHANGELOG.md"
    notes.write_text(TEXT.replace("## [Unreleased]", "## [Unreleased]\n\n## [0.0.9] - 2026-01-01"))
    stale = tmp_path / "CHANGELOG.fingerprints.json"
    shutil.copy(changelog.FINGERPRINTS, stale)
    document = json.loads(stale.read_text())
    document["sha256"]["awards.csv"] = "0" * 64
    stale.write_text(json.dumps(document))
    with pytest.raises(SystemExit, match=r"## \[Unreleased\] does not name awards\.csv"):
        changelog.refresh(notes, stale)
    assert json.loads(stale.read_text()) == document  # left as it was
    notes.write_text(TEXT.replace("### Added\n", "### Added\n- `awards.csv`: a column.\n", 1))
    assert changelog.refresh(notes, stale) == ["awards.csv"]
    assert changelog.stored(stale) == current


def test_the_package_version_is_one_semantic_version():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    assert project["version"] == __version__
    assert re.fullmatch(SEMVER, __version__)


def test_the_changelog_keeps_a_changelog_with_the_current_version():
    headings = re.findall(r"^## (.+)$", TEXT, flags=re.M)
    assert headings[0] in ("[Unreleased]", f"[{__version__}]") or headings[0].startswith(
        f"[{__version__}] - "
    )
    releases = headings[1:] if headings[0] == "[Unreleased]" else headings
    for heading in releases:
        assert re.fullmatch(rf"\[{SEMVER}\] - \d{{4}}-\d{{2}}-\d{{2}}", heading), heading
    assert releases[0].startswith(f"[{__version__}] - ")


def test_the_changelog_names_the_current_format_version():
    assert f'`"{FORMAT_VERSION}"`' in TEXT
