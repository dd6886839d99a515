"""Reading records never hangs, never leaks: only regular files inside the records folder are read.

A FIFO or a device would block `check` or feed it endless bytes; a link to a credentials file
would print it into a public CI log. Each case is an error named with its path and found from the
file's metadata, and nothing that cannot be reached is skipped silently.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from generator.labels.rules import load_rules, load_sectors
from generator.records.catalog import load_catalog
from tests.conftest import FIXTURES, ROOT, day

RULES = load_rules()
GOOD = (FIXTURES / "good" / "norway-is-no.yaml").read_text()
SECRET = "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


def _check(folder: Path, *options: str) -> subprocess.CompletedProcess[str]:
    # A separate process with a time limit: a FIFO that blocks `check` must fail the test, not hang it.
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "check",
            str(folder),
            "--as-of",
            "2026-11-25",
            *options,
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    data = tmp_path / "clusters"
    data.mkdir()
    (data / "good-record.yaml").write_text(GOOD)
    return data


def test_a_fifo_is_an_error_and_is_never_opened(folder):
    os.mkfifo(folder / "waiting.yaml")
    result = _check(folder)
    assert result.returncode == 1
    assert (
        f"{folder}/waiting.yaml:1:1: error: a FIFO, not a regular file: not read" in result.stdout
    )


@pytest.mark.parametrize("target", ["/dev/zero", "/dev/null"])
def test_a_link_to_a_device_is_an_error_and_costs_nothing(folder, target):
    (folder / "endless.yaml").symlink_to(target)
    result = _check(folder)
    assert result.returncode == 1
    assert (
        f"{folder}/endless.yaml:1:1: error: a link to a file outside the records folder is not read"
        in result.stdout
    )


def test_a_link_to_a_device_inside_the_folder_is_an_error(folder):
    os.mkfifo(folder / ".pipe")
    (folder / "to-pipe.yaml").symlink_to(folder / ".pipe")
    result = _check(folder)
    assert (
        f"{folder}/to-pipe.yaml:1:1: error: a FIFO, not a regular file: not read" in result.stdout
    )


def test_a_link_outside_the_folder_is_refused_and_its_content_never_printed(tmp_path, folder):
    secret = tmp_path / "credentials"
    secret.write_text(SECRET + "\n")
    (folder / "leak.yaml").symlink_to(secret)
    result = _check(folder)
    assert result.returncode == 1
    assert (
        f"{folder}/leak.yaml:1:1: error: a link to a file outside the records folder is not read:"
        " copy the file into it instead" in result.stdout
    )
    assert "wJalrXUtnFEMI" not in result.stdout + result.stderr
    assert str(secret) not in result.stdout + result.stderr


def test_a_link_to_a_record_inside_the_folder_is_read(folder):
    (folder / "real").mkdir()
    (folder / "real" / "kept-record.yaml").write_text(
        GOOD.replace("Norsk", "Linked").replace("havklynge", "linked")
    )
    (folder / "linked-record.yaml").symlink_to(folder / "real" / "kept-record.yaml")
    catalog = load_catalog(folder, RULES, load_sectors(), day("2026-11-25"))
    assert sorted(c.id for c in catalog.clusters) == [
        "good-record",
        "kept-record",
        "linked-record",
    ]


def test_a_huge_file_is_refused_from_its_size_without_reading_it(folder):
    huge = folder / "huge.yaml"
    with huge.open("wb") as stream:  # 1 GB, sparse: it costs no disk and must cost no time
        stream.truncate(1 << 30)
    result = _check(folder)
    assert (
        f"{folder}/huge.yaml:1:1: error: the file is 1,073,741,824 bytes; a record must be under"
        " 262,144" in result.stdout
    )


def test_a_folder_that_cannot_be_listed_is_an_error(folder, monkeypatch, capsys):
    locked = folder / "locked"
    locked.mkdir()
    real_scandir = os.scandir

    def scandir(path):  # as root, permissions do not stop listing: refuse it here instead
        if str(path) == str(locked):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert main(["check", str(folder), "--as-of", "2026-11-25"]) == 1
    assert (
        f"{locked}:1:1: error: cannot read the folder: Permission denied" in capsys.readouterr().out
    )


def test_a_path_too_long_to_reach_is_an_error(folder):
    here = os.getcwd()
    try:
        # 25 folders of 200 characters: past PATH_MAX (4,096 bytes), made by changing folder
        # as a tool could; no path from the records folder can reach the record at the bottom.
        os.chdir(folder)
        for _ in range(25):
            os.mkdir("d" * 200)
            os.chdir("d" * 200)
        Path("lost.yaml").write_text(GOOD)
    finally:
        os.chdir(here)
    result = _check(folder)
    assert result.returncode == 1
    assert "error: cannot read the folder: File name too long" in result.stdout, result.stdout
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("name", ["other-spelling.yml", "capitals.YAML", "mixed.Yaml"])
def test_another_spelling_of_the_extension_is_a_warning_and_under_strict_an_error(folder, name):
    shutil.copy(folder / "good-record.yaml", folder / name)
    result = _check(folder)
    assert result.returncode == 0
    assert f"{folder}/{name}:1:1: warning: not read: record files end in '.yaml'" in result.stdout
    strict = _check(folder, "--strict")
    assert strict.returncode == 1
    assert f"{folder}/{name}:1:1: error: not read: record files end in '.yaml'" in strict.stdout


def test_a_link_to_a_folder_is_an_error_rather_than_a_silent_skip(tmp_path, folder):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (folder / "more").symlink_to(elsewhere)
    result = _check(folder)
    assert result.returncode == 1
    assert (
        f"{folder}/more:1:1: error: a link to a folder is not followed: move the records into the"
        " records folder" in result.stdout
    )


def test_status_of_a_fifo_is_one_line_and_does_not_block(tmp_path):
    fifo = tmp_path / "record.yaml"
    os.mkfifo(fifo)
    result = subprocess.run(
        [sys.executable, "-m", "generator", "status", str(fifo)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr == f"{fifo}:1:1: error: a FIFO, not a regular file: not read\n"


def test_a_folder_named_like_a_record_is_reported(folder):
    (folder / "odd.yaml").mkdir()
    result = _check(folder)
    assert result.returncode == 1
    assert f"{folder}/odd.yaml:1:1: error: a folder, not a record file: rename it" in result.stdout


def test_a_folder_swapped_for_a_link_after_the_checks_reads_nothing_outside(tmp_path):
    # The folder walk (or finish's check) saw a plain folder; by the time the file is opened,
    # a folder on the way leads elsewhere. The file opened is outside: nothing of it is read.
    from generator.records.reader import UnreadableFile, read_bytes

    folder, elsewhere = tmp_path / "site", tmp_path / "elsewhere"
    (folder / "clusters").mkdir(parents=True)
    elsewhere.mkdir()
    (elsewhere / "index.html").write_text("aws_secret_access_key = wJalrXUtnFEMI\n")
    (folder / "clusters").rmdir()
    (folder / "clusters").symlink_to(elsewhere)
    with pytest.raises(UnreadableFile) as caught:
        read_bytes(folder / "clusters" / "index.html", folder, where="the site")
    assert str(caught.value) == (
        "a link to a file outside the site is not read: copy the file into it instead"
    )


def test_a_file_named_outside_the_working_folder_is_still_read(tmp_path, monkeypatch):
    # `status /elsewhere/record.yaml` names the file itself: only a file named inside the
    # folder must stay inside it.
    from generator.records.reader import read_bytes

    record = tmp_path / "elsewhere" / "record.yaml"
    record.parent.mkdir()
    record.write_text("name: X\n")
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    assert read_bytes(record, Path.cwd(), where="the working folder") == b"name: X\n"


def test_a_records_folder_nested_deeper_than_python_recurses_is_one_run_not_an_internal_error(
    tmp_path, capsys
):
    # 1,200 folders, one inside the other: os.walk recursed once a level (RecursionError).
    folder = tmp_path / "records"
    folder.mkdir()
    shutil.copy(FIXTURES / "good" / "norway-is-no.yaml", folder / "norway-is-no.yaml")
    deep = str(folder)
    for _ in range(1200):  # a level at a time: Path.mkdir(parents=True) recurses too
        deep += "/a"
        os.mkdir(deep)
    shutil.copy(FIXTURES / "good" / "every-field.yaml", f"{deep}/every-field.yaml")
    try:
        assert main(["check", str(folder), "--as-of", "2026-11-25"]) == 0
        assert capsys.readouterr().out.splitlines()[-1] == "2 records, 0 errors, 0 warnings"
    finally:
        # pytest's own clean-up (shutil.rmtree) recurses once a level too: leave it nothing deep.
        from generator.build.writer import remove_tree

        remove_tree(folder)
