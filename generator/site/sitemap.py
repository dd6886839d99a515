"""The sitemap and robots.txt: every public page, with the day its content last changed.

A page's `lastmod` comes from the records and the as-of date alone, never from the clock or the
build: it is the latest day, on or before the as-of date, on which something the page shows
changed. For a cluster that is a day on which an award became known (the first day of its
assessment month), a validity ended (the day after its last valid day) or a renewal window
closed. A list changes when any cluster it shows or showed changes, so a country's pages take
the latest such day over every record of the country, a label's pages over every record with
an award at that level, and every other page (home, lists, map, statistics, about) over all
records. A daily rebuild on which nothing happened writes the same bytes.

A site in several languages has one sitemap, at its root: every page in every language, each
naming the same page in each language and English as the default (`xhtml:link` alternates, as
search engines read them: the same alternates as the page's head). Past 50,000 pages or 50 MB
(the protocol's limits), sitemap.xml is an index of numbered sitemaps.

The sitemap needs absolute addresses: without the site's URL there is none (and no robots.txt,
whose Sitemap line would be its only news). The finish step (finish.py) puts these files into
the site in place of the engine's own sitemap.

Pure: it takes the directory and the generated paths and returns files as values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import quote
from xml.sax.saxutils import escape

from generator.core import i18n
from generator.core.dates import iso_day
from generator.core.output import OutputFile
from generator.labels.rules import Rules
from generator.labels.status import periods, status
from generator.site.directory import Directory, Entry
from generator.site.pages import page_url
from generator.site.shell import SHELL_ID
from generator.site.siteconfig import site_address

SITEMAP_FILE = "sitemap.xml"
ROBOTS_FILE = "robots.txt"
# The protocol's limits for one sitemap file (pages, and bytes before compression); past
# either, an index of several.
MAX_URLS = 50_000
MAX_BYTES = 50 * 1024 * 1024
NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"  # the namespace of the alternates' xhtml:link
_ENTITIES = {'"': "&quot;", "'": "&apos;"}  # with escape()'s &, < and >: the protocol's five
_PAGE_FILES = (".md", "/index.html")  # Markdown pages, and pages written as HTML (the map)
_SHELL_PAGE = f"clusters/{SHELL_ID}.md"  # the cluster-page shell: not a page of its own
_ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class SitemapPage:
    """A public page: its address relative to the site's root, and the day it last changed."""

    url: str  # "" for the home page, "countries/de/", "clusters/page/2/"
    lastmod: dt.date | None  # None when no record shows a change on or before the as-of date


def _shown(entry: Entry, rules: Rules, day: dt.date) -> tuple[object, ...]:
    # What the directory shows of a cluster on a day: its state, label and dates, and how many
    # of its awards are known.
    then = status(entry.cluster.awards, rules, day)
    return (
        then.state,
        then.label,
        then.valid_until,
        then.renewable_until,
        then.level_of_record,
        then.valid_since,
        len(then.history),
    )


def last_change(entry: Entry, rules: Rules) -> dt.date | None:
    """The latest day, on or before the entry's as-of date, on which its status changed."""
    as_of = entry.status.as_of
    history = entry.status.history  # the awards known on the as-of date
    known = {effect.award.assessed.first_day() for effect in history}  # each one a change
    ends = set()
    for period in periods(history):
        window = rules.level(period.level).renewal_window_months
        ends.add((period.end + 1).first_day())  # the validity ended
        ends.add((period.end + window + 1).first_day())  # the renewal window closed
    # An end is a change only if the status differs from the day before: a lower level ending
    # under a higher one, or an end that a renewal had already moved, changes nothing shown.
    for day in sorted((d for d in known | ends if d <= as_of), reverse=True):
        if day in known or _shown(entry, rules, day) != _shown(entry, rules, day - _ONE_DAY):
            return day
    return None


def _latest(days: Iterable[dt.date | None]) -> dt.date | None:
    return max((d for d in days if d is not None), default=None)


def page_urls(paths: Iterable[str]) -> list[str]:
    """The public pages among the generated files of the site's content folder: each Markdown
    page but the cluster-page shell, and each page written as HTML (the map)."""
    urls = []
    for path in paths:
        if path == _SHELL_PAGE or not path.endswith(_PAGE_FILES):
            continue
        urls.append(page_url(path) if path.endswith(".md") else path.removesuffix("index.html"))
    return urls


def _scope(url: str) -> str:
    # A list's further pages (countries/de/page/2/) share its first page's scope.
    parts = url.split("/")
    return f"{parts[0]}/{parts[1]}/" if len(parts) > 2 else url


def sitemap_pages(directory: Directory, paths: Iterable[str]) -> tuple[SitemapPage, ...]:
    """Every public page, by address: the generated pages and one page per record."""
    rules = directory.rules
    changed = {e.cluster.id: last_change(e, rules) for e in directory.entries}
    scopes: dict[str, list[dt.date | None]] = {}
    for e in directory.entries:
        day = changed[e.cluster.id]
        scopes.setdefault(f"countries/{e.cluster.country.lower()}/", []).append(day)
        for level in {effect.award.level for effect in e.status.history}:
            scopes.setdefault(f"labels/{level}/", []).append(day)
    latest = {scope: _latest(days) for scope, days in scopes.items()}
    everything = _latest(changed.values())
    pages = {}
    for url in page_urls(paths):
        pages[url] = SitemapPage(url, latest.get(_scope(url), everything))
    for e in directory.entries:  # every record has a page, whatever its state
        url = f"clusters/{e.cluster.id}/"
        pages[url] = SitemapPage(url, changed[e.cluster.id])
    return tuple(pages[url] for url in sorted(pages))


def _loc(address: str) -> str:
    return f"<loc>{escape(address, _ENTITIES)}</loc>"


def _lastmod(day: dt.date | None) -> str:
    return f"<lastmod>{iso_day(day)}</lastmod>" if day else ""


def _document(root: str, items: Iterable[str], alternates: bool = False) -> bytes:
    return (_head(root, alternates) + "".join(f"{item}\n" for item in items) + _foot(root)).encode(
        "utf-8"
    )


def _head(root: str, alternates: bool) -> str:
    extra = f' xmlns:xhtml="{XHTML}"' if alternates else ""
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<{root} xmlns="{NAMESPACE}"{extra}>\n'


def _foot(root: str) -> str:
    return f"</{root}>\n"


def _folder(code: str) -> str:
    # A language's folder from the site's root, as build/settings.py:language_folder has it.
    return "" if code == i18n.SOURCE_LANGUAGE else f"{code}/"


def _url(base: str, url: str, lastmod: dt.date | None, links: str) -> str:
    return f"<url>{_loc(base + quote(url))}{_lastmod(lastmod)}{links}</url>"


def _links(base: str, url: str, languages: Sequence[str]) -> str:
    """A page's alternates: the same page in each language, and the first (English) for any
    other language (x-default), in the order of the page's head."""
    named = [*((code, _folder(code)) for code in languages), ("x-default", _folder(languages[0]))]
    return "".join(
        f'<xhtml:link rel="alternate" hreflang="{code}"'
        f' href="{escape(base + quote(folder + url), _ENTITIES)}"/>'
        for code, folder in named
    )


def _parts(items: list[str], fixed: int, limit: int, max_bytes: int) -> list[list[str]]:
    """The items in as few sitemaps as the limits allow, in order: at most `limit` items and
    `max_bytes` bytes each (`fixed`: the bytes of a sitemap's head and foot)."""
    parts: list[list[str]] = [[]]
    size = fixed
    for item in items:
        length = len(item.encode("utf-8")) + 1
        if parts[-1] and (len(parts[-1]) >= limit or size + length > max_bytes):
            parts.append([])
            size = fixed
        parts[-1].append(item)
        size += length
    return parts


def sitemap_files(
    directory: Directory,
    paths: Iterable[str],
    site_url: str,
    limit: int = MAX_URLS,
    languages: Sequence[str] = (i18n.SOURCE_LANGUAGE,),
    max_bytes: int = MAX_BYTES,
) -> list[OutputFile]:
    """sitemap.xml and robots.txt for the site's root, or nothing without the site's URL: every
    page in each language's folder ('' for English at the root, 'de/' for German), with its
    alternates when there are several languages.

    Over `limit` pages or `max_bytes` bytes, sitemap.xml is an index of sitemap-1.xml,
    sitemap-2.xml and so on.
    """
    if not site_url:
        return []
    base = site_address(site_url)  # normalised already by read_settings: kept for callers
    each = sitemap_pages(directory, paths)
    alternates = len(languages) > 1
    # Every language's pages, by address.
    pages = sorted(
        (
            (
                SitemapPage(_folder(code) + page.url, page.lastmod),
                _links(base, page.url, languages) if alternates else "",
            )
            for code in languages
            for page in each
        ),
        key=lambda pair: pair[0].url,
    )
    items = [_url(base, page.url, page.lastmod, links) for page, links in pages]
    fixed = len(_head("urlset", alternates)) + len(_foot("urlset"))
    parts = _parts(items, fixed, limit, max_bytes)
    if len(parts) == 1:
        files = [OutputFile(SITEMAP_FILE, _document("urlset", items, alternates))]
    else:
        names = [f"sitemap-{n}.xml" for n in range(1, len(parts) + 1)]
        starts = [sum(len(p) for p in parts[:n]) for n in range(len(parts))]
        days = [
            _latest(page.lastmod for page, _ in pages[start : start + len(part)])
            for start, part in zip(starts, parts, strict=True)
        ]
        index = (
            f"<sitemap>{_loc(base + name)}{_lastmod(day)}</sitemap>"
            for name, day in zip(names, days, strict=True)
        )
        files = [OutputFile(SITEMAP_FILE, _document("sitemapindex", index))]
        files += [
            OutputFile(name, _document("urlset", part, alternates))
            for name, part in zip(names, parts, strict=True)
        ]
    robots = f"User-agent: *\nAllow: /\n\nSitemap: {base}{SITEMAP_FILE}\n"
    return [*files, OutputFile(ROBOTS_FILE, robots.encode("ascii"))]
