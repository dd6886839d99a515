"""Problems found in records, and the errors the command line turns into one clear line."""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import StrEnum

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


class Severity(StrEnum):
    """How serious a problem is: errors stop a build, warnings do so only under --strict."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem in one file, with the line and column (1-based) it was found at."""

    path: str
    line: int
    col: int
    severity: Severity
    message: str
    field: str = ""

    def format(self) -> str:
        """The problem as `path:line:col: severity: message`, the form editors and editors' tools
        read, on one line whatever the file's name or the message quote."""
        path, message = shown(self.path, None, False), shown(self.message, None, False)
        return f"{path}:{self.line}:{self.col}: {self.severity.value}: {message}"

    def sort_key(self) -> tuple[str, int, int, str]:
        """Order by file, then position, so output is stable."""
        return (self.path, self.line, self.col, self.message)


def plural(count: int, word: str) -> str:
    """'1 record', '2 records'."""
    return f"{count:,} {word}{'' if count == 1 else 's'}"


class ClusterdirError(Exception):
    """An error the command line reports as one line, without a traceback."""


class ConfigError(ClusterdirError):
    """A settings or rules file is missing or malformed."""


class ValidationFailed(ClusterdirError):
    """Records have errors; the diagnostics say which."""

    def __init__(self, diagnostics: tuple[Diagnostic, ...]) -> None:
        self.diagnostics = diagnostics
        errors = sum(d.severity is Severity.ERROR for d in diagnostics)
        super().__init__(f"{errors} error{'s' if errors != 1 else ''} in the records")


class BuildFailed(ClusterdirError):
    """The site could not be built; the previous output is left as it was."""


class BuildInterrupted(ClusterdirError):
    """Ctrl-C or a termination signal stopped a build; `replaced` says whether the new site was
    already in place."""

    def __init__(self, out: str, replaced: bool) -> None:
        self.replaced = replaced
        out = shown(out, None, quoted=False)
        if replaced:
            super().__init__(f"interrupted after the new site was put in place in {out}")
        else:
            super().__init__(f"interrupted: nothing was built, {out} is as it was")
