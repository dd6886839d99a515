"""Every sentence and phrase with a count, one function each, with its singular and plural: the
one place where the site and the commands put numbers into words, and the base of translations.

Each function takes numbers, names and dates (as values: dates.py makes them text) and gives
the whole text; no caller adds a plural 's', a verb's ending or the rest of a sentence. The form
for a count is chosen by `_plural` the way gettext's `ngettext` chooses it (English has a form
for 1 and one for every other number, 0 included), and each pattern is one whole message with
named fields, so that a translation replaces `_plural` and the patterns, never a caller.

A sentence whose counted subject a page sets apart (in bold, in the headlines) is a `Sentence`;
`str()` gives it whole, and pages.py's `strong_subject` filter gives it as HTML.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from generator.core.dates import day_month_text, day_text, iso_day


def number_text(n: int) -> str:
    """A count as the site writes it: '188', '10,000'."""
    return f"{n:,}"


def _plural(n: int, one: str, other: str) -> str:
    # gettext's ngettext for English: the singular for exactly 1.
    return one if n == 1 else other


def _counted(n: int, one: str, other: str, **fields: str) -> str:
    return _plural(n, one, other).format(n=number_text(n), **fields)


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence in three parts, so that a page can set its subject apart: the text before the
    subject, the subject (a count with its noun), and the text after it."""

    before: str
    subject: str
    after: str

    def __str__(self) -> str:
        return self.before + self.subject + self.after


def _sentence(pattern: str, subject: str, **fields: str) -> Sentence:
    """A whole sentence from its pattern, split around its '{subject}'."""
    before, _, after = pattern.partition("{subject}")
    return Sentence(before.format(**fields), subject, after.format(**fields))


def _and_list(items: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _or_list(items: Sequence[str]) -> str:
    """'a', 'a or b', 'a, b or c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


# Counted nouns


def clusters_text(n: int) -> str:
    """'1 cluster', '2 clusters'."""
    return _counted(n, "{n} cluster", "{n} clusters")


def countries_text(n: int) -> str:
    """'1 country', '2 countries'."""
    return _counted(n, "{n} country", "{n} countries")


def organisations_text(n: int) -> str:
    """'1 cluster organisation', '2 cluster organisations'."""
    return _counted(n, "{n} cluster organisation", "{n} cluster organisations")


def months_text(n: int) -> str:
    """'1 month', '24 months'."""
    return _counted(n, "{n} month", "{n} months")


def clusters_from_countries(clusters: int, countries: int) -> str:
    """The headline's subject: '188 clusters from 28 countries', '1 cluster from 1 country'."""
    return f"{clusters_text(clusters)} from {countries_text(countries)}"


def levels_text(counts: Sequence[tuple[int, str]]) -> str:
    """How many of each label, as given (highest first): '3 GOLD, 5 SILVER and 2 BRONZE'."""
    return _and_list([f"{number_text(n)} {name}" for n, name in counts])


def count_range_text(low: int, high: int | None) -> str:
    """A class of counts in the map's legend: '3', '3–4', or with no upper end '5 or more'."""
    if high is None:
        return f"{number_text(low)} or more"
    return number_text(low) if high == low else f"{number_text(low)}–{number_text(high)}"


# The pages' headlines


def holding_sentence(clusters: int, countries: int, day: dt.date) -> Sentence:
    """The headline: '188 clusters from 28 countries hold a valid ECEI label on 25 November 2026.'"""
    pattern = _plural(
        clusters,
        "{subject} holds a valid ECEI label on {day}.",
        "{subject} hold a valid ECEI label on {day}.",
    )
    return _sentence(pattern, clusters_from_countries(clusters, countries), day=day_text(day))


def country_holding_sentence(clusters: int, country: str, day: dt.date) -> Sentence:
    """A country's headline: '2 clusters in Germany hold a valid ECEI label on …'."""
    pattern = _plural(
        clusters,
        "{subject} in {country} holds a valid ECEI label on {day}.",
        "{subject} in {country} hold a valid ECEI label on {day}.",
    )
    return _sentence(pattern, clusters_text(clusters), country=country, day=day_text(day))


def level_holding_sentence(clusters: int, countries: int, level: str, day: dt.date) -> Sentence:
    """A label's headline: '1 cluster from 1 country holds the GOLD label on …'."""
    pattern = _plural(
        clusters,
        "{subject} holds the {level} label on {day}.",
        "{subject} hold the {level} label on {day}.",
    )
    return _sentence(
        pattern, clusters_from_countries(clusters, countries), level=level, day=day_text(day)
    )


def renewable_sentence(clusters: int, day: dt.date) -> Sentence:
    """The renewals page's headline: '2 clusters can renew a label on …, the soonest deadline
    first.'"""
    return _sentence(
        "{subject} can renew a label on {day}, the soonest deadline first.",
        clusters_text(clusters),
        day=day_text(day),
    )


# A list's count line. The page writes it for the list as it is sent (shown_sentence); lists.js
# writes it in the browser for each filtered or sorted view from these same patterns, which the
# page hands it (list_words): the two never word it differently. Fields: {n}, {first}, {last},
# {where} (the filters' phrases, in the order of _WHERE) and {order}.
_SHOWN = {
    "all": ("Showing all {n} cluster, {order}.", "Showing all {n} clusters, {order}."),
    "filtered": ("Showing {n} cluster{where}, {order}.", "Showing {n} clusters{where}, {order}."),
    "page": (
        "Showing {first}–{last} of {n} cluster{where}, {order}.",
        "Showing {first}–{last} of {n} clusters{where}, {order}.",
    ),
    "none": ("No cluster{where}.", "No cluster{where}."),
    "empty": ("No cluster is listed here.", "No cluster is listed here."),
}
# Each filter's phrase, in the order a sentence names them; {value} is what the visitor chose.
_WHERE = (
    ("country", " in {value}"),
    ("label", " with a {value} label"),
    ("sector", " in the sector {value}"),
    ("q", " matching “{value}”"),
)
_WHERE_RENEWAL_LABEL = " whose {value} label ended"  # a renewal list's rows hold no label
_ORDER = ("by {column}", "by {column}, descending")
_SORT_COLUMNS = {
    "name": "name",
    "country": "country",
    "label": "label",
    "valid_until": "end of validity",
    "renewable_until": "renewal deadline",
    "city": "city",
}


def order_text(sort: str, descending: bool = False) -> str:
    """How a list is sorted: 'by name', 'by renewal deadline, descending'."""
    return _ORDER[descending].format(column=_SORT_COLUMNS[sort])


def _where_text(where: Sequence[tuple[str, str]], renewal: bool) -> str:
    chosen = dict(where)
    patterns = dict(_WHERE) | ({"label": _WHERE_RENEWAL_LABEL} if renewal else {})
    return "".join(patterns[key].format(value=chosen[key]) for key, _ in _WHERE if chosen.get(key))


def shown_sentence(
    first: int,
    last: int,
    total: int,
    where: Sequence[tuple[str, str]] = (),
    sort: str = "name",
    descending: bool = False,
    renewal: bool = False,
) -> str:
    """Which clusters a view of a list shows: 'Showing all 2 clusters, by name.', 'Showing
    101–200 of 1,234 clusters, by name.', 'Showing 8 clusters in France with a SILVER label, by
    name.', or that none is there. `where` names the filters chosen, as (filter, value): filter
    among country, label, sector and q; `renewal` says the list's labels have ended."""
    where_text = _where_text(where, renewal)
    if not total:
        key = "none" if where_text else "empty"
    elif first == 1 and last == total:
        key = "filtered" if where_text else "all"
    else:
        key = "page"
    return _plural(total, *_SHOWN[key]).format(
        n=number_text(total),
        first=number_text(first),
        last=number_text(last),
        where=where_text,
        order=order_text(sort, descending),
    )


def list_words(renewal: bool = False) -> dict[str, object]:
    """The patterns of shown_sentence and pager_text, for lists.js to word its count line and
    its pager the same way."""
    where = dict(_WHERE) | ({"label": _WHERE_RENEWAL_LABEL} if renewal else {})
    return {
        "shown": {key: list(forms) for key, forms in _SHOWN.items()},
        "where": [[key, where[key]] for key, _ in _WHERE],
        "order": list(_ORDER),
        "columns": _SORT_COLUMNS,
        "pager": _PAGER,
    }


def list_page_title(title: str, number: int) -> str:
    """A further page of a list: 'All labelled clusters, page 2'."""
    return f"{title}, page {number_text(number)}"


_PAGER = "Page {page} of {pages}"  # lists.js words its pager from this too (list_words)


def pager_text(page: int, pages: int) -> str:
    """Where a page is among a list's pages: 'Page 2 of 13'."""
    return _PAGER.format(page=number_text(page), pages=number_text(pages))


def renewal_open_text(level: str, until: dt.date, months: int, extended_until: dt.date) -> str:
    """How a label in its renewal window comes back: 'A renewal assessed by 30 November 2026
    extends the SILVER label by 36 months from its end, to 30 November 2029, with no gap.'"""
    return (
        f"A renewal assessed by {day_text(until)} extends the {level} label by"
        f" {months_text(months)} from its end, to {day_text(extended_until)}, with no gap."
    )


def renewal_closed_text(level: str, closed: dt.date, months: int) -> str:
    """What a label past its renewal window needs: 'The renewal window closed on 30 November
    2025: a new assessment starts a new SILVER label, valid for 24 months from its month.'"""
    return (
        f"The renewal window closed on {day_text(closed)}: a new assessment starts a new {level}"
        f" label, valid for {months_text(months)} from the month of the assessment."
    )


def records_as_of_sentence(day: dt.date) -> Sentence:
    """Every page's footer: 'Records as of 25 November 2026.', the day as its subject (the
    footer marks it up as a date)."""
    return _sentence("Records as of {subject}.", day_text(day))


def year_as_of_text(day: dt.date) -> str:
    """The as-of year, counted only up to the as-of date: '2026, as of 27 November'."""
    return f"{day.year}, as of {day_month_text(day)}"


# The pages' descriptions (meta and Open Graph)


def home_description(clusters: int, countries: int, day: dt.date) -> str:
    """The home page's description: the headline and what the site offers."""
    return _plural(
        clusters,
        "{subject} holds a label of the European Cluster Excellence Initiative (ECEI) as of "
        "{day}. Find it on a map, by country, label and sector, check a label, and download "
        "the register.",
        "{subject} hold a label of the European Cluster Excellence Initiative (ECEI) as of "
        "{day}. Find them on a map, by country, label and sector, check a label, and download "
        "the register.",
    ).format(subject=clusters_from_countries(clusters, countries), day=day_text(day))


def countries_description(countries: int, day: dt.date) -> str:
    """The countries page's description."""
    return (
        f"The {countries_text(countries)} with a cluster organisation that holds an ECEI label "
        f"as of {day_text(day)}, with how many in each."
    )


def clusters_description(clusters: int, day: dt.date) -> str:
    """The description of the list of every labelled cluster."""
    return _plural(
        clusters,
        "The {subject} that holds a valid ECEI label as of {day}, to sort and filter by "
        "country, label and sector.",
        "All {subject} that hold a valid ECEI label as of {day}, to sort and filter by "
        "country, label and sector.",
    ).format(subject=organisations_text(clusters), day=day_text(day))


def country_description(
    clusters: int,
    country: str,
    day: dt.date,
    levels: Sequence[tuple[int, str]],
    renewable: int,
) -> str:
    """A country's description: how many of its clusters hold which label (`levels`, highest
    first, those without a holder left out), and how many can renew one."""
    text = _plural(
        clusters,
        "{subject} in {country} holds an ECEI label as of {day}",
        "{subject} in {country} hold an ECEI label as of {day}",
    ).format(subject=organisations_text(clusters), country=country, day=day_text(day))
    if levels:
        text += f": {levels_text(levels)}"
    if renewable:
        text += f"; {number_text(renewable)} can renew one"
    return text + "."


def level_description(clusters: int, level: str, title: str, day: dt.date) -> str:
    """A label's description: its holders and what the page explains."""
    named = f"{level} label ({title})" if title else f"{level} label"
    return _plural(
        clusters,
        "{subject} holds the ECEI {named} as of {day}. What it takes, how long it is valid "
        "and how it is renewed.",
        "{subject} hold the ECEI {named} as of {day}. What it takes, how long it is valid "
        "and how it is renewed.",
    ).format(subject=organisations_text(clusters), named=named, day=day_text(day))


def renewals_description(clusters: int, day: dt.date) -> str:
    """The renewals page's description."""
    return (
        f"{organisations_text(clusters)} whose ECEI label has ended but can still be renewed, "
        f"as of {day_text(day)}, soonest deadline first."
    )


def list_page_description(
    title: str, number: int, pages: int, first: int, last: int, total: int, sort: str = "name"
) -> str:
    """A further page of a list: which clusters it holds, in the list's own order."""
    # One form in English; a language whose noun follows the number takes a form per `total`.
    return _plural(
        total,
        "{title}, page {number} of {pages}: clusters {first} to {last} of {n}, {order}.",
        "{title}, page {number} of {pages}: clusters {first} to {last} of {n}, {order}.",
    ).format(
        order=order_text(sort),
        title=title,
        number=number_text(number),
        pages=number_text(pages),
        first=number_text(first),
        last=number_text(last),
        n=number_text(total),
    )


def map_page_description(clusters: int, countries: int, marked: int) -> str:
    """The map page's description: what it shows, and how many clusters it marks."""
    if not clusters:
        return "Map of the clusters that hold a valid ECEI label: none holds one on this date."
    if marked == clusters:
        where = _plural(
            clusters, "it is marked where it is based", "each is marked where it is based"
        )
    elif not marked and clusters == 1:
        where = "it is not marked: where it is based is not known"
    else:
        where = _counted(
            marked,
            "{n} of them is marked where it is based",
            "{n} of them are marked where they are based",
        )
    return _plural(
        clusters,
        "Map of the {subject} that holds a valid ECEI label: each country is shaded by its "
        "number of labelled clusters, and {where}.",
        "Map of the {subject} that hold a valid ECEI label: each country is shaded by its "
        "number of labelled clusters, and {where}.",
    ).format(subject=clusters_from_countries(clusters, countries), where=where)


def off_map_sentence(clusters: int, countries: Sequence[str]) -> str:
    """The clusters the map's frame leaves out, with their countries: '2 clusters outside this
    map: Mexico.' The countries' names are put in as given (a page gives them as links)."""
    return _counted(
        clusters,
        "{n} cluster outside this map: {countries}.",
        "{n} clusters outside this map: {countries}.",
        countries=_and_list(countries),
    )


def unlocated_sentence(unlocated: int, clusters: int) -> str:
    """How many of the labelled clusters the map cannot place: '25 of 188 clusters have no
    location on the map.'"""
    if not unlocated:
        return _counted(
            clusters,
            "The {n} cluster has a location on the map.",
            "All {n} clusters have a location on the map.",
        )
    if unlocated == clusters:
        return _counted(
            clusters,
            "The {n} cluster has no location on the map.",
            "None of the {n} clusters has a location on the map.",
        )
    return _plural(
        unlocated,
        "{u} of {n} clusters has no location on the map.",
        "{u} of {n} clusters have no location on the map.",
    ).format(u=number_text(unlocated), n=number_text(clusters))


def map_script_words() -> dict[str, tuple[str, str]]:
    """The counted phrases that assets/map.js writes in the browser, each as its two forms (for
    exactly 1, and for every other number) with the fields {n}, {name} and {place}: a country's
    name and tooltip ('Spain: 17 clusters') and a group of markers' name ('5 clusters near Lyon',
    '3 clusters in Malta')."""
    return {
        "country": ("{name}: {n} cluster", "{name}: {n} clusters"),
        "groupNear": ("{n} cluster near {place}", "{n} clusters near {place}"),
        "groupIn": ("{n} cluster in {place}", "{n} clusters in {place}"),
    }


def register_description(levels: Sequence[str], clusters: int, countries: int, day: dt.date) -> str:
    """What the register holds (the Dataset's description in JSON-LD and DCAT-AP)."""
    return _plural(
        clusters,
        "The register of cluster organisations that hold a label of the European Cluster "
        "Excellence Initiative ({levels}) or can still renew one, with every award they "
        "received. On {day}, {subject} holds a valid label.",
        "The register of cluster organisations that hold a label of the European Cluster "
        "Excellence Initiative ({levels}) or can still renew one, with every award they "
        "received. On {day}, {subject} hold a valid label.",
    ).format(
        levels=_or_list(levels),
        day=iso_day(day),
        subject=clusters_from_countries(clusters, countries),
    )


# The commands' summaries and messages


def check_summary(records: int, errors: int, warnings: int) -> str:
    """What `check` found: '188 records, 0 errors, 1 warning'."""
    return ", ".join(
        (
            _counted(records, "{n} record", "{n} records"),
            _counted(errors, "{n} error", "{n} errors"),
            _counted(warnings, "{n} warning", "{n} warnings"),
        )
    )


def info_summary(unplaced: int, without_eccp: int) -> str:
    """What `check --info` adds to the summary: ', 2 without a map position, 1 without an ECCP
    profile'."""
    return (
        f", {number_text(unplaced)} without a map position,"
        f" {number_text(without_eccp)} without an ECCP profile"
    )


def problems_left_out(n: int) -> str:
    """The end of a step summary too long for GitHub: '12 more problems did not fit in …'."""
    return _counted(
        n,
        "{n} more problem did not fit in GitHub's summary: the log lists it",
        "{n} more problems did not fit in GitHub's summary: the log lists them",
    )


def errors_in(errors: int, what: str = "the records") -> str:
    """Why a command stopped: '3 errors in the records', '1 error in the project's files'."""
    return _counted(errors, "{n} error in {what}", "{n} errors in {what}", what=what)


def import_summary(rows: int, records: int, skipped: int, dry_run: bool) -> str:
    """What `import-csv` did: '12 rows: wrote 10 records, skipped 2 rows'."""
    done = _plural(
        records,
        "would write {n} record" if dry_run else "wrote {n} record",
        "would write {n} records" if dry_run else "wrote {n} records",
    ).format(n=number_text(records))
    return (
        f"{_counted(rows, '{n} row', '{n} rows')}: {done}, "
        f"skipped {_counted(skipped, '{n} row', '{n} rows')}"
    )


def build_summary(
    folder: str,
    day: dt.date,
    clusters: int,
    countries: int,
    pages: int,
    seconds: float,
) -> str:
    """What `build` made: 'Built site/ as of 2026-11-25: 188 clusters from 28 countries, 412
    pages in 9.3 s'."""
    return (
        f"Built {folder}/ as of {iso_day(day)}: {clusters_from_countries(clusters, countries)}, "
        f"{_counted(pages, '{n} page', '{n} pages')} in {seconds:.1f} s"
    )


def benchmarkings_text(n: int, level: str) -> str:
    """'1 BRONZE benchmarking', '2 BRONZE benchmarkings'."""
    return _plural(n, "{n} {level} benchmarking", "{n} {level} benchmarkings").format(
        n=number_text(n), level=level
    )
