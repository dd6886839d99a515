"""The one place that writes to the terminal: human lines made safe, data as exact UTF-8 bytes.

A line for a person goes through `say`: whatever a message quotes, it reaches the terminal or a
CI log as one line, with no control character (escaped as `errors.shown` escapes values) and
nothing a CI runner reads as a command of its own (GitHub Actions runs `::error::…` at the start
of a line, and the older `##[error]` anywhere in it). The terminal's encoding may then
transliterate it (cli.py sets `backslashreplace`): people read it, programs do not.

Data for programs (`status --json`, `report --format csv`, `schema`) goes through `write_data`:
UTF-8 bytes, exactly, whatever the terminal's encoding.
"""

from __future__ import annotations

import re
import sys
from typing import TextIO

from generator.core.errors import shown

# A workflow command: `::name …::` at the start of a line, after any spaces (GitHub Actions),
# or `##[name]` and `##vso[name]` anywhere (the runner's older form, and Azure Pipelines').
_LEADING_COMMAND = re.compile(r"^(\s*):(?=:)")
_INLINE_COMMAND = re.compile(r"#(?=#(?:vso)?\[)", re.IGNORECASE)


def safe_line(text: str) -> str:
    """A text as one line that a terminal shows and a CI runner does not obey."""
    line = shown(text, None, quoted=False)
    line = _LEADING_COMMAND.sub(r"\1\\x3a", line)
    return _INLINE_COMMAND.sub(r"\\x23", line)


def say(text: str = "", stream: TextIO | None = None) -> None:
    """Print one line for a person (stdout by default); a line break inside it is escaped."""
    stream = stream or sys.stdout
    stream.write(safe_line(text) + "\n")
    stream.flush()


def redraw(text: str, stream: TextIO, last: bool) -> None:
    """Draw a line over the one before (a progress bar on a terminal), ending it when `last`."""
    stream.write("\r" + safe_line(text) + ("\n" if last else ""))
    stream.flush()


def write_data(text: str) -> None:
    """Write data for a program to stdout as UTF-8 bytes, whatever the terminal's encoding."""
    stream = sys.stdout
    buffer = getattr(stream, "buffer", None)
    if buffer is None:  # a text-only stream (a test's StringIO): it holds the text as it is
        stream.write(text)
        stream.flush()
        return
    stream.flush()  # what was said before comes first
    buffer.write(text.encode("utf-8"))
    buffer.flush()
