"""What the privacy notice says of the site, checked in headless chromium as a visitor uses it:
no page asks another host for anything (the Visitor refuses such requests and fails the test),
no cookie is set, and the browser's storage holds the colour scheme in use, nothing else, after
the pages, the lists, the map and the search have been used."""

from __future__ import annotations

from tests.test_search import _open, _results


def test_a_visit_sets_no_cookie_and_stores_only_the_chosen_colour_scheme(visitor):
    page = visitor.page
    page.goto(visitor.base)
    page.locator(".cd-map-frame").wait_for()
    page.goto(visitor.base + "clusters/")
    page.locator(".cd-list.cd-list--ready:not([aria-busy])").wait_for()
    page.goto(visitor.base + "map/")
    page.locator(".folium-map[data-detail=true]").wait_for()
    page.goto(visitor.base + "clusters/innovationsverbund-biotechnologie-rheinhessen/")
    _open(page)
    page.keyboard.type("Rheinhess")
    _results(page)
    page.keyboard.press("Escape")
    page.goto(visitor.base + "privacy/")
    page.locator('label[for="__palette_1"]').click()  # switch to the dark scheme
    page.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
    assert visitor.context.cookies() == []
    assert page.evaluate("document.cookie") == ""
    # Material keeps the scheme in use (the system's until a visitor switches) under one key.
    stored = page.evaluate("Object.keys(localStorage)")
    assert len(stored) == 1 and stored[0].endswith("__palette"), stored
    assert page.evaluate("sessionStorage.length") == 0
    page.reload()  # the choice is kept, on this device only
    assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
