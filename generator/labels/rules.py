"""The label rules read from their data file: every figure, none of them in code."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from generator.core.errors import ConfigError, shown


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
class Issuer:
    """Who awards the labels: named as the issuer of every certification in structured data."""

    name: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Rules:
    """All label rules: the levels from lowest to highest and the SILVER prerequisite."""

    levels: tuple[LevelRules, ...]
    silver_prerequisite: SilverPrerequisite
    min_months_between_awards: int  # closer awards of one level stack renewals: a warning
    issuer: Issuer | None = None

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
        issuer=_issuer(data.get("issuer"), where),
    )


def _issuer(data: Any, where: str) -> Issuer | None:
    if data is None:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("name"), str) or not data["name"]:
        raise ConfigError(f"{where}: 'issuer' must be a mapping with a 'name'")
    url = data.get("url")
    if url is not None and not (isinstance(url, str) and url.startswith("https://")):
        raise ConfigError(
            f"{where}: 'issuer.url' must be an https address, got {shown(repr(url), quoted=False)}"
        )
    return Issuer(data["name"], url)


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
