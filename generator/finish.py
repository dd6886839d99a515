"""What follows the engine's build, whichever engine it was: each cluster page made from the
rendered shell (shell.py), the tree's files for the site's root (our sitemap and robots.txt, in
place of the engine's sitemap), then the search index (Pagefind) over the finished pages.

`clusterdir build` runs it after MkDocs; after a build with another engine (Zensical,
ProperDocs), `clusterdir finish --tree TREE --site SITE` does the same.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

from generator.errors import BuildFailed
from generator.output import OutputFile
from generator.processes import run_tool
from generator.reader import MAX_LIST_BYTES, UnreadableFile, read_bytes, read_text
from generator.shell import PAGES_FILE, SHELL_ID, ClusterPage, Shell, read_pages
from generator.writer import remove_tree, write_tree

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
        shell = Shell(read_text(shell_folder / "index.html"))
    except ValueError as exc:
        raise BuildFailed(f"{shell_folder}/index.html: {exc}") from None
    pages = list(read_pages(read_text(tree / PAGES_FILE)))
    write_tree(site, (file for page in pages for file in _page_files(shell, page)))
    remove_tree(shell_folder)
    return len(pages)


def _page_files(shell: Shell, page: ClusterPage) -> Iterator[OutputFile]:
    folder = f"clusters/{page.id}"
    yield OutputFile(f"{folder}/index.html", shell.fill(page).encode("utf-8"))
    for name, text in sorted(page.files.items()):
        yield OutputFile(f"{folder}/{name}", text.encode("utf-8"))


def index_search(site: Path) -> None:
    """Index the built site with Pagefind (its cluster pages, which carry data-pagefind-body),
    into site/pagefind/; raise BuildFailed with its complaint."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--silent"]
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
    paths = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
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
    fill_cluster_pages(tree, site)
    place_after_files(tree, site)
    index_search(site)
