"""The preview server: the site as `build` makes it, rebuilt when a record, a template or
mkdocs.yml changes, and pages that reload themselves when it was.

The preview is a real build (the same pages, cluster pages and search index as published) into a
folder of its own, served on the given address. Each page served gets a small script that asks
for the preview's version every second and reloads the page when it changed. While a record or
a template has an error, the last good version stays up and the error is printed.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from generator.build import signals
from generator.build.build import build
from generator.core.errors import ClusterdirError, ValidationFailed
from generator.core.months import as_of_or_today
from generator.build.progress import Progress
from generator.build.project import Project
from generator.core.terminal import say
from generator.build.writer import remove_tree

POLL_SECONDS = 1.0
KEEPING = "clusterdir: the preview keeps the last good version until this is fixed"
VERSION_PATH = "/.clusterdir-preview-version"
_RELOAD = (
    "<script>(function(){{var v={version};setInterval(function(){{fetch('{path}',"
    "{{cache:'no-store'}}).then(function(r){{return r.text();}}).then(function(t){{"
    "if(Number(t)!==v)location.reload();}}).catch(function(){{}});}},1000);}})();</script>"
)


def _snapshot(paths: list[Path]) -> dict[str, float]:
    """Modification times of every file under the watched paths."""
    seen: dict[str, float] = {}
    for root in paths:
        files = [root] if root.is_file() else (p for p in root.rglob("*") if p.is_file())
        for path in files:
            try:
                seen[str(path)] = path.stat().st_mtime
            except OSError:
                continue
    return seen


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

    def watched(self) -> list[Path]:
        """What a change to rebuilds the site: the records, the templates and mkdocs.yml."""
        return [self.data_dir, self.project.templates, self.project.config]

    def rebuild(self) -> bool:
        """Build the site again; on an error print it and keep the last good version."""
        try:
            return self._rebuild()
        finally:
            signals.reopen()  # the build decided its swap; Ctrl-C stops the preview again

    def _rebuild(self) -> bool:
        try:
            summary = build(
                self.project,
                self.data_dir,
                self.folder,
                as_of_or_today(self.as_of),
                self.strict,
                Progress(quiet=True),
                self.site_url,
                publishing=False,  # a preview needs no address
            )
        except ValidationFailed as exc:
            for problem in exc.diagnostics:
                say(problem.format(), sys.stderr)
            say(KEEPING, sys.stderr)
            return False
        except ClusterdirError as exc:
            # A template or mkdocs.yml being edited: say what is wrong and keep serving.
            say(f"clusterdir: error: {exc}", sys.stderr)
            say(KEEPING, sys.stderr)
            return False
        with self.lock:
            self.version += 1
        say(summary, sys.stderr)
        return True


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
            target = target / "index.html"
        if target.suffix == ".html" and target.is_file():
            page = target.read_text("utf-8", "replace")
            script = _RELOAD.format(version=self.preview.version, path=VERSION_PATH)
            self._send(page.replace("</body>", script + "</body>", 1).encode(), "text/html")
            return
        super().do_GET()

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


def serve(
    project: Project,
    data_dir: Path,
    as_of: dt.date | None,
    strict: bool,
    dev_addr: str,
    site_url: str | None = None,
) -> int:
    """Serve a live preview until interrupted."""
    host, _, port = dev_addr.rpartition(":")
    if not port.isdigit() or not host:
        raise ClusterdirError(f"--dev-addr {dev_addr!r} is not HOST:PORT, such as 127.0.0.1:8000")
    scratch = Path(tempfile.mkdtemp(prefix="clusterdir-serve-"))
    preview = Preview(project, data_dir, as_of, strict, scratch / "site", site_url)
    server = None
    try:
        say("Building the preview…", sys.stderr)
        if not preview.rebuild():
            raise ClusterdirError("fix the records above, then start the preview again")
        handler = functools.partial(
            type("Handler", (_Handler,), {"preview": preview}), directory=str(preview.folder)
        )
        try:
            server = http.server.ThreadingHTTPServer((host, int(port)), handler)
        except OSError as exc:
            raise ClusterdirError(f"cannot serve on {dev_addr}: {exc.strerror}") from None
        threading.Thread(target=server.serve_forever, daemon=True).start()
        say(f"Previewing at http://{dev_addr}/ (Ctrl+C to stop)", sys.stderr)
        before = _snapshot(preview.watched())
        while True:
            time.sleep(POLL_SECONDS)
            now = _snapshot(preview.watched())
            if now != before:
                before = now
                preview.rebuild()
    except KeyboardInterrupt:
        return 0
    finally:
        if server is not None:
            server.shutdown()
            server.server_close()
        remove_tree(scratch)
