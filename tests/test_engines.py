"""The engines after Material for MkDocs (end of life 2027-05-05): Zensical and ProperDocs (the
maintained fork of MkDocs 1.6, with Material) build the same generated Markdown tree into a site
whose home, country and cluster pages say the right counts and hold the map and downloads."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.build.build import MKDOCS_ENV, Project, generate
from generator.build.finish import edition_folders, finish
from generator.build.progress import Progress
from generator.build.writer import write_tree
from tests.conftest import ROOT
from tests.golden import AS_OF

# Each engine's command, run in the tree; Zensical writes to site/, ProperDocs to the -d folder.
ENGINES = {
    "zensical": ["zensical", "build"],
    "properdocs": ["properdocs", "build", "--strict", "-f", "mkdocs.yml", "-d", "site"],
}


def _text(page: Path) -> str:
    body = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page.read_text("utf-8"))
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("engines") / "tree"
    generated = generate(
        Project(ROOT), ROOT / "clusters", AS_OF, strict=True, progress=Progress(quiet=True)
    )
    write_tree(folder, generated.files)
    return folder


@pytest.fixture(scope="module", params=sorted(ENGINES))
def engine_site(request, tree, tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp(request.param) / "tree"
    shutil.copytree(tree, copy)
    command = ENGINES[request.param]
    program = Path(sys.executable).parent / command[0]
    assert program.exists(), f"{command[0]} is a test dependency"
    # English in the tree's root, each other language in its folder (de/), each built where
    # its mkdocs.yml is and moved to its folder of the site, as README says.
    folders = edition_folders(copy)
    assert folders == ["de", "es", "fr", "it", "pl"]
    for folder in ["", *folders]:
        result = subprocess.run(
            [str(program), *command[1:]],
            cwd=copy / folder,
            capture_output=True,
            text=True,
            env={**os.environ, **MKDOCS_ENV},
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        if folder:
            (copy / folder / "site").rename(copy / "site" / folder)
    finish(copy, copy / "site")  # cluster pages and search, whichever engine built the rest
    return copy / "site"


def test_each_engine_builds_the_home_page_with_the_headline(engine_site):
    assert "188 clusters from 28 countries hold a valid ECEI label on 25 November 2026" in _text(
        engine_site / "index.html"
    )


def test_each_engine_builds_country_and_cluster_pages(engine_site):
    assert "23 clusters in Germany hold a valid ECEI label" in _text(
        engine_site / "countries/de/index.html"
    )
    cluster = _text(
        engine_site / "clusters/innovationsverbund-biotechnologie-rheinhessen/index.html"
    )
    assert (
        "Innovationsverbund Biotechnologie Rheinhessen" in cluster
        and "SILVER label, valid until 30 June 2027" in cluster
    )
    folder = engine_site / "clusters/innovationsverbund-biotechnologie-rheinhessen"
    page = (folder / "index.html").read_text("utf-8")
    # What verifies a label comes with every engine: the files, the structured data, the
    # page's own description and Open Graph tags (from our main.html override).
    assert (folder / "status.json").is_file() and (folder / "badge.svg").is_file()
    assert '"hasCertification"' in page and 'property="og:title"' in page
    assert '<meta name="description" content="Innovationsverbund' in page


def test_each_engine_copies_the_map_downloads_and_feed(engine_site):
    for path in ("map/index.html", "clusters.csv", "clusters.json", "feed.xml", "assets/map.js"):
        assert (engine_site / path).is_file(), path


def test_each_engine_carries_the_search_button_and_an_index_of_the_cluster_pages(engine_site):
    home = (engine_site / "index.html").read_text("utf-8")
    assert "data-cd-search" in home and "assets/search.js" in home
    clusters = list((ROOT / "clusters").rglob("*.yaml"))
    for code in ("en", "de", "fr", "es", "it", "pl"):  # a bundle a language, in its folder
        bundle = engine_site / ("" if code == "en" else code) / "pagefind"
        entry = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))
        assert list(entry["languages"]) == [code]
        fragments = list((bundle / "fragment").glob("*.pf_fragment"))
        assert all(f.name.startswith(f"{code}_") for f in fragments), code
        assert len(fragments) == len(clusters), code  # one per cluster page; lists stay out


def test_each_engine_titles_the_home_page_once_and_marks_where_a_page_stands(engine_site):
    home = (engine_site / "index.html").read_text("utf-8")
    assert "<title>ECEI Cluster Directory</title>" in home
    for page in ("countries/de", "clusters/innovationsverbund-biotechnologie-rheinhessen"):
        text = (engine_site / page / "index.html").read_text("utf-8")
        assert 'class="md-nav__link md-nav__link--active" aria-current="true"' in text, page
        assert '<nav class="cd-breadcrumb" aria-label="Breadcrumb">' in text, page
    assert 'rel="alternate"' not in home  # Material fetches a sitemap for each such link


FOOTER_PAGES = (
    "index.html",
    "countries/de/index.html",
    "clusters/innovationsverbund-biotechnologie-rheinhessen/index.html",
    "accessibility/index.html",
    "privacy/index.html",
)


@pytest.mark.parametrize("path", FOOTER_PAGES)
def test_each_engine_writes_the_registers_footer_with_links_that_resolve(engine_site, path):
    page = engine_site / path
    text = page.read_text("utf-8")
    assert "Run by ECEI Cluster Directory secretariat (sample)." in _text(page)
    assert "Records as of 25 November 2026" in _text(page)
    footer = re.search(r'<nav class="cd-footer__links".*?</nav>', text, re.S)
    assert footer, path
    links = re.findall(r'href="([^"]+)"', footer[0])
    assert len(links) == 6 and links[0] == "mailto:directory@example.org"
    for link in links[1:]:
        target = (page.parent / link.split("#")[0]).resolve()
        assert (target / "index.html" if target.is_dir() else target).is_file(), link


@pytest.mark.parametrize("code", ["de", "pl"])
def test_each_engine_builds_each_language_with_its_lang_and_the_same_page_in_every_other(
    engine_site, code
):
    page = engine_site / code / "countries/de/index.html"
    text = page.read_text("utf-8")
    assert f'<html lang="{code}"' in text
    alternates = re.findall(r'<link rel="alternate " hreflang="([^"]+)" href="([^"]+)">', text)
    menu = re.findall(
        r'<a href="([^"]+)" hreflang="([^"]+)" lang="[^"]+" class="md-select__link"', text
    )
    assert [lang for lang, _ in alternates] == ["en", "de", "fr", "es", "it", "pl", "x-default"]
    assert [lang for _, lang in menu] == ["en", "de", "fr", "es", "it", "pl"]
    for href in [href for _, href in alternates] + [href for href, _ in menu]:
        target = (page.parent / html.unescape(href)).resolve()
        assert target.relative_to(engine_site.resolve()).as_posix().endswith("countries/de")
        assert (target / "index.html").is_file(), href
