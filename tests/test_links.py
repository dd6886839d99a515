"""Every internal link and anchor of the built sample site resolves: pages, downloads, the feed,
the map's country links and marker popups. External links are not fetched."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest

from tests.test_map import decoded_markers

SKIP_SCHEMES = ("http:", "https:", "mailto:", "data:", "javascript:")


def _target(site: Path, page: Path, link: str) -> tuple[Path, str]:
    path, fragment = urldefrag(
        urlsplit(link).path + ("#" + urlsplit(link).fragment if urlsplit(link).fragment else "")
    )
    target = (page.parent / path).resolve() if path else page
    if target.is_dir():
        target = target / "index.html"
    return target, fragment


def _ids(page: Path) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', page.read_text("utf-8")))


def test_every_link_and_anchor_in_the_html_resolves(sample_site):
    broken = []
    for page in sorted(sample_site.rglob("*.html")):
        if page.name == "404.html":
            continue  # served at any depth; its links are relative to the site root
        text = page.read_text("utf-8")
        for raw in re.findall(r"""(?:href|src)=["']([^"']+)["']""", text):
            link = html.unescape(raw)
            if link.startswith(SKIP_SCHEMES) or link.startswith("//"):
                continue
            target, fragment = _target(sample_site, page, link)
            if not target.exists():
                broken.append(f"{page.relative_to(sample_site)} -> {link}")
            elif fragment and target.suffix == ".html" and fragment not in _ids(target):
                broken.append(f"{page.relative_to(sample_site)} -> {link} (no such anchor)")
    assert broken == []


def test_downloads_and_feed_point_to_existing_pages(sample_site):
    document = json.loads((sample_site / "clusters.json").read_text("utf-8"))
    for row in document["clusters"]:
        assert (sample_site / row["url"] / "index.html").exists(), row["url"]
    for link in re.findall(
        r'href="clusters/([^"]+)"', (sample_site / "feed.xml").read_text("utf-8")
    ):
        assert (sample_site / "clusters" / link / "index.html").exists(), link


def test_map_country_links_and_marker_popups_resolve(sample_site):
    page = (sample_site / "map" / "index.html").read_text("utf-8")
    data = json.loads(
        re.search(
            r'<script type="application/json" id="cd-map-data">(.*?)</script>', page, re.S
        ).group(1)
    )
    map_dir = sample_site / "map"
    for country in data["countries"].values():
        url = country.get("url")
        if url:
            assert ((map_dir / url).resolve() / "index.html").exists(), url
    for name in data["files"].values():  # the shapes, the markers and markercluster
        target = (map_dir / name).resolve()
        assert target.is_dir() if name.endswith("/") else target.is_file(), name
    tiles = map_dir / data["files"]["markerTiles"]
    files = {f"map/markers/{path.name}": path.read_bytes() for path in tiles.iterdir()}
    ids = [row[2] for row in decoded_markers(files)]  # as map.js reads them
    for cluster_id in ids:
        assert ((map_dir / f"../clusters/{cluster_id}/").resolve() / "index.html").exists(), (
            cluster_id
        )
    assert len(ids) > 150


# One page of every type, and what its footer's links are relative to.
FOOTER_PAGES = {
    "home": "index.html",
    "country": "countries/de/index.html",
    "cluster": "clusters/innovationsverbund-biotechnologie-rheinhessen/index.html",
    "list": "clusters/index.html",
    "a further page of a list": "clusters/page/2/index.html",
    "label": "labels/gold/index.html",
    "statistics": "statistics/index.html",
    "about": "about/index.html",
    "accessibility": "accessibility/index.html",
    "privacy": "privacy/index.html",
    "map": "map/index.html",
    "not found": "404.html",
}
FOOTER_LINKS = ["Contact", "About the data", "Accessibility", "Privacy", "Feed", "Open data"]


@pytest.mark.parametrize("path", FOOTER_PAGES.values(), ids=list(FOOTER_PAGES))
def test_every_page_type_has_the_footer_and_its_links_resolve_inside_the_site(sample_site, path):
    page = sample_site / path
    text = page.read_text("utf-8")
    footers = re.findall(r'<footer class="[^"]*".*?</footer>', text, re.S)
    footer = next(f for f in footers if "cd-footer__links" in f)
    assert "Run by ECEI Cluster Directory secretariat (sample)." in footer
    assert re.search(r'Records as of <time datetime="2026-11-25">25 November 2026</time>\.', footer)
    links = re.findall(r'<li><a href="([^"]+)">([^<]+)</a></li>', footer)
    assert [name for _, name in links] == FOOTER_LINKS
    assert links[0][0] == "mailto:directory@example.org"
    for raw, name in links[1:]:
        link = html.unescape(raw)
        if page.name == "404.html":
            # Served at any depth: its links start at the site's root (MkDocs' base_url).
            assert link.startswith("/"), link
            target, fragment = _target(sample_site, sample_site / "index.html", "." + link)
        else:
            assert not link.startswith(("/", "http")), link
            target, fragment = _target(sample_site, page, link)
        assert target.is_file(), f"{name}: {link}"
        assert not fragment or fragment in _ids(target), f"{name}: {link}"
