"""The one place that writes files: build trees, swapping a built site in, and records.

Nothing here replaces a file that is not a regular file: a FIFO, a device or a folder is
refused, and a link is written through, so that the link stays a link. A file is replaced by
renaming a finished temporary file over it, so that a reader sees the old bytes or the new ones
and a full disk or Ctrl-C leaves the old file as it was. A record is locked while it is read,
changed and replaced, so that two editors' commands cannot lose each other's change.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import stat
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.errors import BuildFailed, ClusterdirError
from generator.output import OutputFile
from generator.reader import MAX_BYTES, read_handle

# Every built site carries this file, so that a build replaces only what a build made.
SITE_MARKER = ".clusterdir-site"
# Scratch folders and temporary files start with this (git ignores it; see .gitignore).
SCRATCH_PREFIX = ".clusterdir-"
_BUILD_PREFIX = f"{SCRATCH_PREFIX}build-"
LOCK_SECONDS = 10.0  # how long `award` waits for another command to finish with a record
_SIGNALS = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}


def _oserror(path: Path | str, exc: OSError) -> str:
    return f"cannot write '{path}': {exc.strerror or exc}"


def _target(root: Path, relative: str) -> Path:
    # Generated paths are relative and plain; checking the text avoids a filesystem call per file.
    parts = PurePosixPath(relative).parts
    if not parts or PurePosixPath(relative).is_absolute() or ".." in parts:
        raise BuildFailed(f"refusing to write '{relative}' outside the build folder")
    return root.joinpath(*parts)


def write_tree(root: Path, files: Iterable[OutputFile]) -> int:
    """Write every file under `root` (which must be empty or new); return the bytes written."""
    total = 0
    made: set[Path] = set()
    written: set[str] = set()
    for file in files:
        if file.path in written:
            raise BuildFailed(f"two generated files want the same path '{file.path}'")
        written.add(file.path)
        target = _target(root, file.path)
        try:
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            target.write_bytes(file.data)
        except OSError as exc:
            raise BuildFailed(_oserror(target, exc)) from None
        total += len(file.data)
    return total


def sync_tree(root: Path, files: Iterable[OutputFile], managed: str) -> int:
    """Make `root` hold exactly `files`: rewrite what changed, remove from `managed` what is gone.

    Used by the preview server, so that MkDocs's watcher sees only real changes.
    """
    wanted: set[Path] = set()
    changed = 0
    try:
        for file in files:
            target = _target(root, file.path)
            wanted.add(target)
            if not target.is_file() or target.read_bytes() != file.data:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(file.data)
                changed += 1
        for path in sorted((root / managed).rglob("*"), reverse=True):
            if path.is_file() and path not in wanted:
                path.unlink()
                changed += 1
    except OSError as exc:
        raise BuildFailed(_oserror(exc.filename or root, exc)) from None
    return changed


def output_problem(folder: Path) -> str | None:
    """Why a build may not replace `folder`, or None when it is new, empty or a site we built."""
    if not folder.exists() and not folder.is_symlink():
        return None
    if folder.is_symlink():
        return f"'{folder}' is a link: give the folder it leads to"
    if not folder.is_dir():
        return f"'{folder}' is not a folder: give a folder for the site"
    if os.path.ismount(folder):
        return (
            f"'{folder}' is a mount point, which cannot be replaced: build into a folder inside it"
        )
    try:
        names = set(os.listdir(folder))
    except OSError as exc:
        return f"cannot read '{folder}': {exc.strerror}"
    if names and (SITE_MARKER not in names or ".git" in names):
        return (
            f"refusing to replace '{folder}': it is not empty and holds no site that clusterdir "
            "built"
        )
    return None


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold Ctrl-C and termination until the block is done: a swap is never left half-made."""
    held = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


@contextlib.contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    """An exclusive lock on a folder, held while a build swaps its output in."""
    handle = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


def swap_in(built: Path, out: Path, scratch: Path, swapped: list[bool]) -> None:
    """Replace `out` by `built`; the old output is moved into `scratch` and removed with it.

    Two builds into one folder take turns, and the two renames happen with signals held, so
    that the output is the old site or the new one, never missing. `swapped` gets True once
    the new site is in place, before a held Ctrl-C can interrupt anything.
    """
    with _folder_lock(out.parent), _signals_held():
        problem = output_problem(out)  # again: another build may have run meanwhile
        if problem:
            raise BuildFailed(problem)
        try:
            if out.exists():
                out.rename(scratch / "previous-output")
            built.rename(out)
            swapped.append(True)
        except OSError as exc:
            if not out.exists() and (scratch / "previous-output").exists():
                (scratch / "previous-output").rename(out)
            raise BuildFailed(
                f"cannot put the new site in place at '{out}': {exc.strerror}"
            ) from None


def remove_tree(folder: Path) -> None:
    """Delete a folder, ignoring what is already gone."""
    shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _clean_stale_scratch(parent: Path) -> None:
    """Remove scratch folders that builds killed before they could clean up left behind."""
    try:
        names = [n for n in os.listdir(parent) if n.startswith(_BUILD_PREFIX)]
    except OSError:
        return
    for name in names:
        folder = parent / name
        try:
            pid = int(name[len(_BUILD_PREFIX) :].split("-", 1)[0])
            handle = os.open(folder, os.O_RDONLY)
        except (ValueError, OSError):
            continue
        try:
            # A live build holds the lock on its folder; the pid covers the instant before that.
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            if not _alive(pid):
                remove_tree(folder)
        except OSError:
            pass
        finally:
            os.close(handle)


@contextlib.contextmanager
def scratch_folder(parent: Path) -> Iterator[Path]:
    """A locked scratch folder beside the output, removed afterwards; stale ones go first."""
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BuildFailed(f"cannot make the folder '{parent}': {exc.strerror}") from None
    _clean_stale_scratch(parent)
    try:
        folder = Path(tempfile.mkdtemp(prefix=f"{_BUILD_PREFIX}{os.getpid()}-", dir=parent))
    except OSError as exc:
        raise BuildFailed(f"cannot make a scratch folder in '{parent}': {exc.strerror}") from None
    handle = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield folder
    finally:
        remove_tree(folder)
        os.close(handle)


def _writable_target(path: Path) -> Path:
    """Where writing `path` really goes: the file itself, or the regular file a link leads to.

    Raise when that is not a regular file, or is read-only.
    """
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        info = os.stat(target)
    except FileNotFoundError:
        if path.is_symlink():
            raise ClusterdirError(f"'{path}' is a link to nothing: nothing was written") from None
        return target
    except OSError as exc:
        raise ClusterdirError(f"{_oserror(path, exc)}; nothing was written") from None
    if stat.S_ISDIR(info.st_mode):
        raise ClusterdirError(f"'{path}' is a folder: give a file name; nothing was written")
    if not stat.S_ISREG(info.st_mode):
        raise ClusterdirError(f"'{path}' is not a regular file: nothing was written")
    if not info.st_mode & 0o222:
        raise ClusterdirError(f"'{path}' is read-only: nothing was written")
    return target


def _make_parent(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise ClusterdirError(
            f"cannot make the folder for '{path}': a file stands in its way; nothing was written"
        ) from None
    except OSError as exc:
        raise ClusterdirError(
            f"cannot make the folder for '{path}': {exc.strerror}; nothing was written"
        ) from None


def _place(target: Path, data: bytes, replace: bool, mode: int) -> None:
    """Write a temporary file beside `target`, then rename it over `target` (or link it new)."""
    try:
        # A short name of our own: the record's name may already be near the 255-byte limit.
        handle, temporary = tempfile.mkstemp(
            prefix=SCRATCH_PREFIX, suffix=".tmp", dir=target.parent
        )
    except OSError as exc:
        raise ClusterdirError(f"{_oserror(target, exc)}; nothing was written") from None
    try:
        try:
            os.fchmod(handle, mode)
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            if replace:
                os.replace(temporary, target)
            else:
                os.link(temporary, target)  # fails if the file appeared meanwhile: never overwrite
                os.unlink(temporary)
        except FileExistsError:
            raise ClusterdirError(f"'{target}' already exists: nothing was written") from None
        except OSError as exc:
            raise ClusterdirError(f"{_oserror(target, exc)}; nothing was written") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def _new_file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_text_file(path: Path, text: str, replace: bool = False) -> None:
    """Write one UTF-8 file atomically: the whole new text or the old file, never a mix.

    Without `replace`, an existing file is never overwritten: the editors' commands use this.
    """
    if replace:
        target = _writable_target(path)
    elif path.exists() or path.is_symlink():
        raise ClusterdirError(f"'{path}' already exists: nothing was written")
    else:
        target = path
    _make_parent(target)
    mode = target.stat().st_mode & 0o777 if target.exists() else _new_file_mode()
    _place(target, text.encode("utf-8"), replace, mode)


@dataclass(frozen=True, slots=True)
class LockedRecord:
    """A record held under lock: where it really lives, its bytes, and what it was when read."""

    path: Path  # the path the editor gave
    target: Path  # the regular file it leads to
    data: bytes
    identity: tuple[int, int, int, int]  # device, inode, size, modification time


def _identity(info: os.stat_result) -> tuple[int, int, int, int]:
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


@contextlib.contextmanager
def locked_record(path: Path, wait: float = LOCK_SECONDS) -> Iterator[LockedRecord]:
    """Hold a record under an exclusive lock while it is read, changed and replaced.

    The lock is on the file itself. A command that waited for it checks that the path still
    leads to the file it locked: when the other command replaced it, it locks the new one.
    """
    target = _writable_target(path)
    deadline = time.monotonic() + wait
    while True:
        try:
            handle = os.open(target, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
        except OSError as exc:
            raise ClusterdirError(f"cannot read '{path}': {exc.strerror}") from None
        try:
            info = os.fstat(handle)
            if not stat.S_ISREG(info.st_mode):
                raise ClusterdirError(f"'{path}' is not a regular file: nothing was written")
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise ClusterdirError(
                            f"another command is changing '{path}': try again; nothing was written"
                        ) from None
                    time.sleep(0.01)
            try:
                now = os.stat(target)
            except FileNotFoundError:
                now = None
            if now is None or (now.st_dev, now.st_ino) != (info.st_dev, info.st_ino):
                continue  # replaced while we waited: lock the file that is there now
            info = os.fstat(handle)
            if info.st_size > MAX_BYTES:
                raise ClusterdirError(
                    f"'{path}' is {info.st_size:,} bytes; a record must be under {MAX_BYTES:,}"
                )
            data = read_handle(handle)
            yield LockedRecord(path, target, data, _identity(info))
            return
        finally:
            os.close(handle)


def replace_record(record: LockedRecord, text: str) -> None:
    """Replace a locked record with new text, unless someone changed it since it was read."""
    try:
        now = _identity(os.stat(record.target))
    except OSError:
        now = None
    if now != record.identity:
        raise ClusterdirError(
            f"'{record.path}' changed while the award was being added: run the command again; "
            "nothing was written"
        )
    _place(record.target, text.encode("utf-8"), True, os.stat(record.target).st_mode & 0o777)
