"""What follows the engine's build, whichever engine it was: each cluster page made from the
rendered shell (shell.py), then the search index (Pagefind) over the finished pages.

`clusterdir build` runs it after MkDocs; after a build with another engine (Zensical,
ProperDocs), `clusterdir finish --tree TREE --site SITE` does the same.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

from generator.errors import BuildFailed
from generator.output import OutputFile
from generator.processes import dies_with_parent
from generator.reader import read_text
from generator.shell import PAGES_FILE, SHELL_ID, Shell, read_pages
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
    write_tree(
        site,
        (OutputFile(f"clusters/{p.id}/index.html", shell.fill(p).encode("utf-8")) for p in pages),
    )
    remove_tree(shell_folder)
    return len(pages)


def index_search(site: Path) -> None:
    """Index the built site with Pagefind (its cluster pages, which carry data-pagefind-body),
    into site/pagefind/; raise BuildFailed with its complaint."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--silent"]
    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        errors="backslashreplace",
        check=False,
        preexec_fn=dies_with_parent(signal.SIGKILL),
    )
    if result.returncode != 0 or not (site / "pagefind" / "pagefind-entry.json").is_file():
        output = (result.stdout + result.stderr).strip().splitlines()
        raise BuildFailed(
            "Pagefind failed: " + (output[-1] if output else f"exit code {result.returncode}")
        )
    for name in UNUSED_SEARCH_FILES:
        (site / "pagefind" / name).unlink(missing_ok=True)


def finish(tree: Path, site: Path) -> None:
    """Complete a site that an engine built from the tree: cluster pages, then search."""
    fill_cluster_pages(tree, site)
    index_search(site)
