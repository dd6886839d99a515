"""The orchestrator: records to a Markdown tree to a site, one stage a line.

Nothing is written until everything is known; the output folder is replaced only when MkDocs
succeeded, so a failed build leaves the previous site exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

from generator.build.finish import after_files, finish
from generator.build.processes import python_module, run_tool
from generator.build.progress import Progress
from generator.build.project import (
    CONTENT,
    Project,
    check_project,
    load_boundary_files,
    static_files,
    vendor_files,
)
from generator.build.publish import SITE_MARKER, output_problem, scratch_folder, swap_in
from generator.build.settings import read_settings, tree_config
from generator.build.writer import write_tree
from generator.core.dates import iso_day
from generator.core.errors import BuildFailed, BuildInterrupted, ValidationFailed, shown
from generator.core.output import OutputFile
from generator.core.words import build_summary
from generator.labels.rules import load_rules, load_sectors
from generator.records.catalog import Catalog, load_catalog
from generator.records.places import positions
from generator.site.directory import Directory, build_directory
from generator.site.footer import site_footer, theme_values
from generator.site.mapview import map_data, map_files, map_page
from generator.site.pages import render_site
from generator.site.shell import PAGES_FILE, pages_text
from generator.site.sitemap import sitemap_files

MKDOCS_ENV = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


@dataclass(frozen=True, slots=True)
class Generated:
    """A generated build tree, as files, with the catalog and directory it came from."""

    catalog: Catalog
    directory: Directory
    files: tuple[OutputFile, ...]
    site_url: str = ""  # the site's address, as the settings and --site-url gave it


def generate(
    project: Project,
    data_dir: Path,
    as_of: dt.date,
    strict: bool,
    progress: Progress,
    site_url: str | None = None,
) -> Generated:
    """Check the records and render the whole build tree in memory; raise on record errors."""
    rules, sectors = load_rules(), load_sectors()
    check_project(project)  # every link out, FIFO or device in mkdocs.yml and site_templates/
    progress.stage(f"Checking the records in {shown(data_dir, None, quoted=False)}")
    catalog = load_catalog(data_dir, rules, sectors, as_of, strict)
    if catalog.failed(strict):
        raise ValidationFailed(catalog.diagnostics)
    if catalog.files == 0:
        # An empty folder is a mistake (a wrong --data, a checkout gone wrong), not a site.
        raise BuildFailed(f"no record files under {shown(data_dir, None)}: nothing was built")
    progress.stage(f"Working out every label as of {iso_day(as_of)}")
    directory = build_directory(catalog.clusters, rules, as_of)
    settings = read_settings(project, site_url)
    footer = site_footer(settings.site, as_of)
    progress.stage("Drawing the map")
    # Every cluster's position: the map marks the labelled ones, each cluster page its own.
    where = positions(entry.cluster for entry in directory.entries)
    boundaries, boundary_files = load_boundary_files(project.templates / "data")
    data = map_data(directory, boundaries, where)
    progress.stage("Writing pages")
    pages, cluster_pages = render_site(
        project.templates / "pages",
        directory,
        settings.site,
        sectors,
        progress.bar,
        settings.map,
        map_page(data, settings.map),
        boundaries,
        where,
    )
    pages += map_files(data, settings.map, boundary_files, settings.site) + vendor_files()
    files = [
        OutputFile("mkdocs.yml", tree_config(settings, rules, theme_values(footer))),
        OutputFile(PAGES_FILE, pages_text(cluster_pages)),
        *static_files(project),
        *(OutputFile(f"{CONTENT}/{f.path}", f.data) for f in pages),
        *after_files(sitemap_files(directory, [f.path for f in pages], settings.site.site_url)),
    ]
    return Generated(catalog, directory, tuple(files), settings.site.site_url)


def source_date_epoch(as_of: dt.date) -> str:
    """The as-of date as SOURCE_DATE_EPOCH, so MkDocs's dates come from it, not the clock.

    MkDocs writes it into a gzip header, which holds 32 bits: dates after 2106-02-07 (the
    directory's dates run to 2199) are held at that limit rather than failing the build.
    """
    moment = int(dt.datetime(as_of.year, as_of.month, as_of.day, tzinfo=dt.UTC).timestamp())
    return str(min(moment, 2**32 - 1))


_FRAME = re.compile(r'\s*File "(.+)", line ([0-9]+), in ')
_EXCEPTION = re.compile(r"([A-Za-z_][\w.]*): (.+)")


def _template_failure(output: list[str], tree: Path, overrides: Path) -> str | None:
    """A theme override's error in MkDocs's traceback, as the override's file and line in the
    project (the tree holds a copy, gone with the scratch folder), or None if it holds none."""
    # The tree may be reached through /proc/self/fd/N (publish.scratch_folder): MkDocs names the
    # files as it was given them, or as their real path.
    copies = {
        os.path.join(os.path.abspath(tree / "overrides"), ""),
        os.path.join(os.path.realpath(tree / "overrides"), ""),
    }
    where = None
    for line in output:
        frame = _FRAME.match(line)
        copied = frame and next(
            (c for c in copies if os.path.abspath(frame[1]).startswith(c)), None
        )
        if frame and copied:
            where = f"{overrides / os.path.relpath(frame[1], copied)}:{frame[2]}"
    last = next((found for ln in reversed(output) if (found := _EXCEPTION.fullmatch(ln))), None)
    if where is None or last is None:
        return None
    kind, message = last[1], last[2]
    if kind.startswith("jinja2."):
        return f"{where}: {message}"
    return f"{where}: error in the template: {message} ({kind.rsplit('.', 1)[-1]})"


def run_mkdocs(tree: Path, site: Path, as_of: dt.date, overrides: Path | None = None) -> None:
    """Run `mkdocs build --strict` on a build tree; raise BuildFailed with its complaints (an
    error in a theme override as the file and line in `overrides`, where the tree's came from)."""
    env = {**os.environ, **MKDOCS_ENV, "SOURCE_DATE_EPOCH": source_date_epoch(as_of)}
    command = python_module(
        "mkdocs",
        "build",
        "--strict",
        "--config-file",
        str(tree / "mkdocs.yml"),
        "--site-dir",
        str(site),
    )
    result = run_tool(command, env)
    if result.returncode != 0:
        output = (result.stdout + result.stderr).splitlines()
        failure = _template_failure(output, tree, overrides) if overrides else None
        if failure:
            raise BuildFailed(failure)
        lines = [ln for ln in output if "WARNING" in ln or "ERROR" in ln or "Error" in ln]
        raise BuildFailed(
            "MkDocs failed: "
            + (
                "; ".join(lines[:10])
                or (output[-1] if output else f"exit code {result.returncode}")
            )
        )


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def check_output_place(project: Project, data_dir: Path, out: Path) -> Path:
    """The output folder as a resolved path; raise when it lies inside the records or the site
    templates, or holds them (a build or a tree there would be read as records or templates)."""
    out = out.absolute().resolve()
    for inside, what in ((data_dir, "the records"), (project.templates, "the site templates")):
        if out.is_relative_to(inside.resolve()):
            raise BuildFailed(f"refusing to build into {shown(out, None)}: it lies inside {what}")
    if data_dir.resolve().is_relative_to(out) or project.root.resolve().is_relative_to(out):
        raise BuildFailed(
            f"refusing to build into {shown(out, None)}: it holds the records or the project"
        )
    return out


def _output_folder(project: Project, data_dir: Path, out: Path) -> Path:
    """The output folder as an absolute path; raise when a build may not replace it."""
    problem = output_problem(out.absolute())
    if problem:
        raise BuildFailed(problem)
    return check_output_place(project, data_dir, out)


# Said after a build for publishing that does not know the site's address: what the site then
# lacks. (The pages once said it to visitors; it is the builder's to know.)
NO_SITE_ADDRESS = (
    "the site's address is not set (site_url in mkdocs.yml, --site-url or $SITE_URL): the"
    " badge snippets on cluster pages start at the site's root, and the site has no sitemap.xml,"
    " robots.txt or canonical addresses"
)


def build(
    project: Project,
    data_dir: Path,
    out: Path,
    as_of: dt.date,
    strict: bool,
    progress: Progress,
    site_url: str | None = None,
    publishing: bool = True,
) -> str:
    """Build the site into `out`; return the one-line summary. A build for publishing (not the
    preview's) warns when it does not know the site's address.

    Ctrl-C or a termination signal at any moment raises BuildInterrupted, which says whether
    the new site was already in place; the scratch folder goes either way.
    """
    out = _output_folder(project, data_dir, out)
    swapped: list[bool] = []  # swap_in marks it while signals are held, so it is never a guess
    try:
        generated = generate(project, data_dir, as_of, strict, progress, site_url)
        with scratch_folder(out, progress.warn) as scratch:
            write_tree(scratch / "tree", generated.files)
            progress.stage("Building the site with MkDocs")
            run_mkdocs(scratch / "tree", scratch / "site", as_of, project.templates / "overrides")
            progress.stage("Making the cluster pages and the search index")
            finish(scratch / "tree", scratch / "site")
            write_tree(
                scratch / "site",
                [OutputFile(SITE_MARKER, b"This folder was built by clusterdir build.\n")],
            )
            swap_in(scratch / "site", out, scratch, swapped)
    except KeyboardInterrupt:
        raise BuildInterrupted(str(out), bool(swapped)) from None
    if publishing and not generated.site_url:
        progress.warn(NO_SITE_ADDRESS)
    d = generated.directory
    pages = sum(1 for f in generated.files if f.path.endswith(".md")) - 1 + len(d.entries)
    return build_summary(
        shown(out.name, None, quoted=False),
        as_of,
        d.headline.clusters,
        d.headline.countries,
        pages,
        _size(out) / 1e6,
        progress.elapsed(),
    )
