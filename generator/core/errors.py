"""Problems found in records, and the errors the command line turns into one clear line."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from generator.core.showing import shown as shown  # re-exported: messages import it from here
from generator.core.words import errors_in


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


class ClusterdirError(Exception):
    """An error the command line reports as one line, without a traceback."""


class AlreadyExists(ClusterdirError):
    """A command that never overwrites found its file already there; nothing was written."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"{shown(path, None)} already exists: nothing was written")


class ConfigError(ClusterdirError):
    """A settings or rules file is missing or malformed."""


class ValidationFailed(ClusterdirError):
    """Records have errors; the diagnostics say which."""

    def __init__(self, diagnostics: tuple[Diagnostic, ...], what: str = "the records") -> None:
        self.diagnostics = diagnostics
        super().__init__(errors_in(sum(d.severity is Severity.ERROR for d in diagnostics), what))


class FilesRefused(ValidationFailed):
    """Files that a command would read or publish but may not (a link out, a FIFO, a device, a
    bad line of a tree's file): one diagnostic each; nothing of them was read or published.

    A ValidationFailed, so that every command and the preview print each of them on its line.
    """


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
