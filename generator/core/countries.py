"""Country codes: which a record may use, their English names, and the codes editors mistake for them."""

from __future__ import annotations

from functools import cache

import pycountry

# Codes in use that ISO 3166-1 leaves to its users: Kosovo's XK is used by the EU, GeoNames and
# Natural Earth, and the map draws it.
USER_ASSIGNED = {"XK": "Kosovo"}
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


@cache
def country_name(code: str) -> str:
    """The short English name of a country: its common name where one exists (Czechia, Türkiye)."""
    if code in USER_ASSIGNED:
        return USER_ASSIGNED[code]
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


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
