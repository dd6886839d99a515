"""A cluster page as a visitor reads it: its place said once, a locator map drawn at build time
(the country's outline, shared, with the cluster's dot, and a text alternative), a timeline that
opens at the as-of date on a phone and says that it scrolls, and no note meant for developers."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from lxml import html as lxml_html

from generator.site import locator
from tests import golden
from tests.conftest import ROOT

LUND = "clusters/skane-smart-food-cluster/"  # Lund, Sweden, with coordinates
SVG = "{http://www.w3.org/2000/svg}"


def _page(site: Path, path: str):
    return lxml_html.fromstring((site / path / "index.html").read_bytes())


def _text(document) -> str:
    """The words a visitor reads on the page (no script's text)."""
    (body,) = document.xpath('//div[@class="cd-cluster"]')
    return " ".join(" ".join(body.xpath(".//text()[not(ancestor::script)]")).split())


def test_the_city_and_country_are_said_once_in_the_rows(sample_site):
    page = _page(sample_site, LUND)
    text = _text(page)
    assert "Lund, Sweden." not in text
    rows = dict(
        zip(
            [" ".join(dt.text_content().split()) for dt in page.xpath("//dl/dt")],
            [" ".join(dd.text_content().split()) for dd in page.xpath("//dl/dd")],
            strict=True,
        )
    )
    assert (rows["Country"], rows["City"]) == ("Sweden", "Lund")
    assert text.count("Lund") == 1  # the locator map's name for it is an attribute


def test_the_city_country_and_sectors_stay_in_the_search_index(sample_site):
    # Pagefind indexes what no data-pagefind-ignore hides: the rows' values, not their names.
    page = _page(sample_site, LUND)
    for dd in page.xpath("//dl/dd")[:2]:
        assert dd.get("data-pagefind-ignore") is None
    assert all(dt.get("data-pagefind-ignore") is not None for dt in page.xpath("//dl/dt"))


def test_a_cluster_page_has_a_locator_map_with_its_dot_and_a_text_alternative(sample_site):
    page = _page(sample_site, LUND)
    (svg,) = page.xpath('//svg[@class="cd-locator"]')
    assert svg.get("role") == "img" and svg.get("aria-label") == "Lund in Sweden"
    assert not page.xpath('//svg[@class="cd-locator"]//script')
    (image,) = svg.xpath("./image")
    outline = (sample_site / LUND / image.get("href")).resolve()
    assert outline == (sample_site / "countries/outline/se.svg").resolve() and outline.is_file()
    (dot,) = svg.xpath("./circle")
    width, height = int(svg.get("width")), int(svg.get("height"))  # as its viewBox
    x, y = int(dot.get("cx")), int(dot.get("cy"))
    assert 0 <= x <= width and 0 <= y <= height
    assert y > height * 0.8  # Lund lies in the south of Sweden


def test_every_cluster_of_a_country_shares_one_small_outline_file(sample_site):
    hrefs = set()
    for path in (ROOT / "clusters" / "se").glob("*.yaml"):
        page = _page(sample_site, f"clusters/{path.stem}")
        hrefs |= {i.get("href") for i in page.xpath('//svg[@class="cd-locator"]/image')}
    assert hrefs == {"../../countries/outline/se.svg"}
    for outline in (sample_site / "countries/outline").glob("*.svg"):
        text = outline.read_text()
        assert len(text.encode()) < 2000, outline.name
        (path,) = re.findall(r' d="([^"]+)"', text)
        assert re.fullmatch(r"(M-?\d+[ -]?\d+l[-\d ]+z)+", path), outline.name  # whole numbers


def test_without_a_position_the_map_shows_the_country_and_says_so():
    body = (golden.GOLDEN / "clusters/renewal-only-in-malta.html").read_text()
    (svg,) = re.findall(r'<svg class="cd-locator".*?</svg>', body)
    assert 'aria-label="Map of Malta"' in svg and "<circle" not in svg


def test_a_place_outside_the_countrys_frame_gets_no_map():
    topology = json.loads((ROOT / "site_templates/data/countries.topo.json").read_text())
    spain = locator.outlines(topology, ["ES"])["ES"]
    assert spain.place(40.42, -3.70) is not None  # Madrid
    assert spain.place(28.12, -15.43) is None  # Las Palmas, Canary Islands, off the frame


def test_outlines_hold_their_country_whole_and_small(sample_site):
    topology = json.loads((ROOT / "site_templates/data/countries.topo.json").read_text())
    drawn = locator.outlines(topology, ["DE", "NO", "XX"])
    assert set(drawn) == {"DE", "NO"}  # a country without a shape gets no map
    norway = drawn["NO"]
    assert norway.place(69.65, 18.96) is not None  # Tromsø is in the frame
    assert norway.place(78.22, 15.65) is None  # Svalbard is not: it would shrink the mainland
    assert max(norway.width, norway.height) == locator.SIZE


def test_no_page_shows_visitors_a_note_about_the_build(sample_site):
    for page in [LUND, "", "countries/de/", "clusters/"]:
        text = (sample_site / page / "index.html").read_text()
        assert "site_url" not in text and "does not know the site" not in text


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_on_a_phone_the_timeline_opens_at_the_as_of_date_and_says_it_scrolls(
    chromium, site_url, scheme
):
    context = chromium.new_context(viewport={"width": 390, "height": 844}, color_scheme=scheme)
    page = context.new_page()
    page.goto(site_url + LUND)
    box = page.locator(".cd-timeline-scroll")
    shown = box.evaluate(
        "b => { const n = b.querySelector('.cd-tl-now').getBoundingClientRect();"
        " const r = b.getBoundingClientRect();"
        " return [b.scrollLeft, b.scrollWidth > b.clientWidth, n.left >= r.left && n.right <= r.right]; }"
    )
    assert shown[0] > 0 and shown[1] and shown[2], shown
    assert page.locator(".cd-tl-hint").is_visible()
    context.close()


def test_without_script_the_timeline_still_scrolls_from_its_start(chromium, site_url):
    context = chromium.new_context(
        viewport={"width": 390, "height": 844}, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(site_url + LUND)
    box = page.locator(".cd-timeline-scroll")
    assert box.evaluate("b => [b.scrollLeft, b.scrollWidth > b.clientWidth]") == [0, True]
    assert page.locator(".cd-tl-hint").is_visible()
    context.close()


def test_on_a_wide_screen_the_timeline_fits_and_no_hint_shows(visitor):
    page = visitor.page
    page.goto(visitor.base + LUND)
    box = page.locator(".cd-timeline-scroll")
    assert box.evaluate("b => b.scrollWidth <= b.clientWidth")
    assert not page.locator(".cd-tl-hint").is_visible()


def test_search_still_finds_a_cluster_by_its_city(visitor):
    page = visitor.page
    page.goto(visitor.base + "countries/")
    page.locator("[data-cd-search]").click()
    page.locator("pagefind-input input").wait_for(state="visible")
    page.keyboard.type("Lund")
    page.locator("pagefind-results a", has_text="Skåne Smart Food Cluster").first.wait_for()
