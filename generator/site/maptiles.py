"""The map's markers as tiles: small files of markers, and an index that lets the map draw
groups of markers, and choose which files to fetch, without loading any marker.

The markers are cut into a quadtree of Web Mercator tiles (the squares Leaflet's zoom levels
are made of): a tile holding more than `Tiling.per_tile` markers is split into its four
quarters, one zoom level deeper. The tiles that are not split (the leaves) each get a file,
`map/markers/<z>-<x>-<y>.json`; every tile, split or not, gets a line of the index,
`map/markers/index.json`: where it is, how many clusters it holds, the box and the centre of
its markers, and the place map.js names them by as one group ("25 clusters near Lyon", as it
names the groups markercluster makes): a city, or a country by its code, which map.js names
in the page's language, so that the files are the same for every language. map.js loads the files of the leaves in view while they hold at
most `Tiling.in_view` markers (the map's data block gives it, `in_view`); beyond that it draws
the index's tiles as groups.

Both forms are compact and columnar: one list per field, coordinates as integers of
1/`SCALE` of a degree, a tile's cities and countries once each in `places`, the level as its
rank, the cluster as its id (its page is /clusters/<id>/), or as "" when the id is its
ASCII name made a slug (`derived_id`), which map.js makes again. Everything comes out in one order
(tiles by zoom, x and y; markers as map_data gives them), so that two builds are the same.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from generator.core.output import OutputFile
from generator.site.directory import sort_key

# Coordinates are integers of 1/10,000 of a degree (11 m at most): map_data rounds them so.
SCALE = 10_000
FOLDER = "markers"  # under map/, beside the map page
INDEX_FILE = "index.json"


@dataclass(frozen=True, slots=True)
class Tiling:
    """How the markers are cut into files, and how many map.js loads for one view."""

    per_tile: int = 250
    """The most markers a file holds, unless they share one spot at the deepest zoom."""
    in_view: int = 1500
    """map.js loads the files of the tiles in view while they hold at most this many markers
    (the whole register of about 1,300 at once), and draws the index's groups beyond it."""
    deepest: int = 14
    """No tile is split beyond this zoom (the map's closest)."""


TILING = Tiling()


def in_view() -> int:
    """The most markers map.js loads for one view, as this build's tiling says."""
    return TILING.in_view


@dataclass(frozen=True, slots=True)
class Marker:
    """One marker as the tiles hold it: its position in 1/SCALE of a degree, and its row of
    map_data's markers."""

    lat: int
    lon: int
    row: tuple[Any, ...]


def _tile_xy(lat: float, lon: float, zoom: int) -> tuple[int, int]:
    """The Web Mercator tile (Leaflet's) at `zoom` that holds a point."""
    n = 2**zoom
    lat = max(min(lat, 85.0511287798), -85.0511287798)
    x = (lon + 180.0) / 360.0 * n
    sin = math.sin(math.radians(lat))
    y = (0.5 - math.log((1 + sin) / (1 - sin)) / (4 * math.pi)) * n
    return min(max(int(x), 0), n - 1), min(max(int(y), 0), n - 1)


@dataclass(frozen=True, slots=True)
class _Tile:
    zoom: int
    x: int
    y: int
    markers: tuple[Marker, ...]
    leaf: bool

    @property
    def key(self) -> str:
        return f"{self.zoom}-{self.x}-{self.y}"


def _quadtree(
    markers: Sequence[Marker], deepest_xy: Sequence[tuple[int, int]], tiling: Tiling
) -> list[_Tile]:
    """Every tile with markers, from the world (zoom 0) down to the leaves, in the order of
    zoom, x and y."""
    tiles: list[_Tile] = []

    def visit(zoom: int, x: int, y: int, members: list[int]) -> None:
        leaf = len(members) <= tiling.per_tile or zoom >= tiling.deepest
        tiles.append(_Tile(zoom, x, y, tuple(markers[i] for i in members), leaf))
        if leaf:
            return
        quarters: dict[tuple[int, int], list[int]] = {}
        shift = tiling.deepest - zoom - 1
        for i in members:
            deep_x, deep_y = deepest_xy[i]
            quarters.setdefault((deep_x >> shift, deep_y >> shift), []).append(i)
        for (qx, qy), inside in sorted(quarters.items()):
            visit(zoom + 1, qx, qy, inside)

    if markers:
        visit(0, 0, 0, list(range(len(markers))))
    return sorted(tiles, key=lambda t: (t.zoom, t.x, t.y))


def group_place(markers: Sequence[Marker], fields: Sequence[str]) -> tuple[bool, str, str]:
    """Where a group of markers is, as map.js says it of markercluster's groups: near the city
    most of them share (if two or more do), or in their one country, or near the city (else
    the country) of the marker closest to their centre. As (whether the whole group is in the
    place, a country; the city, "" where the place is the country; the country's code)."""
    city_at, country_at = fields.index("city"), fields.index("country")
    cities = Counter(m.row[city_at] for m in markers if m.row[city_at])
    if cities:
        common = min(cities, key=lambda city: (-cities[city], sort_key(city)))
        if cities[common] > 1:
            country = next(m.row[country_at] for m in markers if m.row[city_at] == common)
            return False, common, country
    countries = {m.row[country_at] for m in markers}
    if len(countries) == 1:
        (code,) = countries
        return True, "", code
    lat = sum(m.lat for m in markers) / len(markers)
    lon = sum(m.lon for m in markers) / len(markers)
    scale = math.cos(math.radians(lat / SCALE))
    nearest = min(markers, key=lambda m: (m.lat - lat) ** 2 + ((m.lon - lon) * scale) ** 2)
    return False, nearest.row[city_at], nearest.row[country_at]


def derived_id(name: str) -> str | None:
    """The id map.js makes from a name when a tile gives "": an ASCII name, lowercased, each
    run of other characters than a-z and 0-9 a hyphen, none at the ends (None for any other
    name, whose id the tile always gives)."""
    if not name.isascii():
        return None
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _dumps(data: object) -> bytes:
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


class _Places:
    """Strings (or pairs) listed once, each used by its position."""

    def __init__(self) -> None:
        self.items: list[Any] = []
        self._at: dict[Any, int] = {}

    def at(self, item: Any) -> int:
        if item not in self._at:
            self._at[item] = len(self.items)
            self.items.append(list(item) if isinstance(item, tuple) else item)
        return self._at[item]


def _tile_file(tile: _Tile, fields: Sequence[str]) -> bytes:
    """A leaf's markers, one list per field; a cluster's city and country as a place, its id
    as "" where map.js can make it from the name."""
    at = {name: fields.index(name) for name in fields}
    places = _Places()
    markers = tile.markers
    names = [m.row[at["name"]] for m in markers]
    ids = [m.row[at["id"]] for m in markers]
    return _dumps(
        {
            "lat": [m.lat for m in markers],
            "lon": [m.lon for m in markers],
            "id": ["" if derived_id(n) == i else i for n, i in zip(names, ids, strict=True)],
            "name": names,
            "level": [m.row[at["level"]] for m in markers],
            "place": [places.at((m.row[at["city"]], m.row[at["country"]])) for m in markers],
            "places": places.items,
        }
    )


def _index_file(tiles: Sequence[_Tile], fields: Sequence[str]) -> bytes:
    """Every tile: where it is, its count, its markers' box and centre, its group's place (a
    city and its country's code, or "" and the code where the place is the country)."""
    columns: dict[str, list[int]] = {
        key: [] for key in ("z", "x", "y", "count", "lat", "lon", "south", "west", "north", "east")
    }
    columns |= {"place": [], "in": [], "leaf": []}
    places = _Places()
    for tile in tiles:
        lats = [m.lat for m in tile.markers]
        lons = [m.lon for m in tile.markers]
        in_country, city, country = group_place(tile.markers, fields)
        values = {
            "z": tile.zoom,
            "x": tile.x,
            "y": tile.y,
            "count": len(tile.markers),
            "lat": round(sum(lats) / len(lats)),
            "lon": round(sum(lons) / len(lons)),
            "south": min(lats),
            "west": min(lons),
            "north": max(lats),
            "east": max(lons),
            "place": places.at((city, country)),
            "in": int(in_country),
            "leaf": int(tile.leaf),
        }
        for key, value in values.items():
            columns[key].append(value)
    return _dumps({"scale": SCALE, "tiles": columns, "places": places.items})


def _markers(rows: Sequence[Sequence[Any]], fields: Sequence[str]) -> Iterator[Marker]:
    lat_at, lon_at = fields.index("lat"), fields.index("lon")
    for row in rows:
        yield Marker(round(row[lat_at] * SCALE), round(row[lon_at] * SCALE), tuple(row))


def marker_tiles(markers: dict[str, Any], tiling: Tiling | None = None) -> list[OutputFile]:
    """The index and the leaves' files, under map/markers/, from map_data's markers: the same
    files for every language (no name in them is the site's own)."""
    tiling = tiling or TILING
    fields = markers["fields"]
    listed = list(_markers(markers["rows"], fields))
    deepest = [_tile_xy(m.lat / SCALE, m.lon / SCALE, tiling.deepest) for m in listed]
    tiles = _quadtree(listed, deepest, tiling)
    files = [OutputFile(f"map/{FOLDER}/{INDEX_FILE}", _index_file(tiles, fields))]
    files += [
        OutputFile(f"map/{FOLDER}/{tile.key}.json", _tile_file(tile, fields))
        for tile in tiles
        if tile.leaf
    ]
    return files
