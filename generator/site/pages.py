"""The renderer: the directory index in, the Markdown pages and open-data files out, as values.

Jinja lives here only. Every string from a record reaches a page through an escaping filter:
`e` (autoescape) inside the HTML blocks that hold record data, `md` in Markdown text and
`yaml_title` in front matter, so nothing a record says is read as Markdown, HTML or template.
"""

from __future__ import annotations

import html
import json
import os
import re
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import jinja2
from jinja2.nodes import EvalContext
from markupsafe import Markup

from generator.core import i18n, words
from generator.core.dates import (
    day_text,
    iso_day,
    iso_midnight,
    iso_month,
    month_year_text,
    short_day_text,
)
from generator.core.errors import ClusterdirError, ConfigError, shown
from generator.core.months import Month
from generator.core.output import OutputFile, json_for_script
from generator.labels.status import describe
from generator.records.places import Position
from generator.records.reader import TEMPLATES_NAME, not_utf8, read_project_file
from generator.site import descriptions as about_page
from generator.site import locator
from generator.site.corrections import (
    correction_link,
    form_target,
    is_github_form,
    misused_label_link,
    opens_mail,
    translation_link,
)
from generator.site.dataset import data_licence, home_json_ld
from generator.site.directory import Directory, Entry, headline
from generator.site.listing import INDEX_FILE, PAGE_SIZE, list_index, listings
from generator.site.mapview import MapPage, Unshown
from generator.site.opendata import column_tables, country_downloads, open_data
from generator.site.renewing import renewal_terms
from generator.site.shell import SEARCH_END, SHELL_ID, TOKENS, ClusterPage
from generator.site.siteconfig import MapSettings, SiteSettings
from generator.site.stats import WIDE, draw, statistics
from generator.site.timeline import timeline, timeline_svg
from generator.site.verify import (
    badge,
    badge_svg,
    badge_title,
    breadcrumb_list,
    organization,
    status_document,
)

# Python-Markdown's escapable characters, with `|` from the tables extension; escaping any
# other character would leave its backslash visible.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()>#+\-.!|])")


def md_escape(text: object) -> Markup:
    """Text for a Markdown paragraph: HTML-escaped, and every Markdown character backslashed."""
    return Markup(_MD_SPECIAL.sub(r"\\\1", html.escape(str(text), quote=False)))


_YAML_UNSAFE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029]"
)


def yaml_title(text: object) -> Markup:
    """A page title for front matter: HTML-escaped (themes print titles raw), as a quoted YAML string."""
    quoted = json.dumps(html.escape(str(text)), ensure_ascii=False)
    return Markup(_YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted))


def page_url(md_path: str) -> str:
    """The site URL of a Markdown page under directory URLs: 'countries/de.md' -> 'countries/de/'."""
    path = PurePosixPath(md_path)
    if path.name == "index.md":
        parent = str(path.parent)
        return "" if parent == "." else parent + "/"
    return str(path.with_suffix("")) + "/"


class TemplateLoader(jinja2.BaseLoader):
    """Jinja's templates, read as every project file is (reader.read_project_file): a regular
    file, under the size limit, and a link only to a file inside `site_templates/`. Jinja's own
    FileSystemLoader would open a FIFO (and wait) or read a link to any file."""

    def __init__(self, folder: Path, inside: Path) -> None:
        self.folder = folder
        self.inside = inside

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        """The template's text and path; the environment lives for one build, so it never goes stale."""
        # split_template_path refuses '..', as FileSystemLoader does.
        path = self.folder.joinpath(*jinja2.loaders.split_template_path(template))
        if not os.path.lexists(path):
            raise jinja2.TemplateNotFound(template)
        data = read_project_file(path, self.inside, TEMPLATES_NAME)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ConfigError(not_utf8(path, data, exc)) from None
        return text, str(path), lambda: True


def template_environment(templates: Path) -> jinja2.Environment:
    """The Jinja environment of the page templates in `templates`: one serves every language
    of a build (its words are those of the language current when a page renders)."""
    env = jinja2.Environment(
        # The templates are site_templates/pages: a link may lead anywhere in site_templates.
        loader=TemplateLoader(templates, templates.parent.resolve()),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    # The templates' words, in the language current when a page renders (i18n.speaking).
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=i18n.gettext,
        ngettext=i18n.ngettext,
        pgettext=i18n.pgettext,
        npgettext=i18n.npgettext,
        newstyle=True,
    )
    # The same callables, called directly: the extension's go through the template context
    # three times a word, a third of a cluster page's rendering (a page has some 45 words).
    env.globals.update(
        _=_gettext, gettext=_gettext, ngettext=_ngettext, pgettext=_pgettext,
        npgettext=_npgettext,
    )  # fmt: skip
    env.filters.update(
        md=md_escape,
        md_alt=md_alt,
        yaml_title=yaml_title,
        host=website_host,
        strong_subject=strong_subject,
        # Dates, each in the form its name says (generator/core/dates.py).
        day_text=day_text,
        month_year_text=month_year_text,
        iso_day=iso_day,
        iso_month=iso_month,
        iso_midnight=iso_midnight,
        # A count as the current language writes it: '10,000', '10.000'.
        number_text=i18n.number_text,
    )
    return env


# Jinja's newstyle gettext callables (jinja2.ext), each the same: the message translated, made
# Markup when autoescaping, then always formatted with its variables (so '%%' is '%').
@jinja2.pass_eval_context
def _gettext(eval_ctx: EvalContext, message: str, /, **variables: Any) -> str:
    return _formatted(eval_ctx, i18n.gettext(message), variables)


@jinja2.pass_eval_context
def _ngettext(
    eval_ctx: EvalContext, singular: str, plural: str, num: int, /, **variables: Any
) -> str:
    variables.setdefault("num", num)
    return _formatted(eval_ctx, i18n.ngettext(singular, plural, num), variables)


@jinja2.pass_eval_context
def _pgettext(eval_ctx: EvalContext, context: str, message: str, /, **variables: Any) -> str:
    variables.setdefault("context", context)
    return _formatted(eval_ctx, i18n.pgettext(context, message), variables)


@jinja2.pass_eval_context
def _npgettext(
    eval_ctx: EvalContext,
    context: str,
    singular: str,
    plural: str,
    num: int,
    /,
    **variables: Any,
) -> str:
    variables.setdefault("context", context)
    variables.setdefault("num", num)
    return _formatted(eval_ctx, i18n.npgettext(context, singular, plural, num), variables)


def _formatted(eval_ctx: EvalContext, text: str, variables: dict[str, Any]) -> str:
    made = Markup(text) if eval_ctx.autoescape else text
    # Without a variable or a '%', formatting gives the text back: skipped.
    return made % variables if variables or "%" in text else made


def md_alt(text: object) -> Markup:
    """Text for a Markdown image's alt text: HTML-escaped, with what Markdown reads inside
    brackets escaped: brackets, backslashes, emphasis, code and strikethrough marks (fewer
    backslashes than `md`, for a snippet that people read and copy)."""
    return Markup(re.sub(r"([\\\[\]*_`~])", r"\\\1", html.escape(str(text), quote=False)))


def strong_subject(sentence: words.Sentence) -> Markup:
    """A counted sentence for HTML, its subject in bold; each part escaped (quotes kept, as in
    `md`: the sentence is text between tags, never an attribute)."""
    before, subject, after = (
        html.escape(part, quote=False)
        for part in (sentence.before, sentence.subject, sentence.after)
    )
    return Markup(f"{before}<strong>{subject}</strong>{after}")


def website_host(url: str) -> str:
    """The host of a website address, for a short link text."""
    return urlsplit(url).hostname or url


def template_line(exc: BaseException, templates: Path) -> tuple[str, int] | None:
    """The template file and line an exception was raised at, or None when it was raised
    outside every template: Jinja gives each template's frames its file name and line."""
    root = os.path.join(os.path.abspath(templates), "")
    found = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if os.path.abspath(frame.filename).startswith(root) and frame.lineno is not None:
            found = (frame.filename, frame.lineno)  # the last one is where it failed
    return found


FEED_ENTRIES = 100
RECENT_ON_HOME = 6
AWARD_KINDS = {  # marked here, translated where a template shows them (`_(award_kinds[…])`)
    "first": i18n.N_("first award"),
    "renewal": i18n.N_("renewal"),
    "new": i18n.N_("new award after the renewal window"),
}


def off_map_note(unshown: Unshown, link: Callable[[str], str]) -> Markup:
    """'2 clusters outside this map: Mexico.', each country a link to its page."""
    links = [
        Markup('<a href="{}">{}</a>').format(link(f"countries/{slug}/"), name)
        for name, slug in unshown.countries
    ]
    # The sentence's own words hold no markup; the links are escaped above.
    return Markup(words.off_map_sentence(unshown.outside, links))


class Renderer:
    """Renders the pages of a directory from the templates in `site_templates/pages`."""

    def __init__(
        self,
        templates: Path,
        directory: Directory,
        settings: SiteSettings,
        sectors: tuple[str, ...],
        map_settings: MapSettings | None = None,
        the_map: MapPage | None = None,
        outlines: dict[str, locator.Outline] | None = None,
        where: dict[str, Position | None] | None = None,
        env: jinja2.Environment | None = None,
        shared: frozenset[str] = frozenset(),
    ) -> None:
        self.env = env or template_environment(templates)
        self.templates = templates
        self.directory = directory
        self.settings = settings
        self.map_settings = map_settings or MapSettings()
        self.the_map = the_map
        self.outlines = outlines or {}  # each country's outline, for the locator maps
        self.where = where or {}  # each cluster's position, where known
        # A translated page lies a folder below the site's root (settings.folder, 'de/'); the
        # language-neutral files it links (`shared`: the downloads, the outlines) lie at the
        # root only, one '../' further up.
        self.shared = shared
        self.up = "../" * settings.folder.count("/")
        self.listings = {listing.path: listing for listing in listings(directory)}
        # The countries that have a page of their own (a breadcrumb step, a link).
        self.country_codes = frozenset(c.code for c in directory.countries)
        current = directory.rules.default_body(Month.from_date(directory.as_of))
        self.common = {
            "d": directory,
            "rules": directory.rules,
            "as_of": directory.as_of,
            "settings": settings,
            "level_name": lambda level: directory.rules.level(level).name,
            "awarding_body": directory.rules.awarding_body,
            # Who awards the labels on the as-of date, by default; the bodies before it.
            "current_body": current,
            "earlier_bodies": directory.rules.bodies[: directory.rules.bodies.index(current)],
            "describe": lambda st: describe(st, directory.rules),
            "headline": headline,
            "words": words,  # every sentence with a count (generator/core/words.py)
            "award_kinds": AWARD_KINDS,
            "country_slugs": self.country_codes,
            "sectors": sectors,
            "recent": directory.events[:RECENT_ON_HOME],
            "page_size": PAGE_SIZE,
            "operator": settings.operator,
            # Whether "Suggest a correction" and "Report a misused label" open an e-mail.
            "forms_by_mail": opens_mail(settings.operator),
            "forms_on_github": is_github_form(form_target(settings.operator)),
            "the_map": the_map,  # its notes and its own page; None when no map is drawn
            "off_map_note": off_map_note,
        }

    def render(self, template: str, md_path: str, **context: object) -> str:
        """Render one template as the page at `md_path` (which sets its relative links)."""
        url = page_url(md_path)
        root = "../" * url.count("/")
        try:
            return self.env.get_template(template).render(
                **self.common, root=root, url=url, link=self.linker(root), **context
            )
        except UnicodeDecodeError as exc:
            raise ConfigError(not_utf8(self.templates / template, exc.object, exc)) from None
        except jinja2.TemplateSyntaxError as exc:
            named = shown(exc.filename, None, quoted=False)
            raise ConfigError(f"{named}:{exc.lineno}: {shown(exc.message, None, False)}") from None
        except ClusterdirError:
            raise
        except Exception as exc:
            # An error while a template runs ({{ 1 / 0 }}, an undefined name): named by the
            # template and line it happened at, as a syntax error is.
            where = template_line(exc, self.templates)
            if isinstance(exc, jinja2.TemplateError):
                message = exc.message or type(exc).__name__
                if where is None:
                    named = shown(self.templates / template, None, quoted=False)
                    raise ConfigError(f"{named}: {shown(message, None, False)}") from None
                raise ConfigError(
                    f"{shown(where[0], None, False)}:{where[1]}: {shown(message, None, False)}"
                ) from None
            if where is None:
                raise  # not in a template: a bug of ours
            raise ConfigError(
                f"{shown(where[0], None, False)}:{where[1]}: error in the template:"
                f" {shown(exc, None, False)} ({type(exc).__name__})"
            ) from None

    def linker(self, root: str) -> Callable[[str], str]:
        """The templates' `link`: a target from the site's root, as a link from a page `root`
        below its language's root (a language-neutral file at the site's root, when shared)."""
        if not self.shared:
            return lambda target: root + target
        up, shared = root + self.up, self.shared
        return lambda target: (
            up + target if target.partition("#")[0].partition("?")[0] in shared else root + target
        )

    def page(self, template: str, md_path: str, **context: object) -> OutputFile:
        """Render one template into the Markdown page at `md_path`."""
        return OutputFile(md_path, self.render(template, md_path, **context).encode("utf-8"))

    def fixed_pages(self) -> list[OutputFile]:
        """The pages that exist once: home, lists, labels, renewals, statistics, about, map, the
        accessibility statement and the privacy notice."""
        d = self.directory
        pages = [
            self.page(
                "home.md.j2",
                "index.md",
                description=about_page.home(d),
                json_ld=Markup(json_for_script(home_json_ld(d, self.settings))),
                licence=data_licence(self.settings.data_licence),
            ),
            self.page("countries.md.j2", "countries/index.md", description=about_page.countries(d)),
            self.page(
                "clusters.md.j2",
                "clusters/index.md",
                listing=self.listings["clusters"],
                description=about_page.clusters(d),
            ),
            self.page(
                "renewals.md.j2",
                "renewals.md",
                listing=self.listings["renewals"],
                description=about_page.renewals(d),
            ),
            self.page(
                "statistics.md.j2", "statistics.md", stats=statistics(d), draw=draw, wide=WIDE
            ),
            self.page(
                "about.md.j2",
                "about.md",
                description=about_page.about(),
                licence=data_licence(self.settings.data_licence),
                columns=column_tables(d.rules),
                misused_label=misused_label_link(self.settings.operator),
                translation_report=translation_link(
                    self.settings.operator,
                    i18n.current().name,
                    f"{self.settings.page_base or '/' + self.settings.folder}about/",
                ),
                languages=self.settings.languages,
            ),
            self.page(
                "accessibility.md.j2",
                "accessibility.md",
                description=about_page.accessibility(self.settings),
                statement=self.settings.accessibility,
            ),
            self.page(
                "privacy.md.j2",
                "privacy.md",
                description=about_page.privacy(self.settings),
                tiles_host=website_host(self.map_settings.tiles_url or ""),
            ),
        ]
        if self.the_map:
            pages.append(
                self.page(
                    "map.md.j2",
                    "map.md",
                    description=self.the_map.description,
                    part=Markup(self.the_map.fragment),
                )
            )
        newest = d.events[0].effect.award.assessed.first_day() if d.events else d.as_of
        base = self.settings.page_base  # the feed links its language's pages
        pages.append(
            self.page(
                "feed.xml.j2",
                "feed.xml",
                events=d.events[:FEED_ENTRIES],
                base=base,
                updated=iso_midnight(newest),
            )
        )
        for level in d.rules.levels:
            listing = self.listings[f"labels/{level.id}"]
            pages.append(
                self.page(
                    "label.md.j2",
                    listing.page_md,
                    level=level,
                    listing=listing,
                    description=about_page.label(level, d),
                )
            )
        return pages

    def crumbs_json_ld(self, steps: list[tuple[str, str]]) -> Markup | None:
        """A page's breadcrumb (name, address from the site's root) as JSON-LD for its page, when
        the site's address is known: schema.org wants absolute addresses."""
        base = self.settings.page_base
        if not base:
            return None
        return Markup(json_for_script(breadcrumb_list([(n, base + url) for n, url in steps])))

    def country_pages(self, only: Iterable[str] | None = None) -> Iterator[OutputFile]:
        """One page per country with a labelled cluster (of the countries whose codes are in
        `only`, when given)."""
        wanted = set(only) if only is not None else None
        for country in self.directory.countries:
            if wanted is not None and country.code not in wanted:
                continue
            listing = self.listings[f"countries/{country.slug}"]
            yield self.page(
                "country.md.j2",
                listing.page_md,
                country=country,
                listing=listing,
                description=about_page.country(country, self.directory),
                crumbs_ld=self.crumbs_json_ld(
                    [
                        (i18n.gettext("Home"), ""),
                        (i18n.gettext("Countries"), "countries/"),
                        (country.name, listing.url()),
                    ]
                ),
            )

    def list_pages(self, only: Iterable[str] | None = None) -> Iterator[OutputFile]:
        """The pages of every list after its first: /clusters/page/2/ and so on (of the lists
        whose paths are in `only`, when given)."""
        wanted = set(only) if only is not None else None
        for listing in self.listings.values():
            if wanted is not None and listing.path not in wanted:
                continue
            for number in range(2, listing.pages + 1):
                yield self.page(
                    "list_page.md.j2",
                    listing.md_path(number),
                    listing=listing,
                    number=number,
                    description=about_page.list_page(listing, number),
                )

    def list_indexes(self, sectors: tuple[str, ...]) -> list[OutputFile]:
        """Each list's compact index, which lists.js fetches to sort and filter it whole."""
        return [
            OutputFile(f"{listing.path}/{INDEX_FILE}", list_index(listing, self.directory, sectors))
            for listing in self.listings.values()
        ]

    def cluster_shell(self) -> OutputFile:
        """The one cluster page the engine renders, its name, description and body as tokens."""
        return self.page("cluster_shell.md.j2", f"clusters/{SHELL_ID}.md", tokens=TOKENS)

    def language_files(self, sectors: tuple[str, ...]) -> list[OutputFile]:
        """The pages and files of the current language: every page but the cluster pages,
        each list's index and the cluster pages' shell."""
        return [
            *self.fixed_pages(),
            *self.list_indexes(sectors),
            *self.country_pages(),
            *self.list_pages(),
            self.cluster_shell(),
        ]

    def neutral_files(self) -> list[OutputFile]:
        """The files that are the same in every language, made once for the site's root: the
        downloads (open data, each country's part) and the countries' outlines."""
        d = self.directory
        return [*open_data(d, self.settings), *country_downloads(d), *self.outline_files()]

    def outline_files(self) -> list[OutputFile]:
        """Each country's outline, one file that every cluster page of the country shows."""
        return [
            OutputFile(f"{locator.FOLDER}/{code.lower()}.svg", shape.svg().encode("utf-8"))
            for code, shape in sorted(self.outlines.items())
        ]

    def locator_map(self, entry: Entry, root: str) -> dict[str, object] | None:
        """What a cluster page's locator map draws: its country's outline and, where the
        cluster's position is known and inside the outline's frame, a dot; None without an
        outline, or for a position outside its frame (a map without the place would mislead)."""
        c = entry.cluster
        shape = self.outlines.get(c.country)
        if shape is None:
            return None
        point = self.where.get(c.id)
        dot = shape.place(point.lat, point.lon) if point else None
        if point and dot is None:
            return None
        return {
            "href": f"{root}{self.up}{locator.FOLDER}/{c.country.lower()}.svg",  # at the root
            "width": shape.width,
            "height": shape.height,
            "dot": dot,
            "label": locator.label(entry.country_name, c.city, dot is not None),
        }

    def cluster_pages(
        self, cache: ClusterPageCache | None = None, only: Iterable[str] | None = None
    ) -> Iterator[ClusterPage]:
        """One page per record, whatever its state, so that its URL never breaks, with its
        status file and its badge beside it (only the clusters of `only`, when given). With a
        `cache`, a page whose entry and site-wide inputs are unchanged is not rendered again."""
        d = self.directory
        base, page_base, folder = self.settings.base, self.settings.page_base, self.settings.folder
        names = {level.id: level.name for level in d.rules.levels}
        wanted = set(only) if only is not None else None
        if cache is not None:
            slugs = frozenset(country.code for country in d.countries)
            # What the locator maps draw: a renderer without the outlines or the positions makes
            # other pages, which must not be taken for these.
            drawn = (tuple(sorted(self.outlines.items())), bool(self.where))
            context = (d.as_of, d.rules, self.settings, slugs, drawn)
            if cache.context != context:
                cache.context, cache.pages = context, {}
        for entry in d.entries:
            c = entry.cluster
            if wanted is not None and c.id not in wanted:
                continue
            kept = cache.pages.get(c.id) if cache is not None else None
            if kept is not None and kept[0] == entry:
                yield kept[1]
                continue
            md_path = f"clusters/{c.id}.md"  # where it would be: its links fit
            # The page's address: absolute when the site's is known, else from the site's root;
            # its status file and badge are at the site's root in every language.
            address = f"{page_base}clusters/{c.id}/" if base else f"/{folder}clusters/{c.id}/"
            files_at = f"{base}clusters/{c.id}/" if base else f"/clusters/{c.id}/"
            image = badge(entry.status, d.rules)
            line = timeline(entry.status, d.rules)
            # The breadcrumb's step between Countries and the page: the cluster's country, when
            # it has a page (a country whose clusters all lost their label has none).
            steps = [(i18n.gettext("Home"), ""), (i18n.gettext("Countries"), "countries/")]
            trail = ""
            if c.country in self.country_codes:
                country_url = f"countries/{c.country.lower()}/"
                steps.append((entry.country_name, country_url))
                root = "../" * page_url(md_path).count("/")
                name = html.escape(entry.country_name)
                trail = f'<li><a href="{root}{country_url}">{name}</a></li>'
            steps.append((c.name, f"clusters/{c.id}/"))
            # The bodies that made its awards, in the order they first did: named under its history.
            bodies = tuple(
                dict.fromkeys(d.rules.awarding_body(e.award) for e in entry.status.history)
            )
            body = self.render(
                "cluster.html.j2",
                md_path,
                entry=entry,
                locator=self.locator_map(entry, "../" * page_url(md_path).count("/")),
                # The status file and badge beside the page, or at the site's root for a
                # translated page (../../../clusters/<id>/).
                files_here=f"{self.up}../../clusters/{c.id}/" if folder else "",
                badge_src=f"{files_at}badge.svg",
                timeline=Markup(timeline_svg(line, c.name, names, d.as_of)) if line else None,
                as_of_text=short_day_text(d.as_of),
                badge_image=image,
                # The badge is English for every language (one file); its text alternative is
                # the page's language.
                badge_alt=badge_title(entry.status, d.rules),
                bodies=bodies,
                address=address,
                correction=correction_link(self.settings.operator, c.id, c.name, address),
                renewal=renewal_terms(entry.status, d.rules),
                json_ld=Markup(json_for_script(organization(entry, d, address if base else None))),
                crumbs_ld=self.crumbs_json_ld(steps),
            )
            files = {}
            if not folder:  # the status file and badge are made once, with the English pages
                document = status_document(entry, address if base else "./", d.rules)
                files = {
                    "status.json": json.dumps(document, ensure_ascii=False, indent=2) + "\n",
                    "badge.svg": badge_svg(image),
                }
            # The template marks where what search indexes ends: taken out, kept as a place.
            searched: int | None = body.find(SEARCH_END)
            if searched == -1:
                searched = None
            else:
                body = body.replace(SEARCH_END, "")
            description = about_page.cluster(entry, d)
            page = ClusterPage(c.id, c.name, description, body, files, trail, searched)
            if cache is not None:
                cache.pages[c.id] = (entry, page)
            yield page


@dataclass(slots=True)
class ClusterPageCache:
    """Cluster pages kept from one rendering to the next (the preview keeps one): a page is
    rendered again when its entry (record and status) changed, or what every page shows (the
    day, the rules, the settings, the countries that have a page, the outlines)."""

    context: tuple[object, ...] = ()
    pages: dict[str, tuple[Entry, ClusterPage]] = field(default_factory=dict)


def render_site(
    templates: Path,
    directory: Directory,
    settings: SiteSettings,
    sectors: tuple[str, ...],
    progress: Callable[[int, int], None] | None = None,
    map_settings: MapSettings | None = None,
    the_map: MapPage | None = None,
    boundaries: dict[str, Any] | None = None,
    where: dict[str, Position | None] | None = None,
    cache: ClusterPageCache | None = None,
    clusters: bool = True,
    env: jinja2.Environment | None = None,
    shared: frozenset[str] | None = None,
) -> tuple[list[OutputFile], list[ClusterPage]]:
    """Every generated file of the Markdown tree, in a stable order, and the cluster pages that
    the finish step puts into the rendered shell (shell.py; none unless `clusters`: the build
    renders them while the engine runs, with `render_cluster_pages`); with the map, its page
    and notes. With the country boundaries (the map's TopoJSON) and the clusters' positions,
    cluster pages get locator maps.

    A translated tree (`shared` given: the files at the site's root that its pages link) holds
    the pages of its language only: the downloads and outlines exist once, at the root."""
    renderer = site_renderer(
        templates, directory, settings, sectors, map_settings, the_map, boundaries, where, env,
        shared or frozenset(),
    )  # fmt: skip
    files = renderer.language_files(sectors)
    files += renderer.neutral_files() if shared is None else []
    if not clusters:
        return files, []
    return files, render_cluster_pages(renderer, progress, cache)


def site_renderer(
    templates: Path,
    directory: Directory,
    settings: SiteSettings,
    sectors: tuple[str, ...],
    map_settings: MapSettings | None = None,
    the_map: MapPage | None = None,
    boundaries: dict[str, Any] | None = None,
    where: dict[str, Position | None] | None = None,
    env: jinja2.Environment | None = None,
    shared: frozenset[str] = frozenset(),
) -> Renderer:
    """The renderer of a site's pages, with the locator maps' outlines of the directory's
    countries drawn from the boundaries."""
    codes = {entry.cluster.country for entry in directory.entries}
    outlines = locator.outlines(boundaries, codes) if boundaries else {}
    return Renderer(
        templates, directory, settings, sectors, map_settings, the_map, outlines, where, env,
        shared,
    )  # fmt: skip


def render_cluster_pages(
    renderer: Renderer,
    progress: Callable[[int, int], None] | None = None,
    cache: ClusterPageCache | None = None,
) -> list[ClusterPage]:
    """Every cluster page, in the directory's order, with a progress bar."""
    return list(each_cluster_page(renderer, progress, cache))


def each_cluster_page(
    renderer: Renderer,
    progress: Callable[[int, int], None] | None = None,
    cache: ClusterPageCache | None = None,
) -> Iterator[ClusterPage]:
    """Every cluster page, in the directory's order, each rendered when it is asked for, with a
    progress bar."""
    total = len(renderer.directory.entries)
    for done, page in enumerate(renderer.cluster_pages(cache), start=1):
        if progress and (done % 500 == 0 or done == total):
            progress(done, total)
        yield page
