"""Progress on stderr: a line per stage, a bar while pages are written; warnings even when quiet."""

from __future__ import annotations

import sys
import time
from typing import TextIO


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
            print(f"{message}…", file=self.stream, flush=True)

    def warn(self, message: str) -> None:
        """Say something a person should look into, even when quiet; the build goes on."""
        print(f"clusterdir: warning: {message}", file=self.stream, flush=True)

    def bar(self, done: int, total: int) -> None:
        """Show how many of `total` items are done (redrawn in place on a terminal)."""
        if self.quiet or total <= 0:
            return
        if self.tty:
            filled = 30 * done // total
            end = "\n" if done == total else ""
            print(
                f"\r  [{'#' * filled}{'.' * (30 - filled)}] {done}/{total}",
                end=end,
                file=self.stream,
                flush=True,
            )
        elif done == total:
            print(f"  {done}/{total} files", file=self.stream, flush=True)

    def elapsed(self) -> float:
        """Seconds since the start."""
        return time.perf_counter() - self.started

    def done(self, summary: str) -> None:
        """The closing one-line summary."""
        if not self.quiet:
            print(summary, file=self.stream, flush=True)
