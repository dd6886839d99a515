"""A cluster page's locator map: its country's outline, drawn once per country as a small SVG
file that every cluster page of that country shows (and a browser fetches once), and the dot
each page draws on it where the cluster is.

The outline comes from the map's committed TopoJSON boundaries. A country's frame is its
largest part and the parts near it, so that an island far out (the Canaries, Svalbard, the
Azores) does not shrink the mainland to a speck; a cluster outside that frame gets no map. The
projection is equirectangular, its longitudes shortened by the cosine of the frame's middle
latitude: true enough in shape at the size of a thumbnail. Coordinates are whole units, and
points closer to a line than a unit are dropped, so an outline takes one or two kilobytes.

Pure: the parsed TopoJSON in, SVG text and numbers out.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from generator.core import i18n

SIZE = 120  # the longer side of an outline, in units that the page shows as px
NEAR = 0.25  # a part belongs in the frame when it lies within this share of the main part's size
TOLERANCE = 0.6  # points nearer than this many units to the line through their neighbours go
MIN_AREA = 2.0  # rings smaller than this many square units are dropped
MARGIN = 4  # units around the shape, so that its line and a dot on its edge show whole
FOLDER = "countries/outline"  # where the outlines go in the site, one <code>.svg each

Point = tuple[float, float]
Ring = list[Point]


@dataclass(frozen=True, slots=True)
class Outline:
    """A country's outline: its size, its SVG path, and what places a point on it."""

    code: str
    width: int
    height: int
    path: str
    west: float
    north: float
    scale: float  # units per degree of latitude
    squeeze: float  # the cosine of the middle latitude

    def place(self, lat: float, lon: float) -> tuple[int, int] | None:
        """Where a point falls on the outline, in whole units, or None outside its frame."""
        x = MARGIN + (lon - self.west) * self.squeeze * self.scale
        y = MARGIN + (self.north - lat) * self.scale
        if not (0 <= x <= self.width and 0 <= y <= self.height):
            return None
        return round(x), round(y)

    def svg(self) -> str:
        """The outline as a standalone SVG file. Its colours are half-transparent, so that it
        reads on the light and the dark scheme alike (an image takes no page styles)."""
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {self.width} {self.height}"'
            f' width="{self.width}" height="{self.height}"><path d="{self.path}"'
            ' fill="#7986cb" fill-opacity=".28" stroke="#6574c4" stroke-width="1.2"'
            ' stroke-linejoin="round"/></svg>\n'
        )


def shapes(topology: dict[str, Any]) -> dict[str, list[Ring]]:
    """Every country's outer rings, in degrees (lon, lat), from TopoJSON with a transform."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)

    def ring(indexes: Sequence[int]) -> Ring:
        points: Ring = []
        for index in indexes:
            arc = arcs[index] if index >= 0 else arcs[~index][::-1]
            points.extend(arc if not points else arc[1:])
        return points

    found: dict[str, list[Ring]] = {}
    for shape in topology["objects"]["countries"]["geometries"]:
        polygons = [shape["arcs"]] if shape["type"] == "Polygon" else shape["arcs"]
        found[shape["properties"]["iso2"]] = [ring(polygon[0]) for polygon in polygons]
    return found


def _box(points: Iterable[Point]) -> tuple[float, float, float, float]:
    xs, ys = zip(*points, strict=True)
    return min(xs), min(ys), max(xs), max(ys)


def _area(points: Sequence[Point]) -> float:
    return (
        abs(
            sum(
                x0 * y1 - x1 * y0
                for (x0, y0), (x1, y1) in zip(points, [*points[1:], points[0]], strict=True)
            )
        )
        / 2
    )


def _framed(rings: list[Ring]) -> list[Ring]:
    """The largest part, with the parts that lie near it."""

    def flat_area(ring: Ring) -> float:
        middle = math.cos(math.radians(sum(lat for _, lat in ring) / len(ring)))
        return _area([(lon * middle, lat) for lon, lat in ring])

    main = max(rings, key=flat_area)
    west, south, east, north = _box(main)
    reach_x, reach_y = (east - west) * NEAR, (north - south) * NEAR
    near = []
    for ring in rings:
        w, s, e, n = _box(ring)
        if (
            w <= east + reach_x
            and e >= west - reach_x
            and s <= north + reach_y
            and n >= south - reach_y
        ):
            near.append(ring)
    return near


def _simplified(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Douglas-Peucker: the points that keep the line within TOLERANCE units."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x0, y0), (x1, y1) = points[first], points[last]
        length = math.hypot(x1 - x0, y1 - y0)
        farthest, at = 0.0, -1
        for i in range(first + 1, last):
            x, y = points[i]
            if length:
                distance = abs((x1 - x0) * (y0 - y) - (x0 - x) * (y1 - y0)) / length
            else:
                distance = math.hypot(x - x0, y - y0)
            if distance > farthest:
                farthest, at = distance, i
        if farthest > TOLERANCE:
            keep[at] = True
            stack += [(first, at), (at, last)]
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def _number_list(numbers: Iterable[int]) -> str:
    # SVG path numbers need a separator only where the next one has no minus sign.
    text = ""
    for n in numbers:
        if text and n >= 0:
            text += " "
        text += str(n)
    return text


def _path(rings: list[list[tuple[int, int]]]) -> str:
    parts = []
    for ring in rings:
        (x, y), rest = ring[0], ring[1:]
        steps = []
        for nx, ny in rest:
            steps += [nx - x, ny - y]
            x, y = nx, ny
        parts.append(f"M{_number_list([ring[0][0], ring[0][1]])}l{_number_list(steps)}z")
    return "".join(parts)


def outline(code: str, rings: list[Ring]) -> Outline | None:
    """A country's outline from its rings in degrees, or None when nothing of it is left."""
    framed = _framed(rings)
    west, south, east, north = _box(p for ring in framed for p in ring)
    squeeze = math.cos(math.radians((north + south) / 2))
    span_x, span_y = max((east - west) * squeeze, 1e-9), max(north - south, 1e-9)
    scale = (SIZE - 2 * MARGIN) / max(span_x, span_y)
    drawn = []
    for ring in framed:
        projected = [
            (MARGIN + (lon - west) * squeeze * scale, MARGIN + (north - lat) * scale)
            for lon, lat in ring
        ]
        rounded: list[tuple[int, int]] = []
        for x, y in _simplified(projected):
            point = (round(x), round(y))
            if not rounded or point != rounded[-1]:
                rounded.append(point)
        if len(rounded) > 1 and rounded[0] == rounded[-1]:
            rounded.pop()  # the path's z closes it
        if len(rounded) >= 3 and _area(rounded) >= MIN_AREA:
            drawn.append(rounded)
    if not drawn:
        return None
    width = round(span_x * scale) + 2 * MARGIN
    height = round(span_y * scale) + 2 * MARGIN
    return Outline(code, width, height, _path(drawn), west, north, scale, squeeze)


def outlines(topology: dict[str, Any], codes: Iterable[str]) -> dict[str, Outline]:
    """The outlines of the given countries that the boundaries hold, by code."""
    found = shapes(topology)
    made = {}
    for code in sorted(set(codes)):
        if code in found:
            drawn = outline(code, found[code])
            if drawn is not None:
                made[code] = drawn
    return made


def label(country: str, city: str | None, placed: bool) -> str:
    """The locator map's text alternative: "Lund in Sweden", or what it shows without a dot; in
    the current language."""
    if not placed:
        # Translators: a cluster page's locator map, its country's outline without a dot.
        return i18n.gettext("Map of {country}").format(country=country)
    if city:
        # Translators: a cluster page's locator map, a dot where the cluster is: "Lund in Sweden".
        return i18n.gettext("{city} in {country}").format(city=city, country=country)
    # Translators: a cluster page's locator map, a dot where the cluster is, its city not known.
    return i18n.gettext("The cluster's location in {country}").format(country=country)
