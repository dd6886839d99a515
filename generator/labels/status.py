"""A cluster's label status on a given day: a pure function of its awards, the rules and the date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar, Literal, TypeAlias

from generator.core import i18n
from generator.core.dates import day_text, iso_day
from generator.core.model import Award
from generator.core.months import Month
from generator.labels.rules import Rules


class State(StrEnum):
    """Where a cluster stands on the as-of date."""

    VALID = "valid"
    RENEWAL = "renewal"
    EXPIRED = "expired"
    NONE = "none"


class AwardKind(StrEnum):
    """How an award changed its level's validity."""

    FIRST = "first"
    RENEWAL = "renewal"
    NEW = "new"  # a fresh start after the renewal window had closed


@dataclass(frozen=True, slots=True)
class AwardEffect:
    """One award in the history, with the validity of its level after it."""

    award: Award
    kind: AwardKind
    valid_from: Month
    valid_through: Month


@dataclass(frozen=True, slots=True)
class Period:
    """An unbroken validity of one level, from its first month through its last."""

    level: str
    start: Month
    end: Month

    def covers(self, month: Month) -> bool:
        """Whether the month lies inside the period."""
        return self.start <= month <= self.end


@dataclass(frozen=True, slots=True)
class Valid:
    """A cluster holding a valid label on the as-of date."""

    as_of: dt.date
    label: str  # the highest level valid on the as-of date
    valid_since: dt.date
    valid_until: dt.date
    renewable_until: dt.date
    history: tuple[AwardEffect, ...]
    state: ClassVar[Literal[State.VALID]] = State.VALID

    @property
    def level_of_record(self) -> str:
        """The level the directory shows: the valid label."""
        return self.label

    def as_json(self) -> dict[str, object]:
        """The status as JSON-ready values (ISO dates)."""
        return _json(self)


@dataclass(frozen=True, slots=True)
class _Lapsed:
    # A validity that ended before the as-of date: in renewal or expired, which differ only in
    # their state.
    as_of: dt.date
    level_of_record: str  # the level whose validity ended last
    valid_since: dt.date
    valid_until: dt.date
    renewable_until: dt.date
    history: tuple[AwardEffect, ...]
    state: ClassVar[Literal[State.RENEWAL, State.EXPIRED]]
    label: ClassVar[None] = None

    def as_json(self) -> dict[str, object]:
        """The status as JSON-ready values (ISO dates)."""
        return _json(self)


@dataclass(frozen=True, slots=True)
class InRenewal(_Lapsed):
    """A cluster whose label ended, inside its renewal window on the as-of date."""

    state: ClassVar[Literal[State.RENEWAL]] = State.RENEWAL


@dataclass(frozen=True, slots=True)
class Expired(_Lapsed):
    """A cluster whose label ended and whose renewal window closed before the as-of date."""

    state: ClassVar[Literal[State.EXPIRED]] = State.EXPIRED


@dataclass(frozen=True, slots=True)
class NoLabel:
    """A cluster with no award known on the as-of date."""

    as_of: dt.date
    history: tuple[AwardEffect, ...]
    state: ClassVar[Literal[State.NONE]] = State.NONE
    label: ClassVar[None] = None
    level_of_record: ClassVar[None] = None
    valid_since: ClassVar[None] = None
    valid_until: ClassVar[None] = None
    renewable_until: ClassVar[None] = None

    def as_json(self) -> dict[str, object]:
        """The status as JSON-ready values (ISO dates)."""
        return _json(self)


# The label a cluster holds on a day, or why it holds none: one type per state, so that a
# checker knows which dates and levels a state has (`st.state is State.VALID` narrows to Valid).
Status: TypeAlias = Valid | InRenewal | Expired | NoLabel


def _json(st: Valid | _Lapsed | NoLabel) -> dict[str, object]:
    return {
        "as_of": iso_day(st.as_of),
        "label": st.label,
        "state": st.state.value,
        "valid_until": _iso(st.valid_until),
        "valid_since": _iso(st.valid_since),
        "renewable_until": _iso(st.renewable_until),
        "level": st.level_of_record,
    }


def _iso(day: dt.date | None) -> str | None:
    return iso_day(day) if day else None


def _sorted_awards(awards: tuple[Award, ...] | list[Award]) -> list[Award]:
    # A total order over award values, so the result never depends on the order of the file.
    return sorted(
        awards,
        key=lambda a: (a.assessed, a.level, a.valid_until is not None, a.valid_until or a.assessed),
    )


def history(awards: tuple[Award, ...] | list[Award], rules: Rules) -> tuple[AwardEffect, ...]:
    """Each award in order of assessment, classified as first, renewal or new, with its validity."""
    effects: list[AwardEffect] = []
    current: dict[str, tuple[Month, Month]] = {}  # level -> (start, end) of its latest validity
    for award in _sorted_awards(awards):
        level = rules.level(award.level)
        previous = current.get(award.level)
        if previous is None:
            kind = AwardKind.FIRST
        elif award.assessed - previous[1] > level.renewal_window_months:
            kind = AwardKind.NEW
        else:
            kind = AwardKind.RENEWAL
        if kind is AwardKind.RENEWAL:
            assert previous is not None
            start, end = previous[0], previous[1] + level.renewal_extension_months
        else:
            start, end = award.assessed, award.assessed + (level.first_validity_months - 1)
        if award.valid_until is not None:
            end = award.valid_until
        current[award.level] = (start, end)
        effects.append(AwardEffect(award, kind, start, end))
    return tuple(effects)


def periods(effects: tuple[AwardEffect, ...]) -> tuple[Period, ...]:
    """The unbroken validity periods that a history adds up to, per level."""
    latest: dict[tuple[str, Month], Month] = {}
    for effect in effects:
        # A renewal keeps its period's start; its end replaces the earlier end.
        latest[(effect.award.level, effect.valid_from)] = effect.valid_through
    return tuple(Period(level, start, end) for (level, start), end in latest.items())


def status(awards: tuple[Award, ...] | list[Award], rules: Rules, as_of: dt.date) -> Status:
    """The label status as of a date; awards assessed after the as-of month are not yet known."""
    month = Month.from_date(as_of)
    known = [a for a in awards if a.assessed <= month]
    effects = history(known, rules)
    spans = periods(effects)
    valid = [p for p in spans if p.covers(month)]
    if valid:
        best = max(valid, key=lambda p: (rules.level(p.level).rank, p.end))
        return Valid(
            as_of=as_of,
            label=best.level,
            valid_since=best.start.first_day(),
            valid_until=best.end.last_day(),
            renewable_until=(best.end + rules.level(best.level).renewal_window_months).last_day(),
            history=effects,
        )
    ended = [p for p in spans if p.end < month]
    if not ended:
        return NoLabel(as_of, effects)
    last = max(ended, key=lambda p: (p.end, rules.level(p.level).rank))
    window_end = last.end + rules.level(last.level).renewal_window_months
    lapsed = InRenewal if month <= window_end else Expired
    return lapsed(
        as_of=as_of,
        level_of_record=last.level,
        valid_since=last.start.first_day(),
        valid_until=last.end.last_day(),
        renewable_until=window_end.last_day(),
        history=effects,
    )


def describe(st: Status, rules: Rules) -> str:
    """A status in one sentence, e.g. 'SILVER, valid until 31 May 2028', in the current language
    (a cluster page's search result shows it; `status` prints it in English)."""
    if st.state is State.VALID:
        # Translators: a cluster's status in search results; {level} is its label (SILVER).
        return i18n.gettext("{level}, valid until {day}").format(
            level=rules.level(st.label).name, day=day_text(st.valid_until)
        )
    if st.state is State.NONE:
        # Translators: a cluster's status in search results, before its first award.
        return i18n.gettext("No label yet")
    name = rules.level(st.level_of_record).name
    if st.state is State.RENEWAL:
        # Translators: a cluster's status in search results; {level} is the label that ended.
        return i18n.gettext(
            "No valid label: {level} ended {ended}, renewable until {until}"
        ).format(level=name, ended=day_text(st.valid_until), until=day_text(st.renewable_until))
    # Translators: a cluster's status in search results; {level} is the label that expired.
    return i18n.gettext("No valid label: {level} ended {ended}, expired").format(
        level=name, ended=day_text(st.valid_until)
    )
