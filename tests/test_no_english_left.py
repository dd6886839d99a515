"""A translated page leaves no English interface word: every page type, in every language the
shipped settings build, is searched for the English of our own messages (the catalog's msgids)
and of Material's interface, after the records' own text (names, descriptions, cities, which
stay as the editors wrote them) is taken out.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from lxml import html as lxml_html

from generator.core import i18n

LANGUAGES = ("de", "fr", "es", "it", "pl")
ROOT = Path(__file__).resolve().parent.parent

# One page of each type, by its address under a language's folder.
PAGE_TYPES = {
    "home": "index.html",
    "map": "map/index.html",
    "map frame": "map/frame.html",
    "countries": "countries/index.html",
    "country": "countries/de/index.html",
    "cluster": None,  # the first cluster page found
    "all clusters": "clusters/index.html",
    "label": "labels/gold/index.html",
    "renewals": "renewals/index.html",
    "statistics": "statistics/index.html",
    "about": "about/index.html",
    "accessibility": "accessibility/index.html",
    "privacy": "privacy/index.html",
    "404": "404.html",
}

# Material's own interface, as its English partial words it, where a page may show it.
MATERIAL_ENGLISH = (
    "Skip to content",
    "Back to top",
    "Table of contents",
    "Made with",
    "Type to start searching",
    "Initializing search",
    "Share",
    "Clear",
)
# Words that are the same in English and in the languages (names, formats, the labels'
# names): never looked for.
SAME_EVERYWHERE = re.compile(
    r"^(?:BRONZE|SILVER|GOLD|ECEI|ESCA|EUCLES|CSV|JSON|HTML|Markdown|ECCP|Natural Earth.*)$"
)


@cache
def _english_messages(code: str) -> tuple[str, ...]:
    """The English of the catalog's messages as the plain phrases a page shows (placeholders
    and markup cut away), keeping only those the language never writes the same way: a phrase
    of 2+ words, or a word of 6+ letters, found in none of the catalog's translations."""
    with i18n.catalog_path(code).open("rb") as po:
        catalog = read_po(po, locale=code)
    translated: list[str] = []
    english: list[str] = []
    for message in catalog:
        if not message.id:
            continue
        english += message.id if isinstance(message.id, tuple) else [message.id]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        translated += [s for s in strings if s]
    written = " ".join(" ".join(translated).split()).casefold()
    phrases: set[str] = set()
    cuts = r"\{[^}]*\}|%\([^)]*\)[sd]|`[^`]*`|\[|\]\([^)]*\)|[*_#:;()\"“”,.!?]"
    for text in english:
        for piece in re.split(cuts, text):
            piece = " ".join(piece.split())
            words = piece.split()
            if not words or SAME_EVERYWHERE.match(piece):
                continue
            if len(words) < 2 and len(piece) < 6:
                continue
            if piece.casefold() in written:  # the language writes it the same way somewhere
                continue
            phrases.add(piece)
    return tuple(sorted(phrases, key=len, reverse=True))


@cache
def _record_texts() -> tuple[str, ...]:
    """Every text the sample records hold, which pages show as written."""
    import yaml

    texts: set[str] = set()
    for path in (ROOT / "clusters").rglob("*.yaml"):
        data = yaml.safe_load(path.read_text("utf-8")) or {}
        for value in data.values():
            if isinstance(value, str) and not value.startswith("http"):
                texts.add(" ".join(value.split()))
    return tuple(sorted(texts, key=len, reverse=True))


@cache
def _setting_texts() -> tuple[str, ...]:
    """The texts of the site's settings (the operator's name, addresses), shown as written."""
    import yaml

    extra = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8")).get("extra", {})
    texts = {" ".join(v.split()) for v in extra.values() if isinstance(v, str)}
    return tuple(sorted(texts, key=len, reverse=True))


def _visible_text(page: Path) -> str:
    """The text a visitor reads or hears: text nodes and the attributes read aloud."""
    tree = lxml_html.fromstring(page.read_bytes())
    for gone in tree.xpath("//script|//style|//template|//svg//title"):
        gone.drop_tree()
    parts = [" ".join(tree.text_content().split())]
    for attr in ("title", "aria-label", "alt", "placeholder"):
        parts += tree.xpath(f"//@{attr}")
    text = " | ".join(parts)
    for record in (*_record_texts(), *_setting_texts()):
        text = text.replace(record, " ")
    return text


def _phrases_in(text: str, phrases: tuple[str, ...]) -> list[str]:
    """The phrases the text holds as whole words."""
    return [p for p in phrases if re.search(rf"(?<![\w-]){re.escape(p)}(?![\w-])", text)]


def _page(site: Path, code: str, kind: str) -> Path:
    relative = PAGE_TYPES[kind]
    if relative is None:
        clusters = sorted((site / code / "clusters").glob("*/index.html"))
        assert clusters, f"no cluster page under /{code}/clusters/"
        return clusters[0]
    return site / code / relative


@pytest.mark.slow
@pytest.mark.parametrize("code", LANGUAGES)
@pytest.mark.parametrize("kind", sorted(PAGE_TYPES))
def test_a_translated_page_leaves_no_english_interface_word(
    sample_site: Path, code: str, kind: str
):
    page = _page(sample_site, code, kind)
    text = _visible_text(page)
    left = _phrases_in(text, (*_english_messages(code), *MATERIAL_ENGLISH))
    assert left == [], f"/{code}/ {kind} ({page.relative_to(sample_site)}) still says {left[:10]}"


@pytest.mark.slow
@pytest.mark.parametrize("code", LANGUAGES)
def test_a_translated_feed_has_translated_titles(sample_site: Path, code: str):
    feed = (sample_site / code / "feed.xml").read_text("utf-8")
    english = (sample_site / "feed.xml").read_text("utf-8")
    title = re.search(r"<title>([^<]*)</title>", feed)
    assert title and title[1] != re.search(r"<title>([^<]*)</title>", english)[1]


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["home", "cluster", "all clusters", "statistics"])
def test_the_english_page_is_found_english_by_the_same_search(sample_site: Path, kind: str):
    """The search above is not blind: on the English page of the same type it finds the
    interface words it looks for."""
    found = _phrases_in(_visible_text(_page(sample_site, "", kind)), _english_messages("de"))
    assert len(found) >= 5, found
