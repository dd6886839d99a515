"""MkDocs, the engine that `clusterdir build` runs on each language's tree: one process that
builds the trees it is given in turn, and MkDocs's complaints as one line.

A site in six languages has six trees (each a plain `mkdocs.yml` with its content, which any
engine builds as it is). Six `mkdocs build` commands would each start Python, import MkDocs,
Material and Python-Markdown and compile the theme's templates again; one process does that
once: it imports MkDocs once, keeps the theme's compiled templates (Jinja's bytecode cache, in
memory: a template is compiled again when its text differs) and builds each tree as `mkdocs
build --strict` would, while the build renders and writes the next language. It runs with
`python -P` (nothing imported from the working folder), is killed if the build dies, and reaches
the build's scratch folder through the handle the build holds (/proc/self/fd/N), as the other
tools do.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import IO

from generator.build.processes import _held, dies_with_parent
from generator.core.errors import BuildFailed

MKDOCS_ENV = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}

# The engine's process. It reads one job a line on its standard input (the JSON list
# [config file, site folder]) and answers each on the standard output it was given, as the JSON
# list [exit code, output]: what `mkdocs build --strict` would have printed (its log from INFO
# up, or the traceback of an error). Whatever MkDocs or a plugin prints goes to its standard
# error instead, so that nothing comes between the answers.
RUNNER = r"""
import io, json, logging, os, sys, traceback, warnings
answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
os.dup2(2, 1)
import jinja2
from mkdocs import exceptions
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.theme import Theme

class Compiled(jinja2.BytecodeCache):
    # Each theme template compiled once, for every tree (Jinja checks the source's hash).
    def __init__(self):
        self.codes = {}
    def load_bytecode(self, bucket):
        code = self.codes.get((bucket.key, bucket.checksum))
        if code is not None:
            bucket.bytecode_from_string(code)
    def dump_bytecode(self, bucket):
        self.codes[(bucket.key, bucket.checksum)] = bucket.bytecode_to_string()

compiled = Compiled()
theme_env = Theme.get_env
def get_env(theme):
    env = theme_env(theme)
    env.bytecode_cache = compiled
    return env
Theme.get_env = get_env

warnings.simplefilter("module", DeprecationWarning)
log = logging.getLogger("mkdocs")
log.setLevel(logging.INFO)
log.propagate = False
for line in sys.stdin:
    config_file, site_dir = json.loads(line)
    output = io.StringIO()
    handler = logging.StreamHandler(output)
    handler.setFormatter(logging.Formatter("%(levelname)-8s-  %(message)s"))
    log.addHandler(handler)
    code = 0
    try:
        config = load_config(config_file=config_file, site_dir=site_dir, strict=True)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    except exceptions.Abort as exc:
        code = 1
        output.write(exc.format_message() + "\n")
    except exceptions.MkDocsException as exc:
        code = 1
        output.write("Error: " + exc.format_message() + "\n")
    except Exception:
        code = 1
        output.write(traceback.format_exc())
    log.removeHandler(handler)
    sys.stdout.flush()
    sys.stderr.flush()
    answers.write(json.dumps([code, output.getvalue()]) + "\n")
    answers.flush()
"""


def source_date_epoch(as_of: dt.date) -> str:
    """The as-of date as SOURCE_DATE_EPOCH, so MkDocs's dates come from it, not the clock.

    MkDocs writes it into a gzip header, which holds 32 bits: dates after 2106-02-07 (the
    directory's dates run to 2199) are held at that limit rather than failing the build.
    """
    moment = int(dt.datetime(as_of.year, as_of.month, as_of.day, tzinfo=dt.UTC).timestamp())
    return str(min(moment, 2**32 - 1))


class Engine:
    """The engine's process: `submit` a tree (it builds the trees in the order given, while the
    caller does other work), `done` waits for the oldest one not yet waited for; `stop` kills it
    (a build that stops early), `close` lets it end. Killed if this process dies. The folders
    named in `reach` (through /proc/self/fd/N) are passed to it under the same numbers."""

    def __init__(self, as_of: dt.date, reach: tuple[Path, ...] = ()) -> None:
        env = {**os.environ, **MKDOCS_ENV, "SOURCE_DATE_EPOCH": source_date_epoch(as_of)}
        command = [sys.executable, "-P", "-c", RUNNER, *map(str, reach)]
        # What MkDocs or a plugin prints outside its log: kept in a file, never waited on.
        self._printed = tempfile.TemporaryFile()  # noqa: SIM115
        try:
            self.process = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._printed,
                env=env,
                preexec_fn=dies_with_parent(signal.SIGKILL),
                pass_fds=_held(command),
            )
        except BaseException:
            self._printed.close()
            raise
        self._waiting: list[Path] = []

    def submit(self, tree: Path, site: Path) -> None:
        """Have the engine build the tree `tree` (its mkdocs.yml) into the folder `site`, after
        the trees submitted before."""
        self._waiting.append(tree)
        stdin: IO[bytes] | None = self.process.stdin
        try:
            assert stdin is not None
            stdin.write((json.dumps([str(tree / "mkdocs.yml"), str(site)]) + "\n").encode())
            stdin.flush()
        except BrokenPipeError:
            pass  # the engine ended: done() says why

    def done(self, overrides: Path | None = None) -> Path:
        """Wait for the oldest tree submitted and not yet waited for; return it; raise
        BuildFailed with MkDocs's complaints (an error in a theme override as the file and
        line in `overrides`, where the tree's came from)."""
        tree = self._waiting.pop(0)
        try:
            assert self.process.stdout is not None
            line = self.process.stdout.readline()
        except BaseException:
            self.stop()
            raise
        if not line:  # the engine ended before it answered: what it printed says why
            code = self.process.wait()
            self._printed.seek(0)
            printed = self._printed.read().decode("utf-8", "backslashreplace")
            engine_failed(code or 1, printed, tree, overrides)
        code, output = json.loads(line)
        engine_failed(code, output, tree, overrides)
        return tree

    def stop(self) -> None:
        """Kill it (a build that stops early: Ctrl-C, an error) and wait for its end."""
        if self.process.poll() is None:
            self.process.kill()
        self.close()

    def close(self) -> None:
        """Let it end (no more trees) and wait for its end."""
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                with contextlib.suppress(BrokenPipeError):
                    stream.close()
        self.process.wait()
        self._printed.close()


_FRAME = re.compile(r'\s*File "(.+)", line ([0-9]+), in ')
_EXCEPTION = re.compile(r"([A-Za-z_][\w.]*): (.+)")


def _template_failure(output: list[str], tree: Path, overrides: Path) -> str | None:
    """A theme override's error in MkDocs's traceback, as the override's file and line in the
    project (the tree holds a copy, gone with the scratch folder), or None if it holds none."""
    # The tree may be reached through /proc/self/fd/N (publish.scratch_folder): MkDocs names the
    # files as it was given them, or as their real path. A translated tree (tree/de) reads the
    # overrides of the tree's root (../overrides).
    copies = {
        os.path.join(os.path.abspath(folder / "overrides"), "") for folder in (tree, tree.parent)
    } | {os.path.join(os.path.realpath(folder / "overrides"), "") for folder in (tree, tree.parent)}
    where = None
    for line in output:
        frame = _FRAME.match(line)
        copied = frame and next(
            (c for c in copies if os.path.abspath(frame[1]).startswith(c)), None
        )
        if frame and copied:
            where = f"{overrides / os.path.relpath(frame[1], copied)}:{frame[2]}"
    last = next((found for ln in reversed(output) if (found := _EXCEPTION.fullmatch(ln))), None)
    if where is None or last is None:
        return None
    kind, message = last[1], last[2]
    if kind.startswith("jinja2."):
        return f"{where}: {message}"
    return f"{where}: error in the template: {message} ({kind.rsplit('.', 1)[-1]})"


def engine_failed(code: int, output: str, tree: Path, overrides: Path | None = None) -> None:
    """Raise BuildFailed with MkDocs's complaints when its exit `code` says it failed (an error
    in a theme override as the file and line in `overrides`, where the tree's came from)."""
    if code == 0:
        return
    lines = output.splitlines()
    failure = _template_failure(lines, tree, overrides) if overrides else None
    if failure:
        raise BuildFailed(failure)
    complaints = [ln for ln in lines if "WARNING" in ln or "ERROR" in ln or "Error" in ln]
    raise BuildFailed(
        "MkDocs failed: "
        + ("; ".join(complaints[:10]) or (lines[-1] if lines else f"exit code {code}"))
    )


def run_mkdocs(tree: Path, site: Path, as_of: dt.date, overrides: Path | None = None) -> None:
    """Build one tree as `mkdocs build --strict` does; raise BuildFailed with its complaints (an
    error in a theme override as the file and line in `overrides`, where the tree's came from)."""
    engine = Engine(as_of, (tree, site))
    try:
        engine.submit(tree, site)
        engine.done(overrides)
    except BaseException:
        engine.stop()
        raise
    engine.close()
