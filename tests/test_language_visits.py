"""The site in each language as a visitor meets it, in headless chromium: axe finds nothing on
each language's home and cluster pages, the language menu leads to the same page in another
language, and search in German finds German pages only."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.test_accessibility import RULES, _describe
from tests.test_search import _open

AXE = Axe()
LANGUAGES = ("de", "fr", "es", "it", "pl")
CLUSTER = "clusters/innovationsverbund-biotechnologie-rheinhessen/"


@pytest.mark.parametrize("path", ["", CLUSTER, "countries/de/"], ids=["home", "cluster", "country"])
@pytest.mark.parametrize("code", LANGUAGES)
def test_each_languages_pages_have_no_accessibility_violations(visitor, code, path):
    page = visitor.page
    page.goto(f"{visitor.base}{code}/{path}")
    assert page.locator("html").get_attribute("lang") == code
    if page.locator(".cd-list").count():
        page.locator(".cd-list.cd-list--ready:not([aria-busy])").wait_for()
    violations = AXE.run(page, options=RULES).response["violations"]
    assert violations == [], _describe(violations)


def test_the_language_menu_leads_to_the_same_page_in_another_language(visitor):
    page = visitor.page
    page.goto(visitor.base + CLUSTER)
    link = page.locator('header a[hreflang="pl"][lang="pl"]')
    assert link.count() == 1
    link.evaluate("a => a.click()")  # the menu's link, however the menu shows it
    page.wait_for_url(re.compile(rf"/pl/{re.escape(CLUSTER)}$"))
    assert page.locator("html").get_attribute("lang") == "pl"
    assert page.locator("h1").inner_text() == "Innovationsverbund Biotechnologie Rheinhessen"
    back = page.locator('header a[hreflang="en"][lang="en"]')
    back.evaluate("a => a.click()")
    page.wait_for_url(re.compile(rf"/{re.escape(CLUSTER)}$"))
    assert page.locator("html").get_attribute("lang") == "en"


def test_search_in_german_finds_german_pages_only(visitor):
    page = visitor.page
    page.goto(visitor.base + "de/countries/")
    _open(page)
    page.keyboard.type("Rheinhess")
    results = page.locator("pagefind-results a")
    results.first.wait_for()
    page.wait_for_function(
        "() => [...document.querySelectorAll('pagefind-results a')].length > 0"
        " && !document.querySelector('pagefind-results [aria-busy=true]')"
    )
    paths = results.evaluate_all("as => as.map(a => new URL(a.href).pathname)")
    assert paths, "German search found nothing"
    assert all("/de/" in p for p in paths), paths
    assert any(p.endswith("/de/" + CLUSTER) for p in paths), paths
