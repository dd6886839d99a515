"""Putting a built site in place of the published one, and nothing else: the scratch folder a
build works in, and the swap.

A build works in a locked scratch folder beside the output and swaps the new site in only when
everything succeeded. The swap exchanges the two folders in one step where the file system
allows it, with signals held, so that the output is the old site or the new one, never missing;
a build killed by SIGKILL leaves a scratch folder that the next build removes (putting back an
old site it held, if it came to that). Two builds into one folder take turns.

A build acts only on what a build of this user made for this output: a scratch folder that
another user could have planted, or that names another output, is left alone with a warning;
and a build never replaces an output with another file system mounted inside it.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import os
import stat
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from generator.build import signals
from generator.build.writer import (
    SCRATCH_PREFIX,
    held_path,
    is_mount_point,
    mount_below,
    open_folder,
    remove_folder_at,
)
from generator.core.errors import BuildFailed, shown

# Every built site carries this file, so that a build replaces only what a build made.
SITE_MARKER = ".clusterdir-site"
_BUILD_PREFIX = f"{SCRATCH_PREFIX}build-"
_NEW_PREFIX = f"{SCRATCH_PREFIX}new-"
PREVIOUS = "previous-output"  # where the old site waits inside the scratch folder
TARGET = ".target"  # the output folder a scratch folder builds, for putting an old site back
_TARGET_BYTES = 16_384  # far more than any path; a larger .target is not one a build wrote
_PATH_SHOWN = 400  # how much of a path a message shows

Warn = Callable[[str], None]


def output_problem(folder: Path) -> str | None:
    """Why a build may not replace `folder`, or None when it is new, empty or a site we built."""
    if not folder.exists() and not folder.is_symlink():
        return None
    if folder.is_symlink():
        return f"{shown(folder, None)} is a link: give the folder it leads to"
    if not folder.is_dir():
        return f"{shown(folder, None)} is not a folder: give a folder for the site"
    if is_mount_point(folder):
        return (
            f"{shown(folder, None)} is a mount point, which cannot be replaced: build into a"
            " folder inside it"
        )
    try:
        names = set(os.listdir(folder))
    except OSError as exc:
        return f"cannot read {shown(folder, None)}: {exc.strerror}"
    if names and (SITE_MARKER not in names or ".git" in names):
        return (
            f"refusing to replace {shown(folder, None)}: it is not empty and holds no site that clusterdir "
            "built"
        )
    below = mount_below(folder)
    if below is not None:
        # Moving the output aside and removing it would carry the mounted files with it.
        return (
            f"refusing to replace {shown(folder, None)}: {shown(str(below), None)} inside it is a"
            " mount point: unmount it, or build into another folder"
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


_RENAME_NOREPLACE = 1  # from <linux/fs.h>
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _renameat2(
    first_dir: int, first: str | Path, second_dir: int, second: str | Path, flags: int
) -> bool:
    """Linux's renameat2 with `flags`, paths relative to open folders; False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(first_dir, os.fsencode(first), second_dir, os.fsencode(second), flags)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EPERM, errno.ENOTSUP):
        return False  # the file system cannot do it in one step
    raise OSError(code, os.strerror(code), str(second))


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux's renameat2 RENAME_EXCHANGE); False where unsupported."""
    return _renameat2(_AT_FDCWD, first, _AT_FDCWD, second, _RENAME_EXCHANGE)


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


def _mine(info: os.stat_result) -> bool:
    """Whether a file or folder belongs to the user this build runs as."""
    return info.st_uid == os.geteuid()


def _not_ours(info: os.stat_result) -> str | None:
    """Why a scratch folder may not be one a build of this user made, or None.

    A build makes its scratch folder for its user alone (mode 0700), so what lies inside it
    is what that user put there, whatever their umask.
    """
    if not _mine(info):
        return "it belongs to another user"
    if info.st_mode & 0o022:
        return "others may write in it"
    return None


def _recorded_target(scratch: int) -> str | None:
    """The output an open scratch folder names in its .target; None when it has no .target,
    and '' when the .target is not a file that this user's build wrote."""
    try:
        handle = os.open(TARGET, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=scratch)
    except FileNotFoundError:
        return None
    except OSError:
        return ""  # a link, or unreadable
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode) or not _mine(info) or info.st_size > _TARGET_BYTES:
            return ""
        return os.read(handle, _TARGET_BYTES + 1).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return ""
    finally:
        os.close(handle)


def _old_site_problem(scratch: int) -> str | None:
    """Why the old site an open scratch folder holds is not one to put back, or None (also
    when it holds none). An empty folder is fine: a build may replace an empty output folder."""
    try:
        handle = open_folder(PREVIOUS, scratch)
    except FileNotFoundError:
        return None
    except OSError:
        return "the old site in it is a link or not a folder"
    try:
        if not _mine(os.fstat(handle)):
            return "the old site in it belongs to another user"
        names = os.listdir(handle)
        if names and not (
            SITE_MARKER in names
            and stat.S_ISREG(os.stat(SITE_MARKER, dir_fd=handle, follow_symlinks=False).st_mode)
        ):
            return "the old site in it is not a site that clusterdir built"
        return None
    except OSError as exc:
        return f"the old site in it cannot be read ({exc.strerror})"
    finally:
        os.close(handle)


def _restore_output(scratch: int, parent: int, target: Path) -> None:
    """Put back the old site that a build killed between its two renames left in its scratch,
    unless something took the output's place meanwhile."""
    with contextlib.suppress(OSError):
        if _renameat2(scratch, PREVIOUS, parent, target.name, _RENAME_NOREPLACE):
            return
        try:
            os.lstat(target.name, dir_fd=parent)
        except FileNotFoundError:
            os.rename(PREVIOUS, target.name, src_dir_fd=scratch, dst_dir_fd=parent)


def _clean_one(parent: int, name: str, target: Path) -> str | None:
    """Remove one stale scratch folder, putting back the old site it holds; or say why it may
    not be touched (None as well when a live build holds it, or it is gone).

    Every check is on the folder as opened, without following a link, so that nothing can be
    put in its place between a check and the act.
    """
    try:
        kind = os.lstat(name, dir_fd=parent).st_mode
    except OSError:
        return None
    if stat.S_ISLNK(kind):
        return "it is a link, which a build never follows"
    if not stat.S_ISDIR(kind):
        return "it is not a folder"
    try:
        handle = open_folder(name, parent)
    except OSError as exc:
        return f"it cannot be opened ({exc.strerror})"
    try:
        info = os.fstat(handle)
        problem = _not_ours(info)
        if problem:
            return problem
        new = name.startswith(_NEW_PREFIX)
        if new and time.time() - info.st_mtime <= 60:
            return None  # a build may be about to lock it
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return None  # a live build holds it
        recorded = _recorded_target(handle)
        # A build names its output before its folder gets its final name, so only a `new-`
        # folder may lack the name.
        if recorded != str(target) and not (new and recorded is None):
            return f"it does not name this build's output {shown(target, None)}"
        problem = _old_site_problem(handle)
        if problem:
            return problem
        _restore_output(handle, parent, target)
        remove_folder_at(parent, name, handle)
        return None
    finally:
        os.close(handle)  # and with it the lock


def _clean_stale_scratch(target: Path, warn: Warn) -> None:
    """Remove the scratch folders that builds of `target` were killed in before they could
    clean up; say which scratch folders are left alone because this build did not make them.

    A live build holds the lock on its folder from the moment the folder has its final name
    (it is made under a `new-` name, locked, then renamed), so an unlocked build folder is stale.
    A `new-` folder is stale once it is a minute old.
    """
    try:
        parent = os.open(target.parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return
    try:
        names = sorted(n for n in os.listdir(parent) if n.startswith((_BUILD_PREFIX, _NEW_PREFIX)))
        for name in names:
            problem = _clean_one(parent, name, target)
            if problem:
                warn(f"left {shown(str(target.parent / name), _PATH_SHOWN)} alone: {problem}")
    except OSError:
        return
    finally:
        os.close(parent)


@contextlib.contextmanager
def scratch_folder(target: Path, warn: Warn, background: bool = False) -> Iterator[Path]:
    """A locked scratch folder beside the output `target`, removed afterwards (with
    `background`, on a thread of its own, still locked until it is gone); stale ones of builds
    of `target` go first (`warn` hears of the ones left alone).

    It names the output it builds (for _restore_output) and is locked before it takes its
    final name, so that no other build mistakes it for a stale one. The path given is one that
    leads to the folder itself whatever happens to its name (see `held_path`).
    """
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BuildFailed(f"cannot make the folder {shown(parent, None)}: {exc.strerror}") from None
    _clean_stale_scratch(target, warn)
    try:
        fresh = Path(tempfile.mkdtemp(prefix=_NEW_PREFIX, dir=parent))
        parent_handle = os.open(parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as exc:
        raise BuildFailed(
            f"cannot make a scratch folder in {shown(parent, None)}: {exc.strerror}"
        ) from None
    try:
        handle = open_folder(fresh.name, parent_handle)
    except OSError as exc:
        os.close(parent_handle)
        raise BuildFailed(
            f"cannot use a scratch folder in {shown(parent, None)}: {exc.strerror}"
        ) from None
    folder = fresh
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        named = os.open(TARGET, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600, dir_fd=handle)
        with os.fdopen(named, "wb") as stream:
            stream.write(str(target).encode("utf-8"))
        final = _BUILD_PREFIX + fresh.name[len(_NEW_PREFIX) :]
        os.rename(fresh.name, final, src_dir_fd=parent_handle, dst_dir_fd=parent_handle)
        folder = parent / final  # only now: a failed rename leaves the folder its `new-` name
        # The build reaches the folder through the handle it holds, never through its name:
        # whoever may rename things in the output's folder cannot swap in a folder of theirs
        # (whose mkdocs.yml MkDocs would read, hooks and all, as root).
        yield held_path(handle, folder)
    except OSError as exc:
        raise BuildFailed(
            f"cannot use a scratch folder in {shown(parent, None)}: {exc.strerror}"
        ) from None
    finally:

        def remove() -> None:
            # Through the handle: what is removed is the folder this build made, whatever the
            # name leads to now.
            try:
                remove_folder_at(parent_handle, folder.name, handle)
            finally:
                os.close(handle)
                os.close(parent_handle)

        if background:
            threading.Thread(target=remove, daemon=True).start()
        else:
            remove()
