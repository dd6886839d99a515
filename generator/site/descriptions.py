"""Each page's own description, one or two sentences with its figures: what search engines show
under its title and what a shared link previews (the meta description and Open Graph's).

Pure: the directory in, plain text out, in the current language; the sentences with a count
come from words.py, and the templates put each description in their front matter.
"""

from __future__ import annotations

from generator.core import i18n, words
from generator.core.dates import day_text
from generator.labels.rules import LevelRules
from generator.labels.status import State
from generator.site.directory import Country, Directory, Entry
from generator.site.listing import PAGE_SIZE, Listing
from generator.site.siteconfig import SiteSettings


def _levels(entries: tuple[Entry, ...], directory: Directory) -> list[tuple[int, str]]:
    """How many of the entries hold each label, highest first, levels without a holder left out."""
    counts = []
    for level in reversed(directory.rules.levels):
        n = sum(1 for e in entries if e.status.label == level.id)
        if n:
            counts.append((n, level.name))
    return counts


def home(d: Directory) -> str:
    """The home page: the headline and what the site offers."""
    return words.home_description(d.headline.clusters, d.headline.countries, d.as_of)


def countries(d: Directory) -> str:
    """The countries page."""
    return words.countries_description(len(d.countries), d.as_of)


def clusters(d: Directory) -> str:
    """The list of every labelled cluster."""
    return words.clusters_description(len(d.labelled), d.as_of)


def country(c: Country, d: Directory) -> str:
    """A country's page: how many of its clusters hold which label."""
    return words.country_description(
        len(c.labelled), c.name, d.as_of, _levels(c.labelled, d), len(c.in_renewal)
    )


def label(level: LevelRules, d: Directory) -> str:
    """A label's page: its holders and what it takes."""
    return words.level_description(len(d.holders(level.id)), level.name, level.title, d.as_of)


def renewals(d: Directory) -> str:
    """The renewals page."""
    return words.renewals_description(len(d.renewals), d.as_of)


def about() -> str:
    """The about page."""
    # Translators: the about page's description (search engines and shared links show it).
    return i18n.gettext(
        "Where the directory's data comes from, the ECEI rules it applies, and the downloads "
        "(CSV, JSON and a data package) with their columns and licence."
    )


def accessibility(settings: SiteSettings) -> str:
    """The accessibility statement."""
    # Translators: the accessibility statement's description; {site} is the site's name.
    return i18n.gettext(
        "How accessible {site} is: the standard it follows, the parts that are not yet "
        "accessible and their alternatives, how it was assessed, and whom to tell."
    ).format(site=settings.site_name)


def privacy(settings: SiteSettings) -> str:
    """The privacy notice."""
    # Translators: the privacy notice's description; {site} is the site's name.
    return i18n.gettext(
        "What {site} stores and sends (no cookies, no analytics, nothing from other hosts), "
        "what a web server's logs may hold, and why the records name organisations, not people."
    ).format(site=settings.site_name)


def list_page(listing: Listing, number: int) -> str:
    """A further page of a list: which clusters it holds."""
    first = (number - 1) * PAGE_SIZE + 1
    last = min(number * PAGE_SIZE, len(listing.entries))
    total = len(listing.entries)
    return words.list_page_description(
        listing.title, number, listing.pages, first, last, total, listing.sort
    )


def cluster(entry: Entry, d: Directory) -> str:
    """A cluster page: what it holds, and until when."""
    c, s = entry.cluster, entry.status
    fields = {"name": _short(c.name), "city": c.city or "", "country": entry.country_name}
    if s.state is State.VALID:
        fields |= {"level": d.rules.level(s.label).name, "day": day_text(s.valid_until)}
        if c.city:
            # Translators: a cluster page's description; {name} is the cluster's, {level} its
            # label's (GOLD), {day} the last day of its validity.
            pattern = i18n.N_(
                "{name} ({city}, {country}) holds the ECEI {level} label, valid until {day}."
            )
        else:
            # Translators: a cluster page's description, for a cluster whose city is not known.
            pattern = i18n.N_("{name} ({country}) holds the ECEI {level} label, valid until {day}.")
    else:
        fields["day"] = day_text(d.as_of)
        if c.city:
            # Translators: a cluster page's description, for a cluster without a valid label;
            # {day} is the records' date.
            pattern = i18n.N_("{name} ({city}, {country}) holds no valid ECEI label on {day}.")
        else:
            # Translators: a cluster page's description, for a cluster without a valid label
            # whose city is not known.
            pattern = i18n.N_("{name} ({country}) holds no valid ECEI label on {day}.")
    return i18n.gettext(pattern).format(**fields)


def _short(name: str, most: int = 100) -> str:
    # Search engines show about 160 characters of a description: a long name leaves the
    # label and its validity in them.
    return name if len(name) <= most else name[: most - 1].rstrip() + "…"
