"""The map's HTML as folium draws it: the framed document (map/frame.html) and the map as a part
of its own page (/map/), each with stable element ids.

Only mapview.py's `render_map` and `map_part` import this module, when they draw a map with a
tile layer, and scripts/mapdrawn.py, which stores folium's drawing without one for every other
build (mapdrawn.py): folium brings numpy and requests with it and compiles 62 templates, a
quarter of a second to import, which no command need wait for.
"""

from __future__ import annotations

import html
from typing import Any

import folium
from branca.element import Element, Figure, MacroElement
from jinja2 import Template

from generator.core.output import json_for_script
from generator.site.mapview import _SCRIPTS, _STYLES, VIEW
from generator.site.siteconfig import MapSettings


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
    """The framed map's document: folium's page with its script inside the body (folium puts
    it after `</body>`), its own head (language, charset, title, description, links) and a
    heading for screen readers."""

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

    def __init__(self, lang: str, head: str, heading: str) -> None:
        super().__init__()
        del self.header._children["meta_http"]  # `<meta charset>` is in the head, first
        # Escaped by the caller: the template is plain.
        self.lang, self.head, self.heading = lang, head, heading


class _MapPart(Figure):
    """The map as a part of another page: its element, its data block and its script, without
    the head folium gives a page of its own (a viewport that forbids zooming, html and body
    at full height); the page loads the styles and scripts itself (mapview's `_links`)."""

    _template = Template(
        "{{ this.html.render(**kwargs) }}\n<script>\n{{ this.script.render(**kwargs) }}\n</script>\n"
    )

    def __init__(self) -> None:
        super().__init__()
        self.lang, self.head, self.heading = "en", "", ""


def _stable_ids(element: Element, counter: list[int]) -> None:
    counter[0] += 1
    element._id = f"{counter[0]:04d}"
    for child in element._children.values():
        _stable_ids(child, counter)


def _leaflet_map(settings: MapSettings, figure: Figure, up: str = "") -> folium.Map:
    """The folium map on a page or a part of one: Leaflet from the site itself (`up` the way
    from a translated page's language folder to the site's root), no tiles unless set."""
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
    fmap.default_js = [(name, up + url) for name, url in _SCRIPTS]
    fmap.default_css = [(name, up + url) for name, url in _STYLES]
    figure.add_child(fmap)
    if settings.tiles_url:
        folium.TileLayer(
            tiles=settings.tiles_url, attr=settings.tiles_attribution, name="Tiles"
        ).add_to(fmap)
    fmap.add_child(_DirectoryLayer())
    return fmap


def frame_document(
    settings: MapSettings, block: dict[str, Any], lang: str, head: str, heading: str, up: str = ""
) -> str:
    """The framed map's document as folium renders it, with the data block `block`, the
    page's language, head and heading (HTML, escaped by the caller), and `up` the way from a
    translated page's language folder to the site's root."""
    figure = _MapPage(lang, head, heading)
    figure.header.add_child(
        Element(
            f'<link rel="icon" href="../{html.escape(up)}assets/images/favicon.svg"'
            ' type="image/svg+xml">'
        ),
        name="icon",
    )
    _leaflet_map(settings, figure, up)
    figure.html.add_child(_DataBlock(block))
    _stable_ids(figure, [0])
    return str(figure.render())


def part_document(settings: MapSettings, block: dict[str, Any], up: str = "") -> str:
    """The map as a part of a page, as folium renders it, with the data block `block` (`up`:
    as for `frame_document`)."""
    figure = _MapPart()
    _leaflet_map(settings, figure, up)
    figure.html.add_child(_DataBlock(block))
    _stable_ids(figure, [0])
    return str(figure.render())
