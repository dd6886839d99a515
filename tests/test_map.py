"""The map's data and document: countries, counts, links, markers, escaping, self-hosting."""

from __future__ import annotations

import json
import math
import re

import pytest

from generator.build.build import Project, generate
from generator.build.progress import Progress
from generator.build.project import load_boundaries, load_boundary_files
from generator.core import words
from generator.core.errors import ConfigError
from generator.labels.rules import load_rules, load_sectors
from generator.records.catalog import load_catalog
from generator.records.places import Gazetteer, Position, positions
from generator.site.directory import build_directory, sort_key
from generator.site.maptiles import TILING, Marker, Tiling, derived_id, group_place, marker_tiles
from generator.site.mapview import (
    MARKER_FIELDS,
    VIEW,
    Unshown,
    class_breaks,
    map_data,
    map_description,
    map_files,
    map_page,
    render_map,
    shape_boxes,
)
from generator.site.siteconfig import MapSettings, SiteSettings
from tests.conftest import ROOT
from tests.golden import AS_OF, FIXTURE_RECORDS

BOUNDARIES, BOUNDARY_FILES = load_boundary_files(ROOT / "site_templates" / "data")


def _js_derived_id(name: str) -> str:
    """map.js's derivedId, written again: the id of a cluster whose tile gives ""."""
    return re.sub(r"^-+|-+$", "", re.sub(r"[^a-z0-9]+", "-", name.lower()))


def decoded_markers(files: dict[str, bytes]) -> list[list]:
    """The markers of map/markers/ read back as map.js reads them (every leaf of the index,
    its columns by name), as map_data's rows."""
    index = json.loads(files["map/markers/index.json"])
    tiles, scale = index["tiles"], index["scale"]
    rows = []
    for i in range(len(tiles["z"])):
        if not tiles["leaf"][i]:
            continue
        tile = json.loads(
            files[f"map/markers/{tiles['z'][i]}-{tiles['x'][i]}-{tiles['y'][i]}.json"]
        )
        for j, name in enumerate(tile["name"]):
            city, country = tile["places"][tile["place"][j]]
            rows.append(
                [
                    tile["lat"][j] / scale,
                    tile["lon"][j] / scale,
                    tile["id"][j] or _js_derived_id(name),
                    name,
                    tile["level"][j],
                    city,
                    country,
                ]
            )
    return rows


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
    return data["countries"]


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
    shapes = [s["properties"]["iso2"] for s in BOUNDARIES["objects"]["countries"]["geometries"]]
    assert sorted(data["countries"]) == sorted(shapes)
    assert all(re.fullmatch(r"country-[a-z]{2}", p["class"]) for p in data["countries"].values())


def test_every_labelled_sample_country_has_a_shape():
    directory = _directory(ROOT / "clusters")
    shaped = {code for code, p in _props(map_data(directory, BOUNDARIES, {})).items() if p["count"]}
    assert shaped == {c.code for c in directory.countries}
    assert {"MT", "LU", "NO", "MX"} <= shaped


def test_markers_come_from_coordinates_or_the_gazetteer(fixture_map):
    _, data = fixture_map
    fields = data["markers"]["fields"]
    assert fields == ["lat", "lon", "id", "name", "level", "city", "country"]
    markers = {row[2]: dict(zip(fields, row, strict=True)) for row in data["markers"]["rows"]}
    gold = markers["gold-cluster-rhein"]
    assert (gold["lat"], gold["lon"]) == (50.94, 6.96)  # the record's own coordinates
    greek = markers["greek-cluster"]
    assert [greek["lat"], greek["lon"]] == pytest.approx([39.63, 22.42], abs=0.01)  # Λάρισα
    turkish = markers["turkish-silver"]
    assert [turkish["lat"], turkish["lon"]] == pytest.approx([41.01, 28.95], abs=0.01)  # İstanbul
    assert "hostile-markup" not in markers  # its city is not a place: no marker
    assert (gold["name"], gold["level"]) == ("Gold Cluster Rhein", 2)  # level rank: gold
    assert (greek["city"], greek["country"]) == ("Λάρισα", "GR")  # they name a group


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


def test_popup_names_travel_as_data_and_never_as_template(fixture_map):
    directory, _ = fixture_map
    hostile = next(e for e in directory.labelled if e.cluster.id == "hostile-markup")
    data = map_data(directory, BOUNDARIES, {hostile.cluster.id: Position(50.0, 8.0, "record")})
    files = {f.path: f.data for f in map_files(data, MapSettings(), BOUNDARY_FILES)}
    # The markers are JSON files that map.js parses and shows as text nodes.
    assert [row[3] for row in decoded_markers(files)] == [hostile.cluster.name]  # {{ 7*7 }} intact
    document = files["map/frame.html"].decode()
    block = re.search(
        r'<script type="application/json" id="cd-map-data">(.*?)</script>', document, re.S
    )
    assert "<" not in block.group(1) and ">" not in block.group(1)
    assert "hostile" not in document and "<script>alert" not in document


def test_the_data_block_names_the_files_the_map_fetches(fixture_map):
    _, data = fixture_map
    files = {f.path: f.data for f in map_files(data, MapSettings(), BOUNDARY_FILES)}
    block = json.loads(
        re.search(r'id="cd-map-data">(.*?)</script>', files["map/frame.html"].decode(), re.S).group(
            1
        )
    )
    assert "markers" not in block and block["marked"] == len(data["markers"]["rows"])
    assert block["view"] == VIEW and "unshown" not in block
    assert block["markersInView"] == TILING.in_view == 1500  # the register's 1,300 at once
    assert "map/index.html" not in files  # the map's own page is one of the site's pages
    for name in ("overview", "detail", "markers"):
        assert f"map/{block['files'][name]}" in files
    assert files["map/countries.topo.json"] == BOUNDARY_FILES["countries.topo.json"]
    assert block["files"]["markercluster"].endswith("leaflet.markercluster.js")


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
        and "<title>Map of labelled clusters - ECEI Cluster Directory</title>" in document
    )


def test_framed_map_has_a_description_and_a_heading_and_leaves_search_to_the_map_page(
    fixture_map,
):
    _, data = fixture_map
    document = render_map(data, MapSettings())
    description = (
        "Map of the 4 clusters from 3 countries that hold a valid ECEI label: each country is "
        "shaded by its number of labelled clusters, and 3 of them are marked where they are based."
    )
    assert map_description(data) == description
    assert f'<meta name="description" content="{description}">' in document
    assert '<h1 class="cd-visually-hidden">Map of labelled clusters</h1>' in document
    # A part of the home page: search engines and shared links find /map/ instead, which
    # carries the Open Graph tags of every page of the site.
    assert '<meta name="robots" content="noindex">' in document
    assert "og:" not in document
    # No published address, no absolute URL to give.
    assert 'rel="canonical"' not in document


def test_framed_map_names_the_map_page_as_canonical_when_the_site_url_is_known(fixture_map):
    _, data = fixture_map
    site = SiteSettings(site_name="Clusters & Co", site_url="https://example.org/dir")
    document = render_map(data, MapSettings(), site)
    assert '<link rel="canonical" href="https://example.org/dir/map/">' in document
    assert "<title>Map of labelled clusters - Clusters &amp; Co</title>" in document


def test_the_map_page_holds_the_map_as_one_block_of_html(fixture_map):
    _, data = fixture_map
    page = map_page(data, MapSettings())
    assert (page.title, page.description) == ("Map of labelled clusters", map_description(data))
    lines = page.fragment.splitlines()
    # No blank or indented line, which would end Markdown's block of HTML or open a code block.
    assert all(line and line == line.strip() for line in lines)
    assert lines[0] == '<link rel="stylesheet" href="../assets/vendor/leaflet/leaflet.css">'
    assert '<script src="../assets/map.js"></script>' in lines
    assert 'id="cd-map-data"' in page.fragment and "cdDirectoryMap(map_" in page.fragment
    # folium's styles for a page of its own stay out of a page of the site.
    assert "html, body" not in page.fragment and "user-scalable" not in page.fragment
    assert page.fragment == map_page(data, MapSettings()).fragment  # stable ids


def test_map_page_keeps_its_script_inside_the_body(fixture_map):
    _, data = fixture_map
    document = render_map(data, MapSettings())
    assert document.index("cdDirectoryMap(map_") < document.index("</body>")
    assert document.rstrip().endswith("</body>\n</html>")
    assert document.startswith('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">')


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
    # The framed document loads what the map page loads (mapview's _STYLES and _SCRIPTS).
    document = files["content/map/frame.html"].decode()
    used = [
        p for p in re.findall(r'(?:src|href)="\.\./([^"]+)"', document) if f"content/{p}" in files
    ]
    assert len(used) >= 5  # leaflet's script and style, markercluster's style, map.js, map.css
    # On its own page the map also fetches markercluster, the detailed shapes and the markers
    # (all of them: the sample's first view holds every one).
    used += [
        "assets/vendor/leaflet.markercluster/leaflet.markercluster.js",
        "map/countries.topo.json",
        *(p.removeprefix("content/") for p in files if p.startswith("content/map/markers/")),
    ]
    total = len(files["content/map/frame.html"]) + sum(
        len(files[f"content/{path}"]) for path in used
    )
    assert total < 500_000, total


@pytest.mark.parametrize(
    ("case", "text"),
    [
        ("not json", "{"),
        ("geojson instead of topojson", '{"type": "FeatureCollection", "features": []}'),
        (
            "an arc index past the end",
            '{"type": "Topology", "transform": {"scale": [1, 1], "translate": [0, 0]},'
            ' "arcs": [[[0, 0], [1, 0], [0, 1], [-1, -1]]], "objects": {"countries": {'
            '"type": "GeometryCollection", "geometries": [{"type": "Polygon", "arcs": [[1]],'
            ' "properties": {"iso2": "DE", "name": "Germany"}}]}}}',
        ),
        (
            "a shape without a name",
            '{"type": "Topology", "transform": {"scale": [1, 1], "translate": [0, 0]},'
            ' "arcs": [[[0, 0], [1, 0], [0, 1], [-1, -1]]], "objects": {"countries": {'
            '"type": "GeometryCollection", "geometries": [{"type": "Polygon", "arcs": [[0]],'
            ' "properties": {"iso2": "DE"}}]}}}',
        ),
    ],
)
def test_broken_boundary_files_are_refused_with_their_path(tmp_path, case, text):
    path = tmp_path / "countries.topo.json"
    path.write_text(text, "utf-8")
    with pytest.raises(ConfigError, match=r"countries\.topo\.json"):
        load_boundaries(path)


def test_the_two_sets_of_shapes_must_hold_the_same_countries(tmp_path):
    source = ROOT / "site_templates" / "data"
    detail = json.loads((source / "countries.topo.json").read_text("utf-8"))
    detail["objects"]["countries"]["geometries"].pop()
    (tmp_path / "countries.topo.json").write_text(json.dumps(detail), "utf-8")
    overview = (source / "countries-overview.topo.json").read_bytes()
    (tmp_path / "countries-overview.topo.json").write_bytes(overview)
    with pytest.raises(ConfigError, match="different countries"):
        load_boundary_files(tmp_path)


# What the frame leaves out: the sample data's Mexico, a placed cluster outside the frame, and
# the clusters with no location.


def _sample_map():
    directory = _directory(ROOT / "clusters")
    where = positions(e.cluster for e in directory.labelled)
    return directory, where, map_data(directory, BOUNDARIES, where)


def test_a_labelled_country_outside_the_frame_is_named_under_the_map_and_not_drawn():
    directory, where, data = _sample_map()
    mexico = data["countries"]["MX"]
    assert mexico["outside"] is True and mexico["count"] == 2
    assert not any("outside" in p for code, p in data["countries"].items() if code != "MX")
    unlocated = sum(where.get(e.cluster.id) is None for e in directory.labelled)
    assert data["unshown"] == Unshown(2, (("Mexico", "mx"),), unlocated, 188)
    assert unlocated == 25
    (south, west), (north, east) = VIEW["frame"]
    rows = [dict(zip(data["markers"]["fields"], r, strict=True)) for r in data["markers"]["rows"]]
    assert rows and all(south <= m["lat"] <= north and west <= m["lon"] <= east for m in rows)
    assert "MX" not in {m["country"] for m in rows}
    assert len(rows) == 188 - 25 - 1  # Querétaro is placed, but outside the frame


def test_a_cluster_placed_outside_the_frame_is_counted_with_its_country(fixture_map):
    directory, _ = fixture_map
    gold = next(e for e in directory.labelled if e.cluster.id == "gold-cluster-rhein")
    data = map_data(directory, BOUNDARIES, {gold.cluster.id: Position(-21.1, 55.5, "record")})
    assert data["markers"]["rows"] == []
    assert data["unshown"] == Unshown(1, (("Germany", "de"),), 3, 4)


def test_the_frame_holds_every_shape_but_the_countries_named_outside_it():
    boxes = shape_boxes(BOUNDARIES)
    (south, west), (north, east) = VIEW["frame"]
    inside = {
        code
        for code, (w, s, e, n) in boxes.items()
        if west <= w and e <= east and south <= s and n <= north
    }
    assert set(boxes) - inside == {"MX"}
    # The view that opens reaches Türkiye's east (the browser tests see every labelled
    # mainland in it, on a phone too).
    assert VIEW["bounds"][1][1] >= boxes["TR"][2]


def test_the_countries_come_in_the_order_of_their_names_for_the_keyboard():
    directory, _, data = _sample_map()
    names = [p["name"] for p in data["countries"].values()]
    assert names == sorted(names, key=sort_key)
    labelled = [p["name"] for p in data["countries"].values() if p["count"]]
    assert labelled == [c.name for c in directory.countries]
    assert labelled.index("Türkiye") == len(labelled) - 1  # by name, not by code (TR)


def test_the_map_script_gets_its_counted_phrases_from_words(fixture_map):
    _, data = fixture_map
    assert data["words"]["groupNear"] == {
        "one": "{n} cluster near {place}",
        "other": "{n} clusters near {place}",
    }
    assert data["words"] == words.map_script_words()


# The markers as tiles (generator/site/maptiles.py): an index map.js reads first, and a small
# file for each tile that is not split.

SMALL_TILES = Tiling(per_tile=8, in_view=40)


def _tiled(data, tiling=None):
    files = marker_tiles(data["markers"], tiling)
    return {f.path: f.data for f in files}


def _by_id(rows):
    return {row[2]: row for row in rows}


@pytest.mark.parametrize("tiling", [None, SMALL_TILES], ids=["as built", "small tiles"])
def test_the_marker_tiles_decode_back_to_the_markers(tiling):
    _, _, data = _sample_map()
    files = _tiled(data, tiling)
    rows = data["markers"]["rows"]
    decoded = decoded_markers(files)
    assert len(decoded) == len(rows) and _by_id(decoded) == _by_id(rows)
    assert [row[:2] for row in rows] == [
        [round(lat * 10_000) / 10_000, round(lon * 10_000) / 10_000] for lat, lon, *_ in rows
    ]  # map_data rounds as the tiles hold them, so the round trip is exact


def test_a_tile_gives_an_id_only_where_map_js_cannot_make_it_from_the_name():
    _, _, data = _sample_map()
    files = _tiled(data)
    given = [
        (name, cluster_id)
        for path, body in files.items()
        if not path.endswith("index.json")
        for name, cluster_id in zip(json.loads(body)["name"], json.loads(body)["id"], strict=True)
    ]
    left_out = [name for name, cluster_id in given if cluster_id == ""]
    assert left_out and len(left_out) < len(given)  # the sample has both kinds
    assert all(name.isascii() for name in left_out)
    rows = _by_id(data["markers"]["rows"])
    assert all(rows[cluster_id][3] == name for name, cluster_id in given if cluster_id)
    assert derived_id("Cluster Kunststofftechnik Mühlviertel") is None  # not ASCII: given
    assert (
        derived_id("  ICT & Co. -- Nord ") == "ict-co-nord" == _js_derived_id(" ICT & Co. -- Nord ")
    )


def _mercator_tile(lat: float, lon: float, zoom: int) -> tuple[int, int]:
    n = 2**zoom
    y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
    return int((lon + 180) / 360 * n), int(y)


def test_each_tile_holds_its_quarters_and_each_marker_lies_in_its_tile_and_box():
    _, _, data = _sample_map()
    files = _tiled(data, SMALL_TILES)
    index = json.loads(files["map/markers/index.json"])
    columns, scale = index["tiles"], index["scale"]
    tiles = [{key: columns[key][i] for key in columns} for i in range(len(columns["z"]))]
    assert tiles[0]["z"] == 0
    by_key = {(t["z"], t["x"], t["y"]): t for t in tiles}
    assert [t["count"] for t in tiles if t["z"] == 0] == [len(data["markers"]["rows"])]
    for tile in tiles:
        quarters = [
            by_key[key]
            for key in [
                (tile["z"] + 1, 2 * tile["x"] + dx, 2 * tile["y"] + dy)
                for dx in (0, 1)
                for dy in (0, 1)
            ]
            if key in by_key
        ]
        assert bool(quarters) != bool(tile["leaf"])
        if quarters:
            assert sum(q["count"] for q in quarters) == tile["count"] > SMALL_TILES.per_tile
            continue
        body = json.loads(files[f"map/markers/{tile['z']}-{tile['x']}-{tile['y']}.json"])
        assert len(body["name"]) == tile["count"] <= SMALL_TILES.per_tile
        for lat, lon in zip(body["lat"], body["lon"], strict=True):
            assert _mercator_tile(lat / scale, lon / scale, tile["z"]) == (tile["x"], tile["y"])
            assert tile["south"] <= lat <= tile["north"] and tile["west"] <= lon <= tile["east"]
    # Many small files, so that a view can leave most of them out.
    assert sum(t["leaf"] for t in tiles) > 15


def test_the_marker_tiles_are_the_same_in_every_build():
    _, _, data = _sample_map()
    assert _tiled(data, SMALL_TILES) == _tiled(data, SMALL_TILES)
    assert list(_tiled(data, SMALL_TILES)) == sorted(
        _tiled(data, SMALL_TILES),
        key=lambda p: (not p.endswith("index.json"), [int(n) for n in re.findall(r"\d+", p)]),
    )


def _marker(city: str, country: str, lat: float = 50.0, lon: float = 8.0) -> Marker:
    row = (lat, lon, "id", "Name", 0, city, country)
    return Marker(round(lat * 10_000), round(lon * 10_000), row)


@pytest.mark.parametrize(
    ("markers", "place"),
    [
        (
            [("Lyon", "FR"), ("Lyon", "FR"), ("Paris", "FR"), ("Genève", "CH")],
            (False, "Lyon", "FR"),
        ),
        ([("Lyon", "FR"), ("Paris", "FR")], (True, "", "FR")),
        ([("", "MT"), ("", "MT")], (True, "", "MT")),
        (
            [("Lyon", "FR", 45.7, 4.8), ("Genève", "CH", 46.2, 6.1), ("Bern", "CH", 46.9, 7.4)],
            (False, "Genève", "CH"),
        ),
        (
            [("", "FR", 45.7, 4.8), ("", "CH", 46.2, 6.1), ("", "CH", 46.9, 7.4)],
            (False, "", "CH"),
        ),
    ],
    ids=["a city most share", "one country", "no city, one country", "near the centre", "no city"],
)
def test_a_group_is_named_as_map_js_names_markercluster_groups(markers, place):
    # A country comes as its code, which map.js names in the page's language: the index is the
    # same for every language.
    assert group_place([_marker(*m) for m in markers], MARKER_FIELDS) == place


# folium's stored drawing (generator/site/mapdrawn.py, `make map-drawn`)


def test_the_stored_drawing_of_the_map_is_what_the_installed_folium_draws():
    from scripts import mapdrawn

    assert mapdrawn.stored() == mapdrawn.drawn(), "run make map-drawn"


# A value that holds a mark, or what a regular expression's replacement would read.
ODD_HEADING = '<h1>cdmap0up0 "cdmap0block0" \\1 \\g<0> $1</h1>'


@pytest.mark.parametrize(
    "site",
    [
        SiteSettings(),
        SiteSettings(language="pl", folder="pl/", site_url="https://example.org/d/"),
    ],
    ids=["english", "polish in its folder"],
)
def test_the_map_from_the_stored_drawing_is_the_one_folium_draws(fixture_map, site):
    from generator.site import mapfigure, mapview

    settings = MapSettings()
    _, data = fixture_map
    block = mapview._data_block(data, site)
    block["odd"] = ODD_HEADING  # travels as JSON, escaped for a script
    up = mapview._up(site)
    head = "\n".join(mapview._head_tags(data, site))
    drawn = mapview._drawn(mapview.mapdrawn.FRAME, block, lang=site.language, head=head,
                           heading=ODD_HEADING, up=up)  # fmt: skip
    assert drawn == mapfigure.frame_document(settings, block, site.language, head, ODD_HEADING, up)
    part = mapview._drawn(mapview.mapdrawn.PART, block, up=up)
    assert part == mapfigure.part_document(settings, block, up)
    # And the pages made by the site: the same as folium's, through the functions they call.
    assert render_map(data, settings, site) == mapview._zoomable(
        mapfigure.frame_document(
            settings, mapview._data_block(data, site), site.language, head,
            f'<h1 class="cd-visually-hidden">{mapview.html.escape(mapview.map_title())}</h1>', up,
        )
    )  # fmt: skip


def test_a_map_with_a_tile_layer_is_drawn_by_folium(fixture_map, monkeypatch):
    from generator.site import mapview

    monkeypatch.setattr(mapview.mapdrawn, "FRAME", "not used")
    monkeypatch.setattr(mapview.mapdrawn, "PART", "not used")
    _, data = fixture_map
    tiled = MapSettings("https://tiles.example.org/{z}/{x}/{y}.png", "© Example")
    assert "tiles.example.org" in render_map(data, tiled)
    assert "tiles.example.org" in map_page(data, tiled).fragment


def test_a_build_without_a_tile_layer_does_not_import_folium(tmp_path):
    import subprocess
    import sys

    code = (
        "import sys, datetime\n"
        "from pathlib import Path\n"
        "from generator.build.build import Project, generate\n"
        "from generator.build.progress import Progress\n"
        f"generate(Project(Path({str(ROOT)!r})), Path({str(FIXTURE_RECORDS)!r}),"
        " datetime.date(2026, 11, 25), False, Progress(quiet=True))\n"
        "print('folium' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.strip() == "False"
