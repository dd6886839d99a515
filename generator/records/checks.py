"""Checks across records and against the label rules: duplicates, SILVER prerequisites, stacked
renewals, dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from generator.core.dates import day_text, iso_day
from generator.core.errors import Diagnostic, Severity, shown
from generator.core.model import Award, Cluster
from generator.core.months import Month
from generator.core.words import benchmarkings_text, months_text
from generator.labels.rules import Rules
from generator.labels.status import history
from generator.records.textcheck import ascii_host, skeleton


def name_key(cluster: Cluster) -> tuple[str, str]:
    """Names a reader cannot tell apart are one name: case, width, invisible and look-alike
    characters are folded (UTS #39 skeleton)."""
    return cluster.country, skeleton(cluster.name)


def website_key(url: str) -> str:
    """One website however it is written: scheme, case, 'www.', the port of the scheme and a
    final '/' set aside."""
    parts = urlsplit(url)
    host = ascii_host(parts.hostname or "").removeprefix("www.")
    port = parts.port if parts.port not in (None, 80, 443) else ""
    return f"{host}:{port}{parts.path.rstrip('/')}?{parts.query}"


class SetIndex:
    """The checks of the set as a whole, made one record at a time, so that adding a record to
    10,000 costs one lookup: one id per file, one name per country, one record per website."""

    def __init__(self) -> None:
        self._ids: dict[str, Cluster] = {}
        self._names: dict[tuple[str, str], Cluster] = {}
        self._websites: dict[str, Cluster] = {}
        self._held: dict[str, str] = {}  # ids of record files that are not valid (yet)

    def with_id(self, cluster_id: str) -> Cluster | None:
        """The cluster added with this id, if any."""
        return self._ids.get(cluster_id)

    def hold(self, cluster_id: str, path: str) -> None:
        """Take an id for a record file that has an error: once it is fixed, it holds the id."""
        self._held.setdefault(cluster_id, path)

    def holder(self, cluster_id: str) -> str | None:
        """The path of the record file, valid or not, that holds this id."""
        cluster = self._ids.get(cluster_id)
        return cluster.path if cluster is not None else self._held.get(cluster_id)

    def add(self, cluster: Cluster, keys: _Keys | None = None) -> list[Diagnostic]:
        """The problems that the cluster makes with the ones added before it; then add it."""
        keys = keys or _Keys.of(cluster)
        problems = self._conflicts(cluster, keys)
        self._ids.setdefault(cluster.id, cluster)
        self._names.setdefault(keys.name, cluster)
        self._websites.setdefault(keys.website, cluster)
        return problems

    def conflicts(self, cluster: Cluster) -> list[Diagnostic]:
        """The problems that the cluster would make with the ones added so far."""
        return self._conflicts(cluster, _Keys.of(cluster))

    def _conflicts(self, cluster: Cluster, keys: _Keys) -> list[Diagnostic]:
        problems: list[Diagnostic] = []
        first = self._ids.get(cluster.id, cluster)
        if first is not cluster:
            problems.append(
                Diagnostic(
                    cluster.path,
                    1,
                    1,
                    Severity.ERROR,
                    f"cluster id {shown(cluster.id)} is already used by {shown(first.path, None, False)}:"
                    " rename one of the files",
                    "id",
                )
            )
        first = self._names.get(keys.name, cluster)
        if first is not cluster:
            line, col = cluster.position("name")
            same = "" if first.name == cluster.name else f" as {shown(first.name)}"
            problems.append(
                Diagnostic(
                    cluster.path,
                    line,
                    col,
                    Severity.ERROR,
                    f"{shown(cluster.name)} in {cluster.country} is already listed{same} in "
                    f"{shown(first.path, None, False)}:{first.position('name')[0]}",
                    "name",
                )
            )
        first = self._websites.get(keys.website, cluster)
        if first is not cluster:
            line, col = cluster.position("website")
            problems.append(
                Diagnostic(
                    cluster.path,
                    line,
                    col,
                    Severity.WARNING,
                    f"website {shown(cluster.website)} is also the website of {shown(first.path, None, False)}:"
                    f"{first.position('website')[0]}: one record per cluster",
                    "website",
                )
            )
        return problems


@dataclass(frozen=True, slots=True)
class _Keys:
    """The keys a cluster is indexed under, computed once."""

    name: tuple[str, str]
    website: str

    @classmethod
    def of(cls, cluster: Cluster) -> _Keys:
        return cls(name_key(cluster), website_key(cluster.website))


def check_set(
    clusters: Iterable[Cluster], known: dict[Cluster, _Keys] | None = None
) -> list[Diagnostic]:
    """Problems of the set as a whole: two records with one id, or one name twice in a country.

    `known` keeps each cluster's keys from one call to the next (the preview passes one), so
    that only a changed record's name and website are folded again.
    """
    index = SetIndex()
    keys = {} if known is None else known
    found = [
        p
        for cluster in sorted(clusters, key=lambda c: c.path)
        for p in index.add(
            cluster, keys.get(cluster) or keys.setdefault(cluster, _Keys.of(cluster))
        )
    ]
    if known is not None and len(known) > 2 * len(index._ids) + 64:  # forget old versions
        live = set(index._ids.values())
        for cluster in [c for c in known if c not in live]:
            del known[cluster]
    return found


def _stacked(cluster: Cluster, rules: Rules) -> list[Diagnostic]:
    """Awards of one level assessed closer together than the rules file allows."""
    problems: list[Diagnostic] = []
    effects = {id(e.award): e for e in history(cluster.awards, rules)}
    previous: dict[str, Award] = {}
    for award in sorted(cluster.awards, key=lambda a: (a.assessed, a.level)):
        before = previous.get(award.level)
        previous[award.level] = award
        if before is None or award.assessed - before.assessed >= rules.min_months_between_awards:
            continue
        gap = award.assessed - before.assessed
        name = rules.level(award.level).name
        problems.append(
            Diagnostic(
                cluster.path,
                award.line,
                award.col,
                Severity.WARNING,
                f"the {name} award of {award.assessed} comes {months_text(gap)}"
                f" after the one of {before.assessed}: renewals stack, so the label now runs to "
                f"{effects[id(award)].valid_through}; check the months",
                "assessed",
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
                f"assessed {award.assessed} is later than the build date {iso_day(today)}",
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
                f"the first SILVER ({first.assessed}) follows "
                f"{benchmarkings_text(len(bronzes), 'BRONZE')}; it takes {need.bronze_benchmarkings}",
                "labels",
            )
        elif need.bronze_benchmarkings >= 2:
            gap = bronzes[-1] - bronzes[-2]
            if not need.min_months_between <= gap <= need.max_months_between:
                warn(
                    first.line,
                    first.col,
                    f"the two BRONZE benchmarkings before the first SILVER ({bronzes[-2]}, {bronzes[-1]})"
                    f" are {months_text(gap)} apart; they should be {need.min_months_between} to"
                    f" {need.max_months_between}",
                    "labels",
                )
    return problems + _stacked(cluster, rules)


def without_eccp(clusters: Iterable[Cluster], rules: Rules) -> list[Diagnostic]:
    """Information lines for records with an award made since labels went only to organisations
    on the European Cluster Collaboration Platform, and no `eccp` profile: one a record, at its
    latest such award. The register may not know the profile, so this is not a warning."""
    since = rules.eccp_required_from
    if since is None:
        return []
    # An award is made after its assessment: one assessed in the month of the rule may fall
    # under it, and is listed.
    first = Month.from_date(since)
    found = []
    for cluster in clusters:
        later = [a for a in cluster.awards if a.assessed >= first]
        if cluster.eccp or not later:
            continue
        award = max(later, key=lambda a: (a.assessed, rules.level(a.level).rank))
        found.append(
            Diagnostic(
                cluster.path,
                award.line,
                award.col,
                Severity.INFO,
                f"no ECCP profile: the {rules.level(award.level).name} award of {award.assessed}"
                f" was made under the rule of {day_text(since)} that labels go only to"
                " organisations listed on the European Cluster Collaboration Platform; add 'eccp'"
                " with the cluster's profile address if you know it",
                "eccp",
            )
        )
    return found
