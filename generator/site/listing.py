"""Lists of clusters that page: the static pages of at most PAGE_SIZE rows each, and the compact
index that `assets/lists.js` fetches to sort and filter a whole list in the browser.

Every list (all clusters, a country's, a label's, the renewals) is a Listing: its entries by
name, the column its pages are sorted by (the renewals: the soonest deadline first), the
columns its table shows and the filters its form offers; the index keeps the order by name. Page 1 is the list's own page;
page n lives at `<list>/page/<n>/`, so that the whole list is reachable without JavaScript. The
index holds only what the table shows and filters on, column by column, with repeated values
(countries, cities, levels) written once: at 10,000 clusters it stays near 400 KB.

Pure: it takes the directory and returns values; pages.py renders them. A list's title, its
countries' names and its index's words are those of the language current when they are asked
for.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from generator.core import i18n
from generator.core.countries import country_name
from generator.core.dates import day_text
from generator.core.errors import ConfigError
from generator.core.months import FIRST_YEAR, Month
from generator.site.directory import Directory, LabelledEntry, RenewalEntry, sort_key

PAGE_SIZE = 100
INDEX_FILE = "rows.json"
# Months in the index count from the first month the directory knows (FIRST_YEAR-01 is 0).
_EPOCH = Month.of(FIRST_YEAR, 1)
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"  # one character per sector in the index
_ASCII_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, slots=True)
class Title:
    """A list's title, worded in the current language when it is shown: a message marked with
    `i18n.N_` and its {value} (a label's name), or, without a message, a country's name by
    its code."""

    message: str
    value: str = ""

    def __str__(self) -> str:
        if not self.message:
            return country_name(self.value)
        return i18n.gettext(self.message).format(value=self.value)


@dataclass(frozen=True, slots=True)
class Listing:
    """One list of clusters: where it lives, its entries by name, its columns and filters."""

    path: str  # the list's folder in the site: "clusters", "countries/de", "labels/gold"
    page_md: str  # the Markdown file of page 1: "clusters/index.md", "countries/de.md"
    named: Title  # the list's page title, for the pages after the first
    entries: tuple[LabelledEntry | RenewalEntry, ...]
    columns: tuple[str, ...]  # from: name, country, label, valid_until, renewable_until, city
    filters: tuple[str, ...]  # from: q, country, label, sector
    renewal: bool = False  # rows are clusters in their renewal period
    sort: str = "name"  # the column its pages are sorted by, until a visitor sorts it otherwise
    downloads: str | None = None  # the folder of its own clusters.csv and .json (a country's)

    @property
    def title(self) -> str:
        """The list's page title in the current language, for the pages after the first."""
        return str(self.named)

    @property
    def pages(self) -> int:
        """How many static pages the list takes (one at least, even when it is empty)."""
        return max(1, -(-len(self.entries) // PAGE_SIZE))

    def ordered(self) -> tuple[LabelledEntry | RenewalEntry, ...]:
        """The entries in the list's own order: by its sort column, by name within equal
        values (as lists.js sorts)."""
        key = _SORT_KEYS[self.sort]
        return self.entries if key is None else tuple(sorted(self.entries, key=key))

    def rows(self, page: int) -> tuple[LabelledEntry | RenewalEntry, ...]:
        """The entries of one page, 1-based, in the list's own order."""
        return self.ordered()[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]

    def md_path(self, page: int) -> str:
        """The Markdown file of a page: page 1 is the list's own page."""
        return self.page_md if page == 1 else f"{self.path}/page/{page}.md"

    def countries(self) -> tuple[tuple[str, str], ...]:
        """The countries of the listed clusters, as (code, name), by name: the filter's choices."""
        codes = {e.cluster.country for e in self.entries}
        return tuple(sorted(((c, country_name(c)) for c in codes), key=lambda p: sort_key(p[1])))

    @property
    def download_name(self) -> str:
        """The name a download of the list starts with: 'clusters', 'clusters-de'."""
        last = self.path.rsplit("/", 1)[-1]
        return "clusters" if last == "clusters" else f"clusters-{last}"

    def url(self, page: int = 1) -> str:
        """The site URL of a page, relative to the site's root."""
        return f"{self.path}/" if page == 1 else f"{self.path}/page/{page}/"


# The orders a list may take before a visitor sorts it; None keeps the entries' order by name.
_SORT_KEYS: dict[str, Callable[[LabelledEntry | RenewalEntry], dt.date] | None] = {
    "name": None,
    "valid_until": lambda e: e.status.valid_until,
    "renewable_until": lambda e: e.status.renewable_until,
}


def _by_name(entries: tuple[RenewalEntry, ...]) -> tuple[RenewalEntry, ...]:
    return tuple(sorted(entries, key=lambda e: (sort_key(e.cluster.name), e.cluster.id)))


# Translators: the title of the list of every labelled cluster.
_ALL_TITLE = i18n.N_("All labelled clusters")
# Translators: the title of the list of labels that have ended and can still be renewed.
_RENEWALS_TITLE = i18n.N_("Labels that can be renewed")
# Translators: the title of a label's list of holders; {value} is the label's name (GOLD),
# which stays as it is.
_LABEL_TITLE = i18n.N_("{value} label")


def listings(directory: Directory) -> tuple[Listing, ...]:
    """Every list of clusters the site shows."""
    labelled = ("name", "country", "label", "valid_until", "city")
    found = [
        Listing("clusters", "clusters/index.md", Title(_ALL_TITLE), directory.labelled,
                labelled, ("q", "country", "label", "sector")),
        Listing("renewals", "renewals.md", Title(_RENEWALS_TITLE),
                _by_name(directory.renewals),
                ("name", "country", "label", "valid_until", "renewable_until"),
                ("q", "country", "label"), renewal=True, sort="renewable_until"),
    ]  # fmt: skip
    for country in directory.countries:
        found.append(
            Listing(
                f"countries/{country.slug}",
                f"countries/{country.slug}.md",
                Title("", country.code),
                country.labelled,
                tuple(c for c in labelled if c != "country"),
                ("q", "label", "sector"),
                downloads=f"countries/{country.slug}",
            )
        )
    for level in directory.rules.levels:
        found.append(
            Listing(
                f"labels/{level.id}",
                f"labels/{level.id}.md",
                Title(_LABEL_TITLE, level.name),
                directory.holders(level.id),
                tuple(c for c in labelled if c != "label"),
                ("q", "country", "sector"),
            )
        )
    return tuple(found)


def ascii_slug(name: str) -> str:
    """The id that lists.js derives from an ASCII name; where it is the record's id, the index
    leaves the id out (both languages compute it the same way, on ASCII alone)."""
    return _ASCII_SLUG.sub("-", name.lower()).strip("-")


def _month(day: dt.date) -> int:
    return Month.from_date(day) - _EPOCH


def _day_texts(months: list[int]) -> dict[str, str]:
    """The last day of each month the index holds, as the pages write a day ('31 May 2028', in
    the current language), by the month's number: lists.js shows these and formats no date."""
    return {str(m): day_text((_EPOCH + m).last_day()) for m in sorted(set(months))}


def list_index(listing: Listing, directory: Directory, sectors: tuple[str, ...]) -> bytes:
    """The list's compact index, column by column (see assets/lists.js for the reader)."""
    if len(sectors) > len(_DIGITS):
        raise ConfigError(f"the lists can filter on {len(_DIGITS)} sectors at most")
    entries = listing.entries
    cities = sorted({e.cluster.city or "" for e in entries}, key=sort_key)
    city_at = {city: i for i, city in enumerate(cities)}
    sector_at = {sector: _DIGITS[i] for i, sector in enumerate(sectors)}
    rules = directory.rules
    valid = [_month(e.status.valid_until) for e in entries]
    renewable = [_month(e.status.renewable_until) for e in entries] if listing.renewal else []
    # The level a row shows: a holder's label, a renewal's level that ended (level_of_record).
    document = {
        "count": len(entries),
        "pageSize": PAGE_SIZE,
        "firstYear": FIRST_YEAR,
        "days": _day_texts(valid + renewable),
        "levels": [lv.name for lv in rules.levels],
        "levelIds": [lv.id for lv in rules.levels],
        "sectors": list(sectors),
        # The sectors' names in the page's language, in the same order: the count line's words.
        "sectorNames": [i18n.gettext(sector) for sector in sectors],
        "countries": {code: country_name(code) for code in sorted({e.cluster.country for e in entries})},
        "cities": cities,
        "name": [e.cluster.name for e in entries],
        "id": {str(i): e.cluster.id for i, e in enumerate(entries) if ascii_slug(e.cluster.name) != e.cluster.id or not e.cluster.name.isascii()},
        "country": "".join(e.cluster.country for e in entries),
        "level": "".join(str(rules.level(e.status.level_of_record).rank) for e in entries),
        "validUntil": valid,
        "city": [city_at[e.cluster.city or ""] for e in entries],
        "sector": ["".join(sector_at[s] for s in e.cluster.sectors) for e in entries],
    }  # fmt: skip
    if listing.renewal:
        document["renewableUntil"] = renewable
    return (json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
