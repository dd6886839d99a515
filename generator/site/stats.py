"""The register in figures: labels valid at each year's end by level, new awards and renewals per
year, clusters per country, and the layout of the bar charts that show them.

Pure: the directory in, frozen values out, in one pass over every record (expired ones too).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from generator.core import i18n
from generator.core.months import Month
from generator.core.words import year_as_of_text
from generator.labels.rules import Rules
from generator.labels.status import AwardEffect, AwardKind, periods
from generator.site.directory import Directory, sort_key


class Series(NamedTuple):
    """One part of every bar: `key` names its colour (CSS class `cd-fill-<key>`)."""

    key: str
    name: str


class Row(NamedTuple):
    """One bar of a chart and one row of its table: a value per series."""

    label: str
    values: tuple[int, ...]
    link: str = ""  # the page the row's label links to in the table, relative to the site
    short: str = ""  # the label in the chart, when shorter than in the table ('2026*')

    @property
    def total(self) -> int:
        """The whole bar."""
        return sum(self.values)


@dataclass(frozen=True, slots=True)
class Chart:
    """The figures of one chart, which its table shows too."""

    id: str
    title: str
    head: str  # the heading of the label column: Year, Country
    total: str  # the heading of the total column
    series: tuple[Series, ...]
    rows: tuple[Row, ...]
    note: str = ""  # under the chart, for the rows whose short label has a '*'


@dataclass(frozen=True, slots=True)
class Statistics:
    """The statistics page's three charts."""

    as_of: dt.date
    held: Chart
    awards: Chart
    countries: Chart

    @property
    def charts(self) -> tuple[Chart, ...]:
        """The charts in the order of the page."""
        return (self.held, self.awards, self.countries)


def counted_month(year: int, now: Month) -> Month:
    """The month a year's figure is taken at: December, or the as-of month in the as-of year."""
    return now if year == now.year else Month.of(year, 12)


def year_label(year: int, as_of: dt.date) -> str:
    """A year's label in the tables: '2025', or '2026, as of 27 November' for the as-of year."""
    if year != as_of.year:
        return str(year)
    return year_as_of_text(as_of)


def _year_rows(years: range, as_of: dt.date, values: dict[int, tuple[int, ...]]) -> tuple[Row, ...]:
    # The as-of year is short of a whole year: '2026*' in the chart, its note saying until when.
    return tuple(
        Row(year_label(year, as_of), values[year], short=f"{year}*" if year == as_of.year else "")
        for year in years
    )


def _best_level_by_year(
    effects: tuple[AwardEffect, ...], ranks: dict[str, int], now: Month
) -> dict[int, int]:
    # The whole known history's periods: a renewal assessed later in its window makes the
    # validity seamless, so the months before it count as held, as the rules say.
    best: dict[int, int] = {}
    for period in periods(effects):
        rank = ranks[period.level]
        for year in range(period.start.year, min(period.end.year, now.year) + 1):
            if period.covers(counted_month(year, now)) and rank > best.get(year, -1):
                best[year] = rank
    return best


def statistics(directory: Directory) -> Statistics:
    """Every figure of the statistics page, in one pass over the records, its words in the
    current language."""
    rules, as_of = directory.rules, directory.as_of
    now = Month.from_date(as_of)
    ranks = {level.id: level.rank for level in rules.levels}
    held: dict[int, list[int]] = {}  # year -> clusters by the rank of their highest valid level
    awarded: dict[int, list[int]] = {}  # year -> [first or new awards, renewals]
    first_year = now.year
    for entry in directory.entries:
        # The status knows only awards assessed up to the as-of month; kept explicit here.
        effects = tuple(e for e in entry.status.history if e.award.assessed <= now)
        for effect in effects:
            year = effect.award.assessed.year
            first_year = min(first_year, year)
            awarded.setdefault(year, [0, 0])[effect.kind is AwardKind.RENEWAL] += 1
        for year, rank in _best_level_by_year(effects, ranks, now).items():
            held.setdefault(year, [0] * len(ranks))[rank] += 1
    years = range(first_year, now.year + 1) if awarded else range(0)
    return Statistics(
        as_of,
        _held_chart(rules, as_of, years, held),
        _awards_chart(as_of, years, awarded),
        _countries_chart(directory),
    )


def _level_series(rules: Rules) -> tuple[Series, ...]:
    # Highest level first, as every table of the site has them.
    return tuple(Series(level.id, level.name) for level in reversed(rules.levels))


def _held_chart(rules: Rules, as_of: dt.date, years: range, held: dict[int, list[int]]) -> Chart:
    zero = [0] * len(rules.levels)
    return Chart(
        "held",
        # Translators: a chart's title on the statistics page.
        i18n.gettext("Labels valid at the end of each year, by level"),
        # Translators: the heading of a statistics table's column of years.
        i18n.gettext("Year"),
        # Translators: the heading of a statistics table's column of totals.
        i18n.gettext("All labels"),
        _level_series(rules),
        _year_rows(years, as_of, {year: tuple(reversed(held.get(year, zero))) for year in years}),
        f"* {year_label(as_of.year, as_of)}" if years else "",
    )


def _awards_chart(as_of: dt.date, years: range, awarded: dict[int, list[int]]) -> Chart:
    return Chart(
        "awards",
        # Translators: a chart's title on the statistics page.
        i18n.gettext("New awards and renewals per year"),
        i18n.gettext("Year"),
        # Translators: the heading of a statistics table's column of totals.
        i18n.gettext("All awards"),
        (
            # Translators: a part of a chart's bars: the awards that start a label.
            Series("first", i18n.gettext("New awards")),
            # Translators: a part of a chart's bars: the renewals of labels.
            Series("renewal", i18n.gettext("Renewals")),
        ),
        _year_rows(years, as_of, {year: tuple(awarded.get(year, (0, 0))) for year in years}),
        f"* {year_label(as_of.year, as_of)}" if years else "",
    )


def _countries_chart(directory: Directory) -> Chart:
    levels = tuple(reversed(directory.rules.level_ids))
    rows = []
    for country in directory.countries:
        counts = dict.fromkeys(levels, 0)
        for entry in country.labelled:
            counts[entry.status.label] += 1
        rows.append(
            (
                sort_key(country.name),
                Row(country.name, tuple(counts.values()), f"countries/{country.slug}/"),
            )
        )
    # Most clusters first; equal counts by name.
    rows.sort(key=lambda pair: (-pair[1].total, pair[0]))
    return Chart(
        "countries",
        # Translators: a chart's title on the statistics page.
        i18n.gettext("Labelled clusters per country, by level"),
        # Translators: the heading of a statistics table's column of countries.
        i18n.gettext("Country"),
        # Translators: the heading of a statistics table's column of totals.
        i18n.gettext("Clusters"),
        _level_series(directory.rules),
        tuple(row for _, row in rows),
    )


# The layout, in the SVG's user units. Each chart is drawn twice, WIDTH and WIDE units wide, and
# the page shows the one that fits its column (directory.css), scaled to the column's width: the
# narrow one on a phone, the wide one from a column of WIDE_FROM px, so that text of FONT units
# shows at 11 to 20 px. Keep them in step with directory.css.
WIDTH = 360
WIDE = 640
WIDE_FROM = 560
FONT = 13
CHAR = 7.4  # a generous average advance of one character at FONT, to place labels without a font
ROW, BAR = 22, 14  # a bar's row and the bar in it
LEGEND, AXIS, NOTE = 28, 22, 20  # the legend above the bars, the scale and the note below them
SWATCH, GAP = 11, 6
MAX_LABEL = 22  # characters of a bar's label; longer ones end in '…' (the table has them whole)
MAX_LABEL_WIDE = 32  # in the wide drawing


class Rect(NamedTuple):
    """A bar's part: x, y and width (every part is BAR high)."""

    x: int
    y: int
    width: int


class Text(NamedTuple):
    """A piece of text at x, y (its baseline)."""

    x: int
    y: int
    text: str


@dataclass(frozen=True, slots=True)
class Drawing:
    """Where everything of a horizontal bar chart goes."""

    width: int
    height: int
    bar_height: int
    legend: tuple[tuple[Series, Rect, Text], ...]
    grid: tuple[int, ...]  # the x of each scale line
    top: int  # where the scale lines start and end
    bottom: int
    ticks: tuple[Text, ...]
    note: Text | None
    labels: tuple[Text, ...]  # right-aligned at their x
    parts: tuple[tuple[Series, tuple[Rect, ...]], ...]  # every bar's part of a series, together
    totals: tuple[Text, ...]


def nice_ticks(maximum: int, most: int = 5) -> tuple[int, ...]:
    """Scale values from 0 to `maximum` or just past it, in at most `most` steps of 1, 2 or 5
    times a power of ten: 188 gives 0, 50, 100, 150, 200."""
    top, power = max(maximum, 1), 1
    while True:
        for factor in (1, 2, 5):
            size = power * factor
            steps = -(-top // size)  # rounded up
            if steps <= most:
                return tuple(size * i for i in range(steps + 1))
        power *= 10


def _label(text: str, most: int = MAX_LABEL) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"


def _legend(series: tuple[Series, ...]) -> tuple[tuple[Series, Rect, Text], ...]:
    keys, x = [], 0
    for item in series:
        # One unit in, so that the swatch's outline is not cut off at the edge.
        keys.append((item, Rect(x + 1, 8, SWATCH), Text(x + SWATCH + 6, 8 + SWATCH - 1, item.name)))
        x += SWATCH + 5 + round(len(item.name) * CHAR) + 16
    return tuple(keys)


def _edges(row: Row, left: int, scale: float) -> list[int]:
    # Each edge rounded from the running sum, so parts meet without gaps; a part that holds
    # anything is at least one unit wide, so that it shows.
    edges, running = [left], 0
    for value in row.values:
        running += value
        edge = left + round(running * scale)
        edges.append(max(edge, edges[-1] + 1) if value else edges[-1])
    return edges


def draw(chart: Chart, width: int = WIDTH) -> Drawing:
    """The layout of a chart's horizontal bars, their labels, totals, scale and legend, `width`
    units wide."""
    most = MAX_LABEL if width < WIDE else MAX_LABEL_WIDE
    labels = [_label(row.short or row.label, most) for row in chart.rows]
    totals = [i18n.number_text(row.total) for row in chart.rows]
    left = round(max((len(label) for label in labels), default=4) * CHAR) + 2 * GAP
    right = round(max((len(total) for total in totals), default=1) * CHAR) + 2 * GAP
    ticks = nice_ticks(max((row.total for row in chart.rows), default=0))
    # Room after the last scale line for half its number, under the column of totals.
    span = width - left - right
    scale = span / ticks[-1]
    top = LEGEND
    bottom = top + ROW * len(chart.rows)
    baseline = (ROW + FONT) // 2 - 1  # text centred on its row
    parts: dict[str, list[Rect]] = {item.key: [] for item in chart.series}
    label_texts, total_texts = [], []
    for i, (row, label, total) in enumerate(zip(chart.rows, labels, totals, strict=True)):
        y = top + i * ROW
        edges = _edges(row, left, scale)
        for item, start, end in zip(chart.series, edges, edges[1:], strict=False):
            if end > start:
                parts[item.key].append(Rect(start, y + (ROW - BAR) // 2, end - start))
        label_texts.append(Text(left - GAP, y + baseline, label))
        total_texts.append(Text(edges[-1] + GAP, y + baseline, total))
    grid = tuple(left + round(value * scale) for value in ticks)
    return Drawing(
        width=width,
        height=bottom + AXIS + (NOTE if chart.note else 0),
        bar_height=BAR,
        legend=_legend(chart.series),
        grid=grid,
        top=top,
        bottom=bottom,
        ticks=tuple(
            Text(x, bottom + AXIS - 6, i18n.number_text(v))
            for x, v in zip(grid, ticks, strict=True)
        ),
        note=Text(0, bottom + AXIS + NOTE - 4, chart.note) if chart.note else None,
        labels=tuple(label_texts),
        parts=tuple((item, tuple(parts[item.key])) for item in chart.series),
        totals=tuple(total_texts),
    )
