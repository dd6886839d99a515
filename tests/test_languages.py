"""The site in every language the settings choose: the sample built in the shipped mkdocs.yml's
six languages has every page type in each language's folder with its `<html lang>`, names the
same page in every language in its head (each alternate an existing page) and in its language
menu, links the language-neutral files at the site's root, and has a feed and a search index
per language; a site built in English alone has neither menu nor alternates and is what the
English root of the six-language site is without them; a bad `extra.languages` is one line."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from generator.build.build import Project, build
from generator.build.progress import Progress
from generator.build.settings import read_settings, tree_config
from generator.core import i18n
from generator.labels.rules import load_rules
from generator.site.footer import site_footer, theme_values
from generator.site.uiwords import theme_words
from tests.conftest import FIXTURES, ROOT
from tests.golden import AS_OF

pytestmark = pytest.mark.slow

QUIET = Progress(quiet=True)
URL = "https://example.org/dir/"
LANGUAGES = ("en", "de", "fr", "es", "it", "pl")
NAMES = {
    "en": "English",
    "de": "Deutsch",
    "fr": "français",
    "es": "español",
    "it": "italiano",
    "pl": "polski",
}
CLUSTER = "innovationsverbund-biotechnologie-rheinhessen"
# Each page type, by its address in a language's folder.
PAGES = {
    "home": "",
    "country": "countries/de/",
    "cluster": f"clusters/{CLUSTER}/",
    "all clusters": "clusters/",
    "label": "labels/gold/",
    "renewals": "renewals/",
    "statistics": "statistics/",
    "map": "map/",
    "about": "about/",
    "accessibility": "accessibility/",
    "privacy": "privacy/",
    "404": "404.html",
}
CASES = [(code, page) for code in LANGUAGES for page in PAGES]
ALTERNATE = re.compile(r'<link rel="alternate " hreflang="([^"]+)" href="([^"]*)">')
MENU = re.compile(r'<div class="md-header__option cd-languages">(.*?)</ul>', re.S)
MENU_LINK = re.compile(
    r'<a href="([^"]*)" hreflang="([^"]+)" lang="([^"]+)" class="md-select__link"'
    r'( aria-current="true")?>([^<]*)</a>'
)


def _folder(code: str) -> str:
    return "" if code == "en" else f"{code}/"


def _file(site: Path, address: str) -> Path:
    return site / address if address.endswith(".html") else site / address / "index.html"


def _english_only_project(folder: Path) -> Path:
    """The project with `extra.languages: [en]`."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))
    config["extra"]["languages"] = ["en"]
    folder.mkdir(parents=True)
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), "utf-8")
    shutil.copytree(ROOT / "site_templates", folder / "site_templates")
    return folder


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("languages") / "site"
    build(Project(ROOT), ROOT / "clusters", out, AS_OF, strict=False, progress=QUIET, site_url=URL)
    return out


@pytest.fixture(scope="module")
def english_only(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("english-only")
    project = _english_only_project(folder / "project")
    out = folder / "site"
    build(
        Project(project), ROOT / "clusters", out, AS_OF, strict=False, progress=QUIET, site_url=URL
    )
    return out


# Every page type in every language


@pytest.mark.parametrize(("code", "page"), CASES)
def test_every_page_type_is_built_in_every_language_with_its_lang(site, code, page):
    text = _file(site / _folder(code), PAGES[page]).read_text("utf-8")
    assert re.search(rf'<html lang="{code}"[ >]', text)


@pytest.mark.parametrize(("code", "page"), CASES)
def test_every_page_names_the_same_page_in_each_language_and_each_alternate_exists(
    site, code, page
):
    address = PAGES[page]
    text = _file(site / _folder(code), address).read_text("utf-8")
    found = [(lang, html.unescape(href)) for lang, href in ALTERNATE.findall(text)]
    assert found == [
        *((other, f"{URL}{_folder(other)}{address}") for other in LANGUAGES),
        ("x-default", f"{URL}{address}"),
    ]
    for _, href in found:
        assert _file(site, href.removeprefix(URL)).is_file(), href


@pytest.mark.parametrize(("code", "page"), CASES)
def test_the_language_menu_links_the_same_page_in_each_language(site, code, page):
    address = PAGES[page]
    page_file = _file(site / _folder(code), address)
    text = page_file.read_text("utf-8")
    menu = MENU.search(text)
    assert menu, "no language menu"
    with i18n.speaking(i18n.language(code)):
        label = html.escape(theme_words()["language_label"])
    assert f'aria-label="{label}"' in menu[1] and f'title="{label}"' in menu[1]
    links = MENU_LINK.findall(menu[1])
    assert [(lang, name) for _, lang, _, _, name in links] == list(NAMES.items())
    for href, lang, lang_attribute, current, _ in links:
        assert lang == lang_attribute
        assert bool(current) == (lang == code)
        href = html.unescape(href)
        if href.startswith(URL):  # the 404 page, shown at any address, links absolutely
            target = site / href.removeprefix(URL)
        else:
            target = Path(os.path.normpath(page_file.parent / href))
        assert target == Path(os.path.normpath(site / _folder(lang) / address)), href
        assert _file(site / _folder(lang), address).is_file()


def test_each_language_has_its_feed_with_its_own_pages(site):
    english = (site / "feed.xml").read_text("utf-8")
    assert "xml:lang" not in english
    for code in LANGUAGES[1:]:
        feed = (site / code / "feed.xml").read_text("utf-8")
        assert f'xml:lang="{code}"' in feed
        assert f"<id>urn:x-ecei-cluster-directory:{code}:feed</id>" in feed
        entries = re.findall(r'<link rel="alternate" type="text/html" href="([^"]+)"/>', feed)
        assert entries and all(link.startswith(f"{URL}{code}/") for link in entries)


# Language-neutral files, once at the root


def test_a_translated_page_links_the_downloads_status_and_badge_at_the_root(site):
    for code in LANGUAGES[1:]:
        folder = site / code
        assert not (folder / "clusters.csv").exists()
        assert not (folder / "clusters" / CLUSTER / "status.json").exists()
        assert not (folder / "map" / "countries.topo.json").exists()
        assert not (folder / "assets" / "directory.css").exists()
        cluster = (folder / "clusters" / CLUSTER / "index.html").read_text("utf-8")
        assert f'href="../../../clusters/{CLUSTER}/status.json"' in cluster
        assert f'src="../../../clusters/{CLUSTER}/badge.svg"' in cluster
        assert f"{URL}clusters/{CLUSTER}/badge.svg" in html.unescape(cluster)  # the snippets
        assert f'href="{URL}{code}/clusters/{CLUSTER}/"' in html.unescape(cluster)


LINK = re.compile(r'(?:href|src|data-index|data-register)="([^"]*)"')


@pytest.mark.parametrize("code", LANGUAGES[1:])
def test_every_link_of_a_translated_page_of_each_type_resolves(site, code):
    for page, address in PAGES.items():
        page_file = _file(site / code, address)
        for href in LINK.findall(page_file.read_text("utf-8")):
            href = html.unescape(href)
            parts = urlsplit(href)
            if href.startswith(URL):
                target = site / parts.path.removeprefix(urlsplit(URL).path)
            elif parts.scheme or parts.netloc or not parts.path:
                continue
            elif href.startswith("/"):  # the 404 page's, from the host's root
                target = site / parts.path.removeprefix(urlsplit(URL).path)
            else:
                target = Path(os.path.normpath(page_file.parent / parts.path))
            assert target.is_relative_to(site), (page, href)
            assert target.is_file() or (target / "index.html").is_file(), (page, href)


def test_each_language_has_a_search_index_of_its_own_pages_in_its_folder(site):
    counts = set()
    for code in LANGUAGES:
        entry = json.loads(
            (site / _folder(code) / "pagefind" / "pagefind-entry.json").read_text("utf-8")
        )
        assert list(entry["languages"]) == [code]
        counts.add(entry["languages"][code]["page_count"])
    assert counts == {len(list((ROOT / "clusters").rglob("*.yaml")))}  # the cluster pages


@pytest.mark.parametrize("code", LANGUAGES)
def test_each_page_names_its_languages_search_index_from_where_it_stands(site, code):
    # The search button's data-bundle (search.js loads the index it names): from the page,
    # or, on the 404 page, from the site's address.
    for page in PAGES.values():
        page_file = _file(site / _folder(code), page)
        named = re.search(r'data-bundle="([^"]*)"', page_file.read_text("utf-8"))[1]
        if page == "404.html":
            assert named == f"{URL}{_folder(code)}pagefind/", page
            continue
        target = Path(os.path.normpath(page_file.parent / named))
        assert target == site / _folder(code) / "pagefind", page


# English alone


def test_an_english_only_site_has_no_language_menu_and_no_alternates(english_only):
    for page in english_only.rglob("*.html"):
        text = page.read_text("utf-8")
        assert "hreflang" not in text and "cd-languages" not in text, page
        assert "data-bundle" not in text, page  # search.js finds the index beside assets/
    assert not any((english_only / code).exists() for code in LANGUAGES[1:])


def _without_languages(text: str) -> str:
    """A page of a site in several languages without its alternates, language menu and the
    name of its language's search index."""
    text = re.sub(r'\n *<link rel="alternate " hreflang="[^"]*" href="[^"]*">', "", text)
    text = re.sub(r"\n *<style>\.cd-languages [^<]*</style>", "", text)
    text = re.sub(r' data-bundle="[^"]*"', "", text, count=1)
    menu = r'\n *\n *<div class="md-header__option cd-languages">.*?\n      </div>'
    return re.sub(menu, "", text, count=1, flags=re.S)


def test_english_at_the_root_is_the_english_only_site_with_a_menu_and_alternates(
    site, english_only
):
    """Adding languages changes nothing of English but the menu, the alternates and the
    search index's name on the button (the index is English's alone either way), the about
    page's Languages section and the sitemap's other pages (the golden files keep English as
    it was: an English-only site is byte-identical to the one before languages)."""
    changed = {"about/index.html", "sitemap.xml"}
    for path in sorted(english_only.rglob("*")):
        name = path.relative_to(english_only).as_posix()
        if path.is_dir() or name.startswith("pagefind/") or name in changed:
            continue
        data = (site / name).read_bytes()
        if name.endswith(".html"):
            data = _without_languages(data.decode("utf-8")).encode("utf-8")
        assert data == path.read_bytes(), name
    assert ">Languages</h3>" not in (english_only / "about" / "index.html").read_text("utf-8")
    assert ">Languages</h3>" in (site / "about" / "index.html").read_text("utf-8")
    entries = [
        json.loads((root / "pagefind" / "pagefind-entry.json").read_text("utf-8"))["languages"]
        for root in (site, english_only)
    ]
    assert [{c: e["page_count"] for c, e in found.items()} for found in entries] == [
        {"en": len(list((ROOT / "clusters").rglob("*.yaml")))}
    ] * 2


# Settings


def test_the_languages_are_read_english_first_and_english_alone_by_default(tmp_path):
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))
    assert read_settings(Project(ROOT)).site.languages == LANGUAGES
    config["extra"]["languages"] = ["pl", "en", "de"]
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config), "utf-8")
    assert read_settings(Project(tmp_path)).site.languages == ("en", "pl", "de")
    del config["extra"]["languages"]
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config), "utf-8")
    assert read_settings(Project(tmp_path)).site.languages == ("en",)


# (case, the value in mkdocs.yml, the message after "<project>/mkdocs.yml: ")
# fmt: off
BAD_LANGUAGES = [
    ("a code, not a list", "de", "'extra.languages' must be a list of language codes such as [en, de, fr], not 'de'"),
    ("a mapping", "{en: true}", "'extra.languages' must be a list of language codes such as [en, de, fr], not {'en': True}"),
    ("no read as false", "[en, no]", "'extra.languages' must be a list of language codes such as [en, de, fr], not ['en', False] (quote a code that YAML reads as true or false: 'no')"),
    ("a language without a catalog", "[en, xx]", "'extra.languages' names 'xx', a language without a catalog (generator/translations/<code>/): the languages are en, de, es, fr, it, pl"),
    ("a path for a code", "[en, ../de]", "'extra.languages' names '../de', a language without a catalog (generator/translations/<code>/): the languages are en, de, es, fr, it, pl"),
    ("a language twice", "[en, de, de]", "'extra.languages' names 'de' twice"),
    ("without English", "[de, fr]", "'extra.languages' must hold en: English is the site's own language, at its root"),
]
# fmt: on


@pytest.mark.parametrize(
    ("case", "value", "message"), BAD_LANGUAGES, ids=[c for c, *_ in BAD_LANGUAGES]
)
def test_a_bad_languages_setting_is_one_line_naming_mkdocs_yml(tmp_path, case, value, message):
    project = tmp_path / "project"
    project.mkdir()
    text = (ROOT / "mkdocs.yml").read_text("utf-8")
    shipped = "  languages: [en, de, fr, es, it, pl]\n"
    assert shipped in text
    (project / "mkdocs.yml").write_text(text.replace(shipped, f"  languages: {value}\n"))
    shutil.copytree(ROOT / "site_templates", project / "site_templates")
    result = subprocess.run(
        [
            *(sys.executable, "-m", "generator", "build", "--data", str(ROOT / "clusters")),
            *("--quiet", "--out", str(tmp_path / "site"), "--as-of", AS_OF.isoformat()),
        ],
        capture_output=True,
        text=True,
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1"},
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"clusterdir: error: {project}/mkdocs.yml: {message}"]
    assert not (tmp_path / "site").exists()


def test_a_translated_trees_mkdocs_yml_speaks_its_language_and_reads_the_roots_files():
    settings = read_settings(Project(ROOT), URL)
    german = i18n.language_from_po("de", FIXTURES / "i18n" / "de-site-words.po")
    with i18n.speaking(german):
        footer = theme_values(site_footer(settings.site, AS_OF))
        config = yaml.safe_load(tree_config(settings, load_rules(), footer, "de"))
    assert config["site_name"] == "ECEI-Clusterverzeichnis"
    assert config["site_url"] == f"{URL}de/"
    assert config["theme"]["language"] == "de"
    assert config["theme"]["custom_dir"] == "../overrides"  # the one copy, at the tree's root
    assert config["docs_dir"] == "content"  # its own, beside its mkdocs.yml
    assert config["theme"]["favicon"] == "../assets/images/favicon.svg"
    assert config["extra_css"] == ["../assets/directory.css"]
    assert config["extra_javascript"] == [{"path": "../assets/search.js", "defer": True}]
    assert {"Karte": "map.md"} in config["nav"] and {"Alle Cluster": "clusters/index.md"} in (
        config["nav"]
    )
    assert config["extra"]["words"]["language_label"] == "Sprache wählen"
    toggles = [scheme["toggle"]["name"] for scheme in config["theme"]["palette"]]
    assert toggles == ["Zum dunklen Farbschema wechseln", "Switch to light mode"]  # untranslated
    languages = config["extra"]["cd_languages"]
    assert (languages["current"], languages["up"], languages["root"]) == ("de", "../", URL)
    assert [(lang["code"], lang["name"], lang["folder"]) for lang in languages["all"]] == [
        (code, NAMES[code], _folder(code)) for code in LANGUAGES
    ]
    english = yaml.safe_load(tree_config(settings, load_rules(), footer))
    assert english["theme"]["custom_dir"] == "overrides" and english["site_url"] == URL
    assert english["extra_css"] == ["assets/directory.css"]
    assert english["extra"]["cd_languages"]["up"] == ""


# In a browser


@pytest.mark.parametrize("width", [1280, 375])
def test_the_language_menu_opens_from_the_keyboard_and_leads_to_the_same_page(
    chromium, site_url, width
):
    from tests.browser import Visitor

    visitor = Visitor(chromium, site_url, width=width, height=800)
    try:
        page = visitor.page
        page.goto(f"{site_url}de/countries/it/")
        button = page.locator(".cd-languages button")
        assert button.is_visible()
        for _ in range(30):  # from the page's start, as a keyboard user goes
            page.keyboard.press("Tab")
            if page.evaluate("!!document.activeElement.closest('.cd-languages button')"):
                break
        else:
            raise AssertionError("the language menu's button is never focused")
        inner = ".cd-languages .md-select__inner"
        page.wait_for_function(
            f"getComputedStyle(document.querySelector('{inner}')).opacity === '1'"
        )
        assert page.locator(".cd-languages .md-select__link").first.is_visible()
        names = []
        for _ in NAMES:
            page.keyboard.press("Tab")
            names.append(page.evaluate("document.activeElement.textContent.trim()"))
            if names[-1] == "polski":
                break
        assert names == list(NAMES.values())
        page.keyboard.press("Enter")
        page.wait_for_url(f"{site_url}pl/countries/it/")
        assert page.locator("html").get_attribute("lang") == "pl"
        link = page.locator('.cd-languages a[aria-current="true"]')
        assert link.get_attribute("hreflang") == "pl" and link.text_content().strip() == "polski"
    finally:
        visitor.close()
