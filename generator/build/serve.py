"""The preview server: the site as `build` makes it, kept up to date when a record, a template
or mkdocs.yml changes, and pages that reload themselves when it was.

The preview is a real build (the same pages, cluster pages and search index as published) into a
folder of its own, served on the given address; after that, a change of records rewrites in
place only the files it changes (live.py), and the engine runs again only for a template,
mkdocs.yml or a page's shell. The watcher hears of changes from the operating system (inotify,
through watchfiles), so an idle preview costs nothing however many records there are. Each page
served gets a small script that asks for the preview's version every second and reloads the
page when it changed. Whatever a record, a template or the file system does meanwhile, the last
good version stays up and the error is printed in one line. The address is taken before the
first build; one Ctrl-C stops the preview at any moment; folders are answered as a static host
answers them (`/x` redirected to `/x/`); the scratch folder of a preview that was killed is
removed by the next one; an old site is removed on a thread of its own, never in the way.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import functools
import http.server
import ipaddress
import os
import queue
import re
import socket
import socketserver
import stat
import sys
import tempfile
import threading
import time
import traceback
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import watchfiles

from generator.build import signals
from generator.build.build import summary
from generator.build.live import LiveSite
from generator.build.progress import Progress
from generator.build.project import Project
from generator.build.publish import output_problem
from generator.build.writer import SCRATCH_PREFIX as WRITER_PREFIX
from generator.build.writer import remove_tree
from generator.core.errors import BuildFailed, BuildInterrupted, ClusterdirError, ValidationFailed
from generator.core.months import as_of_or_today
from generator.core.showing import shown
from generator.core.terminal import say

POLL_SECONDS = 1.0  # how often the watcher looks whether a watched folder came or went
SEARCH_TRAILS = "search follows a few seconds later"
SEARCH_READY = "Search is up to date"
KEEPING = "clusterdir: the preview keeps the last good version until this is fixed"
VERSION_PATH = "/.clusterdir-preview-version"
_RELOAD = (
    "<script>(function(){{var v={version};setInterval(function(){{fetch('{path}',"
    "{{cache:'no-store'}}).then(function(r){{return r.text();}}).then(function(t){{"
    "if(Number(t)!==v)location.reload();}}).catch(function(){{}});}},1000);}})();</script>"
)


# The preview's scratch folder in the temporary folder: made under the `new-` name, locked,
# then renamed, and locked for the life of the preview, so that the next preview can tell a
# folder that a killed one left behind (unlocked) from a live one's.
SCRATCH_PREFIX = "clusterdir-serve-"
_NEW_PREFIX = f"{SCRATCH_PREFIX}new-"
_NEW_GRACE_SECONDS = 60


@dataclass(slots=True)
class Preview:
    """A preview's inputs, the folder it builds into, and the version of what is there."""

    project: Project
    data_dir: Path
    as_of: dt.date | None  # None: today, read again at each change (a preview may pass midnight)
    strict: bool
    folder: Path
    site_url: str | None = None
    version: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    live: LiveSite | None = None
    failing: bool = False  # the last change left the last good version up
    whole_pending: bool = False  # a whole build failed: the next change builds everything

    def watched(self) -> list[Path]:
        """What a change to rebuilds the site: the records, the templates and mkdocs.yml."""
        return [self.data_dir, self.project.templates, self.project.config]

    def _bump(self) -> None:
        with self.lock:
            self.version += 1

    def _site(self) -> LiveSite:
        if self.live is None:
            scratch = self.folder.parent / f"{WRITER_PREFIX}live-{self.folder.name}"
            scratch.mkdir(parents=True, exist_ok=True)
            self.live = LiveSite(
                self.project,
                self.data_dir,
                self.strict,
                self.folder,
                scratch,
                self.site_url,
                changed=self._bump,
                indexed=lambda: say(SEARCH_READY, sys.stderr),
            )
        return self.live

    def rebuild(self, changes: set[Path] | None = None) -> bool:
        """Bring the site up to date with the changed files (None: anything may have changed,
        so everything is built again); on an error print it and keep the last good version.

        Ctrl-C stops it as a KeyboardInterrupt, also when it comes while the new version is put
        in place (it then stops the preview right after).
        """
        whole = self._whole(changes) or self.whole_pending
        try:
            done = self._rebuild(None if whole else changes)
        finally:
            signals.reopen()  # the build decided its swap; Ctrl-C stops the preview again
        self.whole_pending = whole and not done
        self.failing = not done
        return done

    def _whole(self, changes: set[Path] | None) -> bool:
        """Whether the changes need the whole site built again: anything but records."""
        if changes is None:
            return True
        records = self.data_dir.absolute()
        return not all(Path(path).absolute().is_relative_to(records) for path in changes)

    def _rebuild(self, changes: set[Path] | None) -> bool:
        progress = Progress(quiet=True)
        site = self._site()
        try:
            as_of = as_of_or_today(self.as_of)
            if self._whole(changes) or site.served is None:
                refused = output_problem(self.folder.absolute())
                if refused:
                    raise BuildFailed(refused)
                site.build(as_of, progress)
                self._bump()
                done = "built"
            else:
                update = site.update(as_of, progress, changes)
                if not (update.written or update.engine or self.failing):
                    return True  # nothing the site shows changed (an editor's own files)
                done = "built" if update.engine else f"{update.written:,} files rewritten"
        except BuildInterrupted:
            raise KeyboardInterrupt from None  # Ctrl-C stops the preview, not only this build
        except KeyboardInterrupt:
            raise
        except ValidationFailed as exc:
            for problem in exc.diagnostics:
                say(problem.format(), sys.stderr)
            return _keeping()
        except ClusterdirError as exc:
            # A template or mkdocs.yml being edited: say what is wrong and keep serving.
            return _keeping(f"clusterdir: error: {exc}")
        except OSError as exc:
            # A file or folder that changed while it was read (removed, replaced, locked).
            where = f"{shown(str(exc.filename), limit=1000)}: " if exc.filename else ""
            return _keeping(f"clusterdir: error: {where}{exc.strerror or exc}")
        except Exception as exc:  # a bug of ours: said as main says it, and the preview goes on
            if os.environ.get("CLUSTERDIR_DEBUG"):
                traceback.print_exc()
            return _keeping(
                f"clusterdir: internal error: {type(exc).__name__}: {exc} "
                "(set CLUSTERDIR_DEBUG=1 to see the traceback, and please report it)"
            )
        assert site.served is not None
        line = summary(site.served.generated, self.folder, as_of, progress)
        say(f"{line} ({done}; {SEARCH_TRAILS})" if done != "built" else line, sys.stderr)
        return True


def _keeping(message: str | None = None) -> bool:
    """Say what is wrong and that the last good version stays; False, for a failed rebuild."""
    if message:
        say(message, sys.stderr)
    say(KEEPING, sys.stderr)
    return False


class Watcher:
    """Hears of changes under the watched paths from the operating system (watchfiles), and
    looks once a second whether a watched folder or file came or went (a records folder moved
    away and back, mkdocs.yml replaced): each batch of changed paths goes into `changes`."""

    def __init__(self, paths: list[Path]) -> None:
        self.paths = paths
        self.changes: queue.Queue[set[Path]] = queue.Queue()
        self.stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        """Start watching, on a thread of its own."""
        self._thread.start()

    def close(self) -> None:
        """Stop watching."""
        self.stop.set()
        self._thread.join(timeout=10)

    def _states(self) -> dict[Path, tuple[int, int, int] | None]:
        """Each watched path's kind and, for a file, its time and inode: what polling sees."""
        found: dict[Path, tuple[int, int, int] | None] = {}
        for path in self.paths:
            try:
                info = os.stat(path)
            except OSError:
                found[path] = None
                continue
            folder = stat.S_ISDIR(info.st_mode)
            found[path] = (1, 0, 0) if folder else (0, info.st_mtime_ns, info.st_ino)
        return found

    def _run(self) -> None:
        signals.leave_to_main_thread()
        while not self.stop.is_set():
            states = self._states()
            folders = [p for p, state in states.items() if state and state[0] == 1]
            if not folders:
                if self.stop.wait(POLL_SECONDS) or self._states() == states:
                    continue
                self.changes.put(set(self.paths))
                continue
            try:
                for batch in watchfiles.watch(
                    *folders,
                    stop_event=self.stop,
                    rust_timeout=int(POLL_SECONDS * 1000),
                    yield_on_timeout=True,
                    raise_interrupt=False,
                ):
                    now = self._states()
                    if now != states:  # a watched path came, went or was replaced
                        self.changes.put({path for path in self.paths if now[path] != states[path]})
                        break
                    if batch:
                        self.changes.put({Path(path) for _, path in batch})
            except (OSError, RuntimeError):
                # A watched folder vanished while the watch began: look again in a moment.
                if self.stop.wait(POLL_SECONDS):
                    return
                self.changes.put(set(self.paths))


def _pending(changes: queue.Queue[set[Path]], first: set[Path]) -> set[Path]:
    """The first batch of changes with every batch that came since."""
    found = set(first)
    while True:
        try:
            found |= changes.get_nowait()
        except queue.Empty:
            return found


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the preview folder; HTML pages get the reload script, the version its number."""

    preview: Preview

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.path.split("?")[0] == VERSION_PATH:
            self._send(str(self.preview.version).encode(), "text/plain")
            return
        target = Path(self.translate_path(self.path))
        if target.is_dir():
            if not (target / "index.html").is_file():
                self.send_error(404, "File not found")  # a static host lists no folder
                return
            parts = urllib.parse.urlsplit(self.path)
            if not parts.path.endswith("/"):
                # As a static host does: /clusters/x to /clusters/x/, where relative links work.
                self._redirect(urllib.parse.urlunsplit(("", "", parts.path + "/", parts.query, "")))
                return
            target = target / "index.html"
        if target.suffix == ".html" and target.is_file():
            try:
                page = target.read_text("utf-8", "replace")
            except OSError:  # the version it belonged to was replaced meanwhile: ask again
                self.send_error(404, "File not found")
                return
            script = _RELOAD.format(version=self.preview.version, path=VERSION_PATH)
            self._send(page.replace("</body>", script + "</body>", 1).encode(), "text/html")
            return
        super().do_GET()

    def list_directory(self, path: str | os.PathLike[str]) -> None:
        """No folder listings (for HEAD requests): a static host answers 'not found'."""
        self.send_error(404, "File not found")

    def _redirect(self, location: str) -> None:
        self.send_response(301)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


class _Server(http.server.ThreadingHTTPServer):
    """The preview's server, bound before the first build."""

    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """A request that failed: a browser that went away, a page replaced while it was sent,
        said in one line (socketserver would print a traceback)."""
        error = sys.exc_info()[1]
        if isinstance(error, OSError):
            return  # the browser closed the connection, or asks again after its reload
        say(f"clusterdir: the preview could not answer a request: {error!r}", sys.stderr)

    def server_bind(self) -> None:
        # HTTPServer looks the host's name up (getfqdn), which can take a minute offline.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), self.server_address[1]


class _Server6(_Server):
    address_family = socket.AF_INET6


def dev_address(dev_addr: str) -> tuple[str, int]:
    """The host and port of --dev-addr (an IPv6 address in brackets: [::1]:8000); raise with
    what is wrong before anything is built."""
    host, _, port = dev_addr.rpartition(":")
    if not host:
        raise ClusterdirError(f"--dev-addr {dev_addr!r} is not HOST:PORT, such as 127.0.0.1:8000")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            raise ClusterdirError(
                f"--dev-addr {shown(dev_addr)}: {shown(host)} in brackets is not an IPv6 address"
            ) from None
    elif ":" in host:
        raise ClusterdirError(
            f"--dev-addr {shown(dev_addr)}: write an IPv6 address in brackets, such as [::1]:8000"
        )
    # ASCII digits only: int() would also take '٨٠٠٠'.
    if not re.fullmatch(r"[0-9]{1,5}", port) or int(port) > 65535:
        raise ClusterdirError(
            f"--dev-addr {shown(dev_addr)}: the port {shown(port)} is not a number from 0 to 65535"
        )
    return host, int(port)


def _bind(dev_addr: str, handler: Callable[..., http.server.BaseHTTPRequestHandler]) -> _Server:
    """A server listening on --dev-addr; raise when the address cannot be had."""
    host, port = dev_address(dev_addr)
    try:
        family, _, _, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        server_class = _Server6 if family == socket.AF_INET6 else _Server
        # An IPv4 or IPv6 socket address, as asked for (getaddrinfo's type also allows others).
        return server_class(cast(tuple[str, int], address), handler)
    except OSError as exc:
        raise ClusterdirError(
            f"cannot serve on {shown(dev_addr)[1:-1]}: {exc.strerror or exc}"
        ) from None
    except UnicodeError:
        # The IDNA codec refuses the name before any look-up: an empty part ('a..b', '.') or
        # one longer than DNS allows (it was an internal error).
        raise ClusterdirError(
            f"cannot serve on {shown(dev_addr)[1:-1]}: {shown(host)} is not a host name: each"
            " part between dots holds 1 to 63 characters"
        ) from None


def _owned_directory(path: Path) -> int | None:
    """An open handle on `path` if it is a folder (not a link) that this user owns, else None."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return None
    info = os.fstat(handle)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid():
        os.close(handle)
        return None
    return handle


def _clean_stale_scratch(parent: Path) -> None:
    """Remove the scratch folders of previews that were killed (SIGKILL) before they could:
    only folders this user owns, which no live preview holds locked."""
    try:
        names = sorted(n for n in os.listdir(parent) if n.startswith(SCRATCH_PREFIX))
    except OSError:
        return
    for name in names:
        folder = parent / name
        handle = _owned_directory(folder)
        if handle is None:
            continue  # another user's, or a link: not ours to touch
        try:
            young = time.time() - os.fstat(handle).st_mtime < _NEW_GRACE_SECONDS
            if name.startswith(_NEW_PREFIX) and young:
                continue  # locked a moment after it is made: a starting preview's
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            continue  # a live preview holds it
        else:
            remove_tree(folder)  # while holding its lock, so no other preview takes it meanwhile
        finally:
            os.close(handle)


@contextlib.contextmanager
def _scratch_folder() -> Iterator[Path]:
    """The preview's own locked scratch folder, removed afterwards; stale ones go first."""
    parent = Path(tempfile.gettempdir())
    _clean_stale_scratch(parent)
    try:
        fresh = Path(tempfile.mkdtemp(prefix=_NEW_PREFIX, dir=parent))
    except OSError as exc:
        raise ClusterdirError(
            f"cannot make a scratch folder in '{parent}': {exc.strerror}"
        ) from None
    handle = os.open(fresh, os.O_RDONLY | os.O_DIRECTORY)
    folder = fresh
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        final = parent / (SCRATCH_PREFIX + fresh.name[len(_NEW_PREFIX) :])
        fresh.rename(final)
        folder = final  # only now: a failed rename (a folder planted under that name) removes ours
        yield folder
    finally:
        remove_tree(folder)
        os.close(handle)


def _serve_in_background(server: _Server) -> None:
    def run() -> None:
        signals.leave_to_main_thread()  # a Ctrl-C must not land here while a site is swapped in
        server.serve_forever()

    threading.Thread(target=run, daemon=True).start()


def serve(
    project: Project,
    data_dir: Path,
    as_of: dt.date | None,
    strict: bool,
    dev_addr: str,
    site_url: str | None = None,
) -> int:
    """Serve a live preview until interrupted (exit 0); Ctrl-C during the first build exits 130."""
    dev_address(dev_addr)  # before anything else: a mistyped address is said at once
    with _scratch_folder() as scratch:
        # One level down: a build locks the folder its output lies in, and this one is locked.
        preview = Preview(project, data_dir, as_of, strict, scratch / "build" / "site", site_url)
        handler = functools.partial(
            type("Handler", (_Handler,), {"preview": preview}), directory=str(preview.folder)
        )
        server = _bind(dev_addr, handler)  # before the build: an address in use is said at once
        watcher = Watcher(preview.watched())
        started = False
        try:
            say("Building the preview…", sys.stderr)
            watcher.start()  # a change during the first build counts
            if not preview.rebuild():  # Ctrl-C here goes up to main: "interrupted", 130
                raise ClusterdirError("fix the records above, then start the preview again")
            try:  # from here on, Ctrl-C ends a preview that was served: exit 0
                _serve_in_background(server)
                started = True
                host = dev_addr.rpartition(":")[0]
                port = server.server_address[1]  # the one given, or the free one 0 asks for
                say(f"Previewing at http://{host}:{port}/ (Ctrl+C to stop)", sys.stderr)
                while True:
                    try:
                        first = watcher.changes.get(timeout=POLL_SECONDS)
                    except queue.Empty:
                        continue
                    preview.rebuild(_pending(watcher.changes, first))
            except KeyboardInterrupt:
                return 0
        finally:
            watcher.close()
            if started:
                server.shutdown()  # waits for serve_forever, which never returns if never run
            server.server_close()
