"""Where a visitor is: the navigation marks the section of a country or cluster page, a breadcrumb
leads back up, every page keeps the navigation, the home page's title names the site once, the
labels come highest first everywhere, and no page asks for a file the build did not write."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from lxml import html as lxml_html

from generator.build.build import Project, generate
from generator.build.progress import Progress
from generator.site.shell import PAGES_FILE, read_pages
from tests import golden
from tests.conftest import ROOT

CLUSTER = "clusters/innovationsverbund-biotechnologie-rheinhessen/"
LEVELS_HIGHEST_FIRST = ["GOLD", "SILVER", "BRONZE"]


def _page(site: Path, path: str):
    return lxml_html.fromstring((site / path / "index.html").read_bytes())


def _primary_nav(document) -> list:
    return document.xpath('//nav[contains(@class, "md-nav--primary")]')[0]


def _marked(document) -> list[str]:
    """The primary navigation's entries marked as where the visitor is."""
    return [
        " ".join(a.text_content().split())
        for a in _primary_nav(document).xpath('.//a[contains(@class, "md-nav__link--active")]')
    ]


def _breadcrumb(document) -> list[tuple[str, str | None, str | None]]:
    """The breadcrumb's steps: text, link and aria-current."""
    (crumb,) = document.xpath('//nav[@aria-label="Breadcrumb"]')
    steps = crumb.xpath("./ol/li")
    assert steps, "the breadcrumb is an ordered list"
    return [
        (" ".join(li.text_content().split()), li[0].get("href"), li[0].get("aria-current"))
        for li in steps
    ]


def test_a_country_page_marks_countries_in_the_navigation_and_has_a_breadcrumb(sample_site):
    page = _page(sample_site, "countries/de")
    assert _marked(page) == ["Countries"]
    current = _primary_nav(page).xpath('.//a[@aria-current="true"]')
    assert [a.get("href") for a in current] == ["../"]
    assert _breadcrumb(page) == [
        ("Home", "../../", None),
        ("Countries", "../../countries/", None),
        ("Germany", "./", "page"),
    ]


def test_a_further_page_of_a_list_marks_its_list(sample_site):
    assert _marked(_page(sample_site, "clusters/page/2")) == ["All clusters"]


def test_a_cluster_page_marks_countries_and_leads_back_through_its_country(sample_site):
    page = _page(sample_site, CLUSTER)
    assert _marked(page) == ["Countries"]
    assert _breadcrumb(page) == [
        ("Home", "../../", None),
        ("Countries", "../../countries/", None),
        ("Germany", "../../countries/de/", None),
        ("Innovationsverbund Biotechnologie Rheinhessen", "./", "page"),
    ]


def test_a_cluster_whose_country_has_no_page_leads_back_to_the_countries(tmp_path):
    generated = generate(
        Project(ROOT), golden.FIXTURE_RECORDS, golden.AS_OF, True, Progress(quiet=True)
    )
    pages_file = next(f for f in generated.files if f.path == PAGES_FILE)
    trails = {p.id: p.trail for p in read_pages(pages_file.data.decode())}
    assert trails["expired-in-liechtenstein"] == ""  # no country page: Home › Countries › it
    assert trails["gold-cluster-rhein"] == '<li><a href="../../countries/de/">Germany</a></li>'


def test_breadcrumbs_are_structured_data_when_the_site_address_is_known():
    generated = generate(
        Project(ROOT),
        golden.FIXTURE_RECORDS,
        golden.AS_OF,
        True,
        Progress(quiet=True),
        site_url="https://example.org/dir/",
    )
    files = {f.path: f.data.decode() for f in generated.files if f.path.endswith((".md", ".jsonl"))}
    pages = {p.id: p for p in read_pages(files[PAGES_FILE])}

    def crumbs(text: str) -> list[tuple[str, str]]:
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', text):
            data = json.loads(block)
            if data["@type"] == "BreadcrumbList":
                return [(i["name"], i["item"]) for i in data["itemListElement"]]
        raise AssertionError("no BreadcrumbList")

    assert crumbs(pages["gold-cluster-rhein"].body) == [
        ("Home", "https://example.org/dir/"),
        ("Countries", "https://example.org/dir/countries/"),
        ("Germany", "https://example.org/dir/countries/de/"),
        ("Gold Cluster Rhein", "https://example.org/dir/clusters/gold-cluster-rhein/"),
    ]
    markdown = {f.path: f.data.decode() for f in generated.markdown}  # the tree holds shells
    assert crumbs(markdown["countries/de.md"])[-1] == (
        "Germany",
        "https://example.org/dir/countries/de/",
    )


def test_without_the_site_address_no_breadcrumb_data_is_written():
    assert "BreadcrumbList" not in (golden.GOLDEN / "countries/de.md").read_text()
    assert "BreadcrumbList" not in (golden.GOLDEN / "clusters/gold-cluster-rhein.html").read_text()


@pytest.mark.parametrize(
    "path", ["", "clusters", "countries", "statistics", "countries/de", CLUSTER]
)
def test_every_page_shows_the_navigation(sample_site, path):
    (sidebar,) = _page(sample_site, path).xpath('//div[@data-md-type="navigation"]')
    assert sidebar.get("hidden") is None
    assert _primary_nav(sidebar).xpath('.//a[contains(@href, "about/")]')


def test_the_all_clusters_page_is_the_current_one_in_its_navigation(sample_site):
    assert _marked(_page(sample_site, "clusters")) == ["All clusters"]


def test_the_home_page_title_names_the_site_once(sample_site):
    assert _page(sample_site, "").findtext(".//title") == "ECEI Cluster Directory"
    assert _page(sample_site, "countries/de").findtext(".//title") == (
        "Germany - ECEI Cluster Directory"
    )


def _texts(elements) -> list[str]:
    return [" ".join(e.text_content().split()) for e in elements]


def test_the_labels_come_highest_first_everywhere(sample_site):
    # The navigation: the label pages' entries, shown expanded on a label's page.
    nav = _primary_nav(_page(sample_site, "labels/silver"))
    names = [t for t in _texts(nav.xpath(".//a")) if t in LEVELS_HIGHEST_FIRST]
    assert names == LEVELS_HIGHEST_FIRST
    # Where the navigation folds the labels, their entry leads to the highest.
    home_nav = _primary_nav(_page(sample_site, ""))
    assert home_nav.xpath('.//a[normalize-space()="Labels"]')[0].get("href") == "labels/gold/"
    # The lists' filter.
    options = _page(sample_site, "clusters").xpath('//select[@id="cd-filter-label"]/option[@value]')
    assert [o.text for o in options if o.get("value")] == LEVELS_HIGHEST_FIRST
    # The statistics' legends and tables.
    stats = _page(sample_site, "statistics")
    for legend in stats.xpath('//*[local-name()="g"][@class="cd-chart-legend"]'):
        named = _texts(legend.xpath('.//*[local-name()="text"]'))
        if set(named) & set(LEVELS_HIGHEST_FIRST):
            assert named == LEVELS_HIGHEST_FIRST
    # The about page's rules, the home page's cards and its words.
    about = _page(sample_site, "about")
    rules = [t.split(":")[0] for t in _texts(about.xpath("//li[strong]")) if ":" in t]
    assert [r for r in rules if r in LEVELS_HIGHEST_FIRST] == LEVELS_HIGHEST_FIRST
    home = _page(sample_site, "")
    cards = _texts(home.xpath('//a[@class="cd-label-card"]/span[contains(@class, "cd-badge")]'))
    assert cards == LEVELS_HIGHEST_FIRST
    words = " ".join(home.text_content().split())
    found = [m.group() for m in re.finditer("GOLD|SILVER|BRONZE", words.split("three labels")[1])]
    assert found[:3] == LEVELS_HIGHEST_FIRST
    # The site's description, which pages without their own carry (the page not found).
    not_found = lxml_html.fromstring((sample_site / "404.html").read_bytes())
    assert "GOLD, SILVER or BRONZE" in not_found.xpath('//meta[@name="description"]')[0].get(
        "content"
    )


def test_no_page_asks_for_a_file_the_build_did_not_write(visitor):
    """Material fetches sitemap.xml for every `link rel=alternate` it finds; a default build
    writes no sitemap, so that was a 404 on every page."""
    page = visitor.page
    asked: list[str] = []
    missing: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    for path in ["", "countries/de/", CLUSTER, "clusters/", "statistics/", "about/"]:
        page.goto(visitor.base + path, wait_until="networkidle")
    assert not [url for url in asked if "sitemap" in url]
    assert missing == []


def test_the_feed_and_catalogue_are_still_announced(sample_site):
    home = _page(sample_site, "")
    feed = home.xpath('//link[@type="application/atom+xml"]')[0]
    catalogue = home.xpath('//link[@type="application/ld+json"]')[0]
    assert "alternate" in feed.get("rel").split() and feed.get("href") == "feed.xml"
    assert "alternate" in catalogue.get("rel").split()
    assert catalogue.get("href") == "catalog.jsonld"
