"""The languages the site speaks: their catalogs, the language a page is being made in, and the
CLDR forms (plurals, dates, numbers) of each.

English is the language the strings are written in: its catalog is empty and every message is
its own translation. Every other language is one gettext catalog,
`generator/translations/<code>/LC_MESSAGES/clusterdir.po`, read as it is (no compiled `.mo` in
the repository, so that a catalog edited is a catalog used). `make translations` extracts the
marked strings into `generator/translations/clusterdir.pot` and updates every catalog from it.

Code that makes words marks them with `gettext`/`ngettext`/`pgettext` from here (the names
`_`, `N_` and friends are what Babel's extraction looks for, see `babel.cfg`); the renderer
makes one language current with `speaking(language)` while it renders that language's pages.
Outside `speaking`, English is current, so the commands' messages stay English.
"""

from __future__ import annotations

import contextvars
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import babel
import babel.dates
import babel.numbers
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

SOURCE_LANGUAGE = "en"
DOMAIN = "clusterdir"
TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"
# The CLDR plural categories, in the order gettext's forms do not follow: a script asks
# `Intl.PluralRules` for the category and picks the form by its name (see `plural_forms`).
CATEGORIES = ("zero", "one", "two", "few", "many", "other")


@dataclass(frozen=True, slots=True)
class Language:
    """One language of the site: its code ('de'), its CLDR locale and its catalog."""

    code: str
    locale: babel.Locale = field(compare=False, repr=False)
    translations: NullTranslations = field(compare=False, repr=False)

    @property
    def name(self) -> str:
        """The language's name in itself, as a language menu shows it: 'Deutsch', 'polski'."""
        return str(self.locale.get_display_name(self.locale) or self.code)


class UnknownLanguage(ValueError):
    """A language code with no catalog here (and not English)."""


def catalog_path(code: str) -> Path:
    """Where the catalog of a language lives."""
    return TRANSLATIONS / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def available() -> tuple[str, ...]:
    """English and every language with a catalog, English first, the rest by code."""
    found = sorted(p.parent.parent.name for p in TRANSLATIONS.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return (SOURCE_LANGUAGE, *(code for code in found if code != SOURCE_LANGUAGE))


@cache
def language(code: str) -> Language:
    """The language with this code, its catalog read; raise UnknownLanguage without one."""
    if code == SOURCE_LANGUAGE:
        return Language(code, babel.Locale.parse(code), NullTranslations())
    path = catalog_path(code)
    if not path.is_file():
        raise UnknownLanguage(code)
    return language_from_po(code, path)


def language_from_po(code: str, path: Path) -> Language:
    """A language from a catalog anywhere (`language` reads the shipped ones; a test reads its
    own fixture the same way)."""
    with path.open("rb") as po:
        catalog = read_po(po, locale=code, domain=DOMAIN)
    compiled = io.BytesIO()
    # Fuzzy entries stay out, as msgfmt leaves them out: a guess is not shown to a visitor.
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Language(code, babel.Locale.parse(code), Translations(compiled, domain=DOMAIN))


ENGLISH = language(SOURCE_LANGUAGE)
_current: contextvars.ContextVar[Language] = contextvars.ContextVar("language", default=ENGLISH)


def current() -> Language:
    """The language pages are being made in now (English outside `speaking`)."""
    return _current.get()


@contextmanager
def speaking(lang: Language) -> Iterator[Language]:
    """Make `lang` the current language for the block."""
    token = _current.set(lang)
    try:
        yield lang
    finally:
        _current.reset(token)


def gettext(message: str) -> str:
    """The message in the current language."""
    return _current.get().translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a counted message for `n` in the current language (Polish has three)."""
    return _current.get().translations.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """The message in the current language, told apart from the same English words by context."""
    return str(_current.get().translations.pgettext(context, message))


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    """`ngettext` with a context."""
    return str(_current.get().translations.npgettext(context, singular, plural, n))


# The names Babel's extraction looks for (babel.cfg), for modules that mark many strings.
_ = gettext


def N_(message: str) -> str:
    """Mark a message for extraction where it is defined; translate it where it is shown."""
    return message


def plural_forms(singular: str, plural: str) -> dict[str, str]:
    """A counted message's form for each CLDR plural category of the current language, for a
    script that asks `Intl.PluralRules` which category a number falls in."""
    forms = {
        category: ngettext(singular, plural, n)
        for category, n in _category_numbers(str(_current.get().locale))
    }
    forms.setdefault("other", ngettext(singular, plural, 5))
    return forms


@cache
def _category_numbers(locale: str) -> tuple[tuple[str, int], ...]:
    """The first number of each CLDR plural category of a locale, in the order found: it
    stands for its category, since gettext picks a form by number. (Worked out once: a page
    asks for a dozen counted messages.)"""
    rule = babel.Locale.parse(locale)
    found: dict[str, int] = {}
    # A million is its own category ('many') in French, Spanish and Italian.
    for n in (*range(0, 1001), 10**6):
        found.setdefault(rule.plural_form(n), n)
    return tuple(found.items())


def number_text(n: int) -> str:
    """A count as the current language writes it: '10,000', '10.000', '10 000'."""
    return babel.numbers.format_decimal(n, locale=_current.get().locale)


def date_pattern(name: str) -> str:
    """A CLDR date pattern of the current language by its width ('long', 'medium')."""
    return str(_current.get().locale.date_formats[name].pattern)
