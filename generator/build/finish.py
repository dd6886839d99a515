"""What follows the engine's build, whichever engine it was: each cluster page made from the
rendered shell, each other page's body put into the shell the engine rendered at its address
(shell.py), the tree's files for the site's root (our sitemap and robots.txt, in place of the
engine's sitemap), then the search index (Pagefind) over slim copies of the pages it indexes.

`clusterdir build` hands generate's pages to it in memory; `clusterdir finish` reads them from
the tree's pages files.

`clusterdir build` runs it after MkDocs; after a build with another engine (Zensical,
ProperDocs), `clusterdir finish --tree TREE --site SITE` does the same.

A site in several languages has a tree per language other than English, in its folder of the
tree (`de/`, with its own mkdocs.yml and pages files), whose site the engine builds into the
same folder of the site (`site/de/`): finish fills every language's pages, puts the sitemap at
the root, and runs Pagefind once for each language, one after the other, over that language's
pages alone, into its folder of the site (`site/pagefind/`, `site/de/pagefind/`).

It trusts the tree and the site no more than the records: `generate` and the engines write
regular files only, so a link (even one that stays inside), a FIFO, a device or a socket in
either folder is an error found before anything is read or written; the files it reads are read
as records are (reader.py), with a size limit; and each line of the pages file is checked, so
that no page lands on another page's address.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.build.search import Searched, index_languages, slim_place
from generator.build.writer import (
    SCRATCH_PREFIX,
    TreeWriter,
    remove_tree,
    write_tree,
)
from generator.core import i18n
from generator.core.errors import BuildFailed, Diagnostic, FilesRefused, Severity
from generator.core.output import OutputFile
from generator.records.reader import (
    MAX_LIST_BYTES,
    UnreadableFile,
    kind_of,
    not_utf8,
    read_bytes,
    walk,
)
from generator.site.htmlbody import page_address
from generator.site.shell import (
    PAGES_FILE,
    SHELL_ID,
    SITE_PAGES_FILE,
    ClusterPage,
    Shell,
    SitePage,
    fill_page,
    parse_pages,
    parse_site_pages,
    search_part,
)

# The pages file holds about 13 KB a cluster: this is room for 40,000 clusters (a build of
# 10,000 writes 130 MB), and keeps a mistaken file from filling the memory.
MAX_PAGES_BYTES = 512 * 1024 * 1024
WHAT = "the tree and the site"


def _problem(path: Path | str, message: str, line: int = 1) -> Diagnostic:
    return Diagnostic(str(path), line, 1, Severity.ERROR, message)


def folder_problems(folder: Path) -> list[Diagnostic]:
    """Every link, FIFO, device or socket under a folder that `generate` or an engine wrote (the
    folder itself may be a link: it is the one the user named); nothing is opened."""
    problems: list[Diagnostic] = []

    def unlistable(exc: OSError) -> None:
        problems.append(_problem(exc.filename or folder, f"cannot read the folder: {exc.strerror}"))

    for parent, dirs, names in walk(folder, onerror=unlistable):
        for name in sorted([*dirs, *names]):
            path = Path(parent, name)
            try:
                mode = os.lstat(path).st_mode
            except OSError as exc:
                problems.append(_problem(path, f"cannot read the file: {exc.strerror}"))
                continue
            if stat.S_ISLNK(mode):
                problems.append(
                    _problem(path, "a link: finish follows no link in the tree or the site")
                )
            elif not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                problems.append(_problem(path, f"{kind_of(mode)}, not a regular file: not read"))
        dirs[:] = sorted(d for d in dirs if not os.path.islink(os.path.join(parent, d)))
    return problems


def check_folders(tree: Path, site: Path) -> None:
    """Raise FilesRefused naming every link and special file in the tree and the site."""
    # An engine may build into site/ inside the tree: each file is named once.
    found = {d.path: d for folder in (tree, site) for d in folder_problems(folder)}
    if found:
        raise FilesRefused(tuple(found[path] for path in sorted(found)), WHAT)


def _read_tree_text(path: Path, folder: Path, limit: int) -> str:
    """A file that generate or the engine wrote, read as records are; FilesRefused otherwise."""
    try:
        data = read_bytes(path, folder, limit, f"'{folder}'", "a file of the tree or the site")
    except UnreadableFile as exc:
        raise FilesRefused((_problem(path, str(exc)),), WHAT) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BuildFailed(not_utf8(path, data, exc)) from None


def read_engine_page(path: Path, site: Path) -> str:
    """A page the engine wrote into `site`, read as finish reads the shells."""
    return _read_tree_text(path, site, MAX_PAGES_BYTES)


class OnDemand:
    """Cluster pages rendered one at a time as finish writes them (`render` yields them in the
    order of `ids`), so that a build never holds a language's cluster pages all at once: at
    10,000 clusters they weigh 85 MB or more a language. Iterated once."""

    def __init__(self, ids: tuple[str, ...], render: Callable[[], Iterable[ClusterPage]]) -> None:
        self.ids = ids
        self._render = render

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self) -> Iterator[ClusterPage]:
        return iter(self._render())


@dataclass(frozen=True, slots=True)
class Pages:
    """What generate hands to finish: the cluster pages (rendered, or rendered as they are
    written) and the other pages' fills."""

    clusters: tuple[ClusterPage, ...] | OnDemand
    others: tuple[SitePage, ...] = ()

    def cluster_ids(self) -> tuple[str, ...]:
        """The cluster pages' ids, in order, without rendering any."""
        if isinstance(self.clusters, OnDemand):
            return self.clusters.ids
        return tuple(page.id for page in self.clusters)


def read_pages(tree: Path) -> Pages:
    """The pages files of a tree, each line checked; FilesRefused naming every bad line. A
    tree without the other pages' file (an engine that rendered every page whole) has none."""
    pages_path = tree / PAGES_FILE
    clusters, problems = parse_pages(
        _read_tree_text(pages_path, tree, MAX_PAGES_BYTES), str(pages_path)
    )
    others: list[SitePage] = []
    site_path = tree / SITE_PAGES_FILE
    if os.path.lexists(site_path):
        others, found = parse_site_pages(
            _read_tree_text(site_path, tree, MAX_PAGES_BYTES), str(site_path)
        )
        problems += found
    if problems:
        raise FilesRefused(tuple(problems), WHAT)
    return Pages(tuple(clusters), tuple(others))


def _cluster_shell(site: Path, ids: tuple[str, ...]) -> tuple[Shell, str]:
    """The engine's rendered cluster shell, and its text; raise when it lacks a token or a
    page of the site stands where a cluster page would go."""
    shell_folder = site / "clusters" / SHELL_ID
    text = _read_tree_text(shell_folder / "index.html", site, MAX_LIST_BYTES)
    try:
        shell = Shell(text)
    except ValueError as exc:
        raise BuildFailed(f"{shell_folder}/index.html: {exc}") from None
    problems = _taken_addresses(site, ids)
    if problems:
        raise FilesRefused(tuple(problems), WHAT)
    return shell, text


class SlimCopies:
    """Each cluster page's slim copy for search (its searched element alone, with the page's
    part of it filled in), from the rendered shell's text; `cut` is None when the shell has
    no one such element (then search indexes the pages themselves)."""

    def __init__(self, text: str) -> None:
        self.cut = search_part(text)
        self._slim = Shell(self.cut[1], whole=False) if self.cut is not None else None

    def file(self, page: ClusterPage) -> OutputFile:
        """The slim copy of a cluster page, at the page's address."""
        if self.cut is None or self._slim is None:
            raise ValueError("the shell has no one searched element")
        html = self.cut[0] + self._slim.fill(page) + self.cut[2]
        return OutputFile(f"clusters/{page.id}/index.html", html.encode("utf-8"))


def write_slim_pages(text: str, pages: Iterable[ClusterPage], search: Path) -> bool:
    """Write each cluster page's slim copy (its searched element) into `search`, from the
    rendered shell's text; False, writing nothing, when the shell has no one such element."""
    return write_cluster_pages(None, None, pages, text, search) is not None


def write_cluster_pages(
    site: Path | None,
    shell: Shell | None,
    pages: Iterable[ClusterPage],
    text: str,
    search: Path,
) -> int | None:
    """Write every cluster page from the engine's rendered shell (`shell`, made of `text`)
    into `site` (None: none) and its slim copy into `search`, page by page, so that pages
    rendered on demand are rendered once; return how many pages, or None when the shell has
    no one searched element (no slim copies written)."""
    slim = SlimCopies(text)
    writers: list[TreeWriter] = []
    try:
        site_writer = search_writer = None
        if site is not None and shell is not None:
            site_writer = TreeWriter(site)
            writers.append(site_writer)
        if slim.cut is not None:
            search_writer = TreeWriter(search)
            writers.append(search_writer)
        count = 0
        for page in pages:
            if site_writer is not None and shell is not None:
                for file in _page_files(shell, page):
                    site_writer.write(file)
            if search_writer is not None:
                search_writer.write(slim.file(page))
            count += 1
    finally:
        for writer in writers:
            writer.close()
    if site is not None:
        remove_tree(site / "clusters" / SHELL_ID)
    return count if slim.cut is not None else None


def filled_site_pages(site: Path, pages: tuple[SitePage, ...]) -> list[OutputFile]:
    """Each page's body, title and description put into the shell the engine rendered at its
    address, in memory; FilesRefused naming each page the engine did not make, or whose shell
    lacks what the fills need. Only a page the engine made is filled: no page lands on an
    address of its own."""
    problems: list[Diagnostic] = []
    filled: list[OutputFile] = []
    for page in pages:
        address = page_address(page.path).removeprefix("./")
        target = site / address / "index.html"
        if not os.path.isfile(target):
            problems.append(_problem(target, f"the engine made no page for {page.path!r}"))
            continue
        try:
            html = fill_page(_read_tree_text(target, site, MAX_PAGES_BYTES), page)
        except ValueError as exc:
            problems.append(_problem(target, str(exc)))
            continue
        filled.append(OutputFile(f"{address}index.html", html.encode("utf-8")))
    if problems:
        raise FilesRefused(tuple(problems), WHAT)
    return filled


def _taken_addresses(site: Path, ids: Iterable[str]) -> list[Diagnostic]:
    """A problem for each page whose address the engine's site already has: no cluster page
    replaces another page."""
    return [
        _problem(
            site / "clusters" / cluster_id,
            f"a page of the site stands where the cluster page of '{cluster_id}' would go: nothing replaces it",
        )
        for cluster_id in ids
        if os.path.lexists(site / "clusters" / cluster_id)
    ]


def _page_files(shell: Shell, page: ClusterPage) -> Iterator[OutputFile]:
    folder = f"clusters/{page.id}"
    yield OutputFile(f"{folder}/index.html", shell.fill(page).encode("utf-8"))
    for name, text in sorted(page.files.items()):
        yield OutputFile(f"{folder}/{name}", text.encode("utf-8"))


# The tree's folder of files that go into the site as they are, after any engine: the sitemap
# (sitemap.py) and robots.txt. Engines write their own sitemap, dated by the build, so it goes.
AFTER = "after"
ENGINE_SITEMAPS = ("sitemap.xml", "sitemap.xml.gz")


def after_files(files: list[OutputFile]) -> list[OutputFile]:
    """Files for the site's root, as files of the tree's `after/` folder."""
    return [OutputFile(f"{AFTER}/{f.path}", f.data) for f in files]


def remove_engine_sitemaps(site: Path) -> None:
    """Remove the sitemap the engine wrote (ours goes to the site's root: place_after_files)."""
    for name in ENGINE_SITEMAPS:
        try:
            (site / name).unlink(missing_ok=True)
        except OSError as exc:
            raise BuildFailed(f"cannot remove {site / name}: {exc.strerror}") from None


def place_after_files(tree: Path, site: Path) -> int:
    """Remove the engine's sitemap, then copy the tree's `after/` files into the site as they
    are; return how many (none without the site's URL, so the site then has no sitemap)."""
    remove_engine_sitemaps(site)
    folder = tree / AFTER
    if os.path.islink(folder):  # finish() found it first; a caller of this alone learns it here
        raise FilesRefused(
            (_problem(folder, "a link: finish follows no link in the tree or the site"),), WHAT
        )
    problems = folder_problems(folder) if folder.is_dir() else []
    if problems:
        raise FilesRefused(tuple(problems), WHAT)
    paths = sorted(Path(parent, name) for parent, _, names in walk(folder) for name in names)
    files = []
    for path in paths:
        try:
            data = read_bytes(path, folder, MAX_LIST_BYTES, f"'{folder}'")
        except UnreadableFile as exc:
            raise BuildFailed(f"{path}: {exc}") from None
        files.append(OutputFile(path.relative_to(folder).as_posix(), data))
    write_tree(site, files)
    return len(files)


# The slim copies are read once and thrown away: in memory (tmpfs) where the machine has it,
# they cost no disk work (a file and a folder each, 10,000 of each at 10,000 clusters).
MEMORY_FOLDER = Path("/dev/shm")
_MEMORY_ROOM = 512 * 1024 * 1024


def _in_memory() -> str | None:
    """A folder in memory for the slim copies (with room to spare), or None for the default."""
    try:
        room = os.statvfs(MEMORY_FOLDER)
    except OSError:
        return None
    if room.f_bavail * room.f_frsize < _MEMORY_ROOM or not os.access(MEMORY_FOLDER, os.W_OK):
        return None
    return str(MEMORY_FOLDER)


@contextlib.contextmanager
def slim_folder(search: Path | None = None) -> Iterator[Path]:
    """Where the slim pages go: `search` (a new folder, which the caller keeps), or a temporary
    folder, in memory where the machine has room, removed afterwards."""
    if search is not None:
        yield search
        return
    with tempfile.TemporaryDirectory(prefix=f"{SCRATCH_PREFIX}search-", dir=_in_memory()) as made:
        yield Path(made) / "pages"


# A translated edition's folder: a language code as the catalogs' folders are named.
_EDITION = re.compile(r"[a-z]{2,3}(?:_[A-Z]{2})?")


def edition_folders(tree: Path) -> list[str]:
    """The folders of a tree's languages other than English ('de', 'fr'): each folder of the
    tree named as a language that holds a pages file of its own."""
    try:
        names = sorted(os.listdir(tree))
    except OSError as exc:
        raise BuildFailed(f"cannot read the folder {tree}: {exc.strerror}") from None
    return [
        name
        for name in names
        if _EDITION.fullmatch(name)
        and os.path.isdir(tree / name)
        and not os.path.islink(tree / name)
        and os.path.lexists(tree / name / PAGES_FILE)
    ]


@dataclass(frozen=True, slots=True)
class _Checked:
    """One language's site, checked before anything is written: the pages, the other pages
    filled in memory, and the rendered cluster shell with its text."""

    site: Path
    pages: Pages
    others: list[OutputFile]
    shell: Shell
    text: str


def _check_edition(site: Path, pages: Pages) -> _Checked:
    others = filled_site_pages(site, pages.others)
    shell, text = _cluster_shell(site, pages.cluster_ids())
    return _Checked(site, pages, others, shell, text)


def _write_edition(checked: _Checked, search: Path) -> bool:
    written = write_cluster_pages(
        checked.site, checked.shell, checked.pages.clusters, checked.text, search
    )
    slim = written is not None
    if slim:
        write_tree(search, (f for f in checked.others if b"data-pagefind-body" in f.data))
    write_tree(checked.site, checked.others)
    remove_engine_sitemaps(checked.site)
    return slim


def finish_edition(site: Path, pages: Pages, search: Path) -> bool:
    """Fill one language's pages into the site the engine built of its tree (the site's root
    for English, its folder for another language): the cluster pages, the other pages' bodies,
    and their slim copies in `search` (at the same paths from its folder; slim_place); whether
    there were slim copies to write (else the search indexes the pages themselves). The
    engine's sitemap goes."""
    return _write_edition(_check_edition(site, pages), search)


def finish(
    tree: Path,
    site: Path,
    pages: Pages | dict[str, Pages] | None = None,
    search: Path | None = None,
) -> None:
    """Complete a site that an engine built from the tree: in every language, the cluster
    pages and the other pages' bodies (from `pages`, by language folder, '' for English, or
    the English ones alone; else from each tree's pages files); the sitemap; search, a bundle
    for each language (from slim pages written into `search`, a new folder, or a temporary
    one)."""
    check_folders(tree, site)
    if pages is None:
        pages = {folder: read_pages(tree / folder) for folder in ["", *edition_folders(tree)]}
    elif isinstance(pages, Pages):
        pages = {"": pages}
    missing = [f for f in pages if f and not os.path.isdir(site / f)]
    if missing:
        raise BuildFailed(
            f"{site / missing[0]}: no site in the language of the tree's {missing[0]}/ folder:"
            f" build {tree / missing[0] / 'mkdocs.yml'} into it with the engine, then run finish"
        )
    # Every language checked before anything is written.
    checked = {folder: _check_edition(site / folder, found) for folder, found in pages.items()}
    codes = {folder: folder or i18n.SOURCE_LANGUAGE for folder in checked}
    with slim_folder(search) as slims:
        slim = [
            Searched(codes[folder], _write_edition(c, slim_place(slims, codes[folder])))
            for folder, c in checked.items()
        ]
        place_after_files(tree, site)
        # Pagefind after the pages, not beside them: both would share the disk and the cores.
        index_languages(site, slims, slim)
