"""The Nu HTML Checker on one page of every page type: no error from our templates, overrides or
map page.

vnu.jar comes from npm's vnu-jar (pinned in tools/vnu/, installed by `make test`) and runs on
Debian's Java; one run checks every page, since Java takes seconds to start. Errors that Material
for MkDocs writes itself are allowed below, each with the markup it comes from and why it is
Material's; an allowed error that no longer occurs fails the test, so that the list stays true.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from generator.build.build import Project, build
from generator.build.progress import Progress
from generator.labels.rules import load_rules, load_sectors
from generator.records.catalog import load_catalog
from generator.site.directory import build_directory
from tests.conftest import FIXTURES, ROOT

VNU = ROOT / "tools" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# One page of each type in the sample site (a folder's page is its index.html).
PAGE_TYPES = {
    "home": "",
    "countries": "countries/",
    "country": "countries/de/",
    "all clusters": "clusters/",
    "a further page of a list": "clusters/page/2/",
    "label": "labels/gold/",
    "renewals": "renewals/",
    "about": "about/",
    "accessibility statement": "accessibility/",
    "privacy notice": "privacy/",
    "map": "map/",
    "the home page's map": "map/frame.html",
    "not found": "404.html",
    "statistics": "statistics/",
}
STATES = ("valid", "renewal", "expired", "none")
# The fixture records as of a day when one of them (greek-cluster) is not yet labelled: the
# state `none`, which the sample records never reach, beside the hostile record's page.
FIXTURE_AS_OF = dt.date(2025, 10, 31)
PROBE = "probe.html"  # a page with a known error: the checker must report it


@dataclass(frozen=True, slots=True)
class Allowed:
    """An error that Material for MkDocs writes itself: vnu's message, the markup vnu quotes."""

    message: str  # a regular expression on vnu's message (with ASCII quotes: 'autocomplete')
    extract: str  # a regular expression on the markup vnu quotes around the error
    reason: str


ALLOWED = (
    Allowed(
        message=r"^Attribute 'autocomplete' is only allowed when the input type is ",
        extract=r'<input class="md-toggle" data-md-toggle="(drawer|search)" type="checkbox" '
        r'id="__(drawer|search)" autocomplete="off">',
        reason="Material's base.html writes its drawer and search toggles, right after "
        "`<body>` and outside any block a theme override can replace, as `<input "
        'class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" '
        'autocomplete="off">` (the usual way to keep Firefox from restoring a checkbox\'s '
        "state on reload); HTML allows autocomplete on text-like inputs only. Reported to "
        "Material as squidfunk/mkdocs-material#1513 (closed).",
    ),
)


@dataclass(frozen=True, slots=True)
class Message:
    """One error vnu reports: the page (by name), its line, the message and the quoted markup."""

    page: str
    line: int
    text: str
    extract: str

    def __str__(self) -> str:
        return f"{self.page}:{self.line}: {self.text}\n    {self.extract.strip()!r}"


def _page_file(site: Path, path: str) -> Path:
    return site / path if path.endswith(".html") else site / path / "index.html"


def _clusters_by_state(data: Path, site: Path) -> dict[str, list[str]]:
    """The site's cluster ids by state, worked out from its records as of the site's date."""
    as_of = dt.date.fromisoformat(json.loads((site / "clusters.json").read_text("utf-8"))["as_of"])
    rules = load_rules()
    catalog = load_catalog(data, rules, load_sectors(), as_of)
    states: dict[str, list[str]] = {}
    for entry in build_directory(catalog.clusters, rules, as_of).entries:
        states.setdefault(entry.status.state.value, []).append(entry.cluster.id)
    return states


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture records built as of FIXTURE_AS_OF (not strict: an award is still to come)."""
    out = tmp_path_factory.mktemp("vnu-fixture") / "site"
    records = FIXTURES / "site"
    build(Project(ROOT), records, out, FIXTURE_AS_OF, strict=False, progress=Progress(quiet=True))
    return out


@pytest.fixture(scope="module")
def cluster_pages(sample_site: Path, fixture_site: Path) -> dict[str, tuple[str, Path]]:
    """Cluster pages by name, with their state: the first of each state in the sample site, and
    every one of the fixture records (the hostile record's among them)."""
    found = {}
    for state, ids in _clusters_by_state(ROOT / "clusters", sample_site).items():
        found[f"cluster ({state}) {ids[0]}"] = (state, sample_site / "clusters" / ids[0])
    for state, ids in _clusters_by_state(FIXTURES / "site", fixture_site).items():
        for cluster_id in ids:
            found[f"fixture cluster ({state}) {cluster_id}"] = (
                state,
                fixture_site / "clusters" / cluster_id,
            )
    return found


@pytest.fixture(scope="module")
def pages(sample_site: Path, cluster_pages, tmp_path_factory) -> dict[str, Path | None]:
    """Every page to check by name (None where the site has no such page), and the probe."""
    files = {kind: _page_file(sample_site, path) for kind, path in PAGE_TYPES.items()}
    # The same in a translated folder (its language menu, alternates and links up to the root).
    files |= {f"{kind} (pl)": _page_file(sample_site / "pl", p) for kind, p in PAGE_TYPES.items()}
    files |= {
        f"{name} (pl)": sample_site / "pl" / folder.relative_to(sample_site) / "index.html"
        for name, (_, folder) in cluster_pages.items()
        if folder.is_relative_to(sample_site)
    }
    files |= {name: folder / "index.html" for name, (_, folder) in cluster_pages.items()}
    # Each cluster's badge, an SVG file other sites embed: vnu checks SVG too.
    files |= {
        f"badge of {name}": folder / "badge.svg" for name, (_, folder) in cluster_pages.items()
    }
    found: dict[str, Path | None] = {
        name: file if file.is_file() else None for name, file in files.items()
    }
    probe = tmp_path_factory.mktemp("vnu-probe") / PROBE
    probe.write_text(
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Probe</title>'
        '</head><body><label for="nowhere">A label without its control</label></body></html>\n',
        "utf-8",
    )
    found[PROBE] = probe
    return found


@pytest.fixture(scope="module")
def errors(pages: dict[str, Path | None]) -> list[Message]:
    """vnu's errors on every page that exists, in one run of the checker."""
    java = shutil.which("java")
    assert java, "the HTML checker needs Java: make test installs Debian's default-jre-headless"
    assert VNU.is_file(), f"no {VNU.relative_to(ROOT)}: make test installs it (npm ci in tools/vnu)"
    names = {str(file.resolve()): name for name, file in pages.items() if file is not None}
    command = [java, "-jar", str(VNU), "--format", "json", "--stdout", "--exit-zero-always"]
    command += ["--asciiquotes", "--no-langdetect", "--also-check-svg", *sorted(names)]
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=300)
    assert result.returncode == 0, result.stderr
    found = []
    for message in json.loads(result.stdout)["messages"]:
        if message["type"] == "info":  # warnings and notes; only errors fail
            continue
        page = names.get(unquote(urlparse(message.get("url", "")).path), message.get("url", "?"))
        found.append(
            Message(
                page, message.get("lastLine", 0), message["message"], message.get("extract", "")
            )
        )
    return found


def _allowed(message: Message) -> Allowed | None:
    for entry in ALLOWED:
        if re.search(entry.message, message.text) and re.search(entry.extract, message.extract):
            return entry
    return None


def test_the_checker_sees_every_page_type_and_every_state(pages, cluster_pages):
    missing = [name for name, file in pages.items() if file is None]
    assert missing == [], f"pages the site no longer has: {missing}"
    assert {state for state, _ in cluster_pages.values()} == set(STATES)
    assert any(name.endswith(" hostile-markup") for name in cluster_pages)


def test_no_page_has_an_html_error_of_our_own(pages, errors):
    ours = [m for m in errors if m.page != PROBE and _allowed(m) is None]
    assert ours == [], "\n".join(map(str, ours))


def test_every_allowed_error_of_materials_still_occurs(errors):
    unused = [e.message for e in ALLOWED if not any(_allowed(m) is e for m in errors)]
    assert unused == [], f"allowed errors that no longer occur (drop them from ALLOWED): {unused}"


def test_the_checker_reports_a_label_without_its_control(errors):
    probe = [m for m in errors if m.page == PROBE]
    assert [m.text for m in probe] == [
        "The value of the 'for' attribute of the 'label' element must be the ID of a non-hidden "
        "form control."
    ]
