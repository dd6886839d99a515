"""`clusterdir award`: one more award, every other byte of the file as it was, or nothing at all.

Each layout below is a record as an editor may write it, with the exact text `award` must leave:
the award inserted in the file's own style, nothing else touched. Layouts where no safe place
exists are refused, and the file stays byte for byte as it was. Two awards at the same moment
both land; a link stays a link.
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import ROOT

HEAD = "name: Layout Cluster\ncountry: AT\nwebsite: https://layout.example.org\n"
AWARD = ["--level", "bronze", "--assessed", "2026-06", "--as-of", "2026-07-01"]

# (case, the file before, the file after `award --level bronze --assessed 2026-06`)
# fmt: off
LAYOUTS = [
    ("block list, labels last",
     HEAD + "labels:\n  - level: bronze\n    assessed: 2025-01\n",
     HEAD + "labels:\n  - level: bronze\n    assessed: 2025-01\n  - level: bronze\n    assessed: 2026-06\n"),
    ("flush-left list and a document start",
     "---\n" + HEAD + "labels:\n- level: bronze\n  assessed: 2025-01\n",
     "---\n" + HEAD + "labels:\n- level: bronze\n  assessed: 2025-01\n- level: bronze\n  assessed: 2026-06\n"),
    ("wide indentation, a comment at the end of the file",
     HEAD + "labels:\n    -   level: bronze\n        assessed: 2025-01\n# the end\n",
     HEAD + "labels:\n    -   level: bronze\n        assessed: 2025-01\n    -   level: bronze\n        assessed: 2026-06\n# the end\n"),
    ("no final line break",
     HEAD + "labels:\n  - level: bronze\n    assessed: 2025-01",
     HEAD + "labels:\n  - level: bronze\n    assessed: 2025-01\n  - level: bronze\n    assessed: 2026-06\n"),
    ("labels before other keys, with comments",
     "name: Labels First\nlabels:\n  - level: bronze\n    assessed: 2025-01  # first\n    # renewal due in 2027\n\ncountry: AT  # seat\nwebsite: https://l.example.org\n",
     "name: Labels First\nlabels:\n  - level: bronze\n    assessed: 2025-01  # first\n    # renewal due in 2027\n  - level: bronze\n    assessed: 2026-06\n\ncountry: AT  # seat\nwebsite: https://l.example.org\n"),
    ("CRLF line endings stay CRLF",
     (HEAD + "labels:\n  - level: bronze\n    assessed: 2025-01\n").replace("\n", "\r\n"),
     (HEAD + "labels:\n  - level: bronze\n    assessed: 2025-01\n  - level: bronze\n    assessed: 2026-06\n").replace("\n", "\r\n")),
    ("flow list: values stay as written (+12, 012_3, timestamps, quotes)",
     "name: Flow\ncountry: AT\nwebsite: https://f.example.org\nacronym: 012_3\ncoordinates: [+12, 012.5]\ndescription: 'Seen 2001-12-14t21:59:43.10-05:00'\nlabels: [{level: bronze, assessed: 2025-01}]  # kept\n",
     "name: Flow\ncountry: AT\nwebsite: https://f.example.org\nacronym: 012_3\ncoordinates: [+12, 012.5]\ndescription: 'Seen 2001-12-14t21:59:43.10-05:00'\nlabels: [{level: bronze, assessed: 2025-01}, {level: bronze, assessed: 2026-06}]  # kept\n"),
    ("flow list over several lines",
     HEAD + "labels: [\n  {level: bronze, assessed: 2024-01},\n  {level: bronze, assessed: 2025-01}\n]\n",
     HEAD + "labels: [\n  {level: bronze, assessed: 2024-01},\n  {level: bronze, assessed: 2025-01}, {level: bronze, assessed: 2026-06}\n]\n"),
    ("block list of flow mappings",
     HEAD + "labels:\n  - {level: bronze, assessed: 2025-01}\n",
     HEAD + "labels:\n  - {level: bronze, assessed: 2025-01}\n  - {level: bronze, assessed: 2026-06}\n"),
    ("lone CR line endings stay CR",
     (HEAD + "labels:\n  - level: bronze\n    assessed: 2025-01\n").replace("\n", "\r"),
     (HEAD + "labels:\n  - level: bronze\n    assessed: 2025-01\n  - level: bronze\n    assessed: 2026-06\n").replace("\n", "\r")),
    ("a byte-order mark stays",
     "\ufeff" + HEAD + "labels:\n  - level: bronze\n    assessed: 2025-01\n",
     "\ufeff" + HEAD + "labels:\n  - level: bronze\n    assessed: 2025-01\n  - level: bronze\n    assessed: 2026-06\n"),
    ("a whole record in one flow mapping",
     "{name: One Line, country: AT, website: 'https://o.example.org', labels: [{level: bronze, assessed: 2025-01}]}\n",
     "{name: One Line, country: AT, website: 'https://o.example.org', labels: [{level: bronze, assessed: 2025-01}, {level: bronze, assessed: 2026-06}]}\n"),
    ("an empty labels list in brackets",
     HEAD + "labels: []\n",
     HEAD + "labels: [{level: bronze, assessed: 2026-06}]\n"),
]
# fmt: on


@pytest.mark.parametrize(("case", "before", "after"), LAYOUTS, ids=[c for c, _, _ in LAYOUTS])
def test_award_inserts_in_the_files_own_style_and_changes_nothing_else(
    tmp_path, capsys, case, before, after
):
    path = tmp_path / "record.yaml"
    path.write_bytes(before.encode("utf-8"))
    assert main(["award", str(path), *AWARD]) == 0, capsys.readouterr().err
    assert path.read_bytes().decode("utf-8") == after
    assert capsys.readouterr().out.startswith(f"{path}: BRONZE, valid until ")


# (case, the file, what the refusal says)
REFUSED = [
    (
        "labels is not a list",
        HEAD + "labels: bronze\n",
        "has errors; fix them first",
    ),
    (
        "labels given as null",
        HEAD + "labels: ~\n",
        "has errors; fix them first",
    ),
    (
        "the award is there already",
        HEAD + "labels:\n  - level: bronze\n    assessed: 2026-06\n",
        "the award would make",
    ),
    (
        "an award whose dash stands on a line of its own",
        HEAD + "labels:\n  -\n    level: bronze\n    assessed: 2025-01\n",
        "cannot add the award to",
    ),
]


@pytest.mark.parametrize(("case", "text", "message"), REFUSED, ids=[c for c, _, _ in REFUSED])
def test_award_refuses_what_it_cannot_do_safely_and_leaves_the_file_alone(
    tmp_path, capsys, case, text, message
):
    path = tmp_path / "record.yaml"
    path.write_text(text)
    code = main(["award", str(path), *AWARD])
    err = capsys.readouterr().err
    assert code == 1 and message in err and err.count("\n") == 1, err
    assert "nothing was written" in err or "fix them first" in err
    assert path.read_text() == text


def test_new_then_award_gives_a_record_its_first_award(tmp_path, capsys):
    data = tmp_path / "clusters"
    assert (
        main(
            [
                "new",
                "--name",
                "First Award Cluster",
                "--country",
                "SE",
                "--website",
                "https://first.example.org",
                "--data",
                str(data),
            ]
        )
        == 0
    )
    path = data / "se" / "first-award-cluster.yaml"
    before = path.read_text()
    assert main(["check", str(data)]) == 1  # not finished: no award yet
    assert main(["award", str(path), *AWARD]) == 0, capsys.readouterr().err
    after = path.read_text()
    assert after.startswith(before.split("labels:")[0])  # nothing above labels changed
    assert "  - level: bronze\n    assessed: 2026-06\n" in after
    assert main(["check", str(data), "--as-of", "2026-07-01"]) == 0


def test_award_through_a_link_changes_the_record_where_it_lives(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # links are followed within the folder the editor works in
    real = tmp_path / "real" / "record.yaml"
    real.parent.mkdir()
    real.write_text(LAYOUTS[0][1])
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    assert main(["award", str(link), *AWARD]) == 0
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text() == LAYOUTS[0][2]


def test_award_refuses_a_read_only_record(tmp_path, capsys):
    path = tmp_path / "record.yaml"
    path.write_text(LAYOUTS[0][1])
    path.chmod(0o444)
    assert main(["award", str(path), *AWARD]) == 1
    assert (
        capsys.readouterr().err
        == f"clusterdir: error: '{path}' is read-only: nothing was written\n"
    )
    assert path.read_text() == LAYOUTS[0][1]


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("fifo", "is not a regular file: nothing was written"),
        (
            "device link",
            "is a link to a file outside the working folder: nothing was read or written",
        ),
    ],
)
def test_award_refuses_what_is_not_a_regular_file(tmp_path, capsys, kind, message):
    path = tmp_path / "record.yaml"
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/null")
    assert main(["award", str(path), *AWARD]) == 1
    assert message in capsys.readouterr().err
    assert path.is_fifo() if kind == "fifo" else path.is_symlink()


@pytest.mark.parametrize("command", [["status"], ["award", *AWARD]])
def test_a_link_to_a_secret_outside_the_working_folder_is_never_quoted(
    tmp_path, monkeypatch, capsys, command
):
    secret = tmp_path / "outside" / ".netrc"
    secret.parent.mkdir()
    secret.write_text("machine github.com login bob password hunter2-SECRET\n")
    work = tmp_path / "work"
    work.mkdir()
    (work / "record.yaml").symlink_to(secret)
    monkeypatch.chdir(work)
    assert main([command[0], "record.yaml", *command[1:]]) == 1
    out, err = capsys.readouterr()
    assert "hunter2" not in out + err and "github" not in out + err
    assert "outside the working folder" in out + err


def test_award_refuses_a_record_with_other_names(tmp_path, capsys):
    path = tmp_path / "record.yaml"
    path.write_text(LAYOUTS[0][1])
    os.link(path, tmp_path / "other-name.yaml")
    assert main(["award", str(path), *AWARD]) == 1
    assert "has other names (hard links)" in capsys.readouterr().err
    assert path.read_text() == LAYOUTS[0][1] and path.stat().st_nlink == 2


def test_award_keeps_a_byte_order_mark_within_the_size_limit(tmp_path, capsys):
    from generator.records.reader import MAX_BYTES

    path = tmp_path / "record.yaml"
    body = LAYOUTS[0][1].encode()
    # Valid as it is (the mark included); one award more passes the limit.
    filler = MAX_BYTES - 3 - len(body) - 20
    path.write_bytes(b"\xef\xbb\xbf#" + b"x" * (filler - 2) + b"\n" + body)
    assert main(["check", str(tmp_path)]) == 0
    original = path.read_bytes()
    assert main(["award", str(path), *AWARD]) == 1
    assert "a record must be under" in capsys.readouterr().err
    assert path.read_bytes() == original


def test_award_with_a_very_long_file_name_writes_within_the_name_limit(tmp_path):
    path = tmp_path / ("a" * 250 + ".yaml")  # 255 bytes: the usual limit for one name
    path.write_text(LAYOUTS[0][1])
    assert main(["award", str(path), *AWARD]) == 0
    assert path.read_text() == LAYOUTS[0][2]
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]  # no temporary file left


GOLD, SOMEDAY = ("--level", "gold", "--assessed"), ("--as-of", "2026-07-01")


def _award(path: Path, month: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "award", str(path), *GOLD, month, *SOMEDAY],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def test_twenty_pairs_of_simultaneous_awards_lose_nothing(tmp_path):
    # Each pair: two processes add different awards to one record at the same moment. Both must
    # land, or one must refuse; never may both report success while one award is lost.
    for pair in range(20):
        path = tmp_path / f"record-{pair}.yaml"
        path.write_text(LAYOUTS[0][1])
        with ThreadPoolExecutor(2) as pool:
            results = list(pool.map(_award, [path, path], ["2026-01", "2026-05"]))
        text = path.read_text()
        for result, month in zip(results, ["2026-01", "2026-05"], strict=True):
            landed = f"assessed: {month}" in text
            assert landed == (result.returncode == 0), (pair, result.stderr, text)
            assert "Traceback" not in result.stderr
        assert text.startswith(LAYOUTS[0][1])
        assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def _new_without_award(data: Path, *website: str) -> Path:
    command = ["new", "--name", "Example Filled", "--country", "SE", *website, "--data", str(data)]
    assert main(command) == 0
    return data / "se" / "example-filled.yaml"


def test_the_first_award_takes_the_place_of_the_example_that_new_wrote(tmp_path, capsys):
    path = _new_without_award(tmp_path / "clusters", "--website", "https://filled.example.org")
    before = path.read_text()
    assert "labels:  # fill in, for example:\n  # - level: bronze\n" in before
    assert main(["award", str(path), *AWARD]) == 0, capsys.readouterr().err
    assert path.read_text() == (
        before.split("labels:")[0] + "labels:\n  - level: bronze\n    assessed: 2026-06\n"
    )


def test_an_example_the_editor_changed_stays(tmp_path, capsys):
    path = _new_without_award(tmp_path / "clusters", "--website", "https://filled.example.org")
    edited = path.read_text().replace("#   assessed: 2026-01", "#   assessed: 2026-01  # ask Eva")
    path.write_text(edited)
    assert main(["award", str(path), *AWARD]) == 0, capsys.readouterr().err
    assert path.read_text() == edited + "  - level: bronze\n    assessed: 2026-06\n"


def test_an_award_after_the_as_of_date_warns_that_the_status_shown_ignores_it(tmp_path, capsys):
    record = tmp_path / "record.yaml"
    record.write_text(HEAD + "labels:\n  - level: bronze\n    assessed: 2025-01\n")
    later = ["--level", "bronze", "--assessed", "2026-09", "--as-of", "2026-07-01"]
    assert main(["award", str(record), *later]) == 0
    out, err = capsys.readouterr()
    assert err == (
        f"{record}:7:5: warning: assessed 2026-09 is after the as-of date 2026-07-01: the status"
        " shown below ignores this award, and check --strict refuses the record until 2026-09\n"
    )  # in place of the check's own 'later than the build date', which says less
    assert out == f"{record}: BRONZE, valid until 31 December 2026\n"  # the first award alone


def test_an_award_up_to_the_as_of_month_draws_no_such_warning(tmp_path, capsys):
    record = tmp_path / "record.yaml"
    record.write_text(HEAD + "labels:\n  - level: bronze\n    assessed: 2025-01\n")
    assert main(["award", str(record), *AWARD]) == 0  # assessed 2026-06, as of 2026-07-01
    assert capsys.readouterr().err == ""
