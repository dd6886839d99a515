"""The one way a message quotes a value it did not make: escaped, cut, in quotes."""

from __future__ import annotations

import os

# How long a quoted value may be in a message: enough to recognise it, short enough for a line.
SHOWN_LIMIT = 80


def shown(value: object, limit: int | None = SHOWN_LIMIT, quoted: bool = True) -> str:
    """A value from outside (a record's text, a tag, a file name, a CSV cell, an address, an
    option) as a message shows it: every character that does not print as itself escaped
    (`\\x1b`, `\\n`, `\\u202e`), cut to `limit` characters with '…', in quotes.

    The one way a message quotes what it did not make. A terminal or a CI log then gets no
    control character (C0, C1, DEL), no bidi control, no line or paragraph separator: nothing
    can erase a line, set a window's title, reorder the text or start a line of its own.
    Escaping an escaped text changes nothing, so every layer may apply it. Paths are given with
    `limit=None`: a reader needs all of one to find the file.
    """
    text = os.fspath(value) if isinstance(value, os.PathLike) else str(value)
    if not text.isprintable():
        # repr() escapes exactly the characters str.isprintable() refuses (categories C and Z
        # but the space), in Python's own notation.
        text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{text}'" if quoted else text
