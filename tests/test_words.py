"""Counted words: each sentence of generator/core/words.py at 0, 1 and 2, and a one-cluster site
read page by page (HTML, feed, JSON-LD, data files, descriptions) for its singulars."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from pathlib import Path

import pytest

from generator.build.build import Project, build
from generator.build.progress import Progress
from generator.core import words
from generator.labels.rules import load_rules, load_sectors
from generator.records.catalog import load_catalog
from tests.conftest import FIXTURES, ROOT

DAY = dt.date(2026, 11, 25)
ONE_CLUSTER = FIXTURES / "one-cluster"


# fmt: off
COUNTED = [
    # (function, arguments for 0, for 1 and for 2, the texts they give)
    (words.clusters_text, (0,), (1,), (2,), "0 clusters", "1 cluster", "2 clusters"),
    (words.countries_text, (0,), (1,), (2,), "0 countries", "1 country", "2 countries"),
    (words.organisations_text, (0,), (1,), (2,),
     "0 cluster organisations", "1 cluster organisation", "2 cluster organisations"),
    (words.months_text, (0,), (1,), (2,), "0 months", "1 month", "2 months"),
    (words.clusters_from_countries, (0, 0), (1, 1), (2, 2),
     "0 clusters from 0 countries", "1 cluster from 1 country", "2 clusters from 2 countries"),
    (words.levels_text, ([],), ([(1, "GOLD")],), ([(1, "GOLD"), (1, "BRONZE")],),
     None, "1 GOLD", "1 GOLD and 1 BRONZE"),
    (words.count_range_text, (0, 0), (1, None), (2, 4), "0", "1 or more", "2–4"),
    (words.holding_sentence, (0, 0, DAY), (1, 1, DAY), (2, 2, DAY),
     "0 clusters from 0 countries hold a valid ECEI label on 25 November 2026.",
     "1 cluster from 1 country holds a valid ECEI label on 25 November 2026.",
     "2 clusters from 2 countries hold a valid ECEI label on 25 November 2026."),
    (words.country_holding_sentence, (0, "Austria", DAY), (1, "Austria", DAY), (2, "Austria", DAY),
     "0 clusters in Austria hold a valid ECEI label on 25 November 2026.",
     "1 cluster in Austria holds a valid ECEI label on 25 November 2026.",
     "2 clusters in Austria hold a valid ECEI label on 25 November 2026."),
    (words.level_holding_sentence, (0, 0, "GOLD", DAY), (1, 1, "GOLD", DAY), (2, 1, "GOLD", DAY),
     "0 clusters from 0 countries hold the GOLD label on 25 November 2026.",
     "1 cluster from 1 country holds the GOLD label on 25 November 2026.",
     "2 clusters from 1 country hold the GOLD label on 25 November 2026."),
    (words.renewable_sentence, (0, DAY), (1, DAY), (2, DAY),
     "0 clusters can renew a label on 25 November 2026, the soonest deadline first.",
     "1 cluster can renew a label on 25 November 2026, the soonest deadline first.",
     "2 clusters can renew a label on 25 November 2026, the soonest deadline first."),
    (words.shown_sentence, (1, 0, 0), (1, 1, 1), (1, 2, 2),
     "No cluster is listed here.", "Showing all 1 cluster, by name.", "Showing all 2 clusters, by name."),
    (words.shown_sentence, (1, 0, 0, [("country", "France")]), (1, 1, 1, [("country", "France")]),
     (1, 2, 2, [("label", "SILVER"), ("country", "France")]),
     "No cluster in France.", "Showing 1 cluster in France, by name.",
     "Showing 2 clusters in France with a SILVER label, by name."),
    (words.pager_text, (0, 0), (1, 1), (2, 2), "Page 0 of 0", "Page 1 of 1", "Page 2 of 2"),
    (words.home_description, (0, 0, DAY), (1, 1, DAY), (2, 2, DAY),
     "0 clusters from 0 countries hold a label of the European Cluster Excellence Initiative (ECEI) as of 25 November 2026. Find them on a map, by country, label and sector, check a label, and download the register.",
     "1 cluster from 1 country holds a label of the European Cluster Excellence Initiative (ECEI) as of 25 November 2026. Find it on a map, by country, label and sector, check a label, and download the register.",
     "2 clusters from 2 countries hold a label of the European Cluster Excellence Initiative (ECEI) as of 25 November 2026. Find them on a map, by country, label and sector, check a label, and download the register."),
    (words.countries_description, (0, DAY), (1, DAY), (2, DAY),
     "The 0 countries with a cluster organisation that holds an ECEI label as of 25 November 2026, with how many in each.",
     "The 1 country with a cluster organisation that holds an ECEI label as of 25 November 2026, with how many in each.",
     "The 2 countries with a cluster organisation that holds an ECEI label as of 25 November 2026, with how many in each."),
    (words.clusters_description, (0, DAY), (1, DAY), (2, DAY),
     "All 0 cluster organisations that hold a valid ECEI label as of 25 November 2026, to sort and filter by country, label and sector.",
     "The 1 cluster organisation that holds a valid ECEI label as of 25 November 2026, to sort and filter by country, label and sector.",
     "All 2 cluster organisations that hold a valid ECEI label as of 25 November 2026, to sort and filter by country, label and sector."),
    (words.country_description,
     (0, "Austria", DAY, [], 0), (1, "Austria", DAY, [(1, "GOLD")], 1),
     (2, "Austria", DAY, [(1, "GOLD"), (1, "BRONZE")], 2),
     "0 cluster organisations in Austria hold an ECEI label as of 25 November 2026.",
     "1 cluster organisation in Austria holds an ECEI label as of 25 November 2026: 1 GOLD; 1 can renew one.",
     "2 cluster organisations in Austria hold an ECEI label as of 25 November 2026: 1 GOLD and 1 BRONZE; 2 can renew one."),
    (words.level_description, (0, "GOLD", "", DAY), (1, "GOLD", "Excellence", DAY), (2, "GOLD", "", DAY),
     "0 cluster organisations hold the ECEI GOLD label as of 25 November 2026. What it takes, how long it is valid and how it is renewed.",
     "1 cluster organisation holds the ECEI GOLD label (Excellence) as of 25 November 2026. What it takes, how long it is valid and how it is renewed.",
     "2 cluster organisations hold the ECEI GOLD label as of 25 November 2026. What it takes, how long it is valid and how it is renewed."),
    (words.renewals_description, (0, DAY), (1, DAY), (2, DAY),
     "0 cluster organisations whose ECEI label has ended but can still be renewed, as of 25 November 2026, soonest deadline first.",
     "1 cluster organisation whose ECEI label has ended but can still be renewed, as of 25 November 2026, soonest deadline first.",
     "2 cluster organisations whose ECEI label has ended but can still be renewed, as of 25 November 2026, soonest deadline first."),
    (words.map_page_description, (0, 0, 0), (1, 1, 1), (2, 2, 2),
     "Map of the clusters that hold a valid ECEI label: none holds one on this date.",
     "Map of the 1 cluster from 1 country that holds a valid ECEI label: each country is shaded by its number of labelled clusters, and it is marked where it is based.",
     "Map of the 2 clusters from 2 countries that hold a valid ECEI label: each country is shaded by its number of labelled clusters, and each is marked where it is based."),
    (words.off_map_sentence, (0, []), (1, ["Mexico"]), (2, ["Mexico", "Canada"]),
     None, "1 cluster outside this map: Mexico.", "2 clusters outside this map: Mexico and Canada."),
    (words.unlocated_sentence, (0, 2), (1, 188), (2, 188),
     "All 2 clusters have a location on the map.", "1 of 188 clusters has no location on the map.",
     "2 of 188 clusters have no location on the map."),
    (words.register_description, (["GOLD"], 0, 0, DAY), (["BRONZE", "GOLD"], 1, 1, DAY),
     (["BRONZE", "SILVER", "GOLD"], 2, 2, DAY),
     "The register of cluster organisations that hold a label of the European Cluster Excellence Initiative (GOLD) or can still renew one, with every award they received. On 2026-11-25, 0 clusters from 0 countries hold a valid label.",
     "The register of cluster organisations that hold a label of the European Cluster Excellence Initiative (BRONZE or GOLD) or can still renew one, with every award they received. On 2026-11-25, 1 cluster from 1 country holds a valid label.",
     "The register of cluster organisations that hold a label of the European Cluster Excellence Initiative (BRONZE, SILVER or GOLD) or can still renew one, with every award they received. On 2026-11-25, 2 clusters from 2 countries hold a valid label."),
    (words.check_summary, (0, 0, 0), (1, 1, 1), (2, 2, 2),
     "0 records, 0 errors, 0 warnings", "1 record, 1 error, 1 warning", "2 records, 2 errors, 2 warnings"),
    (words.problems_left_out, (0,), (1,), (2,),
     "0 more problems did not fit in GitHub's summary: the log lists them",
     "1 more problem did not fit in GitHub's summary: the log lists it",
     "2 more problems did not fit in GitHub's summary: the log lists them"),
    (words.errors_in, (0,), (1,), (2,),
     "0 errors in the records", "1 error in the records", "2 errors in the records"),
    (words.import_summary, (0, 0, 0, False), (1, 1, 1, True), (2, 2, 2, False),
     "0 rows: wrote 0 records, skipped 0 rows", "1 row: would write 1 record, skipped 1 row",
     "2 rows: wrote 2 records, skipped 2 rows"),
    (words.build_summary, ("site", DAY, 0, 0, 0, 0.0), ("site", DAY, 1, 1, 1, 1.0),
     ("site", DAY, 2, 2, 2, 2.0),
     "Built site/ as of 2026-11-25: 0 clusters from 0 countries, 0 pages in 0.0 s",
     "Built site/ as of 2026-11-25: 1 cluster from 1 country, 1 page in 1.0 s",
     "Built site/ as of 2026-11-25: 2 clusters from 2 countries, 2 pages in 2.0 s"),
    (words.benchmarkings_text, (0, "BRONZE"), (1, "BRONZE"), (2, "BRONZE"),
     "0 BRONZE benchmarkings", "1 BRONZE benchmarking", "2 BRONZE benchmarkings"),
]
# fmt: on


@pytest.mark.parametrize(
    ("function", "zero", "one", "two", "text_0", "text_1", "text_2"),
    COUNTED,
    ids=[row[0].__name__ for row in COUNTED],
)
def test_each_counted_sentence_at_zero_one_and_two(
    function, zero, one, two, text_0, text_1, text_2
):
    if text_0 is not None:
        assert str(function(*zero)) == text_0
    assert str(function(*one)) == text_1
    assert str(function(*two)) == text_2


def test_counts_of_a_thousand_and_more_are_grouped():
    assert words.clusters_from_countries(10_000, 1) == "10,000 clusters from 1 country"
    assert words.shown_sentence(1_001, 1_100, 10_000) == (
        "Showing 1,001–1,100 of 10,000 clusters, by name."
    )
    assert words.list_page_title("All labelled clusters", 2) == "All labelled clusters, page 2"
    assert words.list_page_description("GOLD label", 2, 3, 101, 200, 250) == (
        "GOLD label, page 2 of 3: clusters 101 to 200 of 250, by name."
    )


def test_a_filtered_list_names_its_filters_in_one_order_and_its_sort():
    every = [("q", "sud"), ("sector", "ICT"), ("label", "GOLD"), ("country", "France")]
    assert words.shown_sentence(101, 150, 150, every, "valid_until", descending=True) == (
        "Showing 101–150 of 150 clusters in France with a GOLD label in the sector ICT "
        "matching “sud”, by end of validity, descending."
    )
    assert words.shown_sentence(1, 3, 3, [("label", "GOLD")], "renewable_until", renewal=True) == (
        "Showing 3 clusters whose GOLD label ended, by renewal deadline."
    )
    assert words.shown_sentence(1, 0, 0, [("q", "{n}")]) == "No cluster matching “{n}”."


def test_the_patterns_lists_js_words_its_count_with_are_shown_sentence_s():
    patterns = words.list_words(renewal=True)
    # One form a plural category of the language (English: one and other), as lists.js picks.
    assert patterns["shown"]["filtered"] == {
        "one": "Showing {n} cluster{where}, {order}.",
        "other": "Showing {n} clusters{where}, {order}.",
    }
    assert dict(patterns["where"])["label"] == " whose {value} label ended"
    assert [key for key, _ in patterns["where"]] == ["country", "label", "sector", "q"]
    assert json.loads(json.dumps(patterns)) == patterns  # handed to the page as JSON


def test_a_headline_sets_apart_its_counted_subject():
    sentence = words.holding_sentence(1, 1, DAY)
    assert (sentence.before, sentence.subject, sentence.after) == (
        "",
        "1 cluster from 1 country",
        " holds a valid ECEI label on 25 November 2026.",
    )
    inside = words.country_holding_sentence(1, "Côte d'Ivoire", DAY)
    assert inside.subject == "1 cluster" and inside.after.startswith(" in Côte d'Ivoire holds")


def test_the_map_says_how_many_of_its_clusters_it_marks():
    assert words.map_page_description(1, 1, 0).endswith(
        "and it is not marked: where it is based is not known."
    )
    assert words.map_page_description(2, 1, 0).endswith(
        "and 0 of them are marked where they are based."
    )
    assert words.map_page_description(3, 2, 1).endswith(
        "and 1 of them is marked where it is based."
    )
    assert words.map_page_description(3, 2, 2).endswith(
        "and 2 of them are marked where they are based."
    )


def test_the_map_says_what_it_cannot_place():
    assert words.unlocated_sentence(1, 1) == "The 1 cluster has no location on the map."
    assert words.unlocated_sentence(3, 3) == "None of the 3 clusters has a location on the map."
    assert words.unlocated_sentence(0, 1) == "The 1 cluster has a location on the map."
    assert words.off_map_sentence(1_234, ["A", "B", "C"]) == (
        "1,234 clusters outside this map: A, B and C."
    )


def test_the_map_script_gets_a_form_of_each_counted_phrase_for_each_plural_category():
    # map.js picks the form of the category Intl.PluralRules gives a number, as _plural does.
    counted = {"country", "groupNear", "groupIn"}
    for name in counted:
        forms = words.map_script_words()[name]
        assert set(forms) == {"one", "other"}, name
        assert all("{n}" in form for form in forms.values()), name
    near = words.map_script_words()["groupNear"]
    assert near["other"].format(n=5, place="Lyon") == "5 clusters near Lyon"
    assert (
        words.map_script_words()["country"]["one"].format(name="Malta", n=1) == "Malta: 1 cluster"
    )
    # Every other word is one text.
    assert all(isinstance(w, str) for k, w in words.map_script_words().items() if k not in counted)


def test_the_as_of_year_is_named_with_its_day():
    assert words.year_as_of_text(DAY) == "2026, as of 25 November"


# The one-cluster site

# A count of one with a plural noun, or a single subject with a plural verb.
WRONG_PLURAL = re.compile(
    r"\b1 (?:clusters|countries|cluster organisations|records|errors|warnings|months|pages"
    r"|rows|awards|labels|benchmarkings)\b"
)
WRONG_VERB = re.compile(
    r"\b1 (?:cluster|cluster organisation|country)\b[^.:;]{0,80}?\b(?:hold|are|have)\b"
)


def _page_text(path: Path) -> str:
    """What a generated file says: an HTML page's text and its meta tags' and JSON-LD's, a
    feed's or a data file's text."""
    raw = path.read_text("utf-8")
    if path.suffix == ".html":
        metas = re.findall(r'<meta [^>]*content="([^"]*)"', raw)
        scripts = re.findall(r"(?is)<script[^>]*>(.*?)</script>", raw)
        body = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", raw)
        texts = [re.sub(r"<[^>]+>", " ", body), *metas, *scripts]
        raw = "\n".join(texts)
    if path.suffix in (".json", ".jsonld"):
        raw = "\n".join(_strings(json.loads(raw)))
    raw = re.sub(r"<[^>]+>", " ", raw) if path.suffix == ".xml" else raw
    return re.sub(r"[ \t\r\n]+", " ", html.unescape(raw))


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


@pytest.fixture(scope="module")
def one_cluster_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("one-cluster") / "site"
    summary = build(
        Project(ROOT),
        ONE_CLUSTER,
        out,
        DAY,
        strict=True,
        progress=Progress(quiet=True),
        site_url="https://directory.example.org/",
    )
    return out, summary


def _generated(site: Path) -> list[Path]:
    # Every file the generator writes with words in it; the theme's, Leaflet's and Pagefind's
    # own files are not ours.
    return sorted(
        p
        for p in site.rglob("*")
        if p.is_file()
        and p.suffix in (".html", ".xml", ".json", ".jsonld", ".txt")
        and p.relative_to(site).parts[0] != "assets"
        and "pagefind" not in p.relative_to(site).parts  # each language's search index
        and not p.name.endswith(".topo.json")
    )


def test_a_one_cluster_site_says_every_count_in_the_singular(one_cluster_site):
    site, summary = one_cluster_site
    pages = _generated(site)
    names = {p.relative_to(site).as_posix() for p in pages}
    # Every kind of output is read: pages, the cluster page and its status, the map, the feed,
    # the data files and the dataset's catalogue, the sitemap.
    for expected in (
        "index.html",
        "clusters/index.html",
        "countries/index.html",
        "countries/at/index.html",
        "labels/gold/index.html",
        "renewals/index.html",
        "statistics/index.html",
        "about/index.html",
        "map/index.html",
        "clusters/only-cluster/index.html",
        "clusters/only-cluster/status.json",
        "feed.xml",
        "clusters.json",
        "catalog.jsonld",
        "datapackage.json",
        "sitemap.xml",
    ):
        assert expected in names, expected
    problems = []
    for page in pages:
        text = _page_text(page)
        for pattern in (WRONG_PLURAL, WRONG_VERB):
            problems += [f"{page.relative_to(site)}: {m.group()}" for m in pattern.finditer(text)]
    assert problems == []
    assert "1 cluster from 1 country" in summary


def test_a_one_cluster_site_says_its_headlines_in_the_singular(one_cluster_site):
    site, _ = one_cluster_site
    expected = {
        "index.html": [
            "1 cluster from 1 country holds a valid ECEI label on 25 November 2026.",
            # the description, and the Dataset's description in the JSON-LD
            "1 cluster from 1 country holds a label of the European Cluster Excellence "
            "Initiative (ECEI) as of 25 November 2026. Find it on a map",
            "On 2026-11-25, 1 cluster from 1 country holds a valid label.",
            "1 cluster",  # the GOLD card
        ],
        "clusters/index.html": [
            "1 cluster from 1 country holds a valid ECEI label on 25 November 2026.",
            "The 1 cluster organisation that holds a valid ECEI label as of 25 November 2026",
        ],
        "countries/index.html": [
            "1 cluster from 1 country holds a valid ECEI label on 25 November 2026.",
            "The 1 country with a cluster organisation that holds an ECEI label",
        ],
        "countries/at/index.html": [
            "1 cluster in Austria holds a valid ECEI label on 25 November 2026.",
            "1 cluster organisation in Austria holds an ECEI label as of 25 November 2026: 1 GOLD.",
        ],
        "labels/gold/index.html": [
            "1 cluster from 1 country holds the GOLD label on 25 November 2026.",
            "1 cluster organisation holds the ECEI GOLD label",
        ],
        "map/index.html": [
            "Map of the 1 cluster from 1 country that holds a valid ECEI label: each country is "
            "shaded by its number of labelled clusters, and it is marked where it is based."
        ],
        "catalog.jsonld": ["On 2026-11-25, 1 cluster from 1 country holds a valid label."],
    }
    for page, sentences in expected.items():
        text = _page_text(site / page)
        for sentence in sentences:
            assert sentence in text, (page, sentence)


def test_checking_one_record_says_one_record():
    rules = load_rules()
    catalog = load_catalog(ONE_CLUSTER, rules, load_sectors(), DAY, strict=True)
    assert catalog.summary() == "1 record, 0 errors, 0 warnings"
