"""What follows the engine's build, whichever engine it was: each cluster page made from the
rendered shell (shell.py), the tree's files for the site's root (our sitemap and robots.txt, in
place of the engine's sitemap), then the search index (Pagefind) over the finished pages.

`clusterdir build` runs it after MkDocs; after a build with another engine (Zensical,
ProperDocs), `clusterdir finish --tree TREE --site SITE` does the same.

It trusts the tree and the site no more than the records: `generate` and the engines write
regular files only, so a link (even one that stays inside), a FIFO, a device or a socket in
either folder is an error found before anything is read or written; the files it reads are read
as records are (reader.py), with a size limit; and each line of the pages file is checked, so
that no page lands on another page's address.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

from generator.build.processes import python_module, run_tool
from generator.build.writer import remove_tree, write_tree
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
from generator.site.shell import PAGES_FILE, SHELL_ID, ClusterPage, Shell, parse_pages

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


# Pagefind's other UIs, which the site does not use (it uses the component UI).
UNUSED_SEARCH_FILES = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-highlight.js",
)


def fill_cluster_pages(tree: Path, site: Path) -> int:
    """Write every cluster page from the engine's rendered shell; return how many."""
    shell_folder = site / "clusters" / SHELL_ID
    try:
        shell = Shell(_read_tree_text(shell_folder / "index.html", site, MAX_LIST_BYTES))
    except ValueError as exc:
        raise BuildFailed(f"{shell_folder}/index.html: {exc}") from None
    pages_path = tree / PAGES_FILE
    pages, problems = parse_pages(
        _read_tree_text(pages_path, tree, MAX_PAGES_BYTES), str(pages_path)
    )
    problems += _taken_addresses(site, pages)
    if problems:
        raise FilesRefused(tuple(problems), WHAT)
    write_tree(site, (file for page in pages for file in _page_files(shell, page)))
    remove_tree(shell_folder)
    return len(pages)


def _taken_addresses(site: Path, pages: list[ClusterPage]) -> list[Diagnostic]:
    """A problem for each page whose address the engine's site already has: no cluster page
    replaces another page."""
    return [
        _problem(
            site / "clusters" / page.id,
            f"a page of the site stands where the cluster page of '{page.id}' would go: nothing replaces it",
        )
        for page in pages
        if os.path.lexists(site / "clusters" / page.id)
    ]


def _page_files(shell: Shell, page: ClusterPage) -> Iterator[OutputFile]:
    folder = f"clusters/{page.id}"
    yield OutputFile(f"{folder}/index.html", shell.fill(page).encode("utf-8"))
    for name, text in sorted(page.files.items()):
        yield OutputFile(f"{folder}/{name}", text.encode("utf-8"))


def index_search(site: Path) -> None:
    """Index the built site with Pagefind (its cluster pages, which carry data-pagefind-body),
    into site/pagefind/; raise BuildFailed with its complaint."""
    command = python_module("pagefind", "--site", str(site), "--silent")
    result = run_tool(command)
    if result.returncode != 0 or not (site / "pagefind" / "pagefind-entry.json").is_file():
        output = (result.stdout + result.stderr).strip().splitlines()
        raise BuildFailed(
            "Pagefind failed: " + (output[-1] if output else f"exit code {result.returncode}")
        )
    for name in UNUSED_SEARCH_FILES:
        (site / "pagefind" / name).unlink(missing_ok=True)


# The tree's folder of files that go into the site as they are, after any engine: the sitemap
# (sitemap.py) and robots.txt. Engines write their own sitemap, dated by the build, so it goes.
AFTER = "after"
ENGINE_SITEMAPS = ("sitemap.xml", "sitemap.xml.gz")


def after_files(files: list[OutputFile]) -> list[OutputFile]:
    """Files for the site's root, as files of the tree's `after/` folder."""
    return [OutputFile(f"{AFTER}/{f.path}", f.data) for f in files]


def place_after_files(tree: Path, site: Path) -> int:
    """Remove the engine's sitemap, then copy the tree's `after/` files into the site as they
    are; return how many (none without the site's URL, so the site then has no sitemap)."""
    for name in ENGINE_SITEMAPS:
        try:
            (site / name).unlink(missing_ok=True)
        except OSError as exc:
            raise BuildFailed(f"cannot remove {site / name}: {exc.strerror}") from None
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


def finish(tree: Path, site: Path) -> None:
    """Complete a site that an engine built from the tree: cluster pages, the sitemap, search."""
    check_folders(tree, site)
    fill_cluster_pages(tree, site)
    place_after_files(tree, site)
    index_search(site)
