"""The sitemap and robots.txt: valid against the sitemaps.org schemas (with the xhtml:link
extension for the alternates), every public page of every language with the day its content
last changed (from the records, never the build date) and the same page in each language, split
within the protocol's limits, none without a site URL."""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from generator.build.build import Project, build, generate
from generator.build.finish import AFTER, place_after_files
from generator.build.progress import Progress
from generator.core.errors import ConfigError
from generator.core.model import Award, Cluster
from generator.core.months import Month
from generator.labels.rules import load_rules
from generator.labels.status import status
from generator.site.directory import Entry, build_directory
from generator.site.sitemap import (
    ROBOTS_FILE,
    SITEMAP_FILE,
    last_change,
    sitemap_files,
    sitemap_pages,
)
from tests import golden
from tests.conftest import FIXTURES, ROOT, award, day

FIXTURE = golden.FIXTURE_RECORDS
AS_OF = golden.AS_OF  # 2026-11-25
URL = "https://example.org/dir/"
SCHEMAS = FIXTURES / "sitemaps-org"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
LANGUAGES = ("en", "de", "fr", "es", "it", "pl")  # the shipped mkdocs.yml's
QUIET = Progress(quiet=True)
RULES = load_rules()


def _schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(SCHEMAS / name))


def _assert_valid(data: bytes, schema: str = "sitemap-alternates.xsd") -> etree._Element:
    document = etree.fromstring(data)
    validator = _schema(schema)
    assert validator.validate(document), validator.error_log
    return document


def _after(as_of: dt.date = AS_OF, site_url: str | None = URL, data: Path = FIXTURE) -> dict:
    """The files `generate` puts into the tree's after/ folder, by name."""
    generated = generate(
        Project(ROOT), data, as_of, strict=False, progress=QUIET, site_url=site_url
    )
    prefix = f"{AFTER}/"
    return {
        f.path.removeprefix(prefix): f.data for f in generated.files if f.path.startswith(prefix)
    }


def _dates(sitemap: bytes) -> dict[str, str | None]:
    """Each page of a sitemap, relative to the site's root, with its lastmod."""
    found = {}
    for url in etree.fromstring(sitemap).iterfind("s:url", NS):
        loc = url.findtext("s:loc", namespaces=NS)
        assert loc.startswith(URL), loc
        found[loc.removeprefix(URL)] = url.findtext("s:lastmod", namespaces=NS)
    return found


def _english(dates: dict[str, str | None]) -> dict[str, str | None]:
    """The English pages of a sitemap's (at the site's root), after checking that each other
    language's page (de/…) has its English page's lastmod."""
    folders = ("de/", "fr/", "es/", "it/", "pl/")
    english = {u: d for u, d in dates.items() if not u.startswith(folders)}
    for folder in folders:
        assert {u.removeprefix(folder): d for u, d in dates.items() if u.startswith(folder)} == (
            english
        )
    return english


def _whole_directory_pages(pages) -> set[str]:
    """The pages dated over all records: all but a cluster's, a country's and a label's."""
    own = {f"clusters/{p.stem}/" for p in FIXTURE.rglob("*.yaml")}
    return {
        u
        for u in pages
        if u == "countries/" or not (u in own or u.startswith(("countries/", "labels/")))
    }


def _cluster(cluster_id: str, *awards: str | Award) -> Cluster:
    return Cluster(
        id=cluster_id,
        path=f"clusters/{cluster_id}.yaml",
        name=cluster_id.replace("-", " ").title(),
        country="DE",
        website="https://example.org/",
        awards=tuple(award(a) if isinstance(a, str) else a for a in awards),
    )


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """The fixture records built with MkDocs, as of AS_OF, for a site under a path."""
    out = tmp_path_factory.mktemp("sitemap") / "site"
    build(Project(ROOT), FIXTURE, out, AS_OF, strict=False, progress=QUIET, site_url=URL)
    return out


# Valid, complete, and only where it can be


def test_the_built_sitemap_is_valid_against_the_sitemaps_org_schema(published):
    document = _assert_valid((published / SITEMAP_FILE).read_bytes())
    locs = document.xpath("//s:loc/text()", namespaces=NS)
    assert locs and all(loc.startswith(URL) for loc in locs)
    assert not (published / "sitemap.xml.gz").exists()  # MkDocs's own, dated by the build, is gone


def test_the_sitemap_lists_every_page_of_the_built_site_and_nothing_else(published):
    pages = {
        "" if p.parent == published else p.parent.relative_to(published).as_posix() + "/"
        for p in published.rglob("index.html")
    }
    listed = set(_dates((published / SITEMAP_FILE).read_bytes()))
    assert listed == pages
    assert {"", "map/", "countries/de/", "labels/gold/", "renewals/", "about/"} <= listed
    assert (
        "clusters/gold-cluster-rhein/" in listed and "clusters/expired-in-liechtenstein/" in listed
    )
    assert not any("cd-cluster-shell" in p or "404" in p for p in listed)


def _alternates(url: etree._Element) -> list[tuple[str, str]]:
    return [
        (link.get("hreflang"), link.get("href"))
        for link in url.iterfind("x:link", NS)
        if link.get("rel") == "alternate"
    ]


def _folder(code: str) -> str:
    return "" if code == "en" else f"{code}/"


def test_every_page_of_every_language_names_its_alternates_in_the_sitemap(published):
    document = _assert_valid((published / SITEMAP_FILE).read_bytes())
    locs = set(document.xpath("//s:loc/text()", namespaces=NS))
    urls = document.findall("s:url", NS)
    assert len(urls) == len(locs) and len(urls) % len(LANGUAGES) == 0
    for url in urls:
        loc = url.findtext("s:loc", namespaces=NS).removeprefix(URL)
        code = next((c for c in LANGUAGES[1:] if loc.startswith(f"{c}/")), "en")
        page = loc.removeprefix(_folder(code))
        # The same page in each language (itself among them), then English for any other.
        assert _alternates(url) == [
            *((other, f"{URL}{_folder(other)}{page}") for other in LANGUAGES),
            ("x-default", f"{URL}{page}"),
        ], loc
        assert all(href in locs for _, href in _alternates(url))
        assert all(
            (published / href.removeprefix(URL) / "index.html").is_file()
            for _, href in _alternates(url)
        )


ALTERNATE = re.compile(r'<link rel="alternate " hreflang="([^"]+)" href="([^"]*)">')


@pytest.mark.parametrize(
    "page", ["", "de/", "pl/countries/de/", "fr/clusters/gold-cluster-rhein/", "it/map/"]
)
def test_a_pages_alternates_in_the_sitemap_are_those_of_its_head(published, page):
    document = etree.fromstring((published / SITEMAP_FILE).read_bytes())
    (url,) = [
        u
        for u in document.iterfind("s:url", NS)
        if u.findtext("s:loc", namespaces=NS) == URL + page
    ]
    head = ALTERNATE.findall((published / page / "index.html").read_text("utf-8"))
    assert _alternates(url) == [(lang, html.unescape(href)) for lang, href in head]


def test_a_site_in_english_alone_has_a_sitemap_without_alternates():
    directory = build_directory([_cluster("one-cluster", "bronze 2025-01")], RULES, AS_OF)
    paths = ["index.md", "about.md", "map/index.html"]
    (english, _) = sitemap_files(directory, paths, URL)
    assert b"xhtml" not in english.data
    _assert_valid(english.data, "sitemap.xsd")  # the protocol's own schema, nothing added
    six = sitemap_files(directory, paths, URL, languages=LANGUAGES)[0].data
    # The same English entries as in the six-language sitemap, less their alternates.
    assert _dates(six) == {
        folder + page: date
        for folder in map(_folder, LANGUAGES)
        for page, date in _dates(english.data).items()
    }


def test_robots_txt_names_the_sitemap_by_its_absolute_address(published):
    robots = (published / ROBOTS_FILE).read_text("ascii")
    assert robots.splitlines()[-1] == f"Sitemap: {URL}sitemap.xml"
    assert "User-agent: *" in robots and "Disallow: /" not in robots


def test_a_default_build_has_no_sitemap_and_no_robots_txt(tmp_path):
    out = tmp_path / "site"
    build(Project(ROOT), FIXTURE, out, AS_OF, strict=False, progress=QUIET)
    for name in (SITEMAP_FILE, "sitemap.xml.gz", ROBOTS_FILE):
        assert not (out / name).exists(), name
    assert _after(site_url=None) == {}


def test_the_finish_step_puts_ours_in_place_of_the_engines_sitemap(tmp_path):
    tree, site = tmp_path / "tree", tmp_path / "site"
    (tree / AFTER).mkdir(parents=True)
    (tree / AFTER / SITEMAP_FILE).write_bytes(b"ours")
    site.mkdir()
    (site / SITEMAP_FILE).write_bytes(b"the engine's")
    (site / "sitemap.xml.gz").write_bytes(b"the engine's")
    assert place_after_files(tree, site) == 1
    assert (site / SITEMAP_FILE).read_bytes() == b"ours"
    assert not (site / "sitemap.xml.gz").exists()
    shutil.rmtree(tree / AFTER)  # a tree without a site URL: no sitemap at all
    assert place_after_files(tree, site) == 0
    assert not (site / SITEMAP_FILE).exists()


# Addresses


@pytest.mark.parametrize(
    ("site_url", "home"),
    [
        ("https://example.org/dir/", "https://example.org/dir/"),
        ("https://example.org/dir", "https://example.org/dir/"),
        ("https://example.org", "https://example.org/"),
        ("https://bücher.example/a b/", "https://xn--bcher-kva.example/a%20b/"),
        ("http://localhost:8000/x/", "http://localhost:8000/x/"),
    ],
)
def test_addresses_are_absolute_under_the_sites_path(site_url, home):
    files = _after(site_url=site_url)
    document = _assert_valid(files[SITEMAP_FILE])
    locs = document.xpath("//s:loc/text()", namespaces=NS)
    assert locs[0] == home and f"{home}map/" in locs and f"{home}clusters/turkish-silver/" in locs
    assert all(loc.startswith(home) for loc in locs)
    assert files[ROBOTS_FILE].decode().endswith(f"Sitemap: {home}sitemap.xml\n")


def test_addresses_with_reserved_characters_are_percent_encoded_and_valid():
    files = _after(site_url="https://example.org/a&b'/")
    _assert_valid(files[SITEMAP_FILE])
    assert b"<loc>https://example.org/a%26b%27/map/</loc>" in files[SITEMAP_FILE]


@pytest.mark.parametrize(
    "site_url",
    [
        "example.org",
        "/dir/",
        "ftp://example.org/",
        "https://",
        "https://x.org:port/",
        "http://[::1/",
    ],
)
def test_a_site_url_that_is_not_an_absolute_web_address_is_refused(site_url, rules):
    directory = build_directory([], rules, AS_OF)
    with pytest.raises(ConfigError, match="must be an absolute http or https address"):
        sitemap_files(directory, ["index.md"], site_url)


def test_past_the_limit_the_sitemap_is_an_index_of_numbered_sitemaps(rules):
    clusters = [_cluster(f"cluster-{n:02d}", f"bronze 2025-{n:02d}") for n in range(1, 8)]
    directory = build_directory(clusters, rules, AS_OF)
    paths = ["index.md", "about.md", "clusters/cd-cluster-shell.md", "map/index.html"]
    whole = {f.path: f.data for f in sitemap_files(directory, paths, URL)}
    split = {f.path: f.data for f in sitemap_files(directory, paths, URL, limit=4)}
    assert sorted(split) == [
        "robots.txt",
        "sitemap-1.xml",
        "sitemap-2.xml",
        "sitemap-3.xml",
        "sitemap.xml",
    ]
    index = _assert_valid(split[SITEMAP_FILE], "siteindex.xsd")
    assert index.xpath("//s:loc/text()", namespaces=NS) == [
        f"{URL}sitemap-{n}.xml" for n in (1, 2, 3)
    ]
    dates = {}
    for n in (1, 2, 3):
        _assert_valid(split[f"sitemap-{n}.xml"])
        dates |= _dates(split[f"sitemap-{n}.xml"])
    assert dates == _dates(whole[SITEMAP_FILE]) and len(dates) == 3 + 7
    assert split[ROBOTS_FILE] == whole[ROBOTS_FILE]


def test_six_languages_past_the_limit_are_an_index_of_sitemaps_each_with_its_alternates(rules):
    clusters = [_cluster(f"cluster-{n:02d}", f"bronze 2025-{n:02d}") for n in range(1, 8)]
    directory = build_directory(clusters, rules, AS_OF)
    paths = ["index.md", "about.md", "clusters/cd-cluster-shell.md", "map/index.html"]
    whole = {f.path: f.data for f in sitemap_files(directory, paths, URL, languages=LANGUAGES)}
    split = {
        f.path: f.data for f in sitemap_files(directory, paths, URL, limit=25, languages=LANGUAGES)
    }
    names = [f"sitemap-{n}.xml" for n in (1, 2, 3)]  # 60 pages, 25 a sitemap
    assert sorted(split) == ["robots.txt", *names, "sitemap.xml"]
    index = _assert_valid(split[SITEMAP_FILE], "siteindex.xsd")
    assert index.xpath("//s:loc/text()", namespaces=NS) == [URL + name for name in names]
    urls = []
    for name in names:
        urls += _assert_valid(split[name]).findall("s:url", NS)
    assert [len(_alternates(url)) for url in urls] == [len(LANGUAGES) + 1] * 60
    assert [etree.tostring(u) for u in urls] == [
        etree.tostring(u) for u in etree.fromstring(whole[SITEMAP_FILE]).findall("s:url", NS)
    ]


def test_a_sitemap_past_its_bytes_limit_is_split_too(rules):
    clusters = [_cluster(f"cluster-{n:02d}", f"bronze 2025-{n:02d}") for n in range(1, 8)]
    directory = build_directory(clusters, rules, AS_OF)
    paths = ["index.md", "about.md", "map/index.html"]
    files = sitemap_files(directory, paths, URL, languages=LANGUAGES, max_bytes=20_000)
    parts = [f.data for f in files if f.path.startswith("sitemap-")]
    assert len(parts) > 1 and all(len(part) <= 20_000 for part in parts)
    assert sum(part.count(b"<url>") for part in parts) == 10 * len(LANGUAGES)
    for part in parts:
        _assert_valid(part)


@pytest.mark.parametrize("site_url", [URL, "https://example.org/" + "a" * 180 + "/"])
def test_ten_thousand_clusters_in_six_languages_keep_each_sitemap_within_the_protocols_limits(
    rules, site_url
):
    # 60,000 pages and more: past 50,000 URLs a sitemap; with a long address, past 50 MB first.
    clusters = [_cluster(f"c-{n:05d}", f"bronze 2025-{n % 12 + 1:02d}") for n in range(10_000)]
    directory = build_directory(clusters, rules, AS_OF)
    files = sitemap_files(directory, ["index.md", "about.md"], site_url, languages=LANGUAGES)
    parts = [f.data for f in files if f.path.startswith("sitemap-")]
    assert len(parts) >= 2
    assert all(part.count(b"<url>") <= 50_000 and len(part) <= 50 * 1024 * 1024 for part in parts)
    assert sum(part.count(b"<url>") for part in parts) == 10_002 * len(LANGUAGES)
    assert files[0].data.count(b"<sitemap>") == len(parts)


# lastmod: the day the content last changed


def test_lastmod_is_the_day_something_shown_last_changed_not_the_build_date():
    dates = _dates(_after()[SITEMAP_FILE])
    assert AS_OF.isoformat() not in dates.values()
    # fmt: off
    assert dates["clusters/gold-cluster-rhein/"] == "2024-02-01"    # renewed, assessed 2024-02
    assert dates["clusters/silver-in-renewal/"] == "2026-06-01"     # SILVER ended 2026-05
    assert dates["clusters/renewal-only-in-malta/"] == "2026-04-01" # valid_until 2026-03
    assert dates["clusters/expired-in-liechtenstein/"] == "2022-04-01"  # window closed 2022-03
    assert dates["clusters/turkish-silver/"] == "2026-10-01"        # SILVER ended, BRONZE shows
    assert dates["countries/de/"] == "2026-06-01"                   # its latest record's change
    assert dates["labels/gold/"] == "2024-02-01"
    assert dates[""] == dates["map/"] == dates["clusters/"] == "2026-10-01"  # over all records
    # fmt: on


def test_a_rebuild_on_a_day_when_nothing_happened_is_byte_identical():
    # Nothing starts or ends between 25 November and 31 December 2026 in the fixture records.
    assert _after(AS_OF) == _after(day("2026-12-31"))


def test_a_validity_ending_changes_exactly_the_pages_that_show_the_cluster():
    before = _english(_dates(_after(day("2026-12-31"))[SITEMAP_FILE]))
    after = _english(_dates(_after(day("2027-01-01"))[SITEMAP_FILE]))
    # The Turkish cluster's BRONZE ran through December 2026: on 1 January it is in renewal,
    # and Turkey, with no labelled cluster left, loses its page.
    changed = {u for u in before.keys() | after.keys() if before.get(u) != after.get(u)}
    assert after["clusters/turkish-silver/"] == "2027-01-01" and "countries/tr/" not in after
    assert changed == {
        "clusters/turkish-silver/",
        "countries/tr/",
        "labels/bronze/",
        "labels/silver/",
        *_whole_directory_pages(after),
    }


def test_an_award_becoming_known_changes_exactly_the_pages_that_show_the_cluster():
    before = _english(_dates(_after(day("2025-10-31"))[SITEMAP_FILE]))
    after = _english(_dates(_after(day("2025-11-01"))[SITEMAP_FILE]))
    # The Greek cluster's first BRONZE was assessed in November 2025.
    changed = {u for u in before.keys() | after.keys() if before.get(u) != after.get(u)}
    assert before["clusters/greek-cluster/"] is None  # its page exists, with nothing to date it
    assert after["clusters/greek-cluster/"] == after["countries/gr/"] == "2025-11-01"
    assert changed == {
        "clusters/greek-cluster/",
        "countries/gr/",
        "labels/bronze/",
        *_whole_directory_pages(after),
    }


def test_a_lower_level_ending_under_a_higher_one_is_no_change(rules):
    # GOLD valid through 2027-04 hides the end of BRONZE (through 2025-12): nothing shown changed.
    cluster = _cluster("two-levels", "bronze 2024-01", "gold 2025-05")
    directory = build_directory([cluster], rules, day("2026-06-30"))
    pages = {p.url: p.lastmod for p in sitemap_pages(directory, ["index.md"])}
    assert pages == {"": day("2025-05-01"), "clusters/two-levels/": day("2025-05-01")}


OVERRIDES = st.one_of(st.none(), st.integers(min_value=0, max_value=60))
AWARDS = st.builds(
    lambda level, month, until: Award(
        level, Month(month), None if until is None else Month(month + until)
    ),
    st.sampled_from(("bronze", "silver", "gold")),
    st.integers(min_value=Month.of(2010, 1).index, max_value=Month.of(2030, 12).index),
    OVERRIDES,
)


@settings(max_examples=150, deadline=None)
@given(st.lists(AWARDS, max_size=6), st.dates(dt.date(2010, 1, 1), dt.date(2035, 12, 31)))
def test_lastmod_is_the_last_day_a_scan_of_every_month_sees_the_status_change(awards, as_of):
    entry = Entry(_cluster("scanned", *awards), status(awards, RULES, as_of))
    # The status depends on the month alone, so a change can only fall on a month's first day.
    seen = None
    month = Month.of(2009, 12)
    while month.first_day() <= as_of:
        first = month.first_day()
        now, then = status(awards, RULES, first), status(awards, RULES, first - dt.timedelta(1))
        if replace(now, as_of=as_of) != replace(then, as_of=as_of):
            seen = first
        month += 1
    assert last_change(entry, RULES) == seen


def test_the_sitemap_has_no_date_from_the_clock(published):
    text = (published / SITEMAP_FILE).read_text()
    assert not re.search(r"T\d\d:\d\d", text)  # dates only, and none of them the build's
    assert AS_OF.isoformat() not in text
