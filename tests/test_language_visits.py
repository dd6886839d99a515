"""Search in another language as a visitor uses it, in headless chromium: from a German page it
finds German pages, and no English one (each language has a search index of its own pages, in
its folder: de/pagefind/). Axe on each language's pages is in test_accessibility.py, the menu in
test_languages.py."""

from __future__ import annotations

import pytest

from tests.test_search import _open

CLUSTER = "clusters/innovationsverbund-biotechnologie-rheinhessen/"


# A page, and the 404 page, whose links start at the host's root.
@pytest.mark.parametrize("start", ["de/countries/", "de/404.html"])
def test_search_in_german_finds_german_pages_only(visitor, start):
    page = visitor.page
    page.goto(visitor.base + start)
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
    # Its own bundle, not another language's.
    fetched = [url for url in visitor.bytes if "pagefind/" in url]
    assert fetched and all(url.startswith(visitor.base + "de/pagefind/") for url in fetched)
