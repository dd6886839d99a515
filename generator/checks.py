"""Checks across records and against the label rules: duplicates, SILVER prerequisites, dates."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable

from generator.errors import Diagnostic, Severity
from generator.model import Cluster
from generator.months import Month, shown
from generator.rules import Rules


def _name_key(cluster: Cluster) -> tuple[str, str]:
    # Names that differ only in case, spacing or Unicode form are the same name to a reader.
    name = " ".join(unicodedata.normalize("NFKC", cluster.name).casefold().split())
    return cluster.country, name


def check_set(clusters: Iterable[Cluster]) -> list[Diagnostic]:
    """Problems of the set as a whole: two records with one id, or one name twice in a country."""
    problems: list[Diagnostic] = []
    by_id: dict[str, Cluster] = {}
    by_name: dict[tuple[str, str], Cluster] = {}
    for cluster in sorted(clusters, key=lambda c: c.path):
        first = by_id.setdefault(cluster.id, cluster)
        if first is not cluster:
            problems.append(
                Diagnostic(
                    cluster.path,
                    1,
                    1,
                    Severity.ERROR,
                    f"cluster id '{cluster.id}' is already used by {first.path}: rename one of the files",
                    "id",
                )
            )
        first = by_name.setdefault(_name_key(cluster), cluster)
        if first is not cluster:
            problems.append(
                Diagnostic(
                    cluster.path,
                    cluster.line,
                    1,
                    Severity.ERROR,
                    f"{shown(cluster.name)} in {cluster.country} is already listed in {first.path}:{first.line}",
                    "name",
                )
            )
    return problems


def check_rules(cluster: Cluster, rules: Rules, today: dt.date) -> list[Diagnostic]:
    """Warnings about awards that the label rules make doubtful."""
    problems: list[Diagnostic] = []

    def warn(line: int, col: int, message: str, field: str) -> None:
        problems.append(Diagnostic(cluster.path, line, col, Severity.WARNING, message, field))

    this_month = Month.from_date(today)
    for award in cluster.awards:
        if award.assessed > this_month:
            warn(
                award.line,
                award.col,
                f"assessed {award.assessed} is later than the build date {today.isoformat()}",
                "assessed",
            )
    silvers = sorted((a for a in cluster.awards if a.level == "silver"), key=lambda a: a.assessed)
    if silvers and "bronze" in rules.level_ids:
        first = silvers[0]
        need = rules.silver_prerequisite
        bronzes = sorted(
            a.assessed
            for a in cluster.awards
            if a.level == "bronze" and a.assessed <= first.assessed
        )
        if len(bronzes) < need.bronze_benchmarkings:
            warn(
                first.line,
                first.col,
                f"the first SILVER ({first.assessed}) follows {len(bronzes)} BRONZE benchmarking"
                f"{'s' if len(bronzes) != 1 else ''}; it takes {need.bronze_benchmarkings}",
                "labels",
            )
        elif need.bronze_benchmarkings >= 2:
            gap = bronzes[-1] - bronzes[-2]
            if not need.min_months_between <= gap <= need.max_months_between:
                warn(
                    first.line,
                    first.col,
                    f"the two BRONZE benchmarkings before the first SILVER ({bronzes[-2]}, {bronzes[-1]})"
                    f" are {gap} months apart; they should be {need.min_months_between} to"
                    f" {need.max_months_between}",
                    "labels",
                )
    return problems
