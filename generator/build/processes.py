"""Child processes (MkDocs, Pagefind) that never outlive the command that started them."""

from __future__ import annotations

import ctypes
import ctypes.util
import re
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def dies_with_parent(signum: int = signal.SIGTERM) -> Callable[[], None] | None:
    """A `preexec_fn` that has Linux signal the child when its parent dies, even by SIGKILL.

    Elsewhere it returns None: there, Ctrl-C reaches the whole process group, and a normal end
    or an exception stops the child (subprocess.run kills it on the way out).
    """
    if not sys.platform.startswith("linux"):
        return None
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)

    def arrange() -> None:
        libc.prctl(_PR_SET_PDEATHSIG, signum, 0, 0, 0)

    return arrange


def python_module(module: str, *args: str) -> list[str]:
    """The command that runs a Python module as a tool (`python -m mkdocs`), importing nothing
    from the working folder.

    `python -m` puts the working folder first on the module path, so a `yaml.py` or a
    `colorama.py` that anyone left there would run inside the tool (as root, in CI); `-P`
    (Python 3.11) leaves it out.
    """
    return [sys.executable, "-P", "-m", module, *args]


# A path through a folder this process holds open (writer.held_path).
_HELD = re.compile(r"/proc/self/fd/([0-9]+)(?:/|$)")


def run_tool(
    command: list[str], env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a build tool to its end, its output captured as text (bytes that are not UTF-8 kept as
    escapes), killed if this process dies; the caller judges its exit code. The folders that
    its arguments reach through /proc/self/fd/N are passed to it under the same numbers."""
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        errors="backslashreplace",
        env=env,
        check=False,
        preexec_fn=dies_with_parent(signal.SIGKILL),
        pass_fds=_held(command),
    )


def _held(command: list[str]) -> list[int]:
    """The open folders that a command's arguments reach through /proc/self/fd/N."""
    return sorted({int(found[1]) for arg in command if (found := _HELD.match(arg))})


class Running:
    """A build tool started in the background (its output kept in temporary files, so that it
    never waits on a full pipe), killed if this process dies or gives up on it; like run_tool,
    it gets the folders its arguments reach through /proc/self/fd/N."""

    def __init__(self, command: list[str], env: Mapping[str, str] | None = None) -> None:
        # Open for the tool's whole run, past this call: result() or stop() closes them.
        self._out = tempfile.TemporaryFile()  # noqa: SIM115
        self._err = tempfile.TemporaryFile()  # noqa: SIM115
        try:
            self.process = subprocess.Popen(
                command,
                stdout=self._out,
                stderr=self._err,
                env=env,
                preexec_fn=dies_with_parent(signal.SIGKILL),
                pass_fds=_held(command),
            )
        except BaseException:
            self._out.close()
            self._err.close()
            raise

    def result(self) -> subprocess.CompletedProcess[str]:
        """Wait for its end; its exit code and output as text (bytes that are not UTF-8 kept as
        escapes)."""
        try:
            code = self.process.wait()
        except BaseException:
            self.stop()
            raise
        texts = []
        for stream in (self._out, self._err):
            stream.seek(0)
            texts.append(stream.read().decode("utf-8", "backslashreplace"))
            stream.close()
        return subprocess.CompletedProcess(self.process.args, code, texts[0], texts[1])

    def stop(self) -> None:
        """Kill it (a build that stops early: Ctrl-C, an error) and wait for its end."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._out.close()
        self._err.close()
