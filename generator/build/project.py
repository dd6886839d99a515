"""The project's own files: where the configuration and templates live, and the readers of the
files a build copies or checks as they are (theme overrides and assets, the map's country
boundaries, Leaflet from its PyPI packages).

Every file of `mkdocs.yml` and `site_templates/` is read as records are (reader.py): a regular
file only, under the records' size limit, and a link only when it leads to a regular file
inside the folder the file belongs to: `site_templates/` for the templates, overrides, assets
and boundaries, the project's folder for `mkdocs.yml`. So a link inside `site_templates/` (an
asset under a second name) is allowed, while a link out of it is an error even when it stays
in the project: the project's folder also holds files never meant for the site (`.env`,
`.git/config`, drafts), and `assets/x -> ../../.env` would publish them. A link to a FIFO, a
device or `/proc` is an error too; nothing of a refused file is read, so no page or message
can show it. `check_project` finds every such file before a build reads any of them.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.core.errors import ConfigError, Diagnostic, FilesRefused, Severity, shown
from generator.core.output import OutputFile
from generator.records.reader import (
    MAX_BYTES,
    PROJECT_FILE,
    TEMPLATES_NAME,
    UnreadableFile,
    check_file,
    find_files,
    read_project_file,
)
from generator.site.mapview import BOUNDARY_FILES, DETAIL_SHAPES, VENDOR

CONTENT = "content"  # the docs_dir of the build tree, as mkdocs.yml names it


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


PROJECT_NAME = "the project"


def _problem(path: Path | str, message: str) -> Diagnostic:
    return Diagnostic(str(path), 1, 1, Severity.ERROR, message)


def _templates_problem(project: Project) -> Diagnostic | None:
    """A problem with the site templates folder itself: a link out of the project, not a folder."""
    folder = project.templates
    real = os.path.realpath(folder)
    root = os.path.realpath(project.root)
    if not (real == root or real.startswith(root.rstrip(os.sep) + os.sep)):
        return _problem(folder, "a link to a folder outside the project is not followed")
    if not os.path.isdir(real):
        return _problem(folder, "no site templates folder here")
    return None


def check_project(project: Project) -> None:
    """Raise FilesRefused naming every file of mkdocs.yml and site_templates/ that a build may not
    read (see the module's docstring); nothing of any file is read."""
    problems: list[Diagnostic] = []
    try:
        check_file(project.config, project.root, MAX_BYTES, PROJECT_NAME, PROJECT_FILE)
    except UnreadableFile as exc:
        problems.append(_problem(project.config, str(exc)))
    folder_problem = _templates_problem(project)
    if folder_problem is not None:
        problems.append(folder_problem)
    else:
        files, found = find_files(project.templates, TEMPLATES_NAME)
        problems += found
        inside = project.templates.resolve()
        for path in files:
            try:
                check_file(path, inside, MAX_BYTES, TEMPLATES_NAME, PROJECT_FILE)
            except UnreadableFile as exc:
                problems.append(_problem(path, str(exc)))
    if problems:
        raise FilesRefused(tuple(sorted(problems, key=Diagnostic.sort_key)), "the project's files")


def static_files(project: Project) -> list[OutputFile]:
    """The files a build tree holds as they are: the theme overrides and the site's assets.

    MkDocs reads the overrides from the build tree, so it sees these checked copies only.
    """
    files = []
    inside = project.templates.resolve()
    for source, target in (("overrides", "overrides"), ("assets", f"{CONTENT}/assets")):
        folder = project.templates / source
        paths, problems = find_files(folder, TEMPLATES_NAME)
        if os.path.islink(folder):  # os.walk would follow it
            problems.insert(0, _problem(folder, "a link to a folder is not followed"))
        if problems:  # check_project found it first, unless the folder changed since
            raise ConfigError(problems[0].format())
        for path in paths:
            data = read_project_file(path, inside)
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
    # The boundaries live in site_templates/data/: a link must stay in site_templates/.
    raw = read_project_file(path, path.parent.parent.resolve())
    try:
        data = json.loads(raw.decode("utf-8"))
    except ValueError as exc:
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
