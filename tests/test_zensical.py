"""The next engine: Zensical builds the same Markdown tree (it reads mkdocs.yml) into a site
whose home, country and cluster pages say the right counts."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.build import MKDOCS_ENV, Project, generate
from generator.progress import Progress
from generator.writer import write_tree
from tests.conftest import ROOT
from tests.golden import AS_OF


def _text(page: Path) -> str:
    body = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page.read_text("utf-8"))
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory) -> Path:
    tree = tmp_path_factory.mktemp("zensical") / "tree"
    generated = generate(
        Project(ROOT), ROOT / "clusters", AS_OF, strict=True, progress=Progress(quiet=True)
    )
    write_tree(tree, generated.files)
    zensical = Path(sys.executable).parent / "zensical"
    assert zensical.exists() or shutil.which("zensical"), "zensical is a test dependency"
    result = subprocess.run(
        [str(zensical) if zensical.exists() else "zensical", "build"],
        cwd=tree,
        capture_output=True,
        text=True,
        env={**os.environ, **MKDOCS_ENV},
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return tree / "site"


def test_zensical_builds_the_home_page_with_the_headline(zensical_site):
    assert "188 clusters from 28 countries hold a valid ECEI label on 25 November 2026" in _text(
        zensical_site / "index.html"
    )


def test_zensical_builds_country_and_cluster_pages(zensical_site):
    assert "23 clusters in Germany hold a valid ECEI label" in _text(
        zensical_site / "countries/de/index.html"
    )
    cluster = _text(
        zensical_site / "clusters/innovationsverbund-biotechnologie-rheinhessen/index.html"
    )
    assert (
        "Innovationsverbund Biotechnologie Rheinhessen" in cluster
        and "SILVER valid until 30 June 2027" in cluster
    )


def test_zensical_copies_the_map_downloads_and_feed(zensical_site):
    for path in ("map/index.html", "clusters.csv", "clusters.json", "feed.xml", "assets/map.js"):
        assert (zensical_site / path).is_file(), path
