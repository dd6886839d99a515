"""A cluster's label status on a given day: a pure function of its awards, the rules and the date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

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
class Status:
    """The label a cluster holds on a day, or why it holds none."""

    as_of: dt.date
    state: State
    label: str | None
    valid_until: dt.date | None
    renewable_until: dt.date | None
    level_of_record: str | None  # the valid label, else the level whose validity ended last
    valid_since: dt.date | None
    history: tuple[AwardEffect, ...]

    def as_json(self) -> dict[str, object]:
        """The status as JSON-ready values (ISO dates)."""
        return {
            "as_of": iso_day(self.as_of),
            "label": self.label,
            "state": self.state.value,
            "valid_until": _iso(self.valid_until),
            "valid_since": _iso(self.valid_since),
            "renewable_until": _iso(self.renewable_until),
            "level": self.level_of_record,
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
        return Status(
            as_of=as_of,
            state=State.VALID,
            label=best.level,
            valid_until=best.end.last_day(),
            renewable_until=(best.end + rules.level(best.level).renewal_window_months).last_day(),
            level_of_record=best.level,
            valid_since=best.start.first_day(),
            history=effects,
        )
    ended = [p for p in spans if p.end < month]
    if not ended:
        return Status(as_of, State.NONE, None, None, None, None, None, effects)
    last = max(ended, key=lambda p: (p.end, rules.level(p.level).rank))
    window_end = last.end + rules.level(last.level).renewal_window_months
    state = State.RENEWAL if month <= window_end else State.EXPIRED
    return Status(
        as_of=as_of,
        state=state,
        label=None,
        valid_until=last.end.last_day(),
        renewable_until=window_end.last_day(),
        level_of_record=last.level,
        valid_since=last.start.first_day(),
        history=effects,
    )


def describe(st: Status, rules: Rules) -> str:
    """A status in one sentence, e.g. 'SILVER, valid until 31 May 2028'."""
    if st.state is State.VALID:
        assert st.label and st.valid_until
        return f"{rules.level(st.label).name}, valid until {day_text(st.valid_until)}"
    if st.state is State.NONE:
        return "No label yet"
    assert st.level_of_record and st.valid_until and st.renewable_until
    name = rules.level(st.level_of_record).name
    if st.state is State.RENEWAL:
        return (
            f"No valid label: {name} ended {day_text(st.valid_until)}, "
            f"renewable until {day_text(st.renewable_until)}"
        )
    return f"No valid label: {name} ended {day_text(st.valid_until)}, expired"
