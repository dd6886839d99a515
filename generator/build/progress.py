"""Progress on stderr: a line per stage, a bar while pages are written; warnings even when quiet."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from generator.core.terminal import redraw, say


class Progress:
    """Reports a build's stages to a person; `quiet` leaves only errors and warnings."""

    def __init__(self, quiet: bool = False, stream: TextIO | None = None) -> None:
        self.quiet = quiet
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.started = time.perf_counter()

    def stage(self, message: str) -> None:
        """Announce a stage."""
        if not self.quiet:
            say(f"{message}…", self.stream)

    def warn(self, message: str) -> None:
        """Say something a person should look into, even when quiet; the build goes on."""
        say(f"clusterdir: warning: {message}", self.stream)

    def bar(self, done: int, total: int) -> None:
        """Show how many of `total` items are done (redrawn in place on a terminal)."""
        if self.quiet or total <= 0:
            return
        if self.tty:
            filled = 30 * done // total
            bar = f"  [{'#' * filled}{'.' * (30 - filled)}] {done}/{total}"
            redraw(bar, self.stream, last=done == total)
        elif done == total:
            say(f"  {done}/{total} files", self.stream)

    def elapsed(self) -> float:
        """Seconds since the start."""
        return time.perf_counter() - self.started

    def done(self, summary: str) -> None:
        """The closing one-line summary."""
        if not self.quiet:
            say(summary, self.stream)
