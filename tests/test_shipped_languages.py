"""The shipped catalogs as a visitor reads them: the headline, Polish plurals, a date and a
number in each language, from the real catalogs and the CLDR (not a test catalog)."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.core import dates, i18n, words
from generator.core.months import parse_month

DAY = dt.date(2028, 5, 31)


@pytest.mark.parametrize(
    ("code", "headline"),
    [
        ("en", "188 clusters from 28 countries"),
        ("de", "188 Cluster aus 28 Ländern"),
        ("fr", "188 clusters de 28 pays"),
        ("es", "188 clústeres de 28 países"),
        ("it", "188 cluster di 28 paesi"),
        ("pl", "188 klastrów z 28 krajów"),
    ],
)
def test_the_headline_counts_in_each_language(code: str, headline: str):
    with i18n.speaking(i18n.language(code)):
        assert words.clusters_from_countries(188, 28) == headline
        assert str(words.holding_sentence(188, 28, dt.date(2026, 12, 6))).count(headline) == 1


@pytest.mark.parametrize(
    ("n", "form"),
    [
        (1, "1 klaster"),
        (2, "2 klastry"),
        (4, "4 klastry"),
        (5, "5 klastrów"),
        (12, "12 klastrów"),
        (22, "22 klastry"),
        (25, "25 klastrów"),
        (112, "112 klastrów"),
        (1234, "1\u00a0234 klastry"),
    ],
)
def test_polish_counts_take_the_form_their_number_asks_for(n: int, form: str):
    with i18n.speaking(i18n.language("pl")):
        assert words.clusters_text(n) == form


def test_polish_countries_take_three_forms():
    with i18n.speaking(i18n.language("pl")):
        assert [words.countries_text(n) for n in (1, 2, 5, 22)] == [
            "1 kraj",
            "2 kraje",
            "5 krajów",
            "22 kraje",
        ]


@pytest.mark.parametrize(
    ("code", "day", "month", "number"),
    [
        ("en", "31 May 2028", "May 2028", "10,000"),
        ("de", "31. Mai 2028", "Mai 2028", "10.000"),
        ("fr", "31 mai 2028", "mai 2028", "10\u202f000"),
        ("es", "31 de mayo de 2028", "mayo de 2028", "10.000"),
        ("it", "31 maggio 2028", "maggio 2028", "10.000"),
        ("pl", "31 maja 2028", "maj 2028", "10\u00a0000"),
    ],
)
def test_dates_and_numbers_take_the_languages_form(code: str, day: str, month: str, number: str):
    with i18n.speaking(i18n.language(code)):
        assert dates.day_text(DAY) == day
        assert dates.month_year_text(parse_month("2028-05")) == month
        assert i18n.number_text(10000) == number


def test_every_shipped_language_names_itself():
    names = {code: i18n.language(code).name for code in i18n.available()}
    assert names == {
        "en": "English",
        "de": "Deutsch",
        "fr": "français",
        "es": "español",
        "it": "italiano",
        "pl": "polski",
    }
