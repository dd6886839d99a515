"""The one place that writes to the terminal: human lines made safe, data as exact UTF-8 bytes.

A line for a person goes through `say`: whatever a message quotes, it reaches the terminal or a
CI log as one line, with no control character (escaped as `errors.shown` escapes values) and
nothing a CI runner reads as a command of its own (GitHub Actions runs `::error::…` at the start
of a line, and the older `##[error]` anywhere in it). The terminal's encoding may then
transliterate it (cli.py sets `backslashreplace`): people read it, programs do not.

Data for programs (`status --json`, `report --format csv`, `schema`) goes through `write_data`:
UTF-8 bytes, exactly, whatever the terminal's encoding.

A workflow command that we mean (`check --format github`) goes through `workflow_command`, the one
function that starts a line with `::`: its properties and message escaped by GitHub's own rules
(the toolkit's `escapeProperty` and `escapeData`), so that what they hold reaches GitHub as
it is and never ends the line or starts a command of its own.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
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


# The workflow commands we print: an annotation of each severity, and nothing else.
WORKFLOW_COMMANDS = frozenset({"error", "warning", "notice"})
_PROPERTY_NAME = re.compile(r"[A-Za-z]+")
# GitHub's escapes, as @actions/core's command.ts writes them and the runner reads them back:
# `%` first (a `%` of the text never reads as an escape), then the line breaks; in a property
# also the `:` that would end the properties and the `,` that would start another one.
_DATA_ESCAPES = str.maketrans({"%": "%25", "\r": "%0D", "\n": "%0A"})
_PROPERTY_ESCAPES = str.maketrans({"%": "%25", "\r": "%0D", "\n": "%0A", ":": "%3A", ",": "%2C"})


def _escaped(text: str, escapes: dict[int, str]) -> str:
    # GitHub's escapes first, so that a CR or LF comes back as itself; then the characters that
    # GitHub does not escape but a log shows badly (ESC, NEL, U+2028, bidi controls) as `shown`
    # writes them, so that no character of the line is one a terminal or a log acts on.
    return shown(text.translate(escapes), None, quoted=False)


def workflow_command_line(name: str, properties: Mapping[str, str], message: str) -> str:
    """One GitHub Actions workflow command, `::name key=value,key=value::message`, escaped."""
    if name not in WORKFLOW_COMMANDS:
        raise ValueError(f"not a workflow command we print: {name!r}")
    if not all(_PROPERTY_NAME.fullmatch(key) for key in properties):
        raise ValueError(f"not a property name: {sorted(properties)!r}")
    # An empty value is left out, as the toolkit does.
    given = [
        f"{key}={_escaped(value, _PROPERTY_ESCAPES)}" for key, value in properties.items() if value
    ]
    head = f"{name} {','.join(given)}" if given else name
    return f"::{head}::{_escaped(message, _DATA_ESCAPES)}"


def workflow_command(
    name: str, properties: Mapping[str, str], message: str, stream: TextIO | None = None
) -> None:
    """Print one workflow command for GitHub Actions to run (an annotation), on purpose."""
    stream = stream or sys.stdout
    stream.write(workflow_command_line(name, properties, message) + "\n")
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
