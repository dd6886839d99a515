"""What a visitor sees, in headless chromium: the map opens country pages; nothing leaves the site."""

from __future__ import annotations

import json
import re

import pytest

# The sample data's 28 labelled countries but Mexico, which lies outside the map's frame and is
# named under the map instead.
DRAWN = 27


@pytest.fixture()
def page(visitor):
    return visitor.page


@pytest.fixture()
def site(site_url):
    return site_url


def _point_on(locator) -> dict[str, float]:
    """A point inside an SVG shape that the shape itself receives (not a marker above it)."""
    return locator.evaluate(
        """(path) => {
            const box = path.getBoundingClientRect();
            const points = [];
            for (let i = 1; i < 30; i++) for (let j = 1; j < 30; j++) points.push([i / 30, j / 30]);
            points.sort((a, b) => Math.hypot(a[0] - 0.5, a[1] - 0.5) - Math.hypot(b[0] - 0.5, b[1] - 0.5));
            for (const [fx, fy] of points) {
                const x = box.left + box.width * fx, y = box.top + box.height * fy;
                if (path.ownerDocument.elementFromPoint(x, y) === path) return {x: x - box.left, y: y - box.top};
            }
            return null;
        }"""
    )


def test_clicking_germany_on_the_home_map_opens_its_page(page, site):
    page.goto(site)
    frame = page.frame_locator("iframe.cd-map-frame")
    frame.locator(".folium-map[data-ready=true]").wait_for()
    germany = frame.locator("path.country-de")
    shapes = frame.locator("path.cd-country--labelled").count()
    assert shapes == DRAWN
    point = _point_on(germany)
    assert point is not None, "no visible part of Germany to click"
    germany.click(position=point)
    page.wait_for_url(re.compile(r"/countries/de/$"))
    assert page.locator("h1").inner_text() == "Germany"
    assert "23 clusters in Germany" in page.locator(".cd-headline").inner_text()
    assert page.locator(".cd-table").first.locator("tbody tr").count() == 23


def test_hovering_a_country_names_it_with_its_count(page, site):
    page.goto(site + "map/")
    page.locator(".folium-map[data-ready=true]").wait_for()
    spain = page.locator("path.country-es")
    point = _point_on(spain)
    assert point is not None, "no visible part of Spain to hover"
    spain.hover(position=point)
    assert page.locator(".leaflet-tooltip").inner_text() == "Spain: 17 clusters"


def test_keyboard_reaches_a_country_and_enter_opens_it(page, site):
    page.goto(site + "map/")
    page.locator(".folium-map[data-ready=true]").wait_for()
    malta = page.locator("path.country-mt")
    assert (
        malta.get_attribute("tabindex") == "0"
        and malta.get_attribute("aria-label") == "Malta: 1 cluster"
    )
    malta.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/countries/mt/$"))
    assert page.locator("h1").inner_text() == "Malta"


def test_a_marker_popup_links_to_its_cluster_page(page, site):
    page.goto(site + "map/")
    page.locator(".folium-map[data-ready=true]").wait_for()
    single = page.locator(".cd-marker").first
    single.click()
    link = page.locator(".leaflet-popup-content a")
    assert link.inner_text() == "Open the cluster page"
    link.click()
    page.wait_for_url(re.compile(r"/clusters/[a-z0-9-]+/$"))
    assert page.locator(".cd-status").count() == 1


def test_the_home_map_is_an_overview_until_the_visitor_zooms_in(page, site):
    page.goto(site)
    frame = page.frame_locator("iframe.cd-map-frame")
    map_box = frame.locator(".folium-map[data-ready=true]")
    map_box.wait_for()
    assert frame.locator("path.cd-country--labelled").count() == DRAWN
    assert frame.locator(".cd-marker, .cd-marker-group").count() == 0  # nothing covers a country
    assert frame.locator(".cd-legend-hint").inner_text() == "Zoom in to see each cluster"
    frame.locator(".leaflet-control-zoom-in").click()
    frame.locator(".folium-map[data-detail=true]").wait_for()
    assert frame.locator(".cd-marker-group").count() > 5  # the markers, grouped
    assert not frame.locator(".cd-legend-hint").is_visible()  # its advice is taken
    assert frame.locator("path.cd-country--labelled").count() == DRAWN  # the detailed shapes
    frame.locator(".leaflet-control-zoom-out").click()
    frame.locator(".folium-map[data-markers=hidden]").wait_for(state="attached")
    assert frame.locator(".cd-marker, .cd-marker-group").count() == 0


def test_the_map_page_draws_detailed_shapes_and_markers_at_once(page, site):
    page.goto(site + "map/")
    page.locator(".folium-map[data-ready=true][data-detail=true]").wait_for()
    assert page.locator("path.cd-country--labelled").count() == DRAWN
    assert page.locator(".cd-marker-group").count() > 5
    assert page.locator(".cd-legend-hint").count() == 0


@pytest.mark.parametrize("width", [1280, 390])
def test_the_map_page_has_the_sites_footer_and_the_home_frame_has_none(visitor, site, width):
    page = visitor.page
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(site + "map/")
    page.locator(".folium-map[data-ready=true]").wait_for()
    footer = page.locator("footer.md-footer")
    assert footer.count() == 1 and "Records as of" in footer.inner_text()
    page.goto(site)
    frame = page.frame_locator(".cd-map-frame")
    frame.locator(".folium-map[data-ready=true]").wait_for()
    assert frame.locator("footer").count() == 0  # the home page has its own footer


def test_when_the_markers_cannot_load_the_map_says_so_and_keeps_its_countries(page, site):
    page.route("**/map/markers/**", lambda route: route.fulfill(status=404, body="gone"))
    page.goto(site + "map/")
    page.locator(".folium-map[data-failed]").wait_for()
    assert page.locator("path.cd-country--labelled").count() == DRAWN
    assert "could not be loaded" in page.locator(".cd-map-failed").inner_text()
    germany = page.locator("path.country-de")
    germany.click(position=_point_on(germany))
    page.wait_for_url(re.compile(r"/countries/de/$"))


# Each marker is a touch target of at least 24 by 24 CSS px (WCAG 2.2, 2.5.8): its whole box
# takes the press, not only the dot drawn in it; groups are larger. Measured on a phone as well.
_TARGETS = """() => {
    const all = [...document.querySelectorAll('.cd-marker, .cd-marker-group')];
    const boxes = all.map(e => e.getBoundingClientRect());
    const controls = [...document.querySelectorAll('.leaflet-control')].map(e => e.getBoundingClientRect());
    const meet = (a, b) => !(a.right < b.left || a.left > b.right || a.bottom < b.top || a.top > b.bottom);
    // In view: inside the map (a part of its page) and inside the window.
    const map = document.querySelector('.leaflet-container').getBoundingClientRect();
    const inView = (b) => b.left >= Math.max(0, map.left) && b.top >= Math.max(0, map.top)
        && b.right <= Math.min(innerWidth, map.right) && b.bottom <= Math.min(innerHeight, map.bottom);
    // Alone: in view, under no control and overlapping no other marker or group.
    const alone = (i) => inView(boxes[i]) && !controls.some(c => meet(c, boxes[i]))
        && boxes.every((b, j) => j === i || !meet(b, boxes[i]));
    return all.map((e, i) => {
        const b = boxes[i], x = b.left + b.width / 2, y = b.top + b.height / 2;
        const edges = [[x + 11, y], [x - 11, y], [x, y + 11], [x, y - 11]];
        return {
            kind: e.classList.contains('cd-marker') ? 'marker' : 'group',
            width: b.width, height: b.height,
            alone: alone(i),
            edgesTakePress: edges.every(([px, py]) => e.contains(document.elementFromPoint(px, py))),
        };
    });
}"""


@pytest.mark.parametrize("viewport", [(1280, 900), (390, 844)], ids=["desktop", "phone"])
def test_markers_and_groups_are_touch_targets_of_24_px(page, site, viewport):
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    page.goto(site + "map/")
    page.locator(".folium-map[data-ready=true][data-detail=true]").wait_for()
    if viewport[0] < 500:  # a phone opens on all of Europe, grouped: zoom in to single markers
        for _ in range(3):
            page.locator(".leaflet-control-zoom-in").click()
        # Leaflet's zoom and markercluster's regrouping are animated: measure once both are done.
        page.wait_for_function(
            "!document.querySelector('.leaflet-zoom-anim, .leaflet-cluster-anim')"
        )
    targets = page.evaluate(_TARGETS)
    markers = [t for t in targets if t["kind"] == "marker"]
    assert markers and any(t["kind"] == "group" for t in targets)
    # Layout boxes are fractional (a zoomed map gives 23.999996 px): 24 px to a hundredth.
    assert min(round(min(t["width"], t["height"]), 2) for t in targets) >= 24, targets
    alone = [t for t in markers if t["alone"]]
    assert alone, "no marker stands apart from the others to press at its edge"
    assert all(t["edgesTakePress"] for t in alone), alone


# The map in the site's scheme: colours computed in the browser, on the home page's frame and on
# the map's own page, light and dark. Text 4.5:1 on its background (WCAG 1.4.3); a labelled
# country's fill or outline, every country's outline, a legend key and a group circle 3:1 on
# what is around them (1.4.11).


def _rgba(css: str) -> tuple[float, ...]:
    """'rgb(1, 2, 3)' or 'rgba(1, 2, 3, 0.5)' as numbers, the alpha 1 when not given."""
    numbers = [float(n) for n in re.findall(r"[\d.]+", css)]
    return (*numbers[:3], numbers[3] if len(numbers) > 3 else 1.0)


def _over(colour: str, background: tuple[float, ...]) -> tuple[float, ...]:
    """A colour as it shows over an opaque background."""
    *top, alpha = _rgba(colour)
    return tuple(alpha * t + (1 - alpha) * b for t, b in zip(top, background[:3], strict=True))


def _ratio(first: tuple[float, ...], second: tuple[float, ...]) -> float:
    """The WCAG contrast ratio of two opaque colours."""

    def luminance(rgb: tuple[float, ...]) -> float:
        c = [v / 255 for v in rgb[:3]]
        c = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


_MAP_COLOURS = """(map) => {
    const style = (e) => getComputedStyle(e);
    const all = (selector) => [...map.querySelectorAll(selector)];
    const panel = (e) => [style(e).backgroundColor, style(e).color];
    const legend = map.querySelector('.cd-legend');
    return {
        scheme: map.dataset.cdScheme,
        sea: style(map).backgroundColor,
        labelled: all('path.cd-country--labelled').map((p) => [style(p).fill, style(p).stroke]),
        unlabelled: all('path.cd-country:not(.cd-country--labelled)').map((p) => style(p).stroke),
        legend: panel(legend),
        keys: all('.cd-legend-swatch').map((k) => [style(k).backgroundColor, style(k).borderTopColor]),
        panels: all('.leaflet-control-attribution, .leaflet-bar a, .leaflet-tooltip').map(panel),
        groups: all('.cd-marker-group').map((g) => [...panel(g), style(g).borderTopColor]),
    };
}"""


def _check_contrast(colours: dict) -> None:
    sea = _rgba(colours["sea"])
    assert colours["labelled"] and colours["unlabelled"]
    for fill, stroke in colours["labelled"]:
        best = max(_ratio(_over(fill, sea), sea), _ratio(_over(stroke, sea), sea))
        assert best >= 3, ("labelled country", fill, stroke, colours["sea"])
    for stroke in set(colours["unlabelled"]):
        assert _ratio(_over(stroke, sea), sea) >= 3, ("country outline", stroke, colours["sea"])
    legend_bg = _over(colours["legend"][0], sea)
    assert _ratio(_over(colours["legend"][1], legend_bg), legend_bg) >= 4.5, colours["legend"]
    assert len(colours["keys"]) >= 3
    for fill, border in colours["keys"]:
        best = max(
            _ratio(_over(fill, legend_bg), legend_bg), _ratio(_over(border, legend_bg), legend_bg)
        )
        assert best >= 3, ("legend key", fill, border)
    assert len(colours["panels"]) >= 4  # the attribution, two zoom buttons, a tooltip
    for background, text in colours["panels"]:
        shown = _over(background, sea)
        assert _ratio(_over(text, shown), shown) >= 4.5, (background, text)
    for background, text, border in colours["groups"]:
        shown = _over(background, sea)
        assert _ratio(_over(text, shown), shown) >= 4.5, (background, text)
        assert max(_ratio(shown, sea), _ratio(_over(border, sea), sea)) >= 3, (background, border)


def _scheme_map(chromium, site, where: str, scheme: str):
    """A tab in a colour scheme, its map loaded: the home page's frame or the map page."""
    from tests.browser import Visitor

    tab = Visitor(chromium, site)
    tab.page.emulate_media(color_scheme=scheme)
    if where == "home":
        tab.page.goto(site)
        root = tab.page.frame_locator("iframe.cd-map-frame")
    else:
        tab.page.goto(site + "map/")
        root = tab.page
    root.locator(".folium-map[data-ready=true]").wait_for()
    return tab, root


@pytest.mark.parametrize("where", ["home", "map page"])
@pytest.mark.parametrize(("scheme", "expected"), [("light", "light"), ("dark", "dark")])
def test_the_map_follows_the_sites_scheme_with_enough_contrast(
    chromium, site, where, scheme, expected
):
    tab, root = _scheme_map(chromium, site, where, scheme)
    try:
        if where == "map page":
            root.locator(".folium-map[data-detail=true]").wait_for()
        germany = root.locator("path.country-de")
        germany.focus()  # opens its tooltip, whose colours are read too
        root.locator(".leaflet-tooltip").wait_for()
        material = tab.page.evaluate("document.body.dataset.mdColorScheme")
        assert material == ("slate" if scheme == "dark" else "default")
        colours = root.locator(".folium-map").evaluate(_MAP_COLOURS)
        assert colours["scheme"] == expected
        if where == "map page":
            assert colours["groups"], "no group of markers to read"
        _check_contrast(colours)
    finally:
        tab.close()


def test_the_home_map_changes_scheme_when_the_visitor_switches_it(chromium, site):
    tab, root = _scheme_map(chromium, site, "home", "light")
    try:
        light = root.locator(".folium-map").evaluate("m => getComputedStyle(m).backgroundColor")
        tab.page.get_by_title("Switch to dark mode").click()
        root.locator(".folium-map[data-cd-scheme=dark]").wait_for()
        colours = root.locator(".folium-map").evaluate(_MAP_COLOURS)
        assert colours["sea"] != light
        germany = root.locator("path.country-de")
        germany.focus()
        root.locator(".leaflet-tooltip").wait_for()
        _check_contrast(root.locator(".folium-map").evaluate(_MAP_COLOURS))
        tab.page.get_by_title("Switch to light mode").click()
        root.locator(".folium-map[data-cd-scheme=light]").wait_for()
    finally:
        tab.close()


# What the map does not show, said under it (home) or above it (the map page), with a link.


@pytest.mark.parametrize("path", ["", "map/"], ids=["home", "map page"])
def test_the_map_names_what_it_leaves_out_and_links_it(page, site, path):
    page.goto(site + path)
    note = page.locator(".cd-map-note")
    text = note.inner_text()
    assert "2 clusters outside this map: Mexico." in text
    assert "25 of 188 clusters have no location on the map." in text
    note.get_by_role("link", name="Mexico", exact=True).click()
    page.wait_for_url(re.compile(r"/countries/mx/$"))
    assert page.locator("h1").inner_text() == "Mexico"


def test_a_group_of_markers_is_named_by_what_it_holds(page, site):
    page.goto(site + "map/")
    page.locator(".folium-map[data-ready=true][data-detail=true]").wait_for()
    groups = page.locator(".cd-marker-group").evaluate_all(
        "gs => gs.map(g => [g.getAttribute('aria-label'), g.textContent, g.getAttribute('role')])"
    )
    assert len(groups) > 5
    for name, number, role in groups:
        assert re.fullmatch(rf"{number} clusters (near|in) \S.*", name), (name, number)
        assert role == "button"
    assert any(" near " in name for name, _, _ in groups)
    # The accessible name is what it holds, not its number: a screen reader says that.
    name = groups[0][0]
    assert page.get_by_role("button", name=name, exact=True).count() >= 1
    assert page.get_by_role("button", name=groups[0][1], exact=True).count() == 0


def test_keyboard_reaches_the_home_maps_countries_in_the_order_of_their_names(page, site):
    from generator.labels.rules import load_rules, load_sectors
    from generator.records.catalog import load_catalog
    from generator.site.directory import build_directory
    from tests.test_visitor import AS_OF, ROOT  # the sample records, as the site shows them

    rules = load_rules()
    directory = build_directory(
        load_catalog(ROOT / "clusters", rules, load_sectors(), AS_OF).clusters, rules, AS_OF
    )
    page.goto(site)
    page.frame_locator("iframe.cd-map-frame").locator(".folium-map[data-ready=true]").wait_for()
    frame = next(f for f in page.frames if f.url.endswith("/map/frame.html"))
    frame.locator(".folium-map").focus()
    stops = []
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = frame.evaluate(
            "() => document.activeElement.tagName === 'path'"
            " ? document.activeElement.getAttribute('aria-label') : null"
        )
        if focused is None:
            break
        stops.append(focused.split(":")[0])
    # Mexico lies outside the frame: no stop of its own, the note under the map links it.
    assert stops == [c.name for c in directory.countries if c.code != "MX"]


# On a phone: the legend folds away, and every labelled country is in the visible frame.

_COUNTRIES_IN_VIEW = """(map) => {
    const box = map.getBoundingClientRect();
    const header = document.querySelector('.md-header');
    const view = {
        left: Math.max(box.left, 0), right: Math.min(box.right, innerWidth),
        top: Math.max(box.top, header ? header.getBoundingClientRect().bottom : 0),
        bottom: Math.min(box.bottom, innerHeight),
    };
    const area = (pts) => Math.abs(pts.reduce((sum, p, i) => {
        const q = pts[(i + 1) % pts.length];
        return sum + p.x * q.y - q.x * p.y;
    }, 0)) / 2;
    return [...map.querySelectorAll('path.cd-country--labelled')].map((path) => {
        // Each ring of the shape on the screen; its largest is the mainland.
        const ctm = path.getScreenCTM();
        const rings = path.getAttribute('d').split(/z/i).map((ring) => {
            const n = (ring.match(/-?[\\d.]+/g) || []).map(Number);
            const points = [];
            for (let i = 0; i + 1 < n.length; i += 2) points.push(new DOMPoint(n[i], n[i + 1]).matrixTransform(ctm));
            return points;
        }).filter((points) => points.length > 2);
        const main = rings.length ? rings.reduce((a, b) => (area(b) > area(a) ? b : a)) : [];
        const xs = main.map((p) => p.x), ys = main.map((p) => p.y);
        let b = {left: Math.min(...xs), right: Math.max(...xs), top: Math.min(...ys), bottom: Math.max(...ys)};
        // A country too small to see is shown by its mark: that is what must be in view.
        const mark = map.querySelector('path.cd-' + path.classList[0].replace('country-', 'country-mark-'));
        let target = path;
        if (mark) {
            b = mark.getBoundingClientRect();
            target = mark;
        }
        const inside = b.left >= view.left - 1 && b.right <= view.right + 1
            && b.top >= view.top - 1 && b.bottom <= view.bottom + 1;
        // Reachable: some point of it takes a press (no legend, button or attribution above it;
        // on the map page a group of markers above it, which opens on a press, will do).
        let reachable = false;
        for (let i = 1; i < 24 && !reachable; i++) for (let j = 1; j < 24 && !reachable; j++) {
            const x = b.left + (b.right - b.left) * i / 24, y = b.top + (b.bottom - b.top) * j / 24;
            const hit = document.elementFromPoint(x, y);
            reachable = hit === target || Boolean(hit && hit.closest('.leaflet-marker-pane'));
        }
        const size = Math.max(b.right - b.left, b.bottom - b.top);
        return {name: path.getAttribute('aria-label'), inside, reachable, size};
    });
}"""


@pytest.mark.parametrize("where", ["home", "map page"])
def test_on_a_phone_the_legend_folds_and_every_labelled_country_is_in_view(chromium, site, where):
    from tests.browser import Visitor

    tab = Visitor(chromium, site, width=390, height=844)
    try:
        if where == "home":
            tab.page.goto(site)
            root = tab.page.frame_locator("iframe.cd-map-frame")
        else:
            tab.page.goto(site + "map/")
            root = tab.page
        root.locator(".folium-map[data-ready=true]").wait_for()
        if where == "map page":  # the map's top right below the header
            tab.page.evaluate(
                "scrollTo(0, document.querySelector('.folium-map').getBoundingClientRect().top"
                " + scrollY - document.querySelector('.md-header').offsetHeight)"
            )
        legend = root.locator("details.cd-legend")
        assert legend.evaluate("d => !d.open")  # folded: it covers no country
        countries = root.locator(".folium-map").evaluate(_COUNTRIES_IN_VIEW)
        assert len(countries) == DRAWN
        assert [c["name"] for c in countries if not c["inside"]] == []
        assert [c["name"] for c in countries if not c["reachable"]] == []
        assert min(c["size"] for c in countries) >= 10  # Malta's mark, not its 1 px shape
        root.locator(".cd-legend-summary").click()  # it opens on a press, and folds again
        assert legend.evaluate("d => d.open")
        assert root.locator(".cd-legend-title").first.is_visible()
        root.locator(".cd-legend-summary").click()
        assert legend.evaluate("d => !d.open")
    finally:
        tab.close()


def test_the_legend_is_open_on_a_wide_map_and_explains_dots_and_groups(page, site):
    page.goto(site + "map/")
    page.locator(".folium-map[data-ready=true]").wait_for()
    legend = page.locator("details.cd-legend")
    assert legend.evaluate("d => d.open")
    text = legend.inner_text()
    for words in ("Labelled clusters per country", "none", "GOLD", "SILVER", "BRONZE", "group"):
        assert words in text, words
    assert text.index("GOLD") < text.index("SILVER") < text.index("BRONZE")


def test_shapes_cut_at_45_degrees_east_end_where_the_frames_shading_begins(page, site):
    page.goto(site + "map/")
    page.locator(".folium-map[data-ready=true][data-detail=true]").wait_for()
    edges = page.evaluate(
        """() => {
        const shade = document.querySelector('path.cd-frame-shade');
        // The shading's second ring is the frame: where the map shows the boundary files.
        const ring = shade.getAttribute('d').split(/z/i)[1].match(/-?[\\d.]+/g).map(Number);
        const ctm = shade.getScreenCTM();
        const xs = [];
        for (let i = 0; i + 1 < ring.length; i += 2) xs.push(new DOMPoint(ring[i], ring[i + 1]).matrixTransform(ctm).x);
        const east = (selector) => document.querySelector(selector).getBoundingClientRect().right;
        return {frame: Math.max(...xs), russia: east('path.country-ru'), georgia: east('path.country-ge')};
    }"""
    )
    # Russia and Georgia are cut at 45° E by the boundary files: their edge is the frame's.
    assert abs(edges["russia"] - edges["frame"]) <= 1.5, edges
    assert abs(edges["georgia"] - edges["frame"]) <= 1.5, edges


# The markers as tiles: a site built with small tiles (8 markers a file, at most 40 loaded for a
# view), so that the sample's 162 markers make many files and Europe holds too many to load.


@pytest.fixture(scope="module")
def tiled_site(tmp_path_factory):
    """The sample site with small tiles of markers, served; yields its URL and folder."""
    import generator.site.maptiles as maptiles
    from tests.browser import build_sample_site, serve_folder

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(maptiles, "TILING", maptiles.Tiling(per_tile=8, in_view=40))
        folder = build_sample_site(tmp_path_factory.mktemp("tiled-site") / "site")
    with serve_folder(folder) as base:
        yield base, folder


@pytest.fixture()
def tiled_page(chromium, tiled_site):
    """A desktop tab on the site with small tiles, which fails on a script error."""
    from tests.browser import Visitor

    tab = Visitor(chromium, tiled_site[0])
    yield tab.page
    tab.close()


def _leaves(folder):
    """The leaves of the markers' index: (file name, box in degrees, count)."""
    index = json.loads((folder / "map" / "markers" / "index.json").read_text("utf-8"))
    tiles, scale = index["tiles"], index["scale"]
    return [
        (
            f"{tiles['z'][i]}-{tiles['x'][i]}-{tiles['y'][i]}.json",
            [tiles[side][i] / scale for side in ("south", "west", "north", "east")],
            tiles["count"][i],
        )
        for i in range(len(tiles["z"]))
        if tiles["leaf"][i]
    ]


# The Leaflet map of the page (folium names it map_<id>), to move it as a visitor would.
_MAP = "Object.keys(window).filter((k) => /^map_/.test(k)).map((k) => window[k]).find((m) => m instanceof L.Map)"
_SETTLED = ".folium-map[data-ready=true]:not([data-busy])"


def _marker_files(requests: list[str]) -> list[str]:
    return sorted(
        {url.rsplit("/", 1)[1] for url in requests if "/map/markers/" in url} - {"index.json"}
    )


def _in_view(page, folder) -> set[str]:
    """The leaves whose markers' box meets the map's view."""
    south, west, north, east = page.evaluate(
        f"(() => {{ const b = ({_MAP}).getBounds(); return [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()]; }})()"
    )
    meets = {
        name
        for name, (s, w, n, e), _ in _leaves(folder)
        if s <= north and n >= south and w <= east and e >= west
    }
    return meets


def test_a_view_with_too_many_markers_draws_the_index_groups_and_loads_no_marker_file(
    tiled_page, tiled_site
):
    base, folder = tiled_site
    page = tiled_page
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(base + "map/")
    page.locator(_SETTLED).wait_for()
    assert page.locator(".folium-map").get_attribute("data-view") == "groups"
    assert _marker_files(requests) == []  # the index only
    groups = page.locator(".cd-marker-group").evaluate_all(
        "gs => gs.map(g => [g.getAttribute('aria-label'), g.textContent, g.getAttribute('role')])"
    )
    assert len(groups) > 5 and page.locator(".cd-marker").count() == 0
    for name, number, role in groups:
        assert re.fullmatch(rf"{number} clusters? (near|in) \S.*", name), (name, number)
        assert role == "button"
    assert sum(int(number) for _, number, _ in groups) <= sum(c for *_, c in _leaves(folder))


def test_zoomed_in_the_map_draws_the_markers_in_view_and_loads_no_file_for_the_rest(
    tiled_page, tiled_site
):
    base, folder = tiled_site
    page = tiled_page
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(base + "map/")
    page.locator(_SETTLED).wait_for()
    # Zoomed in on the Rhineland, the sample's densest region, as a visitor would.
    page.evaluate(f"({_MAP}).setView([50.9, 7.0], 7, {{animate: false}})")
    page.locator(".folium-map[data-view=markers]:not([data-busy])").wait_for()
    meets = _in_view(page, folder)
    assert _marker_files(requests) == sorted(meets)  # every leaf in view, and no other
    assert 3 <= len(meets) < len(_leaves(folder)) / 4
    # Every marker in view is drawn, alone or in a group.
    south, west, north, east = page.evaluate(
        f"(() => {{ const b = ({_MAP}).getBounds();"
        " return [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()]; })()"
    )
    inside = 0
    for name in meets:
        tile = json.loads((folder / "map" / "markers" / name).read_text("utf-8"))
        inside += sum(
            south <= lat / 10_000 <= north and west <= lon / 10_000 <= east
            for lat, lon in zip(tile["lat"], tile["lon"], strict=True)
        )
    shown = page.locator(".cd-marker, .cd-marker-group").evaluate_all(
        "es => es.map(e => e.classList.contains('cd-marker') ? 1 : Number(e.textContent))"
    )
    assert inside > 10 and sum(shown) >= inside
    assert page.locator(".cd-marker").count() > 0
    # Moving on loads the leaves that come into view, and only those.
    requests.clear()
    page.evaluate(f"({_MAP}).setView([41.9, 12.5], 7, {{animate: false}})")  # Rome
    page.wait_for_function("!document.querySelector('.folium-map[data-busy]')")
    page.locator(_SETTLED + "[data-view=markers]").wait_for()
    now = _in_view(page, folder)
    assert now - meets and set(_marker_files(requests)) == now - meets


def test_pressing_enter_on_an_index_group_zooms_in_to_its_markers(tiled_page, tiled_site):
    base, _ = tiled_site
    page = tiled_page
    page.goto(base + "map/")
    page.locator(_SETTLED).wait_for()
    zoom = page.evaluate(f"({_MAP}).getZoom()")
    group = page.locator(".cd-marker-group").first
    group.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(f"({_MAP}).getZoom() > {zoom}")
    page.locator(_SETTLED).wait_for()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_index_groups_read_as_markercluster_groups_do_in_either_scheme(
    chromium, tiled_site, scheme
):
    from tests.browser import Visitor
    from tests.test_accessibility import AXE, BEST_PRACTICE, _describe

    base, _ = tiled_site
    tab = Visitor(chromium, base)
    try:
        tab.page.emulate_media(color_scheme=scheme)
        tab.page.goto(base + "map/")
        tab.page.locator(_SETTLED + "[data-view=groups]").wait_for()
        tab.page.locator("path.country-de").focus()  # opens its tooltip, whose colours are read
        tab.page.locator(".leaflet-tooltip").wait_for()
        colours = tab.page.locator(".folium-map").evaluate(_MAP_COLOURS)
        assert colours["scheme"] == scheme and len(colours["groups"]) > 5
        _check_contrast(colours)
        violations = AXE.run(tab.page, options=BEST_PRACTICE).response["violations"]
        assert violations == [], _describe(violations)
    finally:
        tab.close()
