"""The load and validate stages: every record file under a folder, read, checked and collected."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from generator.core.errors import Diagnostic, Severity
from generator.core.model import Cluster
from generator.core.words import check_summary
from generator.labels.rules import Rules
from generator.records.checks import check_rules, check_set
from generator.records.reader import UnreadableFile, find_records, read_bytes, read_problem
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


def load_catalog(
    data_dir: Path, rules: Rules, sectors: tuple[str, ...], today: dt.date, strict: bool = False
) -> Catalog:
    """Read and check every record under `data_dir`; warnings become errors when strict."""
    found_files = find_records(data_dir)
    files = found_files.files
    vocab = Vocabulary(levels=rules.level_ids, sectors=sectors, bodies=rules.body_ids)
    clusters: list[Cluster] = []
    problems: list[Diagnostic] = list(found_files.problems)
    for path in files:
        cluster, found = load_record(path, vocab, data_dir)
        problems.extend(found)
        if cluster is not None:
            clusters.append(cluster)
            problems.extend(check_rules(cluster, rules, today))
    problems.extend(check_set(clusters))
    if strict:
        problems = [
            Diagnostic(d.path, d.line, d.col, Severity.ERROR, d.message, d.field)
            if d.severity is Severity.WARNING
            else d
            for d in problems
        ]
    problems.sort(key=Diagnostic.sort_key)
    return Catalog(tuple(clusters), tuple(problems), len(files))
