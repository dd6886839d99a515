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
    "no-such-page/",
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
