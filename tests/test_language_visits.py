"""Search in another language as a visitor uses it, in headless chromium: from a German page it
finds German pages, and no English one (Pagefind keeps an index per `<html lang>`). Axe on each
language's pages is in test_accessibility.py, the menu in test_languages.py."""

from __future__ import annotations

from tests.test_search import _open

CLUSTER = "clusters/innovationsverbund-biotechnologie-rheinhessen/"


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
