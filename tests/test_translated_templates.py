"""The page templates and the theme overrides speak the current language: Jinja's gettext in
the pages, `extra.words` (generator/site/uiwords.py) in the overrides that MkDocs renders."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import babel
import yaml
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.support import Translations

from generator.build.build import build
from generator.build.progress import Progress
from generator.build.project import Project
from generator.build.settings import read_settings, tree_config
from generator.core import i18n
from generator.labels.rules import load_rules
from generator.site.footer import site_footer, theme_values
from generator.site.pages import template_environment
from generator.site.uiwords import WORDS_KEY, theme_words
from tests.conftest import ROOT
from tests.golden import AS_OF, FIXTURE_RECORDS

OVERRIDES = ROOT / "site_templates" / "overrides"


def _language(messages: dict[str, str]) -> i18n.Language:
    """A German made of these translations only (no catalog on disk)."""
    catalog = Catalog(locale="de", domain=i18n.DOMAIN)
    for english, german in messages.items():
        catalog.add(english, german)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return i18n.Language("de", babel.Locale.parse("de"), Translations(compiled, i18n.DOMAIN))


def test_a_templates_words_are_those_of_the_language_current_when_it_renders():
    env = template_environment(ROOT / "site_templates" / "pages")
    template = env.from_string(
        '{{ _("Clusters in %(country)s", country=name) }}|{% trans %}Countries{% endtrans %}'
    )
    german = _language({"Clusters in %(country)s": "Cluster in %(country)s", "Countries": "Länder"})
    assert template.render(name="<Ö>") == "Clusters in &lt;Ö&gt;|Countries"
    with i18n.speaking(german):
        # A placeholder's value is escaped; the message is the template's own text.
        assert template.render(name="<Ö>") == "Cluster in &lt;Ö&gt;|Länder"
    assert template.render(name="X") == "Clusters in X|Countries"


def test_a_translated_heading_keeps_the_id_that_links_name():
    env = template_environment(ROOT / "site_templates" / "pages")
    template = env.from_string(
        '{% from "_macros.j2" import heading_id %}'
        '## {{ _("Who awards the labels") }}{{ heading_id("who-awards-the-labels", _("Who awards the labels")) }}'
    )
    assert template.render() == "## Who awards the labels"  # English words give the id themselves
    german = _language({"Who awards the labels": "Wer die Labels vergibt"})
    with i18n.speaking(german):
        assert template.render() == "## Wer die Labels vergibt {#who-awards-the-labels}"


def test_the_theme_words_follow_the_current_language_and_a_translation_moves_the_link():
    english = theme_words()
    assert (english["not_found_home_before"], english["not_found_home_link"]) == (
        "",
        "Go to the home page",
    )
    assert english["not_found_home_after"] == " to find clusters by country, or use the search."
    german = _language(
        {
            "{link} to find clusters by country, or use the search.": (
                "Auf der {link} finden Sie die Cluster nach Ländern, oder suchen Sie."
            ),
            "Go to the home page": "Startseite",
        }
    )
    with i18n.speaking(german):
        words = theme_words()
    assert (words["not_found_home_before"], words["not_found_home_link"]) == (
        "Auf der ",
        "Startseite",
    )
    assert words["not_found_home_after"] == " finden Sie die Cluster nach Ländern, oder suchen Sie."
    assert words["search_label"] == "Search clusters"  # untranslated: the English words


def test_the_trees_mkdocs_yml_carries_every_word_the_theme_overrides_read():
    settings = read_settings(Project(ROOT))
    footer = theme_values(site_footer(settings.site, AS_OF))
    tree = yaml.safe_load(tree_config(settings, load_rules(), footer))
    words = tree["extra"][WORDS_KEY]
    assert words == theme_words()
    assert words["not_found_title"] == "Page not found"
    read = {
        key
        for page in OVERRIDES.rglob("*.html")
        for key in re.findall(r"\bwords\.(\w+)", page.read_text("utf-8"))
    }
    assert read == set(words)


def _text(page: Path) -> str:
    body = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page.read_text("utf-8"))
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


def test_the_built_overrides_show_their_words(tmp_path):
    out = tmp_path / "site"
    build(Project(ROOT), FIXTURE_RECORDS, out, AS_OF, strict=False, progress=Progress(quiet=True))
    missing = _text(out / "404.html")
    assert "Page not found" in missing
    assert "A cluster's page stays at the same address for as long as its record exists" in missing
    assert "Go to the home page to find clusters by country, or use the search." in missing
    home = (out / "index.html").read_text("utf-8")
    assert 'aria-label="Search clusters"' in home and 'title="Search clusters (/)"' in home
    assert 'title="New labels and renewals"' in home
    assert 'title="DCAT-AP description of the register"' in home
