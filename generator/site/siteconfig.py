"""What the site's settings say to the renderers: the site's name, address, licence and map
layer, who runs the register and how to reach them, the accessibility statement's facts, as
values, and the rules that normalise the address, the licence and the contact addresses.

Reading mkdocs.yml is the build's job (generator/build/settings.py); the renderers take only
these values, so that no page depends on how the settings were read.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import idna

from generator.core import i18n
from generator.core.errors import ConfigError, shown

# The data's licence unless mkdocs.yml says otherwise: the European Commission's default for the
# data it publishes (Decision 2019/1372).
DATA_LICENCE = "CC-BY-4.0"


@dataclass(frozen=True, slots=True)
class Operator:
    """Who runs the register and how to reach them: each address as the settings normalised it
    (an e-mail address, an https address, or for corrections also a `mailto:` address); an
    empty one is not set."""

    name: str = ""
    contact: str = ""  # an e-mail address, or the https address of a contact page
    corrections: str = ""  # a GitHub issue form (…/issues/new), another https form, or mailto:
    privacy_contact: str = ""  # for questions on personal data; the contact when not set
    labelling_body: str = ""  # the https address of the body that awards the labels

    @property
    def contact_href(self) -> str:
        """The contact as a link: mailto: for an e-mail address; '' when not set."""
        return contact_href(self.contact)

    @property
    def privacy_href(self) -> str:
        """The privacy contact as a link, the general contact when none is set."""
        return contact_href(self.privacy_contact or self.contact)


@dataclass(frozen=True, slots=True)
class AccessibilityStatement:
    """The facts of the accessibility statement that only its author knows: its date and the
    enforcement procedure a visitor may turn to."""

    prepared: dt.date | None = None  # the day the statement was prepared (and the site assessed)
    reviewed: dt.date | None = None  # the day it was last reviewed, when later
    enforcement: str = ""  # the enforcement procedure, in a sentence or two
    # The name of the body that handles complaints: shown as written, or in the page's language
    # where the catalogs know it (ENFORCEMENT_BODIES).
    enforcement_body: str = ""
    enforcement_url: str = ""  # the https address of the enforcement body's page


# Bodies an accessibility statement names as its enforcement procedure, marked so that a page
# names them in its language (the settings give the English name).
ENFORCEMENT_BODIES = (
    # Translators: the body named in the accessibility statement's "you can complain to
    # %(body)s", in the form your sentence gives it there.
    i18n.N_("the European Ombudsman"),
)


@dataclass(frozen=True, slots=True)
class SiteSettings:
    """What the site's configuration says to the page renderer."""

    site_name: str = "ECEI Cluster Directory"
    sample_data: bool = True
    site_url: str = ""  # where the site is published; the feed's links are absolute when known
    language: str = "en"
    # Every language the site is built in (extra.languages), English first.
    languages: tuple[str, ...] = ("en",)
    # The folder of the language being rendered, from the site's root: '' for English (at the
    # root), 'de/' for German. The downloads and other language-neutral files stay at the root.
    folder: str = ""
    data_licence: str = DATA_LICENCE  # an SPDX id; any other is shown as written
    operator: Operator = field(default_factory=Operator)
    accessibility: AccessibilityStatement = field(default_factory=AccessibilityStatement)

    @property
    def base(self) -> str:
        """The site's address ending in '/', the base of every absolute address; '' when unknown
        (addresses then stay relative)."""
        return self.site_url.rstrip("/") + "/" if self.site_url else ""

    @property
    def page_base(self) -> str:
        """The address of the rendered language's pages ending in '/' (the site's address, or
        its folder of the language: 'https://example.org/de/'); '' when unknown."""
        return self.base + self.folder if self.base else ""


@dataclass(frozen=True, slots=True)
class MapSettings:
    """Optional tile layer (a privacy cost: every visit then asks the tile server for images)."""

    tiles_url: str | None = None
    tiles_attribution: str = ""


# The links a strict engine build refuses unless mkdocs.yml's `validation` says otherwise.
LINK_CHECKS = ("not_found", "absolute_links", "unrecognized_links", "anchors")


@dataclass(frozen=True, slots=True)
class EngineSettings:
    """What mkdocs.yml says about a page's Markdown and its place: the Python-Markdown
    extensions and their options, which link problems fail the strict build, and which pages
    are in the navigation."""

    extensions: tuple[str, ...] = ()
    extension_configs: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    failing_links: frozenset[str] = frozenset({"not_found"})
    nav: frozenset[str] | None = None  # the Markdown pages in the navigation; None: all of them


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


# An e-mail address as settings may give one: one '@', a dot in the domain, and only the
# characters that no link, page or Markdown text reads as markup or as a second address.
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# An https address as settings may give one: no space, quote, angle bracket or backtick.
_HTTPS = re.compile(r"https://[^\s<>\"'`\\]+")


def email_setting(value: str) -> str | None:
    """An e-mail address as written (spaces around it dropped), or None when it is not one."""
    value = value.strip().removeprefix("mailto:")
    return value if _EMAIL.fullmatch(value) else None


def https_setting(value: str) -> str | None:
    """An https address as written (spaces around it dropped), or None when it is not one."""
    value = value.strip()
    return value if _HTTPS.fullmatch(value) and urlsplit(value).hostname else None


def contact_setting(value: str) -> str | None:
    """A contact as settings hold it: an e-mail address (without `mailto:`) or an https
    address; None when it is neither."""
    return https_setting(value) or email_setting(value)


def corrections_setting(value: str) -> str | None:
    """Where corrections go: an https form's address as written, or `mailto:` and an e-mail
    address; None when it is neither."""
    address = https_setting(value)
    if address:
        return address
    email = email_setting(value)
    return f"mailto:{email}" if email else None


def contact_href(contact: str) -> str:
    """A contact (an e-mail or https address) as a link's target; '' when there is none."""
    if not contact or contact.startswith("https://"):
        return contact
    return f"mailto:{contact}"


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
