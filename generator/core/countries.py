"""Country codes: which a record may use, their names in the site's languages, and the codes
editors mistake for them.

A country's name on a page is in the current language (`country_name`): pycountry's names
(ISO 3166-1) translated by its own `iso3166-1` catalogs, the short common name where one
exists, with `NAMES` for the few that those catalogs give as an official long form or an
inverted list entry ('Russische Föderation', 'Palestine, État de'). What editors write in a
record or a list is read in English only (`code_for_name`, `code_from_list`).
"""

from __future__ import annotations

import gettext
from functools import cache

import pycountry

from generator.core import i18n

# Codes in use that ISO 3166-1 leaves to its users: Kosovo's XK is used by the EU, GeoNames and
# Natural Earth, and the map draws it. Its name in each language, English first.
USER_ASSIGNED = {"XK": "Kosovo"}
USER_ASSIGNED_NAMES = {
    "XK": {"de": "Kosovo", "fr": "Kosovo", "es": "Kosovo", "it": "Kosovo", "pl": "Kosowo"},
}
# Where pycountry's catalog gives a name that people do not use: an official long form
# ('Federacja Rosyjska'), an inverted entry of a list ('Micronésie, États fédérés de') or a slip
# ('Costa de Marfíl'). The short names of the EU's Interinstitutional Style Guide and of CLDR.
NAMES = {
    "de": {
        "BQ": "Karibische Niederlande", "CC": "Kokosinseln", "FK": "Falklandinseln",
        "FM": "Mikronesien", "MF": "St. Martin", "PS": "Palästina", "RU": "Russland",
        "SH": "St. Helena", "SX": "Sint Maarten", "VA": "Vatikanstadt",
    },
    "fr": {
        "AX": "Îles Åland", "BN": "Brunei", "BQ": "Pays-Bas caribéens", "CC": "Îles Cocos",
        "CX": "Île Christmas", "FK": "Îles Malouines", "FM": "Micronésie", "MF": "Saint-Martin",
        "PS": "Palestine", "RE": "La Réunion", "RU": "Russie", "SB": "Îles Salomon",
        "SH": "Sainte-Hélène", "SX": "Sint Maarten", "VA": "Vatican", "VE": "Venezuela",
        "VI": "Îles Vierges des États-Unis",
    },
    "es": {
        "BF": "Burkina Faso", "BN": "Brunéi", "BQ": "Caribe neerlandés", "CC": "Islas Cocos",
        "CD": "República Democrática del Congo", "CI": "Costa de Marfil", "DZ": "Argelia",
        "FK": "Islas Malvinas", "FM": "Micronesia", "KM": "Comoras", "MF": "San Martín",
        "NE": "Níger", "PS": "Palestina", "RU": "Rusia", "SH": "Santa Elena",
        "SX": "Sint Maarten", "TN": "Túnez", "VA": "Ciudad del Vaticano",
        "VG": "Islas Vírgenes Británicas", "VI": "Islas Vírgenes de los Estados Unidos",
    },
    "it": {
        "CC": "Isole Cocos", "FK": "Isole Falkland", "MF": "Saint-Martin", "PS": "Palestina",
        "SH": "Sant'Elena", "SX": "Sint Maarten", "VA": "Città del Vaticano",
        "VG": "Isole Vergini britanniche", "VI": "Isole Vergini americane",
    },
    "pl": {
        "BN": "Brunei", "BQ": "Niderlandy Karaibskie", "CC": "Wyspy Kokosowe",
        "CD": "Demokratyczna Republika Konga", "FK": "Falklandy", "MF": "Saint-Martin",
        "PS": "Palestyna", "RU": "Rosja", "SH": "Wyspa Świętej Heleny", "SX": "Sint Maarten",
        "VA": "Watykan", "ZA": "Republika Południowej Afryki",
    },
}  # fmt: skip
# Codes that EU documents use in place of the ISO ones, and what to write instead.
NOT_ISO = {
    "EL": ("GR", "'EL' is the EU's code for Greece: write GR"),
    "UK": ("GB", "'UK' is not an ISO code: for the United Kingdom write GB"),
}


def is_country(code: str) -> bool:
    """Whether a code in capitals is an ISO 3166-1 alpha-2 code or one of the user-assigned ones."""
    return code in USER_ASSIGNED or (
        len(code) == 2 and pycountry.countries.get(alpha_2=code) is not None
    )


def country_codes() -> list[str]:
    """Every code a record may use, sorted."""
    return sorted({c.alpha_2 for c in pycountry.countries} | set(USER_ASSIGNED))


def country_name(code: str) -> str:
    """A country's short name in the current language: its common name where one exists
    (Czechia, Türkiye; Tschechien, Czechy)."""
    return _country_name(code, i18n.current().code)


@cache
def _english_name(code: str) -> str:
    if code in USER_ASSIGNED:
        return USER_ASSIGNED[code]
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


@cache
def _catalog(language: str) -> gettext.NullTranslations:
    # A language pycountry has no catalog for keeps the English names.
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


@cache
def _country_name(code: str, language: str) -> str:
    if language == i18n.SOURCE_LANGUAGE:
        return _english_name(code)
    if code in USER_ASSIGNED:
        return USER_ASSIGNED_NAMES[code].get(language, USER_ASSIGNED[code])
    fixed = NAMES.get(language, {}).get(code)
    if fixed:
        return fixed
    # The catalog translates the English names as pycountry has them: the common name, where
    # there is one, else the name.
    return _catalog(language).gettext(_english_name(code))


@cache
def _codes_by_name() -> dict[str, str]:
    names = {name.lower(): code for code, name in USER_ASSIGNED.items()}
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            if hasattr(country, attr):
                names[getattr(country, attr).lower()] = country.alpha_2
    return names


def code_for_name(name: str) -> str | None:
    """The code of a country written by its English name, if it is one."""
    return _codes_by_name().get(name.strip().lower())


def code_from_list(text: str) -> str | None:
    """A code from what a list may hold in its country column: a code in any case, or a name."""
    text = text.strip()
    upper = text.upper()
    if len(text) == 2 and text.isascii():
        if upper in NOT_ISO:
            return NOT_ISO[upper][0]
        return upper if is_country(upper) else None
    found = code_for_name(text)
    if found:
        return found
    try:
        return pycountry.countries.lookup(text).alpha_2
    except LookupError:
        return None
