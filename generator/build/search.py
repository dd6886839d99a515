"""The search index: a Pagefind bundle for each language of the site, of that language's pages
alone, in its folder of the site (`site/pagefind/` for English, `site/de/pagefind/` for German),
made one language after the other (`clusterdir build` makes each as soon as the language's pages
are written, while the next language is made).

Pagefind reads slim copies of the pages (finish.py writes them, one folder a language, each page
at its path from the site's root, so that Pagefind gives it its address on the site), or, when
the theme's cluster shell has no one searched element, the site's own pages of that language.
A visitor's search loads the bundle of the page's language (site_templates/assets/search.js).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from generator.build.processes import Running, python_module
from generator.build.settings import language_folder
from generator.core.errors import BuildFailed

# Pagefind's other UIs, which the site does not use (it uses the component UI).
UNUSED_SEARCH_FILES = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-highlight.js",
)


def start_search(
    site: Path,
    pages: Path | None = None,
    output: Path | None = None,
    folder: str = "",
    others: Iterable[str] = (),
) -> Running:
    """Start Pagefind on one language's pages that carry data-pagefind-body, into the
    pagefind/ of its `folder` of the site (or `output`): those in `pages` (slim copies, each at
    its path from the site's root), or else the site's own in `folder` ('de/'; English's are
    those outside the `others` languages' folders)."""
    output = output or site / folder / "pagefind"
    if pages is not None:
        command = python_module("pagefind", "--site", str(pages), "--silent")
    else:
        command = python_module("pagefind", "--site", str(site), "--silent")
        glob = _pages_glob(site, folder, others)
        if glob is not None:
            command += ["--glob", glob]
    if pages is not None or output != site / "pagefind":
        command += ["--output-path", str(output)]
    return Running(command)


# What Pagefind's globs (the wax crate's) give a meaning to, escaped in a name; a backslash
# cannot be, and matches as any one character.
_GLOB_SPECIAL = frozenset("?*$:<>()[]{},")


def _glob_name(name: str) -> str:
    """A name as Pagefind's glob matches it exactly (a backslash: any one character)."""
    return "".join(
        "?" if char == "\\" else "\\" + char if char in _GLOB_SPECIAL else char for char in name
    )


def _pages_glob(site: Path, folder: str, others: Iterable[str]) -> str | None:
    """The glob of one language's pages of the site, for Pagefind; None for all of them (a
    site in English alone). English's name each entry of the site's root but the other
    languages' folders."""
    if folder:
        return _glob_name(folder) + "**/*.{html}"
    skipped = {other.strip("/") for other in others}
    if not skipped:
        return None
    try:
        entries = sorted(os.scandir(site), key=lambda entry: entry.name)
    except OSError as exc:
        raise BuildFailed(f"cannot read the folder {site}: {exc.strerror}") from None
    names = [
        _glob_name(entry.name) + ("/**/*.{html}" if entry.is_dir(follow_symlinks=False) else "")
        for entry in entries
        if entry.name not in skipped
        and (entry.is_dir(follow_symlinks=False) or entry.name.endswith(".html"))
    ]
    return "{" + ",".join(names) + "}"


def search_done(running: Running, output: Path) -> None:
    """Wait for Pagefind; raise BuildFailed with its complaint; drop the UIs the site does not
    use."""
    result = running.result()
    if result.returncode != 0 or not (output / "pagefind-entry.json").is_file():
        lines = (result.stdout + result.stderr).strip().splitlines()
        raise BuildFailed(
            "Pagefind failed: " + (lines[-1] if lines else f"exit code {result.returncode}")
        )
    for name in UNUSED_SEARCH_FILES:
        (output / name).unlink(missing_ok=True)


def index_search(
    site: Path,
    pages: Path | None = None,
    output: Path | None = None,
    folder: str = "",
    others: Iterable[str] = (),
) -> None:
    """Index one language's pages that carry data-pagefind-body with Pagefind (start_search
    says which), into the pagefind/ of its folder of the site (or `output`); raise BuildFailed
    with its complaint."""
    search_done(
        start_search(site, pages, output, folder, others), output or site / folder / "pagefind"
    )


@dataclass(frozen=True, slots=True)
class Searched:
    """A language the search indexes: its code, and whether its slim copies were written (else
    its pages on the site are indexed)."""

    code: str
    slim: bool


def slim_place(slims: Path, code: str) -> Path:
    """Where a language's slim copies go: slims/<code>/ and under it its folder of the site
    (slims/de/de/clusters/…), so that Pagefind run on slims/<code> alone gives each page its
    address on the site."""
    return slims / code / language_folder(code)


def index_language(
    site: Path,
    slims: Path,
    language: Searched,
    codes: Iterable[str],
    output: Path | None = None,
) -> None:
    """Make the search bundle of one of the site's languages (`codes`: all of them), into its
    folder's pagefind/ (or `output`): from its slim copies in `slims`, or else the site's own
    pages in its folder (English's: outside the other languages' folders)."""
    folder = language_folder(language.code)
    if language.slim:
        index_search(site, slims / language.code, output, folder)
    else:
        others = [language_folder(code) for code in codes if code != language.code]
        index_search(site, None, output, folder, others)


def start_language(site: Path, slims: Path, code: str) -> tuple[Running, Path]:
    """Start Pagefind on a language's slim copies in `slims`, into its folder's pagefind/;
    the process, and that folder (for search_done)."""
    folder = language_folder(code)
    output = site / folder / "pagefind"
    return start_search(site, slims / code, output, folder), output


def index_languages(site: Path, slims: Path, languages: Iterable[Searched]) -> None:
    """A search bundle for each language, of its pages alone, in its folder of the site
    (site/pagefind/, site/de/pagefind/): index_language, one language after the other, never
    two at once, since Pagefind holds a whole index in memory while it writes it."""
    languages = list(languages)
    for language in languages:
        index_language(site, slims, language, [other.code for other in languages])
