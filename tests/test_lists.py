"""Lists of clusters as a visitor uses them, in headless chromium: one page of real rows, links to
every page without JavaScript, sorting and filtering the whole list, the count announced, the
state in the address, the keyboard alone, and no layout shift when the script starts.
Every request to another host, and every script error, fails the test (see tests/browser.py)."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from generator.core import words
from generator.labels.rules import load_rules, load_sectors
from generator.records.catalog import load_catalog
from generator.site.csvout import csv_text
from generator.site.directory import build_directory, sort_key
from generator.site.listing import PAGE_SIZE
from generator.site.opendata import DATA_COLUMNS, open_data
from tests.browser import contrast
from tests.conftest import ROOT
from tests.golden import AS_OF

RULES = load_rules()


@pytest.fixture(scope="module")
def directory():
    catalog = load_catalog(ROOT / "clusters", RULES, load_sectors(), AS_OF)
    return build_directory(catalog.clusters, RULES, AS_OF)


def _names(page) -> list[str]:
    return page.locator(".cd-list tbody tr td:first-child a").all_inner_texts()


def _ready(page) -> None:
    """Wait until the list's script has set the table up (and fetched what it needs)."""
    page.locator(".cd-list.cd-list--ready:not([aria-busy])").wait_for()


def _shown(page) -> str:
    return page.locator(".cd-shown").inner_text()


def _by_name(entries) -> list[str]:
    return [
        e.cluster.name
        for e in sorted(entries, key=lambda e: (sort_key(e.cluster.name), e.cluster.id))
    ]


def test_a_list_page_holds_one_page_of_rows_by_name_and_links_to_the_next(visitor, directory):
    page = visitor.page
    page.goto(visitor.base + "clusters/")
    _ready(page)
    everyone = _by_name(directory.labelled)
    assert _names(page) == everyone[:PAGE_SIZE]
    assert _shown(page) == f"Showing 1–{PAGE_SIZE} of {len(everyone)} clusters, by name."
    assert page.locator("th[aria-sort=ascending]").inner_text() == "Name"
    page.get_by_role("link", name="Next").click()
    page.wait_for_url(re.compile(r"/clusters/page/2/$"))
    _ready(page)
    assert _names(page) == everyone[PAGE_SIZE : 2 * PAGE_SIZE]


def test_without_javascript_every_cluster_is_reachable_through_the_pages(
    chromium, site_url, directory
):
    context = chromium.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + "clusters/")
        assert not page.locator(".cd-filters").is_visible()  # a form that could do nothing
        seen = []
        while True:
            seen += _names(page)
            following = page.locator(".cd-pager a[rel=next]")
            if not following.count():
                break
            following.click()
        assert seen == _by_name(directory.labelled)
        page.goto(site_url + "countries/de/")
        germany = next(c for c in directory.countries if c.code == "DE")
        assert _names(page) == _by_name(germany.labelled)
    finally:
        context.close()


def _column(page, column: str) -> list[str]:
    index = page.eval_on_selector_all(
        "thead th", f"ths => ths.findIndex(th => th.dataset.column === '{column}')"
    )
    return page.eval_on_selector_all(
        f".cd-list tbody tr td:nth-child({index + 1})", "cells => cells.map(c => c.textContent)"
    )


def _in_order(page, values: list[str], descending: bool) -> bool:
    """Whether values are in the order of the browser's own collation (as lists.js sorts)."""
    return page.evaluate(
        "([values, descending]) => { const c = new Intl.Collator('en', {sensitivity: 'base',"
        " numeric: true}); return values.every((v, i) => i === 0 ||"
        " (descending ? c.compare(values[i - 1], v) >= 0 : c.compare(values[i - 1], v) <= 0)); }",
        [values, descending],
    )


@pytest.mark.parametrize(
    ("column", "key"),
    [
        ("Valid until", lambda e: e.status.valid_until),
        ("Label", lambda e: -RULES.level(e.status.label).rank),
    ],
)
def test_sorting_by_a_date_or_a_label_orders_the_whole_list_both_ways(
    visitor, directory, column, key
):
    page = visitor.page
    page.goto(visitor.base + "clusters/")
    _ready(page)
    by_name = sorted(directory.labelled, key=lambda e: (sort_key(e.cluster.name), e.cluster.id))
    ascending = [e.cluster.name for e in sorted(by_name, key=key)]  # stable: by name within ties
    page.get_by_role("button", name=column, exact=True).click()
    _ready(page)
    assert page.locator("th[aria-sort=ascending]").inner_text() == column
    assert _names(page) == ascending[:PAGE_SIZE]
    page.get_by_role("button", name=column, exact=True).click()
    _ready(page)
    assert page.locator("th[aria-sort=descending]").inner_text() == column
    groups: dict[object, list[str]] = {}  # reversed by the column, still by name within ties
    for entry in by_name:
        groups.setdefault(key(entry), []).append(entry.cluster.name)
    descending = [name for value in sorted(groups, reverse=True) for name in groups[value]]
    assert _names(page) == descending[:PAGE_SIZE]


@pytest.mark.parametrize(("column", "field"), [("Country", "country"), ("City", "city")])
def test_sorting_by_a_text_column_follows_the_collation_both_ways(visitor, column, field):
    page = visitor.page
    page.goto(visitor.base + "clusters/")
    _ready(page)
    for descending in (False, True):
        page.get_by_role("button", name=column, exact=True).click()
        _ready(page)
        state = "descending" if descending else "ascending"
        assert page.locator(f"th[aria-sort={state}]").inner_text() == column
        values = _column(page, field)
        assert len(values) == PAGE_SIZE and _in_order(page, values, descending)


@pytest.mark.parametrize(
    ("field", "value", "keep"),
    [
        ("country", "DE", lambda e: e.cluster.country == "DE"),
        ("label", "gold", lambda e: e.status.label == "gold"),
        ("sector", "ICT", lambda e: "ICT" in e.cluster.sectors),
        ("q", "sud", lambda e: "sud" in sort_key(f"{e.cluster.name} {e.cluster.city or ''}")[0]),
    ],
)
def test_each_filter_narrows_the_whole_list_and_the_count_is_announced(
    visitor, directory, field, value, keep
):
    page = visitor.page
    page.goto(visitor.base + "clusters/")
    _ready(page)
    expected = _by_name(e for e in directory.labelled if keep(e))
    if field == "q":
        page.locator("input[name=q]").fill(value)
    else:
        page.locator(f"select[name={field}]").select_option(value)
    page.wait_for_function(
        f"document.querySelector('.cd-list').dataset.shown === '{len(expected)}'"
    )
    assert _names(page) == expected[:PAGE_SIZE]
    assert page.locator(".cd-shown[aria-live=polite]").count() == 1
    # The count names the filter, in the words of generator/core/words.py.
    named = {"country": "Germany", "label": "GOLD"}.get(field, value)
    assert _shown(page) == words.shown_sentence(1, len(expected), len(expected), [(field, named)])
    assert f"{field}={value}" in page.url


def test_a_permalink_opens_the_filtered_table_and_nothing_else(visitor, directory):
    page = visitor.page
    target = next(
        e
        for e in directory.labelled
        if e.cluster.id == "innovationsverbund-biotechnologie-rheinhessen"
    )
    page.goto(visitor.base + "clusters/?q=Innovationsverbund%20Biotechnologie%20Rheinhessen")
    _ready(page)
    assert _names(page) == [target.cluster.name]
    assert page.locator("input[name=q]").input_value() == target.cluster.name
    assert page.locator("dialog[open], pagefind-modal").count() == 0  # no search dialog opens
    page.goto(visitor.base + "clusters/?country=de&label=gold&sort=-valid_until")
    _ready(page)
    germany_gold = [
        e for e in directory.labelled if e.cluster.country == "DE" and e.status.label == "gold"
    ]
    assert len(_names(page)) == len(germany_gold)
    assert page.locator("select[name=country]").input_value() == "DE"
    assert page.locator("th[aria-sort=descending]").inner_text() == "Valid until"


def test_paging_through_a_sorted_list_keeps_its_state_and_back_returns(visitor, directory):
    page = visitor.page
    page.goto(visitor.base + "clusters/?sort=city")
    _ready(page)
    first_page = _names(page)
    page.locator(".cd-pager a", has_text="2").first.click()
    page.wait_for_url(re.compile(r"sort=city&page=2$"))
    _ready(page)
    assert _names(page) != first_page and len(_names(page)) == len(directory.labelled) - PAGE_SIZE
    assert _shown(page).startswith(f"Showing {PAGE_SIZE + 1}–{len(directory.labelled)} of")
    pages = -(-len(directory.labelled) // PAGE_SIZE)
    assert page.locator(".cd-pager-where").inner_text() == words.pager_text(2, pages)
    page.go_back()
    page.wait_for_url(re.compile(r"sort=city$"))
    page.wait_for_function(
        "document.querySelector('.cd-pager [aria-current=page]').textContent === '1'"
    )
    assert _names(page) == first_page


def _rows(page) -> list[list[object]]:
    """Each row's cells as text, attributes and link targets (resolved), as a reader gets them."""
    return page.eval_on_selector_all(
        ".cd-list tbody tr",
        "rows => rows.map(r => Array.from(r.cells).map(c => [c.textContent, c.getAttribute("
        "'data-label'), Array.from(c.querySelectorAll('a')).map(a => a.href),"
        " Array.from(c.querySelectorAll('time, span')).map(e => e.outerHTML)]))",
    )


def test_rows_drawn_by_the_script_are_the_rows_the_static_page_holds(visitor):
    page = visitor.page
    page.goto(visitor.base + "clusters/page/2/")
    _ready(page)
    static = _rows(page)
    page.goto(visitor.base + "clusters/?page=2")  # drawn from the index
    _ready(page)
    assert _rows(page) == static and len(static) > 10


def test_the_list_works_with_the_keyboard_alone(visitor, directory):
    page = visitor.page
    page.goto(visitor.base + "countries/de/")
    _ready(page)
    page.locator("input[name=q]").focus()
    page.keyboard.type("netzwerk")
    germany = next(c for c in directory.countries if c.code == "DE")
    expected = _by_name(e for e in germany.labelled if "netzwerk" in e.cluster.name.lower())
    page.wait_for_function(
        f"document.querySelector('.cd-list').dataset.shown === '{len(expected)}'"
    )
    assert _names(page) == expected
    button = page.get_by_role("button", name="Valid until", exact=True)
    button.focus()
    page.keyboard.press("Enter")
    page.locator("th[aria-sort=ascending]", has_text="Valid until").wait_for()
    page.keyboard.press("Enter")
    page.locator("th[aria-sort=descending]", has_text="Valid until").wait_for()


def test_nothing_shifts_when_the_list_script_starts(visitor):
    page = visitor.page
    page.add_init_script(
        "window.__shift = 0; new PerformanceObserver(list => { for (const e of list.getEntries())"
        " { if (!e.hadRecentInput) window.__shift += e.value; } }).observe({type: 'layout-shift',"
        " buffered: true});"
    )
    for path in ("clusters/", "countries/de/", "labels/bronze/"):
        page.goto(visitor.base + path, wait_until="networkidle")
        _ready(page)
        assert page.evaluate("window.__shift") <= 0.05, path


def test_a_label_page_and_the_renewals_list_filter_too(visitor, directory):
    page = visitor.page
    page.goto(visitor.base + "labels/bronze/")
    _ready(page)
    page.locator("select[name=country]").select_option("DE")
    expected = _by_name(e for e in directory.holders("bronze") if e.cluster.country == "DE")
    page.wait_for_function(
        f"document.querySelector('.cd-list').dataset.shown === '{len(expected)}'"
    )
    assert _names(page) == expected
    page.goto(visitor.base + "renewals/?sort=name")
    _ready(page)
    assert _names(page) == _by_name(directory.renewals)


def test_a_filtered_list_says_what_it_shows_not_the_register_total(visitor, directory):
    page = visitor.page
    page.goto(visitor.base + "clusters/")
    _ready(page)
    page.locator("select[name=country]").select_option("FR")
    page.locator("select[name=label]").select_option("silver")
    expected = _by_name(
        e for e in directory.labelled if e.cluster.country == "FR" and e.status.label == "silver"
    )
    assert expected
    page.wait_for_function(
        f"document.querySelector('.cd-list').dataset.shown === '{len(expected)}'"
    )
    assert _shown(page) == (
        f"Showing {words.clusters_text(len(expected))} in France with a SILVER label, by name."
    )
    assert _names(page) == expected
    # Sorted and paged, it still names its filter; the count is announced as it changes.
    page.goto(visitor.base + "clusters/?label=bronze&sort=-valid_until&page=2")
    _ready(page)
    bronze = [e for e in directory.labelled if e.status.label == "bronze"]
    assert len(bronze) > PAGE_SIZE
    assert _shown(page) == words.shown_sentence(
        PAGE_SIZE + 1, len(bronze), len(bronze), [("label", "BRONZE")], "valid_until", True
    )
    assert page.locator(".cd-shown").get_attribute("aria-live") == "polite"


def test_an_empty_result_says_so_hides_the_table_and_offers_to_clear_the_filters(
    visitor, directory
):
    page = visitor.page
    page.goto(visitor.base + "clusters/?sort=city")
    _ready(page)
    page.locator("select[name=label]").select_option("gold")
    page.locator("input[name=q]").fill("zzz")
    page.wait_for_function("document.querySelector('.cd-list').dataset.shown === '0'")
    assert _shown(page) == "No cluster with a GOLD label matching “zzz”."
    assert not page.locator(".cd-list table").is_visible()  # never a table of headings alone
    assert page.locator(".cd-pager").count() == 0
    clear = page.get_by_role("button", name="Clear the filters", exact=True)
    assert clear.is_visible()
    clear.click()
    everyone = len(directory.labelled)
    page.wait_for_function(f"document.querySelector('.cd-list').dataset.shown === '{everyone}'")
    assert page.url.endswith("/clusters/?sort=city")  # the filters go, the order stays
    assert page.locator("input[name=q]").input_value() == ""
    assert page.locator("select[name=label]").input_value() == ""
    assert page.locator(".cd-list table").is_visible() and not clear.is_visible()
    assert page.evaluate("document.activeElement.classList.contains('cd-shown')")
    assert _shown(page) == f"Showing 1–{PAGE_SIZE} of {everyone} clusters, by city."


def test_renewals_come_soonest_deadline_first_before_any_sorting(chromium, site_url, directory):
    soonest = [
        e.cluster.name
        for e in sorted(
            directory.renewals,
            key=lambda e: (e.status.renewable_until, sort_key(e.cluster.name), e.cluster.id),
        )
    ]
    for script in (False, True):
        context = chromium.new_context(java_script_enabled=script)
        try:
            page = context.new_page()
            page.goto(site_url + "renewals/")
            if script:
                _ready(page)
            assert _names(page) == soonest
            assert page.locator("th[aria-sort=ascending]").inner_text() == "Renewable until"
            assert _shown(page) == (f"Showing all {len(soonest)} clusters, by renewal deadline.")
            assert "sort by" not in page.locator(".cd-headline").inner_text()
        finally:
            context.close()


OUTLINE = "e => { const s = getComputedStyle(e); return [s.outlineStyle, parseFloat(s.outlineWidth), s.outlineColor]; }"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_filter_field_shows_the_theme_focus_ring_when_the_keyboard_reaches_it(
    visitor, scheme
):
    page = visitor.page
    page.emulate_media(color_scheme=scheme)
    page.goto(visitor.base + "clusters/")
    _ready(page)
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    fields = page.locator(".cd-filters input, .cd-filters select")
    assert fields.count() == 5  # name or city, country, label, sector, sort
    for i in range(fields.count()):
        field = fields.nth(i)
        assert field.evaluate(OUTLINE)[0] == "none"  # no ring before it has focus
    page.evaluate("() => { const h = document.querySelector('h1'); h.tabIndex = -1; h.focus(); }")
    for i in range(fields.count()):
        field = fields.nth(i)
        for _ in range(20):  # the keyboard's way from the heading to the field
            page.keyboard.press("Tab")
            if field.evaluate("e => e === document.activeElement"):
                break
        assert field.evaluate("e => e === document.activeElement")
        style, width, colour = field.evaluate(OUTLINE)
        name = field.get_attribute("name")
        assert style == "solid" and width >= 2, (name, style, width)
        assert contrast(colour, background) >= 3, (name, colour)  # WCAG 1.4.11


def _download(page, fmt: str):
    """Click the view's download button; the file it saves, as text."""
    with page.expect_download() as info:
        page.locator(f".cd-download-view button[data-format={fmt}]").click()
    download = info.value
    return download.suggested_filename, Path(download.path()).read_bytes().decode("utf-8")


def test_download_this_list_saves_the_rows_shown_with_the_register_columns(
    visitor, directory, sample_site
):
    page = visitor.page
    page.goto(visitor.base + "clusters/?label=bronze&sort=-valid_until")
    _ready(page)
    bronze = [e for e in directory.labelled if e.status.label == "bronze"]
    assert len(bronze) > PAGE_SIZE  # more than one page: the download holds every page
    name, text = _download(page, "csv")
    assert name == "clusters-bronze.csv"
    register = (sample_site / "clusters.csv").read_bytes().decode("utf-8").split("\r\n")
    by_id = {next(csv.reader([line]))[0]: line for line in register[1:-1]}
    lines = text.split("\r\n")
    assert lines[0] == register[0] and lines[-1] == ""  # the header and CRLF of clusters.csv
    ids = [next(csv.reader([line]))[0] for line in lines[1:-1]]
    shown = page.eval_on_selector_all(
        ".cd-list tbody td:first-child a", "as => as.map(a => a.pathname.split('/')[2])"
    )
    assert ids[: len(shown)] == shown and len(ids) == len(bronze)
    assert sorted(ids) == sorted(e.cluster.id for e in bronze)
    assert lines[1:-1] == [by_id[i] for i in ids]  # each row as clusters.csv writes it
    name, text = _download(page, "json")
    assert name == "clusters-bronze.json"
    document = json.loads(text)
    everything = json.loads((sample_site / "clusters.json").read_text("utf-8"))
    rows = {r["id"]: r for r in everything["clusters"]}
    assert [r["id"] for r in document["clusters"]] == ids
    assert document["clusters"] == [rows[i] for i in ids]
    assert set(document) == set(everything) and document["columns"] == everything["columns"]
    assert document["headline"]["clusters"] == len(bronze)


def test_a_downloaded_view_defuses_formulas_and_quotes_as_clusters_csv_does(visitor, directory):
    """The register's values are doctored on their way to the browser, with what a spreadsheet
    would run and what CSV must quote; the download must say them as csvout.py does."""
    page = visitor.page
    germany = next(c for c in directory.countries if c.code == "DE")
    register = json.loads({f.path: f.data for f in open_data(directory)}["clusters.json"])
    hostile = ["=1+1", "+49 30", "-minus", "@SUM(A1)", "\ttab", "\rreturn", 'say "hi"', "a\nb"]
    doctored = {}
    for i, row in enumerate(r for r in register["clusters"] if r["country"] == "DE"):
        row = row | {
            "name": hostile[i % len(hostile)],
            "acronym": hostile[(i + 1) % len(hostile)],
            "sectors": [hostile[(i + 2) % len(hostile)], "ICT"],
            "latitude": [52.0, 1e-05, -0.0, 48.1351][i % 4],
        }
        doctored[row["id"]] = row
    register["clusters"] = [doctored.get(r["id"], r) for r in register["clusters"]]
    page.route(
        "**/clusters.json",
        lambda route: route.fulfill(
            content_type="application/json", body=json.dumps(register, ensure_ascii=False)
        ),
    )
    page.goto(visitor.base + "countries/de/")
    _ready(page)
    _, text = _download(page, "csv")
    ids = [e.cluster.id for e in germany.labelled]
    expected = csv_text(
        DATA_COLUMNS,
        ([_cell(doctored[i][c]) for c in DATA_COLUMNS] for i in ids),
    )
    assert text == expected
    assert "'=1+1" in text and "'\ttab" in text and '"say ""hi"""' in text and ",1e-05," in text


def _cell(value):
    return "; ".join(value) if isinstance(value, list) else value
