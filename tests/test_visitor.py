"""What a visitor meets, in headless chromium: home, country and cluster pages, phone widths and
page weights (the lists are tested in test_lists.py, search in test_search.py).
Every request to another host, and every script error, fails the test (see tests/browser.py)."""

from __future__ import annotations

import re

import pytest

from generator.core.dates import day_text
from generator.labels.rules import load_rules, load_sectors
from generator.records.catalog import load_catalog
from generator.site.directory import build_directory
from tests.browser import Visitor
from tests.conftest import ROOT
from tests.golden import AS_OF


@pytest.fixture(scope="module")
def directory():
    rules = load_rules()
    catalog = load_catalog(ROOT / "clusters", rules, load_sectors(), AS_OF)
    return build_directory(catalog.clusters, rules, AS_OF)


def test_home_shows_the_headline_the_countries_and_a_shape_per_country(visitor, directory):
    page = visitor.page
    page.goto(visitor.base)
    assert page.locator(".cd-headline").inner_text().startswith("188 clusters from 28 countries")
    countries = page.locator(".cd-country-list li a")
    assert countries.count() == 28
    assert countries.all_inner_texts() == [c.name for c in directory.countries]
    frame = page.frame_locator("iframe.cd-map-frame")
    frame.locator(".folium-map[data-ready=true]").wait_for()
    shaded = frame.locator("path.cd-country--labelled")
    assert shaded.count() == 27
    classes = set(
        shaded.evaluate_all("paths => paths.map(p => p.getAttribute('class').split(' ')[0])")
    )
    # Mexico lies outside the map's frame: the note under the map names it instead.
    assert classes == {f"country-{c.slug}" for c in directory.countries if c.code != "MX"}


def test_country_page_lists_exactly_its_clusters_and_a_cluster_page_its_label(visitor, directory):
    page = visitor.page
    page.goto(visitor.base)
    page.get_by_role("link", name="Poland", exact=True).click()
    page.wait_for_url(re.compile(r"/countries/pl/$"))
    poland = next(c for c in directory.countries if c.code == "PL")
    names = page.locator(".cd-table").first.locator("tbody tr td:first-child a").all_inner_texts()
    assert names == [e.cluster.name for e in poland.labelled]
    first = poland.labelled[0]
    page.get_by_role("link", name=first.cluster.name, exact=True).click()
    page.wait_for_url(re.compile(rf"/clusters/{first.cluster.id}/$"))
    label = load_rules().level(first.status.label).name
    status = page.locator(".cd-status").inner_text()
    assert status.endswith(
        f"holds the ECEI {label} label, valid until {day_text(first.status.valid_until)}."
    )
    assert page.locator("h1").inner_text() == first.cluster.name


@pytest.mark.parametrize(
    "path",
    [
        "",
        "countries/de/",
        "clusters/",
        "clusters/innovationsverbund-biotechnologie-rheinhessen/",
        "renewals/",
        "map/",
    ],
)
def test_nothing_overflows_at_phone_width(chromium, site_url, path):
    tab = Visitor(chromium, site_url, width=390, height=844)
    try:
        tab.page.goto(site_url + path, wait_until="networkidle")
        overflow = tab.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path or '/'} is {overflow}px wider than the phone"
        if path == "":
            frame = tab.page.locator("iframe.cd-map-frame").bounding_box()
            assert (
                frame["width"] <= 390 and frame["height"] >= 300
            )  # the map is there and big enough to use
        if path in ("clusters/", "countries/de/"):
            wrap = tab.page.locator(".cd-table-wrap").first
            assert (
                wrap.evaluate("w => getComputedStyle(w).overflowX") == "auto"
            )  # wide tables scroll inside
    finally:
        tab.close()


@pytest.fixture(scope="module")
def weighed_site(sample_site):
    """The sample site on a server of its own that counts the bytes it sends."""
    from tests.browser import Tally, serve_folder

    tally = Tally()
    with serve_folder(sample_site, tally) as base:
        yield base, tally


def _largest(sizes: dict[str, int]) -> list[tuple[str, int]]:
    return sorted(sizes.items(), key=lambda kv: -kv[1])[:8]


def test_the_home_page_with_its_map_transfers_under_600_kb_on_a_first_visit(chromium, weighed_site):
    from tests.browser import transferred

    base, tally = weighed_site
    context = chromium.new_context()  # an empty cache
    try:
        weight, sizes = transferred(context, base, tally)
    finally:
        context.close()
    # Everything the visit needs was weighed: the frame's document and shapes, Leaflet, and the
    # search's opener; nothing of the search itself loads before a visitor opens it.
    for path in ("/map/frame.html", "/map/countries-overview.topo.json", "/assets/search.js"):
        assert path in sizes, path
    assert any(p.endswith("/leaflet.js") for p in sizes)
    assert not any(p.startswith("/pagefind/") for p in sizes), sorted(sizes)
    assert weight < 600_000, _largest(sizes)


def test_a_country_page_reached_from_the_home_page_transfers_under_150_kb(chromium, weighed_site):
    from tests.browser import transferred

    base, tally = weighed_site
    context = chromium.new_context()
    try:
        transferred(context, base, tally)  # the visitor arrives at the home page first
        weight, sizes = transferred(context, base + "countries/de/", tally)
    finally:
        context.close()
    assert "/countries/de/" in sizes
    assert weight < 150_000, _largest(sizes)
