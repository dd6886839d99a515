"""The site's words from Python in the current language: English exactly as before, Polish's
three plural forms from a catalog's own rule, dates, numbers, lists and country names by CLDR
and pycountry per language, and the open-data files English whatever the language."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import babel
import pytest
from babel.support import NullTranslations

from generator.core import dates, i18n, words
from generator.core.countries import code_for_name, country_name
from generator.core.months import Month
from generator.labels.rules import load_rules, load_sectors
from generator.records.catalog import load_catalog
from generator.site import descriptions, footer, locator, timeline
from generator.site.corrections import misused_label_link
from generator.site.dataset import dcat_catalog
from generator.site.directory import build_directory, name_sort_key, sort_key
from generator.site.listing import listings
from generator.site.mapview import map_title
from generator.site.opendata import column_tables, open_data
from generator.site.siteconfig import Operator, SiteSettings
from generator.site.stats import draw, statistics
from generator.site.verify import badge, badge_svg, badge_title
from tests.conftest import FIXTURES, ROOT

DAY = dt.date(2026, 11, 25)
# Babel compiles a catalog the way i18n.language reads the shipped ones.
POLISH = i18n.language_from_po("pl", FIXTURES / "i18n" / "pl-counted-words.po")
LANGUAGES = ("de", "fr", "es", "it", "pl")


def cldr_only(code: str) -> i18n.Language:
    """A language with CLDR's forms and pycountry's names but no catalog of our own."""
    return i18n.Language(code, babel.Locale.parse(code), NullTranslations())


@pytest.fixture(scope="module")
def directory():
    rules = load_rules()
    catalog = load_catalog(ROOT / "clusters", rules, load_sectors(), DAY, strict=True)
    return build_directory(catalog.clusters, rules, DAY)


# English: what every function gave before its words were marked.

# fmt: off
ENGLISH = [
    (lambda: words.clusters_text(10_000), "10,000 clusters"),
    (lambda: words.clusters_from_countries(188, 28), "188 clusters from 28 countries"),
    (lambda: str(words.holding_sentence(1, 1, DAY)),
     "1 cluster from 1 country holds a valid ECEI label on 25 November 2026."),
    (lambda: words.levels_text([(3, "GOLD"), (5, "SILVER"), (2, "BRONZE")]),
     "3 GOLD, 5 SILVER and 2 BRONZE"),
    (lambda: words.count_range_text(5, None), "5 or more"),
    (lambda: words.shown_sentence(1, 2, 2, [("country", "France")], "valid_until", True),
     "Showing 2 clusters in France, by end of validity, descending."),
    (lambda: words.pager_text(2, 13), "Page 2 of 13"),
    (lambda: words.renewal_open_text("SILVER", dt.date(2026, 11, 30), 36, dt.date(2029, 11, 30)),
     "A renewal assessed by 30 November 2026 extends the SILVER label by 36 months from its end,"
     " to 30 November 2029, with no gap."),
    (lambda: words.renewal_closed_text("SILVER", dt.date(2025, 11, 30), 1),
     "The renewal window closed on 30 November 2025: a new assessment starts a new SILVER label,"
     " valid for 1 month from the month of the assessment."),
    (lambda: words.year_as_of_text(dt.date(2026, 11, 27)), "2026, as of 27 November"),
    (lambda: words.country_description(3, "Austria", DAY, [(2, "GOLD"), (1, "BRONZE")], 0),
     "3 cluster organisations in Austria hold an ECEI label as of 25 November 2026:"
     " 2 GOLD and 1 BRONZE."),
    (lambda: words.country_description(0, "Austria", DAY, [], 1),
     "0 cluster organisations in Austria hold an ECEI label as of 25 November 2026;"
     " 1 can renew one."),
    (lambda: words.map_page_description(3, 2, 1),
     "Map of the 3 clusters from 2 countries that hold a valid ECEI label: each country is shaded"
     " by its number of labelled clusters, and 1 of them is marked where it is based."),
    (lambda: words.off_map_sentence(3, ["Mexico", "Canada", "Chile"]),
     "3 clusters outside this map: Mexico, Canada and Chile."),
    (lambda: words.register_description(["BRONZE", "SILVER", "GOLD"], 1, 1, DAY)[-60:],
     "On 2026-11-25, 1 cluster from 1 country holds a valid label."),
    (lambda: words.check_summary(1, 0, 2), "1 record, 0 errors, 2 warnings"),
    (lambda: words.benchmarkings_text(2, "BRONZE"), "2 BRONZE benchmarkings"),
    (lambda: dates.day_text(dt.date(2028, 5, 31)), "31 May 2028"),
    (lambda: dates.short_day_text(dt.date(2026, 9, 1)), "1 Sep 2026"),
    (lambda: dates.day_month_text(dt.date(2026, 11, 27)), "27 November"),
    (lambda: dates.month_year_text(Month.of(2028, 5)), "May 2028"),
    (lambda: dates.numeric_month_year_text(dt.date(2028, 5, 31)), "05/2028"),
    (lambda: i18n.number_text(10_000), "10,000"),
    (lambda: [country_name(c) for c in ("CZ", "TR", "MD", "NL", "GB", "XK", "RU")],
     ["Czechia", "Türkiye", "Moldova", "Netherlands", "United Kingdom", "Kosovo",
      "Russian Federation"]),
    (lambda: locator.label("Sweden", "Lund", True), "Lund in Sweden"),
    (lambda: footer.run_by_text("ESCA"), "Run by ESCA."),
    (lambda: [link.text for link in footer.site_footer(SiteSettings(), DAY).links],
     ["About the data", "Accessibility", "Privacy", "Feed", "Open data"]),
    (lambda: map_title(), "Map of labelled clusters"),
    (lambda: descriptions.about()[:40], "Where the directory's data comes from, t"),
    (lambda: misused_label_link(Operator(corrections="https://github.com/o/r/issues/new")),
     "https://github.com/o/r/issues/new?template=misused-label.yml&title=Misused%20label"),
]
# fmt: on


@pytest.mark.parametrize(("call", "text"), ENGLISH, ids=range(len(ENGLISH)))
def test_english_words_are_as_before_outside_and_inside_speaking(call, text):
    assert call() == text
    with i18n.speaking(i18n.ENGLISH):
        assert call() == text
    with i18n.speaking(POLISH):
        pass
    assert call() == text  # the language before the block is current again


# Polish: the catalog's plural rule picks one of three forms.


@pytest.mark.parametrize(
    ("n", "clusters", "headline"),
    [
        (1, "1 klaster", "1 klaster z 1 kraju ma ważny znak ECEI na dzień 25 listopada 2026."),
        (2, "2 klastry", "2 klastry z 2 krajów mają ważny znak ECEI na dzień 25 listopada 2026."),
        (5, "5 klastrów", "5 klastrów z 5 krajów ma ważny znak ECEI na dzień 25 listopada 2026."),
        (
            12,
            "12 klastrów",
            "12 klastrów z 12 krajów ma ważny znak ECEI na dzień 25 listopada 2026.",
        ),
        (
            22,
            "22 klastry",
            "22 klastry z 22 krajów mają ważny znak ECEI na dzień 25 listopada 2026.",
        ),
    ],
)
def test_polish_counts_take_the_form_of_the_catalogs_plural_rule(n, clusters, headline):
    with i18n.speaking(POLISH):
        assert words.clusters_text(n) == clusters
        sentence = words.holding_sentence(n, n, DAY)
        assert str(sentence) == headline
        assert sentence.subject == f"{clusters} z {n} {'kraju' if n == 1 else 'krajów'}"


def test_polish_sentences_count_their_months_and_fill_their_fields_after_translation():
    with i18n.speaking(POLISH):
        assert words.months_text(2) == "2 miesiące"
        assert words.months_text(25) == "25 miesięcy"
        assert str(words.records_as_of_sentence(DAY)) == "Dane według stanu na 25 listopada 2026."
        assert words.shown_sentence(1, 5, 5) == "Wyświetlono wszystkie 5 klastrów, według nazwy."
        assert words.shown_sentence(1, 10_000, 10_000).endswith("10\xa0000 klastrów, według nazwy.")


def test_a_fuzzy_entry_is_left_out_and_an_untranslated_message_stays_english():
    with i18n.speaking(POLISH):
        assert words.pager_text(2, 13) == "Page 2 of 13"  # fuzzy in the catalog
        assert words.count_range_text(5, None) == "5 or more"  # not in the catalog


# Dates, numbers, lists and countries: CLDR's and pycountry's for each language.

# fmt: off
FORMS = {
    # language: (day_text, short_day_text, month_year_text, number, and-list, or-list)
    "de": ("31. Mai 2028", "27. Nov. 2026", "Mai 2028", "10.000", "3 GOLD und 2 BRONZE", "BRONZE, SILVER oder GOLD"),
    "fr": ("31 mai 2028", "27 nov. 2026", "mai 2028", "10\u202f000", "3 GOLD et 2 BRONZE", "BRONZE, SILVER ou GOLD"),
    "es": ("31 de mayo de 2028", "27 nov 2026", "mayo de 2028", "10.000", "3 GOLD y 2 BRONZE", "BRONZE, SILVER o GOLD"),
    "it": ("31 maggio 2028", "27 nov 2026", "maggio 2028", "10.000", "3 GOLD e 2 BRONZE", "BRONZE, SILVER o GOLD"),
    "pl": ("31 maja 2028", "27 lis 2026", "maj 2028", "10\xa0000", "3 GOLD i 2 BRONZE", "BRONZE, SILVER lub GOLD"),
}
# fmt: on


@pytest.mark.parametrize("code", LANGUAGES)
def test_dates_numbers_and_lists_take_each_languages_cldr_form(code):
    day_text, short, month, number, and_list, or_list = FORMS[code]
    with i18n.speaking(cldr_only(code)):
        assert dates.day_text(dt.date(2028, 5, 31)) == day_text
        assert dates.short_day_text(dt.date(2026, 11, 27)) == short
        assert dates.month_year_text(Month.of(2028, 5)) == month
        assert dates.numeric_month_year_text(dt.date(2028, 5, 31)) == "05/2028"
        assert dates.iso_day(dt.date(2028, 5, 31)) == "2028-05-31"
        assert i18n.number_text(10_000) == number
        assert words.levels_text([(3, "GOLD"), (2, "BRONZE")]) == and_list
        assert or_list in words.register_description(["BRONZE", "SILVER", "GOLD"], 2, 2, DAY)


def test_a_polish_day_of_the_month_is_in_the_genitive_as_a_date_writes_it():
    with i18n.speaking(cldr_only("pl")):
        assert dates.day_month_text(dt.date(2026, 11, 27)) == "27 listopada"
        assert dates.month_names()[4] == "maja"


# fmt: off
COUNTRIES = {
    # CZ, TR, MD, NL, GB, XK, RU: the short names people use, never an official long form
    "de": ["Tschechien", "Türkei", "Moldau", "Niederlande", "Vereinigtes Königreich", "Kosovo", "Russland"],
    "fr": ["Tchéquie", "Turquie", "Moldavie", "Pays-Bas", "Royaume-Uni", "Kosovo", "Russie"],
    "es": ["Chequia", "Turquía", "Moldavia", "Países Bajos", "Reino Unido", "Kosovo", "Rusia"],
    "it": ["Cechia", "Turchia", "Moldavia", "Paesi Bassi", "Regno Unito", "Kosovo", "Russia"],
    "pl": ["Czechy", "Turcja", "Mołdawia", "Holandia", "Wielka Brytania", "Kosowo", "Rosja"],
}
# fmt: on


@pytest.mark.parametrize("code", LANGUAGES)
def test_country_names_are_each_languages_short_names(code):
    with i18n.speaking(cldr_only(code)):
        names = [country_name(c) for c in ("CZ", "TR", "MD", "NL", "GB", "XK", "RU")]
        assert names == COUNTRIES[code]
        # No inverted list entry or bracketed official form is left for a European country.
        for c in ("AT", "BE", "BG", "HR", "CY", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE"):
            assert "," not in country_name(c) and "(" not in country_name(c)
    assert country_name("CZ") == "Czechia"  # cached per language, not across them


def test_editors_country_names_are_read_in_english_whatever_the_language():
    with i18n.speaking(cldr_only("de")):
        assert code_for_name("Germany") == "DE"
        assert code_for_name("Deutschland") is None


# The site's pieces follow the language current when they are made.


def test_countries_are_named_and_ordered_in_the_current_language(directory):
    english = [c.name for c in directory.countries]
    assert english == sorted(english, key=sort_key)
    with i18n.speaking(POLISH):
        polish = [c.name for c in directory.countries]
        assert polish == sorted(polish, key=name_sort_key)
        # Polish order, not the accents set aside: Ł after L, and Słowenia before Szwecja.
        assert polish.index("Słowenia") < polish.index("Szwecja")
        assert "Niemcy" in polish and "Germany" not in polish
        lists = {listing.path: listing for listing in listings(directory)}
        assert lists["clusters"].title == "Wszystkie klastry ze znakiem"
        assert lists["countries/de"].title == "Niemcy"
        assert lists["renewals"].title == "Labels that can be renewed"  # not in the catalog
    assert polish != english
    assert lists["countries/de"].title == "Germany"  # asked again, in English


def test_statistics_write_their_numbers_in_the_current_language(directory):
    with i18n.speaking(cldr_only("de")):
        drawing = draw(statistics(directory).countries)
        assert {text.text for text in drawing.labels} >= {"Deutschland", "Österreich"}
    with i18n.speaking(cldr_only("fr")):
        assert words.year_as_of_text(dt.date(2026, 11, 27)) == "2026, as of 27 novembre"


def test_a_timeline_names_its_months_in_the_current_language(directory):
    entry = next(e for e in directory.entries if e.status.history)
    names = {level.id: level.name for level in directory.rules.levels}
    line = timeline.timeline(entry.status, directory.rules)
    assert line is not None
    english = timeline.timeline_svg(line, entry.cluster.name, names, DAY)
    with i18n.speaking(cldr_only("pl")):
        polish = timeline.timeline_svg(line, entry.cluster.name, names, DAY)
    assert "25 Nov 2026" in english and "25 lis 2026" in polish


def test_the_open_data_files_stay_english_in_any_language(directory):
    with i18n.speaking(POLISH):
        files = {f.path: f.data for f in open_data(directory)}
        about = column_tables(directory.rules)
        catalog = dcat_catalog(directory, SiteSettings(), {path: 1 for path in files})
    with i18n.speaking(i18n.ENGLISH):
        english = {f.path: f.data for f in open_data(directory)}
    assert files == english
    names = {
        row["country_name"] for row in csv.DictReader(io.StringIO(files["clusters.csv"].decode()))
    }
    assert "Germany" in names and "Niemcy" not in names
    package = json.loads(files["datapackage.json"])
    awards = next(r for r in package["resources"] if r["name"] == "awards")
    level = next(f for f in awards["schema"]["fields"] if f["name"] == "level")
    assert level["description"] == "The level awarded."
    # The about page's table of columns is the page's language.
    assert next(f for f in about["awards.csv"] if f["name"] == "level")["description"] == (
        "Przyznany poziom."
    )
    description = catalog["dcat:dataset"]["dct:description"]
    assert description["@language"] == "en" and "cluster" in description["@value"]


def test_a_badge_is_english_in_any_language_and_its_words_follow_the_page(directory):
    entry = next(e for e in directory.labelled)
    english = badge(entry.status, directory.rules)
    with i18n.speaking(cldr_only("de")):
        assert badge(entry.status, directory.rules) == english
        assert badge_svg(badge(entry.status, directory.rules)) == badge_svg(english)
        title = badge_title(entry.status, directory.rules)
    assert title != english.title and title.startswith("ECEI label: ")
    assert dates.day_text(entry.status.valid_until) in english.title
