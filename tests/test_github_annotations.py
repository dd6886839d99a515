"""`check --format github`: each problem as a GitHub annotation on its line, all of them in the
step summary, and nothing a record holds able to start a workflow command of its own.

Each line is read back here as the runner reads it (actions/runner's `ActionCommand.TryParseV2`,
with its `UnescapeProperty` and `UnescapeData`): what an editor wrote must come back as written,
and a line must hold one command, ours.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from generator.build.writer import append_text_file
from generator.core.errors import ClusterdirError, Diagnostic, Severity
from generator.core.github import annotate, markdown_cell, step_summary, workspace_path
from generator.core.showing import shown
from generator.core.terminal import workflow_command, workflow_command_line
from tests.conftest import FIXTURES, ROOT

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


# --- problems as annotations ----------------------------------------------------------------


def test_each_problem_becomes_an_annotation_of_its_severity_on_its_line(tmp_path, capsys):
    problems = [
        Diagnostic(
            str(tmp_path / "de" / "a.yaml"), 3, 10, Severity.ERROR, "bad\n::error::x", "country"
        ),
        Diagnostic(str(tmp_path / "de" / "b,c:d.yaml"), 5, 1, Severity.WARNING, "soon: 100%"),
        Diagnostic(str(tmp_path / "e\nf.yaml"), 1, 1, Severity.INFO, "not on the map"),
    ]
    annotate(problems, str(tmp_path))
    lines = capsys.readouterr().out.removesuffix("\n").split("\n")
    assert [parse_command(line) for line in lines] == [
        (
            "error",
            {"file": "de/a.yaml", "line": "3", "col": "10", "title": "clusterdir check: country"},
            "bad\n::error::x",
        ),
        (
            "warning",
            {"file": "de/b,c:d.yaml", "line": "5", "col": "1", "title": "clusterdir check"},
            "soon: 100%",
        ),
        (
            "notice",
            {"file": "e\nf.yaml", "line": "1", "col": "1", "title": "clusterdir check"},
            "not on the map",
        ),
    ]


def test_a_path_is_relative_to_the_workspace_whatever_the_working_folder(tmp_path, monkeypatch):
    (tmp_path / "repo" / "clusters").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "repo" / "clusters")
    workspace = str(tmp_path / "repo")
    assert workspace_path("de/a.yaml", workspace) == "clusters/de/a.yaml"
    assert workspace_path("./de/../at/b.yaml", workspace) == "clusters/at/b.yaml"
    assert workspace_path(str(tmp_path / "repo" / "x.yaml"), workspace) == "x.yaml"
    # Outside the workspace: as given (GitHub shows the annotation without a file).
    assert workspace_path("/elsewhere/a.yaml", workspace) == "/elsewhere/a.yaml"
    (tmp_path / "link").symlink_to(tmp_path / "repo")
    assert workspace_path("de/a.yaml", str(tmp_path / "link")) == "clusters/de/a.yaml"


# --- the command, end to end ----------------------------------------------------------------


def _env(**extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"GITHUB_STEP_SUMMARY", "GITHUB_WORKSPACE"}
    }
    return {**env, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8", **extra}


def _check(*args: str, cwd: Path, **env: str) -> tuple[int, str]:
    result = subprocess.run(
        [sys.executable, "-m", "generator", "check", *args, *AS_OF],
        capture_output=True,
        cwd=cwd,
        env=_env(**env),
        timeout=300,
        check=False,
    )
    output = result.stdout.decode("utf-8")
    assert result.stderr == b"" and "Traceback" not in output, output
    return result.returncode, output


HOSTILE_NAMES = ["a\nb", "c\r::error::pwned", "a,b:c", "100%0A", "::warning::x", "%25"]


def test_check_annotates_hostile_file_names_with_their_real_names(tmp_path):
    records = tmp_path / "clusters"
    records.mkdir()
    for name in HOSTILE_NAMES:
        (records / f"{name}.yaml").write_text(BAD_RECORD, "utf-8")
    code, output = _check(
        "clusters", "--format", "github", cwd=tmp_path, GITHUB_WORKSPACE=str(tmp_path)
    )
    assert code == 1
    lines = output.removesuffix("\n").split("\n")
    *annotations, summary = lines
    # Each file: its name is no cluster id (1:1), and its level is unknown (5:12).
    assert summary == "6 records, 12 errors, 0 warnings"
    assert parse_command(summary) is None
    assert all(LINE_BREAKS.search(line) is None for line in lines)
    parsed = [parse_command(line) for line in annotations]
    levels = [p for p in parsed if p is not None and p[2] == BAD_MESSAGE]
    assert len(parsed) == 12 and {p[0] for p in parsed if p is not None} == {"error"}
    assert sorted(p[1]["file"] for p in levels) == sorted(
        f"clusters/{name}.yaml" for name in HOSTILE_NAMES
    )
    assert {(p[1]["line"], p[1]["col"], p[1]["title"]) for p in levels} == {
        ("5", "12", "clusterdir check: level")
    }


@pytest.mark.parametrize(
    ("folder", "options"),
    [
        ("bad", []),
        ("warnings", []),
        ("warnings", ["--strict"]),
        ("site", ["--strict", "--info"]),
        ("good", []),
    ],
)
def test_the_exit_code_is_the_one_the_default_format_gives(folder, options, tmp_path):
    path = str(FIXTURES / folder)
    text_code, text = _check(path, *options, cwd=tmp_path)
    github_code, github = _check(path, *options, "--format", "github", cwd=tmp_path)
    assert github_code == text_code
    # The same problems, the same summary line.
    assert text.splitlines()[-1] == github.splitlines()[-1]
    assert len(text.splitlines()) == len(github.splitlines())


def _many_bad_records(folder: Path, count: int) -> None:
    folder.mkdir(parents=True)
    for number in range(count):
        (folder / f"bad-{number:02}.yaml").write_text(BAD_RECORD, "utf-8")


def _table_rows(markdown: str) -> list[list[str]]:
    """The body cells of every table in a Markdown text, as GitHub's table rules read them."""
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    rows, row = [], None
    for token in tokens:
        if token.type == "tr_open":
            row = []
        elif token.type == "inline" and row is not None:
            row.append("".join(child.content for child in token.children or ()))
        elif token.type == "tr_close":
            rows.append(row)
            row = None
    return rows[1:]  # the header row aside


def test_the_step_summary_lists_every_problem_when_there_are_more_than_ten(tmp_path):
    _many_bad_records(tmp_path / "clusters", 12)
    summary = tmp_path / "summary.md"
    summary.write_text("an earlier step's line\n", "utf-8")
    code, output = _check(
        "clusters",
        "--format",
        "github",
        cwd=tmp_path,
        GITHUB_STEP_SUMMARY=str(summary),
        GITHUB_WORKSPACE=str(tmp_path),
    )
    assert code == 1 and output.count("::error ") == 12
    text = summary.read_text("utf-8")
    assert text.startswith("an earlier step's line\n### clusterdir check\n")
    assert "12 records, 12 errors, 0 warnings" in text
    assert _table_rows(text) == [
        ["error", f"clusters/bad-{number:02}.yaml", "5", "12", BAD_MESSAGE] for number in range(12)
    ]


def test_no_step_summary_is_written_without_the_variable_or_the_github_format(tmp_path):
    _many_bad_records(tmp_path / "clusters", 2)
    summary = tmp_path / "summary.md"
    code, _ = _check("clusters", "--format", "github", cwd=tmp_path)
    assert code == 1 and sorted(p.name for p in tmp_path.iterdir()) == ["clusters"]
    code, _ = _check("clusters", cwd=tmp_path, GITHUB_STEP_SUMMARY=str(summary))
    assert code == 1 and not summary.exists()


def test_a_step_summary_that_cannot_be_written_is_one_line_of_error(tmp_path):
    _many_bad_records(tmp_path / "clusters", 1)
    (tmp_path / "summary").mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "generator", "check", "clusters", "--format", "github", *AS_OF],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=_env(GITHUB_STEP_SUMMARY=str(tmp_path / "summary")),
        timeout=300,
        check=False,
    )
    assert result.returncode == 1
    assert (
        result.stderr == f"clusterdir: error: cannot add to '{tmp_path}/summary': Is a directory\n"
    )
    # The annotations came first: the log has them all the same.
    assert result.stdout.count("::error ") == 1


def test_a_step_summary_that_is_a_fifo_is_refused_without_waiting(tmp_path):
    os.mkfifo(tmp_path / "fifo")
    with pytest.raises(ClusterdirError, match=r"cannot add to '.*fifo': "):
        append_text_file(tmp_path / "fifo", "x")


# --- the step summary's Markdown ------------------------------------------------------------

HOSTILE_CELLS = [
    "a | b",
    "`code` and ``more``",
    "<script>alert(1)</script> &amp; <b>bold</b>",
    "*emphasis* _under_ ~~gone~~ [link](https://example.org) ![image](x.png)",
    "back\\slash \\| escaped pipe",
    "@someone #12",
    "line\nbreak",
    "| leading pipe",
]


@pytest.mark.parametrize("text", HOSTILE_CELLS)
def test_a_hostile_value_stays_in_its_cell_and_shows_as_written(text):
    name = text.replace("/", "-")  # a file name has no slash
    problem = Diagnostic(f"clusters/{name}.yaml", 2, 3, Severity.WARNING, text)
    markdown = step_summary([problem], "1 record, 0 errors, 1 warning", ".")
    html = MarkdownIt("commonmark").enable("table").render(markdown)
    assert "<script" not in html and "<b>" not in html and "<a " not in html
    assert "<code>" not in html and "<em>" not in html and "<img" not in html
    plain = shown(text, None, quoted=False)
    file = f"clusters/{shown(name, None, quoted=False)}.yaml"
    assert _table_rows(markdown) == [["warning", file, "2", "3", plain]]


def test_markdown_cell_leaves_plain_text_alone():
    assert markdown_cell("unknown level 'Bronze': use one of bronze, silver") == (
        "unknown level 'Bronze': use one of bronze, silver"
    )


def test_a_summary_too_long_for_github_keeps_the_rows_that_fit_and_counts_the_rest():
    problems = [
        Diagnostic(f"clusters/r{n:04}.yaml", 1, 1, Severity.ERROR, "x" * 100) for n in range(100)
    ]
    whole = step_summary(problems, "100 records, 100 errors, 0 warnings", ".")
    room = len(whole.encode()) // 2
    cut = step_summary(problems, "100 records, 100 errors, 0 warnings", ".", room)
    assert len(cut.encode()) <= room
    kept = len(_table_rows(cut))
    assert 0 < kept < 100
    assert cut.endswith(
        f"\n{100 - kept} more problems did not fit in GitHub's summary: the log lists them\n"
    )
    assert step_summary(problems, "100 records", ".", 10) == ""


def test_a_summary_without_problems_says_so():
    assert step_summary([], "3 records, 0 errors, 0 warnings", ".") == (
        "### clusterdir check\n\n3 records, 0 errors, 0 warnings\n\n"
    )
