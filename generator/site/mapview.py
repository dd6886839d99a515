"""The map stage: countries shaded by their number of labelled clusters, and cluster markers.

`map_data` is pure: it turns the directory, the boundaries and the positions into plain data.
`render_map` makes the map document with folium: Leaflet and markercluster are served by the
site itself, no tile layer unless configured, the data goes to the page as one JSON block that
`assets/map.js` reads, and folium's random element ids are replaced by stable ones. The page is
not one of MkDocs's, so it says itself what the others get from the theme: a title, a description,
a heading and the Open Graph tags of a shared link.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any, TypedDict

import folium
from branca.element import Element, Figure, MacroElement
from jinja2 import Template

from generator.core import words
from generator.core.countries import country_name
from generator.site.directory import Directory
from generator.core.output import OutputFile, json_for_script
from generator.records.places import Position
from generator.site.siteconfig import MapSettings, SiteSettings

VENDOR = "assets/vendor"
# Detailed and overview shapes (scripts/boundaries/make_boundaries.mjs writes both), served
# beside the map page.
DETAIL_SHAPES = "countries.topo.json"
OVERVIEW_SHAPES = "countries-overview.topo.json"
BOUNDARY_FILES = (DETAIL_SHAPES, OVERVIEW_SHAPES)

# Sequential blues (ColorBrewer), light to dark, for one to five classes of counts, and the
# grey of a country with no labelled cluster.
SHADES = ("#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
NONE_SHADE = "#e8e8e8"


class MapView(TypedDict):
    """How the map opens and how far it zooms: folium's map and map.js read the same numbers."""

    bounds: list[list[float]]  # [[south, west], [north, east]]
    minZoom: int
    maxZoom: int
    zoomSnap: float


VIEW: MapView = {
    "bounds": [[34.5, -11.0], [71.5, 32.0]],  # Europe, up to the North Cape
    "minZoom": 2,
    "maxZoom": 14,
    "zoomSnap": 0.25,  # fractional zoom lets Europe fill frames of any size
}
# A marker's fields, in the order each row of markers.json gives them; map.js names them.
MARKER_FIELDS = ("lat", "lon", "id", "name", "level")
_NICE = (1, 2, 3, 5, 10, 15, 20, 30, 50, 100, 150, 200, 300, 500, 1000, 2000, 3000, 5000, 10000)
MAP_TITLE = "Map of labelled clusters"  # the heading; the title adds the site's name
MARKERS_FILE = "markers.json"  # served beside the map page, as are the shapes
DEFAULT_SITE = SiteSettings()  # mkdocs.yml's defaults: name, language, no published address


def class_breaks(largest: int) -> tuple[int, ...]:
    """Lower bounds of up to five count classes, from 1, on round numbers."""
    candidates = [n for n in _NICE if n <= max(largest, 1)]
    if len(candidates) <= len(SHADES):
        return tuple(candidates)
    last = len(candidates) - 1
    picks = {candidates[round(i * last / (len(SHADES) - 1))] for i in range(len(SHADES))}
    return tuple(sorted(picks))


def _shade(count: int, breaks: tuple[int, ...]) -> int:
    return max(i for i, low in enumerate(breaks) if count >= low)


def _round(value: float) -> float:
    return round(value, 4)


def map_data(
    directory: Directory, boundaries: dict[str, Any], where: dict[str, Position | None]
) -> dict[str, Any]:
    """The map's data: each shape's country, count, shade and link; legend classes; markers."""
    counts = {c.code: len(c.labelled) for c in directory.countries}
    breaks = class_breaks(max(counts.values(), default=1))
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
        countries[code] = properties
    levels = {level.id: level.rank for level in directory.rules.levels}
    markers = []
    for entry in directory.labelled:
        point = where.get(entry.cluster.id)
        if point is not None:
            markers.append(
                [
                    _round(point.lat),
                    _round(point.lon),
                    entry.cluster.id,
                    entry.cluster.name,
                    levels[entry.status.label],
                ]
            )
    legend = []
    for i, low in enumerate(breaks):
        high = breaks[i + 1] - 1 if i + 1 < len(breaks) else None
        legend.append(
            {
                "shade": SHADES[i],
                "label": words.count_range_text(low, high),
            }
        )
    return {
        "countries": countries,
        "markers": {"fields": list(MARKER_FIELDS), "rows": markers},
        # For the page's description, not for map.js:
        "holders": directory.headline.clusters,
        "holder_countries": directory.headline.countries,
        "levels": [level.name for level in directory.rules.levels],
        "legend": legend,
        "shades": list(SHADES),
        "noneShade": NONE_SHADE,
        "view": VIEW,
        "home": "../",
    }


class _DataBlock(Element):
    """The map's data as a JSON script block; a fixed template, so data is never read as Jinja."""

    _template = Template("{{ this.payload }}")

    def __init__(self, data: Any) -> None:
        super().__init__()
        self._name = "DataBlock"
        self.payload = (
            f'<script type="application/json" id="cd-map-data">{json_for_script(data)}</script>'
        )


class _DirectoryLayer(MacroElement):
    """Hands the folium map to assets/map.js, which draws the data block onto it."""

    _template = Template(
        "{% macro script(this, kwargs) %}cdDirectoryMap({{ this._parent.get_name() }}, "
        "document.getElementById('cd-map-data'));{% endmacro %}"
    )

    def __init__(self) -> None:
        # branca's MacroElement.__init__ takes nothing but has no hints, so a checker calls it
        # untyped; this typed __init__ keeps that to this one line.
        super().__init__()  # type: ignore[no-untyped-call]


class _MapPage(Figure):
    """folium's page with its script inside the body (folium puts it after `</body>`), its own
    head (language, charset, title, description, links) and a heading for screen readers."""

    _template = Template(
        "<!DOCTYPE html>\n"
        '<html lang="{{ this.lang }}">\n'
        "<head>\n"
        "{{ this.head }}\n"
        "    {{ this.header.render(**kwargs) }}\n"
        "</head>\n"
        "<body>\n"
        "{{ this.heading }}\n"
        "    {{ this.html.render(**kwargs) }}\n"
        "<script>\n"
        "    {{ this.script.render(**kwargs) }}\n"
        "</script>\n"
        "</body>\n"
        "</html>\n"
    )

    def __init__(self) -> None:
        super().__init__()
        del self.header._children["meta_http"]  # `<meta charset>` is in the head, first
        self.lang, self.head, self.heading = "en", "", ""

    def describe(self, data: dict[str, Any], site: SiteSettings) -> None:
        """Set the page's language, head and heading (all escaped here: the template is plain)."""
        self.lang = html.escape(site.language)
        self.head = "\n".join(_head_tags(data, site))
        self.heading = f'<h1 class="cd-visually-hidden">{html.escape(MAP_TITLE)}</h1>'


def map_description(data: dict[str, Any]) -> str:
    """One sentence on what the map shows, with its counts."""
    return words.map_page_description(
        data["holders"], data["holder_countries"], len(data["markers"]["rows"])
    )


def _head_tags(data: dict[str, Any], site: SiteSettings) -> list[str]:
    """The head's own tags: title and description as the theme writes them, and Open Graph."""
    title = f"{MAP_TITLE} - {site.site_name}"
    description = map_description(data)
    tags = [
        '<meta charset="utf-8">',
        f"<title>{html.escape(title)}</title>",
        f'<meta name="description" content="{html.escape(description)}">',
    ]
    url = f"{site.base}map/" if site.base else ""
    if url:
        tags.append(f'<link rel="canonical" href="{html.escape(url)}">')
    tags += [
        f'<meta property="og:title" content="{html.escape(title)}">',
        f'<meta property="og:description" content="{html.escape(description)}">',
        '<meta property="og:type" content="website">',
    ]
    if url:  # Open Graph wants an absolute address: only when the site's is known
        tags.append(f'<meta property="og:url" content="{html.escape(url)}">')
    return tags


def _stable_ids(element: Element, counter: list[int]) -> None:
    counter[0] += 1
    element._id = f"{counter[0]:04d}"
    for child in element._children.values():
        _stable_ids(child, counter)


def _leaflet_map(settings: MapSettings) -> tuple[_MapPage, folium.Map]:
    """The page and the folium map on it: Leaflet from the site itself, no tiles unless set."""
    figure = _MapPage()
    (south, west), (north, east) = VIEW["bounds"]
    fmap = folium.Map(
        location=[(south + north) / 2, (west + east) / 2],
        zoom_start=4,  # map.js fits the bounds at once
        min_zoom=VIEW["minZoom"],
        max_zoom=VIEW["maxZoom"],
        tiles=None,
        control_scale=False,
        prefer_canvas=False,  # SVG shapes, so that each country carries its class name
    )
    # Only what the map uses, from the site itself: no jQuery, Bootstrap, Font Awesome or CDN.
    # markercluster is loaded by map.js when markers are drawn.
    fmap.default_js = [
        ("leaflet", f"../{VENDOR}/leaflet/leaflet.js"),
        ("directory_map", "../assets/map.js"),
    ]
    fmap.default_css = [
        ("leaflet_css", f"../{VENDOR}/leaflet/leaflet.css"),
        ("markercluster_css", f"../{VENDOR}/leaflet.markercluster/MarkerCluster.css"),
        ("directory_map_css", "../assets/map.css"),
    ]
    figure.header.add_child(
        Element('<link rel="icon" href="../assets/images/favicon.svg" type="image/svg+xml">'),
        name="icon",
    )
    figure.add_child(fmap)
    if settings.tiles_url:
        folium.TileLayer(
            tiles=settings.tiles_url, attr=settings.tiles_attribution, name="Tiles"
        ).add_to(fmap)
    return figure, fmap


# What map_data gives that map.js does not read: the markers (a file) and the page's counts.
_NOT_IN_BLOCK = ("markers", "holders", "holder_countries")


def _data_block(data: dict[str, Any]) -> dict[str, Any]:
    """What the page itself carries: everything but the markers, and where the files are.

    The shapes and markers are files of their own beside the page (map_files), fetched as they
    are needed: the home page's overview needs neither the detailed shapes nor the markers.
    """
    block = {key: value for key, value in data.items() if key not in _NOT_IN_BLOCK}
    block["marked"] = len(data["markers"]["rows"])
    block["files"] = {
        "overview": OVERVIEW_SHAPES,
        "detail": DETAIL_SHAPES,
        "markers": MARKERS_FILE,
        "markercluster": f"../{VENDOR}/leaflet.markercluster/leaflet.markercluster.js",
    }
    return block


def _zoomable(document: str) -> str:
    """The page with a viewport that lets phones zoom (folium forbids it)."""
    viewport = '<meta name="viewport" content="width=device-width, initial-scale=1">'
    document, found = re.subn(r'<meta name="viewport"[^>]*>', viewport, document)
    if not found:
        document = document.replace("</title>", f"</title>\n{viewport}", 1)
    return document


def render_map(
    data: dict[str, Any], settings: MapSettings, site: SiteSettings = DEFAULT_SITE
) -> str:
    """The map document (served at /map/ and framed on the home page)."""
    figure, fmap = _leaflet_map(settings)
    figure.describe(data, site)
    figure.html.add_child(_DataBlock(_data_block(data)))
    fmap.add_child(_DirectoryLayer())
    _stable_ids(figure, [0])
    return _zoomable(figure.render())


def map_files(
    data: dict[str, Any],
    settings: MapSettings,
    boundaries: dict[str, bytes],
    site: SiteSettings = DEFAULT_SITE,
) -> list[OutputFile]:
    """The map page, its markers and its two sets of shapes, as files under map/."""
    markers = json.dumps(data["markers"], ensure_ascii=False, separators=(",", ":"))
    return [
        OutputFile("map/index.html", render_map(data, settings, site).encode("utf-8")),
        OutputFile(f"map/{MARKERS_FILE}", (markers + "\n").encode("utf-8")),
        *(OutputFile(f"map/{name}", boundaries[name]) for name in BOUNDARY_FILES),
    ]
