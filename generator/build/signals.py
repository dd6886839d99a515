"""Ctrl-C and termination signals: they stop a command until its outcome is decided, and nothing
changes it after that.

A command is interrupted cleanly (a KeyboardInterrupt, so that every `finally` cleans up) until
the moment its result is in place: a site swapped in, a record replaced, a file written. It marks
that moment with `decided()`; a signal after it is ignored, so that the exit status and the last
line always tell the truth about what happened.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Callable, Iterator

SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
_state = {"decided": False, "pending": False, "holding": 0}


def _stop(signum: int, frame: object) -> None:
    if not _state["decided"] and not _state["holding"]:
        raise KeyboardInterrupt
    # Held: the block raises it when it ends, unless the outcome was decided in it. Decided: a
    # command that goes on (the preview) stops at its next reopen().
    _state["pending"] = True


def catch() -> Callable[[], None]:
    """Turn Ctrl-C, SIGTERM and SIGHUP into a KeyboardInterrupt until the outcome is decided;
    return a function that puts the previous handlers back."""
    _state.update(decided=False, pending=False, holding=0)
    previous = {sig: signal.signal(sig, _stop) for sig in SIGNALS}

    def restore() -> None:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        _state.update(decided=False, pending=False, holding=0)

    return restore


def decided() -> None:
    """The command's result is in place: from now on a signal changes nothing."""
    _state["decided"] = True


def reopen() -> None:
    """A long-running command (the preview) starts its next piece of work: signals stop it
    again, and one that came while its last result was put in place stops it now."""
    _state["decided"] = False
    if _state["pending"]:
        _state["pending"] = False
        raise KeyboardInterrupt


@contextlib.contextmanager
def held() -> Iterator[None]:
    """Hold the signals for the length of a block that must not be cut in two (a swap); one
    that came meanwhile stops the command when the block ends, unless the block decided the
    outcome.

    Blocking them in this thread is not enough: a Ctrl-C goes to the whole process, and the
    system hands it to any thread that does not block it (the map's libraries start some), whose
    handler then interrupts this thread anyway. So the handler itself waits while a block is held.
    """
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, set(SIGNALS))
    _state["holding"] += 1
    try:
        yield
    finally:
        _state["holding"] -= 1
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
    if _state["pending"] and not _state["holding"] and not _state["decided"]:
        _state["pending"] = False
        raise KeyboardInterrupt


def leave_to_main_thread() -> None:
    """Block the signals in the calling thread (and the threads it starts), so that they always
    reach the main thread, which holds them while it swaps a site in."""
    signal.pthread_sigmask(signal.SIG_BLOCK, set(SIGNALS))
