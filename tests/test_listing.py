"""Lists that page: static pages of at most PAGE_SIZE rows, reachable without JavaScript, and a
compact index that holds exactly what the table shows and filters on."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from generator.core.model import Award, Cluster
from generator.core.months import Month
from generator.labels.rules import load_rules, load_sectors
from generator.site.directory import build_directory, sort_key
from generator.site.listing import PAGE_SIZE, ascii_slug, list_index, listings
from tests.conftest import ROOT

RULES = load_rules()
SECTORS = load_sectors()
AS_OF = dt.date(2026, 11, 25)
COUNTRIES = ("AT", "BE", "CZ", "DE", "DK", "ES", "FI", "FR", "GR", "IT", "NL", "NO", "PL", "SE")


def _cluster(i: int, name: str | None = None) -> Cluster:
    name = name or f"Synthetic Cluster {i:05d}"
    level = ("bronze", "silver", "gold")[i % 3]
    return Cluster(
        id=ascii_slug(name) if name.isascii() else f"cluster-{i}",
        path=f"c/{i}.yaml",
        name=name,
        country=COUNTRIES[i % len(COUNTRIES)],
        website=f"https://c{i}.example.org/",
        awards=(Award(level, Month.of(2025, i % 12 + 1)),),
        city=f"Town {i % 97}",
        sectors=(SECTORS[i % len(SECTORS)], SECTORS[(i * 7) % len(SECTORS)]),
    )


def _directory(count: int, extra: tuple[Cluster, ...] = ()):
    clusters = tuple(_cluster(i) for i in range(count)) + extra
    return build_directory(clusters, RULES, AS_OF)


def _listing(directory, path: str):
    return next(listing for listing in listings(directory) if listing.path == path)


def _decoded(index: dict) -> list[dict]:
    """The index read back into rows, as lists.js reads it."""
    rows = []
    for i in range(index["count"]):
        name = index["name"][i]
        code = index["country"][2 * i : 2 * i + 2]
        rows.append(
            {
                "id": index["id"].get(str(i)) or ascii_slug(name),
                "name": name,
                "country": code,
                "level": index["levelIds"][int(index["level"][i])],
                "valid_until": Month.of(index["firstYear"], 1) + index["validUntil"][i],
                "city": index["cities"][index["city"][i]],
                "sectors": tuple(index["sectors"][int(c, 36)] for c in index["sector"][i]),
            }
        )
    return rows


def test_every_list_pages_by_at_most_page_size_rows_in_name_order():
    directory = _directory(2 * PAGE_SIZE + 7)
    found = {listing.path: listing for listing in listings(directory)}
    everything = found["clusters"]
    assert everything.pages == 3
    assert [len(everything.rows(n)) for n in (1, 2, 3)] == [PAGE_SIZE, PAGE_SIZE, 7]
    assert [everything.md_path(n) for n in (1, 2, 3)] == [
        "clusters/index.md",
        "clusters/page/2.md",
        "clusters/page/3.md",
    ]
    assert [everything.url(n) for n in (1, 3)] == ["clusters/", "clusters/page/3/"]
    names = [e.cluster.name for e in everything.entries]
    assert names == sorted(names)
    assert {"countries/de", "labels/gold", "renewals"} <= set(found)
    assert found["countries/de"].md_path(1) == "countries/de.md"
    assert found["labels/gold"].md_path(2) == "labels/gold/page/2.md"


def test_an_empty_list_still_has_its_one_page():
    directory = _directory(3)
    renewals = _listing(directory, "renewals")
    assert renewals.entries == () and renewals.pages == 1 and renewals.rows(1) == ()


def test_the_index_holds_what_the_table_shows_and_reads_back_exactly():
    extra = (
        _cluster(900, "Klaster Przemysłu Łódź"),  # not ASCII: its id is written out
        _cluster(901, "Odd  Spacing -- Cluster"),
    )
    directory = _directory(40, extra)
    listing = _listing(directory, "clusters")
    index = json.loads(list_index(listing, directory, SECTORS))
    rows = _decoded(index)
    assert [r["id"] for r in rows] == [e.cluster.id for e in listing.entries]
    for row, entry in zip(rows, listing.entries, strict=True):
        assert row["name"] == entry.cluster.name
        assert row["country"] == entry.cluster.country
        assert row["level"] == entry.status.label
        assert row["valid_until"].last_day() == entry.status.valid_until
        assert row["city"] == entry.cluster.city
        assert row["sectors"] == entry.cluster.sectors
    assert "website" not in index and "acronym" not in index  # not shown, not filtered on


def test_the_index_of_ten_thousand_clusters_stays_near_400_kb():
    directory = _directory(10_000)
    listing = _listing(directory, "clusters")
    size = len(list_index(listing, directory, SECTORS))
    assert size < 420_000, f"{size:,} bytes"


@pytest.mark.parametrize(
    ("name", "slug"),
    [("Synthetic Cluster 00001", "synthetic-cluster-00001"), ("A -- B", "a-b"), ("--X--", "x")],
)
def test_the_ascii_slug_is_the_one_lists_js_derives(name, slug):
    assert ascii_slug(name) == slug
    script = (ROOT / "site_templates" / "assets" / "lists.js").read_text()
    assert 'replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "")' in script


def test_the_renewals_pages_come_soonest_deadline_first_and_their_index_by_name():
    from generator.records.catalog import load_catalog

    catalog = load_catalog(ROOT / "clusters", RULES, SECTORS, AS_OF)
    directory = build_directory(catalog.clusters, RULES, AS_OF)
    renewals = _listing(directory, "renewals")
    assert renewals.sort == "renewable_until" and len(renewals.entries) > 2
    shown = renewals.rows(1)
    by_name = sorted(renewals.entries, key=lambda e: (sort_key(e.cluster.name), e.cluster.id))
    assert list(shown) == sorted(by_name, key=lambda e: e.status.renewable_until)
    assert list(renewals.entries) == by_name  # the index's order, which lists.js sorts from
    index = json.loads(list_index(renewals, directory, SECTORS))
    assert index["name"] == [e.cluster.name for e in by_name]
    assert _listing(directory, "clusters").sort == "name"
