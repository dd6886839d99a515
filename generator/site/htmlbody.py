"""Page bodies as the engine renders them, without the engine: Markdown to HTML with the same
Python-Markdown extensions and settings as mkdocs.yml gives MkDocs, links rewritten as MkDocs
rewrites them, and the shell page that the engine renders around each body.

Why: MkDocs reads every page's raw HTML with Python's HTML parser, twice (its own anchor scan
and Python-Markdown's raw-block scan); the lists' tables are 11 MB of it at 10,000 clusters.
Here a raw HTML block that is provably left as it is (it starts a line with a block-level tag,
every `<` in it opens or closes a tag, and its tags nest) is put aside before Python-Markdown
reads the page and put back afterwards: Python-Markdown would have copied it to the output
unchanged. A page where that cannot be shown (a token of ours already in it, `markdown=`
attributes, a block put back anywhere but once) is converted the plain way.

Pure: text in, values out. generate renders each page's body here; the engine renders its shell
(shell.py says how the two are put together).
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as etree
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote, urlsplit, urlunsplit

import markdown
import yaml

from generator.core.errors import ConfigError, shown
from generator.site.shell import BODY_END, BODY_START, PAGE_TOKENS, SitePage
from generator.site.siteconfig import EngineSettings

# The engine's front matter: YAML between '---' lines at the very start (MkDocs's meta.get_data).
_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
try:
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML without libyaml
    _Loader = yaml.SafeLoader


def front_matter(text: str) -> tuple[dict[str, Any], str]:
    """A page's front matter (empty when it has none or it is not a mapping) and its Markdown
    after it, as the engine splits them."""
    found = _FRONT_MATTER.match(text)
    if not found:
        return {}, text
    try:
        meta = yaml.load(found.group(1), _Loader)
    except yaml.YAMLError:
        return {}, text
    if not isinstance(meta, dict):
        return {}, text
    return meta, text[found.end() :].lstrip("\n")


# -- raw HTML blocks put aside -----------------------------------------------------------------

_TOKEN = "cdraw0"  # a word no page holds: each block put aside is <tag>cdraw0<n>z</tag>
_CANDIDATE = re.compile(r"^<([a-zA-Z][a-zA-Z0-9]*)(?=[\s/>])", re.MULTILINE)
# A tag as our pages write them: quoted attribute values hold no < or >. Or a lone '<', which
# ends the block's chance (a comment, a declaration, text that Python's parser reads otherwise).
_TAG = re.compile(
    r"<(?:(/?)([a-zA-Z][a-zA-Z0-9-]*)"
    r"((?:\s+[^\s\"'<>/=`]+(?:\s*=\s*(?:\"[^\"<>]*\"|'[^'<>]*'|[^\s\"'=<>`]+))?)*)"
    r"\s*(/?)>)?"
)
_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)


def _block_end(text: str, start: int) -> int | None:
    """Where the raw block that starts at `start` ends, if every '<' in it is a tag and its tags
    nest (so that Python's HTML parser reads the same tags); else None."""
    stack: list[str] = []
    for found in _TAG.finditer(text, start):
        name = found.group(2)
        if name is None or "\x02" in found.group(0):
            return None
        name = name.lower()
        if found.group(1):
            if not stack or stack[-1] != name:
                return None
            stack.pop()
            if not stack:
                return found.end()
        elif not found.group(4) and name not in _VOID:
            stack.append(name)
        elif not stack:
            return None  # a void element alone is not a block of ours
    return None


class _RawBlocks(markdown.preprocessors.Preprocessor):
    """Puts provably unchanged raw HTML blocks aside, after whitespace is normalised and fenced
    code is stashed, before Python-Markdown's raw HTML scan."""

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.blocks: list[tuple[str, str]] = []  # (the token block, the block it stands for)
        self.enabled = True

    def run(self, lines: list[str]) -> list[str]:
        self.blocks = []
        text = "\n".join(lines)
        if not self.enabled or _TOKEN in text or "markdown=" in text:
            return lines
        parts: list[str] = []
        done = 0
        for found in _CANDIDATE.finditer(text):
            start = found.start()
            tag = found.group(1).lower()
            if start < done or not self.md.is_block_level(tag) or tag in _VOID:
                continue
            end = _block_end(text, start)
            if end is None:
                continue
            token = f"<{tag}>{_TOKEN}{len(self.blocks)}z</{tag}>"
            self.blocks.append((token, text[start:end]))
            parts += [text[done:start], token]
            done = end
        if not self.blocks:
            return lines
        parts.append(text[done:])
        return "".join(parts).split("\n")

    def restore(self, html: str) -> str | None:
        """The output with every block put back, or None when one is not there exactly once."""
        if not self.blocks:
            return html
        pieces = re.split(f"(<[a-z0-9]+>{_TOKEN}[0-9]+z</[a-z0-9]+>)", html)
        originals = dict(self.blocks)
        seen: set[str] = set()
        for index in range(1, len(pieces), 2):
            token = pieces[index]
            if token not in originals or token in seen:
                return None
            seen.add(token)
            pieces[index] = originals[token]
        return "".join(pieces) if len(seen) == len(originals) else None


# -- links, as MkDocs rewrites them ----------------------------------------------------------


def page_address(md_path: str) -> str:
    """A Markdown page's address as MkDocs gives it with directory URLs ('index.md' is './')."""
    stem = md_path.removesuffix(".md")
    dirname, name = posixpath.split(stem)
    folder = dirname if name in ("index", "README") else stem
    return quote((folder or ".") + "/")


def _file_address(path: str) -> str:
    return page_address(path) if path.endswith(".md") else quote(path)


def _norm_parts(path: str) -> list[str]:
    if not path.startswith("/"):
        path = "/" + path
    normal = posixpath.normpath(path)[1:]
    return normal.split("/") if normal else []


def relative_address(url: str, other: str) -> str:
    """`url` relative to the page at `other` (MkDocs's utils.get_relative_url)."""
    dirname, _, basename = other.rpartition("/")
    if "." in basename:
        other = dirname
    other_parts, dest_parts = _norm_parts(other), _norm_parts(url)
    common = 0
    for a, b in zip(other_parts, dest_parts, strict=False):
        if a != b:
            break
        common += 1
    relative = "/".join([".."] * (len(other_parts) - common) + dest_parts[common:]) or "."
    return relative + "/" if url.endswith("/") else relative


@dataclass(frozen=True, slots=True)
class LinkProblem:
    """A link in a page that the engine's strict build refuses: where, what, and why."""

    page: str
    url: str
    kind: str  # one of EngineSettings.LINK_CHECKS

    def message(self) -> str:
        """The problem in one line, naming the page by its Markdown path."""
        what = {
            "absolute_links": "is absolute: write it relative to the page",
            "not_found": "leads to no page or file of the site",
            "unrecognized_links": "leads to no page or file of the site",
            "anchors": "leads to an anchor that its page does not have",
        }[self.kind]
        return f"{shown(self.page, None)}: the link {shown(self.url, None)} {what}"


class _Links(markdown.treeprocessors.Treeprocessor):
    """Rewrites each link and image of the Markdown to the page it leads to, relative to the
    page (MkDocs's _RelativePathTreeprocessor), and notes what the engine would refuse."""

    def __init__(
        self, md: markdown.Markdown, files: frozenset[str], shared: frozenset[str] = frozenset()
    ) -> None:
        super().__init__(md)
        self.files = files
        self.shared = shared  # at the site's root, a folder above a translated tree's pages
        self.page = ""
        self.problems: list[LinkProblem] = []
        self.anchors: list[tuple[str, str]] = []  # (target page, anchor)

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            key = "href" if element.tag == "a" else "src" if element.tag == "img" else None
            if key is None:
                continue
            url = element.get(key)
            if url is not None:
                element.set(key, self._address(url))

    def _address(self, url: str) -> str:
        scheme, netloc, path, query, anchor = urlsplit(url)
        if scheme or netloc:
            return url
        if url.startswith(("/", "\\")):
            self.problems.append(LinkProblem(self.page, url, "absolute_links"))
            return url
        if markdown.util.AMP_SUBSTITUTE in url:
            return url
        if not path:
            if anchor:
                self.anchors.append((self.page, anchor))
            return url
        path = unquote(path)
        target = posixpath.normpath(posixpath.join(posixpath.dirname(self.page), path).lstrip("/"))
        if posixpath.normpath(path) == ".":
            target = self.page
        if target not in self.files and target in self.shared:
            # A download linked from a translated page: it exists once, at the site's root.
            relative = relative_address(_file_address(target), page_address(self.page))
            return urlunsplit(("", "", "../" + relative, query, anchor))
        if target not in self.files:
            kind = "unrecognized_links" if not posixpath.splitext(path)[-1] else "not_found"
            self.problems.append(LinkProblem(self.page, url, kind))
            return url
        if anchor and target.endswith(".md"):
            self.anchors.append((target, anchor))
        relative = relative_address(_file_address(target), page_address(self.page))
        return urlunsplit(("", "", relative, query, anchor))


# -- the renderer ------------------------------------------------------------------------------

# MkDocs adds these to every build's extensions, whatever mkdocs.yml says.
BUILTIN_EXTENSIONS = ("toc", "tables", "fenced_code")
_IDS = re.compile(r"""<[a-zA-Z][^>]*?\s(?:id|name)=["']?([^"'\s>]+)""")


@dataclass(frozen=True, slots=True)
class TocEntry:
    """One heading of a page's table of contents, as the engine's theme is given it."""

    level: int
    id: str
    name: str
    children: tuple[TocEntry, ...] = ()


def _toc(tokens: Iterable[Mapping[str, Any]]) -> tuple[TocEntry, ...]:
    return tuple(
        TocEntry(t["level"], t["id"], t["name"], _toc(t.get("children", ()))) for t in tokens
    )


@dataclass(frozen=True, slots=True)
class Body:
    """A page's body as HTML, with its table of contents, the links in it that the engine's
    strict build refuses, and the (page, anchor) its links to anchors lead to."""

    html: str
    toc: tuple[TocEntry, ...]
    problems: tuple[LinkProblem, ...] = ()
    anchors: tuple[tuple[str, str], ...] = ()


@dataclass(slots=True)
class BodyRenderer:
    """Renders Markdown bodies as the engine would; keeps the links the engine would refuse."""

    settings: EngineSettings
    files: frozenset[str]  # every file of the tree's content folder (links are checked against it)
    # For a translated tree (in its language's folder, a folder below the site's root): the
    # files that exist at the site's root only, which its pages link one folder up.
    shared: frozenset[str] = frozenset()
    _md: markdown.Markdown = field(init=False)
    _raw: _RawBlocks = field(init=False)
    _links: _Links = field(init=False)

    def __post_init__(self) -> None:
        names = list(dict.fromkeys([*BUILTIN_EXTENSIONS, *self.settings.extensions]))
        try:
            self._md = markdown.Markdown(
                extensions=names,
                extension_configs={k: dict(v) for k, v in self.settings.extension_configs.items()},
            )
        except Exception as exc:  # an unknown extension or a bad option: mkdocs.yml's mistake
            raise ConfigError(
                f"mkdocs.yml: markdown_extensions: {shown(exc, None, quoted=False)}"
            ) from None
        self._raw = _RawBlocks(self._md)
        self._md.preprocessors.register(self._raw, "clusterdir_raw_blocks", 22)
        self._links = _Links(self._md, self.files, self.shared)
        self._md.treeprocessors.register(self._links, "relpath", 0)

    def _convert(self, md_path: str, text: str) -> str:
        self._md.reset()
        self._links.page = md_path
        self._links.problems, self._links.anchors = [], []
        return self._md.convert(text)

    def render(self, md_path: str, text: str) -> Body:
        """The body HTML of the page at `md_path` (its Markdown after the front matter)."""
        html = self._raw.restore(self._convert(md_path, text))
        if html is None:  # a block did not come back as it went: the plain way
            self._raw.enabled = False
            try:
                html = self._convert(md_path, text)
            finally:
                self._raw.enabled = True
        return Body(
            html,
            _toc(getattr(self._md, "toc_tokens", [])),
            tuple(self._links.problems),
            tuple(self._links.anchors),
        )

    def outline(self, md_path: str, text: str) -> tuple[TocEntry, ...]:
        """The table of contents of Markdown text (a shell's)."""
        self._convert(md_path, text)
        return _toc(getattr(self._md, "toc_tokens", []))


def check_links(settings: EngineSettings, bodies: Mapping[str, Body]) -> None:
    """Raise ConfigError for the first link the engine's strict build would refuse: a link to
    no file, an absolute one, or one to an anchor its page lacks (as mkdocs.yml's `validation`
    says); `bodies` are the pages' bodies by Markdown path."""
    failing = settings.failing_links
    ids: dict[str, set[str]] = {}
    for path, body in bodies.items():
        for problem in body.problems:
            if problem.kind in failing:
                raise ConfigError(problem.message())
        if "anchors" not in failing:
            continue
        for target, anchor in body.anchors:
            if target not in bodies:
                continue
            if target not in ids:
                ids[target] = set(_IDS.findall(bodies[target].html))
            if anchor not in ids[target]:
                raise ConfigError(LinkProblem(path, f"#{anchor}", "anchors").message())


# -- the shell of each page ------------------------------------------------------------------

_HEADING = re.compile(r"^#{1,6}(?:[ \t].*)?$", re.MULTILINE)


def _front(meta: Mapping[str, Any]) -> str:
    if not meta:
        return ""
    return "---\n" + yaml.safe_dump(dict(meta), sort_keys=False, allow_unicode=True) + "---\n\n"


@dataclass(frozen=True, slots=True)
class PageShell:
    """A page as the engine gets it (its shell) and as finish completes it (its fills)."""

    shell: str
    page: SitePage
    body: Body


def page_shell(renderer: BodyRenderer, md_path: str, text: str, in_nav: bool) -> PageShell:
    """The shell the engine renders for a page, and what fills it.

    The shell keeps the page's front matter (its title only when the page is in the navigation,
    where other pages show it) and its headings, so that the engine gives it the page's
    navigation and table of contents; its description (and title) are tokens, and its body
    is two markers, between which the body rendered here goes. A page whose headings do not
    give the same table of contents alone keeps its whole Markdown (the engine renders it).
    """
    meta, markdown_body = front_matter(text)
    body = renderer.render(md_path, markdown_body)
    shell_meta = dict(meta)
    fills: dict[str, str] = {}
    for name in ("description",) if in_nav else ("title", "description"):
        value = meta.get(name)
        if isinstance(value, str) and value:
            shell_meta[name], fills[name] = PAGE_TOKENS[name], value
    start = "h1" if "<h1" in body.html else "div"
    headings = "".join(f"{line}\n\n" for line in _HEADING.findall(markdown_body))
    skeleton = f"<{start}>{BODY_START}</{start}>\n\n{headings}<div>{BODY_END}</div>\n"
    if renderer.outline(md_path, skeleton) == body.toc:
        fills["body"] = body.html
    else:
        skeleton = markdown_body
    return PageShell(_front(shell_meta) + skeleton, SitePage(md_path, fills), body)
