"""The `check` and `status` commands as an editor runs them: output lines, JSON keys, exit codes."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator import __version__ as VERSION
from generator.cli import main
from generator.core.months import as_of_or_today
from generator.labels.rules import load_rules, load_sectors
from tests.conftest import FIXTURES, ROOT

BRONZE = "name: Example Bronze\ncountry: AT\nwebsite: https://a.example.org\nlabels:\n  - level: bronze\n    assessed: 2024-03\n"
SILVER = (
    "name: Example Silver\ncountry: NO\nwebsite: https://b.example.org\nlabels:\n"
    "  - level: silver\n    assessed: 2023-06\n  - level: silver\n    assessed: 2025-09\n"
)


@pytest.fixture()
def bronze(tmp_path: Path) -> Path:
    path = tmp_path / "example-bronze.yaml"
    path.write_text(BRONZE)
    return path


@pytest.mark.parametrize(
    ("as_of", "line"),
    [
        ("2026-02-28", "BRONZE, valid until 28 February 2026"),
        (
            "2026-03-01",
            "No valid label: BRONZE ended 28 February 2026, renewable until 28 February 2027",
        ),
        ("2027-03-01", "No valid label: BRONZE ended 28 February 2026, expired"),
        ("2024-02-01", "No label yet"),
    ],
)
def test_status_prints_one_sentence(bronze, capsys, as_of, line):
    assert main(["status", str(bronze), "--as-of", as_of]) == 0
    assert capsys.readouterr().out == line + "\n"


@pytest.mark.parametrize(
    ("as_of", "label", "state", "valid_until"),
    [
        ("2026-02-28", "bronze", "valid", "2026-02-28"),
        ("2026-03-01", None, "renewal", "2026-02-28"),
        ("2027-03-01", None, "expired", "2026-02-28"),
        ("2024-02-01", None, "none", None),
    ],
)
def test_status_json_has_label_state_and_valid_until(
    bronze, capsys, as_of, label, state, valid_until
):
    assert main(["status", str(bronze), "--as-of", as_of, "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert (got["label"], got["state"], got["valid_until"]) == (label, state, valid_until)
    assert got["as_of"] == as_of


def test_status_of_the_issue_silver_example(tmp_path, capsys):
    path = tmp_path / "example-silver.yaml"
    path.write_text(SILVER)
    assert main(["status", str(path), "--as-of", "2025-10-01"]) == 0
    assert capsys.readouterr().out == "SILVER, valid until 31 May 2028\n"


def test_status_of_a_bad_record_names_the_line(tmp_path, capsys):
    path = tmp_path / "bad.yaml"
    path.write_text(BRONZE.replace("AT", "QQ"))
    assert main(["status", str(path)]) == 1
    assert f"{path}:2:10: error: unknown country code 'QQ'" in capsys.readouterr().err


def test_status_of_a_missing_file_is_one_line(capsys):
    assert main(["status", "no/such/file.yaml"]) == 1
    assert capsys.readouterr().err == "clusterdir: error: no record file at 'no/such/file.yaml'\n"


def test_check_passes_good_records(capsys):
    assert main(["check", str(FIXTURES / "good"), "--as-of", "2026-11-25"]) == 0
    assert capsys.readouterr().out == "5 records, 0 errors, 0 warnings\n"


def test_check_fails_on_errors_and_prints_each(capsys):
    assert main(["check", str(FIXTURES / "bad"), "--as-of", "2026-11-25"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1].endswith("errors, 0 warnings")
    assert all(": error: " in line for line in lines[:-1])


@pytest.mark.parametrize(("strict", "code"), [([], 0), (["--strict"], 1)])
def test_check_strict_turns_warnings_into_failure(capsys, strict, code):
    assert main(["check", str(FIXTURES / "warnings"), "--as-of", "2026-11-25", *strict]) == code


def test_check_of_a_missing_folder_is_one_line(capsys):
    assert main(["check", "no-such-folder"]) == 1
    assert capsys.readouterr().err == "clusterdir: error: no records folder at 'no-such-folder'\n"


def test_bad_as_of_is_a_usage_error(bronze, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["status", str(bronze), "--as-of", "2026-13-01"])
    assert exit_.value.code == 2
    assert "'2026-13-01' is not a real date" in capsys.readouterr().err


def test_module_and_console_script_run_without_traceback():
    result = subprocess.run(
        [sys.executable, "-m", "generator", "check", str(FIXTURES / "bad")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "unknown-country.yaml:2:10: error:" in result.stdout


def test_check_info_lists_records_the_map_cannot_place(tmp_path, capsys):
    (tmp_path / "no-place.yaml").write_text(
        BRONZE.replace("country: AT", "country: AT\ncity: Atlantis")
    )
    (tmp_path / "vienna.yaml").write_text(
        BRONZE.replace("Example Bronze", "Vienna")
        .replace("country: AT", "country: AT\ncity: Wien")
        .replace("a.example.org", "vienna.example.org")
        .replace("labels:", f"eccp: {ECCP}/vienna\nlabels:")
    )
    assert main(["check", str(tmp_path), "--info", "--as-of", "2026-11-25"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"{tmp_path}/no-place.yaml:1:1: info: not on the map: no coordinates, and city 'Atlantis' is not in"
        " the gazetteer; add coordinates: [lat, lon]",
        f"{tmp_path}/no-place.yaml:6:5: info: {NO_ECCP.format(level='BRONZE', month='2024-03')}",
        "2 records, 0 errors, 0 warnings, 1 without a map position, 1 without an ECCP profile",
    ]


ECCP = "https://clustercollaboration.eu/cluster-organisations"
NO_ECCP = (
    "no ECCP profile: the {level} award of {month} was made under the rule of 15 November 2019"
    " that labels go only to organisations listed on the European Cluster Collaboration"
    " Platform; add 'eccp' with the cluster's profile address if you know it"
)


def test_check_info_lists_labels_awarded_since_eccp_listing_without_a_profile(tmp_path, capsys):
    def record(name: str, awards: str, eccp: bool = False) -> None:
        text = (
            f"name: {name}\ncountry: AT\ncoordinates: [48.2, 16.4]\n"
            f"website: https://{name}.example.org\n"
            + (f"eccp: {ECCP}/{name}\n" if eccp else "")
            + "labels:\n"
            + "".join(
                f"  - level: {a.split()[0]}\n    assessed: {a.split()[1]}\n"
                for a in awards.split(",")
            )
        )
        (tmp_path / f"{name}.yaml").write_text(text)

    record("before-the-rule", "bronze 2019-10")  # assessed before November 2019: not listed
    record("in-the-month", "bronze 2019-11")  # may have been awarded after the 15th: listed
    record("old-and-new", "bronze 2018-03,bronze 2021-02,gold 2021-06")  # at its latest
    record("with-a-profile", "gold 2025-01", eccp=True)
    assert main(["check", str(tmp_path), "--info", "--as-of", "2026-11-25"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"{tmp_path}/in-the-month.yaml:6:5: info: {NO_ECCP.format(level='BRONZE', month='2019-11')}",
        f"{tmp_path}/old-and-new.yaml:10:5: info: {NO_ECCP.format(level='GOLD', month='2021-06')}",
        "4 records, 0 errors, 0 warnings, 0 without a map position, 2 without an ECCP profile",
    ]
    # Information, never a warning: a strict check passes, and without --info says nothing.
    assert main(["check", str(tmp_path), "--strict", "--as-of", "2026-11-25"]) == 0
    assert capsys.readouterr().out.splitlines() == ["4 records, 0 errors, 0 warnings"]


@pytest.fixture()
def package_with_broken_rules(tmp_path: Path) -> Path:
    """A copy of the package whose rules file ends in the middle of a list: the folder to run
    `python -m generator` in, which imports the copy."""
    shutil.copytree(
        ROOT / "generator", tmp_path / "generator", ignore=shutil.ignore_patterns("__pycache__")
    )
    with (tmp_path / "generator" / "data" / "rules.yaml").open("a") as rules:
        rules.write("levels: [\n")
    return tmp_path


def _run_in(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # The working folder comes first on `python -m`'s path: the copy there is what runs.
    env = {**os.environ, "PYTHONPATH": str(folder)}
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        capture_output=True,
        text=True,
        cwd=folder,
        env=env,
        check=False,
    )


def test_a_broken_rules_file_leaves_version_and_help_working(package_with_broken_rules):
    result = _run_in(package_with_broken_rules, "--version")
    assert (result.returncode, result.stdout, result.stderr) == (0, f"clusterdir {VERSION}\n", "")
    result = _run_in(package_with_broken_rules, "--help")
    assert result.returncode == 0 and "award" in result.stdout and result.stderr == ""
    # A command's help says why it cannot list the levels.
    result = _run_in(package_with_broken_rules, "award", "--help")
    assert result.returncode == 0 and result.stderr == ""
    assert "the levels cannot be listed" in " ".join(result.stdout.split())


@pytest.mark.parametrize(
    "args",
    [
        ["check"],
        ["build"],
        ["status", "record.yaml"],
        ["award", "record.yaml", "--level", "gold", "--assessed", "2026-01"],
        ["new", "--name", "Example", "--country", "AT"],
        ["report"],
        ["schema"],
    ],
)
def test_a_broken_rules_file_stops_every_other_command_in_one_line(package_with_broken_rules, args):
    (package_with_broken_rules / "record.yaml").write_text(BRONZE)
    result = _run_in(package_with_broken_rules, *args)
    rules = package_with_broken_rules / "generator" / "data" / "rules.yaml"
    lines = len(rules.read_text().splitlines())
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        f"clusterdir: error: {rules}:{lines + 1}:1: YAML syntax error:"
        " expected the node content, but found '<stream end>'\n"
    )


def test_the_rules_are_read_once():
    assert load_rules() is load_rules()
    assert load_sectors() is load_sectors()


def test_as_of_is_today_unless_given(bronze, capsys, monkeypatch):
    monkeypatch.setattr("generator.core.months.today", lambda: dt.date(2026, 2, 28))
    assert as_of_or_today(None) == dt.date(2026, 2, 28)
    assert as_of_or_today(dt.date(2027, 1, 1)) == dt.date(2027, 1, 1)
    assert main(["status", str(bronze), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["as_of"] == "2026-02-28"


@pytest.mark.parametrize(
    "args",
    [
        [str(FIXTURES / "good")],
        ["--data", str(FIXTURES / "good")],
        [str(FIXTURES / "good"), "--data", str(FIXTURES / "good") + "/"],
    ],
)
def test_check_takes_the_folder_as_dir_or_as_data(capsys, args):
    assert main(["check", *args, "--as-of", "2026-11-25"]) == 0
    assert capsys.readouterr().out == "5 records, 0 errors, 0 warnings\n"


def test_check_given_two_different_folders_is_one_line(capsys):
    assert main(["check", "clusters", "--data", "other"]) == 1
    assert capsys.readouterr() == (
        "",
        "clusterdir: error: 'clusters' and --data 'other' are two folders: give the records"
        " folder once\n",
    )
