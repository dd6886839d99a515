"""What lets anyone check a label: each cluster's status file, its badge and its structured data.

Pure: an entry of the directory in, JSON-ready values and SVG text out; pages.py puts them
into each cluster's page and files. The badge is drawn here, not in a template: it is one small
fixed shape, made for every cluster. Like the status file, it is one file for every language,
in English (`badge`); `badge_title` words what it says in the current language, for a page's
text about it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape

from generator import FORMAT_VERSION
from generator.core import i18n
from generator.core.dates import day_text, iso_day, iso_month, numeric_month_year_text
from generator.labels.rules import Body, Rules
from generator.labels.status import AwardEffect, Period, State, Status, periods
from generator.site.directory import Directory, Entry

BADGE_LABEL = "ECEI label"
BADGE_PADDING = 6  # px either side of each text


# Verdana's advance widths in 1/2048 em, the font badges are drawn in (with DejaVu Sans, whose
# widths are close, as the fallback). The SVG also gives each text its length (textLength), so
# that it fills exactly the width computed here whatever font the viewer has.
def _table(chars: str, widths: str) -> dict[str, int]:
    return dict(zip(chars, map(int, widths.split()), strict=True))


_WIDTHS = {
    **_table(" /.·-:()0123456789", "720 1034 745 745 856 889 1034 1034" + " 1302" * 10),
    **_table(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "1401 1405 1430 1577 1294 1178 1587 1540 862 921 1415 1147 1739 "
        "1532 1612 1227 1612 1424 1399 1245 1508 1401 2028 1404 1247 1403",
    ),
    **_table(
        "abcdefghijklmnopqrstuvwxyz",
        "1233 1276 1087 1276 1219 720 1276 1296 562 677 1200 562 1992 "
        "1296 1227 1276 1276 874 1067 807 1296 1200 1665 1200 1200 1084",
    ),
}
_WIDE = 1600  # any other character: wider than most, so that it is never cut


def text_width(text: str, size: int = 11) -> int:
    """The width in px of a text in Verdana at a font size, rounded up."""
    units = sum(_WIDTHS.get(char, _WIDE) for char in text)
    return -(-units * size // 2048)


@dataclass(frozen=True, slots=True)
class Badge:
    """A badge's two texts, its tone (a level id while valid, else 'grey') and their widths,
    and what it says in full words, for its title, its aria-label and an image's alt text."""

    label: str
    message: str
    tone: str
    label_width: int
    message_width: int
    title: str

    @property
    def width(self) -> int:
        """The whole badge's width in px."""
        return self.label_width + self.message_width

    @property
    def text(self) -> str:
        """What the badge shows, as written on it."""
        return f"{self.label}: {self.message}"


# Each tone's (background, text) colours: contrast of at least 7:1, the labels' colours as on
# the site's own badges (directory.css), grey once no label is held.
BADGE_COLOURS = {
    "gold": ("#f3d36b", "#3d2e00"),
    "silver": ("#dfe3e8", "#25303b"),
    "bronze": ("#f0c9a5", "#4a2600"),
    "grey": ("#d4d7dc", "#2b2f36"),
}
OTHER_LEVEL_COLOURS = ("#c7d2fe", "#1e1b4b")  # a level added to rules.yaml later
BADGE_LABEL_COLOURS = ("#4a4f57", "#fff")


def badge_svg(b: Badge) -> str:
    """The badge as a self-contained SVG file: no script, no font file, no other reference."""
    bg, fg = BADGE_COLOURS.get(b.tone, OTHER_LEVEL_COLOURS)
    text, w, lw, mw = escape(b.title), b.width, b.label_width, b.message_width
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="20" '
        f'viewBox="0 0 {w} 20" role="img" aria-label="{text}">\n'
        f"<title>{text}</title>\n"
        f'<clipPath id="cd-badge-round"><rect width="{w}" height="20" rx="3"/></clipPath>\n'
        f'<g clip-path="url(#cd-badge-round)"><rect width="{lw}" height="20" '
        f'fill="{BADGE_LABEL_COLOURS[0]}"/><rect x="{lw}" width="{mw}" height="20" '
        f'fill="{bg}"/></g>\n'
        '<g font-family="Verdana,\'DejaVu Sans\',sans-serif" font-size="11" '
        'text-anchor="middle">\n'
        f'<text x="{lw / 2:g}" y="14" fill="{BADGE_LABEL_COLOURS[1]}" '
        f'textLength="{lw - 2 * BADGE_PADDING}">{escape(b.label)}</text>\n'
        f'<text x="{lw + mw / 2:g}" y="14" fill="{fg}" '
        f'textLength="{mw - 2 * BADGE_PADDING}">{escape(b.message)}</text>\n'
        "</g>\n</svg>\n"
    )


def badge_message(st: Status, rules: Rules) -> tuple[str, str]:
    """What a badge says of a status, and its tone: the level while valid, else grey. A label
    that has ended never reads as good news: 'ended 04/2026 · renewable', then 'expired'."""
    if st.state is State.VALID:
        until = numeric_month_year_text(st.valid_until)
        return f"{rules.level(st.label).name} · valid until {until}", st.label
    if st.state is State.RENEWAL:
        return f"ended {numeric_month_year_text(st.valid_until)} · renewable", "grey"
    if st.state is State.EXPIRED:
        return "expired", "grey"
    return "none", "grey"


def badge_title(st: Status, rules: Rules) -> str:
    """What a badge says, in full words and in the current language: its title, its
    aria-label and an image's alt text."""
    if st.state is State.VALID:
        # Translators: what a cluster's badge says, in full words (an image's alt text);
        # {level} is the label (GOLD), {day} the last day of its validity.
        return i18n.gettext("ECEI label: {level}, valid until {day}").format(
            level=rules.level(st.label).name, day=day_text(st.valid_until)
        )
    if st.state is State.NONE:
        # Translators: what a badge says before a cluster's first award.
        return i18n.gettext("ECEI label: none awarded yet")
    name = rules.level(st.level_of_record).name
    if st.state is State.RENEWAL:
        # Translators: what a badge says of a label that has ended and can still be renewed.
        return i18n.gettext(
            "ECEI label: {level} ended on {ended}; it can be renewed until {until}"
        ).format(level=name, ended=day_text(st.valid_until), until=day_text(st.renewable_until))
    # Translators: what a badge says of a label that has ended and was not renewed.
    return i18n.gettext("ECEI label: expired; {level} ended on {ended} and was not renewed").format(
        level=name, ended=day_text(st.valid_until)
    )


def badge(st: Status, rules: Rules) -> Badge:
    """A status as a badge: 'ECEI label | GOLD · valid until 05/2028'; in English whatever the
    current language, as badge.svg is one file for every language."""
    with i18n.speaking(i18n.ENGLISH):
        return _badge(st, rules)


def _badge(st: Status, rules: Rules) -> Badge:
    message, tone = badge_message(st, rules)
    return Badge(
        BADGE_LABEL,
        message,
        tone,
        text_width(BADGE_LABEL) + 2 * BADGE_PADDING,
        text_width(message) + 2 * BADGE_PADDING,
        badge_title(st, rules),
    )


def _period_awards(st: Status, level: str, start: dt.date) -> list[AwardEffect]:
    """The awards of one validity period of a level, oldest first (a renewal keeps the start)."""
    return [e for e in st.history if e.award.level == level and e.valid_from.first_day() == start]


def body_json(body: Body) -> dict[str, object]:
    """An awarding body as status.json names it."""
    return {"id": body.id, "name": body.name, "acronym": body.acronym, "url": body.url}


def awarded_by(st: Status, rules: Rules) -> Body | None:
    """Who awarded the label of record (held, or ended last): the body of the latest award of
    its validity period, whose decision set its end. None before any award."""
    if st.level_of_record is None or st.valid_since is None:
        return None
    awards = _period_awards(st, st.level_of_record, st.valid_since)
    return rules.awarding_body(awards[-1].award) if awards else None


def status_document(entry: Entry, url: str, rules: Rules) -> dict[str, object]:
    """A cluster's status file: the format's version, the keys of `clusterdir status --json`,
    its country and page, and who awarded the label."""
    c = entry.cluster
    body = awarded_by(entry.status, rules)
    return {
        "format_version": FORMAT_VERSION,
        "id": c.id,
        "name": c.name,
        "country": c.country,
        "url": url,
        **entry.status.as_json(),
        "awarded_by": body_json(body) if body else None,
    }


def certification_name(level_id: str, rules: Rules) -> str:
    """A label's name as a certification: 'ECEI GOLD label: Cluster Management Excellence'."""
    level = rules.level(level_id)
    return f"ECEI {level.name} label" + (f": {level.title}" if level.title else "")


def body_organization(body: Body) -> dict[str, object]:
    """An awarding body as a schema.org Organization, with the address the rules file gives
    (its city and country; a street only where known)."""
    address: dict[str, object] = {"@type": "PostalAddress"}
    if body.street:
        address["streetAddress"] = body.street
    address |= {"addressLocality": body.city, "addressCountry": body.country}
    node: dict[str, object] = {
        "@type": "Organization",
        "name": body.name,
        "alternateName": body.acronym,
    }
    if body.url:
        node["url"] = body.url
    node["address"] = address
    return node


def period_body(st: Status, span: Period, rules: Rules) -> Body:
    """Who issued a validity period as it stands: the body of its latest award."""
    return rules.awarding_body(_period_awards(st, span.level, span.start.first_day())[-1].award)


def certifications(st: Status, rules: Rules) -> list[dict[str, object]]:
    """One schema.org Certification per validity period of each level, oldest first, issued by
    the body of its latest award; only the period of the label held on the as-of date is
    active."""
    result = []
    spans = sorted(periods(st.history), key=lambda p: (p.start, rules.level(p.level).rank))
    for span in spans:
        awards = _period_awards(st, span.level, span.start.first_day())
        audits = sorted({iso_month(e.award.assessed) for e in awards})
        active = (
            st.state is State.VALID
            and st.label == span.level
            and st.valid_since == span.start.first_day()
        )
        item: dict[str, object] = {
            "@type": "Certification",
            "name": certification_name(span.level, rules),
            "issuedBy": body_organization(period_body(st, span, rules)),
        }
        item |= {
            "auditDate": audits,
            "validFrom": iso_day(span.start.first_day()),
            "expires": iso_day(span.end.last_day()),
            "certificationStatus": "https://schema.org/Certification"
            + ("Active" if active else "Inactive"),
        }
        result.append(item)
    return result


def organization(entry: Entry, directory: Directory, page: str | None) -> dict[str, object]:
    """A cluster as a schema.org Organization with its certifications, for its page's JSON-LD;
    `page` is the page's absolute address when the site's is known."""
    c = entry.cluster
    data: dict[str, object] = {"@context": "https://schema.org", "@type": "Organization"}
    if page:
        data["@id"] = f"{page}#organization"
        data["mainEntityOfPage"] = page
    data["name"] = c.name
    if c.acronym:
        data["alternateName"] = c.acronym
    data["url"] = c.website
    address: dict[str, object] = {"@type": "PostalAddress", "addressCountry": c.country}
    if c.city:
        address["addressLocality"] = c.city
    data["address"] = address
    if c.eccp:
        data["sameAs"] = [c.eccp]  # its profile on the European Cluster Collaboration Platform
    data["hasCertification"] = certifications(entry.status, directory.rules)
    return data


def breadcrumb_list(steps: list[tuple[str, str]]) -> dict[str, object]:
    """A page's breadcrumb as a schema.org BreadcrumbList: (name, absolute address) from the
    home page down to the page itself, for search engines that show the path."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "name": name, "item": address}
            for i, (name, address) in enumerate(steps, 1)
        ],
    }
