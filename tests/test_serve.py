"""The preview never dies and stops at once: `serve` keeps the last good version through every
error a template, a record or the file system raises, stops on one Ctrl-C (exit 130 when nothing
was previewed yet), checks --dev-addr before it builds, answers as a static host does, and
cleans up after a preview that was killed.

Previews run as child processes on a free port (`:0`), with their own temporary folder, and
every wait is for a state (a line printed, a child process running), never a fixed time.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import http.client
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import generator.build.build
from generator.build import signals
from generator.build.build import Project
from generator.build.serve import (
    KEEPING,
    Preview,
    Watcher,
    _clean_stale_scratch,
    _Handler,
    _Server,
)
from generator.cli import main
from tests.conftest import FIXTURES, ROOT, day
from tests.test_failures import _mkdocs_processes

AS_OF = ["--as-of", "2026-11-25"]
ENV = {
    **os.environ,
    "NO_MKDOCS_2_WARNING": "1",
    "DISABLE_MKDOCS_2_WARNING": "true",
    "PYTHONPATH": str(ROOT),  # this checkout's code, whatever the working folder
}
# A theme override that keeps MkDocs busy for hours: a build that is surely under way.
ENDLESS = "{% for i in range(10 ** 9) %}{% endfor %}"


def _until(condition, what: str, seconds: float = 120.0):
    """Wait for a state the system reaches; fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while not (found := condition()):
        assert time.monotonic() < deadline, f"waited {seconds:.0f} s for {what}"
        time.sleep(0.02)
    return found


def _records(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("norway-is-no.yaml", "every-field.yaml"):
        shutil.copy(FIXTURES / "good" / name, folder / name)
    return folder


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(ROOT / "site_templates", project / "site_templates")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    return project


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _mkdocs_under(marker: Path) -> list[int]:
    """Live MkDocs processes that work under `marker` (test_failures has the one finder)."""
    return _mkdocs_processes(str(marker))


def _break_override(project: Path, text: str) -> None:
    main_html = project / "site_templates" / "overrides" / "main.html"
    source = main_html.read_text()
    main_html.write_text(source.replace("{% block extrahead %}", "{% block extrahead %}" + text, 1))


class _Serve:
    """A `clusterdir serve` child process and the lines it printed."""

    def __init__(self, tmp_path: Path, data: Path, cwd: Path = ROOT, dev_addr: str = "127.0.0.1:0"):
        self.temp = tmp_path / "tmp"  # the preview's TMPDIR, where its scratch folder goes
        self.temp.mkdir(exist_ok=True)
        self.lines: list[str] = []
        command = [sys.executable, "-m", "generator", "serve", "--data", str(data), *AS_OF]
        self.process = subprocess.Popen(
            [*command, "--dev-addr", dev_addr],
            cwd=cwd,
            env={**ENV, "TMPDIR": str(self.temp)},
            stderr=subprocess.PIPE,
            text=True,
        )
        # Its lines are read as they come, so that every wait can have a deadline.
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self._queue.put(line)
        self._queue.put(None)

    def wait_for(self, start: str, seconds: float = 120.0) -> str:
        """The first line that starts with `start` (every line before it is kept)."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self._queue.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                break
            self.lines.append(line)
            if line.startswith(start):
                return line
        raise AssertionError(f"serve never printed {start!r}: {''.join(self.lines)}")

    def address(self) -> tuple[str, int]:
        """The host and port of the running preview, from its 'Previewing at' line."""
        url = self.wait_for("Previewing at").split()[2]
        host, _, port = url.removeprefix("http://").rstrip("/").rpartition(":")
        return host.strip("[]"), int(port)

    def stop(self, signum: int = signal.SIGINT) -> tuple[int, str]:
        """Send a signal; the exit status and everything printed after the lines read."""
        self.process.send_signal(signum)
        return self.ended()

    def ended(self) -> tuple[int, str]:
        """Wait for the end; the exit status and everything printed after the lines read."""
        code = self.process.wait(timeout=120)
        rest = []
        while (line := self._queue.get(timeout=60)) is not None:  # None: the stream ended
            rest.append(line)
        return code, "".join(rest)

    def scratch(self) -> list[str]:
        return sorted(p.name for p in self.temp.iterdir())

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=60)
        self._reader.join(timeout=60)


@contextlib.contextmanager
def _serving(*args, **kwargs) -> Iterator[_Serve]:
    preview = _Serve(*args, **kwargs)
    try:
        yield preview
    finally:
        preview.close()


# -- templates that fail while they render ------------------------------------------------

# (case, the template, the line put at its top, what the message says after "file:1: ")
# fmt: off
RENDER_ERRORS = [
    ("a division by zero", "pages/about.md.j2", "{{ 1 / 0 }}", "error in the template: division by zero (ZeroDivisionError)"),
    ("a string plus a number in an imported macro file", "pages/_macros.j2", '{{ "a" + 1 }}', 'error in the template: can only concatenate str (not "int") to str (TypeError)'),
    ("an undefined name", "pages/about.md.j2", "{{ no_such_name }}", "'no_such_name' is undefined"),
    # Cluster pages are rendered as they are written, on the thread that writes them.
    ("a division by zero in the cluster page", "pages/cluster.html.j2", "{{ 1 / 0 }}", "error in the template: division by zero (ZeroDivisionError)"),
]
# fmt: on


@pytest.mark.parametrize(
    ("case", "template", "line", "message"), RENDER_ERRORS, ids=[c for c, *_ in RENDER_ERRORS]
)
def test_a_template_that_fails_while_it_renders_is_named_with_its_line_in_build(
    tmp_path, monkeypatch, capsys, case, template, line, message
):
    project = _project(tmp_path)
    path = project / "site_templates" / template
    path.write_text(line + "\n" + path.read_text())
    monkeypatch.chdir(project)
    out = tmp_path / "site"
    assert main(["build", "--data", str(_records(tmp_path / "two")), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.splitlines()[-1] == f"clusterdir: error: {path}:1: {message}"
    assert "internal error" not in err and not out.exists()


def test_a_theme_override_that_fails_while_it_renders_is_named_with_its_line_in_build(
    tmp_path, monkeypatch, capsys
):
    project = _project(tmp_path)
    _break_override(project, "\n{{ 1 / 0 }}")
    monkeypatch.chdir(project)
    out = tmp_path / "site"
    assert main(["build", "--data", str(_records(tmp_path / "two")), "--out", str(out)]) == 1
    path = project / "site_templates" / "overrides" / "main.html"
    # The line after `{% block extrahead %}`, wherever the override has it.
    line = path.read_text().splitlines().index("{% block extrahead %}") + 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"clusterdir: error: {path}:{line}: error in the template: division by zero"
        " (ZeroDivisionError)"
    )


def _preview(tmp_path: Path) -> tuple[Preview, Path]:
    project = _project(tmp_path)
    preview = Preview(
        Project(project), _records(tmp_path / "two"), day("2026-11-25"), False, tmp_path / "out"
    )
    assert preview.rebuild() and preview.version == 1
    return preview, project


@pytest.mark.parametrize("line", ["{{ 1 / 0 }}", '{{ "a" + 1 }}'])
def test_the_preview_keeps_the_last_good_version_when_a_template_fails_while_it_renders(
    tmp_path, capsys, line
):
    preview, project = _preview(tmp_path)
    before = _tree(preview.folder)
    capsys.readouterr()
    path = project / "site_templates" / "pages" / "country.md.j2"
    path.write_text(line + "\n" + path.read_text())
    assert not preview.rebuild() and preview.version == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"clusterdir: error: {path}:1: error in the template: ")
    assert err[1:] == [KEEPING]
    assert _tree(preview.folder) == before


def test_the_preview_keeps_the_last_good_version_when_a_file_vanishes_while_it_is_read(
    tmp_path, capsys, monkeypatch
):
    preview, project = _preview(tmp_path)
    before = _tree(preview.folder)
    capsys.readouterr()
    gone = project / "site_templates" / "assets" / "gone.css"

    def vanished(*args, **kwargs):
        raise FileNotFoundError(2, "No such file or directory", str(gone))

    monkeypatch.setattr(generator.build.build, "static_files", vanished)
    assert not preview.rebuild() and preview.version == 1
    assert capsys.readouterr().err.splitlines() == [
        f"clusterdir: error: '{gone}': No such file or directory",
        KEEPING,
    ]
    assert _tree(preview.folder) == before
    monkeypatch.undo()
    assert preview.rebuild() and preview.version == 2  # the next change builds again


def test_the_preview_keeps_the_last_good_version_when_a_record_is_replaced_mid_read(
    tmp_path, capsys, monkeypatch
):
    import generator.records.catalog

    preview, _ = _preview(tmp_path)
    before = _tree(preview.folder)
    capsys.readouterr()
    real = generator.records.catalog.read_bytes

    def half_written(path, *args, **kwargs):
        return real(path, *args, **kwargs)[:40]  # what a reader sees of a file being rewritten

    monkeypatch.setattr(generator.records.catalog, "read_bytes", half_written)
    assert not preview.rebuild() and preview.version == 1
    err = capsys.readouterr().err.splitlines()
    assert err[-1] == KEEPING and all(": error: " in line for line in err[:-1]), err
    assert _tree(preview.folder) == before


def test_the_preview_says_an_internal_error_in_one_line_and_keeps_going(
    tmp_path, capsys, monkeypatch
):
    preview, _ = _preview(tmp_path)
    capsys.readouterr()

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(generator.build.build, "sitemap_files", broken)
    assert not preview.rebuild() and preview.version == 1
    assert capsys.readouterr().err.splitlines() == [
        "clusterdir: internal error: RuntimeError: a bug (set CLUSTERDIR_DEBUG=1 to see the"
        " traceback, and please report it)",
        KEEPING,
    ]


@contextlib.contextmanager
def _watching(*paths: Path) -> Iterator[Watcher]:
    watcher = Watcher(list(paths))
    watcher.start()
    try:
        yield watcher
    finally:
        watcher.close()


def _heard(watcher: Watcher) -> set[Path]:
    """The paths of the next batch of changes the watcher hears of."""
    return watcher.changes.get(timeout=60)


def _watched_now(watcher: Watcher, probe: Path) -> None:
    """Wait until the watcher hears changes: touch a file until it reports it."""
    while True:
        probe.write_text("probe")
        try:
            if probe in watcher.changes.get(timeout=0.5):
                break
        except queue.Empty:
            continue
    while not watcher.changes.empty():
        watcher.changes.get_nowait()


def test_a_file_replaced_by_one_of_the_same_time_and_size_is_a_change(tmp_path):
    record = tmp_path / "r.yaml"
    record.write_text("name: A\n")
    with _watching(tmp_path) as watcher:
        _watched_now(watcher, tmp_path / "probe.yaml")
        replacement = tmp_path / "new.tmp"
        replacement.write_text("name: B\n")
        stamp = os.stat(record)
        os.utime(replacement, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
        replacement.replace(record)
        heard: set[Path] = set()
        while record not in heard:
            heard |= _heard(watcher)


def test_a_change_deep_in_a_folder_is_heard_and_an_idle_watcher_hears_nothing(tmp_path):
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    with _watching(tmp_path, tmp_path / "mkdocs.yml") as watcher:
        _watched_now(watcher, tmp_path / "probe.yaml")
        (deep / "x.yaml").write_text("name: X\n")
        heard: set[Path] = set()
        while deep / "x.yaml" not in heard:
            heard |= _heard(watcher)
        while not watcher.changes.empty():
            watcher.changes.get_nowait()
        with pytest.raises(queue.Empty):
            watcher.changes.get(timeout=2.5)  # two looks at the watched paths: nothing


def test_a_watched_file_written_anew_is_heard(tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: A\n")
    folder = tmp_path / "records"
    folder.mkdir()
    with _watching(folder, config) as watcher:
        _watched_now(watcher, folder / "probe.yaml")
        replacement = tmp_path / "new.yml"
        replacement.write_text("site_name: B\n")
        replacement.replace(config)  # as editors save: a new file in its place
        heard: set[Path] = set()
        while config not in heard:
            heard |= _heard(watcher)


def test_a_records_folder_that_vanishes_and_returns_does_not_stop_the_preview(tmp_path):
    data = _records(tmp_path / "two")
    with _serving(tmp_path, data) as preview:
        preview.address()
        moved = tmp_path / "moved"
        data.rename(moved)
        assert (
            preview.wait_for("clusterdir: error: ")
            == f"clusterdir: error: no records folder at '{data}'\n"
        )
        assert preview.wait_for("clusterdir: the preview keeps") == KEEPING + "\n"
        moved.rename(data)
        preview.wait_for("Built ")
        code, rest = preview.stop()
        assert code == 0 and "Traceback" not in "".join(preview.lines) + rest


# -- Ctrl-C -------------------------------------------------------------------------------


def test_one_ctrl_c_stops_the_preview_during_a_rebuild(tmp_path):
    project = _project(tmp_path)
    with _serving(tmp_path, _records(tmp_path / "two"), cwd=project) as preview:
        preview.address()
        _break_override(project, ENDLESS)
        _until(lambda: _mkdocs_under(preview.temp), "the rebuild's MkDocs to start")
        code, rest = preview.stop()
        assert code == 0, rest
        assert "Traceback" not in rest and "keeps the last good version" not in rest
        assert preview.scratch() == [] and _mkdocs_under(preview.temp) == []


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_during_the_first_build_exits_130(tmp_path, signum):
    project = _project(tmp_path)
    _break_override(project, ENDLESS)
    with _serving(tmp_path, _records(tmp_path / "two"), cwd=project) as preview:
        _until(lambda: _mkdocs_under(preview.temp), "the first build's MkDocs to start")
        code, rest = preview.stop(signum)
        assert (code, rest.splitlines()[-1]) == (130, "clusterdir: interrupted"), rest
        assert preview.scratch() == [] and _mkdocs_under(preview.temp) == []


def test_a_ctrl_c_while_a_new_version_is_put_in_place_stops_the_preview_right_after():
    restore = signals.catch()
    try:
        signals.decided()  # the rebuild's swap: a signal now must not cut it in two
        os.kill(os.getpid(), signal.SIGINT)
        with pytest.raises(KeyboardInterrupt):
            signals.reopen()  # but it is not lost: the preview stops once the swap is done
        signals.reopen()  # and only once
    finally:
        restore()


# -- --dev-addr ---------------------------------------------------------------------------


@contextlib.contextmanager
def _taken_port() -> Iterator[int]:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        yield taken.getsockname()[1]


# (case, the address, the line serve prints)
# fmt: off
DEV_ADDRS = [
    ("a port out of range", "127.0.0.1:70000", "clusterdir: error: --dev-addr '127.0.0.1:70000': the port '70000' is not a number from 0 to 65535"),
    ("a port in Arabic-Indic digits", "127.0.0.1:٨٠٠٠", "clusterdir: error: --dev-addr '127.0.0.1:٨٠٠٠': the port '٨٠٠٠' is not a number from 0 to 65535"),
    ("no port", "localhost", "clusterdir: error: --dev-addr 'localhost' is not HOST:PORT, such as 127.0.0.1:8000"),
    ("an IPv6 address without brackets", "::1:8000", "clusterdir: error: --dev-addr '::1:8000': write an IPv6 address in brackets, such as [::1]:8000"),
    ("brackets around something else", "[local]:8000", "clusterdir: error: --dev-addr '[local]:8000': 'local' in brackets is not an IPv6 address"),
    ("a host that does not resolve", "no-such-host.invalid:8000", "clusterdir: error: cannot serve on no-such-host.invalid:8000: Name or service not known"),
    ("a host name with an empty part", "a..b:8000", "clusterdir: error: cannot serve on a..b:8000: 'a..b' is not a host name: each part between dots holds 1 to 63 characters"),
    ("a host name that is a dot", ".:0", "clusterdir: error: cannot serve on .:0: '.' is not a host name: each part between dots holds 1 to 63 characters"),
    ("a host name part over 63 characters", "ü" * 70 + ":0", f"clusterdir: error: cannot serve on {'ü' * 70}:0: '{'ü' * 70}' is not a host name: each part between dots holds 1 to 63 characters"),
]
# fmt: on


@pytest.mark.parametrize(("case", "address", "line"), DEV_ADDRS, ids=[c for c, *_ in DEV_ADDRS])
def test_a_bad_dev_addr_is_one_line_before_any_build(tmp_path, case, address, line):
    with _serving(tmp_path, _records(tmp_path / "two"), dev_addr=address) as preview:
        code, rest = preview.ended()
        if case == "a host that does not resolve" and "Temporary failure" in rest:
            line = line.replace("Name or service not known", "Temporary failure in name resolution")
        assert (code, rest) == (1, line + "\n")
        assert preview.scratch() == []


def test_an_address_in_use_is_one_line_before_any_build(tmp_path):
    with (
        _taken_port() as port,
        _serving(tmp_path, _records(tmp_path / "two"), dev_addr=f"127.0.0.1:{port}") as preview,
    ):
        code, rest = preview.ended()
        assert (code, rest) == (
            1,
            f"clusterdir: error: cannot serve on 127.0.0.1:{port}: Address already in use\n",
        )
        assert preview.scratch() == []


def _has_ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _has_ipv6_loopback(), reason="this machine has no IPv6 loopback")
def test_the_preview_serves_an_ipv6_address_in_brackets(tmp_path):
    with _serving(tmp_path, _records(tmp_path / "two"), dev_addr="[::1]:0") as preview:
        host, port = preview.address()
        assert host == "::1"
        connection = http.client.HTTPConnection("::1", port, timeout=30)
        connection.request("GET", "/clusters/norway-is-no/")
        assert connection.getresponse().status == 200
        assert preview.stop()[0] == 0


# -- answers as a static host's, and scratch folders ----------------------------------------


@pytest.fixture()
def static_preview(tmp_path: Path) -> Iterator[int]:
    """The preview's handler serving a small built folder on a free port."""
    site = tmp_path / "site"
    (site / "clusters" / "some-id").mkdir(parents=True)
    (site / "clusters" / "some-id" / "index.html").write_text("<html><body>page</body></html>")
    (site / "assets").mkdir()
    (site / "assets" / "a.css").write_text("a {}")
    preview = Preview(Project(ROOT), tmp_path, None, False, site)
    handler = functools.partial(
        type("Handler", (_Handler,), {"preview": preview}), directory=str(site)
    )
    server = _Server(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def _ask(port: int, method: str, path: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(method, path)
    return connection.getresponse()


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_a_folder_without_its_slash_is_redirected_as_a_static_host_does(static_preview, method):
    answer = _ask(static_preview, method, "/clusters/some-id?from=list")
    assert (answer.status, answer.getheader("Location")) == (301, "/clusters/some-id/?from=list")
    answer = _ask(static_preview, method, "/clusters/some-id/")
    assert answer.status == 200


@pytest.mark.parametrize("path", ["/assets", "/assets/", "/nothing"])
def test_a_folder_without_a_page_is_not_found_not_listed(static_preview, path):
    assert _ask(static_preview, "GET", path).status == 404


def test_a_page_replaced_while_it_is_read_is_not_found_without_a_traceback(
    static_preview, monkeypatch, capsys
):
    def replaced(self, *args, **kwargs):
        raise FileNotFoundError(2, "No such file or directory", str(self))

    monkeypatch.setattr(Path, "read_text", replaced)
    assert _ask(static_preview, "GET", "/clusters/some-id/").status == 404
    assert capsys.readouterr().err == ""


def test_a_request_that_fails_is_one_line_not_a_traceback(static_preview, monkeypatch, capsys):
    def broken(self, *args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(_Handler, "_send", broken)
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        _ask(static_preview, "GET", "/clusters/some-id/")
    seen: list[str] = []

    def printed() -> str:
        seen.append(capsys.readouterr().err)  # printed by the request's thread
        return "".join(seen)

    assert _until(printed, "the line about the request") == (
        "clusterdir: the preview could not answer a request: RuntimeError('a bug')\n"
    )


def test_a_killed_previews_scratch_folder_is_removed_by_the_next_preview(tmp_path):
    data = _records(tmp_path / "two")
    with _serving(tmp_path, data) as killed:
        killed.address()
        left = killed.scratch()
        killed.process.kill()  # SIGKILL: nothing of it can clean up
        killed.process.wait(timeout=60)
        assert len(left) == 1 and left[0].startswith("clusterdir-serve-")
        assert killed.scratch() == left
    with _serving(tmp_path, data) as next_one:
        next_one.address()
        assert left[0] not in next_one.scratch() and len(next_one.scratch()) == 1
        assert next_one.stop()[0] == 0
        assert next_one.scratch() == []


def test_only_our_own_unlocked_scratch_folders_are_removed(tmp_path):
    def folder(name: str, age: float = 0) -> Path:
        path = tmp_path / name
        path.mkdir()
        (path / "file").write_text("x")
        if age:
            os.utime(path, (time.time() - age, time.time() - age))
        return path

    dead = folder("clusterdir-serve-dead")
    old_new = folder("clusterdir-serve-new-old", age=120)
    young_new = folder("clusterdir-serve-new-young")
    live = folder("clusterdir-serve-live")
    elsewhere = folder("elsewhere")
    (tmp_path / "clusterdir-serve-link").symlink_to(elsewhere)
    others = folder("clusterdir-serve-other-user")
    if os.geteuid() == 0:
        os.chown(others, 65534, 65534)
    handle = os.open(live, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)  # a live preview holds its folder locked
        _clean_stale_scratch(tmp_path)
    finally:
        os.close(handle)
    assert not dead.exists() and not old_new.exists()
    assert young_new.exists() and live.exists() and (elsewhere / "file").exists()
    assert (tmp_path / "clusterdir-serve-link").is_symlink()
    assert others.exists() == (os.geteuid() == 0)  # as root, another user's folder stays
