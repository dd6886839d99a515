"""The preview server: MkDocs's live-reloading server on a build tree that follows the records.

MkDocs watches the generated tree and reloads the browser; this loop watches the records, the
templates and mkdocs.yml, and regenerates the tree when one of them changes.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from generator.build import CONTENT, MKDOCS_ENV, Project, generate
from generator.errors import ClusterdirError, ValidationFailed, plural
from generator.months import today
from generator.processes import dies_with_parent
from generator.progress import Progress
from generator.writer import remove_tree, sync_tree

POLL_SECONDS = 1.0
KEEPING = "clusterdir: the preview keeps the last good version until this is fixed"


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


@dataclass(frozen=True, slots=True)
class Preview:
    """A preview's inputs and the build tree that MkDocs serves from them."""

    project: Project
    data_dir: Path
    as_of: dt.date | None  # None: today, read again at each change (a preview may pass midnight)
    strict: bool
    tree: Path
    site_url: str | None = None

    def watched(self) -> list[Path]:
        """What a change to regenerates the tree: the records, the templates and mkdocs.yml."""
        return [self.data_dir, self.project.templates, self.project.config]

    def regenerate(self) -> bool:
        """Regenerate the tree in place; on an error print it and keep the last good tree."""
        day = self.as_of or today()
        progress = Progress(quiet=True)
        try:
            generated = generate(
                self.project, self.data_dir, day, self.strict, progress, self.site_url
            )
        except ValidationFailed as exc:
            for problem in exc.diagnostics:
                print(problem.format(), file=sys.stderr)
            print(KEEPING, file=sys.stderr)
            return False
        except ClusterdirError as exc:
            # A template or mkdocs.yml being edited: say what is wrong and keep serving.
            print(f"clusterdir: error: {exc}", file=sys.stderr)
            print(KEEPING, file=sys.stderr)
            return False
        changed = sync_tree(self.tree, generated.files, CONTENT)
        if changed:
            print(
                f"Regenerated {plural(changed, 'file')}: {generated.directory.headline}",
                file=sys.stderr,
            )
        return True


def _mkdocs_serve(tree: Path, dev_addr: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "mkdocs", "serve", "--config-file", str(tree / "mkdocs.yml")]
    command += ["--dev-addr", dev_addr]
    return subprocess.Popen(
        command, env={**os.environ, **MKDOCS_ENV}, preexec_fn=dies_with_parent()
    )


def serve(
    project: Project,
    data_dir: Path,
    as_of: dt.date | None,
    strict: bool,
    dev_addr: str,
    site_url: str | None = None,
) -> int:
    """Serve a live preview until interrupted."""
    tree = Path(tempfile.mkdtemp(prefix="clusterdir-serve-"))
    preview = Preview(project, data_dir, as_of, strict, tree, site_url)
    server = None
    try:
        if not preview.regenerate():
            raise ClusterdirError("fix the records above, then start the preview again")
        server = _mkdocs_serve(tree, dev_addr)
        print(f"Previewing at http://{dev_addr}/ (Ctrl+C to stop)", file=sys.stderr)
        before = _snapshot(preview.watched())
        while server.poll() is None:
            time.sleep(POLL_SECONDS)
            now = _snapshot(preview.watched())
            if now != before:
                before = now
                preview.regenerate()
        return server.returncode or 0
    except KeyboardInterrupt:
        return 0
    finally:
        if server is not None and server.poll() is None:
            server.terminate()
            server.wait(timeout=10)
        remove_tree(tree)
