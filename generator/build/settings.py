"""The site's settings: mkdocs.yml read once, each option the generator uses declared below
with its type, default and meaning, and the copy of mkdocs.yml that goes into a build tree.

MkDocs, Zensical and ProperDocs read the rest of mkdocs.yml themselves; the generator reads
only the options below, and writes the tree's copy from the parsed mapping (the site URL and the
label pages' navigation filled in), never by editing YAML text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml

from generator.build.project import CONTENT, PROJECT_NAME, Project
from generator.core import i18n
from generator.core.errors import ConfigError, shown
from generator.labels.rules import Rules
from generator.records.reader import PROJECT_FILE, read_text
from generator.site.footer import THEME_KEY
from generator.site.siteconfig import (
    DATA_LICENCE,
    LINK_CHECKS,
    AccessibilityStatement,
    EngineSettings,
    MapSettings,
    Operator,
    SiteSettings,
    contact_setting,
    corrections_setting,
    https_setting,
    licence_setting,
    site_address,
)
from generator.site.uiwords import WORDS_KEY, theme_words


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
    Option("extra.operator", str, "", "Who runs the register, named in every page's footer."),
    Option(
        "extra.contact",
        str,
        "",
        "How to reach them: an e-mail address, or the https address of a contact page.",
    ),
    Option(
        "extra.corrections",
        str,
        "",
        "Where corrections go: a GitHub issue form (https://github.com/OWNER/REPO/issues/new),"
        " another form's https address, or an e-mail address; the contact when not set.",
    ),
    Option(
        "extra.privacy_contact",
        str,
        "",
        "Whom to ask about personal data (e-mail or https); the contact when not set.",
    ),
    Option(
        "extra.labelling_body",
        str,
        "",
        "The https address of the body that awards the labels: where to ask about a renewal.",
    ),
    Option(
        "extra.accessibility.prepared",
        dt.date,
        None,
        "The day the accessibility statement was prepared, YYYY-MM-DD.",
    ),
    Option(
        "extra.accessibility.reviewed",
        dt.date,
        None,
        "The day the accessibility statement was last reviewed, YYYY-MM-DD.",
    ),
    Option(
        "extra.accessibility.enforcement",
        str,
        "",
        "The enforcement procedure a visitor may turn to when the reply does not satisfy them.",
    ),
    Option(
        "extra.accessibility.enforcement_body",
        str,
        "",
        "The name of the body that handles complaints (shown as written in every language).",
    ),
    Option(
        "extra.accessibility.enforcement_url",
        str,
        "",
        "The https address of the enforcement procedure's page.",
    ),
)
LABELS_NAV = "Labels"  # the navigation section the label pages fill, one per level
# The shipped mkdocs.yml's words that a translated tree's mkdocs.yml gives in its language: the
# site's name and description and the navigation's titles. Marked here so that they are
# extracted; any other words written in mkdocs.yml are shown as written.
SITE_WORDS = (
    i18n.N_("ECEI Cluster Directory"),
    i18n.N_(
        "The directory of cluster organisations that hold a label of the European Cluster"
        " Excellence Initiative: GOLD, SILVER or BRONZE."
    ),
    # Translators: the navigation's titles (the site's menu).
    i18n.N_("Home"),
    i18n.N_("Map"),
    i18n.N_("Countries"),
    i18n.N_("All clusters"),
    i18n.N_("Labels"),
    i18n.N_("Renewals"),
    i18n.N_("Statistics"),
    i18n.N_("About the data"),
    # Translators: the colour scheme toggle's name in the header (theme.palette).
    i18n.N_("Switch to dark mode"),
    i18n.N_("Switch to light mode"),
)
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
    if option.kind is dt.date:
        return _date(node, option, where)
    if not isinstance(node, option.kind):
        kind = "true or false" if option.kind is bool else "text"
        raise ConfigError(
            f"{where}: '{option.path}' must be {kind}, not {shown(repr(node), quoted=False)}"
        )
    return node


def _date(node: Any, option: Option, where: str) -> dt.date:
    """A day as YAML reads `2026-11-25`, or as text in that form; ConfigError otherwise (a
    moment with a time of day too)."""
    if isinstance(node, str):
        try:
            return dt.date.fromisoformat(node.strip())
        except ValueError:
            pass
    elif isinstance(node, dt.date) and not isinstance(node, dt.datetime):
        return node
    raise ConfigError(
        f"{where}: '{option.path}' must be a day such as 2026-11-25, not"
        f" {shown(str(node), quoted=True)}"
    )


def _address(
    values: dict[str, Any], path: str, where: str, read: Callable[[str], str | None], kind: str
) -> str:
    """The address setting at `path` as `read` normalises it; '' when not set; ConfigError
    naming what it must be otherwise."""
    value = values[path]
    if not value.strip():
        return ""
    address = read(value)
    if address is None:
        raise ConfigError(f"{where}: '{path}' must be {kind}, not {shown(value)}")
    return address


CONTACT_KIND = "an e-mail address such as directory@example.org, or an https address"
CORRECTIONS_KIND = (
    "the https address of a form (for a GitHub issue form,"
    " https://github.com/OWNER/REPO/issues/new) or an e-mail address"
)


def _operator(values: dict[str, Any], where: str) -> Operator:
    """Who runs the register and how to reach them, each address checked."""
    return Operator(
        name=values["extra.operator"].strip(),
        contact=_address(values, "extra.contact", where, contact_setting, CONTACT_KIND),
        corrections=_address(
            values, "extra.corrections", where, corrections_setting, CORRECTIONS_KIND
        ),
        privacy_contact=_address(
            values, "extra.privacy_contact", where, contact_setting, CONTACT_KIND
        ),
        labelling_body=_address(
            values, "extra.labelling_body", where, https_setting, "an https address"
        ),
    )


def _accessibility(values: dict[str, Any], where: str) -> AccessibilityStatement:
    """The accessibility statement's date and enforcement procedure."""
    return AccessibilityStatement(
        prepared=values["extra.accessibility.prepared"],
        reviewed=values["extra.accessibility.reviewed"],
        enforcement=values["extra.accessibility.enforcement"].strip(),
        enforcement_body=values["extra.accessibility.enforcement_body"].strip(),
        enforcement_url=_address(
            values, "extra.accessibility.enforcement_url", where, https_setting, "an https address"
        ),
    )


def read_settings(project: Project, site_url: str | None = None) -> Settings:
    """Read mkdocs.yml once; `site_url` (from --site-url or $SITE_URL) wins over its site_url."""
    where = shown(project.config, None, quoted=False)
    try:
        # Read as records are: a link must stay in the project (project.py says why).
        text = read_text(project.config, project.root, PROJECT_NAME, kind=PROJECT_FILE)
        _check_plain(text, where)
        config = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"cannot read {where}: {shown(exc, None, quoted=False)}") from None
    if not isinstance(config, dict):
        raise ConfigError(f"{where}: expected a mapping of settings")
    _check_tree_folders(config, where)
    _check_code_and_files(config, where)
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
        languages=_languages(config, where),
        data_licence=licence,
        operator=_operator(values, where),
        accessibility=_accessibility(values, where),
    )
    tiles = MapSettings(tiles_url or None, values["extra.map.tiles.attribution"])
    return Settings(site, tiles, config)


LANGUAGES_KIND = "a list of language codes such as [en, de, fr]"


def _languages(config: dict[str, Any], where: str) -> tuple[str, ...]:
    """The languages the site is built in (`extra.languages`), English first; ConfigError when
    the value is not a list of codes, lacks English, or names a language without a catalog."""
    extra = config.get("extra")
    given = extra.get("languages") if isinstance(extra, dict) else None
    if given is None:
        return (i18n.SOURCE_LANGUAGE,)
    if not isinstance(given, list) or not all(isinstance(code, str) for code in given):
        # YAML reads an unquoted `no` (Norwegian) as false: the hint says how to write it.
        hint = (
            " (quote a code that YAML reads as true or false: 'no')"
            if any(isinstance(code, bool) for code in (given if isinstance(given, list) else []))
            else ""
        )
        raise ConfigError(
            f"{where}: 'extra.languages' must be {LANGUAGES_KIND},"
            f" not {shown(repr(given), quoted=False)}{hint}"
        )
    known = i18n.available()
    for code in given:
        if code not in known:
            raise ConfigError(
                f"{where}: 'extra.languages' names {shown(code)}, a language without a catalog"
                f" (generator/translations/<code>/): the languages are {', '.join(known)}"
            )
    if len(set(given)) != len(given):
        twice = next(code for code in given if given.count(code) > 1)
        raise ConfigError(f"{where}: 'extra.languages' names {shown(twice)} twice")
    if i18n.SOURCE_LANGUAGE not in given:
        raise ConfigError(
            f"{where}: 'extra.languages' must hold en: English is the site's own language, at"
            " its root"
        )
    # English at the root first, then the others in the order written.
    return (i18n.SOURCE_LANGUAGE, *(code for code in given if code != i18n.SOURCE_LANGUAGE))


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


# mkdocs.yml nests a few levels (theme.palette[].toggle.icon); a deeper file is a mistake, and
# one deep enough would exhaust the parser's recursion.
MAX_SETTINGS_DEPTH = 32
_PARSER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _check_plain(text: str, where: str) -> None:
    """Raise ConfigError for an alias or a nesting deeper than MAX_SETTINGS_DEPTH, found from the
    parser's events before anything is built from them.

    An alias is refused as in records: ten lines of aliases, each naming the one before ten
    times, stand for a billion values, which MkDocs would expand (the build hung).
    """
    depth = 0
    for event in yaml.parse(text, Loader=_PARSER):
        line = event.start_mark.line + 1 if event.start_mark else 0
        if isinstance(event, yaml.AliasEvent):
            raise ConfigError(
                f"{where}:{line}: an alias ({shown('*' + str(event.anchor))}) is not allowed:"
                " write the value out; MkDocs would copy it each time it is used"
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_SETTINGS_DEPTH:
                raise ConfigError(f"{where}:{line}: nested deeper than {MAX_SETTINGS_DEPTH} levels")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


# Markdown extensions that put a file named in a page or an option into the page: a page could
# then publish any file the build's user can read (pymdownx.snippets: `--8<-- ".env"`).
FILE_READING_EXTENSIONS = frozenset(
    {"pymdownx.snippets", "pymdownx.b64", "markdown_include.include", "mdx_include"}
)
# The plugins that read only the pages of the build tree. The others fetch from the network,
# keep caches in the working folder, archive the project (info) or build other folders'
# projects with their own hooks (projects); no plugin makes a page of this site.
ALLOWED_PLUGINS = ("search", "tags", "meta", "offline", "typeset")


def _names(entries: Any) -> list[str]:
    """The names in a list of MkDocs entries (`name` or `{name: options}`) or a mapping of them."""
    if isinstance(entries, dict):
        return [str(name) for name in entries]
    if not isinstance(entries, list):
        return []
    names = []
    for entry in entries:
        if isinstance(entry, dict):
            names += [str(name) for name in entry]
        elif entry is not None:
            names.append(str(entry))
    return names


def _check_code_and_files(config: dict[str, Any], where: str) -> None:
    """Raise ConfigError when mkdocs.yml has MkDocs run Python or read files the build did not
    check: hooks, a Markdown extension that includes files, a plugin other than the listed ones."""
    if config.get("hooks"):
        raise ConfigError(
            f"{where}: 'hooks' is not allowed: MkDocs would run Python files the build did not"
            " check"
        )
    for name in _names(config.get("markdown_extensions")):
        if name.split(":", 1)[0] in FILE_READING_EXTENSIONS:
            raise ConfigError(
                f"{where}: the Markdown extension {shown(name)} is not allowed: it would put"
                " files the build did not check into the pages"
            )
    for name in _names(config.get("plugins")):
        if name.removeprefix("material/") not in ALLOWED_PLUGINS:
            raise ConfigError(
                f"{where}: the plugin {shown(name)} is not allowed: it may read, fetch or run"
                f" what the build did not check; the allowed ones are {', '.join(ALLOWED_PLUGINS)}"
            )


def _dates_as_text(value: Any) -> Any:
    """The settings with every YAML date (such as extra.accessibility.prepared) as ISO text:
    Zensical reads the settings as JSON values, and stops at a date."""
    if isinstance(value, dict):
        return {key: _dates_as_text(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_dates_as_text(item) for item in value]
    return value.isoformat() if isinstance(value, dt.date) else value


LANGUAGES_KEY = "cd_languages"  # under `extra`: what the language menu and alternates need
# A translated tree lies in a folder of the tree (de/) and reads the one copy of the overrides.
TRANSLATED_CUSTOM_DIR = "../overrides"


def language_folder(code: str) -> str:
    """The folder of a language's pages, from the site's root (and of its tree, from the
    tree's root): '' for English, 'de/' for German."""
    return "" if code == i18n.SOURCE_LANGUAGE else f"{code}/"


def language_values(site: SiteSettings, code: str) -> dict[str, Any]:
    """What the theme overrides need for the language menu and the alternates of a page in
    language `code`: every language the site is built in (its code, its name in itself, its
    folder), the current one, the way up from its folder to the site's root and the site's
    address ('' unknown)."""
    return {
        "current": code,
        "up": "../" * language_folder(code).count("/"),
        "root": site.base,
        "all": [
            {"code": other, "name": i18n.language(other).name, "folder": language_folder(other)}
            for other in site.languages
        ],
    }


def _at_root(path: Any) -> Any:
    """An asset's path (extra_css, extra_javascript, the favicon) in a translated tree's
    mkdocs.yml: a relative one leads one folder up, to the site's root, where the assets are."""
    if isinstance(path, dict) and "path" in path:
        return {**path, "path": _at_root(path["path"])}
    if not isinstance(path, str) or not path or path.startswith(("/", "#")) or ":" in path:
        return path  # an address (https://…), an absolute path, or not a path
    return "../" + path


def _translated_toggle(scheme: Any) -> Any:
    """A colour scheme of theme.palette with its toggle's name in the current language."""
    toggle = scheme.get("toggle") if isinstance(scheme, dict) else None
    if not isinstance(toggle, dict) or not isinstance(toggle.get("name"), str):
        return scheme
    return {**scheme, "toggle": {**toggle, "name": i18n.gettext(toggle["name"])}}


def _translated_nav(item: Any) -> Any:
    """A navigation entry with its titles in the current language (a title that no catalog
    holds stays as written)."""
    if isinstance(item, dict):
        return {
            (i18n.gettext(key) if isinstance(key, str) else key): _translated_nav(value)
            for key, value in item.items()
        }
    if isinstance(item, list):
        return [_translated_nav(value) for value in item]
    return item


def _tree_mapping(
    settings: Settings,
    rules: Rules,
    footer: dict[str, Any] | None = None,
    code: str = i18n.SOURCE_LANGUAGE,
) -> dict[str, Any]:
    """The build tree's mkdocs.yml as a mapping: the site URL set, one navigation entry per label
    level (highest first, from the rules file, so that a new level needs no edit here), and the
    footer's values for the theme override (`extra.cd_footer`, generator/site/footer.py; one
    written in mkdocs.yml is replaced). With several languages, the language menu's values
    (`extra.cd_languages`); for a language other than English (`code`, current), its own
    copy: its language for the theme, its folder's address, the overrides and the assets one
    folder up (at the tree's and the site's root), and the site's name, description,
    navigation titles and colour scheme toggles in its language."""
    config = dict(settings.config)
    site = settings.site
    translated = code != i18n.SOURCE_LANGUAGE
    if footer is not None:
        extra = config.get("extra")
        # The theme overrides' words (generator/site/uiwords.py), in the current language.
        config["extra"] = {
            **(extra if isinstance(extra, dict) else {}),
            THEME_KEY: footer,
            WORDS_KEY: theme_words(),
        }
        if len(site.languages) > 1:
            config["extra"][LANGUAGES_KEY] = language_values(site, code)
    # MkDocs prints site_url into every page as it is: the tree's copy holds the address that
    # site_address made safe, never the text as written.
    if site.site_url or "site_url" in config:
        config["site_url"] = site.base + language_folder(code) if site.base else None
    labels = [{level.name: f"labels/{level.id}.md"} for level in rules.highest_first]
    nav = config.get("nav")
    if isinstance(nav, list):
        config["nav"] = [
            {LABELS_NAV: labels} if isinstance(item, dict) and LABELS_NAV in item else item
            for item in nav
        ]
    if translated:
        theme = dict(config["theme"]) if isinstance(config.get("theme"), dict) else {}
        if not theme and config.get("theme") is not None:
            theme["name"] = config["theme"]
        for key in ("favicon", "logo"):
            if key in theme:
                theme[key] = _at_root(theme[key])
        if isinstance(theme.get("palette"), list):
            theme["palette"] = [_translated_toggle(scheme) for scheme in theme["palette"]]
        config["theme"] = {**theme, "language": code, "custom_dir": TRANSLATED_CUSTOM_DIR}
        for key in ("extra_css", "extra_javascript"):
            if isinstance(config.get(key), list):
                config[key] = [_at_root(path) for path in config[key]]
        for key in ("site_name", "site_description"):
            if isinstance(config.get(key), str):
                config[key] = i18n.gettext(config[key])
        if "nav" in config:
            config["nav"] = _translated_nav(config["nav"])
    return config


def tree_config(
    settings: Settings,
    rules: Rules,
    footer: dict[str, Any] | None = None,
    code: str = i18n.SOURCE_LANGUAGE,
) -> bytes:
    """The build tree's mkdocs.yml (_tree_mapping's), its dates as text; for a language other
    than English (`code`, which must be current), its own."""
    config = _tree_mapping(settings, rules, footer, code)
    text = yaml.safe_dump(_dates_as_text(config), sort_keys=False, allow_unicode=True, width=100)
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
