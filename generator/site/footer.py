"""Every page's footer: who runs the register, the links to reach them and to read about the
site, and the day the records are valid for.

Pure: the settings and the as-of date in, the footer as values out, in the current language
(each language's tree has its own). The theme's footer
(site_templates/overrides/partials/footer.html) reads those values from the build tree's
mkdocs.yml (`theme_values`, under `extra.cd_footer`) and sets each link inside the site on the
page's own depth through MkDocs' `url` filter, so that the same links resolve from every page,
the shell of the cluster pages and the 404 page included; the map page, which is not the
theme's, gets the same footer as HTML (`footer_html`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from generator.core import i18n, words
from generator.core.dates import iso_day
from generator.site.siteconfig import SiteSettings

THEME_KEY = "cd_footer"  # under `extra` in the build tree's mkdocs.yml
# Translators: the name of the footer's list of links (for screen readers).
FOOTER_LABEL = i18n.N_("About this register")  # the name of the footer's list of links
# The pages the footer links inside the site, from the site's root.
ABOUT, ACCESSIBILITY, PRIVACY, FEED, OPEN_DATA = (
    "about/",
    "accessibility/",
    "privacy/",
    "feed.xml",
    "about/#downloads",
)


@dataclass(frozen=True, slots=True)
class FooterLink:
    """One link of the footer: its text, and its target, from the site's root when `inside`."""

    text: str
    href: str
    inside: bool = True


@dataclass(frozen=True, slots=True)
class Footer:
    """The footer of every page."""

    run_by: str  # '' when the settings name no operator
    links: tuple[FooterLink, ...]
    as_of: dt.date

    @property
    def records(self) -> words.Sentence:
        """'Records as of 25 November 2026.', the day as its subject."""
        return words.records_as_of_sentence(self.as_of)


def run_by_text(operator: str) -> str:
    """Who runs the register, in a sentence: 'Run by …'; '' when the settings name nobody."""
    # Translators: every page's footer; {operator} is who runs the register, as the settings
    # name it.
    return i18n.gettext("Run by {operator}.").format(operator=operator) if operator else ""


def site_footer(settings: SiteSettings, as_of: dt.date) -> Footer:
    """The footer for a site with these settings, its records valid on `as_of`."""
    links = []
    contact = settings.operator.contact_href
    if contact:
        # Translators: a link in every page's footer, to the register's operator.
        links.append(FooterLink(i18n.gettext("Contact"), contact, inside=False))
    links += [
        # Translators: a link in every page's footer, to the about page.
        FooterLink(i18n.gettext("About the data"), ABOUT),
        # Translators: a link in every page's footer, to the accessibility statement.
        FooterLink(i18n.gettext("Accessibility"), ACCESSIBILITY),
        # Translators: a link in every page's footer, to the privacy notice.
        FooterLink(i18n.gettext("Privacy"), PRIVACY),
        # Translators: a link in every page's footer, to the Atom feed of awards.
        FooterLink(i18n.gettext("Feed"), FEED),
        # Translators: a link in every page's footer, to the downloads.
        FooterLink(i18n.gettext("Open data"), OPEN_DATA),
    ]
    return Footer(run_by_text(settings.operator.name), tuple(links), as_of)


def theme_values(footer: Footer) -> dict[str, Any]:
    """The footer as the theme override reads it from `extra.cd_footer`: plain text, which the
    override escapes, and each link's target with whether it lies inside the site."""
    records = footer.records
    return {
        "run_by": footer.run_by,
        "label": i18n.gettext(FOOTER_LABEL),
        "links": [
            {"text": link.text, "href": link.href, "inside": link.inside} for link in footer.links
        ],
        "records_before": records.before,
        "as_of_text": records.subject,
        "as_of": iso_day(footer.as_of),
        "records_after": records.after,
    }
