"""`check --format github`: each problem as a GitHub annotation on its line, all of them in the
step summary, and nothing a record holds able to start a workflow command of its own.

Each line is read back here as the runner reads it (actions/runner's `ActionCommand.TryParseV2`,
with its `UnescapeProperty` and `UnescapeData`): what an editor wrote must come back as written,
and a line must hold one command, ours.
"""

from __future__ import annotations

import io
import re

import pytest

from generator.core.showing import shown
from generator.core.terminal import workflow_command, workflow_command_line
from tests.conftest import FIXTURES

AS_OF = ["--as-of", "2026-11-25"]
BAD_RECORD = (FIXTURES / "bad" / "capitalised-level.yaml").read_text("utf-8")
BAD_MESSAGE = "unknown level 'Bronze' (did you mean 'bronze'?): use one of bronze, silver, gold"
# Every character after which a log or a terminal starts a new line, or acts.
LINE_BREAKS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")

# The runner's unescaping, in its order (ActionCommand.cs): the `%25` last, so that an escaped
# `%` followed by `0A` stays text.
_DATA = (("%0D", "\r"), ("%0A", "\n"), ("%25", "%"))
_PROPERTY = (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%"))


def _unescape(text: str, mappings: tuple[tuple[str, str], ...]) -> str:
    for escaped, token in mappings:
        text = text.replace(escaped, token)
    return text


def parse_command(line: str) -> tuple[str, dict[str, str], str] | None:
    """A line as the runner reads it: (command, properties, data), or None for a plain line."""
    line = line.lstrip()
    if not line.startswith("::"):
        return None
    end = line.find("::", 2)
    if end < 0:
        return None
    info = line[2:end]
    name, _, rest = info.partition(" ")
    properties = {}
    for item in filter(None, rest.strip().split(",")):
        key, equals, value = item.partition("=")
        if equals and key and value:
            properties[key] = _unescape(value, _PROPERTY)
    return name, properties, _unescape(line[end + 2 :], _DATA)


def _one_line(text: str) -> str:
    assert text.endswith("\n") and text.count("\n") == 1, repr(text)
    line = text.removesuffix("\n")
    assert not LINE_BREAKS.search(line), repr(line)
    return line


# --- the workflow command itself ---------------------------------------------------------

HOSTILE_MESSAGES = [
    "line one\nline two",
    "carriage\rreturn",
    "crlf\r\nend",
    "100% sure, 50%25 and %0A and %250A",
    "a :: in the middle ::",
    "::error::at the start",
    "x\n::error::pwned",
    "x\r\n::warning file=a,line=1::pwned\n::set-output name=a::b",
    "%",
    "",
    "ends with a line break\n",
]
HOSTILE_PATHS = [
    "clusters/de/a,b:c.yaml",
    "clusters/de/line\nbreak.yaml",
    "clusters/de/cr\rname.yaml",
    "clusters/de/100%0A.yaml",
    "clusters/de/::error::x.yaml",
    "clusters/de/x=y.yaml",
]


@pytest.mark.parametrize("message", HOSTILE_MESSAGES)
def test_a_hostile_message_reads_back_as_written_on_one_line(message):
    line = workflow_command_line("error", {"file": "a.yaml", "line": "3", "col": "7"}, message)
    assert LINE_BREAKS.search(line) is None
    assert parse_command(line) == ("error", {"file": "a.yaml", "line": "3", "col": "7"}, message)


@pytest.mark.parametrize("path", HOSTILE_PATHS)
def test_a_hostile_path_and_title_read_back_as_written(path):
    title = "clusterdir check: a, b: c"
    line = workflow_command_line("warning", {"file": path, "line": "1", "title": title}, "m::x")
    assert LINE_BREAKS.search(line) is None
    assert parse_command(line) == ("warning", {"file": path, "line": "1", "title": title}, "m::x")


@pytest.mark.parametrize(
    "text", ["\x1b]0;title\x07", "next\x85line", "sep\u2028arator", "\u202eevil", "tab\there"]
)
def test_characters_github_does_not_escape_come_back_as_shown_writes_them(text):
    line = workflow_command_line("notice", {"file": text}, text)
    assert LINE_BREAKS.search(line) is None and "\u202e" not in line
    plain = shown(text, None, quoted=False)
    assert parse_command(line) == ("notice", {"file": plain}, plain)


@pytest.mark.parametrize("name", ["set-output", "add-mask", "stop-commands", "error x", ""])
def test_only_annotations_can_be_printed_as_workflow_commands(name):
    with pytest.raises(ValueError):
        workflow_command_line(name, {}, "x")


def test_a_property_name_cannot_carry_a_command():
    with pytest.raises(ValueError):
        workflow_command_line("error", {"file=x::y,": "z"}, "x")


def test_an_empty_property_is_left_out():
    assert workflow_command_line("error", {"file": "a", "title": ""}, "m") == "::error file=a::m"


def test_workflow_command_writes_one_line():
    stream = io.StringIO()
    workflow_command("error", {"file": "a\nb"}, "x\n::error::pwned", stream)
    assert parse_command(_one_line(stream.getvalue())) == (
        "error",
        {"file": "a\nb"},
        "x\n::error::pwned",
    )
