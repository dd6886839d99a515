"""What a record's text may hold: something visible, web hosts a reader can trust, and names
compared as a reader sees them.

Invisible characters are how hostile or careless text slips past a reader: a name made of
zero-width spaces looks empty, a host with a bidi control reads differently than it resolves,
and two names that differ only in a Cyrillic 'а' or a fullwidth letter look the same.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Any

import idna

from generator.core.errors import shown

# Default_Ignorable_Code_Point (Unicode 16, DerivedCoreProperties.txt): characters that render
# as nothing. Written out so that the check and the JSON Schema use the same list whatever
# Unicode version the machine has.
DEFAULT_IGNORABLE = (
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)
# Characters that draw a blank although they are neither spaces nor default-ignorable.
BLANKS = (0x2800, 0x1D159)  # BRAILLE PATTERN BLANK, MUSICAL SYMBOL NULL NOTEHEAD
# The blocks of combining marks, for the JSON Schema, which cannot ask for a category.
COMBINING_BLOCKS = (
    (0x0300, 0x036F),
    (0x1AB0, 0x1AFF),
    (0x1DC0, 0x1DFF),
    (0x20D0, 0x20FF),
    (0xFE20, 0xFE2F),
)
# C0 and C1 controls (tab, and line feed and carriage return, aside: a text's kind decides
# those) and the two non-characters that XML, and so the feed, refuses.
# The line and paragraph separators (U+2028, U+2029) are refused with them: YAML reads them as
# line breaks that no editor sees.
CONTROL_RANGES = (
    (0x00, 0x08),
    (0x0B, 0x0C),
    (0x0E, 0x1F),
    (0x7F, 0x9F),
    (0x2028, 0x2029),
    (0xFFFE, 0xFFFF),
)


# Bidi embedding, override and isolate controls: they make a text read in another order than
# it is written ("\u202eretsulC" shows as "Cluster"), which no name or address needs.
BIDI_RANGES = ((0x202A, 0x202E), (0x2066, 0x2069))
BIDI_CONTROLS = frozenset(chr(c) for low, high in BIDI_RANGES for c in range(low, high + 1))


def class_body(ranges: tuple[tuple[int, int], ...]) -> str:
    """Code point ranges as the inside of a regular-expression class, in `\\uXXXX` escapes that
    Python's `re` and ECMA-262 (editors' tools) read alike. Without ECMA's u flag a class holds
    only the Basic Multilingual Plane, so ranges above it are left to the check."""
    return "".join(
        f"\\u{low:04x}" + (f"-\\u{high:04x}" if high > low else "")
        for low, high in ranges
        if high <= 0xFFFF
    )


CONTROL_CLASS = class_body(CONTROL_RANGES)
# What a text may not hold anywhere: controls, and the bidi controls (for the schema).
REFUSED_CLASS = class_body(CONTROL_RANGES + BIDI_RANGES)
# What shows nothing by itself, for a regular expression: the check asks Unicode's categories
# (is_invisible), a schema's pattern cannot, so it lists these.
INVISIBLE_CLASS = class_body(
    DEFAULT_IGNORABLE
    + tuple((c, c) for c in BLANKS)
    + COMBINING_BLOCKS
    + ((0xE000, 0xF8FF), (0xFDD0, 0xFDEF))  # private use, non-characters
)
# What a URL must percent-encode (RFC 3986), besides controls: refused rather than repaired.
URL_FORBIDDEN_CLASS = '\\s"<>\\\\^`{|}'
# A profile on the European Cluster Collaboration Platform: an https address on its host with
# a path in the characters RFC 3986 allows unencoded (ASCII), read alike by the check and the
# schema.
ECCP_PATTERN = r"^https://(www\.)?clustercollaboration\.eu/[A-Za-z0-9._~%!$&'()*+,;=:@/?#-]+$"
ECCP_EXAMPLE = "https://clustercollaboration.eu/cluster-organisations/example-cluster"
# A number as JSON and YAML 1.2 write one, in ASCII digits (float() would take '١٢' and 'nan').
NUMBER_PATTERN = r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"

# Categories that never show on their own: controls, formats, separators, combining marks,
# and code points with no agreed glyph (private use, unassigned, non-characters).
_NOT_VISIBLE = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Me", "Mc", "Cs", "Co", "Cn"})
# Full stops that IDNA reads as the dot between labels: a host must use '.' itself.
OTHER_DOTS = "\u3002\uff0e\uff61"
_OTHER_DOTS = frozenset(OTHER_DOTS)
_IGNORABLE = frozenset(c for low, high in DEFAULT_IGNORABLE for c in range(low, high + 1))


def is_default_ignorable(char: str) -> bool:
    """Whether a character is default-ignorable (drawn as nothing)."""
    return ord(char) in _IGNORABLE


def is_invisible(char: str) -> bool:
    """Whether a character shows nothing by itself: a space, a control, a mark without a base."""
    code = ord(char)
    return (
        code in _IGNORABLE
        or code in BLANKS
        or char.isspace()
        or unicodedata.category(char) in _NOT_VISIBLE
    )


_ASCII_VISIBLE = re.compile(r"[!-~]")  # printable ASCII but the space: always visible
_ASCII_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SPACE = re.compile(r"\s")


def has_visible(text: str) -> bool:
    """Whether a text shows anything: at least one character that is not invisible."""
    return bool(_ASCII_VISIBLE.search(text)) or any(not is_invisible(c) for c in text)


def first_invisible(text: str) -> str | None:
    """The first character of a text that shows nothing (spaces aside), if any."""
    if text.isascii():
        found = _ASCII_CONTROL.search(text)
        return found.group() if found else None
    return next((c for c in text if is_invisible(c) and c != " "), None)


def code_point(char: str) -> str:
    """A character as an editor can look it up: U+200B ZERO WIDTH SPACE."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" {name}" if name else "")


@cache
def _spoof_checker() -> Any:  # an icu.SpoofChecker: PyICU has no type hints
    import icu  # ICU's SpoofChecker implements UTS #39; imported on first use only

    return icu.SpoofChecker()


def skeleton(text: str) -> str:
    """A key under which names that look alike are equal (UTS #39 skeleton, case and width folded).

    NFKC folds width and compatibility forms, casefold folds case, default-ignorable characters
    go, then ICU maps each confusable character to its prototype ('а' to 'a', 'ｍ' to 'rn').
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    visible = "".join(c for c in folded if ord(c) not in _IGNORABLE)
    # The prototypes can be capitals ('ꓮ' maps to 'A'): fold case again, and map once more.
    mapped = _spoof_checker().getSkeleton(0, visible).casefold()
    return " ".join(_spoof_checker().getSkeleton(0, mapped).split())


_LDH = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")


def _is_plain_ascii(host: str) -> bool:
    """An ASCII host with no IDNA (xn--) label: checked as letters, digits and hyphens."""
    return host.isascii() and "xn--" not in host.lower()


def ascii_host(host: str) -> str:
    """A host as DNS sends it: lowercase, its non-ASCII labels in their xn-- form."""
    host = host.rstrip(".")
    if _is_plain_ascii(host):
        return host.lower()
    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError, ValueError):
        return host.lower()


def _mixes_scripts(label: str) -> bool:
    """Whether a host label mixes writing systems ('exаmple' with a Cyrillic 'а'): ICU's
    UTS #39 restriction check, at the highly restrictive level that browsers also apply."""
    if label.startswith("xn--"):
        label = idna.decode(label)
    if label.isascii():
        return False
    import icu

    checker = icu.SpoofChecker()
    checker.setChecks(icu.USpoofChecks.RESTRICTION_LEVEL)
    checker.setRestrictionLevel(icu.URestrictionLevel.HIGHLY_RESTRICTIVE)
    return int(checker.check(label)) != 0


def host_problem(host: str) -> str | None:
    """Why a website's host cannot be trusted or reached, or None for a valid host.

    A host is checked as written (`пример.рф`) and as IDNA would send it (`xn--e1afmkfd.xn--p1ai`).
    """
    if _SPACE.search(host):
        return "has a space in its host"
    if any(c in _OTHER_DOTS for c in host):
        return "has a full stop other than '.' in its host"
    hidden = first_invisible(host)
    if hidden is None and not host.isascii():  # private-use characters show as a box, or not
        hidden = next((c for c in host if unicodedata.category(c) == "Co"), None)
    if hidden is not None:
        return f"holds the invisible character {code_point(hidden)} in its host"
    name = host[:-1] if host.endswith(".") else host
    labels = name.split(".")
    if "" in labels:
        return "has an empty part between two dots in its host"
    if len(labels) < 2:
        return "needs a host with a domain, such as example.org"
    top = labels[-1]
    if top.isascii() and not (top.isalpha() or top.lower().startswith("xn--")):
        return "needs a host name, not a number, such as example.org"
    if _is_plain_ascii(name):
        # Letters, digits and hyphens only: what IDNA would check, without its cost.
        if len(name) > 253 or not all(_LDH.fullmatch(label) for label in labels):
            return "has a host that is not a valid domain name"
        return None
    try:
        encoded = idna.encode(name, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError, ValueError):
        return "has a host that is not a valid domain name"
    mixed = next((label for label in encoded.split(".") if _mixes_scripts(label)), None)
    if mixed is not None:
        written = idna.decode(mixed) if mixed.startswith("xn--") else mixed
        return f"mixes scripts in the part {shown(written)} of its host (a look-alike address): retype it"
    if len(encoded) > 253 or len(encoded.split(".")[-1]) < 2:
        return "has a host that is not a valid domain name"
    return None


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
