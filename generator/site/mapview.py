"""The map stage: countries shaded by their number of labelled clusters, and cluster markers.

`map_data` is pure: it turns the directory, the boundaries and the positions into plain data,
and says what the map's frame leaves out (`Unshown`). The map is drawn as folium draws it
(mapfigure.py; without a tile layer, from folium's drawing stored in mapdrawn.py, so that a
build need not import folium): Leaflet and markercluster are served by the
site itself, no tile layer unless configured, the data goes to the page as one JSON block that
`assets/map.js` reads, and folium's random element ids are replaced by stable ones. It is drawn
twice: `render_map` makes the bare document that the home page frames (map/frame.html), which
says itself what MkDocs's pages get from the theme (a title, a description, a heading);
`map_page` gives the map as a part of the site's own page at /map/, with the site's header,
search and navigation (site_templates/pages/map.md.j2). Its words
(countries' names, legend, title, description) are those of the language current when it is
made.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any, TypedDict

from generator.core import i18n, words
from generator.core.countries import country_name
from generator.core.output import OutputFile, json_for_script
from generator.records.places import Position
from generator.site import mapdrawn
from generator.site.directory import Directory, sort_key
from generator.site.maptiles import FOLDER, INDEX_FILE, SCALE, in_view, marker_tiles
from generator.site.siteconfig import MapSettings, SiteSettings

VENDOR = "assets/vendor"
# Detailed and overview shapes (scripts/boundaries/make_boundaries.mjs writes both), served
# beside the map page.
DETAIL_SHAPES = "countries.topo.json"
OVERVIEW_SHAPES = "countries-overview.topo.json"
BOUNDARY_FILES = (DETAIL_SHAPES, OVERVIEW_SHAPES)

# Up to five classes of counts, each a shade of blue that assets/map.css gives for the light
# and the dark scheme (with the grey of a country with no labelled cluster).
SHADE_CLASSES = 5
# How the map opens and how far it zooms: folium's map and map.js read the same numbers.


class MapView(TypedDict):
    """How the map opens, its frame and how far it zooms: folium's map and map.js read the same
    numbers."""

    bounds: list[list[float]]  # [[south, west], [north, east]]
    frame: list[list[float]]  # where the boundary files draw every shape
    minZoom: int
    maxZoom: int
    zoomSnap: float


VIEW: MapView = {
    # Europe from Ireland to Türkiye's east and up to the North Cape: every country of the
    # sample data but Mexico is whole in it, also on a phone.
    "bounds": [[34.5, -11.0], [71.5, 45.0]],
    # The frame: where the boundary files draw every shape (scripts/boundaries clips them at
    # 32° W and 45° E, from the Azores to the Caucasus, and the Canaries to Svalbard).
    # map.js shades what lies beyond it, so that a shape ends at the frame's edge, and keeps the
    # view inside; a labelled country or a marker outside it is named under the map instead.
    "frame": [[27.0, -32.0], [81.0, 45.0]],
    "minZoom": 2,
    "maxZoom": 14,
    "zoomSnap": 0.25,  # fractional zoom lets Europe fill frames of any size
}
# A marker's fields, in the order of map_data's rows (maptiles.py writes them as tiles, one list
# a field). The city and country name a group of markers ("5 clusters near Lyon").
MARKER_FIELDS = ("lat", "lon", "id", "name", "level", "city", "country")
_NICE = (1, 2, 3, 5, 10, 15, 20, 30, 50, 100, 150, 200, 300, 500, 1000, 2000, 3000, 5000, 10000)
# Translators: the map page's heading; its title adds the site's name.
MAP_TITLE = i18n.N_("Map of labelled clusters")  # translated where it is shown


def map_title() -> str:
    """The map's heading in the current language; its title adds the site's name."""
    return i18n.gettext(MAP_TITLE)


# The index of the markers' tiles, served beside the map page as are the shapes; the tiles are
# files beside it (maptiles.py).
MARKERS_INDEX = f"{FOLDER}/{INDEX_FILE}"
# The bare map document that the home page frames, beside the shapes and markers in map/; the
# map's own page, map/ itself, is one of the site's pages (map.md).
FRAME_FILE = "frame.html"
DEFAULT_SITE = SiteSettings()  # mkdocs.yml's defaults: name, language, no published address


@dataclass(frozen=True, slots=True)
class Unshown:
    """What the map cannot show: the labelled clusters outside its frame (in a country drawn
    outside it, or with no shape, or placed outside it) with their countries as (name, slug),
    and the labelled clusters with no location, of all the labelled ones."""

    outside: int
    countries: tuple[tuple[str, str], ...]
    unlocated: int
    clusters: int


@dataclass(frozen=True, slots=True)
class MapPage:
    """What the site's pages show of the map: its notes, its description, and for /map/ the
    map itself (its styles, scripts, element and data) as HTML."""

    unshown: Unshown
    title: str
    description: str
    fragment: str


def class_breaks(largest: int) -> tuple[int, ...]:
    """Lower bounds of up to five count classes, from 1, on round numbers."""
    candidates = [n for n in _NICE if n <= max(largest, 1)]
    if len(candidates) <= SHADE_CLASSES:
        return tuple(candidates)
    last = len(candidates) - 1
    picks = {candidates[round(i * last / (SHADE_CLASSES - 1))] for i in range(SHADE_CLASSES)}
    return tuple(sorted(picks))


def _shade(count: int, breaks: tuple[int, ...]) -> int:
    return max(i for i, low in enumerate(breaks) if count >= low)


def _round(value: float) -> float:
    """A coordinate as the tiles hold it, an integer of 1/SCALE of a degree (about 11 m)."""
    return round(value * SCALE) / SCALE


Box = tuple[float, float, float, float]  # west, south, east, north


def shape_boxes(topology: dict[str, Any]) -> dict[str, Box]:
    """Each shape's bounding box, by its country's code, from a quantized TopoJSON topology."""
    (scale_x, scale_y), (move_x, move_y) = (
        topology["transform"]["scale"],
        topology["transform"]["translate"],
    )
    arc_boxes = []
    for arc in topology["arcs"]:
        x = y = 0
        xs, ys = [], []
        for step_x, step_y in arc:
            x, y = x + step_x, y + step_y
            xs.append(x)
            ys.append(y)
        arc_boxes.append((min(xs), min(ys), max(xs), max(ys)))
    boxes = {}
    for shape in topology["objects"]["countries"]["geometries"]:
        polygons = [shape["arcs"]] if shape["type"] == "Polygon" else shape["arcs"]
        used = [arc_boxes[~i if i < 0 else i] for p in polygons for ring in p for i in ring]
        west, south = min(b[0] for b in used), min(b[1] for b in used)
        east, north = max(b[2] for b in used), max(b[3] for b in used)
        boxes[shape["properties"]["iso2"]] = (
            west * scale_x + move_x,
            south * scale_y + move_y,
            east * scale_x + move_x,
            north * scale_y + move_y,
        )
    return boxes


def _in_frame(lat: float, lon: float) -> bool:
    (south, west), (north, east) = VIEW["frame"]
    return south <= lat <= north and west <= lon <= east


def _meets_frame(box: Box) -> bool:
    (south, west), (north, east) = VIEW["frame"]
    return box[0] <= east and box[2] >= west and box[1] <= north and box[3] >= south


def map_data(
    directory: Directory, boundaries: dict[str, Any], where: dict[str, Position | None]
) -> dict[str, Any]:
    """The map's data: each shape's country, count, shade and link (in the order of the
    countries' names, which is the order of their keyboard stops); legend classes; the markers
    inside the frame; and what the frame leaves out."""
    counts = {c.code: len(c.labelled) for c in directory.countries}
    breaks = class_breaks(max(counts.values(), default=1))
    boxes = shape_boxes(boundaries)
    countries = {}
    for shape in boundaries["objects"]["countries"]["geometries"]:
        code = shape["properties"]["iso2"]
        count = counts.get(code, 0)
        properties = {
            "name": country_name(code) if len(code) == 2 else shape["properties"]["name"],
            "class": f"country-{code.lower()}",
            "count": count,
        }
        if count:
            properties["shade"] = _shade(count, breaks)
            properties["url"] = f"../countries/{code.lower()}/"
            if not _meets_frame(boxes[code]):
                properties["outside"] = True  # not drawn: named under the map instead
        countries[code] = properties
    countries = dict(sorted(countries.items(), key=lambda item: sort_key(str(item[1]["name"]))))
    drawn = {code for code, p in countries.items() if p["count"] and "outside" not in p}
    levels = {level.id: level.rank for level in directory.rules.levels}
    markers = []
    outside: Counter[str] = Counter()
    unlocated = 0
    for entry in directory.labelled:
        cluster = entry.cluster
        point = where.get(cluster.id)
        unlocated += point is None
        if cluster.country not in drawn or (point and not _in_frame(point.lat, point.lon)):
            outside[cluster.country] += 1
        elif point is not None:
            markers.append(
                [
                    _round(point.lat),
                    _round(point.lon),
                    cluster.id,
                    cluster.name,
                    levels[entry.status.label],
                    cluster.city or "",
                    cluster.country,
                ]
            )
    legend = []
    for i, low in enumerate(breaks):
        high = breaks[i + 1] - 1 if i + 1 < len(breaks) else None
        legend.append({"shade": i, "label": words.count_range_text(low, high)})
    left_out = tuple((c.name, c.slug) for c in directory.countries if c.code in outside)
    return {
        "countries": countries,
        "markers": {"fields": list(MARKER_FIELDS), "rows": markers},
        # For the pages, not for map.js:
        "holders": directory.headline.clusters,
        "holder_countries": directory.headline.countries,
        "unshown": Unshown(sum(outside.values()), left_out, unlocated, directory.headline.clusters),
        "levels": [level.name for level in directory.rules.levels],
        "legend": legend,
        "words": words.map_script_words(),
        "view": VIEW,
    }


def map_description(data: dict[str, Any]) -> str:
    """One sentence on what the map shows, with its counts."""
    return words.map_page_description(
        data["holders"], data["holder_countries"], len(data["markers"]["rows"])
    )


def _head_tags(data: dict[str, Any], site: SiteSettings) -> list[str]:
    """The framed document's own head: title and description as the theme writes them, and
    its place among the site's pages: not one to list in a search engine, but a part of
    /map/, which is shared and found instead (it carries the Open Graph tags)."""
    title = f"{map_title()} - {site.site_name}"
    tags = [
        '<meta charset="utf-8">',
        f"<title>{html.escape(title)}</title>",
        f'<meta name="description" content="{html.escape(map_description(data))}">',
        '<meta name="robots" content="noindex">',
    ]
    if site.base:
        tags.append(f'<link rel="canonical" href="{html.escape(site.page_base)}map/">')
    return tags


# Only what the map uses, from the site itself: no jQuery, Bootstrap, Font Awesome or CDN.
# markercluster is loaded by map.js when markers are drawn. Both pages are in map/.
_SCRIPTS = (
    ("leaflet", f"../{VENDOR}/leaflet/leaflet.js"),
    ("directory_map", "../assets/map.js"),
)
_STYLES = (
    ("leaflet_css", f"../{VENDOR}/leaflet/leaflet.css"),
    ("markercluster_css", f"../{VENDOR}/leaflet.markercluster/MarkerCluster.css"),
    ("directory_map_css", "../assets/map.css"),
)


def _links(up: str = "") -> str:
    """The map's styles and scripts, for a page that holds the map as a part."""
    styles = [f'<link rel="stylesheet" href="{html.escape(up + url)}">' for _, url in _STYLES]
    scripts = [f'<script src="{html.escape(up + url)}"></script>' for _, url in _SCRIPTS]
    return "\n".join(styles + scripts)


# What map_data gives that map.js does not read: the markers (files) and the pages' counts.
_NOT_IN_BLOCK = ("markers", "holders", "holder_countries", "unshown")


def _up(site: SiteSettings) -> str:
    """The way from a language's folder (site.folder, 'de/') up to the site's root, where the
    map's shapes, markers, scripts and styles exist once for every language."""
    return "../" * site.folder.count("/")


def shared_map_folder(site: SiteSettings) -> str:
    """Where a page in map/ finds the map's shapes and markers: beside it, or for a translated
    page (in its language's folder, site.folder) in the site's root's map/."""
    return f"../{_up(site)}map/" if site.folder else ""


def _data_block(data: dict[str, Any], site: SiteSettings) -> dict[str, Any]:
    """What the page itself carries: everything but the markers, and where the files are.

    The shapes and markers are files of their own beside the page (map_files), fetched as they
    are needed: the home page's overview needs neither the detailed shapes nor the markers, and
    a view fetches the markers' index and the tiles of markers it shows (maptiles.py).
    """
    block = {key: value for key, value in data.items() if key not in _NOT_IN_BLOCK}
    block["marked"] = len(data["markers"]["rows"])
    block["markersInView"] = in_view()
    shared = shared_map_folder(site)
    block["files"] = {
        "overview": shared + OVERVIEW_SHAPES,
        "detail": shared + DETAIL_SHAPES,
        "markers": shared + MARKERS_INDEX,
        "markerTiles": f"{shared}{FOLDER}/",
        "markercluster": f"../{_up(site)}{VENDOR}/leaflet.markercluster/leaflet.markercluster.js",
    }
    return block


def _zoomable(document: str) -> str:
    """The page with a viewport that lets phones zoom (folium forbids it)."""
    viewport = '<meta name="viewport" content="width=device-width, initial-scale=1">'
    document, found = re.subn(r'<meta name="viewport"[^>]*>', viewport, document)
    if not found:
        document = document.replace("</title>", f"</title>\n{viewport}", 1)
    return document


# The marks in folium's stored drawing (mapdrawn.py) that each page's values take the place of:
# letters and digits, which no escaping changes; the data block's is a JSON string.
MARKS = {
    "lang": "cdmap0lang0",
    "head": "cdmap0head0",
    "heading": "cdmap0heading0",
    "block": "cdmap0block0",
    "up": "cdmap0up0",
}
_MARK = re.compile('"cdmap0block0"|cdmap0(lang|head|heading|up)0')


def _drawn(stored: str, block: dict[str, Any], **values: str) -> str:
    """folium's stored drawing with the page's values in the place of the marks (in one pass,
    so that a value that holds a mark is kept as it is)."""
    data = json_for_script(block)
    return _MARK.sub(lambda m: values[m.group(1)] if m.group(1) else data, stored)


def render_map(
    data: dict[str, Any],
    settings: MapSettings,
    site: SiteSettings = DEFAULT_SITE,
) -> str:
    """The map document that the home page frames (map/frame.html)."""
    heading = f'<h1 class="cd-visually-hidden">{html.escape(map_title())}</h1>'
    head = "\n".join(_head_tags(data, site))
    lang, block, up = html.escape(site.language), _data_block(data, site), _up(site)
    if settings.tiles_url is None:  # as folium draws it (mapdrawn.py), without importing it
        document = _drawn(mapdrawn.FRAME, block, lang=lang, head=head, heading=heading, up=up)
    else:
        from generator.site import mapfigure  # folium: imported only when it draws a map

        document = mapfigure.frame_document(settings, block, lang, head, heading, up)
    return _zoomable(document)


def map_part(data: dict[str, Any], settings: MapSettings, site: SiteSettings = DEFAULT_SITE) -> str:
    """The map as a part of its own page (/map/): styles, scripts, element, data and script."""
    block, up = _data_block(data, site), _up(site)
    if settings.tiles_url is None:  # as folium draws it (mapdrawn.py), without importing it
        rendered = _drawn(mapdrawn.PART, block, up=up)
    else:
        from generator.site import mapfigure  # folium: imported only when it draws a map

        rendered = mapfigure.part_document(settings, block, up)
    # Without indents or blank lines, so that Markdown keeps it all as one block of HTML.
    lines = (line.strip() for line in f"{_links(_up(site))}\n{rendered}".splitlines())
    return "\n".join(line for line in lines if line)


def map_page(
    data: dict[str, Any], settings: MapSettings, site: SiteSettings = DEFAULT_SITE
) -> MapPage:
    """What the site's pages show of the map (the home page's notes, the page /map/)."""
    return MapPage(
        data["unshown"], map_title(), map_description(data), map_part(data, settings, site)
    )


def map_files(
    data: dict[str, Any],
    settings: MapSettings,
    boundaries: dict[str, bytes],
    site: SiteSettings = DEFAULT_SITE,
) -> list[OutputFile]:
    """The framed map document, its markers' index and tiles and its two sets of shapes, as
    files under map/ (the map's own page, map/index.html, is one of the site's pages:
    `map_page`). A translated tree has its framed document only (`map_frame`)."""
    return [
        map_frame(data, settings, site),
        *marker_tiles(data["markers"]),
        *(OutputFile(f"map/{name}", boundaries[name]) for name in BOUNDARY_FILES),
    ]


def map_frame(
    data: dict[str, Any], settings: MapSettings, site: SiteSettings = DEFAULT_SITE
) -> OutputFile:
    """The framed map document (map/frame.html), in the current language."""
    return OutputFile(f"map/{FRAME_FILE}", render_map(data, settings, site).encode("utf-8"))
