"""Pages from shells that the engine renders: what keeps a build of 10,000 clusters within a
minute.

An engine (MkDocs, ProperDocs, Zensical) spends about 9 ms on each page, nearly all of it on
parsing HTML and rendering the theme, which is the same for every cluster page. So the engine
renders one cluster page, the shell, whose name, description, address and body are tokens; the
finish step then fills a copy of the rendered shell for each cluster. The shell lies at the depth
of every cluster page, so its relative links fit them all, and whatever theme, features and
overrides the engine used are in every cluster page as they are in the shell.

Every other page (home, lists, countries, labels, statistics) is its own shell: the engine
renders it at its own address with its front matter and its headings (so that its navigation,
title and table of contents are the engine's), but its title and description are tokens and its
body is two markers; generate renders the body itself (htmlbody.py) and the finish step puts it
between the markers. The engine then parses a few KB a page instead of the lists' tables.

Pure: text in, text out. build.py's finish step reads the shells and writes the pages.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from generator.core.errors import Diagnostic, Severity
from generator.records.records import ID_RE, RESERVED_IDS

# The shell's id (a file name no record may take: records.RESERVED_IDS) and its tokens: words
# no page holds otherwise, replaced in one pass, so that no value put in is read again.
SHELL_ID = "cd-cluster-shell"
TOKENS = {
    "title": "cdshell0title",
    "description": "cdshell0description",
    "body": "cdshell0body",
    "trail": "cdshell0trail",
}
# Where a cluster page's body stops holding anything search indexes (the rest is
# data-pagefind-ignore throughout): the template writes it there, the renderer takes it out and
# keeps where it stood (ClusterPage.searched), so that the slim copy search reads ends there.
SEARCH_END = "cdshell0searchend"
# Every shell has these; the breadcrumb's steps between the site's sections and the page
# (`trail`) are optional, so that a shell without a breadcrumb still makes pages.
REQUIRED_TOKENS = ("title", "description", "body")
PAGES_FILE = "cluster-pages.jsonl"  # in the build tree, beside content/: one page a line
SITE_PAGES_FILE = "site-pages.jsonl"  # the other pages' fills, likewise
# The files pages.py writes beside each cluster page; a pages file may name no other.
PAGE_FILES = frozenset({"status.json", "badge.svg"})


@dataclass(frozen=True, slots=True)
class ClusterPage:
    """What makes one cluster page of the shell: its id, title, description and body HTML, the
    files beside the page (name to text: its status file and its badge), the breadcrumb's
    steps between the site's sections and the page (HTML list items: its country), and where
    in the body the part that search indexes ends (None: it is the whole body)."""

    id: str
    title: str
    description: str
    body: str
    files: dict[str, str] = field(default_factory=dict)
    trail: str = ""
    searched: int | None = None


def pages_text(pages: Iterable[ClusterPage]) -> bytes:
    """The cluster pages as JSON Lines, for the build tree."""
    lines = (json.dumps(asdict(page), ensure_ascii=False, separators=(",", ":")) for page in pages)
    return ("\n".join(lines) + "\n").encode("utf-8")


def read_pages(text: str) -> Iterator[ClusterPage]:
    """The cluster pages back from JSON Lines that `pages_text` wrote."""
    for line in text.split("\n"):
        if line:
            yield ClusterPage(**json.loads(line))


_TEXTS = tuple(f.name for f in fields(ClusterPage) if f.name not in ("files", "searched"))
_OPTIONAL = ("trail",)
_REQUIRED = tuple(name for name in _TEXTS if name not in _OPTIONAL)
_SHAPE = (
    "not a cluster page: expected a JSON object of text values "
    f"{', '.join(_REQUIRED)} and an object of files"
)


def _shown(value: str) -> str:
    """A value from the file, quoted for a message: escaped, and cut when long."""
    return repr(value if len(value) <= 60 else value[:60] + "…")


def _page_problem(record: Any) -> str | None:
    """What is wrong with one decoded line of a pages file, or None."""
    if (
        not isinstance(record, dict)
        or set(record) - {*_TEXTS, "files", "searched"}
        or set(_REQUIRED) - set(record)
    ):
        return _SHAPE
    searched = record.get("searched")
    if searched is not None and (
        type(searched) is not int
        or not isinstance(record["body"], str)
        or not 0 <= searched <= len(record["body"])
    ):
        return (
            "the page's searched part is not a place in its body: a whole number up to its length"
        )
    files = record.get("files", {})
    texts = [name for name in _TEXTS if name in record]
    if not all(isinstance(record[name], str) for name in texts) or not isinstance(files, dict):
        return _SHAPE
    if not all(isinstance(text, str) for text in files.values()):
        return _SHAPE
    for name, value in [*((n, record[n]) for n in texts), *files.items()]:
        if "\0" in value:
            return f"the page's {name} holds a NUL character"
        if not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return f"the page's {name} holds a lone surrogate (\\ud800 to \\udfff), not text"
    page_id = record["id"]
    if not page_id:
        # Written as it stands, the page would land on clusters/index.html, the cluster list.
        return "the page's id is empty: a cluster page needs its cluster's id"
    if not ID_RE.fullmatch(page_id) or page_id in RESERVED_IDS:
        # The records' own rule: only such an id gives each page an address of its own,
        # clusters/<id>/, which no other page of the site has.
        return (
            f"the page's id {_shown(page_id)} is not a cluster id: lowercase a-z, 0-9 and"
            " single hyphens, and none of the site's own addresses"
        )
    for name in files:
        if name not in PAGE_FILES:
            return (
                f"the page's file {_shown(name)} is not one that generate writes"
                f" ({', '.join(sorted(PAGE_FILES))})"
            )
    return None


def _checked_lines(
    text: str, where: str, problem_of: Callable[[Any], str | None], key: str
) -> tuple[list[dict[str, Any]], list[Diagnostic]]:
    """The records of a pages file, one JSON object a line, each checked by `problem_of` and
    unique by its `key` ('id', 'path'), and a problem for each bad line (bad JSON, a NUL, what
    `problem_of` finds, a key given twice): `where` names the file in them. Nothing of a bad
    line is used."""
    records: list[dict[str, Any]] = []
    problems: list[Diagnostic] = []
    first_line: dict[str, int] = {}
    for number, line in enumerate(text.split("\n"), 1):
        if not line:
            continue
        problem = None
        if "\0" in line:
            problem = "the line holds a NUL character"
        else:
            try:
                record = json.loads(line)
            except (ValueError, RecursionError) as exc:  # RecursionError: nested too deep
                problem = (
                    f"bad JSON: {getattr(exc, 'msg', exc)} at column {getattr(exc, 'colno', 1)}"
                )
            else:
                problem = problem_of(record)
        if problem is None and record[key] in first_line:
            problem = (
                f"the page's {key} {_shown(record[key])} is on line {first_line[record[key]]}"
                " too: two pages cannot share one address"
            )
        if problem is not None:
            problems.append(Diagnostic(where, number, 1, Severity.ERROR, problem))
            continue
        first_line[record[key]] = number
        records.append(record)
    return records, problems


def parse_pages(text: str, where: str) -> tuple[list[ClusterPage], list[Diagnostic]]:
    """The cluster pages of a pages file, each line checked, and a problem for each bad line
    (bad JSON, not a page, an empty id or one that is not a cluster id, a NUL, an id given
    twice): `where` names the file in them. Nothing of a bad line is used."""
    records, problems = _checked_lines(text, where, _page_problem, "id")
    return [ClusterPage(**record) for record in records], problems


class Shell:
    """A rendered shell page, cut at its tokens once, filled for each cluster; or, not `whole`,
    the part of one that a slim copy for search is made of (search_part), filled with the part
    of each body that search indexes."""

    def __init__(self, rendered: str, whole: bool = True) -> None:
        self._whole = whole
        url_token = f"clusters/{SHELL_ID}/"
        pattern = "|".join(re.escape(t) for t in (*TOKENS.values(), url_token))
        self._parts = re.split(f"({pattern})", rendered)
        names = {token: name for name, token in TOKENS.items()}
        names[url_token] = "url"
        self._slots = [(i, names[part]) for i, part in enumerate(self._parts) if part in names]
        found = {name for _, name in self._slots}
        missing = set(REQUIRED_TOKENS) - found
        if missing and whole:
            raise ValueError(f"the shell page lacks its {', '.join(sorted(missing))}")

    def fill(self, page: ClusterPage) -> str:
        """The complete HTML page of one cluster."""
        values = {
            "title": html.escape(page.title),
            "description": html.escape(page.description),
            "body": page.body
            if self._whole or page.searched is None
            else page.body[: page.searched],
            "trail": page.trail,
            "url": f"clusters/{page.id}/",
        }
        parts = list(self._parts)
        for index, name in self._slots:
            parts[index] = values[name]
        return "".join(parts)


# The other pages' shells: the tokens of their title and description, and the markers their
# body goes between (the first is an <h1> when the body has one, so that the theme adds none).
PAGE_TOKENS = {"title": "cdpage0title", "description": "cdpage0description"}
BODY_START, BODY_END = "cdpage0start", "cdpage0end"
PAGE_TOKEN_PREFIX = "cdpage0"
_PAGE_PATH = re.compile(r"(?:[a-z0-9][a-z0-9_-]*/)*[a-z0-9][a-z0-9_-]*\.md")
FILLS = ("title", "description", "body")


@dataclass(frozen=True, slots=True)
class SitePage:
    """A page that the engine rendered as its own shell, and what fills it: its Markdown path,
    and by name (title, description, body) the HTML that takes the place of each token."""

    path: str
    fills: dict[str, str]


def site_pages_text(pages: Iterable[SitePage]) -> bytes:
    """The other pages' fills as JSON Lines, for the build tree."""
    lines = (json.dumps(asdict(page), ensure_ascii=False, separators=(",", ":")) for page in pages)
    return ("\n".join(lines) + "\n").encode("utf-8")


def _site_page_problem(record: Any) -> str | None:
    """What is wrong with one decoded line of a site pages file, or None."""
    shape = (
        "not a page's fills: expected a JSON object with a 'path' and 'fills', an object of"
        f" text values among {', '.join(FILLS)}"
    )
    if not isinstance(record, dict) or set(record) != {"path", "fills"}:
        return shape
    path, fills = record["path"], record["fills"]
    if not isinstance(path, str) or not isinstance(fills, dict) or set(fills) - set(FILLS):
        return shape
    if not all(isinstance(text, str) for text in fills.values()):
        return shape
    for name, value in [("path", path), *fills.items()]:
        if "\0" in value:
            return f"the page's {name} holds a NUL character"
        if not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return f"the page's {name} holds a lone surrogate (\\ud800 to \\udfff), not text"
    if not _PAGE_PATH.fullmatch(path):
        return (
            f"the page's path {_shown(path)} is not one of a generated page: lowercase a-z, 0-9,"
            " '-' and '_' in folders and a name ending in '.md'"
        )
    return None


def parse_site_pages(text: str, where: str) -> tuple[list[SitePage], list[Diagnostic]]:
    """The fills of a site pages file, each line checked, and a problem for each bad line (bad
    JSON, not a page's fills, a path that is not a page's, a NUL, a path given twice)."""
    records, problems = _checked_lines(text, where, _site_page_problem, "path")
    return [SitePage(record["path"], record["fills"]) for record in records], problems


_BODY = re.compile(f"<(h1|div)>{BODY_START}</\\1>.*?<div>{BODY_END}</div>", re.DOTALL)


def fill_page(rendered: str, page: SitePage) -> str:
    """The complete HTML of a page from its rendered shell; raise ValueError naming what the
    shell lacks, or a token left in it that nothing fills."""
    pattern = "|".join(
        re.escape(PAGE_TOKENS[name]) for name in ("title", "description") if name in page.fills
    )
    parts: list[str] = []
    body = page.fills.get("body")
    if body is not None:
        found = _BODY.search(rendered)
        if found is None:
            raise ValueError("the engine's page lacks the markers its body goes between")
        parts = [rendered[: found.start()], body, rendered[found.end() :]]
    else:
        parts = [rendered, "", ""]
    names = {token: name for name, token in PAGE_TOKENS.items()}
    for index in (0, 2):
        pieces = re.split(f"({pattern})", parts[index]) if pattern else [parts[index]]
        for slot in range(1, len(pieces), 2):
            pieces[slot] = page.fills[names[pieces[slot]]]
        parts[index] = "".join(pieces)
        if PAGE_TOKEN_PREFIX in parts[index]:
            raise ValueError(
                "the engine's page holds a token of another page (a navigation entry without"
                " a title in mkdocs.yml?)"
            )
    return "".join(parts)


_SEARCH_BODY = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)\b[^>]*\sdata-pagefind-body[\s=/>]")
_LANG = re.compile(r"<html\b[^>]*\slang=\"([^\"<>]*)\"")


def search_part(rendered: str) -> tuple[str, str, str] | None:
    """The cluster shell cut for the search index: what goes before its one element that
    carries data-pagefind-body, the element itself, and what goes after, as a slim page that
    Pagefind reads as it reads the whole page (the page's language and that element are all it
    indexes); None when the shell has no such element, or more than one."""
    found = list(_SEARCH_BODY.finditer(rendered))
    if len(found) != 1:
        return None
    tag, start = found[0].group(1), found[0].start()
    depth = 0
    for match in re.finditer(f"<(/?){tag}\\b[^>]*>", rendered[start:]):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            end = start + match.end()
            break
    else:
        return None
    lang = _LANG.search(rendered)
    html_tag = f'<html lang="{lang.group(1)}">' if lang else "<html>"
    head = f'<!doctype html>\n{html_tag}<head><meta charset="utf-8"></head><body>'
    return head, rendered[start:end], "</body></html>\n"
