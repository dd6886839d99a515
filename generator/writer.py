"""The one place that writes files: a tree of generated files, and swapping a built site in."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from generator.errors import BuildFailed, ClusterdirError
from generator.pages import OutputFile


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
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_bytes(file.data)
        total += len(file.data)
    return total


def sync_tree(root: Path, files: Iterable[OutputFile], managed: str) -> int:
    """Make `root` hold exactly `files`: rewrite what changed, remove from `managed` what is gone.

    Used by the preview server, so that MkDocs's watcher sees only real changes.
    """
    wanted: set[Path] = set()
    changed = 0
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
    return changed


# Every built site carries this file, so that a build replaces only what a build made.
SITE_MARKER = ".clusterdir-site"


def looks_like_site(folder: Path) -> bool:
    """Whether a folder is empty or holds a site that an earlier build made (and no git data)."""
    if not folder.exists():
        return True
    if not folder.is_dir():
        return False
    names = set(os.listdir(folder))
    return not names or (SITE_MARKER in names and ".git" not in names)


def swap_in(built: Path, out: Path, scratch: Path) -> None:
    """Replace `out` by `built`; the old output is moved into `scratch` and removed with it."""
    if out.exists():
        out.rename(scratch / "previous-output")
    built.rename(out)


def remove_tree(folder: Path) -> None:
    """Delete a build folder, ignoring what is already gone."""
    shutil.rmtree(folder, ignore_errors=True)


def write_text_file(path: Path, text: str, replace: bool = False) -> None:
    """Write one UTF-8 file atomically (a temporary file renamed into place).

    Without `replace`, an existing file is never overwritten: the editors' commands use this.
    """
    if path.exists() and not replace:
        raise ClusterdirError(f"'{path}' already exists: nothing was written")
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        # mkstemp makes the file private; give it the mode the file had, or the usual one.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~umask)
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        if replace:
            os.replace(temporary, path)
        else:
            os.link(temporary, path)  # fails if the file appeared meanwhile: never overwrite
            os.unlink(temporary)
    except FileExistsError:
        os.unlink(temporary)
        raise ClusterdirError(f"'{path}' already exists: nothing was written") from None
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
