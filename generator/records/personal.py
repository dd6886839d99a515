"""Text in a record that looks like a person's contact details: a personal e-mail address or a
phone number. The register names organisations, not people, and its pages are public: `check`
warns about them, so that an editor removes them before they are published.

A warning, not an error: the patterns guess. An address is personal when its local part reads
as a name, two or more words joined by '.' or '_' (firstname.lastname@, j.smith@, anna_nowak@)
none of which is a role word; a functional address (info@, contact@, office@, secretariat@,
press.office@) is fine, and so is an address of one word, which cannot be told from a role.
A phone number is a run of 8 to 15 digits that starts with '+' or '00' and a country code, or
follows 'tel', 'phone', 'fax' or 'mobile', or starts with a trunk '0' and is grouped by spaces
or a slash (030 1234 5678); a year, a date or a count is none of these.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Words of functional addresses, in the languages of the records: an address with one of them
# in its local part belongs to a role, not to a person.
ROLE_WORDS = frozenset(
    # One string of words reads (and is edited) better than a list of a hundred quoted ones.
    """
    info information contact contacts kontakt kontakty contacto contatto office secretariat
    secretary sekretariat secretaria secretaría segreteria secretariaat sekretariaatti admin
    administration hello hallo hola mail email post team press presse prensa stampa media news
    newsletter support service services servizio help enquiries enquiry inquiries inquiry sales
    marketing communication communications comms events event membership members member
    management board cluster clusters network webmaster postmaster noreply no-reply general
    reception accounts accounting finance hr jobs careers projects project bureau buero büro
    direction accueil geral ufficio oficina biuro kancelaria toimisto kontor kansli innovation
    partners partnership coordination coordinator
    """.split()  # noqa: SIM905
)
_EMAIL = re.compile(
    r"(?<![\w.%+-])([\w.%+-]+)@((?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W\d_]{2,})(?![\w-])"
)
_NAME_PART = re.compile(r"[^\W\d_]+")
_PHONE_INTERNATIONAL = re.compile(r"(?<![\w+])(?:\+|00)[1-9][0-9 ().\-/]{6,}[0-9]")
_PHONE_NAMED = re.compile(
    r"\b(?:tel|tél|phone|telephone|téléphone|telefon|telefono|teléfono|fax|mobile|mob|"
    r"mobil|gsm|puh)\b\.?:?\s*(\+?\(?[0-9][0-9 ().\-/]{5,}[0-9])",
    re.IGNORECASE,
)
_PHONE_NATIONAL = re.compile(r"(?<![\w.,/-])0[0-9]{2,4}(?:[ /][0-9]{2,}){1,4}(?![\w.,/-])")
MIN_DIGITS, MAX_DIGITS = 8, 15  # ITU-T E.164: at most 15 digits


@dataclass(frozen=True, slots=True)
class Found:
    """What looks like contact details of a person, as written in the text."""

    kind: str  # "email" or "phone"
    text: str


def _personal_local_part(local: str) -> bool:
    parts = re.split(r"[._]", local.lower())
    words = [p for p in parts if p]
    if len(words) < 2 or not all(_NAME_PART.fullmatch(p.replace("-", "")) for p in words):
        return False
    pieces = {piece for word in words for piece in (word, *word.split("-"))}
    return not pieces & ROLE_WORDS


def _digits(text: str) -> int:
    return sum(c.isdigit() for c in text)


def personal_data(text: str) -> list[Found]:
    """The first personal-looking e-mail address and the first phone number in a text."""
    found: list[Found] = []
    for match in _EMAIL.finditer(text):
        if _personal_local_part(match[1]):
            found.append(Found("email", match[0]))
            break
    candidates = sorted(
        [
            *((m.start(), m[0].strip()) for m in _PHONE_INTERNATIONAL.finditer(text)),
            *((m.start(1), m[1].strip()) for m in _PHONE_NAMED.finditer(text)),
            *((m.start(), m[0]) for m in _PHONE_NATIONAL.finditer(text)),
        ]
    )
    for _, candidate in candidates:
        if MIN_DIGITS <= _digits(candidate) <= MAX_DIGITS:
            found.append(Found("phone", candidate))
            break
    return found
