"""Each page's own description, one or two sentences with its figures: what search engines show
under its title and what a shared link previews (the meta description and Open Graph's).

Pure: the directory in, plain text out; the templates put it in their front matter.
"""

from __future__ import annotations

from generator.dates import day_text
from generator.directory import Country, Directory, Entry
from generator.listing import PAGE_SIZE, Listing
from generator.rules import LevelRules


def _count(n: int, noun: str, plural: str | None = None) -> str:
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def _levels(entries: tuple[Entry, ...], directory: Directory) -> str:
    """'3 GOLD, 5 SILVER and 2 BRONZE', highest first, levels without a holder left out."""
    parts = []
    for level in reversed(directory.rules.levels):
        n = sum(1 for e in entries if e.status.label == level.id)
        if n:
            parts.append(f"{n:,} {level.name}")
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def home(d: Directory) -> str:
    """The home page: the headline and what the site offers."""
    return (
        f"{d.headline} hold a label of the European Cluster Excellence Initiative (ECEI) as of "
        f"{day_text(d.as_of)}. Find them on a map, by country, label and sector, check a "
        "label, and download the register."
    )


def countries(d: Directory) -> str:
    """The countries page."""
    return (
        f"The {_count(len(d.countries), 'country', 'countries')} with a cluster organisation "
        f"that holds an ECEI label as of {day_text(d.as_of)}, with how many in each."
    )


def clusters(d: Directory) -> str:
    """The list of every labelled cluster."""
    return (
        f"All {_count(len(d.labelled), 'cluster organisation')} that hold a valid ECEI label as "
        f"of {day_text(d.as_of)}, to sort and filter by country, label and sector."
    )


def country(c: Country, d: Directory) -> str:
    """A country's page: how many of its clusters hold which label."""
    n = len(c.labelled)
    text = (
        f"{_count(n, 'cluster organisation')} in {c.name} "
        f"{'holds' if n == 1 else 'hold'} an ECEI label as of {day_text(d.as_of)}"
    )
    if n:
        text += f": {_levels(c.labelled, d)}"
    if c.in_renewal:
        text += f"; {len(c.in_renewal):,} can renew one"
    return text + "."


def label(level: LevelRules, d: Directory) -> str:
    """A label's page: its holders and what it takes."""
    n = len(d.holders(level.id))
    title = f" ({level.title})" if level.title else ""
    return (
        f"{_count(n, 'cluster organisation')} {'holds' if n == 1 else 'hold'} the ECEI "
        f"{level.name} label{title} as of {day_text(d.as_of)}. What it takes, how long it is "
        "valid and how it is renewed."
    )


def renewals(d: Directory) -> str:
    """The renewals page."""
    return (
        f"{_count(len(d.renewals), 'cluster organisation')} whose ECEI label has ended but "
        f"can still be renewed, as of {day_text(d.as_of)}, soonest deadline first."
    )


def about() -> str:
    """The about page."""
    return (
        "Where the directory's data comes from, the ECEI rules it applies, and the downloads "
        "(CSV, JSON and a data package) with their columns and licence."
    )


def list_page(listing: Listing, number: int) -> str:
    """A further page of a list: which clusters it holds."""
    first = (number - 1) * PAGE_SIZE + 1
    last = min(number * PAGE_SIZE, len(listing.entries))
    return (
        f"{listing.title}, page {number} of {listing.pages}: clusters {first:,} to {last:,} "
        f"of {len(listing.entries):,}, by name."
    )


def cluster(entry: Entry, d: Directory) -> str:
    """A cluster page: what it holds, and until when."""
    c, s = entry.cluster, entry.status
    where = f" ({c.city}, {entry.country_name})" if c.city else f" ({entry.country_name})"
    if s.label and s.valid_until:
        name = d.rules.level(s.label).name
        held = f"holds the ECEI {name} label, valid until {day_text(s.valid_until)}"
    else:
        held = f"holds no valid ECEI label on {day_text(d.as_of)}"
    return f"{_short(c.name)}{where} {held}."


def _short(name: str, most: int = 100) -> str:
    # Search engines show about 160 characters of a description: a long name leaves the
    # label and its validity in them.
    return name if len(name) <= most else name[: most - 1].rstrip() + "…"
