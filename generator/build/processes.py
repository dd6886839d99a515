"""Child processes (MkDocs, Pagefind) that never outlive the command that started them."""

from __future__ import annotations

import ctypes
import ctypes.util
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


def run_tool(
    command: list[str], env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a build tool to its end, its output captured as text (bytes that are not UTF-8 kept as
    escapes), killed if this process dies; the caller judges its exit code."""
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        errors="backslashreplace",
        env=env,
        check=False,
        preexec_fn=dies_with_parent(signal.SIGKILL),
    )


class Running:
    """A build tool started in the background (its output kept in temporary files, so that it
    never waits on a full pipe), killed if this process dies or gives up on it."""

    def __init__(self, command: list[str], env: Mapping[str, str] | None = None) -> None:
        self._out = tempfile.TemporaryFile()
        self._err = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            command,
            stdout=self._out,
            stderr=self._err,
            env=env,
            preexec_fn=dies_with_parent(signal.SIGKILL),
        )

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
