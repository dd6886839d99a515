"""Search as a visitor uses it, in headless chromium: Pagefind's dialog, opened from the header's
button or the "/" key on every page, loads nothing before it is opened, finds a cluster by part
of its name, filters by country, and is usable by keyboard and screen reader in both schemes."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser import contrast, css_rgba
from tests.conftest import ROOT
from tests.test_accessibility import RULES, _describe

AXE = Axe()


def _open(page, how: str = "button") -> None:
    if how == "button":
        page.locator("[data-cd-search]").click()
    else:
        page.locator("body").press("/")
    page.locator("pagefind-input input").wait_for(state="visible")


def _results(page, count: int | None = None):
    results = page.locator("pagefind-results a")
    if count is None:
        results.first.wait_for()
    else:
        page.wait_for_function(
            f"document.querySelectorAll('pagefind-results a').length === {count}"
        )
    return results


def _summary_count(page, query: str) -> int:
    summary = page.locator("pagefind-summary").filter(
        has_text=re.compile(rf"\d+ results? for .*{re.escape(query)}")
    )
    summary.wait_for()
    return int(re.search(r"\d+", summary.inner_text())[0])


@pytest.mark.parametrize("how", ["button", "slash"])
def test_search_finds_a_cluster_by_part_of_its_name(visitor, how):
    page = visitor.page
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(visitor.base + "countries/")
    page.wait_for_load_state("networkidle")
    assert not any("/pagefind/" in url for url in requests)  # nothing loads before it is opened
    _open(page, how)
    assert page.locator("pagefind-input input").evaluate("i => i === document.activeElement")
    page.keyboard.type("Rheinhess")
    result = page.locator(
        "pagefind-results a", has_text="Innovationsverbund Biotechnologie Rheinhessen"
    ).first
    result.wait_for()
    result.click()
    page.wait_for_url(re.compile(r"/clusters/innovationsverbund-biotechnologie-rheinhessen/$"))
    assert page.locator("h1").inner_text() == "Innovationsverbund Biotechnologie Rheinhessen"


def test_the_keyboard_alone_reaches_a_result_and_escape_gives_focus_back(visitor):
    page = visitor.page
    page.goto(visitor.base + "labels/gold/")
    button = page.locator("[data-cd-search]")
    button.focus()
    page.keyboard.press("Enter")
    page.locator("pagefind-input input").wait_for(state="visible")
    page.keyboard.type("photonics")
    _results(page)
    page.keyboard.press("ArrowDown")
    focused = page.evaluate("document.activeElement.closest('pagefind-results') !== null")
    assert focused
    page.keyboard.press("Escape")
    page.wait_for_function("!document.querySelector('dialog[open]')")
    assert button.evaluate("b => b === document.activeElement")


def test_a_country_filter_narrows_the_results(visitor):
    page = visitor.page
    page.goto(visitor.base)
    _open(page)
    page.keyboard.type("cluster")
    # The summary counts every match, not only the page of results shown; it is read once the
    # whole word has been searched (typing searches each prefix on the way).
    everything = _summary_count(page, "cluster")
    page.locator("pagefind-filter-dropdown[filter=country] button").first.click()
    page.get_by_role("option", name=re.compile(r"^Germany")).click()
    page.wait_for_function(
        "n => { const m = document.querySelector('pagefind-summary')?.textContent.match(/\\d+/);"
        " return m && Number(m[0]) < n; }",
        arg=everything,
    )
    german = {p.stem for p in (ROOT / "clusters" / "de").glob("*.yaml")}
    # The results are drawn after the summary: wait until the shown ones are the filtered ones.
    page.wait_for_function(
        "ids => { const as = [...document.querySelectorAll('pagefind-results a')];"
        " return as.length > 0 && as.every(a => ids.includes(a.pathname.split('/')[2])); }",
        arg=sorted(german),
    )
    paths = page.locator("pagefind-results a").evaluate_all("as => as.map(a => a.pathname)")
    ids = [path.strip("/").split("/")[-1] for path in paths]
    assert ids and set(ids) <= german, ids  # every result is a German cluster
    assert re.search(r"\d+ results?", page.locator("pagefind-summary").inner_text())


def test_list_and_hub_pages_stay_out_of_the_results(visitor):
    page = visitor.page
    page.goto(visitor.base)
    _open(page)
    page.keyboard.type("countries")  # a word on the hub pages, in no cluster's name
    page.locator("pagefind-summary").filter(has_text=re.compile("result")).wait_for()
    links = page.locator("pagefind-results a").evaluate_all("as => as.map(a => a.pathname)")
    assert all(re.fullmatch(r"/clusters/[a-z0-9-]+/", path) for path in links), links


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_open_dialog_fits_the_scheme_and_has_no_accessibility_violation(visitor, scheme):
    page = visitor.page
    page.emulate_media(color_scheme=scheme)
    page.goto(visitor.base + "clusters/")
    _open(page)
    page.keyboard.type("photonics")
    _results(page)
    background = page.locator("dialog.pf-modal").evaluate(
        "d => getComputedStyle(d).backgroundColor"
    )
    page_background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == page_background  # the dialog takes the page's own colours
    mark = page.locator("pagefind-results mark").first
    mark.wait_for()
    text, highlight = mark.evaluate(
        "m => [getComputedStyle(m).color, getComputedStyle(m).backgroundColor]"
    )
    assert css_rgba(highlight)[3] == 1 and highlight != background  # a highlight of its own
    assert contrast(text, highlight) >= 4.5, (text, highlight)
    violations = AXE.run(page, options=RULES).response["violations"]
    assert violations == [], _describe(violations)


@pytest.fixture(scope="module")
def directory():
    from generator.labels.rules import load_rules, load_sectors
    from generator.records.catalog import load_catalog
    from generator.site.directory import build_directory
    from tests.golden import AS_OF

    rules = load_rules()
    catalog = load_catalog(ROOT / "clusters", rules, load_sectors(), AS_OF)
    return build_directory(catalog.clusters, rules, AS_OF)


def _status_of(page, name: str) -> str:
    result = page.locator("pagefind-results li.pf-result", has_text=name).first
    result.wait_for()
    return result.locator(".cd-result-status").inner_text()


def test_each_result_shows_the_cluster_label_and_state(visitor, directory):
    from generator.core.dates import day_text
    from generator.labels.status import describe

    page = visitor.page
    page.goto(visitor.base)
    _open(page)
    page.keyboard.type("gironde")  # a valid cluster and an expired one
    entries = {e.cluster.name: e for e in directory.entries if "Gironde" in e.cluster.name}
    states = {e.status.state.value for e in entries.values()}
    assert {"valid", "expired"} <= states
    for name, entry in entries.items():
        status = entry.status
        if status.state.value == "valid":
            badge = page.locator("pagefind-results li.pf-result", has_text=name).locator(
                f".cd-badge--{status.label}"
            )
            assert badge.inner_text() == directory.rules.level(status.label).name
            expected = f"{badge.inner_text()} valid until {day_text(status.valid_until)}"
        else:
            expected = describe(status, directory.rules)  # "No valid label: … expired"
        assert _status_of(page, name) == expected, name


def test_a_label_filter_narrows_the_results_to_its_holders(visitor, directory):
    page = visitor.page
    page.goto(visitor.base)
    _open(page)
    page.keyboard.type("cluster")
    everything = _summary_count(page, "cluster")
    page.locator("pagefind-filter-dropdown[filter=label] button").first.click()
    page.get_by_role("option", name=re.compile(r"^GOLD")).click()
    page.wait_for_function(
        "n => { const m = document.querySelector('pagefind-summary')?.textContent.match(/\\d+/);"
        " return m && Number(m[0]) < n; }",
        arg=everything,
    )
    gold = sorted(e.cluster.id for e in directory.holders("gold"))
    page.wait_for_function(
        "ids => { const as = [...document.querySelectorAll('pagefind-results a.pf-result-link')];"
        " return as.length > 0 && as.every(a => ids.includes(a.pathname.split('/')[2])); }",
        arg=gold,
    )
    badges = page.locator("pagefind-results .cd-result-status .cd-badge")
    assert set(badges.all_inner_texts()) == {"GOLD"}


def test_keys_typed_while_the_search_loads_are_kept(visitor):
    page = visitor.page
    page.goto(visitor.base + "countries/")
    page.wait_for_load_state("networkidle")
    page.locator("body").press("/")
    page.keyboard.type("cluster", delay=50)  # an ordinary pace: the first keys beat the dialog
    field = page.locator("pagefind-input input")
    field.wait_for(state="visible")
    page.wait_for_function("document.querySelector('pagefind-input input').value === 'cluster'")
    assert _summary_count(page, "cluster") > 0
    assert field.evaluate("i => i === document.activeElement")
    page.keyboard.type("s")  # typing goes on in the field itself
    assert field.input_value() == "clusters"
