"""The label rules read from their data file: every figure, none of them in code."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from generator.core.countries import country_name, is_country
from generator.core.errors import ConfigError, shown
from generator.core.model import Award
from generator.core.months import Month, parse_date, parse_month


@dataclass(frozen=True, slots=True)
class LevelRules:
    """The validity and renewal figures of one label level."""

    id: str
    name: str
    title: str
    rank: int
    first_validity_months: int
    renewal_window_months: int
    renewal_extension_months: int


@dataclass(frozen=True, slots=True)
class SilverPrerequisite:
    """What a first SILVER asks of earlier BRONZE benchmarkings."""

    bronze_benchmarkings: int
    min_months_between: int
    max_months_between: int


@dataclass(frozen=True, slots=True)
class Body:
    """A body that awards the labels: the issuer of its awards in the site's structured data."""

    id: str
    name: str
    acronym: str
    city: str
    country: str  # ISO 3166-1 alpha-2
    url: str | None = None  # its website
    street: str | None = None  # only where known: no address is guessed
    default_from: Month | None = None  # None: from the start
    note: str = ""  # its part in the labels' history, one sentence for the about page

    @property
    def full_name(self) -> str:
        """Its name with its acronym: 'European Secretariat for Cluster Analysis (ESCA)'."""
        return f"{self.name} ({self.acronym})"

    @property
    def place(self) -> str:
        """Where it is, as the rules file knows it: 'Berlin, Germany'."""
        return ", ".join(p for p in (self.street, self.city, country_name(self.country)) if p)


@dataclass(frozen=True, slots=True)
class Rules:
    """All label rules: the levels from lowest to highest, the SILVER prerequisite and the
    bodies that award the labels."""

    levels: tuple[LevelRules, ...]
    silver_prerequisite: SilverPrerequisite
    min_months_between_awards: int  # closer awards of one level stack renewals: a warning
    bodies: tuple[Body, ...] = ()  # in the order they took over, the first from the start
    eccp_required_from: dt.date | None = None  # labels go only to organisations on the ECCP

    def level(self, level_id: str) -> LevelRules:
        """The rules of one level, by id."""
        for level in self.levels:
            if level.id == level_id:
                return level
        raise KeyError(level_id)

    @property
    def level_ids(self) -> tuple[str, ...]:
        """The level ids from lowest to highest."""
        return tuple(level.id for level in self.levels)

    @property
    def highest_first(self) -> tuple[LevelRules, ...]:
        """The levels from highest to lowest: the order in which the site shows them everywhere."""
        return tuple(reversed(self.levels))

    @property
    def body_ids(self) -> tuple[str, ...]:
        """The awarding bodies' ids, in the order of the rules file."""
        return tuple(body.id for body in self.bodies)

    def body(self, body_id: str) -> Body:
        """An awarding body, by id."""
        for body in self.bodies:
            if body.id == body_id:
                return body
        raise KeyError(body_id)

    def default_body(self, month: Month) -> Body:
        """The body that awards by default in a month: the last one to have taken over by then."""
        found = self.bodies[0]
        for body in self.bodies[1:]:
            if body.default_from is not None and body.default_from <= month:
                found = body
        return found

    def awarding_body(self, award: Award) -> Body:
        """Who made an award: the body its record names, else the default of its month."""
        if award.awarded_by is not None:
            return self.body(award.awarded_by)
        return self.default_body(award.assessed)

    @property
    def issuer(self) -> Body | None:
        """The body that awards new labels (the last of the rules file): the register's source."""
        return self.bodies[-1] if self.bodies else None


# Every figure is a number of months in this range: ten years at most keeps every validity the
# rules can compute within the calendar (see months.LAST_YEAR and records.MAX_AWARDS).
MAX_RULE_MONTHS = 120


def _positive_int(data: dict[str, Any], key: str, where: str) -> int:
    value = data.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_RULE_MONTHS:
        raise ConfigError(
            f"{where}: '{key}' must be a whole number of months from 0 to {MAX_RULE_MONTHS}, "
            f"got {shown(repr(value), quoted=False)}"
        )
    return value


def rules_from_data(data: Any, where: str = "rules") -> Rules:
    """Build Rules from the parsed rules file, checking every figure."""
    if not isinstance(data, dict) or not isinstance(data.get("levels"), list) or not data["levels"]:
        raise ConfigError(f"{where}: expected a mapping with a non-empty 'levels' list")
    levels = []
    for rank, item in enumerate(data["levels"]):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            raise ConfigError(f"{where}: level {rank + 1} needs an 'id'")
        levels.append(
            LevelRules(
                id=item["id"],
                name=str(item.get("name", item["id"].upper())),
                title=str(item.get("title", "")),
                rank=rank,
                first_validity_months=_positive_int(item, "first_validity_months", where),
                renewal_window_months=_positive_int(item, "renewal_window_months", where),
                renewal_extension_months=_positive_int(item, "renewal_extension_months", where),
            )
        )
    prereq = data.get("silver_prerequisite") or {}
    if not isinstance(prereq, dict):
        raise ConfigError(f"{where}: 'silver_prerequisite' must be a mapping")
    return Rules(
        levels=tuple(levels),
        silver_prerequisite=SilverPrerequisite(
            bronze_benchmarkings=_positive_int(prereq, "bronze_benchmarkings", where),
            min_months_between=_positive_int(prereq, "min_months_between", where),
            max_months_between=_positive_int(prereq, "max_months_between", where),
        ),
        min_months_between_awards=_positive_int(data, "min_months_between_awards", where),
        bodies=_bodies(data.get("awarding_bodies"), where),
        eccp_required_from=_day(data, "eccp_required_from", where),
    )


# A body's id as a record names it: as a cluster id is written.
_BODY_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _body_text(item: dict[str, Any], key: str, where: str, required: bool = True) -> str | None:
    value = item.get(key)
    if value is None and not required:
        return None
    # Printable: no control character, no line break, nothing that reads other than written.
    if not isinstance(value, str) or not value.strip() or not value.isprintable():
        raise ConfigError(
            f"{where}: awarding body {shown(str(item.get('id')))}: '{key}' must be one line of "
            f"printable text, got {shown(repr(value), quoted=False)}"
        )
    return value.strip()


def _body(item: Any, first: bool, where: str) -> Body:
    if not isinstance(item, dict) or not isinstance(item.get("id"), str):
        raise ConfigError(f"{where}: each awarding body needs an 'id'")
    body_id = item["id"]
    named = f"{where}: awarding body {shown(body_id)}"
    if not _BODY_ID.fullmatch(body_id):
        raise ConfigError(f"{named}: an id is lowercase a-z, 0-9 and single '-'")
    url = item.get("website")
    if url is not None and not (isinstance(url, str) and url.startswith("https://")):
        raise ConfigError(
            f"{named}: 'website' must be an https address, got {shown(repr(url), quoted=False)}"
        )
    country = _body_text(item, "country", where)
    if not is_country(str(country)):
        raise ConfigError(f"{named}: 'country' must be an ISO 3166-1 alpha-2 code such as DE")
    start = item.get("default_from")
    if first != (start is None):
        raise ConfigError(
            f"{named}: "
            + (
                "the first body awards from the start: remove its 'default_from'"
                if first
                else "'default_from' must give the month from which it awards by default, YYYY-MM"
            )
        )
    try:
        default_from = None if start is None else parse_month(str(start))
    except ValueError as exc:
        raise ConfigError(f"{named}: 'default_from': {exc}") from None
    return Body(
        id=body_id,
        name=str(_body_text(item, "name", where)),
        acronym=str(_body_text(item, "acronym", where)),
        city=str(_body_text(item, "city", where)),
        country=str(country),
        url=url,
        street=_body_text(item, "street", where, required=False),
        default_from=default_from,
        note=_body_text(item, "note", where, required=False) or "",
    )


def _bodies(data: Any, where: str) -> tuple[Body, ...]:
    if not isinstance(data, list) or not data:
        raise ConfigError(f"{where}: expected an 'awarding_bodies' list with at least one body")
    bodies = tuple(_body(item, i == 0, where) for i, item in enumerate(data))
    for before, after in itertools.pairwise(bodies):
        # Every body after the first has a month (checked above).
        if before.default_from and after.default_from and after.default_from <= before.default_from:
            raise ConfigError(
                f"{where}: awarding body {shown(after.id)}: 'default_from' must come after that of "
                f"{shown(before.id)}: list the bodies in the order they took over"
            )
    ids = [body.id for body in bodies]
    twice = next((i for i in ids if ids.count(i) > 1), None)
    if twice is not None:
        raise ConfigError(f"{where}: awarding body {shown(twice)} is listed twice")
    return bodies


def _day(data: dict[str, Any], key: str, where: str) -> dt.date:
    # YAML reads an unquoted 2019-11-15 as a date, a quoted one as text: both are taken.
    value = data.get(key)
    try:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str):
            return parse_date(value)
    except ValueError:
        pass
    raise ConfigError(
        f"{where}: '{key}' must be a date such as 2019-11-15, got {shown(repr(value), quoted=False)}"
    )


def _yaml_problem(exc: yaml.YAMLError, where: str) -> str:
    """A YAML error in one line, `path:line:col: YAML syntax error: problem`, as for a record."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    at = f"{where}:{mark.line + 1}:{mark.column + 1}" if mark is not None else where
    return f"{at}: YAML syntax error: {problem}"


def _read_data_file(name: str, path: Path | None) -> tuple[Any, str]:
    packaged = resources.files("generator").joinpath("data", name)
    where = str(path or packaged)
    try:
        text = path.read_text("utf-8") if path is not None else packaged.read_text("utf-8")
        return yaml.safe_load(text), where
    except yaml.YAMLError as exc:
        raise ConfigError(_yaml_problem(exc, where)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {where}: {exc}") from None


def load_rules(path: Path | None = None) -> Rules:
    """Read the rules file (the packaged one unless a path is given)."""
    if path is None:
        return _packaged_rules()
    data, where = _read_data_file("rules.yaml", path)
    return rules_from_data(data, where)


def load_sectors(path: Path | None = None) -> tuple[str, ...]:
    """Read the sector vocabulary (the packaged one unless a path is given)."""
    if path is None:
        return _packaged_sectors()
    return _sectors(path)


# The packaged files are read once, when first asked for (not on import): a broken rules file
# stops every command that needs the rules, but not `--version` or `--help`.
@functools.cache
def _packaged_rules() -> Rules:
    data, where = _read_data_file("rules.yaml", None)
    return rules_from_data(data, where)


@functools.cache
def _packaged_sectors() -> tuple[str, ...]:
    return _sectors(None)


def _sectors(path: Path | None) -> tuple[str, ...]:
    data, where = _read_data_file("sectors.yaml", path)
    if not isinstance(data, list) or not all(isinstance(s, str) and s for s in data):
        raise ConfigError(f"{where}: expected a list of sector names")
    return tuple(data)
