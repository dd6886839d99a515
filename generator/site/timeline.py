"""A cluster's label history as a timeline: each level's validity periods, the renewal window
after each, the assessments and the as-of date, placed on a scale of months and drawn as SVG.

Pure: a status in, geometry and SVG text out, its words in the current language. The SVG is
written here rather than in a Jinja
template because it is drawn for every cluster page (10,000 of them): string formatting takes a
tenth of the time. Every text from a record is escaped; colours come from classes in
site_templates/assets/directory.css, so that both colour schemes read well.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from html import escape
from typing import NamedTuple

from generator.core import i18n
from generator.core.dates import month_year_text, short_day_text
from generator.core.months import Month
from generator.labels.rules import Rules
from generator.labels.status import Status, periods

WIDTH = 560
LEFT = 66  # the level names
RIGHT = 14
TOP = 26  # the as-of date's label
ROW = 28
BAR = 14
AXIS = 24


class Bar(NamedTuple):
    """A stretch of months on one row: a validity period or the renewal window after it."""

    level: str
    x: float
    y: float
    width: float
    start: Month
    end: Month


class Dot(NamedTuple):
    """An assessment on its level's row, with the acronym of the body that made the award."""

    level: str
    x: float
    y: float
    month: Month
    body: str


class Tick(NamedTuple):
    """A year on the axis: its line's place and its label's."""

    x: float
    label_x: float
    year: int
    labelled: bool


class Row(NamedTuple):
    """A level's row: its name and the middle of its bars."""

    level: str
    name: str
    y: float


@dataclass(frozen=True, slots=True)
class Timeline:
    """Everything the timeline's SVG draws, in px of its viewBox."""

    rows: tuple[Row, ...]
    periods: tuple[Bar, ...]
    windows: tuple[Bar, ...]
    dots: tuple[Dot, ...]
    ticks: tuple[Tick, ...]
    width: int
    height: int
    axis_y: float
    as_of_x: float
    as_of_anchor: str  # where the as-of label hangs from its line: start, middle or end
    left: int = LEFT
    right: int = WIDTH - RIGHT


def _year_step(years: int) -> int:
    # Every year's label fits up to a dozen years; beyond, a step that keeps a dozen or so.
    return next((step for step in (1, 2, 5, 10, 20, 50) if years <= 12 * step), 100)


def timeline(st: Status, rules: Rules) -> Timeline | None:
    """The timeline of a status's history, or None when it has no award yet."""
    spans = periods(st.history)
    if not spans:
        return None
    as_of = Month.from_date(st.as_of)
    windows = [(p, p.end + 1, p.end + rules.level(p.level).renewal_window_months) for p in spans]
    first_year = min(p.start.year for p in spans)
    last_year = max(as_of.year, *(w_end.year for _, _, w_end in windows))
    start, months = Month.of(first_year, 1), (last_year - first_year + 1) * 12
    scale = (WIDTH - LEFT - RIGHT) / months

    def x(month: Month) -> float:
        return round(LEFT + (month - start) * scale, 2)

    levels = sorted({p.level for p in spans}, key=lambda lv: -rules.level(lv).rank)
    rows = tuple(
        Row(lv, rules.level(lv).name, TOP + ROW * i + ROW / 2) for i, lv in enumerate(levels)
    )
    middle = {row.level: row.y for row in rows}

    def bar(level: str, first: Month, last: Month) -> Bar:
        return Bar(
            level,
            x(first),
            middle[level] - BAR / 2,
            round((last - first + 1) * scale, 2),
            first,
            last,
        )

    ordered = sorted(spans, key=lambda p: (p.start, p.level))
    day = (st.as_of.day - 1) / calendar.monthrange(st.as_of.year, st.as_of.month)[1]
    as_of_x = round(x(as_of) + day * scale, 2)
    axis_y = TOP + ROW * len(rows) + 4
    step = _year_step(last_year - first_year + 1)
    ticks = tuple(
        Tick(x(Month.of(y, 1)), x(Month.of(y, 1)) + 6 * scale, y, (y - first_year) % step == 0)
        for y in range(first_year, last_year + 1)
    )
    dots = sorted(
        {
            (e.award.level, e.award.assessed, rules.awarding_body(e.award).acronym)
            for e in st.history
        },
        key=lambda d: (d[1], d[0]),
    )
    return Timeline(
        width=WIDTH,
        height=int(axis_y + AXIS),
        rows=rows,
        periods=tuple(bar(p.level, p.start, p.end) for p in ordered),
        windows=tuple(bar(p.level, first, last) for p, first, last in windows if last >= first),
        dots=tuple(
            Dot(lv, round(x(m) + scale / 2, 2), middle[lv], m, body) for lv, m, body in dots
        ),
        ticks=ticks,
        axis_y=axis_y,
        as_of_x=as_of_x,
        as_of_anchor=_anchor(as_of_x),
    )


def _anchor(at: float) -> str:
    # The as-of label is about 90 px wide: it hangs left or right of its line near an edge.
    if at < LEFT + 45:
        return "start"
    if at > WIDTH - RIGHT - 45:
        return "end"
    return "middle"


def _n(value: float) -> str:
    # Numbers as short as they can be: 76 rather than 76.0, 80.5 rather than 80.50.
    return f"{value:.2f}".rstrip("0").rstrip(".")


# Translators: the tooltip of a bar of a cluster's timeline: a validity period; {level} is
# the label's name (GOLD), {start} and {end} months ('May 2025').
_VALID = i18n.N_("{level} valid {start} to {end}")
# Translators: the tooltip of a dashed bar of a cluster's timeline: a renewal window.
_RENEWABLE = i18n.N_("{level} renewable {start} to {end}")


def _bar(kind: str, b: Bar, message: str, level_name: str) -> str:
    tip = escape(
        i18n.gettext(message).format(
            level=level_name, start=month_year_text(b.start), end=month_year_text(b.end)
        )
    )
    return (
        f'<rect class="cd-tl-{kind} cd-tl--{escape(b.level)}" x="{_n(b.x)}" y="{_n(b.y)}" '
        f'width="{_n(b.width)}" height="{BAR}" rx="2"><title>{tip}</title></rect>'
    )


def _title(name: str) -> str:
    # Translators: what a cluster's timeline shows, for screen readers; {name} is the cluster's.
    return i18n.gettext(
        "Timeline of the labels of {name}: validity periods as bars, renewal windows dashed, "
        "assessments as dots; the table below gives the same history."
    ).format(name=name)


def timeline_svg(tl: Timeline, name: str, level_names: dict[str, str], as_of: dt.date) -> str:
    """The timeline as an inline SVG image, named by its <title>; the page's history table
    after it gives the same in text."""
    top = tl.rows[0].y - 12
    parts = [
        f'<svg class="cd-timeline" viewBox="0 0 {tl.width} {tl.height}" role="img" '
        'aria-labelledby="cd-timeline-title" preserveAspectRatio="xMinYMin meet">',
        f'<title id="cd-timeline-title">{escape(_title(name))}</title>',
    ]
    for t in tl.ticks:
        parts.append(
            f'<line class="cd-tl-grid" x1="{_n(t.x)}" x2="{_n(t.x)}" y1="{_n(top)}" '
            f'y2="{_n(tl.axis_y)}"/>'
        )
        if t.labelled:
            parts.append(
                f'<text class="cd-tl-year" x="{_n(t.label_x)}" y="{_n(tl.axis_y + 16)}" '
                f'text-anchor="middle">{t.year}</text>'
            )
    for r in tl.rows:
        parts.append(
            f'<text class="cd-tl-level" x="{tl.left - 8}" y="{_n(r.y + 4)}" '
            f'text-anchor="end">{escape(r.name)}</text>'
        )
    parts += [_bar("window", w, _RENEWABLE, level_names[w.level]) for w in tl.windows]
    parts += [_bar("period", p, _VALID, level_names[p.level]) for p in tl.periods]
    # Translators: the tooltip of an assessment on a cluster's timeline; {level} is the
    # label's name (GOLD), {month} a month ('May 2025'), {body} the acronym of the body that
    # awarded it (ESCA).
    assessed = i18n.gettext("{level} assessed {month}, awarded by {body}")
    for d in tl.dots:
        tip = escape(
            assessed.format(level=level_names[d.level], month=month_year_text(d.month), body=d.body)
        )
        parts.append(
            f'<circle class="cd-tl-audit" cx="{_n(d.x)}" cy="{_n(d.y)}" r="3.5">'
            f"<title>{tip}</title></circle>"
        )
    parts += [
        f'<line class="cd-tl-axis" x1="{tl.left}" x2="{tl.right}" y1="{_n(tl.axis_y)}" '
        f'y2="{_n(tl.axis_y)}"/>',
        f'<line class="cd-tl-now" x1="{_n(tl.as_of_x)}" x2="{_n(tl.as_of_x)}" y1="16" '
        f'y2="{_n(tl.axis_y)}"/>',
        f'<text class="cd-tl-now-label" x="{_n(tl.as_of_x)}" y="11" '
        f'text-anchor="{tl.as_of_anchor}">{short_day_text(as_of)}</text>',
        "</svg>",
    ]
    return "\n".join(parts)
