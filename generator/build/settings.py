"""The site's settings: mkdocs.yml read once, each option the generator uses declared below
with its type, default and meaning, and the copy of mkdocs.yml that goes into a build tree.

MkDocs, Zensical and ProperDocs read the rest of mkdocs.yml themselves; the generator reads
only the options below, and writes the tree's copy from the parsed mapping (the site URL and the
label pages' navigation filled in), never by editing YAML text.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import idna
import yaml

from generator.core.errors import ConfigError, shown
from generator.site.siteconfig import (
    DATA_LICENCE,
    LINK_CHECKS,
    EngineSettings,
    MapSettings,
    SiteSettings,
    licence_setting,
    site_address,
)
from generator.build.project import CONTENT, PROJECT_NAME, Project
from generator.records.reader import PROJECT_FILE, read_text
from generator.labels.rules import Rules


@dataclass(frozen=True, slots=True)
class Option:
    """One setting the generator reads from mkdocs.yml: its dotted path, type and default."""

    path: str
    kind: type
    default: Any
    doc: str
    blank: bool = True  # may be written without a value (then it has its default)


OPTIONS = (
    Option("site_name", str, "ECEI Cluster Directory", "The site's name, in titles and the feed."),
    Option("site_url", str, "", "Where the site is published; absolute links when known."),
    Option("theme.language", str, "en", "The language of the pages, for the map page's lang."),
    Option("extra.sample_data", bool, True, "Say on the home page that the records are invented."),
    Option("extra.map.tiles.url", str, "", "An https tile layer for the map (none by default)."),
    Option("extra.map.tiles.attribution", str, "", "The tile layer's attribution."),
    Option(
        "extra.data_licence",
        str,
        DATA_LICENCE,
        "The downloads' licence, as an SPDX id or the address of its text.",
        blank=False,  # an empty licence must not quietly become the default's grant
    ),
)
LABELS_NAV = "Labels"  # the navigation section the label pages fill, one per level
# The folders MkDocs reads by itself: only the build tree's own, whose files the build checked
# and copied (project.py); any other path would let MkDocs read a folder nobody checked.
TREE_FOLDERS = {"docs_dir": CONTENT, "custom_dir": "overrides"}


@dataclass(frozen=True, slots=True)
class Settings:
    """mkdocs.yml as read once: the renderers' settings and the mapping itself."""

    site: SiteSettings
    map: MapSettings
    config: dict[str, Any]


def _value(config: dict[str, Any], option: Option, where: str) -> Any:
    node: Any = config
    parts = option.path.split(".")
    for depth, part in enumerate(parts, 1):
        if not isinstance(node, dict) or node.get(part) is None:
            # Written without a value: refused for the option itself only (an empty section
            # above it just leaves it unset).
            if depth == len(parts) and isinstance(node, dict) and part in node and not option.blank:
                raise ConfigError(f"{where}: '{option.path}' is empty: {option.doc}")
            return option.default
        node = node[part]
    if not isinstance(node, option.kind):
        kind = "true or false" if option.kind is bool else "text"
        raise ConfigError(
            f"{where}: '{option.path}' must be {kind}, not {shown(repr(node), quoted=False)}"
        )
    return node


def read_settings(project: Project, site_url: str | None = None) -> Settings:
    """Read mkdocs.yml once; `site_url` (from --site-url or $SITE_URL) wins over its site_url."""
    where = shown(project.config, None, quoted=False)
    try:
        # Read as records are: a link must stay in the project (project.py says why).
        config = yaml.safe_load(
            read_text(project.config, project.root, PROJECT_NAME, kind=PROJECT_FILE)
        )
    except yaml.YAMLError as exc:
        raise ConfigError(f"cannot read {where}: {shown(exc, None, quoted=False)}") from None
    if not isinstance(config, dict):
        raise ConfigError(f"{where}: expected a mapping of settings")
    _check_tree_folders(config, where)
    values = {option.path: _value(config, option, where) for option in OPTIONS}
    tiles_url = values["extra.map.tiles.url"]
    if tiles_url and not tiles_url.startswith("https://"):
        raise ConfigError(f"{where}: extra.map.tiles needs an https 'url' and an 'attribution'")
    licence = licence_setting(values["extra.data_licence"])
    if licence is None:
        raise ConfigError(
            f"{where}: 'extra.data_licence' must be a licence's SPDX id, such as {DATA_LICENCE},"
            " or the https address of its text"
        )
    site = SiteSettings(
        site_name=values["site_name"],
        sample_data=values["extra.sample_data"],
        site_url=site_address(site_url or values["site_url"]),
        language=values["theme.language"],
        data_licence=licence,
    )
    tiles = MapSettings(tiles_url or None, values["extra.map.tiles.attribution"])
    return Settings(site, tiles, config)


def _check_tree_folders(config: dict[str, Any], where: str) -> None:
    """Raise ConfigError when mkdocs.yml sends MkDocs to read files the build did not check."""
    if "INHERIT" in config:
        raise ConfigError(
            f"{where}: 'INHERIT' is not allowed: MkDocs would read the other file unchecked;"
            " write its settings into mkdocs.yml"
        )
    theme = config.get("theme")
    given = {
        "docs_dir": config.get("docs_dir", CONTENT),
        "custom_dir": theme.get("custom_dir", "overrides")
        if isinstance(theme, dict)
        else "overrides",
    }
    for key, value in given.items():
        if value != TREE_FOLDERS[key]:
            raise ConfigError(
                f"{where}: '{key}' must be '{TREE_FOLDERS[key]}', the build tree's checked copy:"
                " MkDocs would read any other folder unchecked"
            )


def _tree_mapping(settings: Settings, rules: Rules) -> dict[str, Any]:
    """The build tree's mkdocs.yml as a mapping: the site URL set, and one navigation entry per
    label level (from the rules file, so that a new level needs no edit here)."""
    config = dict(settings.config)
    # MkDocs prints site_url into every page as it is: the tree's copy holds the address that
    # site_address made safe, never the text as written.
    if settings.site.site_url or "site_url" in config:
        config["site_url"] = settings.site.site_url or None
    labels = [{level.name: f"labels/{level.id}.md"} for level in rules.levels]
    nav = config.get("nav")
    if isinstance(nav, list):
        config["nav"] = [
            {LABELS_NAV: labels} if isinstance(item, dict) and LABELS_NAV in item else item
            for item in nav
        ]
    return config


def tree_config(settings: Settings, rules: Rules) -> bytes:
    """The build tree's mkdocs.yml: the site URL set, and one navigation entry per label level."""
    text = yaml.safe_dump(
        _tree_mapping(settings, rules), sort_keys=False, allow_unicode=True, width=100
    )
    return (
        "# Written by clusterdir from the project's mkdocs.yml: edit that one.\n" + text
    ).encode()


def _nav_pages(item: Any) -> set[str]:
    """The Markdown pages a navigation entry names, at any depth."""
    if isinstance(item, str):
        return {item} if item.endswith(".md") else set()
    if isinstance(item, dict):
        return set().union(*(_nav_pages(value) for value in item.values()))
    if isinstance(item, list):
        return set().union(*(_nav_pages(value) for value in item))
    return set()


# How MkDocs 1.6 checks links by default; 'warn' fails a strict build.
_LINK_DEFAULTS = {"not_found": "warn", "absolute_links": "info", "unrecognized_links": "info",
                  "anchors": "info"}  # fmt: skip


def engine_settings(settings: Settings, rules: Rules) -> EngineSettings:
    """What the tree's mkdocs.yml says about rendering a page's Markdown (its extensions, the
    links a strict build refuses) and which pages are in the navigation."""
    config = _tree_mapping(settings, rules)
    where = "mkdocs.yml"
    extensions: list[str] = []
    options: dict[str, dict[str, Any]] = {}
    given = config.get("markdown_extensions") or []
    # A list of names and one-key mappings {name: options}, or one mapping of them all.
    items = (
        list(given.items())
        if isinstance(given, dict)
        else [
            next(iter(item.items())) if isinstance(item, dict) and len(item) == 1 else (item, None)
            for item in given
        ]
        if isinstance(given, list)
        else [(given, None)]
    )
    for name, value in items:
        if not isinstance(name, str) or (value is not None and not isinstance(value, dict)):
            raise ConfigError(
                f"{where}: 'markdown_extensions' holds {shown(repr(name), quoted=False)},"
                " which is not an extension's name with its options"
            )
        extensions.append(name)
        if value:
            options[name] = value
    levels = dict(_LINK_DEFAULTS)
    validation = config.get("validation")
    if isinstance(validation, dict):
        links = validation.get("links")
        for source in (validation, links if isinstance(links, dict) else {}):
            levels.update(
                {k: v for k, v in source.items() if k in _LINK_DEFAULTS and isinstance(v, str)}
            )
    strict = config.get("strict", True) is not False  # run_mkdocs always passes --strict
    nav = config.get("nav")
    return EngineSettings(
        extensions=tuple(extensions),
        extension_configs=options,
        failing_links=frozenset(k for k in LINK_CHECKS if strict and levels[k] == "warn"),
        nav=frozenset(_nav_pages(nav)) if isinstance(nav, list) else None,
    )
