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

from generator.errors import ConfigError, shown
from generator.project import CONTENT, PROJECT_FILE, PROJECT_NAME, Project
from generator.reader import read_text
from generator.rules import Rules


@dataclass(frozen=True, slots=True)
class Option:
    """One setting the generator reads from mkdocs.yml: its dotted path, type and default."""

    path: str
    kind: type
    default: Any
    doc: str
    blank: bool = True  # may be written without a value (then it has its default)


# The data's licence unless mkdocs.yml says otherwise: the European Commission's default for the
# data it publishes (Decision 2019/1372).
DATA_LICENCE = "CC-BY-4.0"
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
class SiteSettings:
    """What the site's configuration says to the page renderer."""

    site_name: str = "ECEI Cluster Directory"
    sample_data: bool = True
    site_url: str = ""  # where the site is published; the feed's links are absolute when known
    language: str = "en"
    data_licence: str = DATA_LICENCE  # an SPDX id; any other is shown as written

    @property
    def base(self) -> str:
        """The site's address ending in '/', the base of every absolute address; '' when unknown
        (addresses then stay relative)."""
        return self.site_url.rstrip("/") + "/" if self.site_url else ""


@dataclass(frozen=True, slots=True)
class MapSettings:
    """Optional tile layer (a privacy cost: every visit then asks the tile server for images)."""

    tiles_url: str | None = None
    tiles_attribution: str = ""


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


# A licence's id as a Data Package names one (its `licenses[].name` pattern); SPDX ids fit.
LICENCE_ID = re.compile(r"[-A-Za-z0-9._]+")


def licence_setting(value: str) -> str | None:
    """The licence as the site's settings hold it: an id (spaces read as hyphens, so that
    'CC BY 4.0' is CC-BY-4.0) or an http(s) address; None when it is neither."""
    words = value.split()
    if len(words) == 1 and re.fullmatch(r"https?://[^\s<>\"'`()]+", words[0]):
        return words[0]
    licence_id = "-".join(words)
    return licence_id if LICENCE_ID.fullmatch(licence_id) else None


def site_address(site_url: str) -> str:
    """The site's address as the base of every absolute address: ASCII, percent-encoded and
    ending in '/'; '' when unknown. ConfigError when it is not an absolute http(s) address."""
    if not site_url:
        return ""
    problem = (
        f"the site URL {shown(site_url)} must be an absolute http or https address, such as"
        " https://example.org/directory/, without ? or #"
    )
    try:
        parts = urlsplit(site_url)
        port = parts.port  # read here: a port that is not a number raises ValueError
    except ValueError:
        raise ConfigError(problem) from None
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ConfigError(problem)
    if parts.username is not None or parts.password is not None:
        raise ConfigError(problem.replace("without ? or #", "without a user name or password"))
    host = parts.hostname  # lowercased by urlsplit
    if ":" in host or "[" in parts.netloc:
        host = _ip_literal(parts.netloc, site_url, problem)
    elif not host.isascii() or not all(c.isalnum() or c in "-." for c in host):
        try:  # an international domain name, in its xn-- form; anything else is refused
            host = idna.encode(host, uts46=True).decode("ascii")
        except idna.IDNAError as exc:
            raise ConfigError(
                f"the site URL {shown(site_url)} has a bad host name: {shown(exc, None, False)}"
            ) from None
    netloc = host + (f":{port}" if port is not None else "")
    # Every address of the site is built on this one, in HTML attributes, JSON-LD, XML and
    # Markdown: anything but unreserved characters, '/' and existing escapes is percent-encoded.
    path = quote(parts.path, safe="/%-._~")
    return urlunsplit((parts.scheme, netloc, path.rstrip("/") + "/", "", ""))


# An IP literal as the whole authority: '[', the address, ']', and an optional ':port'.
_IP_LITERAL = re.compile(r"\[([^\]]*)\](?::[0-9]*)?")


def _ip_literal(netloc: str, site_url: str, problem: str) -> str:
    """The bracketed IPv6 address of a site URL, in small letters; ConfigError for anything
    else between the brackets (a zone id, IPvFuture, an IPv4 address) or after them."""
    match = _IP_LITERAL.fullmatch(netloc)
    if match is None:
        raise ConfigError(problem)
    literal = match[1]
    if "%" in literal:
        # RFC 6874's zone id names a network interface of one machine: no visitor can use it,
        # browsers do not open it, and MkDocs would print it raw into every page.
        zone = literal[literal.index("%") :]
        raise ConfigError(
            f"the site URL {shown(site_url)} gives a zone id ({shown(zone, quoted=False)}) after"
            " its IPv6 address, which only this machine knows: give the address without it"
        )
    try:
        ipaddress.IPv6Address(literal)
    except ValueError:
        raise ConfigError(problem) from None
    return f"[{literal.lower()}]"


def tree_config(settings: Settings, rules: Rules) -> bytes:
    """The build tree's mkdocs.yml: the site URL set, and one navigation entry per label level
    (from the rules file, so that a new level needs no edit here)."""
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
    text = yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=100)
    return (
        "# Written by clusterdir from the project's mkdocs.yml: edit that one.\n" + text
    ).encode()
