"""Every sentence and phrase with a count, one function each, with its singular and plural: the
one place where the site and the commands put numbers into words, and the base of translations.

Each function takes numbers, names and dates (as values: dates.py makes them text) and gives
the whole text in the current language (`i18n.current()`); no caller adds a plural 's', a verb's
ending or the rest of a sentence. Each pattern is one whole message with named fields, marked
for extraction and translated when the function runs: `_plural` picks the form for a count
through `i18n.ngettext`, as the language's catalog says (English has a form for 1 and one for
every other number, 0 included; Polish has three), and the fields are filled in after the
pattern is translated, so that a translation puts them in its own order. Numbers are written
as the language writes them (`i18n.number_text`), lists joined with its own 'and' and 'or'
(CLDR's, through Babel). Where a sentence counts two things, the second count is a phrase of
its own, counted apart and given as a field ('{clusters} from {n} countries').

The commands' summaries at the end stay English and are not marked: editors' messages are not
translated (`_english_counted`).

A sentence whose counted subject a page sets apart (in bold, in the headlines) is a `Sentence`;
`str()` gives it whole, and pages.py's `strong_subject` filter gives it as HTML.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import babel
from babel.lists import format_list

from generator.core import i18n
from generator.core.dates import day_month_text, day_text, iso_day

# The helpers here that carry messages, for Babel's keywords (babel.cfg), beside i18n's own:
#   _plural:2,3  _counted:2,3  _forms:1,2  _pmarked:1c,2
# (`_english_plural` and `_english_counted` carry the commands' messages: not keywords.)


def _plural(n: int, one: str, other: str) -> str:
    """The form of a counted message for `n`, in the current language."""
    return i18n.ngettext(one, other, n)


def _counted(n: int, one: str, other: str, **fields: str) -> str:
    """A counted message in the current language, `n` and the fields filled in."""
    return _plural(n, one, other).format(n=i18n.number_text(n), **fields)


def _forms(one: str, other: str) -> tuple[str, str]:
    """Mark a counted message's two forms where they are defined (a script gets them too);
    `i18n.ngettext(one, other, n)` translates them where they are shown."""
    return one, other


def _pmarked(context: str, message: str) -> str:
    """Mark a message with its context where it is defined; `i18n.pgettext(context, message)`
    translates it where it is shown."""
    return message


def _english_plural(n: int, one: str, other: str) -> str:
    # gettext's ngettext for English: the singular for exactly 1. For the commands only.
    return one if n == 1 else other


def _english_counted(n: int, one: str, other: str, **fields: str) -> str:
    return _english_plural(n, one, other).format(n=f"{n:,}", **fields)


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


# CLDR's `en` joins 'a, b, and c'; the site's English is British, as `en_GB` joins: 'a, b and c'.
_ENGLISH_LISTS = babel.Locale.parse("en_GB")


def _list_locale() -> babel.Locale:
    language = i18n.current()
    return _ENGLISH_LISTS if language.code == i18n.SOURCE_LANGUAGE else language.locale


def _and_list(items: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'; 'a, b und c' in German."""
    return format_list(list(items), style="standard", locale=_list_locale())


def _or_list(items: Sequence[str]) -> str:
    """'a', 'a or b', 'a, b or c'; 'a, b lub c' in Polish."""
    return format_list(list(items), style="or", locale=_list_locale())


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
    # Translators: the subject of the headlines and of several sentences, counted by the
    # countries; {clusters} is '188 clusters' (the message "{n} cluster").
    return _counted(
        countries,
        "{clusters} from {n} country",
        "{clusters} from {n} countries",
        clusters=clusters_text(clusters),
    )


def levels_text(counts: Sequence[tuple[int, str]]) -> str:
    """How many of each label, as given (highest first): '3 GOLD, 5 SILVER and 2 BRONZE'."""
    # Translators: how many cluster organisations hold a label, one item of a list ('3 GOLD,
    # 5 SILVER and 2 BRONZE'); {level} is the label's name, which stays as it is.
    held = i18n.gettext("{n} {level}")
    return _and_list([held.format(n=i18n.number_text(n), level=name) for n, name in counts])


def count_range_text(low: int, high: int | None) -> str:
    """A class of counts in the map's legend: '3', '3–4', or with no upper end '5 or more'."""
    if high is None:
        # Translators: a class of the map's legend with no upper end: countries with 5 or
        # more labelled clusters.
        return i18n.gettext("{n} or more").format(n=i18n.number_text(low))
    low_text = i18n.number_text(low)
    return low_text if high == low else f"{low_text}–{i18n.number_text(high)}"


# The pages' headlines


def holding_sentence(clusters: int, countries: int, day: dt.date) -> Sentence:
    """The headline: '188 clusters from 28 countries hold a valid ECEI label on 25 November 2026.'"""
    # Translators: the home page's headline, counted by the clusters; {subject} is '188
    # clusters from 28 countries' (set in bold), {day} the records' date.
    pattern = _plural(
        clusters,
        "{subject} holds a valid ECEI label on {day}.",
        "{subject} hold a valid ECEI label on {day}.",
    )
    return _sentence(pattern, clusters_from_countries(clusters, countries), day=day_text(day))


def country_holding_sentence(clusters: int, country: str, day: dt.date) -> Sentence:
    """A country's headline: '2 clusters in Germany hold a valid ECEI label on …'."""
    # Translators: a country's headline, counted by the clusters; {subject} is '2
    # clusters' (set in bold), {country} the country's name.
    pattern = _plural(
        clusters,
        "{subject} in {country} holds a valid ECEI label on {day}.",
        "{subject} in {country} hold a valid ECEI label on {day}.",
    )
    return _sentence(pattern, clusters_text(clusters), country=country, day=day_text(day))


def level_holding_sentence(clusters: int, countries: int, level: str, day: dt.date) -> Sentence:
    """A label's headline: '1 cluster from 1 country holds the GOLD label on …'."""
    # Translators: a label's headline, counted by the clusters; {subject} is '1 cluster
    # from 1 country' (set in bold), {level} the label's name (GOLD), which stays as it is.
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
    # Translators: the renewals page's headline, counted by the clusters; {subject} is '2
    # clusters' (set in bold).
    pattern = _plural(
        clusters,
        "{subject} can renew a label on {day}, the soonest deadline first.",
        "{subject} can renew a label on {day}, the soonest deadline first.",
    )
    return _sentence(pattern, clusters_text(clusters), day=day_text(day))


# A list's count line. The page writes it for the list as it is sent (shown_sentence); lists.js
# writes it in the browser for each filtered or sorted view from these same patterns, which the
# page hands it (list_words): the two never word it differently. Fields: {n}, {first}, {last},
# {where} (the filters' phrases, in the order of _WHERE) and {order}. Each is marked here and
# translated where it is used (list_words hands them to lists.js as they are defined).
_SHOWN = {
    # Translators: a list's count line; {order} is how it is sorted ('by name').
    "all": _forms("Showing all {n} cluster, {order}.", "Showing all {n} clusters, {order}."),
    # Translators: a filtered list's count line; {where} is the filters' phrases, each starting
    # with a space (' in France with a GOLD label'), {order} how it is sorted ('by name').
    "filtered": _forms("Showing {n} cluster{where}, {order}.", "Showing {n} clusters{where}, {order}."),
    # Translators: the count line of one page of a list: 'Showing 101–200 of 1,234
    # clusters, by name.'; {where} is the filters' phrases, each starting with a space.
    "page": _forms(
        "Showing {first}–{last} of {n} cluster{where}, {order}.",
        "Showing {first}–{last} of {n} clusters{where}, {order}.",
    ),
    # Translators: a filtered list with nothing to show; {where} is the filters' phrases, each
    # starting with a space (' in France').
    "none": _forms("No cluster{where}.", "No cluster{where}."),
    "empty": _forms("No cluster is listed here.", "No cluster is listed here."),
}  # fmt: skip
# Each filter's phrase, in the order a sentence names them; {value} is what the visitor chose.
_WHERE = (
    # Translators: a filter's phrase in a list's count line, after its noun ('Showing 8
    # clusters in France'); {value} is a country's name. Keep the space before it.
    ("country", i18n.N_(" in {value}")),
    # Translators: a filter's phrase in a list's count line; {value} is a label's name (GOLD),
    # which stays as it is. Keep the space before it.
    ("label", i18n.N_(" with a {value} label")),
    # Translators: a filter's phrase in a list's count line; {value} is a sector's name (in
    # English, as the records name it). Keep the space before it.
    ("sector", i18n.N_(" in the sector {value}")),
    # Translators: a filter's phrase in a list's count line; {value} is what the visitor
    # searched for. Keep the space before it.
    ("q", i18n.N_(" matching “{value}”")),
)
# A renewal list's rows hold no label.
# Translators: a filter's phrase in the count line of the list of labels that can be renewed;
# {value} is a label's name (GOLD). Keep the space before it.
_WHERE_RENEWAL_LABEL = i18n.N_(" whose {value} label ended")
_ORDER = (
    # Translators: how a list is sorted, at the end of its count line; {column} is a column's
    # name as it follows here (the messages with the context "sorted by").
    i18n.N_("by {column}"),
    # Translators: how a list is sorted, from the last to the first.
    i18n.N_("by {column}, descending"),
)
# Translated with the context "sorted by" (i18n.pgettext), as they follow 'by' in _ORDER.
_SORTED_BY = "sorted by"
_SORT_COLUMNS = {
    # Translators: a list's columns as they follow 'by' in "by {column}" (a list's order).
    "name": _pmarked("sorted by", "name"),
    "country": _pmarked("sorted by", "country"),
    "label": _pmarked("sorted by", "label"),
    "valid_until": _pmarked("sorted by", "end of validity"),
    "renewable_until": _pmarked("sorted by", "renewal deadline"),
    "city": _pmarked("sorted by", "city"),
}


def order_text(sort: str, descending: bool = False) -> str:
    """How a list is sorted: 'by name', 'by renewal deadline, descending'."""
    column = i18n.pgettext(_SORTED_BY, _SORT_COLUMNS[sort])
    return i18n.gettext(_ORDER[descending]).format(column=column)


def _where_text(where: Sequence[tuple[str, str]], renewal: bool) -> str:
    chosen = dict(where)
    patterns = dict(_WHERE) | ({"label": _WHERE_RENEWAL_LABEL} if renewal else {})
    return "".join(
        i18n.gettext(patterns[key]).format(value=chosen[key])
        for key, _ in _WHERE
        if chosen.get(key)
    )


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
    one, other = _SHOWN[key]
    return _plural(total, one, other).format(
        n=i18n.number_text(total),
        first=i18n.number_text(first),
        last=i18n.number_text(last),
        where=where_text,
        order=order_text(sort, descending),
    )


def list_words(renewal: bool = False) -> dict[str, object]:
    """Every word lists.js shows, in the current language: the patterns of shown_sentence (a
    counted one as its form for each plural category, `i18n.plural_forms`) and of pager_text,
    the pager's name and links, and what the list says when its files cannot be fetched."""
    where = dict(_WHERE) | ({"label": _WHERE_RENEWAL_LABEL} if renewal else {})
    return {
        "shown": {key: i18n.plural_forms(*forms) for key, forms in _SHOWN.items()},
        "where": [[key, i18n.gettext(where[key])] for key, _ in _WHERE],
        "order": [i18n.gettext(order) for order in _ORDER],
        "columns": {key: i18n.pgettext(_SORTED_BY, name) for key, name in _SORT_COLUMNS.items()},
        "pager": i18n.gettext(_PAGER),
        "pages": i18n.gettext("Pages of the list"),
        "previous": i18n.gettext("Previous"),
        "next": i18n.gettext("Next"),
        "notFiltered": i18n.gettext(
            "The list could not be filtered just now; the pages below still list every cluster."
        ),
        "notDownloaded": i18n.gettext(
            "This list could not be downloaded just now; the whole register below still can."
        ),
    }


def languages_text(codes: Sequence[str]) -> str:
    """The names of languages in the current language, joined: 'English, German and Polish'."""
    locale = i18n.current().locale
    return _and_list([str(babel.Locale.parse(code).get_display_name(locale)) for code in codes])


def list_page_title(title: str, number: int) -> str:
    """A further page of a list: 'All labelled clusters, page 2'."""
    # Translators: the title of a further page of a list: 'All labelled clusters, page 2'.
    return i18n.gettext("{title}, page {number}").format(
        title=title, number=i18n.number_text(number)
    )


# Translators: where a page is among a list's pages: 'Page 2 of 13'.
_PAGER = i18n.N_("Page {page} of {pages}")  # lists.js words its pager from this too (list_words)


def pager_text(page: int, pages: int) -> str:
    """Where a page is among a list's pages: 'Page 2 of 13'."""
    return i18n.gettext(_PAGER).format(page=i18n.number_text(page), pages=i18n.number_text(pages))


def renewal_open_text(level: str, until: dt.date, months: int, extended_until: dt.date) -> str:
    """How a label in its renewal window comes back: 'A renewal assessed by 30 November 2026
    extends the SILVER label by 36 months from its end, to 30 November 2029, with no gap.'"""
    # Translators: on a cluster page whose label can still be renewed, counted by the
    # months a renewal adds; {level} is the label's name (SILVER), {until} and {extended}
    # are days ('30 November 2026').
    return _counted(
        months,
        "A renewal assessed by {until} extends the {level} label by {n} month from its end,"
        " to {extended}, with no gap.",
        "A renewal assessed by {until} extends the {level} label by {n} months from its end,"
        " to {extended}, with no gap.",
        until=day_text(until),
        level=level,
        extended=day_text(extended_until),
    )


def renewal_closed_text(level: str, closed: dt.date, months: int) -> str:
    """What a label past its renewal window needs: 'The renewal window closed on 30 November
    2025: a new assessment starts a new SILVER label, valid for 24 months from its month.'"""
    # Translators: on a cluster page whose label can no longer be renewed, counted by the
    # months a new label is valid; {level} is the label's name (SILVER), {closed} a day.
    return _counted(
        months,
        "The renewal window closed on {closed}: a new assessment starts a new {level} label,"
        " valid for {n} month from the month of the assessment.",
        "The renewal window closed on {closed}: a new assessment starts a new {level} label,"
        " valid for {n} months from the month of the assessment.",
        closed=day_text(closed),
        level=level,
    )


def records_as_of_sentence(day: dt.date) -> Sentence:
    """Every page's footer: 'Records as of 25 November 2026.', the day as its subject (the
    footer marks it up as a date)."""
    # Translators: every page's footer; {subject} is the day the records are valid for.
    return _sentence(i18n.gettext("Records as of {subject}."), day_text(day))


def year_as_of_text(day: dt.date) -> str:
    """The as-of year, counted only up to the as-of date: '2026, as of 27 November'."""
    # Translators: the current year in the statistics' tables, counted up to the records'
    # date: '2026, as of 27 November'.
    return i18n.gettext("{year}, as of {day}").format(year=str(day.year), day=day_month_text(day))


# The pages' descriptions (meta and Open Graph)


def home_description(clusters: int, countries: int, day: dt.date) -> str:
    """The home page's description: the headline and what the site offers."""
    # Translators: the home page's description (search engines and shared links show it),
    # counted by the clusters; {subject} is '188 clusters from 28 countries'.
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
    # Translators: the countries page's description, counted by the countries.
    return _counted(
        countries,
        "The {n} country with a cluster organisation that holds an ECEI label as of {day}, "
        "with how many in each.",
        "The {n} countries with a cluster organisation that holds an ECEI label as of {day}, "
        "with how many in each.",
        day=day_text(day),
    )


def clusters_description(clusters: int, day: dt.date) -> str:
    """The description of the list of every labelled cluster."""
    # Translators: the description of the list of every labelled cluster.
    return _counted(
        clusters,
        "The {n} cluster organisation that holds a valid ECEI label as of {day}, to sort and "
        "filter by country, label and sector.",
        "All {n} cluster organisations that hold a valid ECEI label as of {day}, to sort and "
        "filter by country, label and sector.",
        day=day_text(day),
    )


def country_description(
    clusters: int,
    country: str,
    day: dt.date,
    levels: Sequence[tuple[int, str]],
    renewable: int,
) -> str:
    """A country's description: how many of its clusters hold which label (`levels`, highest
    first, those without a holder left out), and how many can renew one."""
    if levels and renewable:
        # Translators: a country's description, counted by its cluster organisations;
        # {levels} is '3 GOLD and 2 BRONZE', {renewable} the message "{n} can renew one".
        pattern = _plural(
            clusters,
            "{n} cluster organisation in {country} holds an ECEI label as of {day}: {levels}; "
            "{renewable}.",
            "{n} cluster organisations in {country} hold an ECEI label as of {day}: {levels}; "
            "{renewable}.",
        )
    elif levels:
        # Translators: a country's description; {levels} is '3 GOLD and 2 BRONZE'.
        pattern = _plural(
            clusters,
            "{n} cluster organisation in {country} holds an ECEI label as of {day}: {levels}.",
            "{n} cluster organisations in {country} hold an ECEI label as of {day}: {levels}.",
        )
    elif renewable:
        # Translators: a country's description; {renewable} is the message "{n} can renew
        # one".
        pattern = _plural(
            clusters,
            "{n} cluster organisation in {country} holds an ECEI label as of {day}; {renewable}.",
            "{n} cluster organisations in {country} hold an ECEI label as of {day}; {renewable}.",
        )
    else:
        # Translators: a country's description.
        pattern = _plural(
            clusters,
            "{n} cluster organisation in {country} holds an ECEI label as of {day}.",
            "{n} cluster organisations in {country} hold an ECEI label as of {day}.",
        )
    return pattern.format(
        n=i18n.number_text(clusters),
        country=country,
        day=day_text(day),
        levels=levels_text(levels) if levels else "",
        # Translators: the end of a country's description, counted by the cluster
        # organisations whose label has ended and can still be renewed ('2 can renew one').
        renewable=_counted(renewable, "{n} can renew one", "{n} can renew one")
        if renewable
        else "",
    )


def level_description(clusters: int, level: str, title: str, day: dt.date) -> str:
    """A label's description: its holders and what the page explains."""
    if title:
        # Translators: a label's description; {level} is its name (GOLD), {title} its
        # title from the rules ('Cluster Management Excellence'), both as they are.
        return _counted(
            clusters,
            "{n} cluster organisation holds the ECEI {level} label ({title}) as of {day}. What "
            "it takes, how long it is valid and how it is renewed.",
            "{n} cluster organisations hold the ECEI {level} label ({title}) as of {day}. What "
            "it takes, how long it is valid and how it is renewed.",
            level=level,
            title=title,
            day=day_text(day),
        )
    # Translators: a label's description; {level} is its name (GOLD), as it is.
    return _counted(
        clusters,
        "{n} cluster organisation holds the ECEI {level} label as of {day}. What it takes, how "
        "long it is valid and how it is renewed.",
        "{n} cluster organisations hold the ECEI {level} label as of {day}. What it takes, how "
        "long it is valid and how it is renewed.",
        level=level,
        day=day_text(day),
    )


def renewals_description(clusters: int, day: dt.date) -> str:
    """The renewals page's description."""
    # Translators: the description of the list of labels that can be renewed.
    return _counted(
        clusters,
        "{n} cluster organisation whose ECEI label has ended but can still be renewed, as of "
        "{day}, soonest deadline first.",
        "{n} cluster organisations whose ECEI label has ended but can still be renewed, as of "
        "{day}, soonest deadline first.",
        day=day_text(day),
    )


def list_page_description(
    title: str, number: int, pages: int, first: int, last: int, total: int, sort: str = "name"
) -> str:
    """A further page of a list: which clusters it holds, in the list's own order."""
    # One form in English; a language whose noun follows the number takes a form per `total`.
    # Translators: the description of a further page of a list, counted by the list's
    # clusters; {title} is the list's title, {order} how it is sorted ('by name').
    return _plural(
        total,
        "{title}, page {number} of {pages}: clusters {first} to {last} of {n}, {order}.",
        "{title}, page {number} of {pages}: clusters {first} to {last} of {n}, {order}.",
    ).format(
        order=order_text(sort),
        title=title,
        number=i18n.number_text(number),
        pages=i18n.number_text(pages),
        first=i18n.number_text(first),
        last=i18n.number_text(last),
        n=i18n.number_text(total),
    )


def map_page_description(clusters: int, countries: int, marked: int) -> str:
    """The map page's description: what it shows, and how many clusters it marks."""
    if not clusters:
        # Translators: the map page's description when no cluster holds a label.
        return i18n.gettext(
            "Map of the clusters that hold a valid ECEI label: none holds one on this date."
        )
    subject = _map_subject(clusters, countries)
    if marked == clusters:
        # Translators: the map page's description, counted by the clusters, each marked;
        # {subject} is '188 clusters from 28 countries' (the messages "map of").
        return _plural(
            clusters,
            "Map of the {subject} that holds a valid ECEI label: each country is shaded by its "
            "number of labelled clusters, and it is marked where it is based.",
            "Map of the {subject} that hold a valid ECEI label: each country is shaded by its "
            "number of labelled clusters, and each is marked where it is based.",
        ).format(subject=subject)
    if not marked and clusters == 1:
        # Translators: the map page's description for its one cluster, whose place is not
        # known; {subject} is '1 cluster from 1 country' (the messages "map of").
        return i18n.gettext(
            "Map of the {subject} that holds a valid ECEI label: each country is shaded by its "
            "number of labelled clusters, and it is not marked: where it is based is not known."
        ).format(subject=subject)
    # Translators: the map page's description, counted by the clusters; {subject} is '188
    # clusters from 28 countries' (the messages "map of"), {where} the message "{n} of
    # them is marked where it is based".
    return _plural(
        clusters,
        "Map of the {subject} that holds a valid ECEI label: each country is shaded by its "
        "number of labelled clusters, and {where}.",
        "Map of the {subject} that hold a valid ECEI label: each country is shaded by its "
        "number of labelled clusters, and {where}.",
    ).format(
        subject=subject,
        # Translators: the end of the map page's description, counted by the clusters
        # marked on the map.
        where=_counted(
            marked,
            "{n} of them is marked where it is based",
            "{n} of them are marked where they are based",
        ),
    )


def _map_subject(clusters: int, countries: int) -> str:
    """'188 clusters from 28 countries' as it follows 'Map of the', a case of its own in
    some languages."""
    # Translators: in "Map of the {subject} that hold…": the clusters, in the case that
    # follows 'Map of the'.
    held = i18n.npgettext("map of", "{n} cluster", "{n} clusters", clusters)
    # Translators: in "Map of the {subject} that hold…", counted by the countries; {clusters}
    # is '188 clusters' (the message "{n} cluster" in the context "map of").
    subject = i18n.npgettext(
        "map of", "{clusters} from {n} country", "{clusters} from {n} countries", countries
    )
    return subject.format(
        clusters=held.format(n=i18n.number_text(clusters)), n=i18n.number_text(countries)
    )


def off_map_sentence(clusters: int, countries: Sequence[str]) -> str:
    """The clusters the map's frame leaves out, with their countries: '2 clusters outside this
    map: Mexico.' The countries' names are put in as given (a page gives them as links)."""
    # Translators: under the map: the clusters it leaves out; {countries} is a list of
    # countries' names ('Mexico and Canada').
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
        # Translators: under the map, when it places every labelled cluster.
        return _counted(
            clusters,
            "The {n} cluster has a location on the map.",
            "All {n} clusters have a location on the map.",
        )
    if unlocated == clusters:
        # Translators: under the map, when it places none of the labelled clusters.
        return _counted(
            clusters,
            "The {n} cluster has no location on the map.",
            "None of the {n} clusters has a location on the map.",
        )
    # Translators: under the map, counted by the clusters it cannot place ({u}); {n} is
    # how many clusters hold a label, always more than {u}.
    return _plural(
        unlocated,
        "{u} of {n} clusters has no location on the map.",
        "{u} of {n} clusters have no location on the map.",
    ).format(u=i18n.number_text(unlocated), n=i18n.number_text(clusters))


def map_script_words() -> dict[str, object]:
    """Every word assets/map.js shows, in the current language. A counted phrase comes as its
    form for each plural category (`i18n.plural_forms`), with the fields {n}, {name} and
    {place}: a country's name and tooltip ('Spain: 17 clusters') and a group of markers' name
    ('5 clusters near Lyon', '3 clusters in Malta'). The rest are the legend's, a marker's
    name and popup, the notice of a failed load, the boundaries' credit and Leaflet's buttons."""
    return {
        "country": i18n.plural_forms("{name}: {n} cluster", "{name}: {n} clusters"),
        "groupNear": i18n.plural_forms("{n} cluster near {place}", "{n} clusters near {place}"),
        "groupIn": i18n.plural_forms("{n} cluster in {place}", "{n} clusters in {place}"),
        # Translators: a cluster's marker on the map, read by screen readers and shown on
        # hover: the cluster's name and its label (GOLD, SILVER or BRONZE).
        "marker": i18n.gettext("{name} ({level})"),
        "open": i18n.gettext("Open the cluster page"),
        "legend": i18n.gettext("Legend"),
        "shades": i18n.gettext("Labelled clusters per country"),
        # Translators: in the map's legend, the shade of a country with no labelled cluster.
        "none": i18n.pgettext("map legend", "none"),
        "dots": i18n.gettext("Each cluster, by its label"),
        "group": i18n.gettext("a group of clusters: choose it to zoom in"),
        "hint": i18n.gettext("Zoom in to see each cluster"),
        "failed": i18n.gettext(
            "Part of the map could not be loaded. The list of countries leads to the same pages."
        ),
        "attribution": i18n.gettext("Boundaries: Natural Earth (public domain)"),
        # Leaflet's own buttons, which it names in English.
        "zoomIn": i18n.gettext("Zoom in"),
        "zoomOut": i18n.gettext("Zoom out"),
        "closePopup": i18n.gettext("Close popup"),
    }


def register_description(levels: Sequence[str], clusters: int, countries: int, day: dt.date) -> str:
    """What the register holds (the Dataset's description in JSON-LD and DCAT-AP)."""
    # Translators: the register's description as a dataset (for search engines), counted
    # by the clusters; {levels} is 'BRONZE, SILVER or GOLD', {day} a date as 2026-11-25,
    # {subject} '188 clusters from 28 countries'.
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


# The commands' summaries and messages, in English: not marked, editors' messages stay English.


def check_summary(records: int, errors: int, warnings: int) -> str:
    """What `check` found: '188 records, 0 errors, 1 warning'."""
    return ", ".join(
        (
            _english_counted(records, "{n} record", "{n} records"),
            _english_counted(errors, "{n} error", "{n} errors"),
            _english_counted(warnings, "{n} warning", "{n} warnings"),
        )
    )


def info_summary(unplaced: int, without_eccp: int) -> str:
    """What `check --info` adds to the summary: ', 2 without a map position, 1 without an ECCP
    profile'."""
    return f", {unplaced:,} without a map position, {without_eccp:,} without an ECCP profile"


def problems_left_out(n: int) -> str:
    """The end of a step summary too long for GitHub: '12 more problems did not fit in …'."""
    return _english_counted(
        n,
        "{n} more problem did not fit in GitHub's summary: the log lists it",
        "{n} more problems did not fit in GitHub's summary: the log lists them",
    )


def errors_in(errors: int, what: str = "the records") -> str:
    """Why a command stopped: '3 errors in the records', '1 error in the project's files'."""
    return _english_counted(errors, "{n} error in {what}", "{n} errors in {what}", what=what)


def import_summary(rows: int, records: int, skipped: int, dry_run: bool) -> str:
    """What `import-csv` did: '12 rows: wrote 10 records, skipped 2 rows'."""
    done = _english_plural(
        records,
        "would write {n} record" if dry_run else "wrote {n} record",
        "would write {n} records" if dry_run else "wrote {n} records",
    ).format(n=f"{records:,}")
    return (
        f"{_english_counted(rows, '{n} row', '{n} rows')}: {done}, "
        f"skipped {_english_counted(skipped, '{n} row', '{n} rows')}"
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
        f"{_english_counted(pages, '{n} page', '{n} pages')} in {seconds:.1f} s"
    )


def benchmarkings_text(n: int, level: str) -> str:
    """'1 BRONZE benchmarking', '2 BRONZE benchmarkings'."""
    return _english_counted(n, "{n} {level} benchmarking", "{n} {level} benchmarkings", level=level)
