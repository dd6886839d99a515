"""The directory index: every cluster with its status, grouped by country and label, and counted.

Pure: it takes clusters, rules and a date and returns frozen values; nothing here reads or writes.
A country's name, and so the countries' order, is that of the language current when they are
asked for: one directory serves the pages of every language.
"""

from __future__ import annotations

import datetime as dt
import functools
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from generator.core import i18n
from generator.core.countries import country_name
from generator.core.model import Award, Cluster
from generator.labels.rules import Rules
from generator.labels.status import AwardEffect, InRenewal, Status, Valid, status


@functools.lru_cache(maxsize=1 << 16)  # names sort again at every change in the preview
def sort_key(text: str) -> tuple[str, str]:
    """A locale-independent alphabetical key: accents and case set aside, then the text itself."""
    folded = unicodedata.normalize("NFKD", text).casefold()
    return "".join(c for c in folded if not unicodedata.combining(c)), text


@cache
def _collator(code: str) -> Any:
    import icu  # imported on first use only: an English-only build never needs it

    return icu.Collator.createInstance(icu.Locale(code))


def name_sort_key(text: str) -> tuple[object, ...]:
    """An alphabetical key for a name in the current language: its alphabet's order where the
    language is not English (Polish sorts Ł after L, Ś after S), else `sort_key`."""
    code = i18n.current().code
    if code == i18n.SOURCE_LANGUAGE:
        return sort_key(text)
    return _collator(code).getSortKey(text), text


@dataclass(frozen=True, slots=True)
class Entry:
    """A cluster with its status on the as-of date."""

    cluster: Cluster
    status: Status

    @property
    def country_name(self) -> str:
        """The cluster's country, by name."""
        return country_name(self.cluster.country)


@dataclass(frozen=True, slots=True)
class LabelledEntry(Entry):
    """A cluster holding a valid label on the as-of date."""

    status: Valid


@dataclass(frozen=True, slots=True)
class RenewalEntry(Entry):
    """A cluster in its renewal window on the as-of date."""

    status: InRenewal


def _entry(cluster: Cluster, st: Status) -> Entry:
    """A cluster with its status, as the entry type of its state (so lists of holders are typed)."""
    if isinstance(st, Valid):
        return LabelledEntry(cluster, st)
    if isinstance(st, InRenewal):
        return RenewalEntry(cluster, st)
    return Entry(cluster, st)


@dataclass(frozen=True, slots=True)
class Headline:
    """How many clusters hold a valid label, and from how many countries (words.py puts them
    into sentences)."""

    clusters: int
    countries: int


@dataclass(frozen=True, slots=True)
class Country:
    """A country with at least one labelled cluster; `slug` is its lowercase ISO code."""

    code: str
    labelled: tuple[LabelledEntry, ...]
    in_renewal: tuple[RenewalEntry, ...]

    @property
    def name(self) -> str:
        """Its name in the current language."""
        return country_name(self.code)

    @property
    def slug(self) -> str:
        """The lowercase ISO code used in its URL."""
        return self.code.lower()


@dataclass(frozen=True, slots=True)
class Event:
    """An award as news: a cluster that was labelled or renewed in a month."""

    entry: Entry
    effect: AwardEffect


@dataclass(frozen=True, slots=True)
class Directory:
    """Everything the pages need, computed once before anything is written."""

    as_of: dt.date
    rules: Rules
    entries: tuple[Entry, ...]  # every record, by name
    labelled: tuple[LabelledEntry, ...]  # holding a valid label on the as-of date
    renewals: tuple[RenewalEntry, ...]  # in their renewal window, soonest deadline first
    by_code: tuple[Country, ...]  # with at least one labelled cluster, by code
    by_level: tuple[
        tuple[str, tuple[LabelledEntry, ...]], ...
    ]  # level id -> holders, highest first
    events: tuple[Event, ...]  # every award known on the as-of date, newest first

    @property
    def countries(self) -> tuple[Country, ...]:
        """The countries with at least one labelled cluster, by name in the current language."""
        return tuple(sorted(self.by_code, key=lambda c: name_sort_key(c.name)))

    @property
    def headline(self) -> Headline:
        """The clusters holding a valid label and their distinct countries."""
        return headline(self.labelled)

    def holders(self, level: str) -> tuple[LabelledEntry, ...]:
        """The clusters whose current label is `level`."""
        return dict(self.by_level)[level]


def headline(entries: Iterable[Entry]) -> Headline:
    """Count entries and their distinct countries."""
    entries = tuple(entries)
    return Headline(len(entries), len({e.cluster.country for e in entries}))


def _by_name(entries: Iterable[Entry]) -> tuple[Entry, ...]:
    # Sorted by id first, then by name, so equal names keep a stable order.
    ordered = sorted(entries, key=lambda e: e.cluster.id)
    return tuple(sorted(ordered, key=lambda e: sort_key(e.cluster.name)))


@dataclass(slots=True)
class StatusCache:
    """Statuses kept from one directory to the next (the preview keeps one): a status depends
    only on the awards, the rules and the date."""

    context: tuple[Rules, dt.date] | None = None
    statuses: dict[tuple[Award, ...], Status] = field(default_factory=dict)

    def status(self, awards: tuple[Award, ...], rules: Rules, as_of: dt.date) -> Status:
        """The status of these awards, worked out once for the rules and the date."""
        if self.context != (rules, as_of):
            self.context, self.statuses = (rules, as_of), {}
        found = self.statuses.get(awards)
        if found is None:
            found = self.statuses[awards] = status(awards, rules, as_of)
        return found


def build_directory(
    clusters: Iterable[Cluster], rules: Rules, as_of: dt.date, known: StatusCache | None = None
) -> Directory:
    """Compute every cluster's status as of a date and group them for the pages."""
    work_out = known.status if known is not None else status
    entries = _by_name(_entry(c, work_out(c.awards, rules, as_of)) for c in clusters)
    labelled = tuple(e for e in entries if isinstance(e, LabelledEntry))
    renewals = tuple(
        sorted(
            (e for e in entries if isinstance(e, RenewalEntry)),
            key=lambda e: (e.status.renewable_until, *sort_key(e.cluster.name), e.cluster.id),
        )
    )
    # One pass over the entries (in name order) groups them by country.
    held: dict[str, list[LabelledEntry]] = {}
    renewing: dict[str, list[RenewalEntry]] = {}
    for e in entries:
        if isinstance(e, LabelledEntry):
            held.setdefault(e.cluster.country, []).append(e)
        elif isinstance(e, RenewalEntry):
            renewing.setdefault(e.cluster.country, []).append(e)
    countries = tuple(
        Country(code, tuple(held[code]), tuple(renewing.get(code, ()))) for code in sorted(held)
    )
    by_level = tuple(
        (level.id, tuple(e for e in labelled if e.status.label == level.id))
        for level in reversed(rules.levels)
    )
    # Newest month first; within a month the highest level, then by id (a stable second sort).
    events = sorted(
        (Event(e, effect) for e in entries for effect in e.status.history),
        key=lambda ev: (-rules.level(ev.effect.award.level).rank, ev.entry.cluster.id),
    )
    events.sort(key=lambda ev: ev.effect.award.assessed, reverse=True)
    return Directory(as_of, rules, entries, labelled, renewals, countries, by_level, tuple(events))
