"""The register as a dataset: its licence, description and downloads, described for EU data
portals (DCAT-AP 3, in catalog.jsonld) and for search engines (a schema.org Dataset on the home
page).

Pure: the directory and the site's settings in, JSON-LD-ready values out. DCAT-AP's catalogue is
one file for every language, in English (its texts say `"@language": "en"`); the home page's
Dataset is in the page's language. Addresses are absolute
when the site's address is known, else relative: a JSON-LD processor resolves them against the
address of the document that holds them, and catalog.jsonld and the home page both sit at the
site's root, beside the downloads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from generator.core import i18n
from generator.core.dates import iso_day
from generator.core.months import Month
from generator.core.words import register_description
from generator.site.directory import Directory, Entry
from generator.site.siteconfig import SiteSettings

# The usual data licences by SPDX id: (title, address). Any other id is allowed, shown as written.
LICENCES = {
    "CC-BY-4.0": (
        "Creative Commons Attribution 4.0 International",
        "https://creativecommons.org/licenses/by/4.0/",
    ),
    "CC-BY-SA-4.0": (
        "Creative Commons Attribution Share Alike 4.0 International",
        "https://creativecommons.org/licenses/by-sa/4.0/",
    ),
    "CC0-1.0": (
        "Creative Commons Zero v1.0 Universal",
        "https://creativecommons.org/publicdomain/zero/1.0/",
    ),
    "ODbL-1.0": (
        "Open Data Commons Open Database License v1.0",
        "https://opendatacommons.org/licenses/odbl/1-0/",
    ),
    "ODC-By-1.0": (
        "Open Data Commons Attribution License v1.0",
        "https://opendatacommons.org/licenses/by/1-0/",
    ),
    "PDDL-1.0": (
        "Open Data Commons Public Domain Dedication & License 1.0",
        "https://opendatacommons.org/licenses/pddl/1-0/",
    ),
    "dl-de-by-2.0": (
        "Data licence Germany – attribution – version 2.0",
        "https://www.govdata.de/dl-de/by-2-0",
    ),
    "OGL-UK-3.0": (
        "Open Government Licence v3.0",
        "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    ),
}


@dataclass(frozen=True, slots=True)
class Licence:
    """The data's licence: its id (or '' for a licence given by its address), title and
    address (None for an id that is not a known one)."""

    id: str
    title: str
    url: str | None


def data_licence(setting: str) -> Licence:
    """The licence the settings name: a known SPDX id (matched regardless of case), the address
    of a licence's text (which then has no id), or any other id, as written."""
    if setting.startswith(("https://", "http://")):
        return Licence("", setting, setting)
    known = {key.casefold(): key for key in LICENCES}
    key = known.get(setting.casefold())
    if key is None:
        return Licence(setting, setting, None)
    title, url = LICENCES[key]
    return Licence(key, title, url)


@dataclass(frozen=True, slots=True)
class Download:
    """A file of the dataset: its path from the site's root, its types and what it holds (in
    English, marked with `i18n.N_`: the home page translates it)."""

    path: str
    media_type: str  # IANA
    file_type: str  # the code in the EU's file-type vocabulary
    description: str
    conforms_to: str = ""


CATALOG = "catalog.jsonld"
DOWNLOADS = (
    Download(
        "clusters.csv",
        "text/csv",
        "CSV",
        # Translators: what a download holds (clusters.csv), in the home page's structured data.
        i18n.N_("Every cluster that holds a valid label or can still renew one, with its status."),
    ),
    Download(
        "clusters.json",
        "application/json",
        "JSON",
        # Translators: what a download holds (clusters.json).
        i18n.N_("The rows of clusters.csv as JSON, with the as-of date and the headline counts."),
    ),
    Download(
        "awards.csv",
        "text/csv",
        "CSV",
        # Translators: what a download holds (awards.csv).
        i18n.N_("Every award of those clusters, with the validity it gives."),
    ),
    Download(
        "datapackage.json",
        "application/json",
        "JSON",
        # Translators: what a download holds (datapackage.json).
        i18n.N_(
            "A Frictionless Data Package: the two CSV files, their columns, types, allowed "
            "values, keys and licence."
        ),
        "https://datapackage.org/standard/data-package/",
    ),
)
# Translators: the register's name as a dataset, in the home page's structured data.
DATASET_TITLE = i18n.N_("Cluster organisations holding an ECEI label, and their awards")
KEYWORDS = ("ECEI", "cluster excellence", "cluster organisations", "cluster management", "labels")


def listed(directory: Directory) -> tuple[Entry, ...]:
    """The clusters of the downloads: every labelled cluster and every one in renewal."""
    return (*directory.labelled, *directory.renewals)


def first_award(directory: Directory) -> Month | None:
    """The month of the earliest award in the downloads, where the history they hold starts."""
    months = [e.award.assessed for entry in listed(directory) for e in entry.status.history]
    return min(months, default=None)


def dataset_description(directory: Directory, settings: SiteSettings) -> str:
    """What the register holds, in a paragraph with its counts and its date, in the current
    language."""
    counts = directory.headline
    text = register_description(
        [level.name for level in directory.rules.highest_first],
        counts.clusters,
        counts.countries,
        directory.as_of,
    )
    if settings.sample_data:
        # Translators: added to the register's description on a site built from sample data.
        sample = i18n.gettext(
            "Sample data: the records are invented, the organisations named do not exist."
        )
        text += f" {sample}"
    return text


# DCAT-AP 3: every value is written with its IRI or datatype, under an inline context, so that
# a processor needs nothing from another host to read it.
DCAT_CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dcatap": "http://data.europa.eu/r5r/",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
EU = "http://publications.europa.eu/resource/authority/"  # the EU's controlled vocabularies
IANA = "https://www.iana.org/assignments/media-types/"


def _text(value: str) -> dict[str, str]:
    return {"@value": value, "@language": "en"}  # the descriptions are written in English


def _date(day: dt.date) -> dict[str, str]:
    return {"@value": iso_day(day), "@type": "xsd:date"}


def _node(iri: str, kind: str, **more: object) -> dict[str, object]:
    # A linked resource with its class: DCAT-AP checks each property's range by it.
    return {"@id": iri, "@type": kind, **more}


def _concept(iri: str, label: str) -> dict[str, object]:
    return _node(iri, "skos:Concept", **{"skos:prefLabel": _text(label)})


def _dcat_licence(licence: Licence) -> dict[str, object]:
    if licence.url is None:
        return _node("_:licence", "dct:LicenseDocument", **{"dct:identifier": licence.id})
    named = {"dct:identifier": licence.id} if licence.id else {}
    return _node(
        licence.url, "dct:LicenseDocument", **named, **{"rdfs:label": _text(licence.title)}
    )


def _distribution(
    download: Download, size: int, base: str, licence: dict[str, object], as_of: dt.date
) -> dict[str, object]:
    address = {"@id": base + download.path}
    node = _node(f"{base}{CATALOG}#{download.path}", "dcat:Distribution")
    node |= {
        "dct:title": _text(download.path),
        "dct:description": _text(download.description),
        "dcat:accessURL": address,
        "dcat:downloadURL": address,
        "dcat:mediaType": _node(IANA + download.media_type, "dct:MediaType"),
        "dct:format": _node(f"{EU}file-type/{download.file_type}", "dct:MediaTypeOrExtent"),
        "dct:license": licence,
        "dcatap:availability": _concept(f"{EU}planned-availability/STABLE", "stable"),
        "dct:modified": _date(as_of),
        "dcat:byteSize": {"@value": str(size), "@type": "xsd:nonNegativeInteger"},
    }
    if download.conforms_to:
        node["dct:conformsTo"] = _node(download.conforms_to, "dct:Standard")
    return node


def _issuer_nodes(directory: Directory) -> dict[str, object]:
    # The labelling secretariat keeps the records: the data's creator, and where corrections go.
    issuer = directory.rules.issuer
    if issuer is None:
        return {}
    creator: dict[str, object] = {"@type": "foaf:Agent", "foaf:name": issuer.full_name}
    contact: dict[str, object] = {
        "@type": ["vcard:Kind", "vcard:Organization"],
        "vcard:fn": issuer.full_name,
    }
    if issuer.url:
        creator["foaf:homepage"] = _node(issuer.url, "foaf:Document")
        contact["vcard:hasURL"] = {"@id": issuer.url}
    return {"dct:creator": creator, "dcat:contactPoint": contact}


def _dcat_dataset(
    directory: Directory, settings: SiteSettings, sizes: Mapping[str, int]
) -> dict[str, object]:
    base, as_of = settings.base, directory.as_of
    licence = _dcat_licence(data_licence(settings.data_licence))
    dataset = _node(f"{base}{CATALOG}#dataset", "dcat:Dataset")
    dataset |= {
        "dct:title": _text(DATASET_TITLE),
        "dct:description": _text(dataset_description(directory, settings)),
        "dct:publisher": {"@id": f"{base or './'}#publisher"},
        **_issuer_nodes(directory),
        "dcat:keyword": [_text(keyword) for keyword in KEYWORDS],
        "dcat:theme": _concept(f"{EU}data-theme/ECON", "Economy and finance"),
        "dct:spatial": _node(f"{EU}continent/EUROPE", "dct:Location"),
        "dct:language": _node(f"{EU}language/ENG", "dct:LinguisticSystem"),
        "dct:modified": _date(as_of),
        # The about page says so: the site is rebuilt every day.
        "dct:accrualPeriodicity": _node(f"{EU}frequency/DAILY", "dct:Frequency"),
        "dct:accessRights": _node(f"{EU}access-right/PUBLIC", "dct:RightsStatement"),
        "dcat:landingPage": _node(f"{base}about/", "foaf:Document"),
    }
    start = first_award(directory)
    if start is not None:
        period = {"dcat:startDate": _date(start.first_day()), "dcat:endDate": _date(as_of)}
        dataset["dct:temporal"] = {"@type": "dct:PeriodOfTime", **period}
    dataset["dcat:distribution"] = [
        _distribution(d, sizes[d.path], base, licence, as_of) for d in DOWNLOADS
    ]
    return dataset


def dcat_catalog(
    directory: Directory, settings: SiteSettings, sizes: Mapping[str, int]
) -> dict[str, object]:
    """catalog.jsonld: a DCAT-AP 3 catalogue of one dataset, with a distribution per download
    (`sizes` gives each download's bytes); in English, whatever the current language."""
    with i18n.speaking(i18n.ENGLISH):
        return _dcat_catalog(directory, settings, sizes)


def _dcat_catalog(
    directory: Directory, settings: SiteSettings, sizes: Mapping[str, int]
) -> dict[str, object]:
    base = settings.base
    publisher = {
        "@id": f"{base or './'}#publisher",  # whoever publishes the site
        "@type": "foaf:Agent",
        "foaf:name": settings.site_name,
        "foaf:homepage": _node(base or "./", "foaf:Document"),
    }
    return {
        "@context": DCAT_CONTEXT,
        "@id": f"{base}{CATALOG}#catalog",
        "@type": "dcat:Catalog",
        "dct:title": _text(settings.site_name),
        "dct:description": _text(
            f"The open data of {settings.site_name}: one dataset, the register of cluster "
            "organisations holding an ECEI label, with their awards."
        ),
        "dct:publisher": publisher,
        "foaf:homepage": _node(base or "./", "foaf:Document"),
        "dct:language": _node(f"{EU}language/ENG", "dct:LinguisticSystem"),
        "dct:license": _dcat_licence(data_licence(settings.data_licence)),
        "dct:spatial": _node(f"{EU}continent/EUROPE", "dct:Location"),
        "dct:modified": _date(directory.as_of),
        "dcat:themeTaxonomy": _node(
            f"{EU}data-theme", "skos:ConceptScheme", **{"dct:title": _text("Data theme")}
        ),
        "dcat:dataset": _dcat_dataset(directory, settings, sizes),
    }


def home_json_ld(directory: Directory, settings: SiteSettings) -> dict[str, object]:
    """The home page's schema.org JSON-LD: the site (WebSite) and the register (Dataset), with a
    DataDownload per file; its words in the current language. A translated home page (in its
    language's folder, settings.folder) names its own pages there, and the downloads at the
    site's root."""
    base, as_of = settings.base, iso_day(directory.as_of)
    pages = settings.page_base if base else ""
    files = base or "../" * settings.folder.count("/")
    licence = data_licence(settings.data_licence)
    publisher = {
        "@type": "Organization",
        "@id": f"{base}#publisher",  # the DCAT-AP catalogue's publisher
        "name": settings.site_name,
        "url": base or "./",
    }
    dataset: dict[str, object] = {
        "@type": "Dataset",
        "@id": f"{base}{CATALOG}#dataset",  # the same dataset as the DCAT-AP catalogue's
        "name": i18n.gettext(DATASET_TITLE),
        "description": dataset_description(directory, settings),
        "url": f"{pages}about/",
        "license": licence.url or {"@type": "CreativeWork", "name": licence.id},
        "isAccessibleForFree": True,
        "dateModified": as_of,
    }
    start = first_award(directory)
    if start is not None:
        dataset["temporalCoverage"] = f"{iso_day(start.first_day())}/{as_of}"
    dataset |= {
        # Translators: where the register's clusters are, in the home page's structured data.
        "spatialCoverage": {"@type": "Place", "name": i18n.gettext("Europe")},
        "keywords": list(KEYWORDS),
        "inLanguage": "en",
        "publisher": publisher,
    }
    issuer = directory.rules.issuer
    if issuer is not None:
        creator = {"@type": "Organization", "name": issuer.full_name}
        dataset["creator"] = creator | ({"url": issuer.url} if issuer.url else {})
    dataset["distribution"] = [
        {
            "@type": "DataDownload",
            "name": d.path,
            "description": i18n.gettext(d.description),
            "encodingFormat": d.media_type,
            "contentUrl": files + d.path,
        }
        for d in DOWNLOADS
    ]
    website = {
        "@type": "WebSite",
        "@id": f"{pages}#website",
        "name": settings.site_name,
        "url": pages or "./",
        "inLanguage": settings.language,
        "publisher": publisher,
    }
    return {"@context": "https://schema.org", "@graph": [website, dataset]}
