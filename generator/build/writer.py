"""The one place that writes files (with publish.py, which swaps a built site in): build trees,
records and single files.

Nothing here replaces a file that is not a regular file: a FIFO, a device or a folder is
refused. A single file (an editor's record, `schema --out`) is written through a link, so that
the link stays a link; a tree is never written through one. A file is replaced by
renaming a finished temporary file over it, so that a reader sees the old bytes or the new ones
and a full disk or Ctrl-C leaves the old file as it was. A record is locked while it is read,
changed and replaced, so that two editors' commands cannot lose each other's change.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.build import signals
from generator.core.errors import AlreadyExists, BuildFailed, ClusterdirError, shown
from generator.core.output import OutputFile
from generator.records.reader import MAX_BYTES, read_handle

# Scratch folders and temporary files start with this (git ignores it; see .gitignore).
SCRATCH_PREFIX = ".clusterdir-"
LOCK_SECONDS = 10.0  # how long `award` waits for another command to finish with a record


def _oserror(path: Path | str, exc: OSError) -> str:
    return f"cannot write {shown(path, None)}: {exc.strerror or exc}"


def _parts(relative: str) -> tuple[str, ...]:
    """The names on the way to a generated file; BuildFailed for a path out of the build folder.

    Generated paths are relative and plain; checking the text avoids a filesystem call per file,
    and splitting it avoids making a path object for each of a build's thousands of files.
    """
    parts = tuple(relative.split("/"))
    if all(part and part != "." and part != ".." for part in parts):
        return parts
    parts = PurePosixPath(relative).parts
    if not parts or PurePosixPath(relative).is_absolute() or ".." in parts:
        raise BuildFailed(f"refusing to write {shown(relative, None)} outside the build folder")
    return parts


def _target(root: Path, relative: str) -> Path:
    return root.joinpath(*_parts(relative))


# Never through a link (O_NOFOLLOW), never waiting on a FIFO (O_NONBLOCK: it fails at once); not
# truncated on opening (O_TRUNC), so that a file with other names is refused before it changes.
_TREE_FILE_FLAGS = (
    os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
)


class _FolderWalk:
    """The folders of a tree being written, each opened from the one above it without following
    a link, so that a folder swapped for a link meanwhile is never written through; the chain
    to the last folder stays open (one handle a level, whatever the number of folders), so that
    files that come folder by folder cost one open, one write and one close each."""

    def __init__(self, root: Path) -> None:
        # The root is the folder the caller named: a link there is the user's own choice.
        root.mkdir(parents=True, exist_ok=True)
        self.chain: list[tuple[str, int]] = [("", os.open(root, os.O_RDONLY | os.O_DIRECTORY))]

    def open(self, parts: tuple[str, ...]) -> int:
        """The open folder at `parts` below the root, made where missing."""
        kept = 0
        while (
            kept < min(len(parts), len(self.chain) - 1) and self.chain[kept + 1][0] == parts[kept]
        ):
            kept += 1
        self.close(kept + 1)
        for name in parts[kept:]:
            above = self.chain[-1][1]
            with contextlib.suppress(FileExistsError):
                os.mkdir(name, 0o777, dir_fd=above)
            self.chain.append((name, open_folder(name, above)))
        return self.chain[-1][1]

    def close(self, keep: int = 0) -> None:
        """Close the folders below the first `keep` of the chain."""
        while len(self.chain) > keep:
            os.close(self.chain.pop()[1])


class TreeWriter:
    """Writes files under a root folder, one at a time, through `_FolderWalk` (see write_tree);
    `atomic` writes each under a temporary name first and renames it over the file, so that a
    reader (the preview's server) sees the old bytes or the new ones."""

    def __init__(self, root: Path, atomic: bool = False) -> None:
        self.root = root
        self.atomic = atomic
        self.total = 0
        self._written: set[str] = set()
        try:
            self._walk = _FolderWalk(root)
        except OSError as exc:
            raise BuildFailed(_oserror(root, exc)) from None

    def write(self, file: OutputFile) -> None:
        """Write one file (new, or replacing a regular file): never through a link, never
        waiting on a FIFO, never through a file with other names, never the same path twice."""
        if file.path in self._written:
            raise BuildFailed(f"two generated files want the same path {shown(file.path, None)}")
        self._written.add(file.path)
        parts = _parts(file.path)

        def target() -> Path:  # for a message: the path is made only when one is said
            return self.root.joinpath(*parts)

        try:
            folder = self._walk.open(parts[:-1])
        except OSError as exc:
            if exc.errno in (errno.ELOOP, errno.ENOTDIR) and _is_link_on_the_way(self.root, parts):
                raise BuildFailed(
                    f"refusing to write {shown(target(), None)}: a link on its way leads elsewhere"
                ) from None
            raise BuildFailed(_oserror(target(), exc)) from None
        name = parts[-1]
        written = f"{SCRATCH_PREFIX}{name}.tmp" if self.atomic else name
        self.total += _write_file(folder, written, target, file.data)
        if self.atomic:
            try:
                os.rename(written, name, src_dir_fd=folder, dst_dir_fd=folder)
            except OSError as exc:
                with contextlib.suppress(OSError):
                    os.unlink(written, dir_fd=folder)
                raise BuildFailed(_oserror(target(), exc)) from None

    def close(self) -> None:
        """Close the folders it holds open."""
        self._walk.close()


def write_tree(root: Path, files: Iterable[OutputFile]) -> int:
    """Write every file under `root` (new or empty, or a site that `finish` completes); return
    the bytes written. Nothing is written through a link: a folder on the way that is a link
    (or became one while the tree was written) is refused, and so is a file that is a link, a
    FIFO or a file with other names (hard links), whose other name could be anywhere (`finish`
    checks for links first; this is for one made meanwhile). Each folder is opened once and
    files are written relative to it, without a sync of their own: the tree is a build's, not a
    record."""
    writer = TreeWriter(root)
    try:
        for file in files:
            writer.write(file)
    finally:
        writer.close()
    return writer.total


def _is_link_on_the_way(root: Path, parts: tuple[str, ...]) -> bool:
    """Whether a folder on the way from `root` to a file is a link (rather than a file)."""
    folder = root
    for name in parts[:-1]:
        folder = folder / name
        if folder.is_symlink():
            return True
    return False


def _write_file(folder: int, name: str, target: Callable[[], Path], data: bytes) -> int:
    """Write one file of a tree into an open folder; return its size. `target` gives its path
    for a message."""
    try:
        handle = os.open(name, _TREE_FILE_FLAGS, 0o666, dir_fd=folder)
    except OSError as exc:
        raise BuildFailed(_oserror(target(), exc)) from None
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):  # a FIFO with a reader on it
            raise BuildFailed(f"{shown(target(), None)} is not a regular file: nothing was written")
        if info.st_nlink > 1:
            raise BuildFailed(
                f"{shown(target(), None)} has other names (hard links): nothing was written through it"
            )
        try:
            if info.st_size:
                # Only a file that holds something: on ext4 a truncate is a journal transaction
                # even to the size a file has, and the files of a fresh tree are all new (O_TRUNC
                # skips a file it made; this is that, for an open that cannot truncate early).
                os.ftruncate(handle, 0)
            view = memoryview(data)
            while view:
                view = view[os.write(handle, view) :]
        except OSError as exc:
            raise BuildFailed(_oserror(target(), exc)) from None
    finally:
        os.close(handle)
    return len(data)


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


# A folder opened for walking: never through a link, never a FIFO mistaken for a folder.
_FOLDER_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


def open_folder(name: str | Path, dir_fd: int | None = None) -> int:
    """Open a folder (not a link to one) for reading; raise OSError otherwise."""
    return os.open(name, _FOLDER_FLAGS, dir_fd=dir_fd)


def mount_of(handle: int) -> tuple[int, int]:
    """Which mounted file system an open folder lies on: its device and, on Linux, its mount.

    A bind mount of a folder of the same file system has the same device number, so the
    device alone does not show it; the kernel's mount id (in /proc/self/fdinfo) does.
    """
    device = os.fstat(handle).st_dev
    try:
        with open(f"/proc/self/fdinfo/{handle}", encoding="ascii") as info:
            for line in info:
                if line.startswith("mnt_id:"):
                    return device, int(line.split()[1])
    except (OSError, ValueError):
        pass
    return device, 0


def held_path(handle: int, path: Path) -> Path:
    """A path to the open folder `handle` that leads to that folder whatever is done to its name
    meanwhile (Linux's /proc/self/fd/N, which a child started by `processes.run_tool` inherits);
    `path` where the system has no such path."""
    held = Path(f"/proc/self/fd/{handle}")
    try:
        if os.path.samestat(os.stat(held), os.fstat(handle)):
            return held
    except OSError:
        pass
    return path


def is_mount_point(folder: Path) -> bool:
    """Whether a folder is where another file system (or a bind mount) is mounted."""
    if os.path.ismount(folder):
        return True
    try:
        handle, parent = open_folder(folder), os.open(folder.parent, _FOLDER_FLAGS & ~os.O_NOFOLLOW)
    except OSError:
        return False
    try:
        return mount_of(handle) != mount_of(parent)
    finally:
        os.close(handle)
        os.close(parent)


def mount_below(folder: Path) -> Path | None:
    """The first folder below `folder` where another file system is mounted, or None.

    Links are not followed; a folder that cannot be read hides what is below it.
    """
    try:
        top = open_folder(folder)
    except OSError:
        return None
    mount = mount_of(top)
    stack: list[tuple[int, Path, Iterator[tuple[str, bool]]]] = [(top, folder, _entries(top))]
    try:
        while stack:
            handle, path, entries = stack[-1]
            for name, is_folder in entries:
                if not is_folder:
                    continue
                try:
                    child = open_folder(name, handle)
                except OSError:
                    continue
                if mount_of(child) != mount:
                    os.close(child)
                    return path / name
                stack.append((child, path / name, _entries(child)))
                break
            else:
                os.close(stack.pop()[0])
    finally:
        for handle, _, _ in stack:
            os.close(handle)
    return None


def _entries(handle: int) -> Iterator[tuple[str, bool]]:
    """The names in an open folder, each with whether it is a folder (a link is not)."""
    try:
        with os.scandir(handle) as found:
            return iter([(entry.name, entry.is_dir(follow_symlinks=False)) for entry in found])
    except OSError:
        return iter(())


def _empty(top: int) -> None:
    """Delete what an open folder holds, as far as it can: links are removed, never followed,
    and a folder on another mount is left as it is (with the folders above it)."""
    mount = mount_of(top)
    # One open folder a level: a wide folder does not use up the process's file handles.
    stack: list[tuple[int, str, Iterator[tuple[str, bool]]]] = [(top, "", _entries(top))]
    try:
        while stack:
            handle, _, entries = stack[-1]
            for name, is_folder in entries:
                try:
                    if not is_folder:
                        os.unlink(name, dir_fd=handle)
                        continue
                    child = open_folder(name, handle)
                except OSError:
                    with contextlib.suppress(OSError):  # it became a link or a file meanwhile
                        os.unlink(name, dir_fd=handle)
                    continue
                if mount_of(child) != mount:
                    os.close(child)
                    continue
                stack.append((child, name, _entries(child)))
                break
            else:
                done, name, _ = stack.pop()
                if stack:
                    os.close(done)
                    with contextlib.suppress(OSError):
                        os.rmdir(name, dir_fd=stack[-1][0])
    finally:
        for handle, _, _ in stack[1:]:
            os.close(handle)


def remove_folder_at(parent: int, name: str, handle: int) -> None:
    """Delete the folder `name` of the open folder `parent`, already open as `handle` (so that
    what is deleted is the folder the caller checked, not one put in its place since)."""
    _empty(handle)
    with contextlib.suppress(OSError):
        if os.path.samestat(os.lstat(name, dir_fd=parent), os.fstat(handle)):
            os.rmdir(name, dir_fd=parent)


def remove_tree(folder: Path) -> None:
    """Delete a folder and what it holds, ignoring what is already gone.

    A link is never followed, the folder itself included (a link is left as it is), and a file
    system mounted below the folder is left as it is.
    """
    try:
        parent = os.open(folder.parent, _FOLDER_FLAGS & ~os.O_NOFOLLOW)
    except OSError:
        return
    try:
        handle = open_folder(folder.name, parent)
    except OSError:
        os.close(parent)
        return
    try:
        remove_folder_at(parent, folder.name, handle)
    finally:
        os.close(handle)
        os.close(parent)


def _inside(target: str, folder: Path) -> bool:
    root = os.path.realpath(folder)
    return target == root or target.startswith(root.rstrip(os.sep) + os.sep)


def _writable_target(path: Path, inside: Path | None = None) -> Path:
    """Where writing `path` really goes: the file itself, or the regular file a link leads to.

    Raise when that is not a regular file, is read-only, or (with `inside`) lies outside it.
    """
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    if inside is not None and path.is_symlink() and not _inside(str(target), inside):
        raise ClusterdirError(
            f"{shown(path, None)} is a link to a file outside {inside_name(inside)}: nothing was read or written"
        )
    try:
        info = os.stat(target)
    except FileNotFoundError:
        if path.is_symlink():
            raise ClusterdirError(
                f"{shown(path, None)} is a link to nothing: nothing was written"
            ) from None
        return target
    except OSError as exc:
        raise ClusterdirError(f"{_oserror(path, exc)}; nothing was written") from None
    if stat.S_ISDIR(info.st_mode):
        raise ClusterdirError(
            f"{shown(path, None)} is a folder: give a file name; nothing was written"
        )
    if not stat.S_ISREG(info.st_mode):
        raise ClusterdirError(f"{shown(path, None)} is not a regular file: nothing was written")
    if not info.st_mode & 0o222:
        raise ClusterdirError(f"{shown(path, None)} is read-only: nothing was written")
    return target


def inside_name(folder: Path) -> str:
    """How a message names the folder a link must stay in."""
    return "the working folder" if Path(folder) == Path.cwd() else shown(folder, None)


def _make_parent(path: Path) -> list[Path]:
    """Make the folders `path` needs; return the ones made, so that a failure can remove them."""
    missing = []
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    try:
        for folder in reversed(missing):
            folder.mkdir()
    except FileExistsError:
        _remove_folders(missing)
        raise ClusterdirError(
            f"cannot make the folder for {shown(path, None)}: a file stands in its way; nothing was written"
        ) from None
    except OSError as exc:
        _remove_folders(missing)
        raise ClusterdirError(
            f"cannot make the folder for {shown(path, None)}: {exc.strerror}; nothing was written"
        ) from None
    return missing


def _remove_folders(folders: list[Path]) -> None:
    for folder in folders:  # deepest first
        with contextlib.suppress(OSError):
            folder.rmdir()


def _place(
    target: Path,
    data: bytes,
    replace: bool,
    like: os.stat_result | None,
    unchanged: Callable[[], None] | None = None,
    placed: Callable[[], None] | None = None,
    named: Path | None = None,
) -> None:
    """Write a temporary file beside `target`, then rename it over `target` (or link it new).

    The new file gets the mode, owner and group of `like` (the file it replaces). `unchanged`
    is called after the data is safely on disk and just before the rename: it raises when the
    file changed meanwhile, so that nothing an editor saved is overwritten. `placed` is called
    right after the rename, with the rename, while signals wait (`signals.decided`, so that a
    Ctrl-C just then cannot make the command report as not written a file that was written).
    Messages name the file `named` (the path the user knows) when `target` is a held path.
    """
    named = named or target
    try:
        # A short name of our own: the record's name may already be near the 255-byte limit.
        handle, temporary = tempfile.mkstemp(
            prefix=SCRATCH_PREFIX, suffix=".tmp", dir=target.parent
        )
    except OSError as exc:
        raise ClusterdirError(f"{_oserror(named, exc)}; nothing was written") from None
    try:
        try:
            os.fchmod(handle, like.st_mode & 0o7777 if like else _new_file_mode())
            if like is not None and os.geteuid() == 0:
                os.fchown(handle, like.st_uid, like.st_gid)  # root keeps the editor's ownership
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            if unchanged is not None:
                unchanged()
            with signals.held():
                if replace:
                    os.replace(temporary, target)
                else:
                    os.link(temporary, target)  # fails if the file appeared: never overwrite
                    os.unlink(temporary)
                if placed is not None:
                    placed()
        except FileExistsError:
            raise AlreadyExists(named) from None
        except OSError as exc:
            raise ClusterdirError(f"{_oserror(named, exc)}; nothing was written") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def _new_file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_text_file(
    path: Path,
    text: str,
    replace: bool = False,
    placed: Callable[[], None] | None = None,
    inside: Path | None = None,
) -> None:
    """Write one UTF-8 file atomically: the whole new text or the old file, never a mix.

    Without `replace`, an existing file is never overwritten: the editors' commands use this.
    A folder made for the file is removed again when the file cannot be written. `placed` is
    called as the file takes its place (see `_place`). With `inside` (the records folder), the
    file's folder is reached from it without following a link, as `check` reads it: a record
    written through a link would land outside, unread.
    """
    if replace:
        target = _writable_target(path)
    elif path.exists() or path.is_symlink():
        raise AlreadyExists(path)
    else:
        target = path
    made = _make_parent(target)
    try:
        like = os.stat(target) if target.exists() else None
        if inside is None:
            _place(target, text.encode("utf-8"), replace, like, placed=placed)
            return
        folder = _open_below(inside, target.parent)
        try:
            held = held_path(folder, target.parent) / target.name
            _place(held, text.encode("utf-8"), replace, like, placed=placed, named=target)
        finally:
            os.close(folder)
    except BaseException:
        _remove_folders(made)
        raise


# Appending to a file another program gave us: never waiting on a FIFO (O_NONBLOCK).
_APPEND_FLAGS = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)


def append_text_file(path: Path, text: str) -> None:
    """Add UTF-8 text at the end of a regular file (made if missing), such as the step summary
    GitHub Actions gives a step; a FIFO, a device or a folder is refused."""
    cannot = f"cannot add to {shown(path, None)}"
    try:
        handle = os.open(path, _APPEND_FLAGS, 0o666)  # less the umask
    except OSError as exc:
        raise ClusterdirError(f"{cannot}: {exc.strerror or exc}") from None
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            raise ClusterdirError(f"{cannot}: it is not a regular file")
        data = memoryview(text.encode("utf-8"))
        while data:
            data = data[os.write(handle, data) :]
    except OSError as exc:
        raise ClusterdirError(f"{cannot}: {exc.strerror or exc}") from None
    finally:
        os.close(handle)


def _open_below(top: Path, folder: Path) -> int:
    """Open `folder` from `top` (which may itself be a link: the one the user named), following
    no link below it; raise ClusterdirError naming a folder on the way that is a link."""
    try:
        handle = os.open(top, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as exc:
        raise ClusterdirError(f"{_oserror(folder, exc)}; nothing was written") from None
    way = top
    for name in folder.relative_to(top).parts:
        way = way / name
        try:
            below = open_folder(name, handle)
        except OSError as exc:
            os.close(handle)
            if exc.errno in (errno.ELOOP, errno.ENOTDIR) and way.is_symlink():
                raise ClusterdirError(
                    f"{shown(way, None)} is a link to a folder, which check does not follow:"
                    " nothing was written"
                ) from None
            raise ClusterdirError(f"{_oserror(folder, exc)}; nothing was written") from None
        os.close(handle)
        handle = below
    return handle


@dataclass(frozen=True, slots=True)
class LockedRecord:
    """A record held under lock: where it really lives, its bytes, and what it was when read."""

    path: Path  # the path the editor gave
    target: Path  # the regular file it leads to
    data: bytes
    stat: os.stat_result


def _identity(info: os.stat_result) -> tuple[int, int, int, int, int]:
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


@contextlib.contextmanager
def locked_record(
    path: Path, inside: Path | None = None, wait: float = LOCK_SECONDS
) -> Iterator[LockedRecord]:
    """Hold a record under an exclusive lock while it is read, changed and replaced.

    The lock is on the file itself. A command that waited for it checks that the path still
    leads to the file it locked: when the other command replaced it, it locks the new one. A
    file with other names (hard links) is refused: replacing it would part them.
    """
    target = _writable_target(path, inside)
    deadline = time.monotonic() + wait
    while True:
        try:
            handle = os.open(target, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
        except OSError as exc:
            raise ClusterdirError(f"cannot read {shown(path, None)}: {exc.strerror}") from None
        try:
            info = os.fstat(handle)
            if not stat.S_ISREG(info.st_mode):
                raise ClusterdirError(
                    f"{shown(path, None)} is not a regular file: nothing was written"
                )
            if info.st_nlink > 1:
                raise ClusterdirError(
                    f"{shown(path, None)} has other names (hard links), which a new version would part from"
                    " it: add the award by hand; nothing was written"
                )
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise ClusterdirError(
                            f"another command is changing {shown(path, None)}: try again; nothing was written"
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
                    f"{shown(path, None)} is {info.st_size:,} bytes; a record must be under {MAX_BYTES:,}"
                )
            data = read_handle(handle)
            yield LockedRecord(path, target, data, info)
            return
        finally:
            os.close(handle)


def replace_record(
    record: LockedRecord, text: str, placed: Callable[[], None] | None = None
) -> None:
    """Replace a locked record with new text, unless someone changed it since it was read.

    The check runs when the new text is on disk, just before the rename, so that a save by an
    editor's own program during the write is not overwritten.
    """

    def unchanged() -> None:
        try:
            now = _identity(os.stat(record.target))
        except OSError:
            now = None
        if now != _identity(record.stat):
            raise ClusterdirError(
                f"{shown(record.path, None)} changed while the award was being added: run the command"
                " again; nothing was written"
            )

    _place(record.target, text.encode("utf-8"), True, record.stat, unchanged, placed)
