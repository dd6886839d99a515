"""Problems as GitHub shows them: an annotation on the line each one is about, and the step
summary's table of all of them.

GitHub shows at most ten annotations of a kind per step on a pull request; the step summary
(the Markdown file `$GITHUB_STEP_SUMMARY` names) has room for every problem. A path is given
relative to the workspace (the checkout), so that GitHub attaches the annotation to the file in
the pull request's diff.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from generator.core.errors import Diagnostic, Severity
from generator.core.showing import shown
from generator.core.terminal import workflow_command
from generator.core.words import problems_left_out

# The annotation each severity makes.
_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
TITLE = "clusterdir check"
# GitHub keeps at most 1 MiB of step summary per step; a larger one is dropped whole.
SUMMARY_BYTES = 1024 * 1024
# Every character that Markdown (GitHub's, with tables) reads as more than itself, as an entity:
# a value then shows as it is and stays in its cell (`|`), starts no code span, link,
# emphasis, HTML tag or mention. Entities are read as characters, never as structure.
_MARKDOWN_ESCAPES = str.maketrans({c: f"&#{ord(c)};" for c in "&<>|\\`*_[]~@"})


def workspace_path(path: str, workspace: str) -> str:
    """A problem's path as GitHub reads it: relative to the workspace, with '/'; as given when
    the file lies outside it (GitHub then shows the annotation without a file)."""
    full, root = os.path.abspath(path), os.path.abspath(workspace)
    for file, top in ((full, root), (os.path.realpath(full), os.path.realpath(root))):
        if os.path.commonpath((file, top)) == top:
            return os.path.relpath(file, top).replace(os.sep, "/")
    return path


def annotate(problems: Iterable[Diagnostic], workspace: str) -> None:
    """Print each problem as a GitHub annotation on its file, line and column."""
    for problem in problems:
        title = f"{TITLE}: {shown(problem.field, quoted=False)}" if problem.field else TITLE
        properties = {
            "file": workspace_path(problem.path, workspace),
            "line": str(problem.line),
            "col": str(problem.col),
            "title": title,
        }
        workflow_command(_COMMAND[problem.severity], properties, problem.message)


def markdown_cell(text: str) -> str:
    """A text as one cell of a Markdown table that shows it as it is."""
    return shown(text, None, quoted=False).translate(_MARKDOWN_ESCAPES)


def step_summary(
    problems: Iterable[Diagnostic], headline: str, workspace: str, room: int = SUMMARY_BYTES
) -> str:
    """The step summary: a heading, the headline and a table of every problem, in at most
    `room` bytes of UTF-8 (rows that do not fit are counted instead); empty if nothing fits."""
    head = f"### {TITLE}\n\n{markdown_cell(headline)}\n\n"
    rows = [
        "| "
        + " | ".join(
            (
                problem.severity.value,
                markdown_cell(workspace_path(problem.path, workspace)),
                str(problem.line),
                str(problem.col),
                markdown_cell(problem.message),
            )
        )
        + " |\n"
        for problem in problems
    ]
    table = "| severity | file | line | column | message |\n|---|---|---|---|---|\n"
    whole = head + (table + "".join(rows) if rows else "")
    if _size(whole) <= room:
        return whole
    # Too long for GitHub: the rows that fit, and a note counting the others.
    spare = room - _size(head + table) - _size(f"\n{problems_left_out(len(rows))}\n")
    kept = 0
    while kept < len(rows) and _size(rows[kept]) <= spare:
        spare -= _size(rows[kept])
        kept += 1
    text = head + (table + "".join(rows[:kept]) if kept else "")
    text += f"\n{problems_left_out(len(rows) - kept)}\n"
    return text if _size(text) <= room else ""


def _size(text: str) -> int:
    return len(text.encode("utf-8"))
