"""The map's data and document: countries, counts, links, markers, escaping, self-hosting."""

from __future__ import annotations

import json
import re

import pytest

from generator.build import Project, generate
from generator.catalog import load_catalog
from generator.directory import build_directory
from generator.mapview import MapSettings, class_breaks, load_boundaries, map_data, render_map
from generator.places import Gazetteer, Position, positions
from generator.progress import Progress
from generator.rules import load_rules, load_sectors
from tests.conftest import ROOT
from tests.golden import AS_OF, FIXTURE_RECORDS

BOUNDARIES = load_boundaries(ROOT / "site_templates" / "data" / "countries.topo.json")


def _directory(folder):
    rules = load_rules()
    catalog = load_catalog(folder, rules, load_sectors(), AS_OF)
    return build_directory(catalog.clusters, rules, AS_OF)


@pytest.fixture(scope="module")
def fixture_map():
    directory = _directory(FIXTURE_RECORDS)
    data = map_data(directory, BOUNDARIES, positions(e.cluster for e in directory.labelled))
    return directory, data


def _props(data):
    return {f["properties"]["iso2"]: f["properties"] for f in data["countries"]["objects"]["countries"]["geometries"]}


def test_labelled_countries_carry_their_count_link_and_class(fixture_map):
    _, data = fixture_map
    props = _props(data)
    assert {code: p["count"] for code, p in props.items() if p["count"]} == {
        "DE": 2,
        "GR": 1,
        "TR": 1,
    }
    assert props["DE"]["class"] == "country-de" and props["DE"]["url"] == "../countries/de/"
    assert props["DE"]["name"] == "Germany" and props["TR"]["name"] == "Türkiye"
    assert "url" not in props["MT"] and props["MT"]["count"] == 0  # only in renewal: background


def test_every_shape_has_a_lowercase_country_class():
    data = map_data(_directory(FIXTURE_RECORDS), BOUNDARIES, {})
    assert all(
        re.fullmatch(r"country-[a-z]{2}", f["properties"]["class"])
        for f in data["countries"]["objects"]["countries"]["geometries"]
    )


def test_every_labelled_sample_country_has_a_shape():
    directory = _directory(ROOT / "clusters")
    shaped = {code for code, p in _props(map_data(directory, BOUNDARIES, {})).items() if p["count"]}
    assert shaped == {c.code for c in directory.countries}
    assert {"MT", "LU", "NO", "MX"} <= shaped


def test_markers_come_from_coordinates_or_the_gazetteer(fixture_map):
    _, data = fixture_map
    markers = {m[2]: m for m in data["markers"]}
    assert markers["gold-cluster-rhein"][:2] == [50.94, 6.96]  # the record's own coordinates
    assert markers["greek-cluster"][:2] == pytest.approx(
        [39.63, 22.42], abs=0.01
    )  # Λάρισα, looked up
    assert markers["turkish-silver"][:2] == pytest.approx([41.01, 28.95], abs=0.01)  # İstanbul
    assert "hostile-markup" not in markers  # its city is not a place: no marker
    assert markers["gold-cluster-rhein"][3:] == ["Gold Cluster Rhein", 2]  # name, level rank (gold)


@pytest.mark.parametrize(
    ("country", "city", "found"),
    [
        ("DE", "Köln", True),
        ("DE", "koln", True),
        ("PL", "Łódź", True),
        ("NO", "Tromsø", True),
        ("GR", "Λάρισα", True),
        ("DE", "Nowhere-on-Sea", False),
        ("MT", "Köln", False),
    ],
)
def test_gazetteer_finds_cities_offline(country, city, found):
    assert (Gazetteer().find(country, city) is not None) is found


@pytest.mark.parametrize(
    ("largest", "breaks"),
    [(1, (1,)), (3, (1, 2, 3)), (23, (1, 3, 5, 10, 20)), (3000, (1, 10, 50, 300, 3000))],
)
def test_shading_classes_are_round_numbers(largest, breaks):
    assert class_breaks(largest) == breaks


def test_popup_names_travel_as_escaped_data_and_never_as_template(fixture_map):
    directory, _ = fixture_map
    hostile = next(e for e in directory.labelled if e.cluster.id == "hostile-markup")
    data = map_data(directory, BOUNDARIES, {hostile.cluster.id: Position(50.0, 8.0, "record")})
    document = render_map(data, MapSettings())
    block = re.search(
        r'<script type="application/json" id="cd-map-data">(.*?)</script>', document, re.S
    )
    assert "<" not in block.group(1) and ">" not in block.group(1)
    assert (
        json.loads(block.group(1))["markers"][0][3] == hostile.cluster.name
    )  # {{ 7*7 }} and {% raw %} intact
    assert "<script>alert" not in document


def test_map_document_uses_nothing_from_another_host(fixture_map):
    _, data = fixture_map
    document = render_map(data, MapSettings())
    assert not re.findall(r"""(?:src|href)=["']?(?:https?:)?//""", document)
    assert (
        "cdn" not in document.lower()
        and "jquery" not in document.lower()
        and "bootstrap" not in document.lower()
    )
    assert "user-scalable=no" not in document
    assert (
        '<html lang="en">' in document
        and "<title>Map of labelled clusters by country</title>" in document
    )


def test_map_document_is_deterministic(fixture_map):
    _, data = fixture_map
    assert render_map(data, MapSettings()) == render_map(data, MapSettings())


def test_a_tile_layer_is_added_only_when_configured(fixture_map):
    _, data = fixture_map
    plain = render_map(data, MapSettings())
    tiled = render_map(
        data, MapSettings("https://tiles.example.org/{z}/{x}/{y}.png", "© Example tiles")
    )
    assert "tileLayer" not in plain
    assert "https://tiles.example.org/{z}/{x}/{y}.png" in tiled and "\\u00a9 Example tiles" in tiled


def test_sample_map_with_its_scripts_stays_under_500_kb():
    generated = generate(
        Project(ROOT), ROOT / "clusters", AS_OF, strict=False, progress=Progress(quiet=True)
    )
    files = {f.path: f.data for f in generated.files}
    document = files["content/map/index.html"].decode()
    used = [
        p for p in re.findall(r'(?:src|href)="\.\./([^"]+)"', document) if f"content/{p}" in files
    ]
    assert len(used) >= 5  # leaflet and markercluster scripts and styles, map.js, map.css
    total = len(files["content/map/index.html"]) + sum(
        len(files[f"content/{path}"]) for path in used
    )
    assert total < 500_000, total
