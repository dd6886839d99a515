"""Open data: the register as downloads, with the descriptions that let machines read them.

clusters.csv and clusters.json (the clusters listed today; each country's part of them beside
its page as well), awards.csv (their award history),
datapackage.json (a Frictionless Data Package: a Table Schema per CSV) and catalog.jsonld
(DCAT-AP 3, from generator/site/dataset.py, which also describes the register on the home page).
Every column is declared once below, with its type, meaning and allowed values: the CSVs, the
Table Schemas and the about page all read it. The files are the same for every language, and
in English (a country's name too); only the about page's tables of columns are in the page's
language (`column_tables`).

Pure: the directory and the site's settings in, bytes and JSON-ready values out.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from generator import FORMAT_VERSION
from generator.core import i18n
from generator.core.dates import iso_day, iso_month
from generator.core.model import COORDINATES
from generator.core.output import OutputFile
from generator.labels.rules import Rules
from generator.labels.status import AwardEffect, AwardKind
from generator.records.records import ID_RE
from generator.site.csvout import csv_text
from generator.site.dataset import (
    DOWNLOADS,
    KEYWORDS,
    Licence,
    data_licence,
    dataset_description,
    dcat_catalog,
    listed,
)
from generator.site.directory import Directory, Entry
from generator.site.siteconfig import SiteSettings


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a CSV download: its Table Schema type, its meaning (in English, marked with
    `i18n.N_`: the about page translates it) and what it allows."""

    name: str
    type: str
    description: str
    required: bool = False
    enum: tuple[str, ...] = ()
    levels: bool = False  # allowed values: the rules' level ids
    bodies: bool = False  # allowed values: the rules' awarding body ids
    constraints: tuple[tuple[str, object], ...] = ()  # pattern, minimum, maximum, unique
    properties: tuple[tuple[str, object], ...] = ()  # other field properties (a list's delimiter)


def _date(name: str, description: str) -> Column:
    """A required date column (every date of the downloads is one)."""
    return Column(name, "date", description, required=True)


# The columns' meanings are the about page's words too: marked here, translated there.
# The records' id rule in the regular expressions of XML Schema, which Table Schema patterns use
# (they have no non-capturing groups).
_ID = (("pattern", ID_RE.pattern.replace("(?:", "(")),)
CLUSTER_COLUMNS = (
    Column(
        "id",
        "string",
        # Translators: a download's column, on the about page; keep each `code` as it is.
        i18n.N_("The cluster's permanent identifier; its page is `clusters/<id>/`."),
        True,
        constraints=(("unique", True), *_ID),
    ),
    Column("name", "string", i18n.N_("The cluster organisation's name, as written."), True),
    Column("acronym", "string", i18n.N_("Its short name or acronym, where it has one.")),
    Column(
        "country",
        "string",
        i18n.N_("Its country, as an ISO 3166-1 alpha-2 code."),
        True,
        constraints=(("pattern", "[A-Z]{2}"),),
    ),
    Column("country_name", "string", i18n.N_("Its country's English name."), True),
    Column("city", "string", i18n.N_("The city the cluster management is based in, where known.")),
    *(
        Column(name, "number", meaning, constraints=(("minimum", -limit), ("maximum", limit)))
        for (name, limit), meaning in zip(
            COORDINATES,
            (
                i18n.N_("Where the cluster is, in degrees north, where known."),
                i18n.N_("Where the cluster is, in degrees east, where known."),
            ),
            strict=True,
        )
    ),
    Column(
        "website",
        "string",
        i18n.N_("The cluster's website."),
        True,
        constraints=(("pattern", "https?://.+"),),
    ),
    Column(
        "sectors",
        "list",
        # Translators: a download's column, on the about page; keep each `code` as it is.
        i18n.N_("Its sectors, separated by `; ` in the CSV (a list in the JSON)."),
        properties=(("delimiter", "; "), ("itemType", "string")),
    ),
    Column(
        "label",
        "string",
        i18n.N_("The label it holds on the as-of date; empty in renewal."),
        levels=True,
    ),
    Column(
        "state",
        "string",
        # Translators: a download's column, on the about page; keep each `code` as it is.
        i18n.N_("`valid`: it holds a label; `renewal`: its label ended and can still be renewed."),
        True,
        enum=("valid", "renewal"),
    ),
    _date(
        "valid_since",
        i18n.N_("The first day of the validity it holds (in renewal: of the one that ended)."),
    ),
    _date("valid_until", i18n.N_("The last day of that validity.")),
    _date("renewable_until", i18n.N_("The last day on which the label can be renewed.")),
    Column("url", "string", i18n.N_("The cluster's page, relative to the site's address."), True),
    _date("as_of", i18n.N_("The date the row is valid for.")),
)
# Kept for readers of the JSON and CSV: the columns in order, by name.
DATA_COLUMNS = tuple(column.name for column in CLUSTER_COLUMNS)

OVERRIDE = "override"
AWARD_COLUMNS = (
    Column(
        "cluster_id",
        "string",
        # Translators: a download's column, on the about page; keep each `code` as it is.
        i18n.N_("The cluster the award belongs to: an `id` of clusters.csv."),
        True,
        constraints=_ID,
    ),
    Column("level", "string", i18n.N_("The level awarded."), True, levels=True),
    Column("assessed", "yearmonth", i18n.N_("The month of the assessment, `YYYY-MM`."), True),
    Column(
        "kind",
        "string",
        # Translators: a download's column, on the about page; keep each `code` as it is.
        i18n.N_(
            "`first`: the level's first award; `renewal`: within the renewal window, extends "
            "the validity without a gap; `new`: after the window closed, starts afresh; "
            "`override`: the secretariat set the end of its validity."
        ),
        True,
        enum=(*AwardKind, OVERRIDE),
    ),
    Column(
        "rule_kind",
        "string",
        # Translators: a download's column, on the about page; keep each `code` as it is.
        i18n.N_("What the rules alone make of the award (for an `override` too)."),
        True,
        enum=tuple(AwardKind),
    ),
    _date(
        "valid_from",
        i18n.N_("The first day of the validity the award belongs to (a renewal keeps its start)."),
    ),
    _date("valid_until", i18n.N_("The last valid day the award gives.")),
    _date("as_of", i18n.N_("The date the row is valid for: later awards are not listed.")),
    Column(
        "awarded_by",
        "string",
        i18n.N_(
            "The id of the body that made the award: the one its record names, else the one "
            "that awarded by default in the month of the assessment (the about page names each "
            "body)."
        ),
        True,
        bodies=True,
    ),
)


def table_schema(columns: Sequence[Column], rules: Rules) -> list[dict[str, object]]:
    """The Table Schema fields of a download's columns."""
    fields = []
    for column in columns:
        field: dict[str, object] = {
            "name": column.name,
            "type": column.type,
            "description": column.description,
            **dict(column.properties),
        }
        constraints: dict[str, object] = {"required": True} if column.required else {}
        constraints |= dict(column.constraints)
        if column.enum or column.levels:
            constraints["enum"] = list(column.enum or (level.id for level in rules.highest_first))
        if column.bodies:
            constraints["enum"] = list(rules.body_ids)
        if constraints:
            field["constraints"] = constraints
        fields.append(field)
    return fields


def _iso(day: dt.date | None) -> str | None:
    return iso_day(day) if day else None


def _row(entry: Entry, as_of: str) -> dict[str, object]:
    c, s = entry.cluster, entry.status
    return {
        "id": c.id,
        "name": c.name,
        "acronym": c.acronym,
        "country": c.country,
        "country_name": entry.country_name,
        "city": c.city,
        "latitude": c.coordinates[0] if c.coordinates else None,
        "longitude": c.coordinates[1] if c.coordinates else None,
        "website": c.website,
        "sectors": list(c.sectors),
        "label": s.label,
        "state": s.state.value,
        "valid_since": _iso(s.valid_since),
        "valid_until": _iso(s.valid_until),
        "renewable_until": _iso(s.renewable_until),
        "url": f"clusters/{c.id}/",
        "as_of": as_of,
    }


def _award_row(cluster_id: str, effect: AwardEffect, as_of: str, rules: Rules) -> dict[str, object]:
    award = effect.award
    return {
        "cluster_id": cluster_id,
        "level": award.level,
        "assessed": iso_month(award.assessed),
        "kind": OVERRIDE if award.valid_until is not None else effect.kind.value,
        "rule_kind": effect.kind.value,
        "valid_from": iso_day(effect.valid_from.first_day()),
        "valid_until": iso_day(effect.valid_through.last_day()),
        "as_of": as_of,
        "awarded_by": rules.awarding_body(award).id,
    }


def award_rows(directory: Directory) -> list[dict[str, object]]:
    """Every award of the listed clusters known on the as-of date, by cluster id, then in the
    order of the history (assessed, level)."""
    as_of = iso_day(directory.as_of)
    return [
        _award_row(entry.cluster.id, effect, as_of, directory.rules)
        for entry in sorted(listed(directory), key=lambda e: e.cluster.id)
        for effect in entry.status.history  # already ordered by assessed month, then level
    ]


def _csv_value(value: object) -> object:
    # Lists (the sectors) go into one cell, separated as editors write them in a list.
    return "; ".join(value) if isinstance(value, list) else value


def _csv(columns: Sequence[Column], rows: Iterable[dict[str, object]]) -> bytes:
    names = [column.name for column in columns]
    return csv_text(names, ([_csv_value(row[name]) for name in names] for row in rows)).encode()


def _json(document: object) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode()


def open_data(directory: Directory, settings: SiteSettings | None = None) -> list[OutputFile]:
    """The downloads and their descriptions: clusters.csv and .json, awards.csv,
    datapackage.json and catalog.jsonld; in English, whatever the current language."""
    with i18n.speaking(i18n.ENGLISH):
        return _open_data(directory, settings or SiteSettings())


def _open_data(directory: Directory, settings: SiteSettings) -> list[OutputFile]:
    as_of = iso_day(directory.as_of)
    rows = [_row(e, as_of) for e in listed(directory)]
    head = directory.headline
    document = _clusters_document(as_of, head.clusters, head.countries, rows)
    files = [
        OutputFile("clusters.json", _json(document)),
        OutputFile("clusters.csv", _csv(CLUSTER_COLUMNS, rows)),
        OutputFile("awards.csv", _csv(AWARD_COLUMNS, award_rows(directory))),
    ]
    files.append(OutputFile("datapackage.json", _json(data_package(directory, settings, files))))
    catalog = dcat_catalog(directory, settings, {f.path: len(f.data) for f in files})
    return [*files, OutputFile("catalog.jsonld", _json(catalog))]


def _clusters_document(
    as_of: str, clusters: int, countries: int, rows: list[dict[str, object]]
) -> dict[str, object]:
    """clusters.json's document: the rows, with the as-of date and the headline counts."""
    return {
        "format_version": FORMAT_VERSION,
        "as_of": as_of,
        "headline": {"clusters": clusters, "countries": countries},
        "columns": list(DATA_COLUMNS),
        "clusters": rows,
    }


def country_downloads(directory: Directory) -> list[OutputFile]:
    """Each country's part of the register beside its page, for visitors without JavaScript
    too: countries/<code>/clusters.csv and clusters.json, the rows of clusters.csv and
    clusters.json whose country it is, in their order, with the same columns and keys (the
    headline counts the country's labelled clusters); in English, whatever the current
    language."""
    with i18n.speaking(i18n.ENGLISH):
        return _country_downloads(directory)


def _country_downloads(directory: Directory) -> list[OutputFile]:
    as_of = iso_day(directory.as_of)
    by_country: dict[str, list[dict[str, object]]] = {}
    for entry in listed(directory):
        by_country.setdefault(entry.cluster.country, []).append(_row(entry, as_of))
    files = []
    for country in directory.countries:
        rows = by_country[country.code]
        document = _clusters_document(as_of, len(country.labelled), 1, rows)
        folder = f"countries/{country.slug}"
        files.append(OutputFile(f"{folder}/{COUNTRY_CSV}", _csv(CLUSTER_COLUMNS, rows)))
        files.append(OutputFile(f"{folder}/{COUNTRY_JSON}", _json(document)))
    return files


COUNTRY_CSV = "clusters.csv"
COUNTRY_JSON = "clusters.json"
CSV_NOTE = (
    "CSV as RFC 4180 (UTF-8, CRLF, every text cell quoted). A text cell that would start with "
    "=, +, -, @, a tab or a carriage return starts with an apostrophe, so that no spreadsheet "
    "runs it as a formula."
)
RESOURCES = (("clusters", CLUSTER_COLUMNS, "Clusters"), ("awards", AWARD_COLUMNS, "Awards"))
PRIMARY_KEYS = {"clusters": ["id"], "awards": ["cluster_id", "level", "assessed"]}


def _licence_entry(licence: Licence) -> dict[str, str]:
    # A Data Package licence has a name (an id), a path (an address) or both.
    entry = {"name": licence.id} if licence.id else {}
    if licence.url is not None:
        entry |= {"path": licence.url, "title": licence.title}
    return entry


def _resource(
    name: str, columns: Sequence[Column], title: str, data: bytes, rules: Rules
) -> dict[str, object]:
    path = f"{name}.csv"
    schema: dict[str, object] = {
        "fields": table_schema(columns, rules),
        "missingValues": [""],
        "primaryKey": PRIMARY_KEYS[name],
    }
    if name == "awards":
        reference = {"resource": "clusters", "fields": ["id"]}
        schema["foreignKeys"] = [{"fields": ["cluster_id"], "reference": reference}]
    return {
        "name": name,
        "type": "table",
        "path": path,
        "title": title,
        "description": f"{next(d.description for d in DOWNLOADS if d.path == path)} {CSV_NOTE}",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": len(data),
        "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
        "dialect": {"header": True, "lineTerminator": "\r\n", "doubleQuote": True},
        "schema": schema,
    }


def data_package(
    directory: Directory, settings: SiteSettings, files: Sequence[OutputFile]
) -> dict[str, object]:
    """datapackage.json: the two CSVs with their Table Schemas, the licence and the as-of date,
    and each file's size and SHA-256, so that a copy can be checked; in English, whatever the
    current language."""
    with i18n.speaking(i18n.ENGLISH):
        return _data_package(directory, settings, files)


def _data_package(
    directory: Directory, settings: SiteSettings, files: Sequence[OutputFile]
) -> dict[str, object]:
    data = {f.path: f.data for f in files}
    package: dict[str, object] = {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "format_version": FORMAT_VERSION,  # of the CSV files' columns; a property of our own
        "name": "ecei-cluster-directory",
        "title": settings.site_name,
        "description": dataset_description(directory, settings),
        "as_of": iso_day(directory.as_of),
        "licenses": [_licence_entry(data_licence(settings.data_licence))],
    }
    if settings.site_url:
        package["homepage"] = settings.base
    # The labels come from every body that has awarded them.
    sources = [
        {"title": body.full_name} | ({"path": body.url} if body.url else {})
        for body in directory.rules.bodies
    ]
    if sources:
        package["sources"] = sources
    package["keywords"] = list(KEYWORDS)
    package["resources"] = [
        _resource(name, columns, title, data[f"{name}.csv"], directory.rules)
        for name, columns, title in RESOURCES
    ]
    return package


def column_tables(rules: Rules) -> dict[str, list[dict[str, object]]]:
    """Each CSV download's Table Schema fields, for the about page's tables, each column's
    meaning in the current language."""
    tables = {f"{name}.csv": table_schema(columns, rules) for name, columns, _ in RESOURCES}
    for fields in tables.values():
        for field in fields:
            field["description"] = i18n.gettext(str(field["description"]))
    return tables
