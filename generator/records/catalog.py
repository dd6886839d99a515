"""The load and validate stages: every record file under a folder, read, checked and collected."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.core.errors import Diagnostic, Severity
from generator.core.model import Cluster
from generator.core.words import check_summary
from generator.labels.rules import Rules
from generator.records.checks import check_rules, check_set
from generator.records.reader import (
    RecordFiles,
    UnreadableFile,
    find_records,
    read_bytes,
    read_problem,
)
from generator.records.records import Vocabulary, cluster_from_node
from generator.records.source import read_record


@dataclass(frozen=True, slots=True)
class Catalog:
    """The valid clusters of a folder, with every problem found in it, in file order."""

    clusters: tuple[Cluster, ...]
    diagnostics: tuple[Diagnostic, ...]
    files: int

    def count(self, severity: Severity) -> int:
        """How many problems of a severity were found."""
        return sum(d.severity is severity for d in self.diagnostics)

    def summary(self) -> str:
        """One line such as '188 records, 0 errors, 1 warning'."""
        return check_summary(self.files, self.count(Severity.ERROR), self.count(Severity.WARNING))

    def failed(self, strict: bool) -> bool:
        """Whether the records may not be published: any error, or any warning under strict."""
        return self.count(Severity.ERROR) > 0 or (strict and self.count(Severity.WARNING) > 0)


def record_from_bytes(
    path: Path, data: bytes, vocab: Vocabulary
) -> tuple[Cluster | None, list[Diagnostic]]:
    """Validate a record's bytes as the file at `path`; the cluster is None when it has an error."""
    root, found = read_record(str(path), data)
    if root is None:
        return None, found
    return cluster_from_node(path.stem, str(path), root, vocab)


def load_record(
    path: Path, vocab: Vocabulary, inside: Path | None = None, where: str = "the records folder"
) -> tuple[Cluster | None, list[Diagnostic]]:
    """Read and validate one record file; the cluster is None when it has an error.

    With `inside`, a link must lead to a file within that folder (see `reader.read_bytes`).
    """
    try:
        data = read_bytes(path, inside, where=where)
    except UnreadableFile as exc:
        return None, [read_problem(path, exc)]
    return record_from_bytes(path, data, vocab)


@dataclass(slots=True)
class RecordCache:
    """What the preview keeps of each record file from one look to the next: the file's state
    (time, size, inode) and what reading and checking it gave, so that only a file that changed
    is read again. It holds for one set of rules, sectors and day."""

    context: tuple[Any, ...] = ()
    files: dict[Path, tuple[tuple[int, ...], Cluster | None, list[Diagnostic]]] = field(
        default_factory=dict
    )
    keys: dict[Any, Any] = field(default_factory=dict)  # for check_set
    read: int = 0  # how many files the last look read
    found: RecordFiles | None = None  # the files the last walk of the folder found


def _known_changes(cache: RecordCache, data_dir: Path, changed: Iterable[Path]) -> set[Path] | None:
    """The changed record files as the walk names them, when every changed path is a record
    file the cache knows and still a file, or a hidden one (an editor's, which the walk passes
    over): then the folder need not be walked again, as no record file came or went."""
    root = os.path.abspath(data_dir)
    found: set[Path] = set()
    for path in changed:
        relative = os.path.relpath(os.path.abspath(path), root)
        parts = Path(relative).parts
        if not parts or parts[0] == "..":
            return None
        if any(part.startswith(".") for part in parts):
            continue
        named = data_dir.joinpath(*parts)
        if named not in cache.files or not named.is_file():
            return None
        found.add(named)
    return found


def _state(path: Path) -> tuple[int, ...] | None:
    try:
        info, link = os.stat(path), os.lstat(path)
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino, info.st_dev, link.st_ino)


def load_catalog(
    data_dir: Path,
    rules: Rules,
    sectors: tuple[str, ...],
    today: dt.date,
    strict: bool = False,
    cache: RecordCache | None = None,
    changed: Iterable[Path] | None = None,
) -> Catalog:
    """Read and check every record under `data_dir`; warnings become errors when strict. With a
    `cache`, a file whose time, size and inode are unchanged is not read again; when the files
    that `changed` names (the preview's watcher's news) are all files the cache knows, only
    they are looked at."""
    only: set[Path] | None = None
    if (
        cache is not None
        and cache.found is not None
        and changed is not None
        and cache.context == (rules, sectors, today)
    ):
        only = _known_changes(cache, data_dir, changed)
    found_files = cache.found if cache is not None and cache.found and only is not None else None
    if found_files is None:
        found_files, only = find_records(data_dir), None
    files = found_files.files
    vocab = Vocabulary(levels=rules.level_ids, sectors=sectors, bodies=rules.body_ids)
    if cache is not None and cache.context != (rules, sectors, today):
        cache.context, cache.files, cache.keys = (rules, sectors, today), {}, {}
    known = cache.files if cache is not None else {}
    kept: dict[Path, tuple[tuple[int, ...], Cluster | None, list[Diagnostic]]] = {}
    clusters: list[Cluster] = []
    problems: list[Diagnostic] = list(found_files.problems)
    read = 0
    for path in files:
        before = known.get(path)
        if only is not None and path not in only and before is not None:
            state: tuple[int, ...] | None = before[0]  # no news of it: as it was
        else:
            state = _state(path) if cache is not None else None
        if state is not None and before is not None and before[0] == state:
            _, cluster, found = before
        else:
            read += 1
            cluster, found = load_record(path, vocab, data_dir)
            if cluster is not None:
                found = [*found, *check_rules(cluster, rules, today)]
            if state is not None:
                kept[path] = (state, cluster, found)
        if state is not None and path not in kept:
            kept[path] = (state, cluster, found)
        problems.extend(found)
        if cluster is not None:
            clusters.append(cluster)
    if cache is not None:
        cache.files, cache.read, cache.found = kept, read, found_files
    problems.extend(check_set(clusters, cache.keys if cache is not None else None))
    if strict:
        problems = [
            Diagnostic(d.path, d.line, d.col, Severity.ERROR, d.message, d.field)
            if d.severity is Severity.WARNING
            else d
            for d in problems
        ]
    problems.sort(key=Diagnostic.sort_key)
    return Catalog(tuple(clusters), tuple(problems), len(files))
