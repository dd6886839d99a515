"""Child processes (MkDocs) that never outlive the command that started them."""

from __future__ import annotations

import ctypes
import ctypes.util
import signal
import sys
from collections.abc import Callable

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
