"""The only place that reads files the build did not make: records, and the project's own files
(mkdocs.yml, site_templates/) and a tree or site given to `finish`. It finds them and reads
their bytes, safely.

Only regular files are read. A FIFO, a device, a socket or a link to one of them is an error
found from the file's metadata, without opening it for a blocking read; the size limit is
checked before reading; a link that leads out of the records folder is refused and nothing of
its target is read, so no message can print it (CI logs are public). A folder that cannot be
listed or a path that cannot be reached is an error too: nothing is skipped silently.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.core.errors import ClusterdirError, ConfigError, Diagnostic, Severity, shown

RECORD_SUFFIX = ".yaml"
# A record is a few hundred bytes; anything this large is a mistake, and is not read at all.
MAX_BYTES = 256 * 1024
# A CSV list of clusters: 10,000 rows are about 2 MB.
MAX_LIST_BYTES = 64 * 1024 * 1024
# Other spellings of the record suffix, which are warned about rather than read.
_NEAR_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True, slots=True)
class RecordFiles:
    """The record files found under a folder, and the problems met while looking."""

    files: tuple[Path, ...]
    problems: tuple[Diagnostic, ...]


class UnreadableFile(Exception):
    """A file that is not read, with the reason in an editor's words."""


class CannotOpen(UnreadableFile):
    """A file that the system would not open or read (missing, no permission): `strerror` says why."""

    def __init__(self, strerror: str) -> None:
        self.strerror = strerror
        super().__init__(f"cannot read the file: {strerror}")


def _problem(path: Path | str, message: str, severity: Severity = Severity.ERROR) -> Diagnostic:
    return Diagnostic(str(path), 1, 1, severity, message)


def kind_of(mode: int) -> str:
    """What a non-regular file is, in an editor's words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def _unshowable(name: str) -> str | None:
    """The first character of a name that a message would have to escape, if any."""
    return next((c for c in name if shown(c, quoted=False) != c), None)


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def walk(
    top: Path | str, onerror: Callable[[OSError], None] | None = None
) -> Iterator[tuple[str, list[str], list[str]]]:
    """os.walk (top down, links to folders listed among the folders but not entered), without
    its recursion: a folder nested a thousand levels deep was a RecursionError on Python 3.11.

    As with os.walk, the caller may prune the list of folders it is given.
    """
    stack = [os.fspath(top)]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as found:
                entries = list(found)
        except OSError as exc:
            if onerror is not None:
                onerror(exc)
            continue
        dirs: list[str] = []
        names: list[str] = []
        for entry in entries:
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            (dirs if is_dir else names).append(entry.name)
        yield folder, dirs, names
        for name in reversed(dirs):
            below = os.path.join(folder, name)
            if not os.path.islink(below):
                stack.append(below)


def find_records(data_dir: Path) -> RecordFiles:
    """Every `*.yaml` file under a folder (hidden files and folders aside), and what went wrong."""
    try:
        mode = os.stat(data_dir).st_mode
    except FileNotFoundError:
        raise ClusterdirError(f"no records folder at {shown(data_dir, None)}") from None
    except OSError as exc:
        raise ClusterdirError(
            f"cannot read the records folder {shown(data_dir, None)}: {exc.strerror}"
        ) from None
    if not stat.S_ISDIR(mode):
        raise ClusterdirError(f"{shown(data_dir, None)} is not a folder: give the records folder")
    found: list[Path] = []
    problems: list[Diagnostic] = []

    def unlistable(exc: OSError) -> None:
        where = exc.filename or data_dir
        problems.append(_problem(where, f"cannot read the folder: {exc.strerror}"))

    for folder, dirs, names in walk(data_dir, onerror=unlistable):
        kept = []
        for name in sorted(dirs):
            if name.startswith("."):
                continue
            hidden = _unshowable(name)
            if hidden is not None:
                # Its records would be valid, and their paths would carry the character into
                # the report's CSV, which is data and kept exact: the folder is not read.
                problems.append(
                    _problem(
                        Path(folder, name),
                        f"the folder's name holds {shown(hidden)}, which a terminal or a log"
                        " cannot show as it is: rename the folder; its records are not read",
                    )
                )
                continue
            if name.lower().endswith(_NEAR_SUFFIXES):
                problems.append(
                    _problem(Path(folder, name), "a folder, not a record file: rename it")
                )
            if os.path.islink(os.path.join(folder, name)):
                # os.walk does not follow links; say so rather than leave its records out.
                problems.append(
                    _problem(
                        Path(folder, name),
                        "a link to a folder is not followed: move the records into the records folder",
                    )
                )
                continue
            kept.append(name)
        dirs[:] = kept
        for name in names:
            if name.startswith("."):
                continue
            if name.endswith(RECORD_SUFFIX):
                found.append(Path(folder, name))
            elif name.lower().endswith(_NEAR_SUFFIXES):
                problems.append(
                    _problem(
                        Path(folder, name),
                        f"not read: record files end in '{RECORD_SUFFIX}'",
                        Severity.WARNING,
                    )
                )
    return RecordFiles(tuple(sorted(found)), tuple(problems))


def _too_large(size: int, limit: int, kind: str | None = None) -> str:
    what = kind or ("a record" if limit == MAX_BYTES else "a list")
    return f"the file is {size:,} bytes; {what} must be under {limit:,}"


def _open_regular(
    path: Path, inside: Path | None, limit: int, where: str, kind: str | None = None
) -> int:
    """Open a regular file for reading without blocking; raise UnreadableFile otherwise."""
    try:
        info = os.lstat(path)
        target = str(path)
        if stat.S_ISLNK(info.st_mode):
            target = os.path.realpath(path)
            if inside is not None and not _inside(target, os.path.realpath(inside)):
                raise UnreadableFile(
                    f"a link to a file outside {where} is not read: copy the file into it instead"
                )
            info = os.stat(target)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile(f"{kind_of(info.st_mode)}, not a regular file: not read")
        if info.st_size > limit:
            raise UnreadableFile(_too_large(info.st_size, limit, kind))
        # O_NONBLOCK: should the file be swapped for a FIFO after the check, open does not wait;
        # O_NOFOLLOW: nor for a link.
        flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
        handle = os.open(target, flags)
    except OSError as exc:
        raise CannotOpen(str(exc.strerror)) from None
    if not stat.S_ISREG(os.fstat(handle).st_mode):
        os.close(handle)
        raise UnreadableFile("not a regular file: not read")
    named_inside = inside is not None and _inside(os.path.abspath(path), os.path.abspath(inside))
    if inside is not None and named_inside and not _opened_inside(handle, inside):
        # A file named inside the folder, but a folder on the way became a link after the
        # checks above: what was opened lies outside, and nothing of it is read.
        os.close(handle)
        raise UnreadableFile(
            f"a link to a file outside {where} is not read: copy the file into it instead"
        )
    return handle


def _opened_inside(handle: int, folder: Path) -> bool:
    """Whether the file open as `handle` lies inside `folder`, as the system says where the
    file it opened is (Linux's /proc/self/fd); True where it cannot say."""
    try:
        opened = os.readlink(f"/proc/self/fd/{handle}")
    except OSError:
        return True
    return _inside(opened, os.path.realpath(folder))


def read_handle(handle: int, limit: int = MAX_BYTES) -> bytes:
    """Read an open regular file, at most one byte past the size limit."""
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = os.read(handle, limit + 1 - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def read_bytes(
    path: Path,
    inside: Path | None = None,
    limit: int = MAX_BYTES,
    where: str = "the records folder",
    kind: str | None = None,
) -> bytes:
    """A file's bytes; raise UnreadableFile when it is not a readable regular file.

    With `inside`, a link must lead to a file within that folder (`where` names it), and
    nothing of a file outside it is read, so that no message can quote it. `kind` names what
    the file is in the size limit's message ("a record" by default).
    """
    handle = _open_regular(path, inside, limit, where, kind)
    try:
        data = read_handle(handle, limit)
    except OSError as exc:
        raise CannotOpen(str(exc.strerror)) from None
    finally:
        os.close(handle)
    if len(data) > limit:  # it grew after the check
        raise UnreadableFile(_too_large(len(data), limit, kind))
    return data


def check_file(
    path: Path, inside: Path | None, limit: int, where: str, kind: str | None = None
) -> None:
    """Raise UnreadableFile when `read_bytes` would refuse the file; read nothing of it.

    Only a regular file is ever opened (and closed at once), so a FIFO cannot block the check.
    """
    os.close(_open_regular(path, inside, limit, where, kind))


def find_files(folder: Path, where: str) -> tuple[list[Path], list[Diagnostic]]:
    """Every file under a folder (hidden ones too), sorted, and the problems met while looking:
    a link to a folder is not followed (`where` names the folder its files belong in), and a
    folder that cannot be listed is an error. Links to files are listed: `check_file` decides."""
    found: list[Path] = []
    problems: list[Diagnostic] = []

    def unlistable(exc: OSError) -> None:
        problems.append(_problem(exc.filename or folder, f"cannot read the folder: {exc.strerror}"))

    for parent, dirs, names in walk(folder, onerror=unlistable):
        kept = []
        for name in sorted(dirs):
            if os.path.islink(os.path.join(parent, name)):
                problems.append(
                    _problem(
                        Path(parent, name),
                        f"a link to a folder is not followed: copy its files into {where}",
                    )
                )
            else:
                kept.append(name)
        dirs[:] = kept
        found += (Path(parent, name) for name in names)
    return sorted(found), problems


def read_problem(path: Path, exc: UnreadableFile) -> Diagnostic:
    """An unreadable file as a diagnostic."""
    return _problem(path, str(exc))


def not_utf8(path: Path | str, data: bytes, exc: UnicodeDecodeError) -> str:
    """A message naming the line of the first byte that is not UTF-8."""
    line = len(re.findall(rb"\r\n|\r|\n", data[: exc.start])) + 1
    named = shown(path, None, quoted=False)
    return f"{named}:{line}: byte 0x{data[exc.start]:02x} is not UTF-8: save the file as UTF-8"


def read_text(
    path: Path,
    inside: Path | None = None,
    where: str = "the project",
    limit: int = MAX_BYTES,
    kind: str | None = None,
) -> str:
    """A settings or template file's text, read as `read_bytes` reads (a regular file, inside
    `inside` when it is a link, under the limit); raise ConfigError naming the path and the line."""
    try:
        data = read_bytes(path, inside, limit, where, kind)
    except CannotOpen as exc:
        raise ConfigError(
            f"cannot read {shown(path, None, quoted=False)}: {exc.strerror}"
        ) from None
    except UnreadableFile as exc:
        raise ConfigError(f"{shown(path, None, quoted=False)}: {exc}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(not_utf8(path, data, exc)) from None


TEMPLATES_NAME = "site_templates"  # how messages name the folder a template's link must stay in
# What a project file is, for the size limit's message (the limit is the records' own).
PROJECT_FILE = "a settings or template file"


def read_project_file(path: Path, inside: Path, where: str = TEMPLATES_NAME) -> bytes:
    """A file of the project, read as records are; raise ConfigError naming it when it may not be
    read (a link out of `inside`, a FIFO, a device, too large)."""
    try:
        return read_bytes(path, inside, MAX_BYTES, where, PROJECT_FILE)
    except UnreadableFile as exc:
        raise ConfigError(f"{shown(path, None, quoted=False)}: {exc}") from None
