"""Hostile records (markup, script and template syntax in every field, javascript: and data:
URLs, right-to-left and zero-width characters, 10,000-character names) build a site in which
nothing is interpreted: every string shows exactly as written, and no script runs."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from generator.build.build import Project, build
from generator.build.progress import Progress
from generator.labels.rules import load_rules, load_sectors
from generator.records.catalog import load_catalog
from generator.site.corrections import NAME_IN_LINK
from tests.browser import Visitor, serve_folder
from tests.conftest import FIXTURES, ROOT
from tests.golden import AS_OF

# Records whose text must show intact in the pages (hostile/terminal/ holds input whose text
# must not reach a terminal as control characters: tests/test_terminal_output.py).
HOSTILE = FIXTURES / "hostile" / "pages"
RULES = load_rules()
CLUSTERS = {c.id: c for c in load_catalog(HOSTILE, RULES, load_sectors(), AS_OF).clusters}
ACTIVE = [
    r"<script>alert",
    r"<img src=x",
    r"<svg onload",
    r"<iframe src=//evil",
    r'href="javascript:',
    r'href="data:',
]


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("hostile") / "site"
    build(Project(ROOT), HOSTILE, out, AS_OF, strict=False, progress=Progress(quiet=True))
    with serve_folder(out) as base:
        yield out, base


def test_every_hostile_record_is_valid():
    catalog = load_catalog(HOSTILE, RULES, load_sectors(), AS_OF)
    # Hostile text is still a valid record: it must be shown, not refused. The one warning is
    # for a city that a spreadsheet would run as a formula (the downloads neutralise it).
    assert [(d.severity, d.field) for d in catalog.diagnostics] == [("warning", "city")]
    assert sorted(CLUSTERS) == sorted(p.stem for p in HOSTILE.glob("*.yaml"))


def test_no_markup_from_a_record_reaches_the_html(hostile_site):
    out, _ = hostile_site
    for page in [*out.rglob("*.html"), out / "feed.xml"]:
        text = page.read_text("utf-8")
        for pattern in ACTIVE:
            assert not re.search(pattern, text, re.I), f"{pattern} in {page.relative_to(out)}"


@pytest.mark.parametrize("cluster_id", sorted(CLUSTERS))
def test_each_field_shows_exactly_as_written_and_nothing_runs(chromium, hostile_site, cluster_id):
    _, base = hostile_site
    cluster = CLUSTERS[cluster_id]
    tab = Visitor(chromium, base)
    dialogs: list[str] = []
    tab.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        tab.page.goto(f"{base}clusters/{cluster_id}/")
        assert tab.page.locator(".cd-cluster h1").text_content() == cluster.name
        assert tab.page.title().startswith(cluster.name[:200])
        fields = dict(
            zip(
                tab.page.locator(".cd-fields dt").all_text_contents(),
                tab.page.locator(".cd-fields dd").all_text_contents(),
                strict=True,
            )
        )
        assert fields["Website"] == cluster.website
        if cluster.city:
            assert fields["City"] == cluster.city
        if cluster.description:
            assert fields["Description"] == cluster.description
        if cluster.acronym:
            assert tab.page.locator("p.cd-acronym").text_content() == cluster.acronym
        # "Suggest a correction" opens a message about this cluster, whatever its name says.
        link = tab.page.locator(".cd-correction a").get_attribute("href")
        message = {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}
        assert set(message) == {"subject", "body"}
        assert message["subject"].endswith(f" ({cluster_id})")
        assert f"Cluster id: {cluster_id}\r\n" in message["body"]
        assert f"Page address: /clusters/{cluster_id}/\r\n" in message["body"]
        if len(cluster.name) <= NAME_IN_LINK:
            assert f"Cluster name: {cluster.name}\r\n" in message["body"]
        tab.page.goto(f"{base}clusters/")
        tab.page.goto(f"{base}map/")
        tab.page.locator(".folium-map[data-ready=true]").wait_for()
        assert dialogs == []
    finally:
        tab.close()


def test_map_popups_show_names_as_text(chromium, hostile_site):
    _, base = hostile_site
    tab = Visitor(chromium, base)
    try:
        tab.page.goto(f"{base}map/")
        tab.page.locator(".folium-map[data-ready=true]").wait_for()
        tab.page.locator(".cd-marker-group").first.click()  # the four markers share a place
        tab.page.locator(".folium-map[data-spread=true]").wait_for()  # the markers spread out
        tab.page.locator(".cd-marker").first.click(force=True)
        popup = tab.page.locator(".leaflet-popup-content").last
        popup.wait_for()
        assert popup.locator("strong").text_content() in {c.name for c in CLUSTERS.values()}
        assert popup.locator("script, img, svg, iframe, b").count() == 0
    finally:
        tab.close()
