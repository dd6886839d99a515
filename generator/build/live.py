"""The preview's site, kept in memory from one change to the next, so that a change costs what
it touches rather than a whole build.

The preview keeps the checked records (each file's reading), the statuses, the rendered cluster
pages and page shells (build.Caches), the tree it served and the shells the engine rendered.
When records change, it reads only the files that changed, renders the site again from its
caches and writes, in place, only the files whose bytes changed: first the changed clusters'
pages and their countries' pages, then everything else (lists, rows.json, home, statistics,
downloads, the map, the sitemap). The engine (MkDocs) runs only when a page's shell changed (a
page came or went, its headings or its place in the navigation changed) or a template or
mkdocs.yml did. The search index follows on a thread of its own, a few seconds later.

What it serves is what a build writes: the same functions make every byte (tests/test_live.py
compares the two after each kind of change).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from generator.build.build import (
    Caches,
    Edition,
    Generated,
    Records,
    language_site,
    publish,
    read_records,
    render_tree,
)
from generator.build.finish import AFTER, SlimCopies, read_engine_page
from generator.build.progress import Progress
from generator.build.project import CONTENT, Project, load_boundary_files
from generator.build.publish import _exchange
from generator.build.search import Searched, index_language, slim_place
from generator.build.settings import engine_settings, language_folder, read_settings
from generator.build.writer import SCRATCH_PREFIX, TreeWriter, remove_tree
from generator.core import i18n
from generator.core.output import OutputFile
from generator.records.places import positions
from generator.site.htmlbody import BodyRenderer, page_address, page_shell
from generator.site.pages import site_renderer, template_environment
from generator.site.shell import SHELL_ID, ClusterPage, Shell, SitePage, fill_page, search_part

# More changed clusters than this at once (a checkout, a bulk import) skip the first pass: the
# whole site is written in one go.
FIRST_PASS_MOST = 50


@dataclass(slots=True)
class Served:
    """What the served folder holds: the tree it was made of, and the shells the engine rendered
    in each language (each page's, and the cluster pages' one), from which pages are filled
    again; by language code."""

    generated: Generated
    as_of: dt.date
    shells: dict[str, dict[str, str]]
    cluster_shell: dict[str, str]
    content: dict[str, frozenset[str]]

    def tree(self) -> dict[str, bytes]:
        """The tree's files by path."""
        return {f.path: f.data for f in self.generated.engine_files}

    def folders(self) -> frozenset[str]:
        """The folders of the languages other than English, in the tree and the site ('de/')."""
        return frozenset(e.folder for e in self.generated.editions if e.folder)


@dataclass(slots=True)
class Update:
    """What an update did: how many files it wrote or removed, and whether the engine ran."""

    written: int = 0
    engine: bool = False


def _split(path: str, folders: frozenset[str]) -> tuple[str, str]:
    """A tree file's language folder ('' for English, 'de/') and its path in that language's
    tree."""
    first, _, rest = path.partition("/")
    if rest and f"{first}/" in folders:
        return f"{first}/", rest
    return "", path


def _engine_part(path: str, folders: frozenset[str] = frozenset()) -> bool:
    """Whether a tree file is one the engine reads (anything but a content file other than a
    page, and the files that go to the site's root)."""
    path = _split(path, folders)[1]
    if path.startswith(f"{AFTER}/"):
        return False
    if path.startswith(f"{CONTENT}/"):
        return path.endswith(".md") or path.startswith(f"{CONTENT}/assets/")
    return True


@dataclass(slots=True)
class LiveSite:
    """The preview's site: built once with the engine, then kept up to date in place."""

    project: Project
    data_dir: Path
    strict: bool
    folder: Path  # what the server serves
    scratch: Path  # the preview's own folder, for the search index's slim pages
    site_url: str | None = None
    caches: Caches = field(default_factory=Caches)
    served: Served | None = None
    changed: Callable[[], None] = lambda: None  # the version goes up: pages reload
    indexed: Callable[[], None] = lambda: None  # a new search index is in place
    _search: Path | None = None
    _index_lock: threading.Lock = field(default_factory=threading.Lock)
    _index_wanted: threading.Event = field(default_factory=threading.Event)
    _index_thread: threading.Thread | None = None
    _generation: int = 0

    # -- the whole site, with the engine ------------------------------------------------------

    def build(self, as_of: dt.date, progress: Progress, fresh: bool = True) -> Generated:
        """Build the whole site with the engine and put it in place of the served one (the old
        one is removed on a thread of its own); `fresh` forgets every cache first."""
        if fresh:
            self.caches = Caches()
        records = read_records(
            self.project, self.data_dir, as_of, self.strict, progress, self.caches
        )
        # The cluster pages and the other languages are rendered while the engine runs.
        generated = render_tree(
            self.project, records, progress, self.site_url, self.caches, clusters_later=True
        )
        return self._publish(generated, as_of, progress)

    def _publish(self, generated: Generated, as_of: dt.date, progress: Progress) -> Generated:
        kept: dict[str, dict[str, str]] = {}
        cluster_shell: dict[str, str] = {}

        def rendered(edition: Edition, site: Path) -> None:
            # Read as finish reads the engine's pages: regular files only, within a size limit.
            kept[edition.code] = {
                page.path: read_engine_page(
                    site / page_address(page.path).removeprefix("./") / "index.html", site
                )
                for page in edition.pages.others
            }
            shell = site / "clusters" / SHELL_ID / "index.html"
            cluster_shell[edition.code] = read_engine_page(shell, site)

        self._generation += 1
        search = self.scratch / f"search-{self._generation}"
        with self._index_lock:  # no search index is swapped in while the site is
            try:
                generated = publish(
                    self.project, generated, self.folder, as_of, progress, rendered, search, True
                )
            except BaseException:
                remove_tree(search)
                raise
            old, self._search = self._search, search
        if old is not None:
            threading.Thread(target=remove_tree, args=(old,), daemon=True).start()
        prefix = f"{CONTENT}/"
        content = {
            edition.code: frozenset(
                f.path.removeprefix(prefix) for f in edition.files if f.path.startswith(prefix)
            )
            for edition in generated.editions
        }
        self.served = Served(generated, as_of, kept, cluster_shell, content)
        return generated

    # -- a change of records, in place --------------------------------------------------------

    def update(
        self, as_of: dt.date, progress: Progress, changed: set[Path] | None = None
    ) -> Update:
        """Bring the served site up to date with the records (`changed` names the files the
        watcher heard of); the engine runs only when a page's shell changed (or nothing was
        served yet, or the day changed)."""
        served = self.served
        if served is None or served.as_of != as_of:
            self.build(as_of, progress, fresh=served is None)
            return Update(engine=True)
        records = read_records(
            self.project, self.data_dir, as_of, self.strict, progress, self.caches, changed
        )
        done = Update()
        first = self._first_pass(served, records)
        if first:
            done.written += first
            self.changed()
        generated = render_tree(self.project, records, progress, self.site_url, self.caches)
        folders = served.folders()
        old, new = served.tree(), {f.path: f.data for f in generated.engine_files}
        engine_old = {p: d for p, d in old.items() if _engine_part(p, folders)}
        engine_new = {p: d for p, d in new.items() if _engine_part(p, folders)}
        if engine_old != engine_new or [e.code for e in generated.editions] != [
            e.code for e in served.generated.editions
        ]:
            self._publish(generated, as_of, progress)
            done.engine = True
            done.written += 1
            self.changed()
            return done
        written = self._write_changes(served, generated, old, new)
        served.generated = generated
        if written:
            done.written += written
            self.changed()
        return done

    def _first_pass(self, served: Served, records: Records) -> int:
        """Write the pages of the clusters that changed and of their countries first, in every
        language; return how many files it wrote (none when a shell changed: the second pass
        runs the engine)."""
        before = {e.cluster.id: e for e in served.generated.directory.entries}
        after = {e.cluster.id: e for e in records.directory.entries}
        changed = {i for i in before.keys() | after.keys() if before.get(i) != after.get(i)}
        if not changed or len(changed) > FIRST_PASS_MOST:
            return 0
        countries = {
            entry.cluster.country
            for i in changed
            for entry in (before.get(i), after.get(i))
            if entry is not None
        }
        settings = read_settings(self.project, self.site_url)
        # As render_tree makes it, but for the map's page and notes, which these pages lack.
        where = positions(entry.cluster for entry in records.directory.entries)
        boundaries, _ = load_boundary_files(self.project.templates / "data")
        env = template_environment(self.project.templates / "pages")
        engine = engine_settings(settings, records.rules)
        tree = served.tree()
        files: list[OutputFile] = []
        for edition in served.generated.editions:
            shared = served.generated.shared if edition.folder else frozenset()
            with i18n.speaking(i18n.language(edition.code)):
                renderer = site_renderer(
                    self.project.templates / "pages", records.directory,
                    language_site(settings.site, edition.code), records.sectors, settings.map,
                    None, boundaries, where, env, shared,
                )  # fmt: skip
                clusters = list(
                    renderer.cluster_pages(
                        self.caches.edition(edition.code).clusters, only=changed & after.keys()
                    )
                )
                lists = {f"countries/{code.lower()}" for code in countries}
                pages = [*renderer.country_pages(only=countries), *renderer.list_pages(only=lists)]
                bodies = BodyRenderer(engine, served.content[edition.code], shared)
                fills: list[SitePage] = []
                for file in pages:
                    in_nav = engine.nav is None or file.path in engine.nav
                    made = page_shell(bodies, file.path, file.data.decode("utf-8"), in_nav)
                    shell = tree.get(f"{edition.folder}{CONTENT}/{file.path}")
                    if shell != made.shell.encode("utf-8"):
                        # The page's shell changed: the engine renders it, in the second pass.
                        return 0
                    if any(problem.kind in engine.failing_links for problem in made.body.problems):
                        return 0  # the second pass says what is wrong
                    fills.append(made.page)
            files += self._cluster_files(served, edition.code, clusters)
            files += self._page_files(served, edition.code, fills)
        removed = [i for i in changed if i not in after]
        return self._write(files, removed)

    def _cluster_files(
        self, served: Served, code: str, pages: Iterable[ClusterPage]
    ) -> list[OutputFile]:
        shell = Shell(served.cluster_shell[code])
        folder = language_folder(code)
        files: list[OutputFile] = []
        for page in pages:
            place = f"{folder}clusters/{page.id}"
            files.append(OutputFile(f"{place}/index.html", shell.fill(page).encode("utf-8")))
            files += [
                OutputFile(f"{place}/{name}", text.encode("utf-8"))
                for name, text in sorted(page.files.items())
            ]
        return files

    def _page_files(self, served: Served, code: str, pages: Iterable[SitePage]) -> list[OutputFile]:
        folder = language_folder(code)
        return [
            OutputFile(
                f"{folder}{page_address(page.path).removeprefix('./')}index.html",
                fill_page(served.shells[code][page.path], page).encode("utf-8"),
            )
            for page in pages
        ]

    def _write_changes(
        self, served: Served, generated: Generated, old: dict[str, bytes], new: dict[str, bytes]
    ) -> int:
        """Write what changed between the served tree and a new one whose shells are the same:
        data files, the root's files, cluster pages and page bodies in every language; remove
        what went."""
        folders = served.folders()
        files: list[OutputFile] = []
        for path, data in new.items():
            if _engine_part(path, folders) or old.get(path) == data:
                continue
            files.append(OutputFile(_site_path(path, folders), data))
        gone_files = [
            _site_path(p, folders) for p in old if not _engine_part(p, folders) and p not in new
        ]
        gone: set[str] = set()
        for was, edition in zip(served.generated.editions, generated.editions, strict=True):
            before = {p.id: p for p in was.pages.clusters}
            after = {p.id: p for p in edition.pages.clusters}
            files += self._cluster_files(
                served, edition.code, (p for i, p in after.items() if before.get(i) != p)
            )
            gone |= {i for i in before if i not in after}
            pages_before = {p.path: p for p in was.pages.others}
            files += self._page_files(
                served,
                edition.code,
                (p for p in edition.pages.others if pages_before.get(p.path) != p),
            )
        for path in gone_files:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.folder / path)
        return self._write(files, sorted(gone)) + len(gone_files)

    def _write(self, files: list[OutputFile], removed: Iterable[str]) -> int:
        """Write files into the served folder, each replaced in one step; remove the cluster
        pages of `removed` in every language; update their slim copies and ask for a new
        search index."""
        served = self.served
        editions = served.generated.editions if served else ()
        writer = TreeWriter(self.folder, atomic=True)
        try:
            for file in files:
                writer.write(file)
        finally:
            writer.close()
        count = len(files)
        removed = list(removed)
        for cluster_id in removed:
            for edition in editions:
                remove_tree(self.folder / edition.folder / "clusters" / cluster_id)
            count += 1
        if self._search is not None and served is not None:
            # Each language's slim copies lie in a folder of their own (search.slim_place).
            slims = TreeWriter(self._search, atomic=True)
            copies: dict[str, SlimCopies] = {}  # a language's, from its rendered cluster shell
            try:
                for file in files:
                    folder, path = _split(file.path, served.folders())
                    parts = path.split("/")
                    if len(parts) == 3 and parts[0] == "clusters" and parts[2] == "index.html":
                        code = next(e.code for e in editions if e.folder == folder)
                        if code not in copies:
                            copies[code] = SlimCopies(served.cluster_shell[code])
                        page = self._cluster_page(code, parts[1])
                        if copies[code].cut is not None and page is not None:
                            copy = copies[code].file(page)
                            slims.write(OutputFile(f"{code}/{folder}{copy.path}", copy.data))
            finally:
                slims.close()
            for cluster_id in removed:
                for edition in editions:
                    remove_tree(slim_place(self._search, edition.code) / "clusters" / cluster_id)
        if count:
            self._index_later()
        return count

    def _cluster_page(self, code: str, cluster_id: str) -> ClusterPage | None:
        found = self.caches.edition(code).clusters.pages.get(cluster_id)
        return found[1] if found is not None else None

    # -- the search index, on a thread of its own ---------------------------------------------

    def _index_later(self) -> None:
        """Ask for the search index to be made again, after the pages are served."""
        self._index_wanted.set()
        if self._index_thread is None or not self._index_thread.is_alive():
            self._index_thread = threading.Thread(target=self._index, daemon=True)
            self._index_thread.start()

    def _index(self) -> None:
        while self._index_wanted.is_set():
            self._index_wanted.clear()
            generation, search, served = self._generation, self._search, self.served
            if search is None or served is None:
                return
            codes = [edition.code for edition in served.generated.editions]
            every = True
            for code in codes:  # one language after the other, as a build makes them
                # Slim copies where the cluster shell has a searched element, as finish writes.
                language = Searched(code, search_part(served.cluster_shell[code]) is not None)
                done = self._index_language(generation, search, language, codes)
                if done is None:  # a whole new site came meanwhile, with its own index
                    break
                every = every and done
            else:
                if every and not self._index_wanted.is_set():
                    self.indexed()

    def _index_language(
        self, generation: int, search: Path, language: Searched, codes: list[str]
    ) -> bool | None:
        """Make one language's search bundle again and put it in place of the served one;
        whether it did (a failure keeps the old one: the next change tries again), None when
        a whole new site came meanwhile."""
        made = self.scratch / f"{SCRATCH_PREFIX}pagefind-{generation}-{language.code}"
        remove_tree(made)
        try:
            index_language(self.folder, search, language, codes, made)
        except Exception:  # the next change tries again; the old index stays meanwhile
            remove_tree(made)
            return False
        with self._index_lock:
            if generation != self._generation:
                remove_tree(made)
                return None
            target = self.folder / language_folder(language.code) / "pagefind"
            if not _exchange(made, target):
                with contextlib.suppress(OSError):
                    target.rename(made.with_name(made.name + "-old"))
                    made.rename(target)
        remove_tree(made)
        remove_tree(made.with_name(made.name + "-old"))
        return True


def _site_path(tree_path: str, folders: frozenset[str] = frozenset()) -> str:
    """Where a tree file (a content file of a language, or one of the root's) lands in the
    site."""
    folder, path = _split(tree_path, folders)
    if path.startswith(f"{AFTER}/"):
        return folder + path.removeprefix(f"{AFTER}/")
    return folder + path.removeprefix(f"{CONTENT}/")
