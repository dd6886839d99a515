"""Open data: awards.csv against the status history, the data package validated by Frictionless,
the licence setting, the DCAT-AP catalogue against the official shapes, and the home page's
schema.org JSON-LD against the build."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
import yaml
from frictionless import validate
from pyld import jsonld
from pyshacl import validate as shacl_validate

from generator import FORMAT_VERSION
from generator.build.project import Project
from generator.build.settings import read_settings
from generator.core.errors import ConfigError
from generator.core.model import Cluster
from generator.labels.rules import load_rules, load_sectors
from generator.labels.status import status
from generator.records.catalog import load_catalog
from generator.site.dataset import DOWNLOADS, data_licence
from generator.site.directory import build_directory
from generator.site.opendata import AWARD_COLUMNS, country_downloads, open_data
from generator.site.pages import render_site
from generator.site.siteconfig import SiteSettings
from tests import golden
from tests.conftest import FIXTURES, ROOT, award, day

RULES = load_rules()
SECTORS = load_sectors()
AS_OF = day("2026-11-25")
SHAPES = FIXTURES / "dcat-ap"
SCHEMA_ORG_CONTEXT = FIXTURES / "schema.org" / "schemaorgcontext.jsonld"
# rdflib's own JSON-LD parser still uses a class it deprecates; nothing to act on here.
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")


def _cluster(cluster_id: str, *awards: str) -> Cluster:
    return Cluster(
        cluster_id,
        f"clusters/{cluster_id}.yaml",
        cluster_id.replace("-", " ").title(),
        "DE",
        f"https://{cluster_id}.example.org/",
        tuple(award(text) for text in awards),
    )


# One record per kind of award, and two that the downloads leave out.
HISTORIES = (
    _cluster("ladder", "bronze 2020-01", "bronze 2021-09", "silver 2024-06"),
    _cluster("lapsed-and-new", "bronze 2019-01", "bronze 2025-06"),
    _cluster("set-end", "gold 2025-03 until 2026-06"),
    _cluster("renewed-with-set-end", "bronze 2022-01", "bronze 2023-06 until 2027-12"),
    _cluster("award-after-as-of", "bronze 2025-01", "gold 2026-12"),
    _cluster("long-expired", "bronze 2015-01"),
)


def _files(clusters=HISTORIES, settings: SiteSettings | None = None) -> dict[str, bytes]:
    directory = build_directory(clusters, RULES, AS_OF)
    return {f.path: f.data for f in open_data(directory, settings or SiteSettings())}


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


# awards.csv


# fmt: off
EXPECTED_AWARDS = [
    # cluster_id, level, assessed, kind, rule_kind, valid_from, valid_until
    ("award-after-as-of", "bronze", "2025-01", "first", "first", "2025-01-01", "2026-12-31"),
    ("ladder", "bronze", "2020-01", "first", "first", "2020-01-01", "2021-12-31"),
    ("ladder", "bronze", "2021-09", "renewal", "renewal", "2020-01-01", "2024-12-31"),
    ("ladder", "silver", "2024-06", "first", "first", "2024-06-01", "2026-05-31"),
    ("lapsed-and-new", "bronze", "2019-01", "first", "first", "2019-01-01", "2020-12-31"),
    ("lapsed-and-new", "bronze", "2025-06", "new", "new", "2025-06-01", "2027-05-31"),
    ("renewed-with-set-end", "bronze", "2022-01", "first", "first", "2022-01-01", "2023-12-31"),
    ("renewed-with-set-end", "bronze", "2023-06", "override", "renewal", "2022-01-01", "2027-12-31"),
    ("set-end", "gold", "2025-03", "override", "first", "2025-03-01", "2026-06-30"),
]
# fmt: on


def test_awards_csv_has_one_row_per_award_with_its_kind_and_validity():
    rows = _rows(_files()["awards.csv"])
    assert list(rows[0]) == [column.name for column in AWARD_COLUMNS]
    assert [tuple(row.values())[:7] for row in rows] == EXPECTED_AWARDS
    assert {row["as_of"] for row in rows} == {"2026-11-25"}


def test_awards_csv_says_what_the_status_history_says():
    rows = _rows(_files()["awards.csv"])
    for cluster in HISTORIES:
        history = status(cluster.awards, RULES, AS_OF).history
        mine = [row for row in rows if row["cluster_id"] == cluster.id]
        if not mine:
            continue
        assert len(mine) == len(history)
        for row, effect in zip(mine, history, strict=True):
            assert (row["level"], row["assessed"]) == (
                effect.award.level,
                str(effect.award.assessed),
            )
            assert row["rule_kind"] == effect.kind.value
            assert row["valid_from"] == effect.valid_from.first_day().isoformat()
            assert row["valid_until"] == effect.valid_through.last_day().isoformat()


def test_awards_csv_holds_the_awards_of_exactly_the_listed_clusters():
    files = _files()
    listed = {row["id"] for row in _rows(files["clusters.csv"])}
    assert listed == {c.id for c in HISTORIES} - {"long-expired"}
    assert {row["cluster_id"] for row in _rows(files["awards.csv"])} == listed
    # An award assessed after the as-of month is not known yet.
    assert not any(row["assessed"] == "2026-12" for row in _rows(files["awards.csv"]))


# The data package, validated by Frictionless on the built site


def _errors(report) -> list[tuple[str, str | None]]:
    return [(error[0], error[1]) for error in report.flatten(["type", "fieldName"])]


def test_the_built_data_package_validates(sample_site):
    report = validate(str(sample_site / "datapackage.json"))
    assert report.valid, report.flatten(["type", "fieldName", "note"])[:10]
    # As an analyst would check it: `frictionless validate datapackage.json` in the site.
    command = [sys.executable, "-m", "frictionless", "validate", "datapackage.json"]
    result = subprocess.run(command, cwd=sample_site, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-2000:]
    package = json.loads((sample_site / "datapackage.json").read_text("utf-8"))
    assert [r["path"] for r in package["resources"]] == ["clusters.csv", "awards.csv"]
    assert package["as_of"] == "2026-11-25"
    assert package["licenses"] == [
        {
            "name": "CC-BY-4.0",
            "path": "https://creativecommons.org/licenses/by/4.0/",
            "title": "Creative Commons Attribution 4.0 International",
        }
    ]


@pytest.mark.parametrize(
    ("row", "error"),
    [
        (
            '"gold-cluster-rhein","platinum","2024-03","first","first"',
            ("constraint-error", "level"),
        ),
        ('"no-such-cluster","gold","2024-03","first","first"', ("foreign-key", None)),
        ('"gold-cluster-rhein","gold","2024-13","first","first"', ("type-error", "assessed")),
        ('"gold-cluster-rhein","gold","2024-03","renewed","first"', ("constraint-error", "kind")),
    ],
    ids=["unknown-level", "unknown-cluster", "no-such-month", "unknown-kind"],
)
def test_a_row_that_breaks_the_schema_fails_validation(sample_site, tmp_path, row, error):
    for name in ("datapackage.json", "clusters.csv", "awards.csv"):
        shutil.copy(sample_site / name, tmp_path / name)
    cluster = next(r for r in _rows((tmp_path / "clusters.csv").read_bytes()))["id"]
    row = row.replace("gold-cluster-rhein", cluster)
    with (tmp_path / "awards.csv").open("a", encoding="utf-8", newline="") as file:
        file.write(f'{row},"2024-03-01","2026-02-28","2026-11-25"\r\n')
    report = validate(str(tmp_path / "datapackage.json"))
    assert not report.valid
    found = _errors(report)
    assert error in found, found
    # The package also records each file's size and hash, so a changed copy shows.
    assert ("hash-count", None) in found


# The licence setting


def _page(files, path: str) -> str:
    return next(f.data.decode() for f in files if f.path == path)


@pytest.mark.parametrize(
    ("setting", "shown", "licence"),
    [
        (
            "CC-BY-4.0",
            r"[Creative Commons Attribution 4\.0 International]"
            "(https://creativecommons.org/licenses/by/4.0/)",
            {
                "name": "CC-BY-4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/",
                "title": "Creative Commons Attribution 4.0 International",
            },
        ),
        (
            "odbl-1.0",
            r"[Open Data Commons Open Database License v1\.0]"
            "(https://opendatacommons.org/licenses/odbl/1-0/)",
            {
                "name": "ODbL-1.0",
                "path": "https://opendatacommons.org/licenses/odbl/1-0/",
                "title": "Open Data Commons Open Database License v1.0",
            },
        ),
        (
            "LicenseRef-Our_Own.2",
            r"under the licence LicenseRef\-Our\_Own\.2.",
            {"name": "LicenseRef-Our_Own.2"},
        ),
        (
            "https://example.org/licence?a=1&b=2",
            r"[https://example\.org/licence?a=1&amp;b=2](https://example.org/licence?a=1&amp;b=2)"
            " licence.",
            {
                "path": "https://example.org/licence?a=1&b=2",
                "title": "https://example.org/licence?a=1&b=2",
            },
        ),
    ],
    ids=["default", "known-in-any-case", "unknown-as-written", "by-its-address"],
)
def test_the_licence_setting_changes_the_package_and_the_about_page(setting, shown, licence):
    catalog = load_catalog(golden.FIXTURE_RECORDS, RULES, SECTORS, AS_OF)
    directory = build_directory(catalog.clusters, RULES, AS_OF)
    templates = ROOT / "site_templates" / "pages"
    files, _ = render_site(templates, directory, SiteSettings(data_licence=setting), SECTORS)
    assert json.loads(_page(files, "datapackage.json"))["licenses"] == [licence]
    assert shown in _page(files, "about.md")
    catalogue = json.loads(_page(files, "catalog.jsonld"))
    assert catalogue["dct:license"].get("dct:identifier") == licence.get("name")
    home = json.loads(re.search(r'ld\+json">(.*)</script>', _page(files, "index.md"))[1])
    dataset = home["@graph"][1]
    assert dataset["license"] == licence.get("path", {"@type": "CreativeWork", "name": setting})


def test_the_licence_is_read_from_mkdocs_yml_and_defaults_to_cc_by(tmp_path):
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))
    assert config["extra"]["data_licence"] == "CC-BY-4.0"

    def licence(value: object) -> str:
        config["extra"]["data_licence"] = value
        (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config))
        return read_settings(Project(tmp_path)).site.data_licence

    assert licence("CC0-1.0") == "CC0-1.0"
    assert licence(" CC BY 4.0 ") == "CC-BY-4.0"  # as people write it
    assert licence("https://example.org/terms") == "https://example.org/terms"
    del config["extra"]["data_licence"]
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config))
    assert read_settings(Project(tmp_path)).site.data_licence == "CC-BY-4.0"
    config["extra"] = None  # an empty section above the option leaves it unset, not empty
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config))
    assert read_settings(Project(tmp_path)).site.data_licence == "CC-BY-4.0"


@pytest.mark.parametrize(
    "value",
    [None, "", " ", 4, "Our own terms <b>", "GPL-2.0+", "https://example.org/(terms)", "ftp://x"],
    ids=[
        "empty",
        "blank",
        "spaces",
        "a-number",
        "free-text",
        "not-a-package-name",
        "parens",
        "ftp",
    ],
)
def test_a_licence_that_is_no_id_nor_web_address_is_refused_never_defaulted(tmp_path, value):
    # An empty licence must not become CC-BY-4.0: that would grant rights nobody chose.
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))
    config["extra"]["data_licence"] = value
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config))
    with pytest.raises(ConfigError, match="data_licence"):
        read_settings(Project(tmp_path))


def test_unknown_licence_ids_are_kept_as_written_and_known_ones_get_their_title():
    assert data_licence("cc-by-sa-4.0").id == "CC-BY-SA-4.0"
    assert data_licence("Proprietary").url is None
    assert data_licence("Proprietary").title == "Proprietary"


def test_the_about_page_explains_every_column_of_both_csv_files():
    catalog = load_catalog(golden.FIXTURE_RECORDS, RULES, SECTORS, AS_OF)
    directory = build_directory(catalog.clusters, RULES, AS_OF)
    files, _ = render_site(ROOT / "site_templates/pages", directory, SiteSettings(), SECTORS)
    about = _page(files, "about.md")
    for name in ("clusters.csv", "awards.csv"):
        header = _page(files, name).splitlines()[0].replace('"', "").split(",")
        for column in header:
            assert f"- `{column}` (*" in about, (name, column)
    for download in ("datapackage.json", "catalog.jsonld", "awards.csv"):
        assert f"]({download})" in about


# The DCAT-AP catalogue, against the official shapes

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
# Recommended properties the catalogue leaves out because nothing says them truthfully, each
# with the reason: (the path the warning is about, the class of its focus node).
ACCEPTED_WARNINGS = {
    # When the catalogue was first published: the records do not say.
    ("issued", "Catalog"),
    # The type of a publisher (ADMS publisher types): the site's operator is not known here.
    ("type", "Agent"),
    # The licence's ADMS licence type: optional classification.
    ("type", "LicenseDocument"),
    # A bounding box and centroid for Europe: the continent's IRI says where.
    ("bbox", "Location"),
    ("centroid", "Location"),
    # A publisher from the EU's corporate bodies: whoever publishes the site is not one.
    ("publisher", "Catalog"),
    ("publisher", "Dataset"),
}


def _shapes() -> rdflib.Graph:
    graph = rdflib.Graph()
    for name in (
        "shapes.ttl",
        "range.ttl",
        "shapes_recommended.ttl",
        "deprecateduris.ttl",
        "mdr-vocabularies.shape.ttl",
    ):
        graph.parse(SHAPES / name, format="turtle")
    return graph


def _catalogue_graph(text: str, address: str) -> rdflib.Graph:
    graph = rdflib.Graph()
    # The context is inline: the parser needs nothing from the network.
    graph.parse(data=text, format="json-ld", publicID=address)
    return graph


def _shacl_results(graph: rdflib.Graph) -> list[tuple[str, str, str]]:
    data = graph + rdflib.Graph().parse(SHAPES / "vocabularies.ttl", format="turtle")
    _, report, _ = shacl_validate(data, shacl_graph=_shapes(), inference="none")
    top = next(report.subjects(rdflib.RDF.type, SH.ValidationReport))
    results = []
    for result in report.objects(top, SH.result):
        focus = report.value(result, SH.focusNode)
        kinds = sorted(
            str(k).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
            for k in data.objects(focus, rdflib.RDF.type)
        )
        path = str(report.value(result, SH.resultPath)).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        severity = str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1]
        results.append((severity, path, kinds[0] if kinds else ""))
    return results


@pytest.mark.parametrize(
    ("site_url", "address", "base"),
    [
        ("", "https://example.org/register/catalog.jsonld", "https://example.org/register/"),
        (
            "https://directory.example.eu",
            "file:///tmp/catalog.jsonld",
            "https://directory.example.eu/",
        ),
    ],
    ids=["relative-without-site-url", "absolute-with-site-url"],
)
def test_the_catalogue_conforms_to_dcat_ap(site_url, address, base):
    catalog = load_catalog(golden.FIXTURE_RECORDS, RULES, SECTORS, AS_OF)
    directory = build_directory(catalog.clusters, RULES, AS_OF)
    files = {f.path: f.data for f in open_data(directory, SiteSettings(site_url=site_url))}
    graph = _catalogue_graph(files["catalog.jsonld"].decode(), address)
    results = _shacl_results(graph)
    assert [r for r in results if r[0] != "Warning"] == []
    assert {(path, kind) for _, path, kind in results} <= ACCEPTED_WARNINGS
    # Every download is a distribution, at its address beside the catalogue, with its size.
    [dataset] = graph.subjects(rdflib.RDF.type, DCAT.Dataset)
    downloads = {}
    for distribution in graph.objects(dataset, DCAT.distribution):
        url = str(graph.value(distribution, DCAT.downloadURL))
        downloads[url] = int(graph.value(distribution, DCAT.byteSize))
        assert graph.value(distribution, DCT.modified).toPython() == AS_OF
    assert downloads == {base + d.path: len(files[d.path]) for d in DOWNLOADS}
    assert graph.value(dataset, DCAT.landingPage) == rdflib.URIRef(base + "about/")


def test_the_dcat_ap_check_fails_a_catalogue_without_a_title():
    catalog = load_catalog(golden.FIXTURE_RECORDS, RULES, SECTORS, AS_OF)
    directory = build_directory(catalog.clusters, RULES, AS_OF)
    files = {f.path: f.data for f in open_data(directory, SiteSettings())}
    document = json.loads(files["catalog.jsonld"])
    del document["dcat:dataset"]["dct:title"]
    document["dcat:dataset"]["dcat:distribution"][0]["dct:format"]["@id"] += "X"
    graph = _catalogue_graph(json.dumps(document), "https://example.org/catalog.jsonld")
    violations = {
        (path, kind) for severity, path, kind in _shacl_results(graph) if severity == "Violation"
    }
    assert ("title", "Dataset") in violations
    assert ("format", "Distribution") in violations


# The home page's schema.org JSON-LD, on the built sample site


def _local_contexts(url: str, options: dict | None = None) -> dict:
    # No network in tests: schema.org's own context, kept in tests/fixtures/schema.org/.
    if url.rstrip("/") in ("https://schema.org", "http://schema.org"):
        document = json.loads(SCHEMA_ORG_CONTEXT.read_text("utf-8"))
        return {"contextUrl": None, "documentUrl": url, "document": document}
    raise jsonld.JsonLdError(f"no network in tests: {url}", "loading document failed")


def _home_json_ld(page: Path) -> dict:
    [block] = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', page.read_text("utf-8"), re.S
    )
    return json.loads(block)


S = "http://schema.org/"  # schema.org's context maps its terms here


def _value(node: dict, term: str) -> object:
    [item] = node[S + term]
    return item.get("@value", item.get("@id"))


def test_the_home_page_describes_the_site_and_the_dataset_as_json_ld(sample_site):
    document = _home_json_ld(sample_site / "index.html")
    base = "https://example.org/directory/"
    options = {"base": base, "documentLoader": _local_contexts}
    nodes = {node["@type"][0].removeprefix(S): node for node in jsonld.expand(document, options)}
    assert set(nodes) == {"WebSite", "Dataset"}
    site, dataset = nodes["WebSite"], nodes["Dataset"]
    assert _value(site, "url") == base
    # The numbers and dates are the build's.
    catalog = load_catalog(ROOT / "clusters", RULES, SECTORS, AS_OF)
    directory = build_directory(catalog.clusters, RULES, AS_OF)
    assert (directory.headline.clusters, directory.headline.countries) == (188, 28)
    assert "On 2026-11-25, 188 clusters from 28 countries hold a valid label." in str(
        _value(dataset, "description")
    )
    assert _value(dataset, "dateModified") == "2026-11-25"
    first = min(
        e.award.assessed
        for x in (*directory.labelled, *directory.renewals)
        for e in x.status.history
    )
    assert _value(dataset, "temporalCoverage") == f"{first.first_day().isoformat()}/2026-11-25"
    assert _value(dataset, "license") == "https://creativecommons.org/licenses/by/4.0/"
    assert _value(dataset, "url") == base + "about/"
    # One DataDownload per file, each at an address that resolves to a file of the site.
    downloads = {
        _value(d, "contentUrl"): _value(d, "encodingFormat") for d in dataset[S + "distribution"]
    }
    assert downloads == {base + d.path: d.media_type for d in DOWNLOADS}
    for url in downloads:
        assert (sample_site / url.removeprefix(base)).is_file()
    [place] = dataset[S + "spatialCoverage"]
    assert _value(place, "name") == "Europe"


def test_the_json_ld_block_cannot_be_closed_by_what_the_settings_say():
    catalog = load_catalog(golden.FIXTURE_RECORDS, RULES, SECTORS, AS_OF)
    directory = build_directory(catalog.clusters, RULES, AS_OF)
    name = "Directory </script><script>alert(1)</script> <!-- x"
    files, _ = render_site(
        ROOT / "site_templates/pages", directory, SiteSettings(site_name=name), SECTORS
    )
    home = _page(files, "index.md")
    [block] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', home, re.S)
    assert "<" not in block
    assert json.loads(block)["@graph"][0]["name"] == name


def test_the_downloads_are_the_same_for_the_same_records_and_date():
    assert _files() == _files()
    later = build_directory(HISTORIES, RULES, AS_OF + dt.timedelta(days=1))
    assert {f.path for f in open_data(later)} == set(_files())


def test_a_register_with_no_label_still_gives_a_valid_package(tmp_path):
    files = _files((_cluster("long-expired", "bronze 2015-01"),))
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    assert _rows(files["clusters.csv"]) == _rows(files["awards.csv"]) == []
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["type", "fieldName", "note"])
    assert "dct:temporal" not in json.loads(files["catalog.jsonld"])["dcat:dataset"]


def test_the_json_downloads_carry_the_format_version():
    files = _files()
    for name in ("clusters.json", "datapackage.json"):
        assert json.loads(files[name])["format_version"] == FORMAT_VERSION, name
    assert re.fullmatch(r"[1-9][0-9]*\.[0-9]+", FORMAT_VERSION)


# Each country's downloads


def test_each_country_page_has_its_part_of_the_register_with_the_same_columns():
    catalog = load_catalog(ROOT / "clusters", RULES, SECTORS, AS_OF)
    directory = build_directory(catalog.clusters, RULES, AS_OF)
    register = {f.path: f.data for f in open_data(directory)}
    own = {f.path: f.data for f in country_downloads(directory)}
    assert set(own) == {
        f"countries/{c.slug}/{name}"
        for c in directory.countries
        for name in ("clusters.csv", "clusters.json")
    }
    everything = json.loads(register["clusters.json"])
    lines = register["clusters.csv"].decode().split("\r\n")
    for country in directory.countries:
        csv_text = own[f"countries/{country.slug}/clusters.csv"].decode()
        document = json.loads(own[f"countries/{country.slug}/clusters.json"])
        # The register's rows whose country it is, in its order, written alike (formula
        # guard, quoting) under the same header; the JSON has the same keys and columns.
        ids = [r["id"] for r in everything["clusters"] if r["country"] == country.code]
        mine = csv_text.split("\r\n")
        assert mine[0] == lines[0]
        assert mine[1:-1] == [
            lines[1 + i]
            for i, r in enumerate(everything["clusters"])
            if r["country"] == country.code
        ]
        assert [r["id"] for r in document["clusters"]] == ids
        assert document["clusters"] == [
            r for r in everything["clusters"] if r["country"] == country.code
        ]
        assert set(document) == set(everything) and document["columns"] == everything["columns"]
        assert document["headline"] == {"clusters": len(country.labelled), "countries": 1}
        states = {r["state"] for r in document["clusters"]}
        assert states <= {"valid", "renewal"}
        assert len(ids) == len(country.labelled) + len(country.in_renewal)
