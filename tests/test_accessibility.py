"""Accessibility: axe-core (WCAG 2.0 and 2.1, levels A and AA) finds no violation on the key pages."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

AXE = Axe()
RULES = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
PAGES = [
    "",
    "map/",
    "countries/de/",
    "countries/",
    "clusters/innovationsverbund-biotechnologie-rheinhessen/",
    "clusters/",
    "clusters/page/2/",
    "clusters/?country=DE&sort=-valid_until",
    "clusters/?label=gold&q=zzz",  # an empty result
    "renewals/",
    "labels/bronze/",
    "labels/silver/",
    "labels/gold/",
    "statistics/",
    "about/",
    "accessibility/",
    "privacy/",
    "clusters/alfold-timber-construction-network/",  # in renewal: how to renew, whom to ask
    "clusters/aerospace-suppliers-cluster-ghent/",  # expired: a new label
    "no-such-page/",
    # Each other language's home and a cluster page (their language menu, their own words).
    *(
        f"{code}/{path}"
        for code in ("de", "fr", "es", "it", "pl")
        for path in ("", "clusters/innovationsverbund-biotechnologie-rheinhessen/")
    ),
]


def _describe(violations: list[dict]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in violations
    )


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p or "home")
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_page_has_no_accessibility_violations(visitor, path, scheme):
    page = visitor.page
    page.emulate_media(color_scheme=scheme)
    page.goto(visitor.base + path)
    if path == "map/":
        page.locator(".folium-map[data-ready=true]").wait_for()
    if page.locator(".cd-list").count():
        page.locator(".cd-list.cd-list--ready:not([aria-busy])").wait_for()
    violations = AXE.run(page, options=RULES).response["violations"]
    assert violations == [], _describe(violations)


# The map's own page, with axe's best-practice rules as well (one main landmark, every part of
# the page in a landmark, headings in order, ...), in both schemes, on a desktop and a phone.
BEST_PRACTICE = {
    "runOnly": {"type": "tag", "values": [*RULES["runOnly"]["values"], "best-practice"]},
    "resultTypes": ["violations"],
}


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_map_page_meets_the_best_practice_rules_too(chromium, site_url, scheme, width):
    from tests.browser import Visitor

    tab = Visitor(chromium, site_url, width=width, height=900)
    try:
        page = tab.page
        page.emulate_media(color_scheme=scheme)
        page.goto(site_url + "map/")
        page.locator(".folium-map[data-ready=true][data-detail=true]").wait_for()
        # The site's header (with its search and a way home) and one main landmark.
        assert page.locator("header").count() == 1 and page.locator("main").count() == 1
        assert page.get_by_role("button", name="Search clusters").count() == 1
        # A way home: the header's logo (in the drawer's navigation on a phone).
        assert page.locator('header a.md-logo[href=".."]').count() == 1
        assert page.locator("main .folium-map").count() == 1
        violations = AXE.run(page, options=BEST_PRACTICE).response["violations"]
        assert violations == [], _describe(violations)
    finally:
        tab.close()


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_timeline_as_of_label_reads_at_4_5_to_1_at_every_size(
    chromium, site_url, scheme, width
):
    from tests.browser import Visitor, contrast

    tab = Visitor(chromium, site_url, width=width)
    try:
        tab.page.emulate_media(color_scheme=scheme)
        tab.page.goto(site_url + "clusters/innovationsverbund-biotechnologie-rheinhessen/")
        label = tab.page.locator(".cd-tl-now-label")
        fill, size = label.evaluate(
            "t => [getComputedStyle(t).fill, t.getBoundingClientRect().height]"
        )
        background = tab.page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert size > 0
        assert contrast(fill, background) >= 4.5, (fill, background)
    finally:
        tab.close()
