"""The project's own files: where the configuration and templates live, and the readers of the
files a build copies or checks as they are (theme overrides and assets, the map's country
boundaries, Leaflet from its PyPI packages)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import ConfigError, shown
from generator.output import OutputFile

CONTENT = "content"  # the docs_dir of the build tree, as mkdocs.yml names it
VENDOR = "assets/vendor"
# Detailed and overview shapes (scripts/boundaries/make_boundaries.mjs writes both), served
# beside the map page.
DETAIL_SHAPES = "countries.topo.json"
OVERVIEW_SHAPES = "countries-overview.topo.json"
BOUNDARY_FILES = (DETAIL_SHAPES, OVERVIEW_SHAPES)


@dataclass(frozen=True, slots=True)
class Project:
    """Where the site's configuration and templates live."""

    root: Path

    @property
    def config(self) -> Path:
        """The MkDocs configuration copied into each build tree."""
        return self.root / "mkdocs.yml"

    @property
    def templates(self) -> Path:
        """The site templates folder."""
        return self.root / "site_templates"


def static_files(project: Project) -> list[OutputFile]:
    """The files a build tree holds as they are: the theme overrides and the site's assets."""
    files = []
    for source, target in (("overrides", "overrides"), ("assets", f"{CONTENT}/assets")):
        folder = project.templates / source
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            try:
                data = path.read_bytes()
            except OSError as exc:
                named = shown(path, None, quoted=False)
                raise ConfigError(f"cannot read {named}: {exc.strerror}") from None
            files.append(OutputFile(f"{target}/{path.relative_to(folder).as_posix()}", data))
    return files


def vendor_files() -> list[OutputFile]:
    """Leaflet and Leaflet.markercluster from their PyPI packages, to be served by the site."""
    from xstatic.pkg import leaflet, leaflet_markercluster

    wanted = [
        (Path(leaflet.BASE_DIR), "leaflet", ["leaflet.js", "leaflet.css"]),
        (
            Path(leaflet_markercluster.BASE_DIR),
            "leaflet.markercluster",
            ["leaflet.markercluster.js", "MarkerCluster.css"],
        ),
    ]
    files = [
        OutputFile(f"{VENDOR}/{target}/{name}", (base / name).read_bytes())
        for base, target, names in wanted
        for name in names
    ]
    images = Path(leaflet.BASE_DIR) / "images"
    files += [
        OutputFile(f"{VENDOR}/leaflet/images/{p.name}", p.read_bytes())
        for p in sorted(images.glob("*.png"))
    ]
    return files


def _is_topology(data: Any) -> bool:
    """Whether data is TopoJSON with a 'countries' object of named shapes over existing arcs."""
    try:
        arcs = len(data["arcs"])
        shapes = data["objects"]["countries"]["geometries"]
        if data["type"] != "Topology" or not data["transform"]["scale"]:
            return False
        for shape in shapes:
            props = shape["properties"]
            if shape["type"] not in ("Polygon", "MultiPolygon") or not (
                isinstance(props["iso2"], str) and props["name"]
            ):
                return False
            polygons = [shape["arcs"]] if shape["type"] == "Polygon" else shape["arcs"]
            # A negative index is an arc read backwards (~i): every index must name an arc.
            if not all(-arcs <= i < arcs for poly in polygons for ring in poly for i in ring):
                return False
    except (KeyError, TypeError, IndexError):
        return False
    return True


def _read_boundaries(path: Path) -> tuple[dict[str, Any], bytes]:
    """A committed boundary file, parsed and checked, with its bytes as they are."""
    try:
        raw = path.read_bytes()
        data = json.loads(raw.decode("utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(
            f"cannot read the country boundaries {shown(path, None, quoted=False)}:"
            f" {shown(exc, None, quoted=False)}"
        ) from None
    if not _is_topology(data):
        raise ConfigError(
            f"{shown(path, None, quoted=False)}: expected TopoJSON with a 'countries' object of country shapes "
            "(regenerate it with scripts/boundaries/make_boundaries.sh)"
        )
    return data, raw


def load_boundaries(path: Path) -> dict[str, Any]:
    """The committed country boundaries: TopoJSON whose shapes carry iso2 and name."""
    return _read_boundaries(path)[0]


def load_boundary_files(folder: Path) -> tuple[dict[str, Any], dict[str, bytes]]:
    """Both committed sets of shapes, checked to hold the same countries: (detailed, raw files)."""
    read = {name: _read_boundaries(folder / name) for name in BOUNDARY_FILES}
    codes = [
        [shape["properties"]["iso2"] for shape in data["objects"]["countries"]["geometries"]]
        for data, _ in read.values()
    ]
    if codes[0] != codes[1]:
        raise ConfigError(
            f"{shown(folder, None, quoted=False)}: {' and '.join(BOUNDARY_FILES)} hold different"
            " countries"
        )
    return read[DETAIL_SHAPES][0], {name: raw for name, (_, raw) in read.items()}
