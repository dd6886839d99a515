"""Putting a built site in place of the published one, and nothing else: the scratch folder a
build works in, and the swap.

A build works in a locked scratch folder beside the output and swaps the new site in only when
everything succeeded. The swap exchanges the two folders in one step where the file system
allows it, with signals held, so that the output is the old site or the new one, never missing;
a build killed by SIGKILL leaves a scratch folder that the next build removes (putting back an
old site it held, if it came to that). Two builds into one folder take turns.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from generator import signals
from generator.errors import BuildFailed, shown
from generator.writer import SCRATCH_PREFIX, remove_tree

# Every built site carries this file, so that a build replaces only what a build made.
SITE_MARKER = ".clusterdir-site"
_BUILD_PREFIX = f"{SCRATCH_PREFIX}build-"
_NEW_PREFIX = f"{SCRATCH_PREFIX}new-"
PREVIOUS = "previous-output"  # where the old site waits inside the scratch folder
TARGET = ".target"  # the output folder a scratch folder builds, for putting an old site back


def output_problem(folder: Path) -> str | None:
    """Why a build may not replace `folder`, or None when it is new, empty or a site we built."""
    if not folder.exists() and not folder.is_symlink():
        return None
    if folder.is_symlink():
        return f"{shown(folder, None)} is a link: give the folder it leads to"
    if not folder.is_dir():
        return f"{shown(folder, None)} is not a folder: give a folder for the site"
    if os.path.ismount(folder):
        return f"{shown(folder, None)} is a mount point, which cannot be replaced: build into a folder inside it"
    try:
        names = set(os.listdir(folder))
    except OSError as exc:
        return f"cannot read {shown(folder, None)}: {exc.strerror}"
    if names and (SITE_MARKER not in names or ".git" in names):
        return (
            f"refusing to replace {shown(folder, None)}: it is not empty and holds no site that clusterdir "
            "built"
        )
    return None


@contextlib.contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    """An exclusive lock on a folder, held while a build swaps its output in."""
    handle = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


_RENAME_EXCHANGE = 2  # from <linux/fs.h>
_AT_FDCWD = -100


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux's renameat2 RENAME_EXCHANGE); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EPERM, errno.ENOTSUP):
        return False  # the file system cannot exchange: two renames instead
    raise OSError(code, os.strerror(code), str(second))


def swap_in(built: Path, out: Path, scratch: Path, swapped: list[bool]) -> None:
    """Put the new site `built` in place of `out`; the old one ends in `scratch`, removed with it.

    Where the file system allows, the two folders are exchanged in one step, so that even a
    SIGKILL cannot leave the output missing; elsewhere `out` is moved aside first, and a killed
    build's old site is put back by the next build (see _clean_stale_scratch). Two builds into one
    folder take turns; signals are held, and the outcome is decided once the new site is in place.
    """
    with _folder_lock(out.parent), signals.held():
        problem = output_problem(out)  # again: another build may have run meanwhile
        if problem:
            raise BuildFailed(problem)
        try:
            if not out.exists():
                built.rename(out)
            elif not _exchange(built, out):
                out.rename(scratch / PREVIOUS)
                built.rename(out)
            swapped.append(True)
            signals.decided()
        except OSError as exc:
            if not out.exists() and (scratch / PREVIOUS).exists():
                (scratch / PREVIOUS).rename(out)
            raise BuildFailed(
                f"cannot put the new site in place at {shown(out, None)}: {exc.strerror}"
            ) from None


def _restore_output(folder: Path) -> None:
    """Put back the old site that a build killed between its two renames left in its scratch."""
    try:
        target = Path((folder / TARGET).read_text("utf-8"))
    except (OSError, UnicodeDecodeError):
        return
    if (folder / PREVIOUS).is_dir() and not target.exists():
        with contextlib.suppress(OSError):
            (folder / PREVIOUS).rename(target)


def _unlocked(folder: Path) -> bool:
    """Whether no live build holds the folder's lock."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False
    finally:
        os.close(handle)


def _clean_stale_scratch(parent: Path) -> None:
    """Remove the scratch folders of builds that were killed before they could clean up.

    A live build holds the lock on its folder from the moment the folder has its final name
    (it is made under a `new-` name, locked, then renamed), so an unlocked build folder is stale.
    A `new-` folder is stale once it is a minute old.
    """
    try:
        names = sorted(n for n in os.listdir(parent) if n.startswith(SCRATCH_PREFIX))
    except OSError:
        return
    for name in names:
        folder = parent / name
        if name.startswith(_BUILD_PREFIX) and _unlocked(folder):
            _restore_output(folder)
            remove_tree(folder)
        elif name.startswith(_NEW_PREFIX):
            with contextlib.suppress(OSError):
                if time.time() - folder.stat().st_mtime > 60 and _unlocked(folder):
                    remove_tree(folder)


@contextlib.contextmanager
def scratch_folder(parent: Path, target: Path) -> Iterator[Path]:
    """A locked scratch folder beside the output, removed afterwards; stale ones go first.

    It names the output it builds (for _restore_output) and is locked before it takes its
    final name, so that no other build mistakes it for a stale one.
    """
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BuildFailed(f"cannot make the folder {shown(parent, None)}: {exc.strerror}") from None
    _clean_stale_scratch(parent)
    try:
        fresh = Path(tempfile.mkdtemp(prefix=_NEW_PREFIX, dir=parent))
    except OSError as exc:
        raise BuildFailed(
            f"cannot make a scratch folder in {shown(parent, None)}: {exc.strerror}"
        ) from None
    handle = os.open(fresh, os.O_RDONLY)
    folder = fresh
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        (fresh / TARGET).write_text(str(target), "utf-8")
        folder = parent / (_BUILD_PREFIX + fresh.name[len(_NEW_PREFIX) :])
        fresh.rename(folder)
        yield folder
    except OSError as exc:
        raise BuildFailed(
            f"cannot use a scratch folder in {shown(parent, None)}: {exc.strerror}"
        ) from None
    finally:
        remove_tree(folder)
        os.close(handle)
