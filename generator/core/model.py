"""The record model: the fields an editor writes, declared once, and the values they become."""

from __future__ import annotations

from dataclasses import dataclass

from generator.core.months import Month


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One key of a record (or of an award): everything the validator, the JSON Schema and the
    docs test need to know about it."""

    key: str
    required: bool
    kind: str
    """What the value is, and so which validator reads it: text, country, coordinates, url,
    eccp, sectors, awards, level, body or month."""
    doc: str
    one_line: bool = True
    """For text: whether a line break is refused (names are; descriptions may span lines)."""
    attribute: str = ""
    """The Cluster or Award attribute the value becomes, when it is not the key."""

    @property
    def name(self) -> str:
        """The attribute the value becomes."""
        return self.attribute or self.key


# The one declaration of the record format; the validator, the docs test and the JSON Schema
# for editors all read it.
# The two numbers of `coordinates`, in order, and the largest size of each, in degrees.
COORDINATES: tuple[tuple[str, int], ...] = (("latitude", 90), ("longitude", 180))

RECORD_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("name", True, "text", "The cluster organisation's name, shown exactly as written."),
    FieldSpec("acronym", False, "text", "A short name or acronym."),
    FieldSpec(
        "country", True, "country", "ISO 3166-1 alpha-2 country code, e.g. DE; NO is Norway."
    ),
    FieldSpec("city", False, "text", "The city the cluster management is based in."),
    FieldSpec(
        "coordinates", False, "coordinates", "[latitude, longitude] of the cluster, in degrees."
    ),
    FieldSpec("website", True, "url", "The cluster's website, an http or https address."),
    FieldSpec(
        "eccp",
        False,
        "eccp",
        "The cluster's profile on the European Cluster Collaboration Platform, an https address"
        " on clustercollaboration.eu.",
    ),
    FieldSpec("sectors", False, "sectors", "Sectors from the sector vocabulary."),
    FieldSpec(
        "description",
        False,
        "text",
        "A short plain-text description, shown as written.",
        one_line=False,
    ),
    FieldSpec(
        "labels",
        True,
        "awards",
        "The label awards: level, assessed month, optional valid_until.",
        attribute="awards",
    ),
)

AWARD_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("level", True, "level", "bronze, silver or gold."),
    FieldSpec("assessed", True, "month", "The month of the assessment, YYYY-MM."),
    FieldSpec(
        "valid_until", False, "month", "Overrides the computed end month of this award, YYYY-MM."
    ),
    FieldSpec(
        "awarded_by",
        False,
        "body",
        "The id of the body that awarded it, where it is not the one the rules file gives for"
        " its month.",
    ),
)


@dataclass(frozen=True, slots=True)
class Award:
    """One label award: its level, the month it was assessed, an optional end override and
    the body that made it, where the record names one."""

    level: str
    assessed: Month
    valid_until: Month | None = None
    awarded_by: str | None = None
    line: int = 0
    col: int = 0


@dataclass(frozen=True, slots=True)
class Cluster:
    """A validated cluster record; `id` is the file stem and the URL slug."""

    id: str
    path: str
    name: str
    country: str
    website: str
    awards: tuple[Award, ...]
    acronym: str | None = None
    city: str | None = None
    coordinates: tuple[float, float] | None = None
    sectors: tuple[str, ...] = ()
    description: str | None = None
    eccp: str | None = None
    line: int = 1
    where: tuple[tuple[str, int, int], ...] = ()  # (key, line, column) of each field's value

    def position(self, key: str) -> tuple[int, int]:
        """The line and column of a field's value, or of the record when it has no such field."""
        return next(((line, col) for k, line, col in self.where if k == key), (self.line, 1))
