"""Who runs the register and how to reach them: the settings (operator, contacts, the
correction form, the accessibility statement's facts), the footer's values, the links that open
the correction and misused-label forms with what the page knows filled in (a hostile name
included), the issue forms they open, what a cluster whose label ended is told, and the
accessibility statement and privacy notice."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from generator.build.project import Project
from generator.build.settings import read_settings, tree_config
from generator.core.errors import ConfigError
from generator.labels.rules import load_rules, load_sectors
from generator.labels.status import status
from generator.records.catalog import load_catalog
from generator.site.corrections import (
    CORRECTION,
    MISUSED_LABEL,
    NAME_IN_LINK,
    correction_link,
    is_github_form,
    misused_label_link,
)
from generator.site.directory import build_directory
from generator.site.footer import site_footer, theme_values
from generator.site.pages import render_site
from generator.site.renewing import renewal_terms
from generator.site.siteconfig import AccessibilityStatement, MapSettings, Operator, SiteSettings
from tests.conftest import FIXTURES, ROOT, award, day
from tests.golden import AS_OF, FIXTURE_RECORDS

RULES = load_rules()
SECTORS = load_sectors()
GITHUB = "https://github.com/example-org/cluster-register/issues/new"
HOSTILE = FIXTURES / "hostile" / "pages"
ISSUE_FORMS = ROOT / ".github" / "ISSUE_TEMPLATE"


def _project(tmp_path: Path, **extra: object) -> Project:
    """The project's mkdocs.yml with these `extra` settings changed (None removes one)."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))
    for key, value in extra.items():
        node = config["extra"]
        *parents, last = key.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        if value is None:
            node.pop(last, None)
        else:
            node[last] = value
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), "utf-8")
    return Project(tmp_path)


# Settings


def test_the_sample_settings_name_an_invented_operator_and_its_addresses():
    site = read_settings(Project(ROOT)).site
    assert site.operator == Operator(
        name="ECEI Cluster Directory secretariat (sample)",
        contact="directory@example.org",
        corrections="",
        privacy_contact="privacy@example.org",
        labelling_body="https://labelling.example.org/",
    )
    assert site.accessibility.prepared == dt.date(2026, 11, 25)
    assert site.accessibility.enforcement_url == "https://www.ombudsman.europa.eu/"


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        (
            "contact",
            "secretariat at example.org",
            "'extra.contact' must be an e-mail address such as directory@example.org, or an"
            " https address, not 'secretariat at example.org'",
        ),
        (
            "privacy_contact",
            "javascript:alert(1)",
            "'extra.privacy_contact' must be an e-mail address such as directory@example.org, or"
            " an https address, not 'javascript:alert(1)'",
        ),
        (
            "corrections",
            "http://forms.example.org/",
            "'extra.corrections' must be the https address of a form (for a GitHub issue form,"
            " https://github.com/OWNER/REPO/issues/new) or an e-mail address, not"
            " 'http://forms.example.org/'",
        ),
        (
            "labelling_body",
            "www.example.org",
            "'extra.labelling_body' must be an https address, not 'www.example.org'",
        ),
        (
            "accessibility.enforcement_url",
            'https://example.org/"><script>',
            "'extra.accessibility.enforcement_url' must be an https address, not"
            " 'https://example.org/\"><script>'",
        ),
        (
            "accessibility.prepared",
            dt.datetime(2026, 11, 25, 10, 0),  # noqa: DTZ001 (a value as YAML reads one)
            "'extra.accessibility.prepared' must be a day such as 2026-11-25, not"
            " '2026-11-25 10:00:00'",
        ),
        (
            "accessibility.reviewed",
            "next spring",
            "'extra.accessibility.reviewed' must be a day such as 2026-11-25, not 'next spring'",
        ),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 30 else None,
)
def test_a_bad_address_or_day_in_the_settings_is_refused_in_one_line(tmp_path, key, value, message):
    project = _project(tmp_path, **{key: value})
    with pytest.raises(ConfigError) as refused:
        read_settings(project)
    assert str(refused.value) == f"{tmp_path / 'mkdocs.yml'}: {message}"


def test_a_day_written_as_text_and_a_mailto_correction_address_are_read(tmp_path):
    project = _project(
        tmp_path,
        **{"accessibility.reviewed": "2027-05-01", "corrections": "mailto:fix@example.org"},
    )
    site = read_settings(project).site
    assert site.accessibility.reviewed == dt.date(2027, 5, 1)
    assert site.operator.corrections == "mailto:fix@example.org"


def test_without_an_operator_or_contact_the_site_leaves_them_out(tmp_path):
    project = _project(tmp_path, operator=None, contact=None, privacy_contact=None)
    site = read_settings(project).site
    footer = site_footer(site, AS_OF)
    assert footer.run_by == ""
    assert [link.text for link in footer.links] == [
        "About the data",
        "Accessibility",
        "Privacy",
        "Feed",
        "Open data",
    ]
    assert correction_link(site.operator, "x", "X", "/clusters/x/") == ""


def test_the_trees_mkdocs_yml_carries_the_footer_and_the_settings_stay_as_read(tmp_path):
    settings = read_settings(Project(ROOT))
    before = yaml.safe_dump(settings.config)
    tree = yaml.safe_load(
        tree_config(settings, RULES, theme_values(site_footer(settings.site, AS_OF)))
    )
    footer = tree["extra"]["cd_footer"]
    assert footer["run_by"] == "Run by ECEI Cluster Directory secretariat (sample)."
    assert (footer["records_before"], footer["as_of_text"], footer["records_after"]) == (
        "Records as of ",
        "25 November 2026",
        ".",
    )
    assert footer["as_of"] == "2026-11-25"
    assert [(link["text"], link["href"], link["inside"]) for link in footer["links"]] == [
        ("Contact", "mailto:directory@example.org", False),
        ("About the data", "about/", True),
        ("Accessibility", "accessibility/", True),
        ("Privacy", "privacy/", True),
        ("Feed", "feed.xml", True),
        ("Open data", "about/#downloads", True),
    ]
    assert tree["extra"]["sample_data"] is True  # the rest of extra is kept
    assert yaml.safe_dump(settings.config) == before
    # Zensical reads the settings as JSON values and stops at a YAML date: the tree has text.
    assert tree["extra"]["accessibility"]["prepared"] == "2026-11-25"


# The correction links


def _query(link: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(link).query).items()}


HOSTILE_NAME = "A & B <script>alert(1)</script> \"#?x=1' {{ 7*7 }} \u202e"


def test_a_github_issue_form_opens_with_the_clusters_id_name_and_address():
    address = "https://directory.example.org/clusters/a-b/"
    link = correction_link(Operator(corrections=GITHUB), "a-b", HOSTILE_NAME, address)
    assert link.startswith(GITHUB + "?template=correction.yml&")
    assert _query(link) == {
        "template": "correction.yml",
        "title": f"Correction: {HOSTILE_NAME} (a-b)",
        "cluster_id": "a-b",
        "cluster_name": HOSTILE_NAME,
        "page": address,
    }
    # Each value is encoded whole: nothing of the name ends the value, the query or the link.
    query = urlsplit(link).query
    assert not re.search(r"[^A-Za-z0-9%&=._~-]", query), query


def test_a_mailto_address_gets_a_subject_and_a_body_with_every_field():
    link = correction_link(
        Operator(contact="directory@example.org"), "a-b", HOSTILE_NAME, "/clusters/a-b/"
    )
    assert link.startswith("mailto:directory@example.org?subject=")
    fields = _query(link)
    assert fields["subject"] == f"Correction: {HOSTILE_NAME} (a-b)"
    assert fields["body"].split("\r\n") == [
        "Cluster id: a-b",
        f"Cluster name: {HOSTILE_NAME}",
        "Page address: /clusters/a-b/",
        "What is wrong: ",
        "The right value: ",
        "A source for it: ",
        "Your role: ",
        "",
    ]


def test_another_form_gets_the_same_fields_as_parameters_after_its_own():
    form = "https://forms.example.org/register?form=7#top"
    link = correction_link(Operator(corrections=form), "a-b", "A & B", "/clusters/a-b/")
    assert link.startswith("https://forms.example.org/register?form=7&title=")
    assert link.endswith("#top")
    assert _query(link) == {
        "form": "7",
        "title": "Correction: A & B (a-b)",
        "cluster_id": "a-b",
        "cluster_name": "A & B",
        "page": "/clusters/a-b/",
    }


def test_the_corrections_setting_wins_over_the_contact():
    operator = Operator(contact="directory@example.org", corrections=GITHUB)
    assert correction_link(operator, "a", "A", "/clusters/a/").startswith(GITHUB)
    assert misused_label_link(operator) == (
        f"{GITHUB}?template=misused-label.yml&title=Misused%20label"
    )


def test_a_long_name_is_cut_in_the_link_and_the_id_still_names_the_cluster():
    link = correction_link(Operator(corrections=GITHUB), "long", "x" * 10_000, "/clusters/long/")
    fields = _query(link)
    assert fields["cluster_name"] == "x" * (NAME_IN_LINK - 1) + "…"
    assert fields["cluster_id"] == "long"
    assert len(link) < 2000


@pytest.mark.parametrize(
    ("address", "github"),
    [
        (GITHUB, True),
        (GITHUB + "/", True),
        ("https://github.com/example-org/cluster-register/issues", False),
        ("https://github.example.org/o/r/issues/new", False),
        ("https://gitlab.com/o/r/-/issues/new", False),
    ],
)
def test_only_a_github_new_issue_page_is_taken_for_an_issue_form(address, github):
    assert is_github_form(address) is github


@pytest.mark.parametrize("form", [CORRECTION, MISUSED_LABEL], ids=lambda f: f.template)
def test_each_issue_form_is_valid_and_holds_every_field_its_link_names(form):
    document = yaml.safe_load((ISSUE_FORMS / form.template).read_text("utf-8"))
    assert {"name", "description", "body"} <= set(document)
    assert document["title"].startswith(form.title)
    ids = [item["id"] for item in document["body"] if "id" in item]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[A-Za-z0-9_-]+", i) for i in ids)
    for item in document["body"]:
        assert item["type"] in {"markdown", "input", "textarea", "dropdown", "checkboxes"}
        assert item["attributes"].get("label") or item["type"] == "markdown"
        if item["type"] == "dropdown":
            assert item["attributes"]["options"]
    assert [f.id for f in (*form.filled, *form.asked)] == [
        i for i in ids if i in {f.id for f in (*form.filled, *form.asked)}
    ]
    assert {f.id for f in (*form.filled, *form.asked)} <= set(ids)


# The cluster pages, rendered from the hostile records and from the fixture records


def _pages(folder: Path, settings: SiteSettings, map_settings: MapSettings | None = None):
    catalog = load_catalog(folder, RULES, SECTORS, AS_OF)
    directory = build_directory(catalog.clusters, RULES, AS_OF)
    files, pages = render_site(
        ROOT / "site_templates" / "pages", directory, settings, SECTORS, None, map_settings
    )
    return {f.path: f.data.decode("utf-8") for f in files}, {p.id: p for p in pages}, catalog


def _correction(body: str) -> str:
    found = re.search(
        r'<p class="cd-correction"[^>]*>.*?<a href="([^"]*)">Suggest a correction', body
    )
    assert found, "no correction link"
    return html.unescape(found[1])


@pytest.mark.parametrize("target", [GITHUB, "mailto:fix@example.org"])
def test_each_hostile_cluster_page_links_its_correction_with_its_id_name_and_address(target):
    settings = SiteSettings(
        site_url="https://directory.example.org/", operator=Operator(corrections=target)
    )
    _, pages, catalog = _pages(HOSTILE, settings)
    for cluster in catalog.clusters:
        link = _correction(pages[cluster.id].body)
        fields = _query(link)
        name = cluster.name if len(cluster.name) <= NAME_IN_LINK else None
        address = f"https://directory.example.org/clusters/{cluster.id}/"
        if target == GITHUB:
            assert fields["cluster_id"] == cluster.id
            assert fields["page"] == address
            assert name is None or fields["cluster_name"] == name
        else:
            body = fields["body"]
            assert f"Cluster id: {cluster.id}\r\n" in body
            assert f"Page address: {address}\r\n" in body
            assert name is None or f"Cluster name: {name}\r\n" in body
        assert not re.search(r"[^A-Za-z0-9%&=._~-]", urlsplit(link).query), cluster.id


def test_a_label_in_its_renewal_window_says_until_when_and_how_it_is_renewed():
    terms = renewal_terms(status([award("silver 2023-06")], RULES, day("2025-08-15")), RULES)
    assert terms is not None and terms.open
    assert (terms.level, terms.ended, terms.renewable_until, terms.extended_until) == (
        "SILVER",
        day("2025-05-31"),
        day("2026-05-31"),
        day("2028-05-31"),
    )
    assert (terms.extension_months, terms.new_validity_months) == (36, 24)


def test_a_label_past_its_window_says_a_new_assessment_starts_a_new_label():
    terms = renewal_terms(status([award("bronze 2020-03")], RULES, day("2026-11-25")), RULES)
    assert terms is not None and not terms.open
    assert (terms.ended, terms.renewable_until, terms.new_validity_months) == (
        day("2022-02-28"),
        day("2023-02-28"),
        24,
    )


@pytest.mark.parametrize("awards", [["gold 2026-01"], []], ids=["valid", "none yet"])
def test_a_valid_label_or_none_yet_has_no_renewal_terms(awards):
    assert renewal_terms(status([award(a) for a in awards], RULES, AS_OF), RULES) is None


def test_the_cluster_pages_tell_renewal_and_expiry_and_whom_to_ask():
    settings = read_settings(Project(ROOT)).site
    _, pages, _ = _pages(FIXTURE_RECORDS, settings)
    renewal = pages["silver-in-renewal"].body
    assert '<h2 id="renewal">Renewing the label</h2>' in renewal
    assert "A renewal assessed by " in renewal and "with no gap." in renewal
    assert '<a href="https://labelling.example.org/">the labelling body</a>' in renewal
    expired = pages["expired-in-liechtenstein"].body
    assert '<h2 id="renewal">After the renewal window</h2>' in expired
    assert "The renewal window closed on 31 March 2022: a new assessment starts" in expired
    assert 'id="renewal"' not in pages["gold-cluster-rhein"].body


# The accessibility statement and the privacy notice

MODEL_SECTIONS = [
    "# Accessibility statement",
    "## Compliance status",
    "## Non-accessible content",
    "### Non-compliance with the accessibility requirements",
    "### Disproportionate burden",
    "### Content that is not within the scope of the applicable legislation",
    "## Preparation of this accessibility statement",
    "## Feedback and contact information",
    "## Enforcement procedure",
]


def test_the_accessibility_statement_has_every_section_of_the_model_in_its_order_and_its_date():
    files, _, _ = _pages(FIXTURE_RECORDS, read_settings(Project(ROOT)).site)
    page = files["accessibility.md"]
    headings = [line for line in page.splitlines() if line.startswith("#")]
    assert headings == MODEL_SECTIONS
    assert "**partially compliant** with the harmonised standard EN 301 549" in page
    assert "WCAG) 2.1 at level AA" in page
    assert 'prepared on <time datetime="2026-11-25">25 November 2026</time>' in page
    for check in ("axe-core", "Nu HTML Checker", "keyboard tests"):
        assert check in page
    assert "**The alternative:**" in page and "(countries/index.md)" in page
    assert '<a href="mailto:directory@example.org">' in page
    assert "European Ombudsman" in page and 'href="https://www.ombudsman.europa.eu/"' in page


def test_the_statement_gives_its_review_day_and_says_when_it_has_no_date():
    reviewed = SiteSettings(
        accessibility=AccessibilityStatement(prepared=day("2026-11-25"), reviewed=day("2027-05-01"))
    )
    page = _pages(FIXTURE_RECORDS, reviewed)[0]["accessibility.md"]
    assert 'last reviewed on <time datetime="2027-05-01">1 May 2027</time>' in page
    undated = _pages(FIXTURE_RECORDS, SiteSettings())[0]["accessibility.md"]
    assert "This statement has not been dated yet." in undated
    assert "enforces the accessibility\nrequirements in the Member State" in undated


def test_the_privacy_notice_names_the_tile_host_only_when_tiles_are_set():
    settings = read_settings(Project(ROOT)).site
    plain = _pages(FIXTURE_RECORDS, settings)[0]["privacy.md"]
    assert "it loads no map images\nfrom another host" in plain
    assert "sets no cookies" in plain and "privacy@example.org" in plain
    tiles = MapSettings("https://tile.example.org/{z}/{x}/{y}.png", "Tiles")
    tiled = _pages(FIXTURE_RECORDS, settings, tiles)[0]["privacy.md"]
    assert "background images (tiles) from **tile\\.example\\.org**" in tiled
    assert "apart from the map's background images" in tiled


def test_the_about_page_links_the_misused_label_form():
    settings = SiteSettings(operator=Operator(corrections=GITHUB))
    page = _pages(FIXTURE_RECORDS, settings)[0]["about.md"]
    assert f'<a href="{GITHUB}?template=misused-label.yml&amp;title=Misused%20label">' in page
    assert "Report a misused label</a>." in page
