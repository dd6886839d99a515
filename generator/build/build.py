"""The orchestrator: records to a Markdown tree to a site, one stage a line.

Nothing is written until everything is known; the output folder is replaced only when MkDocs
succeeded, so a failed build leaves the previous site exactly as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import queue
import subprocess
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import jinja2

from generator.build.engine import MKDOCS_ENV as MKDOCS_ENV  # also for callers of build.py
from generator.build.engine import Engine
from generator.build.engine import run_mkdocs as run_mkdocs
from generator.build.engine import source_date_epoch as source_date_epoch
from generator.build.finish import (
    OnDemand,
    Pages,
    after_files,
    check_folders,
    finish_edition,
    place_after_files,
    slim_folder,
)
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
from generator.build.search import (
    Searched,
    index_language,
    search_done,
    slim_place,
    start_language,
)
from generator.build.settings import (
    Settings,
    engine_settings,
    language_folder,
    read_settings,
    tree_config,
)
from generator.build.writer import write_tree
from generator.core import i18n
from generator.core.dates import iso_day
from generator.core.errors import BuildFailed, BuildInterrupted, ValidationFailed, shown
from generator.core.output import OutputFile
from generator.core.words import build_summary
from generator.labels.rules import Rules, load_rules, load_sectors
from generator.records.catalog import Catalog, RecordCache, load_catalog
from generator.records.places import Position, positions
from generator.site.directory import Directory, StatusCache, build_directory
from generator.site.footer import site_footer, theme_values
from generator.site.htmlbody import BodyRenderer, PageShell, check_links, page_shell
from generator.site.mapview import FRAME_FILE, map_data, map_files, map_frame, map_page
from generator.site.pages import (
    ClusterPageCache,
    each_cluster_page,
    render_cluster_pages,
    site_renderer,
    template_environment,
)
from generator.site.shell import (
    PAGES_FILE,
    SHELL_ID,
    SITE_PAGES_FILE,
    ClusterPage,
    SitePage,
    pages_text,
    site_pages_text,
)
from generator.site.siteconfig import EngineSettings, SiteSettings
from generator.site.sitemap import sitemap_files


@dataclass(frozen=True, slots=True)
class Edition:
    """One language's part of a generated tree: its tree files (from its own folder of the tree:
    the tree's root for English, `de/` for German), the pages finish fills in (`pages`), and
    the Markdown pages as the templates rendered them (`markdown`, before they became shells)."""

    code: str
    files: tuple[OutputFile, ...]
    pages: Pages
    markdown: tuple[OutputFile, ...]
    # Renders the cluster pages, one at a time, with a progress bar, when they were left for
    # later (the engine runs meanwhile).
    rest: Callable[[], Iterator[ClusterPage]] | None = field(
        default=None, compare=False, repr=False
    )
    ids: tuple[str, ...] = ()  # the cluster pages' ids, in order, when they were left for later

    @property
    def folder(self) -> str:
        """Its folder in the tree and in the site: '' for English, 'de/' for German."""
        return language_folder(self.code)

    def complete(self) -> Edition:
        """The edition with its cluster pages rendered, if they were left for later."""
        if self.rest is None:
            return self
        clusters = tuple(self.rest())
        return replace(self, pages=Pages(clusters, self.pages.others), rest=None)

    def handed(self, stream: PageStream) -> Edition:
        """The edition as the thread that fills it gets it once its tree is written: its
        cluster pages as `stream` hands them over while they are rendered (a language's weigh
        85 MB or more at 10,000 clusters), its tree files and Markdown let go."""
        pages = Pages(OnDemand(self.ids, lambda: iter(stream)), self.pages.others)
        return replace(self, files=(), markdown=(), pages=pages, rest=None)

    @property
    def page_count(self) -> int:
        """How many pages it has (its cluster pages rendered or not)."""
        clusters = len(self.ids) if self.rest is not None else len(self.pages.clusters)
        return len(self.pages.others) + clusters

    @property
    def tree_files(self) -> tuple[OutputFile, ...]:
        """Its files and its pages files, from its folder of the tree."""
        return (
            *self.files,
            OutputFile(PAGES_FILE, pages_text(self.pages.clusters)),
            OutputFile(SITE_PAGES_FILE, site_pages_text(self.pages.others)),
        )


@dataclass(frozen=True, slots=True)
class Generated:
    """A generated build tree, as files, with the catalog and directory it came from: one
    edition per language (English first, at the tree's root; each other one in its folder),
    what the engine reads (`engine_files`), the pages finish fills in (`pages`), and the
    Markdown pages as the templates rendered them (`markdown`), of English."""

    catalog: Catalog
    directory: Directory
    editions: tuple[Edition, ...]  # rendered so far, English first
    site_url: str = ""  # the site's address, as the settings and --site-url gave it
    # The files at the site's root that the other languages' pages link (the downloads).
    shared: frozenset[str] = frozenset()
    # The other languages' editions when generate left them for later: each renders its edition
    # (`publish` renders one while the engine builds the one before it).
    later: tuple[Callable[[], Edition], ...] = field(default=(), compare=False, repr=False)
    # How many pages publish made, in every language (a build that keeps nothing keeps no
    # edition to count them by).
    made: int = 0

    def complete(self) -> Generated:
        """The tree with every edition and its cluster pages rendered."""
        editions = [edition.complete() for edition in self.editions]
        editions += [make().complete() for make in self.later]
        return replace(self, editions=tuple(editions), later=())

    @property
    def page_count(self) -> int:
        """How many pages it has, in every language: those publish made, or else those of its
        editions."""
        return self.made or sum(edition.page_count for edition in self.editions)

    @property
    def pages(self) -> Pages:
        """The English pages that finish fills in."""
        return self.editions[0].pages

    @property
    def markdown(self) -> tuple[OutputFile, ...]:
        """The English Markdown pages as the templates rendered them."""
        return self.editions[0].markdown

    @property
    def engine_files(self) -> tuple[OutputFile, ...]:
        """What the engines read: every edition's files, each under its folder."""
        return tuple(
            OutputFile(edition.folder + f.path, f.data) if edition.folder else f
            for edition in self.editions
            for f in edition.files
        )

    @property
    def files(self) -> tuple[OutputFile, ...]:
        """The whole tree, the pages files included, for `generate` and other engines."""
        return tuple(
            OutputFile(edition.folder + f.path, f.data)
            for edition in self.editions
            for f in edition.tree_files
        )


@dataclass(slots=True)
class EditionCaches:
    """What the preview keeps of one language: each cluster page and each page's shell."""

    clusters: ClusterPageCache = field(default_factory=ClusterPageCache)
    shells: ShellCache = field(default_factory=lambda: ShellCache())


@dataclass(slots=True)
class Caches:
    """What the preview keeps from one build to the next, so that a change costs what it
    touches: each record file's reading, each status, and in each language each cluster page
    and each page's shell."""

    records: RecordCache = field(default_factory=RecordCache)
    statuses: StatusCache = field(default_factory=StatusCache)
    editions: dict[str, EditionCaches] = field(default_factory=dict)

    def edition(self, code: str) -> EditionCaches:
        """The caches of a language's pages."""
        return self.editions.setdefault(code, EditionCaches())


@dataclass(frozen=True, slots=True)
class Records:
    """The checked records and the directory made of them, with the rules and sectors used."""

    catalog: Catalog
    directory: Directory
    rules: Rules
    sectors: tuple[str, ...]


def read_records(
    project: Project,
    data_dir: Path,
    as_of: dt.date,
    strict: bool,
    progress: Progress,
    caches: Caches | None = None,
    changed: set[Path] | None = None,
) -> Records:
    """Check the records and make the directory; raise on record errors. `changed` names the
    files that changed since the last call with the same caches (the preview's watcher)."""
    rules, sectors = load_rules(), load_sectors()
    check_project(project)  # every link out, FIFO or device in mkdocs.yml and site_templates/
    progress.stage(f"Checking the records in {shown(data_dir, None, quoted=False)}")
    catalog = load_catalog(
        data_dir, rules, sectors, as_of, strict, caches.records if caches else None, changed
    )
    if catalog.failed(strict):
        raise ValidationFailed(catalog.diagnostics)
    if catalog.files == 0:
        # An empty folder is a mistake (a wrong --data, a checkout gone wrong), not a site.
        raise BuildFailed(f"no record files under {shown(data_dir, None)}: nothing was built")
    progress.stage(f"Working out every label as of {iso_day(as_of)}")
    directory = build_directory(catalog.clusters, rules, as_of, caches.statuses if caches else None)
    return Records(catalog, directory, rules, sectors)


def generate(
    project: Project,
    data_dir: Path,
    as_of: dt.date,
    strict: bool,
    progress: Progress,
    site_url: str | None = None,
    caches: Caches | None = None,
    clusters_later: bool = False,
) -> Generated:
    """Check the records and render the whole build tree in memory; raise on record errors.
    With `clusters_later`, the cluster pages are rendered by `Generated.complete`."""
    records = read_records(project, data_dir, as_of, strict, progress, caches)
    return render_tree(project, records, progress, site_url, caches, clusters_later)


def render_tree(
    project: Project,
    records: Records,
    progress: Progress,
    site_url: str | None = None,
    caches: Caches | None = None,
    clusters_later: bool = False,
) -> Generated:
    """Render the whole build tree in memory from checked records: English, then each other
    language of the settings (with `clusters_later`, the cluster pages and the other languages
    by `Generated.complete`, or one by one by `publish`)."""
    settings = read_settings(project, site_url)
    progress.stage("Drawing the map")
    # Every cluster's position: the map marks the labelled ones, each cluster page its own.
    where = positions(entry.cluster for entry in records.directory.entries)
    boundaries, boundary_files = load_boundary_files(project.templates / "data")
    parts = _Parts(
        project, records, settings, where, boundaries, boundary_files,
        template_environment(project.templates / "pages"), static_files(project), progress,
        caches, clusters_later,
    )  # fmt: skip
    english, shared = _render_edition(parts, i18n.SOURCE_LANGUAGE)
    later = tuple(
        partial(_translated_edition, parts, code, shared)
        for code in settings.site.languages
        if code != i18n.SOURCE_LANGUAGE
    )
    generated = Generated(
        records.catalog, records.directory, (english,), settings.site.site_url, shared, later
    )
    return generated if clusters_later else generated.complete()


@dataclass(frozen=True, slots=True)
class _Parts:
    """What every language's tree is made of, read or worked out once."""

    project: Project
    records: Records
    settings: Settings
    where: dict[str, Position | None]
    boundaries: dict[str, Any]
    boundary_files: dict[str, bytes]
    env: jinja2.Environment
    static: list[OutputFile]  # the overrides (once, at the tree's root) and the assets
    progress: Progress
    caches: Caches | None
    clusters_later: bool


def language_site(site: SiteSettings, code: str) -> SiteSettings:
    """The site's settings as the pages of a language see them: its code, its folder and the
    site's name in it (called while the language is current)."""
    if code == i18n.SOURCE_LANGUAGE:
        return site
    return replace(
        site, language=code, folder=language_folder(code), site_name=i18n.gettext(site.site_name)
    )


def _translated_edition(parts: _Parts, code: str, shared: frozenset[str]) -> Edition:
    return _render_edition(parts, code, shared)[0]


def _render_edition(
    parts: _Parts, code: str, shared: frozenset[str] | None = None
) -> tuple[Edition, frozenset[str]]:
    """One language's tree, and the paths of the files that exist once for the whole site (the
    downloads, the map's shapes and markers: made with English, at the root). A language other
    than English (its pages in its folder) links those at the root: `shared`."""
    english = code == i18n.SOURCE_LANGUAGE
    language = i18n.language(code)
    records, settings, progress = parts.records, parts.settings, parts.progress
    directory, rules = records.directory, records.rules
    caches = parts.caches.edition(code) if parts.caches else None
    cache = caches.clusters if caches else None
    if not english:
        name = language.locale.get_display_name(i18n.SOURCE_LANGUAGE)
        progress.stage(f"Writing the pages in {name}")
    with i18n.speaking(language):
        site = language_site(settings.site, code)
        footer = site_footer(site, directory.as_of)
        data = map_data(directory, parts.boundaries, parts.where)
        the_map = map_page(data, settings.map, site)
        if english:
            progress.stage("Writing pages")
        renderer = site_renderer(
            parts.project.templates / "pages", directory, site, records.sectors, settings.map,
            the_map, parts.boundaries, parts.where, parts.env, shared or frozenset(),
        )  # fmt: skip
        pages = renderer.language_files(records.sectors)
        neutral: list[OutputFile] = []
        if english:
            neutral = renderer.neutral_files()
            pages += neutral
            made = map_files(data, settings.map, parts.boundary_files, site)
            # The framed map is the language's; the shapes and markers are every language's.
            neutral += [f for f in made if f.path != f"map/{FRAME_FILE}"]
            pages += made
            # The site's assets (our scripts and styles, Leaflet) exist once, at the root too.
            neutral += [f for f in parts.static if f.path.startswith(f"{CONTENT}/")]
            vendor = vendor_files()
            neutral += vendor
            pages += vendor
        else:
            pages.append(map_frame(data, settings.map, site))
        clusters = (
            [] if parts.clusters_later else render_cluster_pages(renderer, progress.bar, cache)
        )
        # The overrides and assets once, at the tree's root: every language's mkdocs.yml reads
        # the overrides there, and its pages link the assets there.
        static = parts.static if english else []
        shells, others = page_shells(
            pages, static, engine_settings(settings, rules), caches.shells if caches else None,
            shared,
        )  # fmt: skip
        files = [
            OutputFile("mkdocs.yml", tree_config(settings, rules, theme_values(footer), code)),
            *static,
            *(OutputFile(f"{CONTENT}/{f.path}", f.data) for f in shells),
        ]
        if english:
            files += after_files(
                sitemap_files(
                    directory, [f.path for f in pages], site.site_url, languages=site.languages
                )
            )
    markdown = tuple(f for f in pages if f.path.endswith(".md"))

    def rest() -> Iterator[ClusterPage]:
        # The language is set while each page renders, not across a yield: the pages may be
        # given up half-way (a build that stops), and the language must not stay set.
        pages = each_cluster_page(renderer, progress.bar, cache)
        while True:
            with i18n.speaking(language):
                page = next(pages, None)
            if page is None:
                return
            yield page

    edition = Edition(
        code,
        tuple(files),
        Pages(tuple(clusters), others),
        markdown,
        rest if parts.clusters_later else None,
        tuple(entry.cluster.id for entry in directory.entries) if parts.clusters_later else (),
    )
    return edition, frozenset(f.path.removeprefix(f"{CONTENT}/") for f in neutral)


@dataclass(slots=True)
class ShellCache:
    """The shells of the pages rendered before, by (Markdown path, whether in the navigation,
    the page's Markdown), for the content folder they were rendered with (their links were
    checked against it): the preview keeps one, so that only changed pages are rendered again."""

    engine: EngineSettings | None = None
    content: frozenset[str] = frozenset()
    shared: frozenset[str] | None = None
    shells: dict[tuple[str, bool, bytes], PageShell] = field(default_factory=dict)


def page_shells(
    pages: list[OutputFile],
    static: list[OutputFile],
    engine: EngineSettings,
    cache: ShellCache | None = None,
    shared: frozenset[str] | None = None,
) -> tuple[list[OutputFile], tuple[SitePage, ...]]:
    """The content folder with each Markdown page made the shell the engine renders, and what
    fills each shell (its body rendered here, as the engine would: htmlbody.py). The pages of a
    translated tree link `shared`, the files at the site's root, one folder up."""
    prefix = f"{CONTENT}/"
    content = {f.path for f in pages} | {
        f.path.removeprefix(prefix) for f in static if f.path.startswith(prefix)
    }
    if cache is not None and (
        cache.content != content or cache.engine != engine or cache.shared != shared
    ):
        cache.engine, cache.content, cache.shared, cache.shells = (
            engine, frozenset(content), shared, {}
        )  # fmt: skip
    renderer: BodyRenderer | None = None
    cluster_shell = f"clusters/{SHELL_ID}.md"
    files: list[OutputFile] = []
    made: dict[str, PageShell] = {}
    fresh: dict[tuple[str, bool, bytes], PageShell] = {}
    for file in pages:
        if not file.path.endswith(".md") or file.path == cluster_shell:
            files.append(file)
            continue
        in_nav = engine.nav is None or file.path in engine.nav
        key = (file.path, in_nav, file.data)
        found = cache.shells.get(key) if cache is not None else None
        if found is None:
            renderer = renderer or BodyRenderer(engine, frozenset(content), shared or frozenset())
            found = page_shell(renderer, file.path, file.data.decode("utf-8"), in_nav)
        fresh[key] = found
        made[file.path] = found
        files.append(OutputFile(file.path, found.shell.encode("utf-8")))
    if cache is not None:  # what is no longer rendered goes
        cache.shells = fresh
    check_links(engine, {path: shell.body for path, shell in made.items()})
    return files, tuple(shell.page for shell in made.values())


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
    try:
        generated = generate(
            project, data_dir, as_of, strict, progress, site_url, clusters_later=True
        )
    except KeyboardInterrupt:
        raise BuildInterrupted(str(out), False) from None
    generated = publish(project, generated, out, as_of, progress, keep=False)
    if publishing and not generated.site_url:
        progress.warn(NO_SITE_ADDRESS)
    return summary(generated, out, as_of, progress)


def summary(generated: Generated, out: Path, as_of: dt.date, progress: Progress) -> str:
    """The one-line summary of a build."""
    d = generated.directory
    return build_summary(
        shown(out.name, None, quoted=False),
        as_of,
        d.headline.clusters,
        d.headline.countries,
        generated.page_count,
        progress.elapsed(),
    )


def publish(
    project: Project,
    generated: Generated,
    out: Path,
    as_of: dt.date,
    progress: Progress,
    rendered: Callable[[Edition, Path], None] | None = None,
    search: Path | None = None,
    background: bool = False,
    keep: bool = True,
) -> Generated:
    """Run the engine on a generated tree, once per language, finish its site and swap it in
    at `out`; return the tree with every edition and its cluster pages (rendered while the
    engine runs, if generate left them), or, when not to `keep` them, with none (each
    language's cluster pages are then handed to the filler as they are rendered, AHEAD at most
    waiting, and each language is let go once written).

    The engine builds one language while Python renders the next one and a thread fills the
    one before (two cores at work); each language's site is built into a folder of its own (the engine
    empties the folder it builds into) and then moved to its folder of the site; Pagefind runs
    per language, in turn. `rendered` is shown each language's site as the engine built it,
    before finish fills it (the preview keeps the shells); `search` keeps the slim pages the
    search index is made of; with `background`, the old site is removed on a thread of its own
    (the preview goes on serving meanwhile). Ctrl-C or a termination signal raises
    BuildInterrupted, which says whether the new site was already in place.
    """
    swapped: list[bool] = []  # swap_in marks it while signals are held, so it is never a guess
    overrides = project.templates / "overrides"
    # The editions rendered, then those left for later, each rendered when its turn comes.
    editions: list[Edition | Callable[[], Edition]] = [*generated.editions, *generated.later]
    made = 0
    try:
        with scratch_folder(out, progress.warn, background) as scratch, slim_folder(search) as slim:
            tree, site = scratch / "tree", scratch / "site"
            done: list[Edition] = []
            codes: list[str] = []
            # One engine process builds every language's tree, each as soon as it is written.
            engine = Engine(as_of, (scratch,))
            # Each language is filled on a thread of its own (waiting for the engine's build of
            # it, then writing its pages: mostly the disk's work, which leaves the interpreter
            # free) while this thread renders its cluster pages and the next language.
            filler = ThreadPoolExecutor(max_workers=2, thread_name_prefix="clusterdir-fill")
            stop = Stop()  # the build stops early: here, in the filler or in the searcher
            jobs: queue.Queue[Edition | None] = queue.Queue()
            tasks: list[Future[Any]] = []  # the filler's and the searcher's, once submitted
            try:
                progress.stage("Building the site with MkDocs")
                indexed: queue.Queue[str | None] = queue.Queue()
                filling = filler.submit(
                    _filling, jobs, indexed, engine, tree, site, slim, overrides, rendered, stop
                )
                tasks.append(filling)
                searching = filler.submit(_searching, indexed, site, slim, stop)
                tasks.append(searching)
                while editions and not stop.is_set():
                    item = editions.pop(0)  # (not held once written, unless kept)
                    edition = item if isinstance(item, Edition) else item()
                    del item
                    write_tree(tree / edition.folder, edition.files)
                    engine.submit(tree / edition.folder, _engine_site(scratch, edition))
                    made += edition.page_count
                    codes.append(edition.code)
                    if not keep:  # written: only its pages are wanted now
                        edition = replace(edition, files=(), markdown=())
                    # Its cluster pages, rendered while the engine builds it and the filler
                    # fills the language before: all kept, or handed over as they are rendered.
                    if keep or edition.rest is None:
                        edition = edition.complete()
                        jobs.put(edition)
                        if keep:
                            done.append(edition)
                    else:
                        _hand_over(edition, jobs, stop)
                    del edition
                jobs.put(None)
                progress.stage("Making the cluster pages and the search index")
                slims = stop.result(filling)
                stop.result(searching)
            except BaseException:
                stop.set()
                engine.stop()
                raise
            finally:
                # Nothing goes on writing into the scratch folder once it is left: its threads
                # are waited for even through another Ctrl-C, which then stops the build.
                if _tasks_ended(filler, tasks, stop):
                    engine.stop()
                    raise KeyboardInterrupt
            engine.close()
            place_after_files(tree, site)
            # The languages indexed from their slim copies were indexed as they were filled; one
            # indexed from the site's own pages waits until every language is in place.
            for code, slimmed in zip(codes, slims, strict=True):
                if not slimmed:
                    index_language(site, slim, Searched(code, slimmed), codes)
            write_tree(
                site, [OutputFile(SITE_MARKER, b"This folder was built by clusterdir build.\n")]
            )
            swap_in(site, out, scratch, swapped)
    except KeyboardInterrupt:
        raise BuildInterrupted(str(out), bool(swapped)) from None
    if not keep:
        # The caller's English edition is its own; nothing else of the editions is kept.
        return replace(generated, editions=(), later=(), made=made)
    return replace(generated, editions=tuple(done), later=(), made=made)


# The most cluster pages of a language rendered and not yet written (a build that keeps
# nothing renders them while the engine builds, and then as fast as they are written): 2,000
# weigh 20 to 40 MB.
AHEAD = 2000
_END = object()  # what a PageStream's last item is
_T = TypeVar("_T")


class Stop(threading.Event):
    """Set when the build stops early, by the main thread or by the first of its threads that
    fails, whose error is the build's (the others then stop with "the build stopped")."""

    def __init__(self) -> None:
        super().__init__()
        self.first: list[BaseException] = []

    def fail(self, exc: BaseException) -> None:
        """Stop the build for `exc`, unless it stopped already."""
        if not self.is_set():
            self.first.append(exc)
        self.set()

    def result(self, future: Future[_T]) -> _T:
        """The thread's result; or else the error the build stopped for."""
        try:
            return future.result()
        except BaseException:
            if self.first:
                raise self.first[0] from None
            raise


class _Stopped(BuildFailed):
    """A side of the build gave up because another one failed (or was interrupted): that one
    says why, not this."""

    def __init__(self) -> None:
        super().__init__("the build stopped")


class PageStream:
    """Cluster pages handed from the thread that renders them to the thread that writes them,
    `room` at most at a time; either side stops once `stop` is set (the build stopped), the
    writer at once, whatever pages wait."""

    def __init__(self, room: int, stop: threading.Event) -> None:
        self._queue: queue.Queue[object] = queue.Queue(maxsize=room)
        self._stop = stop

    def put(self, page: ClusterPage | object) -> bool:
        """Hand a page over, waiting for room; False, not handing it, once the build stopped."""
        while not self._stop.is_set():
            try:
                self._queue.put(page, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def __iter__(self) -> Iterator[ClusterPage]:
        while True:
            if self._stop.is_set():
                raise _Stopped
            try:
                page = self._queue.get(timeout=0.1)
            except queue.Empty:
                if self._stop.is_set():
                    raise _Stopped from None
                continue
            if page is _END:
                return
            assert isinstance(page, ClusterPage)
            yield page


def _hand_over(edition: Edition, jobs: queue.Queue[Edition | None], stop: threading.Event) -> None:
    """Render an edition's cluster pages, handing each to the filler as it is rendered."""
    assert edition.rest is not None
    stream = PageStream(AHEAD, stop)
    jobs.put(edition.handed(stream))
    for page in edition.rest():
        if not stream.put(page):
            return
    stream.put(_END)


def _filling(
    jobs: queue.Queue[Edition | None],
    indexed: queue.Queue[str | None],
    engine: Engine,
    tree: Path,
    site: Path,
    slim: Path,
    overrides: Path,
    rendered: Callable[[Edition, Path], None] | None,
    stop: Stop,
) -> list[bool]:
    """The filler: for each language in turn, wait for the engine's build of it, fill it, and
    hand it to the searcher (through `indexed`: its code, then None at the end) when its slim
    copies were written; whether each language's slim copies were written. A failure stops
    the build."""
    slims: list[bool] = []
    try:
        while True:
            try:
                edition = jobs.get(timeout=0.1)
            except queue.Empty:
                if stop.is_set():
                    raise _Stopped from None
                continue
            if edition is None:
                return slims
            _built(engine, edition, site, overrides, rendered)
            slims.append(_fill(edition, tree, site, slim))
            if slims[-1]:
                indexed.put(edition.code)
    except BaseException as exc:
        stop.fail(exc)
        raise
    finally:
        indexed.put(None)


def _searching(indexed: queue.Queue[str | None], site: Path, slim: Path, stop: Stop) -> None:
    """The searcher: a search bundle for each language handed over, from its slim copies, one
    after the other (Pagefind holds a whole index in memory), while the next languages are
    made. A failure stops the build; a build that stops kills the Pagefind at work."""
    try:
        while (code := indexed.get()) is not None:
            running, output = start_language(site, slim, code)
            try:
                while running.process.poll() is None:
                    if stop.is_set():
                        raise _Stopped
                    with contextlib.suppress(subprocess.TimeoutExpired):
                        running.process.wait(timeout=0.1)
                search_done(running, output)
            finally:
                running.stop()
    except BaseException as exc:
        stop.fail(exc)
        raise


def _tasks_ended(
    filler: ThreadPoolExecutor, tasks: list[Future[Any]], stop: threading.Event
) -> bool:
    """Wait for the filler's tasks to end, even through Ctrl-C (which stops them); whether
    one came meanwhile. Their futures are waited for, not their threads: a Thread.join that a
    Ctrl-C interrupts marks a running thread ended (Python 3.11), and would not wait again."""
    interrupted = False
    while True:
        try:
            filler.shutdown(wait=False, cancel_futures=True)  # those not started never start
            wait(tasks)
            filler.shutdown(wait=True)
            return interrupted
        except KeyboardInterrupt:
            interrupted = True
            stop.set()


def _engine_site(scratch: Path, edition: Edition) -> Path:
    """Where the engine builds a language's site: the site itself for English, a folder of its
    own for another language (the engine empties the folder it builds into)."""
    return scratch / ("site" if not edition.folder else f"site-{edition.code}")


def _built(
    engine: Engine,
    edition: Edition,
    site: Path,
    overrides: Path,
    rendered: Callable[[Edition, Path], None] | None,
) -> None:
    """Wait for the engine's build of an edition; move a translated one into its folder of the
    site; show it to `rendered`."""
    engine.done(overrides)
    folder = site / edition.folder
    if edition.folder:
        if os.path.lexists(folder):
            raise BuildFailed(
                f"the site has a folder {edition.folder!r} of its own, where the pages in"
                f" {edition.code!r} go: nothing replaces it"
            )
        _engine_site(site.parent, edition).rename(folder)
    if rendered is not None:
        rendered(edition, folder)


def _fill(edition: Edition, tree: Path, site: Path, slim: Path) -> bool:
    """Fill a language's pages into its folder of the site; whether slim copies were written."""
    check_folders(tree / edition.folder, site / edition.folder)
    return finish_edition(site / edition.folder, edition.pages, slim_place(slim, edition.code))
