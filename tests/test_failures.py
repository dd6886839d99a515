"""Every failure is one clear line, and nothing is lost or left behind: a full disk, a read-only
file, odd output paths, a terminal that is not UTF-8, week dates, Ctrl-C and SIGKILL at several
moments of a build, two builds at once.

The disk-full cases use a real 8 MB tmpfs where the machine lets us mount one (as CI's does);
elsewhere the same cases run with a file-size limit, which makes the same writes fail.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.build.build import Project, build
from generator.build.progress import Progress
from generator.cli import main
from generator.core.errors import BuildInterrupted
from tests.conftest import FIXTURES, ROOT, day

AS_OF = ["--as-of", "2026-11-25"]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def _cli(*args: str, **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=kwargs.pop("env", ENV),
        timeout=300,
        check=False,
        **kwargs,
    )


def _two_records(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("norway-is-no.yaml", "every-field.yaml"):
        shutil.copy(FIXTURES / "good" / name, folder / name)
    return folder


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _until(condition, what: str, seconds: float = 60.0):
    """Wait for a state the system reaches (a process started, a process gone); fail after
    `seconds`. Polling a state, not sleeping a fixed time: a busy machine only waits longer."""
    deadline = time.monotonic() + seconds
    while not (found := condition()):
        assert time.monotonic() < deadline, f"waited {seconds:.0f} s for {what}"
        time.sleep(0.02)
    return found


def _scratch_left(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".clusterdir-"))


def _mkdocs_processes(marker: str) -> list[int]:
    """Live MkDocs processes that work under `marker` (where a build's scratch folder lies):
    their command line names it, or they hold a folder under it open (a build gives MkDocs its
    scratch folder as /proc/self/fd/N)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = (entry / "stat").read_text().split(") ", 1)[1][0]
        except OSError:
            continue
        if (
            "mkdocs" in command
            and state != "Z"
            and (marker in command or _holds_folder_under(entry, marker))
        ):
            found.append(int(entry.name))
    return found


def _holds_folder_under(process: Path, marker: str) -> bool:
    """Whether a process (its /proc entry) has a file or folder under `marker` open."""
    try:
        handles = list((process / "fd").iterdir())
    except OSError:
        return False
    for handle in handles:
        try:
            if os.readlink(handle).startswith(marker):
                return True
        except OSError:
            continue
    return False


def _mount_tmpfs(where: Path, megabytes: int) -> bool:
    where.mkdir(parents=True, exist_ok=True)
    command = ["mount", "-t", "tmpfs", "-o", f"size={megabytes}m", "tmpfs", str(where)]
    return subprocess.run(command, capture_output=True, check=False).returncode == 0


@contextlib.contextmanager
def small_disk(where: Path, megabytes: int, monkeypatch) -> Iterator[dict[str, object]]:
    """A folder on a disk that fills up, and the options to run a command against it.

    A real tmpfs of the given size where mount works (CI runs as root). Elsewhere, child
    processes get a file-size limit that makes their larger writes fail, and in this process
    every fsync reports a full disk, which is where a full disk shows on a network file system.
    """
    if _mount_tmpfs(where, megabytes):
        try:
            yield {}
        finally:
            subprocess.run(["umount", "-l", str(where)], check=False)
        return

    def full(handle: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))

    monkeypatch.setattr(os, "fsync", full)
    yield {"preexec_fn": limit, "fill": False}


def test_a_full_disk_fails_the_build_in_one_line_and_keeps_the_old_site(tmp_path, monkeypatch):
    disk = tmp_path / "disk"
    # Room for two records' site in the shipped mkdocs.yml's six languages (each language has
    # a copy of the theme's 2.5 MB of assets), not for the sample's.
    with small_disk(disk, 40, monkeypatch) as run:
        run.pop("fill", None)
        out = disk / "site"
        first = _cli(
            "build",
            "--data",
            str(_two_records(tmp_path / "two")),
            "--out",
            str(out),
            *AS_OF,
            "--quiet",
        )
        assert first.returncode == 0, first.stderr
        before = _tree(out)
        result = _cli("build", "--out", str(out), *AS_OF, "--quiet", **run)
        assert result.returncode == 1
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("clusterdir: error: "), result.stderr
        assert "No space left on device" in lines[0] or "File too large" in lines[0]
        assert "internal error" not in result.stderr and "Traceback" not in result.stderr
        assert _tree(out) == before
        assert _scratch_left(disk) == []


def _fill(folder: Path) -> None:
    """Fill the disk under a folder to the last byte."""
    with (folder / "filler").open("wb", buffering=0) as stream:
        for size in (65536, 1):
            with contextlib.suppress(OSError):
                while True:
                    stream.write(b"\0" * size)


def test_a_full_disk_leaves_a_record_as_it_was_when_an_award_cannot_be_written(
    tmp_path, monkeypatch, capsys
):
    disk = tmp_path / "disk"
    with small_disk(disk, 1, monkeypatch) as run:
        record = disk / "record.yaml"
        record.write_text((FIXTURES / "good" / "norway-is-no.yaml").read_text())
        original = record.read_bytes()
        if run.get("fill", True):
            _fill(disk)
        assert main(["award", str(record), "--level", "silver", "--assessed", "2026-06"]) == 1
        assert capsys.readouterr().err == (
            f"clusterdir: error: cannot write '{record}': No space left on device; nothing was"
            " written\n"
        )
        assert record.read_bytes() == original
        # no temporary file left beside the record
        assert {p.name for p in disk.iterdir()} - {"filler"} == {"record.yaml"}


def test_a_full_disk_during_an_import_names_every_row_not_written(tmp_path, monkeypatch, capsys):
    disk = tmp_path / "disk"
    with small_disk(disk, 1, monkeypatch) as run:
        data = disk / "clusters"
        for country in ("lv", "fr", "pl"):
            (data / country).mkdir(parents=True)
        if run.get("fill", True):
            _fill(disk)
        source = FIXTURES / "import" / "old-list.csv"
        assert main(["import-csv", str(source), "--data", str(data)]) == 1
        out, err = capsys.readouterr()
        assert out.splitlines()[-1] == "11 rows: wrote 0 records, skipped 11 rows"
        skipped = [line for line in err.splitlines() if line.startswith("skipped")]
        assert len(skipped) == 11
        assert sum("No space left on device" in line for line in skipped) == 3
        assert sorted(p.name for p in data.rglob("*") if p.is_file()) == []


def _build_until(out: Path, stage: str) -> tuple[subprocess.Popen[str], list[str]]:
    """Start a build of the sample records into `out`; return once it announces `stage`
    (with the lines it printed), its error stream still open."""
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "--out", str(out), *AS_OF],
        cwd=ROOT,
        env=ENV,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    seen = []
    for line in process.stderr:
        seen.append(line)
        if line.startswith(stage):
            return process, seen
    raise AssertionError(f"the build never announced {stage!r}: {''.join(seen)}")


@pytest.mark.parametrize(
    "moment", ["Checking the records", "Writing pages", "Building the site with MkDocs"]
)
def test_ctrl_c_at_any_moment_leaves_the_old_site_and_nothing_else(tmp_path, moment):
    out = tmp_path / "site"
    assert (
        _cli(
            "build",
            "--data",
            str(_two_records(tmp_path / "two")),
            "--out",
            str(out),
            *AS_OF,
            "--quiet",
        ).returncode
        == 0
    )
    before = _tree(out)
    process, seen = _build_until(out, moment)
    if moment.startswith("Building"):  # MkDocs must be running: it must stop with us
        _until(lambda: _mkdocs_processes(str(tmp_path)), "MkDocs to start")
    process.send_signal(signal.SIGINT)
    rest = process.stderr.read()
    code = process.wait(timeout=120)
    assert code == 130, "".join(seen) + rest
    assert (
        rest.strip().splitlines()[-1]
        == f"clusterdir: interrupted: nothing was built, {out} is as it was"
    )
    assert "Traceback" not in rest
    assert _tree(out) == before
    assert _scratch_left(tmp_path) == []
    assert _mkdocs_processes(str(tmp_path)) == []


def test_sigterm_stops_a_build_like_ctrl_c(tmp_path):
    out = tmp_path / "site"
    process, _ = _build_until(out, "Building the site with MkDocs")
    process.terminate()
    rest = process.stderr.read()
    assert process.wait(timeout=120) == 130
    assert "interrupted: nothing was built" in rest and "Traceback" not in rest
    assert not out.exists() and _scratch_left(tmp_path) == []
    assert _mkdocs_processes(str(tmp_path)) == []


def test_a_killed_build_leaves_no_mkdocs_behind_and_the_next_build_cleans_up(tmp_path):
    out = tmp_path / "site"
    process, _ = _build_until(out, "Building the site with MkDocs")
    _until(lambda: _mkdocs_processes(str(tmp_path)), "MkDocs to start")
    process.kill()  # SIGKILL: no handler runs, nothing is cleaned up by the build itself
    process.wait(timeout=60)
    # The kernel stops the orphan (PR_SET_PDEATHSIG); it is gone once it has been reaped.
    _until(lambda: not _mkdocs_processes(str(tmp_path)), "the orphaned MkDocs to stop", 10)
    left = _scratch_left(tmp_path)
    assert len(left) == 1  # what a killed build leaves: one scratch folder, which git ignores
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", f"site/{left[0]}/tree/mkdocs.yml"], cwd=ROOT, check=False
    )
    assert ignored.returncode == 0
    assert _cli("build", "--out", str(out), *AS_OF, "--quiet").returncode == 0
    assert _scratch_left(tmp_path) == []  # the next build removed it


def test_an_interrupt_after_the_swap_says_the_new_site_is_in_place(tmp_path, monkeypatch, capsys):
    import generator.build.build as build_module

    real_swap = build_module.swap_in

    def swap_then_interrupt(*args):  # a Ctrl-C held during the swap arrives right after it
        real_swap(*args)
        raise KeyboardInterrupt

    monkeypatch.setattr(build_module, "swap_in", swap_then_interrupt)
    out = tmp_path / "site"
    with pytest.raises(BuildInterrupted) as caught:
        build(
            Project(ROOT),
            _two_records(tmp_path / "two"),
            out,
            day("2026-11-25"),
            False,
            Progress(quiet=True),
        )
    assert caught.value.replaced and (out / "index.html").is_file()
    assert _scratch_left(tmp_path) == []
    assert (
        main(["build", "--data", str(tmp_path / "two"), "--out", str(out), *AS_OF, "--quiet"]) == 0
    )
    assert (
        capsys.readouterr().err
        == f"clusterdir: interrupted after the new site was put in place in {out}\n"
    )


def test_two_builds_at_once_both_finish_and_leave_one_whole_site(tmp_path):
    out = tmp_path / "site"
    data = _two_records(tmp_path / "two")
    command = [
        sys.executable,
        "-m",
        "generator",
        "build",
        "--data",
        str(data),
        "--out",
        str(out),
        *AS_OF,
        "--quiet",
        "--site-url",  # so that a quiet build has nothing to say
        "https://example.org/",
    ]
    runs = [
        subprocess.Popen(command, cwd=ROOT, env=ENV, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    results = [(run.wait(timeout=300), run.stderr.read()) for run in runs]
    assert results == [(0, ""), (0, "")]
    assert (out / "index.html").is_file() and (out / ".clusterdir-site").is_file()
    assert _scratch_left(tmp_path) == []


def test_an_empty_records_folder_never_replaces_the_site(tmp_path):
    out = tmp_path / "site"
    assert (
        _cli(
            "build",
            "--data",
            str(_two_records(tmp_path / "two")),
            "--out",
            str(out),
            *AS_OF,
            "--quiet",
        ).returncode
        == 0
    )
    before = _tree(out)
    (tmp_path / "empty").mkdir()
    result = _cli("build", "--data", str(tmp_path / "empty"), "--out", str(out), *AS_OF)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        f"clusterdir: error: no record files under '{tmp_path / 'empty'}': nothing was built"
    )
    assert _tree(out) == before


# (case, arguments, the one line it prints; {tmp} is the test's folder)
ODD_PATHS = [
    (
        "build --out a file",
        ["build", "--out", "{tmp}/a-file"],
        "clusterdir: error: '{tmp}/a-file' is not a folder: give a folder for the site",
    ),
    (
        "build --out inside the templates",
        ["build", "--out", str(ROOT / "site_templates" / "site")],
        f"clusterdir: error: refusing to build into '{ROOT}/site_templates/site': it lies inside the site templates",
    ),
    (
        "build --out inside the records",
        ["build", "--data", "{tmp}/two", "--out", "{tmp}/two/site"],
        "clusterdir: error: refusing to build into '{tmp}/two/site': it lies inside the records",
    ),
    (
        "generate --out a file",
        ["generate", "--out", "{tmp}/a-file"],
        "clusterdir: error: '{tmp}/a-file' is not a folder: generate writes into a new or empty folder",
    ),
    (
        "schema --out a folder",
        ["schema", "--out", "{tmp}"],
        "clusterdir: error: '{tmp}' is a folder: give a file name; nothing was written",
    ),
    (
        "schema --out a FIFO",
        ["schema", "--out", "{tmp}/fifo"],
        "clusterdir: error: '{tmp}/fifo' is not a regular file: nothing was written",
    ),
    (
        "schema --out a link to /dev/null",
        ["schema", "--out", "{tmp}/null"],
        "clusterdir: error: '{tmp}/null' is not a regular file: nothing was written",
    ),
    (
        "schema --out /dev/null",
        ["schema", "--out", "/dev/null"],
        "clusterdir: error: '/dev/null' is not a regular file: nothing was written",
    ),
    (
        "schema --out a read-only file",
        ["schema", "--out", "{tmp}/read-only.json"],
        "clusterdir: error: '{tmp}/read-only.json' is read-only: nothing was written",
    ),
    (
        "new --data a file",
        ["new", "--name", "X Cluster", "--country", "AT", "--data", "{tmp}/a-file"],
        "clusterdir: error: '{tmp}/a-file' is not a folder: give the records folder with --data",
    ),
    (
        "status --as-of a week date",
        ["status", "{tmp}/two/norway-is-no.yaml", "--as-of", "2026-W01-1"],
        "clusterdir: error: argument --as-of: '2026-W01-1' is not a date: write it as YYYY-MM-DD (see clusterdir status --help)",
    ),
    (
        "check --as-of a compact date",
        ["check", "{tmp}/two", "--as-of", "20260101"],
        "clusterdir: error: argument --as-of: '20260101' is not a date: write it as YYYY-MM-DD (see clusterdir check --help)",
    ),
    (
        "build --as-of before 1990",
        ["build", "--as-of", "1989-12-31"],
        "clusterdir: error: argument --as-of: '1989-12-31' is too early: the labels began in the 2000s (see clusterdir build --help)",
    ),
    (
        "report --as-of after 2199",
        ["report", "--as-of", "2200-01-01"],
        "clusterdir: error: argument --as-of: '2200-01-01' is too far in the future: check the year (see clusterdir report --help)",
    ),
    (
        "report --months negative",
        ["report", "--months", "-1"],
        "clusterdir: error: argument --months: '-1' is not a number of months from 0 to 120 (see clusterdir report --help)",
    ),
    (
        "report --months huge",
        ["report", "--months", "99999999999999999999"],
        "clusterdir: error: argument --months: '99999999999999999999' is not a number of months from 0 to 120 (see clusterdir report --help)",
    ),
    (
        "award onto a missing file",
        ["award", "{tmp}/missing.yaml", "--level", "gold", "--assessed", "2026-01"],
        "clusterdir: error: no record file at '{tmp}/missing.yaml'",
    ),
    (
        "import-csv of a FIFO",
        ["import-csv", "{tmp}/fifo"],
        "clusterdir: error: {tmp}/fifo: a FIFO, not a regular file: not read",
    ),
]


@pytest.mark.parametrize(("case", "args", "line"), ODD_PATHS, ids=[c for c, _, _ in ODD_PATHS])
def test_odd_paths_and_dates_are_one_clear_line(tmp_path, case, args, line):
    _two_records(tmp_path / "two")
    (tmp_path / "a-file").write_text("not a folder\n")
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "null").symlink_to("/dev/null")
    (tmp_path / "read-only.json").write_text("{}\n")
    (tmp_path / "read-only.json").chmod(0o444)
    result = _cli(*[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert result.returncode in (1, 2)
    assert result.stderr.splitlines()[-1] == line.replace("{tmp}", str(tmp_path))
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert Path("/dev/null").is_char_device() and (tmp_path / "fifo").is_fifo()
    assert (tmp_path / "null").is_symlink() and (tmp_path / "read-only.json").read_text() == "{}\n"


def test_build_into_a_mount_point_is_refused(tmp_path, monkeypatch, capsys):
    out = tmp_path / "mounted"
    out.mkdir()
    monkeypatch.setattr(os.path, "ismount", lambda path: Path(path) == out)
    assert (
        main(["build", "--data", str(_two_records(tmp_path / "two")), "--out", str(out), *AS_OF])
        == 1
    )
    assert capsys.readouterr().err == (
        f"clusterdir: error: '{out}' is a mount point, which cannot be replaced: build into a"
        " folder inside it\n"
    )


def test_schema_out_through_a_link_writes_the_file_it_leads_to(tmp_path):
    real = tmp_path / "real.json"
    real.write_text("old\n")
    (tmp_path / "link.json").symlink_to(real)
    assert main(["schema", "--out", str(tmp_path / "link.json")]) == 0
    assert (tmp_path / "link.json").is_symlink()
    assert real.read_text() == (ROOT / "schema" / "cluster.schema.json").read_text()


def test_a_terminal_that_is_not_utf8_gets_escapes_not_an_internal_error(tmp_path):
    folder = tmp_path / "records"
    folder.mkdir()
    (folder / "lodz.yaml").write_text(
        "name: Klaster Łódź\ncountry: PL\ncity: Łódź\nwebsite: https://łódź.example.org\n"
        "labels:\n  - level: platinum\n    assessed: 2024-03\n"
    )
    env = {**ENV, "PYTHONIOENCODING": "ascii", "LC_ALL": "C"}
    check = _cli("check", str(folder), *AS_OF, env=env)
    assert check.returncode == 1 and "internal error" not in check.stderr
    assert "unknown level 'platinum'" in check.stdout
    (folder / "lodz.yaml").write_text(
        (folder / "lodz.yaml").read_text().replace("platinum", "bronze")
    )
    status = _cli("status", str(folder / "lodz.yaml"), "--json", *AS_OF, env=env)
    assert status.returncode == 0  # data is UTF-8 whatever the terminal: the name stays whole
    assert json.loads(status.stdout)["name"] == "Klaster Łódź"
    new = _cli("new", "--name", "Złoty Klaster", "--country", "PL", "--data", str(folder), env=env)
    assert new.returncode == 0 and "internal error" not in new.stderr


@pytest.mark.parametrize("broken", ["a template", "mkdocs.yml"])
def test_the_preview_keeps_the_last_good_tree_when_a_file_is_not_utf8(tmp_path, capsys, broken):
    from generator.build.serve import Preview

    project = tmp_path / "project"
    shutil.copytree(ROOT / "site_templates", project / "site_templates")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    data = _two_records(tmp_path / "two")
    site = tmp_path / "preview"
    preview = Preview(Project(project), data, day("2026-11-25"), False, site)
    assert preview.rebuild() and preview.version == 1
    before = _tree(site)
    capsys.readouterr()
    target = project / (
        "site_templates/pages/country.md.j2" if broken == "a template" else "mkdocs.yml"
    )
    target.write_bytes(target.read_bytes() + b"\n\xff\xfe broken\n")
    assert not preview.rebuild() and preview.version == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"clusterdir: error: {target}:") and "byte 0xff is not UTF-8" in err[0]
    assert err[-1] == "clusterdir: the preview keeps the last good version until this is fixed"
    assert _tree(site) == before


def test_the_preview_serves_the_built_site_and_reloads_after_a_change(tmp_path):
    import urllib.request

    data = _two_records(tmp_path / "two")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "generator",
            "serve",
            "--data",
            str(data),
            *AS_OF,
            "--dev-addr",
            "127.0.0.1:0",  # a free port: two test runs at once never collide
        ],
        cwd=ROOT,
        env=ENV,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        for line in process.stderr:
            if line.startswith("Previewing at"):
                break
        base = line.split()[2]  # http://127.0.0.1:<the port it was given>/
        page = urllib.request.urlopen(base + "clusters/norway-is-no/").read().decode()
        assert "<h1>" in page and ".clusterdir-preview-version" in page  # a cluster page, live
        version = urllib.request.urlopen(base + ".clusterdir-preview-version").read()
        record = data / "norway-is-no.yaml"
        record.write_text(record.read_text().replace("name: Norsk Havklynge", "name: Norsk NEW", 1))
        _until(
            lambda: urllib.request.urlopen(base + ".clusterdir-preview-version").read() != version,
            "the preview to rebuild",
        )
        assert "NEW" in urllib.request.urlopen(base + "clusters/norway-is-no/").read().decode()
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=60) == 0


def _catches(pid: int, signum: int) -> bool:
    """Whether a process has installed its own handler for a signal (/proc's SigCgt mask)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    mask = int(
        next(line.split()[1] for line in status.splitlines() if line.startswith("SigCgt")), 16
    )
    return bool(mask >> (signum - 1) & 1)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_while_the_program_starts_is_one_line_and_130(signum):
    # The signal is sent as soon as the program handles SIGTERM, its first step: it is then
    # still importing MkDocs, folium and ICU, before any work.
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "check", str(FIXTURES / "good")],
        cwd=ROOT,
        env=ENV,
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    _until(lambda: _catches(process.pid, signal.SIGTERM), "the program to start")
    process.send_signal(signum)
    _, err = process.communicate(timeout=60)
    assert (process.returncode, err) == (130, "clusterdir: interrupted\n")


def test_a_signal_after_the_result_is_in_place_changes_nothing(tmp_path, monkeypatch, capsys):
    # The command decided its outcome (the award is written); a Ctrl-C that arrives while it
    # prints the new status must neither kill it nor make it report failure.
    import generator.commands as commands

    path = tmp_path / "record.yaml"
    path.write_text(
        "name: Late\ncountry: AT\nwebsite: https://late.example.org\nlabels:\n  - level: bronze\n    assessed: 2025-01\n"
    )
    real = commands.describe

    def describe_then_ctrl_c(*args):
        os.kill(os.getpid(), signal.SIGINT)
        return real(*args)

    monkeypatch.setattr(commands, "describe", describe_then_ctrl_c)
    assert main(["award", str(path), "--level", "bronze", "--assessed", "2026-01"]) == 0
    assert "assessed: 2026-01" in path.read_text()
    assert capsys.readouterr().out.startswith(f"{path}: BRONZE")


def test_ctrl_c_during_an_import_reports_every_row_not_written(tmp_path, monkeypatch, capsys):
    import generator.commands as commands

    real, calls = commands.write_text_file, []

    def write_then_ctrl_c(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(commands, "write_text_file", write_then_ctrl_c)
    data = tmp_path / "clusters"
    code = main(["import-csv", str(FIXTURES / "import" / "old-list.csv"), "--data", str(data)])
    out, err = capsys.readouterr()
    assert code == 130
    assert out.splitlines()[-1] == "11 rows: wrote 1 record, skipped 10 rows"
    assert err.count("not written: interrupted") == 2
    assert err.splitlines()[-1].startswith("clusterdir: interrupted")


def test_a_build_killed_between_its_two_renames_loses_no_site(tmp_path):
    # Where folders cannot be exchanged in one step, the old site waits in the scratch folder
    # between the two renames; the next build puts it back if a SIGKILL came just then.
    from generator.build.publish import PREVIOUS, TARGET

    out = tmp_path / "site"
    assert (
        _cli(
            "build",
            "--data",
            str(_two_records(tmp_path / "two")),
            "--out",
            str(out),
            *AS_OF,
            "--quiet",
        ).returncode
        == 0
    )
    before = _tree(out)
    stale = tmp_path / ".clusterdir-build-killed"
    stale.mkdir()
    (stale / TARGET).write_text(str(out))
    out.rename(stale / PREVIOUS)  # the state a SIGKILL between the renames leaves
    from generator.build.publish import _clean_stale_scratch

    warnings: list[str] = []
    _clean_stale_scratch(out, warnings.append)
    assert _tree(out) == before and not stale.exists() and warnings == []


def test_a_swap_exchanges_the_folders_in_one_step(tmp_path):
    from generator.build.publish import _exchange

    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    (first / "one").write_text("1")
    (second / "two").write_text("2")
    assert _exchange(first, second)  # Linux file systems (ext4, tmpfs, xfs, btrfs) can
    assert (first / "two").exists() and (second / "one").exists()


def test_generate_refuses_to_write_into_the_records_or_the_templates(tmp_path, capsys):
    data = _two_records(tmp_path / "two")
    assert main(["generate", "--data", str(data), "--out", str(data / "tree")]) == 1
    assert "it lies inside the records" in capsys.readouterr().err
    assert not (data / "tree").exists()


def test_new_on_a_full_disk_leaves_no_empty_folder_behind(tmp_path, monkeypatch, capsys):
    def full(handle):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    data = tmp_path / "records"
    code = main(["new", "--name", "Full Disk Cluster", "--country", "DE", "--data", str(data)])
    assert code == 1 and "No space left on device; nothing was written" in capsys.readouterr().err
    assert not data.exists()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("NEL\x85Name", "'name' holds the control character \\x85: remove it"),
        ("LS\u2028Name", "'name' holds the control character \\u2028: remove it"),
        ("Bad\ufffeName", "'name' holds the control character \\ufffe: remove it"),
        ("\u202eretsulC", "'name' holds the bidi control U+202E RIGHT-TO-LEFT OVERRIDE"),
    ],
)
def test_new_refuses_text_it_could_not_write_as_given(tmp_path, capsys, name, message):
    data = tmp_path / "records"
    assert main(["new", "--name", name, "--country", "DE", "--data", str(data)]) == 1
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert not data.exists()


def test_text_options_from_a_terminal_that_is_not_utf8_are_refused(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "new",
            "--name",
            os.fsdecode(b"Caf\xe9 Cluster"),
            "--country",
            "DE",
            "--data",
            str(tmp_path / "r"),
        ],
        cwd=ROOT,
        env={**ENV, "LC_ALL": "C.UTF-8"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert (
        result.stderr
        == "clusterdir: error: --name is not UTF-8 text: set the terminal to UTF-8; nothing was done\n"
    )


def test_a_scratch_folder_with_an_odd_name_is_left_alone_without_error(tmp_path):
    (tmp_path / ".clusterdir-build-99999999999-x").mkdir()
    out = tmp_path / "site"
    result = _cli(
        "build", "--data", str(_two_records(tmp_path / "two")), "--out", str(out), *AS_OF, "--quiet"
    )
    assert result.returncode == 0 and "internal error" not in result.stderr


def _ctrl_c_right_after(monkeypatch, name: str, times: int = 1) -> None:
    """Have os.<name> (the rename or link that puts a file in place) send this process a
    Ctrl-C just after it did its work, as a person's Ctrl-C may land."""
    real, calls = getattr(os, name), []

    def then_ctrl_c(*args, **kwargs):
        result = real(*args, **kwargs)
        calls.append(1)
        if len(calls) <= times:
            os.kill(os.getpid(), signal.SIGINT)
        return result

    monkeypatch.setattr(os, name, then_ctrl_c)


def test_ctrl_c_right_after_award_replaced_the_record_says_it_was_added(
    tmp_path, monkeypatch, capsys
):
    # It said "interrupted" with exit 130 while the award was written: run again, it was
    # added twice.
    path = tmp_path / "record.yaml"
    path.write_text(
        "name: Late\ncountry: AT\nwebsite: https://late.example.org\nlabels:\n  - level: bronze\n    assessed: 2025-01\n"
    )
    _ctrl_c_right_after(monkeypatch, "replace")
    code = main(["award", str(path), "--level", "bronze", "--assessed", "2026-01", *AS_OF])
    monkeypatch.undo()
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert path.read_text().count("assessed: 2026-01") == 1
    assert out.startswith(f"{path}: BRONZE")


def test_ctrl_c_right_after_new_wrote_the_record_says_it_was_written(tmp_path, monkeypatch, capsys):
    data = tmp_path / "clusters"
    _ctrl_c_right_after(monkeypatch, "link")
    code = main(["new", "--name", "Late Cluster", "--country", "AT", "--data", str(data)])
    monkeypatch.undo()
    out, _ = capsys.readouterr()
    assert code == 0
    assert out == f"{data}/at/late-cluster.yaml\n"
    assert (data / "at" / "late-cluster.yaml").is_file()


def test_ctrl_c_right_after_an_import_wrote_a_row_counts_it_and_stops_before_the_next(
    tmp_path, monkeypatch, capsys
):
    data = tmp_path / "clusters"
    _ctrl_c_right_after(monkeypatch, "link")
    code = main(["import-csv", str(FIXTURES / "import" / "old-list.csv"), "--data", str(data)])
    monkeypatch.undo()
    out, err = capsys.readouterr()
    assert code == 130
    assert out.splitlines()[-1] == "11 rows: wrote 1 record, skipped 10 rows"
    assert len(list(data.rglob("*.yaml"))) == 1
    assert err.count("not written: interrupted") == 2
    assert err.splitlines()[-1].startswith("clusterdir: interrupted")


def test_a_ctrl_c_during_the_swap_waits_for_it_even_when_another_thread_receives_it(
    tmp_path, monkeypatch, capsys
):
    # A terminal's Ctrl-C goes to the whole process; with the swap's thread blocking it, the
    # system hands it to another thread (numpy and folium start some), and Python then
    # interrupted the swap anyway: "nothing was built, ... is as it was", exit 130, with the
    # new site in place.
    import threading

    import generator.build.publish as publish

    records, out = _two_records(tmp_path / "two"), tmp_path / "site"
    build_args = ["build", "--data", str(records), "--out", str(out), "--quiet"]
    assert main([*build_args, "--as-of", "2026-11-24"]) == 0
    real = publish._exchange

    def exchange_then_ctrl_c(first: Path, second: Path) -> bool:
        done = real(first, second)
        os.kill(os.getpid(), signal.SIGINT)  # to the process, as a terminal sends it
        return done

    monkeypatch.setattr(publish, "_exchange", exchange_then_ctrl_c)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)  # a thread that does not block signals
    other.start()
    try:
        code = main([*build_args, *AS_OF])
    finally:
        stop.set()
        other.join()
    err = capsys.readouterr().err.splitlines()
    # A quiet build says only that the site's address is not set (no --site-url here).
    assert (code, [line for line in err if "site's address" not in line]) == (0, [])
    assert "2026-11-25" in (out / "index.html").read_text()
    assert _scratch_left(tmp_path) == []


def test_ctrl_c_while_generate_writes_says_the_tree_is_incomplete(tmp_path, monkeypatch, capsys):
    import generator.commands as commands
    from generator.build.writer import write_tree

    def write_some_then_ctrl_c(root: Path, files) -> int:
        write_tree(root, list(files)[:3])
        raise KeyboardInterrupt

    monkeypatch.setattr(commands, "write_tree", write_some_then_ctrl_c)
    out = tmp_path / "tree"
    code = main(["generate", "--data", str(_two_records(tmp_path / "two")), "--out", str(out)])
    assert code == 130
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"clusterdir: interrupted: the tree in {out}/ is incomplete"
    )


def test_a_second_ctrl_c_waits_for_the_filler_before_the_scratch_folder_goes(
    tmp_path, monkeypatch, capsys
):
    # Ctrl-C twice: the second one came while the build waited for the thread that fills the
    # languages, which went on writing while the scratch folder was removed ("cannot use a
    # scratch folder ...: Directory not empty", exit 1, the scratch folder left behind).
    import threading

    import generator.build.build as building

    filling, release, ended = threading.Event(), threading.Event(), threading.Event()
    fill = building._fill

    def slow_fill(*args):
        filling.set()
        release.wait(60)
        try:
            return fill(*args)
        finally:
            ended.set()

    def ctrl_c_twice() -> None:
        filling.wait(120)
        os.kill(os.getpid(), signal.SIGINT)  # while English is filled
        time.sleep(0.3)
        os.kill(os.getpid(), signal.SIGINT)  # while the build waits for the filler
        time.sleep(0.3)
        release.set()

    monkeypatch.setattr(building, "_fill", slow_fill)
    threading.Thread(target=ctrl_c_twice, daemon=True).start()
    out = tmp_path / "site"
    records = _two_records(tmp_path / "two")
    code = main(["build", "--data", str(records), "--out", str(out), *AS_OF, "--quiet"])
    assert ended.is_set()  # the filler had ended when the build did
    assert code == 130
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"clusterdir: interrupted: nothing was built, {out} is as it was"
    )
    assert _scratch_left(tmp_path) == [] and not out.exists()
