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


# Each language's pages within the budgets English holds (issue 22): the home page's first visit,
# a country page reached from the home page, the lists and a first search.

LANGUAGES = ("en", "de", "fr", "es", "it", "pl")
# Files that Pagefind compresses itself: a server sends them as they are.
COMPRESSED_ALREADY = re.compile(r"\.(pf_\w+|pagefind)$")


def _folder(code: str) -> str:
    return "" if code == "en" else f"{code}/"


def _gzipped(site, sizes: dict[str, int]) -> int:
    """The bytes of the files in `sizes` as a server that compresses text with gzip sends them."""
    import gzip

    total = 0
    for path, size in sizes.items():
        file = site / path.lstrip("/")
        if not file.is_file():
            total += size
        elif COMPRESSED_ALREADY.search(file.name):
            total += file.stat().st_size
        else:
            total += len(gzip.compress(file.read_bytes(), 6))
    return total


@pytest.mark.parametrize("code", LANGUAGES[1:])
def test_each_languages_home_page_with_its_map_transfers_under_600_kb_on_a_first_visit(
    chromium, weighed_site, code
):
    from tests.browser import transferred

    base, tally = weighed_site
    context = chromium.new_context()  # an empty cache
    try:
        weight, sizes = transferred(context, base + _folder(code), tally)
    finally:
        context.close()
    # The language's page and map frame; the shapes, Leaflet and our scripts once, at the root.
    for path in (f"/{code}/", f"/{code}/map/frame.html", "/map/countries-overview.topo.json"):
        assert path in sizes, path
    assert "/assets/search.js" in sizes and any(p.endswith("/leaflet.js") for p in sizes)
    assert not any("/pagefind/" in p for p in sizes), sorted(sizes)  # its own or any other
    assert weight < 600_000, _largest(sizes)


@pytest.mark.parametrize("code", LANGUAGES[1:])
def test_each_languages_country_page_reached_from_its_home_page_transfers_under_150_kb(
    chromium, weighed_site, code
):
    from tests.browser import transferred

    base, tally = weighed_site
    context = chromium.new_context()
    try:
        transferred(context, base + _folder(code), tally)  # the visitor arrives at home first
        weight, sizes = transferred(context, f"{base}{code}/countries/de/", tally)
    finally:
        context.close()
    assert f"/{code}/countries/de/" in sizes
    assert weight < 150_000, _largest(sizes)


@pytest.mark.parametrize("code", LANGUAGES)
def test_each_languages_lists_stay_within_their_budgets(chromium, sample_site, site_url, code):
    # /clusters/: under 200 KB of HTML and under 4,000 elements; no HTML page over 250 KB.
    folder = sample_site / _folder(code)
    assert (folder / "clusters" / "index.html").stat().st_size < 200_000
    context = chromium.new_context()
    try:
        page = context.new_page()
        page.goto(f"{site_url}{_folder(code)}clusters/", wait_until="networkidle")
        assert page.evaluate("document.documentElement.lang") == code
        assert page.evaluate("document.getElementsByTagName('*').length") < 4000
    finally:
        context.close()
    others = tuple(f"{c}/" for c in LANGUAGES[1:])
    pages = [
        p
        for p in folder.rglob("*.html")
        if code != "en" or not p.relative_to(folder).as_posix().startswith(others)
    ]
    assert pages and max(p.stat().st_size for p in pages) < 250_000


@pytest.mark.parametrize("code", LANGUAGES)
def test_each_languages_first_search_transfers_under_300_kb_gzipped_and_its_own_index_alone(
    chromium, weighed_site, sample_site, code
):
    base, tally = weighed_site
    context = chromium.new_context()
    try:
        page = context.new_page()
        page.goto(f"{base}{_folder(code)}countries/", wait_until="networkidle")
        tally.take()
        page.locator("[data-cd-search]").click()
        page.locator("pagefind-input input").wait_for(state="visible")
        page.keyboard.type("bio")
        page.locator("pagefind-results a").first.wait_for()
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
    sizes = tally.take()
    # Only the index of the page's language is fetched (its metadata, words and filters), from
    # its own bundle in its folder.
    indexes = {p.split("/")[-1].split("_")[0].removeprefix("pagefind.") for p in sizes if "_" in p}
    assert indexes == {code}, sorted(sizes)
    bundle = f"/{_folder(code)}pagefind/"
    assert f"{bundle}wasm.{code}.pagefind" in sizes
    assert all(p.startswith(bundle) for p in sizes if "pagefind/" in p), sorted(sizes)
    assert _gzipped(sample_site, sizes) < 300_000, _largest(sizes)
