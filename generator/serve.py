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
from pathlib import Path

import jinja2

from generator.build import CONTENT, MKDOCS_ENV, Project, generate
from generator.errors import ClusterdirError, ValidationFailed
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


def _regenerate(
    project: Project,
    data_dir: Path,
    as_of: dt.date | None,
    strict: bool,
    tree: Path,
    site_url: str | None = None,
) -> bool:
    """Regenerate the tree in place; on record errors print them and keep the last good tree."""
    day = as_of or dt.datetime.now(dt.UTC).date()
    try:
        generated = generate(project, data_dir, day, strict, Progress(quiet=True), site_url)
    except ValidationFailed as exc:
        for problem in exc.diagnostics:
            print(problem.format(), file=sys.stderr)
        print(KEEPING, file=sys.stderr)
        return False
    except (ClusterdirError, jinja2.TemplateError) as exc:
        # A template or mkdocs.yml being edited: say what is wrong and keep serving.
        where = (
            f" ({exc.filename}:{exc.lineno})" if isinstance(exc, jinja2.TemplateSyntaxError) else ""
        )
        print(f"clusterdir: error: {exc}{where}", file=sys.stderr)
        print(KEEPING, file=sys.stderr)
        return False
    changed = sync_tree(tree, generated.files, CONTENT)
    if changed:
        print(
            f"Regenerated {changed} file{'s' if changed != 1 else ''}: {generated.directory.headline}",
            file=sys.stderr,
        )
    return True


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
    watched = [data_dir, project.templates, project.config]
    server = None
    try:
        if not _regenerate(project, data_dir, as_of, strict, tree, site_url):
            raise ClusterdirError("fix the records above, then start the preview again")
        env = {**os.environ, **MKDOCS_ENV}
        command = [
            sys.executable,
            "-m",
            "mkdocs",
            "serve",
            "--config-file",
            str(tree / "mkdocs.yml"),
            "--dev-addr",
            dev_addr,
        ]
        server = subprocess.Popen(command, env=env, preexec_fn=dies_with_parent())
        print(f"Previewing at http://{dev_addr}/ (Ctrl+C to stop)", file=sys.stderr)
        before = _snapshot(watched)
        while server.poll() is None:
            time.sleep(POLL_SECONDS)
            now = _snapshot(watched)
            if now != before:
                before = now
                _regenerate(project, data_dir, as_of, strict, tree, site_url)
        return server.returncode or 0
    except KeyboardInterrupt:
        return 0
    finally:
        if server is not None and server.poll() is None:
            server.terminate()
            server.wait(timeout=10)
        remove_tree(tree)
