"""The statistics page: its figures case by case, their invariants, the chart layout, and the
built page (one SVG chart and one table per figure, no script, readable light and dark)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.core.model import Award, Cluster
from generator.core.months import Month
from generator.labels.rules import load_rules, load_sectors
from generator.records.catalog import load_catalog
from generator.site.directory import build_directory
from generator.site.stats import (
    FONT,
    GAP,
    WIDE,
    WIDTH,
    Chart,
    Row,
    Series,
    draw,
    nice_ticks,
    statistics,
)
from tests import golden
from tests.conftest import ROOT, award, day

RULES = load_rules()
SVG = "{http://www.w3.org/2000/svg}"


def _cluster(awards: list[str], country: str = "DE", name: str = "Cluster") -> Cluster:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return Cluster(
        id=slug,
        path=f"{slug}.yaml",
        name=name,
        country=country,
        website="https://example.org/",
        awards=tuple(award(text) for text in awards),
    )


def _stats(clusters: list[Cluster], as_of: str):
    return statistics(build_directory(clusters, RULES, day(as_of)))


def _by_year(chart: Chart) -> dict[int, tuple[int, ...]]:
    return {int(row.label[:4]): row.values for row in chart.rows}


# Labels valid at the end of each year: (case, awards of one cluster, as-of date,
# {year: (GOLD, SILVER, BRONZE)}). A year is counted in December, the as-of year in its month.
# fmt: off
HELD = [
    ("first bronze: its year and the next", ["bronze 2022-03"], "2024-06-15",
     {2022: (0, 0, 1), 2023: (0, 0, 1), 2024: (0, 0, 0)}),
    ("ladder bronze, silver, gold: the highest each year", ["bronze 2020-01", "bronze 2021-09", "silver 2022-06", "gold 2024-03"], "2025-06-30",
     {2020: (0, 0, 1), 2021: (0, 0, 1), 2022: (0, 1, 0), 2023: (0, 1, 0), 2024: (1, 0, 0), 2025: (1, 0, 0)}),
    ("renewal in the window: no gap in the December before it", ["bronze 2022-10", "bronze 2025-03"], "2025-06-30",
     {2022: (0, 0, 1), 2023: (0, 0, 1), 2024: (0, 0, 1), 2025: (0, 0, 1)}),
    ("lapse past the window: a year without", ["silver 2019-02", "silver 2022-06"], "2023-01-15",
     {2019: (0, 1, 0), 2020: (0, 1, 0), 2021: (0, 0, 0), 2022: (0, 1, 0), 2023: (0, 1, 0)}),
    ("award after the as-of month: not counted", ["bronze 2024-01", "gold 2026-12"], "2026-11-27",
     {2024: (0, 0, 1), 2025: (0, 0, 1), 2026: (0, 0, 0)}),
    ("valid through November: not held in December", ["bronze 2023-12 until 2024-11"], "2025-01-10",
     {2023: (0, 0, 1), 2024: (0, 0, 0), 2025: (0, 0, 0)}),
    ("as-of year counted in the as-of month", ["gold 2024-12"], "2026-11-27",
     {2024: (1, 0, 0), 2025: (1, 0, 0), 2026: (1, 0, 0)}),
    ("as-of year, a month after the end", ["gold 2024-12"], "2026-12-01",
     {2024: (1, 0, 0), 2025: (1, 0, 0), 2026: (0, 0, 0)}),
    ("no award known yet: no years", ["bronze 2027-01"], "2026-11-27", {}),
]
# New awards and renewals: (case, awards of one cluster, as-of date, {year: (new, renewals)}).
AWARDS = [
    ("first, renewal, then new after a lapse", ["silver 2019-02", "silver 2020-10", "silver 2025-06"], "2025-12-31",
     {2019: (1, 0), 2020: (0, 1), 2021: (0, 0), 2022: (0, 0), 2023: (0, 0), 2024: (0, 0), 2025: (1, 0)}),
    ("each level has its own first award", ["bronze 2021-01", "silver 2022-09", "bronze 2022-11"], "2023-03-01",
     {2021: (1, 0), 2022: (1, 1), 2023: (0, 0)}),
    ("award after the as-of month: not counted", ["bronze 2024-01", "bronze 2026-12"], "2026-11-27",
     {2024: (1, 0), 2025: (0, 0), 2026: (0, 0)}),
    ("award in the as-of month: counted", ["bronze 2024-01", "bronze 2025-11"], "2025-11-01",
     {2024: (1, 0), 2025: (0, 1)}),
]
# fmt: on


@pytest.mark.parametrize(
    ("awards", "as_of", "expected"), [c[1:] for c in HELD], ids=[c[0] for c in HELD]
)
def test_labels_held_at_each_year_end_by_highest_level(awards, as_of, expected):
    assert _by_year(_stats([_cluster(awards)], as_of).held) == expected


@pytest.mark.parametrize(
    ("awards", "as_of", "expected"), [c[1:] for c in AWARDS], ids=[c[0] for c in AWARDS]
)
def test_awards_per_year_split_into_new_and_renewals(awards, as_of, expected):
    assert _by_year(_stats([_cluster(awards)], as_of).awards) == expected


def test_the_as_of_year_says_until_when():
    stats = _stats([_cluster(["bronze 2025-02"])], "2026-11-27")
    for chart in (stats.held, stats.awards):
        assert [row.label for row in chart.rows] == ["2025", "2026, as of 27 November"]
        assert [row.short for row in chart.rows] == ["", "2026*"]
        assert chart.note == "* 2026, as of 27 November"


def test_countries_by_count_then_name_with_only_labelled_clusters():
    clusters = [
        _cluster(["gold 2026-01"], "DE", "Gold Rhein"),
        _cluster(["bronze 2026-01"], "DE", "Bronze Rhein"),
        _cluster(["silver 2026-01"], "BE", "Silver Brussels"),
        _cluster(["bronze 2026-02"], "AT", "Bronze Wien"),
        _cluster(["bronze 2020-01"], "FR", "Expired Paris"),
    ]
    rows = _stats(clusters, "2026-11-27").countries.rows
    assert [(row.label, row.values, row.link) for row in rows] == [
        ("Germany", (1, 0, 1), "countries/de/"),
        ("Austria", (0, 0, 1), "countries/at/"),
        ("Belgium", (0, 1, 0), "countries/be/"),
    ]


def test_every_record_counts_also_expired_ones():
    stats = _stats(
        [_cluster(["bronze 2015-01"], name="Old"), _cluster(["gold 2026-01"])], "2026-11-27"
    )
    assert stats.held.rows[0].label == "2015" and stats.held.rows[0].total == 1
    assert sum(row.total for row in stats.awards.rows) == 2
    assert stats.held.rows[-1].total == 1


@pytest.mark.parametrize("as_of", ["2026-11-25", "2026-11-27", "2027-06-30", "2026-12-31"])
@pytest.mark.parametrize("records", ["clusters", "tests/fixtures/site"])
def test_the_as_of_year_equals_the_headline_count_by_level(records, as_of):
    when = day(as_of)
    catalog = load_catalog(ROOT / records, RULES, load_sectors(), when, strict=False)
    directory = build_directory(catalog.clusters, RULES, when)
    stats = statistics(directory)
    last = stats.held.rows[-1]
    assert last.total == directory.headline.clusters
    assert last.values == tuple(len(directory.holders(s.key)) for s in stats.held.series)
    assert sum(row.total for row in stats.countries.rows) == directory.headline.clusters
    assert len(stats.countries.rows) == directory.headline.countries


def test_figures_and_drawings_do_not_depend_on_the_order_of_the_records():
    when = day("2026-11-27")
    clusters = load_catalog(ROOT / "clusters", RULES, load_sectors(), when, strict=True).clusters
    forward = statistics(build_directory(clusters, RULES, when))
    backward = statistics(build_directory(tuple(reversed(clusters)), RULES, when))
    assert forward == backward
    assert [draw(chart) for chart in forward.charts] == [draw(c) for c in backward.charts]


LEVELS = st.sampled_from(RULES.level_ids)
MONTHS = st.integers(Month.of(2010, 1).index, Month.of(2030, 12).index).map(Month)
AWARD = st.builds(Award, level=LEVELS, assessed=MONTHS)
HISTORIES = st.lists(st.lists(AWARD, max_size=5), max_size=6)
DATES = st.dates(dt.date(2012, 1, 1), dt.date(2031, 12, 31))


@settings(max_examples=60, deadline=None)
@given(HISTORIES, DATES)
def test_figures_add_up_to_the_awards_and_the_headline(histories, as_of):
    clusters = [
        dataclasses.replace(_cluster([], name=f"C{i}"), awards=tuple(awards))
        for i, awards in enumerate(histories)
    ]
    directory = build_directory(clusters, RULES, as_of)
    stats = statistics(directory)
    month = Month.from_date(as_of)
    known = sum(1 for c in clusters for a in c.awards if a.assessed <= month)
    assert sum(row.total for row in stats.awards.rows) == known
    assert all(row.total <= len(clusters) for row in stats.held.rows)
    if known:
        assert stats.held.rows[-1].total == directory.headline.clusters
        assert int(stats.held.rows[-1].label[:4]) == as_of.year
    else:
        assert stats.held.rows == stats.awards.rows == ()


# The layout


# (largest value, the scale's ticks)
# fmt: off
TICKS = [
    (0, (0, 1)), (1, (0, 1)), (5, (0, 1, 2, 3, 4, 5)), (6, (0, 2, 4, 6)), (11, (0, 5, 10, 15)),
    (188, (0, 50, 100, 150, 200)), (1234, (0, 500, 1000, 1500)),
    (10_000, (0, 2000, 4000, 6000, 8000, 10000)),
]
# fmt: on


@pytest.mark.parametrize(("maximum", "ticks"), TICKS)
def test_scale_ticks_are_nice_numbers_past_the_largest_value(maximum, ticks):
    assert nice_ticks(maximum) == ticks


def _chart(rows: list[tuple[str, tuple[int, ...]]]) -> Chart:
    series = (Series("gold", "GOLD"), Series("silver", "SILVER"), Series("bronze", "BRONZE"))
    return Chart("t", "Test", "Year", "All", series, tuple(Row(lb, v) for lb, v in rows))


@pytest.mark.parametrize(
    "rows",
    [
        [("2024", (1, 2, 3)), ("2025", (0, 0, 0)), ("2026*", (40, 0, 7))],
        [("Bosnia and Herzegovina", (1, 0, 9_999)), ("Malta", (0, 1, 0))],
        [("South Georgia and the South Sandwich Islands", (3, 0, 0))],
    ],
)
def test_bars_stay_inside_the_chart_and_their_scale(rows):
    drawing = draw(_chart(rows))
    last_line = drawing.grid[-1]
    for _, rects in drawing.parts:
        for rect in rects:
            assert drawing.grid[0] <= rect.x and rect.x + rect.width <= last_line + 2
    for label in drawing.labels:
        assert len(label.text) <= 22 and label.x <= drawing.grid[0]
    assert all(total.x < WIDTH for total in drawing.totals)
    # Every part that holds something shows; nothing is drawn for a zero.
    drawn = sum(len(rects) for _, rects in drawing.parts)
    assert drawn == sum(1 for _, values in rows for v in values if v)


def test_a_bar_ends_at_its_total_on_the_scale_and_its_parts_meet():
    drawing = draw(_chart([("a", (50, 50, 100)), ("b", (0, 0, 100)), ("c", (0, 0, 0))]))
    zero, _, hundred, _, two_hundred = drawing.grid  # 0, 50, 100, 150, 200
    assert [total.x - GAP for total in drawing.totals] == [two_hundred, hundred, zero]
    first_bar = sorted((r.x, r.width) for _, rects in drawing.parts for r in rects if r.y < 40)
    assert [x for x, _ in first_bar[1:]] == [x + width for x, width in first_bar[:-1]]


# The built page (the sample records as of 2026-11-25, built once for the session)


def _page(site: Path) -> str:
    return (site / "statistics/index.html").read_text("utf-8")


def _cells(table: str) -> list[list[str]]:
    rows = re.findall(r"(?s)<tr>(.*?)</tr>", table)
    return [
        [
            html.unescape(re.sub(r"<[^>]+>", "", c))
            for c in re.findall(r"(?s)<t[hd][^>]*>(.*?)</t[hd]>", row)
        ]
        for row in rows
    ]


def test_each_chart_is_an_accessible_svg_followed_by_its_table(sample_site):
    page = _page(sample_site)
    svgs = re.findall(r'(?s)<div class="cd-chart">\s*(<svg\b.*?</svg>)', page)
    assert len(svgs) == 3
    for chart_id, svg_text in zip(("held", "awards", "countries"), svgs, strict=True):
        svg = ET.fromstring(svg_text)
        assert svg.get("role") == "img"
        title = svg.find(f"{SVG}title")
        assert title is not None and svg.get("aria-labelledby") == title.get("id")
        assert title.text and title.text.strip()
        assert svg.find(f".//{SVG}script") is None and "<script" not in svg_text
        assert not any(k.startswith("on") for el in svg.iter() for k in el.attrib)
        table = re.search(rf'(?s)<table class="[^"]*" id="table-{chart_id}">.*?</table>', page)
        assert table and page.index(svg_text) < table.start()
        assert "<caption>" in table.group()
        # The table's totals are the chart's: the same numbers, in the same order.
        totals = [t.text for t in svg.iterfind(f".//{SVG}g[@class='cd-chart-totals']/{SVG}text")]
        assert totals == [cells[-1] for cells in _cells(table.group())[1:]]
        assert len(totals) > 0


def test_the_page_sends_no_script_of_its_own(sample_site):
    # Executable scripts only: structured data (JSON-LD) is not a script a visitor runs.
    scripts = re.compile(r"<script\b(?![^>]*application/(?:ld\+)?json)[^>]*>")
    about = (sample_site / "about/index.html").read_text("utf-8")
    assert scripts.findall(_page(sample_site)) == scripts.findall(about)


def test_the_page_is_in_the_navigation_with_its_description(sample_site):
    page = _page(sample_site)
    assert 'href="../statistics/"' in (sample_site / "about/index.html").read_text("utf-8")
    assert re.search(
        r'<meta name="description" content="The ECEI label in figures on 25 November', page
    )


def test_the_page_is_deterministic():
    # The golden file is the page's Markdown; two renders of the fixture records give the same.
    first = golden.generated_files()["statistics.md"]
    assert first == golden.generated_files()["statistics.md"]
    assert first == (golden.GOLDEN / "statistics.md").read_bytes()


def _rgb(css: str) -> tuple[float, ...]:
    """'rgb(1, 2, 3)' or 'rgba(1, 2, 3, 0.5)' as numbers, the alpha 1 when not given."""
    numbers = [float(n) for n in re.findall(r"[\d.]+", css)]
    return (*numbers[:3], numbers[3] if len(numbers) > 3 else 1.0)


def _contrast(colour: str, background: str) -> float:
    """The WCAG contrast ratio of a colour (blended over the background) with the background."""
    *fg, alpha = _rgb(colour)
    bg = _rgb(background)[:3]
    blended = [alpha * f + (1 - alpha) * b for f, b in zip(fg, bg, strict=True)]

    def luminance(rgb) -> float:
        c = [v / 255 for v in rgb]
        c = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    high, low = sorted((luminance(blended), luminance(bg)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# What the charts' colours are read against: text 4.5:1, a bar's fill or outline 3:1 (WCAG
# 1.4.3 and 1.4.11).
COLOURS = """() => {
  const style = (selector) => getComputedStyle(document.querySelector(selector));
  return {
    scheme: document.body.dataset.mdColorScheme,
    background: style('body').backgroundColor,
    text: [...new Set([...document.querySelectorAll('.cd-chart text')]
      .filter((e) => e.getClientRects().length)
      .map((e) => getComputedStyle(e).fill))],
    bars: [...document.querySelectorAll('.cd-chart-legend rect')]
      .filter((e) => e.getClientRects().length)
      .map((e) => [getComputedStyle(e).fill, getComputedStyle(e).stroke]),
  };
}"""


@pytest.mark.parametrize(("scheme", "material"), [("light", "default"), ("dark", "slate")])
def test_the_page_reads_in_both_schemes_and_on_a_phone(chromium, site_url, scheme, material):
    from axe_playwright_python.sync_playwright import Axe

    context = chromium.new_context(viewport={"width": 390, "height": 844}, color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(site_url + "statistics/")
        colours = page.evaluate(COLOURS)
        assert colours["scheme"] == material
        for text in colours["text"]:
            assert _contrast(text, colours["background"]) >= 4.5, text
        assert len(colours["bars"]) == 3 + 2 + 3
        for fill, stroke in colours["bars"]:
            best = max(
                _contrast(fill, colours["background"]), _contrast(stroke, colours["background"])
            )
            assert best >= 3, (fill, stroke)
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
        rules = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa"]}}
        violations = Axe().run(page, options=rules).response["violations"]
        assert violations == [], [v["id"] for v in violations]
    finally:
        context.close()


# Each chart as the page shows it: the drawing on view, the column's width, its size on screen.
SHOWN = """() => [...document.querySelectorAll('.cd-chart')].map((chart) => {
  const shown = [...chart.querySelectorAll('svg')].filter((svg) => svg.getClientRects().length);
  const svg = shown[0];
  return {
    drawings: shown.length,
    column: chart.clientWidth,
    width: svg.getBoundingClientRect().width,
    units: svg.viewBox.baseVal.width,
    fills: Object.fromEntries([...svg.querySelectorAll('.cd-chart-legend rect')]
      .map((e) => [e.getAttribute('class'), getComputedStyle(e).fill])),
  };
})"""


@pytest.mark.parametrize("width", [1280, 1024, 390])
def test_each_chart_fills_its_column_with_text_of_a_readable_size(chromium, site_url, width):
    context = chromium.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.goto(site_url + "statistics/")
        charts = page.evaluate(SHOWN)
        assert len(charts) == 3
        for chart in charts:
            assert chart["drawings"] == 1  # the one that fits the column, never both
            assert chart["width"] == pytest.approx(chart["column"], abs=1)
            # FONT units of text, scaled with the drawing to the column's width.
            shown_px = FONT * chart["width"] / chart["units"]
            assert 11 <= shown_px <= 21, (width, chart)
        assert {c["units"] for c in charts} == ({WIDTH} if width == 390 else {WIDE})
    finally:
        context.close()


def test_a_series_keeps_its_colour_in_light_and_dark(chromium, site_url):
    fills = {}
    for scheme in ("light", "dark"):
        context = chromium.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
        try:
            page = context.new_page()
            page.goto(site_url + "statistics/")
            fills[scheme] = [chart["fills"] for chart in page.evaluate(SHOWN)]
        finally:
            context.close()
    assert fills["light"] == fills["dark"]
    assert {key for chart in fills["light"] for key in chart} == {
        f"cd-fill-{key}" for key in ("gold", "silver", "bronze", "first", "renewal")
    }


def test_the_wide_drawing_keeps_everything_inside_and_longer_labels():
    rows = [("A very long country name that goes on and on", (1, 2, 3)), ("b", (0, 0, 7))]
    narrow, wide = draw(_chart(rows)), draw(_chart(rows), WIDE)
    assert (narrow.width, wide.width) == (WIDTH, WIDE)
    assert all(total.x < WIDE for total in wide.totals)
    assert len(narrow.labels[0].text) == 22 < len(wide.labels[0].text) == 32
    assert wide.grid[-1] - wide.grid[0] > narrow.grid[-1] - narrow.grid[0]  # longer bars
