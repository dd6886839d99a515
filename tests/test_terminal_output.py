"""Nothing a file, a record, a CSV list, a site address or an option holds reaches a terminal or
a CI log as control characters, or as a line that a CI runner obeys.

Every message quotes what it did not make through `errors.shown`, and every line goes out through
`terminal.say`: a tag (libyaml decodes `%XX` in tags), a file name with a line break or ESC, a
CSV cell can no longer erase the error line so that the output reads "0 errors", set the
terminal's title, or start a line with `::error` that GitHub Actions runs. Machine output
(`status --json`, `report --format csv`) is exact UTF-8 whatever the terminal's encoding.

The hostile contents are in tests/fixtures/hostile/terminal/; the hostile file names are made
here, since a name with a line break has no place in git.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from generator.core.errors import BuildInterrupted, Diagnostic, Severity, shown
from generator.core.terminal import safe_line
from tests.conftest import FIXTURES, ROOT

TERMINAL = FIXTURES / "hostile" / "terminal"
AS_OF = ["--as-of", "2026-11-25"]
ENV = {
    **os.environ,
    "NO_MKDOCS_2_WARNING": "1",
    "DISABLE_MKDOCS_2_WARNING": "true",
    "PYTHONIOENCODING": "utf-8",
}
# What moves a terminal's cursor, changes its state or reorders its text, and the line breaks
# that start a line of their own: C0, DEL, C1 (NEL among them), the bidi controls and marks,
# and the line and paragraph separators.
# Lone surrogates (a file name that is not UTF-8) cannot be written to a UTF-8 terminal at all.
UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
# Values as an attacker writes them into a file name, a record, a CSV cell or an option.
HOSTILE = {
    "title": "\x1b]0;title\x07",
    "erase-line": "\x1b[1A\x1b[2K",
    "line-break": "line\n::error::x",
    "carriage-return": "ok\rforged",
    "bidi": "\u202eevil",
    "workflow-command": "::error::x",
    "old-workflow-command": "a ##[error]x",
    "next-line": "next\x85line",
    "separator": "sep\u2028arator",
    "c1-csi": "\x9b31m",
    "not-utf8": os.fsdecode(b"caf\xe9"),
}
# File names for records: each must still come out as one line of its own.
HOSTILE_NAMES = [
    "a\nb",
    "\x1b]0;title\x07",
    "x\ry",
    "\u202eevil",
    "::error::x",
    "\x1b[1A\x1b[2K",
    "##[error]x",
]
VALID = (FIXTURES / "good" / "norway-is-no.yaml").read_text("utf-8")
WITH_A_TAG = (TERMINAL / "tag-with-escapes.yaml").read_text("utf-8")


def unsafe_lines(output: str) -> list[str]:
    """The lines of an output that a terminal or a CI runner would act on."""
    return [
        line
        for line in output.split("\n")
        if UNSAFE.search(line) or line.lstrip().startswith("::") or "##[" in line
    ]


def _cli(*args: str, cwd: Path = ROOT, env: dict[str, str] = ENV) -> tuple[int, str]:
    """Run clusterdir; return its exit status and its whole output (stdout, then stderr)."""
    result = subprocess.run(
        [sys.executable, "-m", "generator", *args],
        capture_output=True,
        cwd=cwd,
        env={**env, "PYTHONPATH": str(ROOT)},
        timeout=300,
        check=False,
    )
    output = result.stdout.decode("utf-8") + result.stderr.decode("utf-8")
    assert "internal error" not in output and "Traceback" not in output, output
    assert unsafe_lines(output) == [], output
    return result.returncode, output


def _hostile_records(folder: Path) -> Path:
    """A records folder of hostile file names (each with an error), the hostile contents, and a
    folder whose name holds a control character around a valid record."""
    folder.mkdir(parents=True)
    for name in HOSTILE_NAMES:
        (folder / f"{name}.yaml").write_text(WITH_A_TAG, "utf-8")
    for fixture in TERMINAL.glob("*.yaml"):
        shutil.copy(fixture, folder)
    (folder / "folder\n::error::x").mkdir()
    (folder / "folder\n::error::x" / "norway-is-no.yaml").write_text(VALID, "utf-8")
    return folder


# --- the commands, end to end --------------------------------------------------------------


def test_check_prints_each_problem_of_hostile_names_and_values_on_a_line_of_its_own(tmp_path):
    data = _hostile_records(tmp_path / "records")
    # Run from inside the folder: the paths then start with the file names themselves.
    code, output = _cli("check", ".", *AS_OF, cwd=data)
    assert code == 1
    lines = output.removesuffix("\n").split("\n")
    summary = re.fullmatch(r"(\d+) records, (\d+) errors, 0 warnings", lines[-1])
    assert summary, lines[-1]
    # Nothing erased a line: there are as many error lines as the summary counts.
    assert sum(": error: " in line for line in lines) == int(summary[2])
    assert (
        "\\x1b]0;title\\x07.yaml:1:7: error: tags (!\\x1b[2K) are not allowed in records" in lines
    )
    assert "\\x3a:error::x.yaml:1:7: error: tags (!\\x1b[2K) are not allowed in records" in lines
    assert any(line.startswith("a\\nb.yaml:1:7: error: ") for line in lines)
    assert (
        "folder\\n::error::x:1:1: error: the folder's name holds '\\n', which a terminal or a log"
        " cannot show as it is: rename the folder; its records are not read"
    ) in lines
    assert (
        "tag-with-a-line-break-and-a-workflow-command.yaml:1:7: error: tags (!\\n::error::x)"
        " are not allowed in records"
    ) in lines


def test_status_and_report_print_hostile_problems_on_lines_of_their_own(tmp_path):
    data = _hostile_records(tmp_path / "records")
    code, output = _cli("status", str(data / "\x1b]0;title\x07.yaml"), *AS_OF)
    assert code == 1 and "\\x1b]0;title\\x07.yaml:1:7: error: tags (!\\x1b[2K)" in output
    code, output = _cli("report", "--data", str(data), *AS_OF)
    assert code == 1 and "No label ends before 2027-03-01" in output


@pytest.mark.parametrize("fixture", ["cells-with-escapes.csv", "header-with-escapes.csv"])
def test_import_csv_reports_hostile_cells_headers_and_file_names_on_lines_of_their_own(
    tmp_path, fixture
):
    source = tmp_path / "list\x1b]0;title\x07\n::error::x.csv"
    shutil.copy(TERMINAL / fixture, source)
    code, output = _cli("import-csv", str(source), "--data", str(tmp_path / "records"))
    assert code == 1
    named = "list\\x1b]0;title\\x07\\n::error::x.csv"
    if fixture == "header-with-escapes.csv":
        assert output.count("\n") == 1
        assert "(the header row reads: 'name\\x1b[2K, coun\\n::error::try, website" in output
    else:
        assert output.count(f"skipped {tmp_path}/{named}:") == 4
        assert "unknown country '\\x1b[2K'; unknown label 'gold\\x1b[31m'" in output
        assert "valid until '\\u202e2027' is not a date" in output
        assert not (tmp_path / "records").exists()


def test_award_says_what_it_did_or_refused_on_lines_of_their_own(tmp_path):
    folder = tmp_path / "dir\x1b]0;title\x07\n::error::x"
    folder.mkdir()
    (folder / "norway-is-no.yaml").write_text(VALID, "utf-8")
    valid = f"{folder.name}/norway-is-no.yaml"
    named = "dir\\x1b]0;title\\x07\\n::error::x/norway-is-no.yaml"
    level = ["--level", "gold"]
    code, output = _cli("award", valid, *level, "--assessed", "2027-01", *AS_OF, cwd=tmp_path)
    assert code == 0 and output.startswith(f"{named}: GOLD, valid until")
    broken = tmp_path / "\x1b]0;title\x07\n::error::x.yaml"
    broken.write_text(VALID, "utf-8")
    code, output = _cli("award", broken.name, *level, "--assessed", "2027-01", cwd=tmp_path)
    assert code == 1 and output.count("\n") == 1
    assert "error: \\x1b]0;title\\x07\\n::error::x.yaml has errors; fix them first: " in output
    code, output = _cli("award", valid, *level, "--assessed", "\x1b[2K2026", cwd=tmp_path)
    assert code == 1 and "--assessed: '\\x1b[2K2026' is not a month" in output
    code, output = _cli("award", valid, "--level", "\x1b]0;t\x07", "--assessed", "2026-01")
    assert code == 2 and output.count("\n") == 1
    hostile_option = "--\x1b]0;title\x07\n::error::x"
    code, output = _cli("award", valid, *level, "--assessed", "2026-01", hostile_option)
    assert code == 2 and output.count("\n") == 1 and "unrecognized arguments: --\\x1b]0;" in output


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--name", "\x1b]0;title\x07 Cluster"], "'name' holds the control character \\x1b"),
        (["--name", "Line\n::error::x"], "'name' must fit on one line"),
        (["--name", "\u202eretsulC"], "'name' holds the bidi control U+202E"),
        (["--name", "\x1b\x07"], "cannot make a file name from '\\x1b\\x07'"),
        (["--country", "\x1b[2K"], "'country' holds the control character \\x1b"),
        (["--website", "https://a.example.org/\x1b[2K"], "'website' holds the control"),
        (["--city", "\x9b31m"], "'city' holds the control character \\x9b"),
        (["--level", "gold", "--assessed", "2026-\x1b"], "--assessed: '2026-\\x1b' is not a month"),
    ],
    ids=["title", "line-break", "bidi", "no-letters", "country", "website", "c1", "month"],
)
def test_new_refuses_hostile_options_on_one_line(tmp_path, options, expected):
    given = {"--name": "Hostile Options Cluster", "--country": "DE"}
    given.update(zip(options[::2], options[1::2], strict=True))
    args = [part for pair in given.items() for part in pair]
    code, output = _cli("new", *args, "--data", str(tmp_path / "records"))
    assert code == 1 and output.count("\n") == 1 and expected in output, output


def test_new_names_a_record_in_a_hostile_folder_on_lines_of_their_own(tmp_path):
    data = tmp_path / "records\x1b]0;title\x07\n::error::x"
    code, output = _cli("new", "--name", "Ærø Cluster", "--country", "DK", "--data", str(data))
    assert code == 0 and (data / "dk" / "aero-cluster.yaml").is_file()
    assert output.startswith(f"{tmp_path}/records\\x1b]0;title\\x07\\n::error::x/dk/aero-cluster")


def test_build_refuses_hostile_records_on_lines_of_their_own(tmp_path):
    data = _hostile_records(tmp_path / "records")
    code, output = _cli("build", "--data", str(data), "--out", str(tmp_path / "site"), *AS_OF)
    assert code == 1 and output.rstrip("\n").endswith("in the records; nothing was built")


def test_build_into_a_hostile_folder_from_one_says_so_on_lines_of_their_own(tmp_path):
    data = tmp_path / "records\x1b[2K\n::error::data"
    data.mkdir()
    (data / "norway-is-no.yaml").write_text(VALID, "utf-8")
    out = tmp_path / "site\x1b]0;title\x07\n::error::out"
    code, output = _cli("build", "--data", str(data), "--out", str(out), *AS_OF)
    assert code == 0 and (out / "index.html").is_file()
    assert "Checking the records in " in output and "records\\x1b[2K\\n::error::data" in output
    assert "Built site\\x1b]0;title\\x07\\n::error::out/ as of 2026-11-25" in output


def test_a_valid_record_in_a_folder_with_a_control_character_is_not_read(tmp_path):
    data = tmp_path / "records"
    (data / "de\x1b[2K").mkdir(parents=True)
    (data / "de\x1b[2K" / "norway-is-no.yaml").write_text(VALID, "utf-8")
    code, output = _cli("report", "--data", str(data), "--format", "csv", *AS_OF)
    assert code == 1 and "norway-is-no" not in output
    assert "de\\x1b[2K:1:1: error: the folder's name holds '\\x1b'" in output


# --- every message constructor, with every hostile value -----------------------------------


def _message(make: Callable[[str], object]) -> Callable[[str], str]:
    """What a constructor says about a value: its message, or the message it raises."""

    def text(said: object) -> str:
        if isinstance(said, Diagnostic):
            return said.format()
        if isinstance(said, list | tuple):  # diagnostics, or (result, diagnostics)
            return "\n".join(text(item) for item in said if item is not None)
        return str(said)

    def run(value: str) -> str:
        try:
            return text(make(value))
        except Exception as exc:  # the constructors here that refuse raise their message
            return str(exc)

    return run


RECORD = {
    "name": "name: N",
    "country": "country: DE",
    "website": "website: https://a.example.org",
    "labels": "labels:\n  - level: bronze\n    assessed: 2024-03",
}


def _record(text: str, name: str = "r") -> list[Diagnostic]:
    """The problems of a record made of `text` and, for each key it does not give, a valid one."""
    from generator.labels.rules import load_rules, load_sectors
    from generator.records.catalog import record_from_bytes
    from generator.records.records import Vocabulary

    given = [line.split(":")[0] for line in text.splitlines()]
    text += "".join(f"\n{line}" for key, line in RECORD.items() if key not in given) + "\n"
    rules = load_rules()
    vocab = Vocabulary(rules.level_ids, load_sectors(), rules.body_ids)
    _, problems = record_from_bytes(Path(name + ".yaml"), text.encode("utf-8"), vocab)
    return problems


def _yaml(value: str) -> str:
    """A value as a YAML double-quoted scalar (JSON's escapes are YAML's)."""
    return json.dumps(value)


def _csv(value: str) -> str:
    """A value as a quoted CSV cell."""
    return '"' + value.replace('"', '""') + '"'


def _row(field: str) -> Callable[[str], object]:
    from generator.editing.csvimport import row_draft

    def make(value: str) -> object:
        cells = {"name": "N", "country": "DE", "website": "https://a.example.org"}
        cells |= {"level": "bronze", "assessed": "2024-03", field: value}
        return row_draft(cells, ("bronze", "silver", "gold"), ("Energy",), 24)

    return make


def _set_conflicts(value: str) -> list[Diagnostic]:
    from generator.core.model import Award, Cluster
    from generator.core.months import Month
    from generator.records.checks import check_set

    award = (Award("bronze", Month.of(2024, 3)),)
    first = Cluster(
        id="a", path=f"{value}/a.yaml", name="Same", country="DE", website="https://s.org",
        awards=award,
    )  # fmt: skip
    return check_set([first, replace(first, path=f"{value}/b.yaml"), replace(first, id="b")])


def _unplaced(value: str) -> list[Diagnostic]:
    from generator.core.model import Award, Cluster
    from generator.core.months import Month
    from generator.records.places import unplaced_records

    award = (Award("bronze", Month.of(2024, 3)),)
    cluster = Cluster(
        id="a", path="a.yaml", name="N", country="DE", website="https://s.org", awards=award,
        city=value,
    )  # fmt: skip
    return unplaced_records((cluster,))


def _plan_new(tmp: Path) -> Callable[[str], object]:
    from generator.editing.drafts import Draft, plan_new
    from generator.records.checks import SetIndex
    from generator.records.records import Vocabulary

    def make(value: str) -> object:
        draft = Draft(name=value, country=value, website=value, city=value)
        vocab = Vocabulary(("bronze",), ("Energy",))
        return plan_new(draft, tmp / value, ROOT / "schema/cluster.schema.json", vocab, SetIndex())

    return make


def _add_award(value: str) -> object:
    from generator.editing.awarding import NewAward, add_award
    from generator.records.records import Vocabulary

    vocab = Vocabulary(("bronze",), ("Energy",))
    return add_award(Path(value), WITH_A_TAG.encode(), NewAward("bronze", "2026-01"), vocab)


def _settings(tmp: Path, key: str) -> Callable[[str], object]:
    from generator.build.project import Project
    from generator.build.settings import read_settings

    def make(value: str) -> object:
        folder = tmp / f"project-{key}"
        folder.mkdir(exist_ok=True)
        given = f"[{_yaml(value)}]" if key == "site_name" else _yaml(value)
        (folder / "mkdocs.yml").write_text(f"{key}: {given}\n", "utf-8")
        return read_settings(Project(folder))

    return make


def _rules(value: str) -> object:
    from generator.labels.rules import rules_from_data

    level = {"id": "bronze", "first_validity_months": value}
    return rules_from_data({"levels": [level]}, where="rules")


def _body(key: str) -> Callable[[str], object]:
    def make(value: str) -> object:
        from generator.labels.rules import rules_from_data

        level = {"id": "bronze", "renewal_window_months": 1, "renewal_extension_months": 1}
        level["first_validity_months"] = 1
        data: dict[str, object] = {"levels": [level], "min_months_between_awards": 1}
        data["silver_prerequisite"] = {
            "bronze_benchmarkings": 1,
            "min_months_between": 1,
            "max_months_between": 1,
        }
        body = {"id": "a", "name": "A", "acronym": "A", "city": "B", "country": "DE"}
        later = body | {"id": "b", "default_from": "2024-07"}
        data["awarding_bodies"] = [body, later | {key: value}]
        data["eccp_required_from"] = value if key == "eccp_required_from" else "2019-11-15"
        return rules_from_data(data, where="rules")

    return make


def _write(tmp: Path) -> Callable[[str], object]:
    from generator.build.writer import write_text_file

    def make(value: str) -> object:
        target = tmp / "exists" / value
        target.parent.mkdir(exist_ok=True)
        target.write_text("x")
        return write_text_file(target, "y")

    return make


def _output_place(tmp: Path) -> Callable[[str], object]:
    from generator.build.publish import output_problem

    def make(value: str) -> object:
        (tmp / "places").mkdir(exist_ok=True)
        (tmp / "places" / value).write_text("a file, not a folder")
        return output_problem(tmp / "places" / value)

    return make


def _constructors(tmp: Path) -> dict[str, Callable[[str], object]]:
    """Every function that builds a message from a value it did not make, by name."""
    from generator.build.project import load_boundaries
    from generator.build.writer import append_text_file
    from generator.cli import _as_of, _months_ahead
    from generator.core.months import parse_date, parse_month
    from generator.editing.csvimport import plan_import, read_rows
    from generator.records.reader import find_records, not_utf8, read_text
    from generator.records.records import Vocabulary
    from generator.records.source import read_record
    from generator.site.siteconfig import site_address

    vocab = Vocabulary(("bronze",), ("Energy",))
    return {
        "shown": shown,
        "diagnostic": lambda v: Diagnostic(v, 1, 1, Severity.ERROR, v),
        "interrupted": lambda v: BuildInterrupted(v, False),
        "month": parse_month,
        "date": parse_date,
        "cli-as-of": _as_of,
        "cli-months": _months_ahead,
        "yaml-tag-escaped": lambda v: read_record(v, ("a: !" + "".join(f"%{b:02X}" for b in v.encode("utf-8", "surrogateescape")) + " 1\n").encode()),
        "yaml-duplicate-key": lambda v: read_record(v, f"{_yaml(v)}: 1\n{_yaml(v)}: 2\n".encode("utf-8", "surrogatepass")),
        "yaml-syntax": lambda v: read_record(v, f"a: [{v}\n".encode("utf-8", "surrogatepass")),
        "record-unknown-key": lambda v: _record(f"{_yaml(v)}: 1", v),
        "record-values": lambda v: _record("\n".join(f"{k}: {_yaml(v)}" for k in ("name", "acronym", "country", "city", "website", "description", "coordinates", "sectors", "labels"))),
        "record-country": lambda v: _record(f"country: {_yaml('X' + v)}"),
        "record-award": lambda v: _record(f"labels:\n  - level: {_yaml(v)}\n    assessed: {_yaml(v)}\n    {_yaml(v)}: 1"),
        "record-coordinates": lambda v: _record(f"coordinates: [{_yaml(v)}, {_yaml(v)}]"),
        "record-sectors": lambda v: _record(f"sectors: [{_yaml('Z' + v)}]"),
        "record-website": lambda v: _record(f"website: {_yaml('https://' + v + '.example.org/')}"),
        "record-website-port": lambda v: _record(f"website: {_yaml('https://a.example.org:' + v + '/')}"),
        "record-id": lambda v: _record("name: x", v),
        "record-eccp": lambda v: _record(f"eccp: {_yaml('https://clustercollaboration.eu/' + v)}"),
        "record-awarded-by": lambda v: _record(
            f"labels:\n  - level: bronze\n    assessed: 2024-03\n    awarded_by: {_yaml(v)}"
        ),
        "set-conflicts": _set_conflicts,
        "unplaced": _unplaced,
        "csv-country": _row("country"),
        "csv-level": _row("level"),
        "csv-assessed": _row("assessed"),
        "csv-valid-until": _row("valid_until"),
        "csv-sectors": _row("sectors"),
        "csv-header": lambda v: plan_import(f"{_csv(v)},b\n1,2\n", v, tmp, tmp, vocab, 24, None),  # type: ignore[arg-type]
        "csv-empty": lambda v: read_rows("", v),
        "new": _plan_new(tmp),
        "award": _add_award,
        "site-address": site_address,
        "site-address-host": lambda v: site_address(f"https://a{v}b.org/"),
        "site-address-zone": lambda v: site_address(f"http://[fe80::1%{v}]/"),
        "settings-text": _settings(tmp, "site_name"),
        "settings-site-url": _settings(tmp, "site_url"),
        "rules-figure": _rules,
        "rules-body-website": _body("website"),
        "rules-body-id": _body("id"),
        "rules-body-name": _body("name"),
        "rules-body-country": _body("country"),
        "rules-body-default-from": _body("default_from"),
        "rules-eccp-date": _body("eccp_required_from"),
        "records-folder": lambda v: find_records(tmp / "missing" / v),
        "not-utf8": lambda v: not_utf8(v, b"\xff", UnicodeDecodeError("utf-8", b"\xff", 0, 1, "x")),
        "read-text": lambda v: read_text(tmp / "missing" / v),
        "boundaries": lambda v: load_boundaries(tmp / "missing" / v),
        "output-place": _output_place(tmp),
        "write": _write(tmp),
        "append": lambda v: append_text_file(tmp / "missing" / v, "x"),
    }  # fmt: skip


@pytest.fixture(scope="module")
def constructors(tmp_path_factory) -> dict[str, Callable[[str], str]]:
    made = _constructors(tmp_path_factory.mktemp("constructors"))
    return {name: _message(make) for name, make in made.items()}


@pytest.mark.parametrize("value", list(HOSTILE.values()), ids=list(HOSTILE))
def test_every_message_constructor_shows_a_hostile_value_escaped(constructors, value):
    for name, message in constructors.items():
        said = message(value)
        if UNSAFE.search(value) and value in said:
            pytest.fail(f"{name} quotes {value!r} as it is: {said!r}")
        for line in said.split("\n"):  # a list of diagnostics, one a line
            assert not UNSAFE.search(line), (name, line)
            assert unsafe_lines(safe_line(line)) == [], (name, line)  # as `say` prints it


# --- the one place that prints -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("::error::x", "\\x3a:error::x"),
        ("  ::warning file=a::x", "  \\x3a:warning file=a::x"),
        ("\t::error::x", "\\t::error::x"),
        ("\u3000::error::x", "\\u3000::error::x"),
        ("a ##[error]x", "a \\x23#[error]x"),
        ("a ##vso[task.setvariable]x", "a \\x23#vso[task.setvariable]x"),
        ("a\n::error::x", "a\\n::error::x"),
        ("\x1b]0;title\x07", "\\x1b]0;title\\x07"),
        ("\u202eevil", "\\u202eevil"),
        ("clusters/a.yaml:1:1: error: ok", "clusters/a.yaml:1:1: error: ok"),
        ("Ærø Ǧ 東京 😀", "Ærø Ǧ 東京 😀"),
    ],
)
def test_a_printed_line_has_no_control_and_no_workflow_command(text, line):
    assert safe_line(text) == line
    assert safe_line(line) == line  # escaping twice changes nothing


def test_only_the_terminal_module_prints():
    assert (ROOT / "generator" / "core" / "terminal.py").exists()  # the walk below sees stages
    printing = re.compile(r"\bprint\(|sys\.(?:stdout|stderr)\.write\(|sys\.stdout\.buffer")
    found = [
        f"{path.relative_to(ROOT / 'generator')}:{number}"
        for path in sorted((ROOT / "generator").rglob("*.py"))
        if path.name not in ("terminal.py", "__main__.py")
        for number, text in enumerate(path.read_text("utf-8").splitlines(), 1)
        if printing.search(text)
    ]
    assert found == []


# --- machine output, whatever the terminal's encoding --------------------------------------

NAMES = "Ærø Ǧ 東京 😀"


@pytest.fixture(scope="module")
def named_records(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("named") / "records"
    data.mkdir()
    (data / "named.yaml").write_text(
        f"name: {NAMES}\ncountry: DK\ncity: Ærøskøbing\nwebsite: https://a.example.org\n"
        "labels:\n  - level: bronze\n    assessed: 2025-01\n",
        "utf-8",
    )
    return data


def _stdout(*args: str, encoding: str) -> bytes:
    result = subprocess.run(
        [sys.executable, "-m", "generator", *args],
        capture_output=True,
        cwd=ROOT,
        env={**ENV, "PYTHONIOENCODING": encoding, "LC_ALL": "C", "PYTHONPATH": str(ROOT)},
        timeout=120,
        check=True,
    )
    return result.stdout


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_status_json_is_the_same_valid_json_whatever_the_terminal_encoding(named_records, encoding):
    args = ("status", str(named_records / "named.yaml"), "--json", *AS_OF)
    expected = _stdout(*args, encoding="utf-8")
    assert json.loads(expected.decode("utf-8"))["name"] == NAMES
    assert _stdout(*args, encoding=encoding) == expected


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_report_csv_keeps_every_name_whatever_the_terminal_encoding(named_records, encoding):
    args = ("report", "--data", str(named_records), "--format", "csv", "--months", "12", *AS_OF)
    expected = _stdout(*args, encoding="utf-8")
    assert f",{NAMES},".encode() in expected or f'"{NAMES}"'.encode() in expected
    assert _stdout(*args, encoding=encoding) == expected
