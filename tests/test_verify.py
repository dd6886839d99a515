"""Verifying a label: each cluster's status file, badge, structured data, timeline and the
sentence its page states, for every state a record can be in (tests/fixtures/verify/)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from pyld import jsonld

from generator import FORMAT_VERSION
from generator.core.output import json_for_script
from generator.labels.rules import load_rules, load_sectors
from generator.labels.status import State, periods, status
from generator.records.catalog import load_catalog
from generator.site.directory import build_directory
from generator.site.timeline import timeline
from generator.site.verify import badge, text_width
from tests.conftest import FIXTURES, ROOT, award, day

RECORDS = FIXTURES / "verify"
AS_OF = "2026-11-27"
SITE_URL = "https://example.org/ecei/"
SVG = "{http://www.w3.org/2000/svg}"


def _build(out: Path, *extra: str) -> Path:
    command = [sys.executable, "-m", "generator", "build", "--data", str(RECORDS)]
    command += ["--out", str(out), "--as-of", AS_OF, *extra]
    subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
    return out


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The verify fixtures built with the site's address known."""
    return _build(tmp_path_factory.mktemp("verify") / "site", "--site-url", SITE_URL)


@pytest.fixture(scope="module")
def local_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The verify fixtures built without the site's address."""
    return _build(tmp_path_factory.mktemp("verify-local") / "site")


@pytest.fixture(scope="module")
def directory():
    rules = load_rules()
    catalog = load_catalog(RECORDS, rules, load_sectors(), day(AS_OF), False)
    return build_directory(catalog.clusters, rules, day(AS_OF))


def _entry(directory, cluster_id: str):
    return next(e for e in directory.entries if e.cluster.id == cluster_id)


# --- the badge ------------------------------------------------------------------------------

# fmt: off
BADGES = [
    # (awards, as of, what the badge says, its tone, what its title says in full words)
    (["gold 2025-04"], "2026-11-27", "GOLD · valid until 03/2027", "gold",
     "GOLD, valid until 31 March 2027"),
    (["silver 2024-10"], "2026-11-27", "ended 09/2026 · renewable", "grey",
     "SILVER ended on 30 September 2026; it can be renewed until 30 September 2027"),
    (["bronze 2022-01"], "2026-11-27", "expired", "grey",
     "expired; BRONZE ended on 31 December 2023 and was not renewed"),
    (["bronze 2027-01"], "2026-11-27", "none", "grey", "none awarded yet"),
    (["gold 2025-01 until 2028-12"], "2026-11-27", "GOLD · valid until 12/2028", "gold",
     "GOLD, valid until 31 December 2028"),
    (["bronze 2024-03"], "2026-02-28", "BRONZE · valid until 02/2026", "bronze",
     "BRONZE, valid until 28 February 2026"),
    # the first day after it ended, and the last of the renewal window
    (["bronze 2024-03"], "2026-03-01", "ended 02/2026 · renewable", "grey",
     "BRONZE ended on 28 February 2026; it can be renewed until 28 February 2027"),
    (["bronze 2024-03"], "2027-02-28", "ended 02/2026 · renewable", "grey",
     "BRONZE ended on 28 February 2026; it can be renewed until 28 February 2027"),
    (["bronze 2024-03"], "2027-03-01", "expired", "grey",
     "expired; BRONZE ended on 28 February 2026 and was not renewed"),
    (["bronze 2024-03", "silver 2025-09"], "2026-11-27", "SILVER · valid until 08/2027", "silver",
     "SILVER, valid until 31 August 2027"),
]
# fmt: on


@pytest.mark.parametrize(("awards", "as_of", "message", "tone", "title"), BADGES)
def test_badge_names_the_label_and_its_end_while_valid_and_never_reads_as_good_news_after(
    rules, awards, as_of, message, tone, title
):
    b = badge(status([award(a) for a in awards], rules, day(as_of)), rules)
    assert (b.message, b.tone) == (message, tone)
    assert b.text == f"ECEI label: {message}"
    assert b.title == f"ECEI label: {title}"
    assert "renewal" not in b.message  # on a cluster's own site it would read "renewed"


def test_badge_widths_grow_with_the_text_and_cover_unknown_characters():
    assert text_width("GOLD") < text_width("GOLDEN")
    assert text_width("Ω") >= text_width("O")  # an unknown character is never narrower


BADGE_TITLES = {
    "valid-gold": "ECEI label: GOLD, valid until 31 March 2027",
    "in-renewal": "ECEI label: SILVER ended on 30 September 2026; it can be renewed until"
    " 30 September 2027",
    "expired": "ECEI label: expired; BRONZE ended on 31 December 2023 and was not renewed",
    "not-yet-labelled": "ECEI label: none awarded yet",
    "override": "ECEI label: GOLD, valid until 31 December 2028",
}
STATES = {
    "valid-gold": ("valid", "gold"),
    "in-renewal": ("renewal", "grey"),
    "expired": ("expired", "grey"),
    "not-yet-labelled": ("none", "grey"),
    "override": ("valid", "gold"),
}


@pytest.mark.parametrize("cluster_id", sorted(STATES))
def test_badge_file_is_small_accessible_self_contained_svg(site, cluster_id):
    data = (site / "clusters" / cluster_id / "badge.svg").read_bytes()
    assert len(data) < 2048
    root = ET.fromstring(data)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    assert title is not None and title.text == root.get("aria-label")
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts[0] == "ECEI label"
    assert title.text == BADGE_TITLES[cluster_id]  # what the badge shows, in full words
    state, tone = STATES[cluster_id]
    if state == "renewal":
        assert texts[1] == "ended 09/2026 · renewable"
    elif tone == "grey":
        assert texts[1] == state
    else:
        assert texts[1].startswith("GOLD · valid until ")
    text = data.decode()
    # Nothing runs and nothing is fetched: no script, no link, no outside reference.
    assert not re.search(r"<script|href|xlink|@import|url\((?!#)|on\w+=", text, re.I)
    assert re.findall(r"https?://[^\"' ]+", text) == ["http://www.w3.org/2000/svg"]


# --- the status file ------------------------------------------------------------------------


def test_status_file_has_the_keys_and_values_of_clusterdir_status_json(site):
    for record in sorted(RECORDS.glob("*.yaml")):
        command = [sys.executable, "-m", "generator", "status", str(record), "--as-of", AS_OF]
        cli = json.loads(
            subprocess.run(
                [*command, "--json"], check=True, capture_output=True, text=True, cwd=ROOT
            ).stdout
        )
        page = json.loads((site / "clusters" / record.stem / "status.json").read_text())
        assert page == {
            "format_version": FORMAT_VERSION,
            **cli,
            "country": page["country"],
            "url": page["url"],
            "awarded_by": page["awarded_by"],
        }
        assert page["url"] == f"{SITE_URL}clusters/{record.stem}/"
        assert {"label", "state", "valid_until", "valid_since", "renewable_until", "as_of"} <= set(
            page
        )


def test_status_file_addresses_its_page_relative_to_itself_without_a_site_url(local_site):
    page = json.loads((local_site / "clusters/valid-gold/status.json").read_text())
    assert page["url"] == "./"


# --- the page: the sentence, the badge and the snippets -------------------------------------


def _text(html: str) -> str:
    html = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", html)
    html = re.sub(r"</?(time|span|a|strong|code)\b[^>]*>", "", html)  # inline: no space
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


SENTENCES = {
    "valid-gold": "As of 27 November 2026, Valid Gold Cluster holds the ECEI GOLD label, "
    "valid until 31 March 2027.",
    "override": "As of 27 November 2026, Override Cluster holds the ECEI GOLD label, "
    "valid until 31 December 2028.",
    "in-renewal": "As of 27 November 2026, Cluster In Renewal holds no valid ECEI label: its "
    "SILVER label ended on 30 September 2026 and can be renewed until 30 September 2027.",
    "expired": "As of 27 November 2026, Expired Cluster holds no valid ECEI label: its BRONZE "
    "label ended on 31 December 2023 and was not renewed by 31 December 2024.",
    "not-yet-labelled": "As of 27 November 2026, Not Yet Labelled Cluster holds no ECEI label yet.",
}


@pytest.mark.parametrize("cluster_id", sorted(SENTENCES))
def test_cluster_page_states_plainly_what_it_holds_as_of_the_build_date(site, cluster_id):
    text = _text((site / "clusters" / cluster_id / "index.html").read_text())
    assert SENTENCES[cluster_id] in text


def _snippets(html: str) -> list[str]:
    import html as html_module

    return [
        html_module.unescape(s)
        for s in re.findall(r'<pre class="cd-snippet"[^>]*><code>(.*?)</code></pre>', html, re.S)
    ]


def test_cluster_page_shows_its_badge_and_snippets_with_absolute_addresses(site):
    page = (site / "clusters/valid-gold/index.html").read_text()
    assert '<img class="cd-verify-badge" src="badge.svg"' in page
    html_snippet, md_snippet = _snippets(page)
    address = f"{SITE_URL}clusters/valid-gold/"
    assert html_snippet == (
        f'<a href="{address}"><img src="{address}badge.svg" '
        'alt="ECEI label status of Valid Gold Cluster" height="20"></a>'
    )
    assert (
        md_snippet == f"[![ECEI label status of Valid Gold Cluster]({address}badge.svg)]({address})"
    )
    assert "does not know the site's address" not in page


def test_an_expired_cluster_s_page_offers_no_badge_snippets(site):
    page = (site / "clusters/expired/index.html").read_text()
    assert _snippets(page) == []
    assert "copy one of the snippets" not in page
    assert (
        "The label has expired, so this page offers no badge to show on a website. A badge"
        " shown earlier now reads “expired”, in grey." in _text(page)
    )
    assert 'alt="ECEI label: expired; BRONZE ended on 31 December 2023' in page


def test_a_cluster_in_renewal_offers_the_snippets_and_says_what_the_badge_will_show(site):
    page = (site / "clusters/in-renewal/index.html").read_text()
    assert len(_snippets(page)) == 2
    assert (
        "The label has ended, so the badge is grey and reads “ended 09/2026 · renewable” until"
        " the label is renewed; if it is not renewed by 30 September 2027, it reads “expired”."
        in _text(page)
    )


def test_a_valid_label_s_page_offers_the_snippets_without_a_note_on_an_ended_label(site):
    page = (site / "clusters/valid-gold/index.html").read_text()
    assert len(_snippets(page)) == 2
    assert "The label has ended" not in page and "The label has expired" not in page


def test_snippets_start_at_the_site_root_without_a_site_url_and_visitors_get_no_note(local_site):
    page = (local_site / "clusters/valid-gold/index.html").read_text()
    html_snippet, md_snippet = _snippets(page)
    assert 'href="/clusters/valid-gold/"' in html_snippet
    assert md_snippet.endswith("(/clusters/valid-gold/)")
    # What the build lacks is the builder's to know: build.py says it, the page does not.
    assert "does not know the site's address" not in page and "site_url" not in page


def test_snippets_escape_a_hostile_name_for_html_and_markdown(site, directory):
    from html.parser import HTMLParser

    name = _entry(directory, "hostile-name").cluster.name
    html_snippet, md_snippet = _snippets((site / "clusters/hostile-name/index.html").read_text())
    tags: list[tuple[str, dict]] = []

    class Tags(HTMLParser):
        def handle_starttag(self, tag, attrs):
            tags.append((tag, dict(attrs)))

    Tags().feed(html_snippet)
    # Read back by an HTML parser, the snippet is one link around one image, named exactly.
    assert [t for t, _ in tags] == ["a", "img"]
    assert tags[1][1]["alt"] == f"ECEI label status of {name}"
    assert "ECEI label status of &lt;/script&gt;" in md_snippet
    assert "\\[x\\](y)" in md_snippet  # the brackets cannot close the alt text


@pytest.mark.parametrize(
    "name",
    [
        "**Bold** Cluster",
        "_under_ and `code` and ~~struck~~",
        "Back\\slash [x](y) ![img](z)",
        "Cluster e.V. & Partners <GmbH>",
    ],
    ids=["emphasis", "underscore-code-strike", "backslash-link-image", "dots-ampersand-angles"],
)
def test_markdown_snippet_alt_text_reads_back_as_the_name_exactly(name):
    from html import unescape

    from markdown_it import MarkdownIt

    from generator.site.pages import md_alt

    # CommonMark with GitHub's strikethrough, as READMEs and most sites read Markdown.
    parser = MarkdownIt("commonmark").enable("strikethrough")
    html = parser.render(f"![ECEI label status of {md_alt(name)}](badge.svg)")
    assert unescape(re.search(r'alt="([^"]*)"', html)[1]) == f"ECEI label status of {name}"


# --- structured data ------------------------------------------------------------------------


def _vocab_loader(url, options=None):
    # No network in tests: schema.org's own context, kept in tests/fixtures/schema.org/.
    if url.rstrip("/") in ("https://schema.org", "http://schema.org"):
        document = json.loads((FIXTURES / "schema.org/schemaorgcontext.jsonld").read_text())
        return {"contextUrl": None, "documentUrl": url, "document": document}
    raise jsonld.JsonLdError(f"no network in tests: {url}", "loading document failed")


def _json_ld(html: str, kind: str = "Organization") -> dict:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    [found] = [data for data in map(json.loads, blocks) if data.get("@type") == kind]
    return found


S = "http://schema.org/"  # schema.org's context maps its terms here
STATUS = "https://schema.org/Certification"  # the status values, as the page writes them


def _value(node: dict, name: str):
    values = node.get(S + name, [])
    return [v.get("@value", v.get("@id")) if isinstance(v, dict) else v for v in values]


def test_the_breadcrumb_of_a_cluster_page_expands_as_json_ld(site, directory):
    entry = next(e for e in directory.entries if e.cluster.country == "DE")
    page = (site / "clusters" / entry.cluster.id / "index.html").read_text()
    [crumbs] = jsonld.expand(_json_ld(page, "BreadcrumbList"), {"documentLoader": _vocab_loader})
    steps = sorted(crumbs[S + "itemListElement"], key=lambda i: _value(i, "position")[0])
    assert [_value(step, "name")[0] for step in steps] == [
        "Home",
        "Countries",
        "Germany",
        entry.cluster.name,
    ]
    assert _value(steps[-1], "item") == [f"https://example.org/ecei/clusters/{entry.cluster.id}/"]


def test_json_ld_of_every_cluster_matches_its_status(site, directory):
    options = {"documentLoader": _vocab_loader}
    for entry in directory.entries:
        page = (site / "clusters" / entry.cluster.id / "index.html").read_text()
        [org] = jsonld.expand(_json_ld(page), options)
        c, st = entry.cluster, entry.status
        assert org["@type"] == [S + "Organization"]
        assert _value(org, "name") == [c.name]
        assert _value(org, "alternateName") == ([c.acronym] if c.acronym else [])
        assert _value(org, "url") == [c.website]
        [address] = org[S + "address"]
        assert _value(address, "addressCountry") == [c.country]
        assert _value(address, "addressLocality") == ([c.city] if c.city else [])
        certs = org.get(S + "hasCertification", [])
        spans = periods(st.history)
        assert len(certs) == len(spans)
        assert _value(org, "sameAs") == ([c.eccp] if c.eccp else [])
        got = sorted(
            (
                _value(cert, "validFrom")[0],
                _value(cert, "expires")[0],
                _value(cert, "certificationStatus")[0],
                _value(cert[S + "issuedBy"][0], "name")[0],
            )
            for cert in certs
        )
        rules = directory.rules
        want = sorted(
            (
                p.start.first_day().isoformat(),
                p.end.last_day().isoformat(),
                STATUS
                + (
                    "Active"
                    if st.state is State.VALID
                    and p.level == st.label
                    and p.start.first_day() == st.valid_since
                    else "Inactive"
                ),
                # Issued by the body of the period's latest award.
                rules.awarding_body(
                    [
                        e.award
                        for e in st.history
                        if e.award.level == p.level and e.valid_from == p.start
                    ][-1]
                ).name,
            )
            for p in spans
        )
        assert got == want, c.id
        for cert in certs:
            assert cert["@type"] == [S + "Certification"]
            assert len(cert[S + "issuedBy"]) == 1
            assert _value(cert, "auditDate")  # the assessments of the period
        active = [
            cert for cert in certs if _value(cert, "certificationStatus") == [STATUS + "Active"]
        ]
        assert len(active) == (1 if st.state is State.VALID else 0), c.id
        if active:
            assert _value(active[0], "expires") == [st.valid_until.isoformat()]


def test_json_ld_lists_every_assessment_of_a_period_as_its_audit_dates(site):
    data = _json_ld((site / "clusters/ladder/index.html").read_text())
    audits = {c["name"].split()[1]: c["auditDate"] for c in data["hasCertification"]}
    assert audits == {
        "BRONZE": ["2019-02", "2020-10"],
        "SILVER": ["2021-03", "2023-01"],
        "GOLD": ["2025-09"],
    }


def test_json_ld_cannot_be_closed_by_a_hostile_name(site):
    page = (site / "clusters/hostile-name/index.html").read_text()
    organisation, crumbs = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', page, re.S
    )
    for block in (organisation, crumbs):  # the breadcrumb names the cluster too
        assert "<" not in block and ">" not in block
    assert json.loads(organisation)["name"].startswith("</script><script>alert(1)</script> & ")
    last = json.loads(crumbs)["itemListElement"][-1]["name"]
    assert last.startswith("</script><script>alert(1)</script> & ")
    assert json_for_script({"a": "</script><!--"}) == '{"a":"\\u003c/script\\u003e\\u003c!--"}'


# --- who awarded each label -----------------------------------------------------------------

ESCA = {
    "id": "esca",
    "name": "European Secretariat for Cluster Analysis",
    "acronym": "ESCA",
    "url": "https://www.cluster-analysis.org/",
}
EUCLES = {
    "id": "eucles",
    "name": "European Cluster Labelling Excellence Structure",
    "acronym": "EUCLES",
    "url": "https://eucles.be/",
}
ECCP_PROFILE = "https://clustercollaboration.eu/cluster-organisations/esca-then-eucles-cluster"

# (awards, the body of each: by the rules file's default month, or as the record names it)
# fmt: off
BODIES = [
    (["gold 2010-05"], ["esca"]),
    (["gold 2024-06"], ["esca"]),   # the last month before EUCLES's default_from
    (["gold 2024-07"], ["eucles"]),  # its first month
    (["gold 2025-01 by esca"], ["esca"]),
    (["gold 2023-03", "gold 2024-02 by eucles"], ["esca", "eucles"]),
    (["bronze 2023-12", "bronze 2025-11"], ["esca", "eucles"]),
]
# fmt: on


def _award_by(text: str):
    from dataclasses import replace

    given, _, body = text.partition(" by ")
    return replace(award(given), awarded_by=body or None)


@pytest.mark.parametrize(("awards", "bodies"), BODIES)
def test_each_award_is_made_by_its_record_s_body_else_the_default_of_its_month(
    rules, awards, bodies
):
    assert [rules.awarding_body(_award_by(a)).id for a in awards] == bodies


# (what the rules file's awarding_bodies are changed to, the error that names it)
RULES_FILE_BODIES = [
    (
        "    default_from: 2024-07\n",
        "",
        "awarding body 'eucles': 'default_from' must give the month from which it awards by"
        " default, YYYY-MM",
    ),
    (
        "    acronym: ESCA\n",
        "    acronym: ESCA\n    default_from: 2010-01\n",
        "awarding body 'esca': the first body awards from the start: remove its 'default_from'",
    ),
    ("default_from: 2024-07", "default_from: 2024-13", "'2024-13' has no month 13"),
    ("  - id: eucles", "  - id: esca", "awarding body 'esca' is listed twice"),
    ("  - id: eucles", "  - id: EUCLES", "an id is lowercase a-z, 0-9 and single '-'"),
    (
        "    city: Brussels\n",
        "",
        "awarding body 'eucles': 'city' must be one line of printable text",
    ),
    ("country: BE", "country: Belgium", "'country' must be an ISO 3166-1 alpha-2 code"),
    ("https://eucles.be/", "http://eucles.be/", "'website' must be an https address"),
    ("eccp_required_from: 2019-11-15", "eccp_required_from: soon", "must be a date such as"),
]


@pytest.mark.parametrize(("old", "new", "message"), RULES_FILE_BODIES)
def test_a_rules_file_with_a_bad_awarding_body_is_refused_in_one_line(tmp_path, old, new, message):
    from generator.core.errors import ConfigError

    text = (ROOT / "generator" / "data" / "rules.yaml").read_text("utf-8")
    assert old in text
    (tmp_path / "rules.yaml").write_text(text.replace(old, new, 1), "utf-8")
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_rules(tmp_path / "rules.yaml")


def test_the_rules_file_gives_no_street_it_does_not_know(rules):
    assert [(b.id, b.street, b.place) for b in rules.bodies] == [
        ("esca", None, "Berlin, Germany"),
        ("eucles", None, "Brussels, Belgium"),
    ]


def test_status_file_names_the_body_of_the_latest_award_of_the_label(site):
    def awarded_by(cluster_id: str):
        return json.loads((site / "clusters" / cluster_id / "status.json").read_text())[
            "awarded_by"
        ]

    assert awarded_by("esca-then-eucles") == EUCLES  # renewed by EUCLES: its decision holds
    assert awarded_by("valid-gold") == EUCLES  # 2025-04: EUCLES by default
    assert awarded_by("expired") == ESCA  # the ended label's body
    assert awarded_by("not-yet-labelled") is None  # no award known yet


def test_cluster_page_names_the_body_of_each_award_in_its_history_and_timeline(site):
    page = (site / "clusters/esca-then-eucles/index.html").read_text()
    rows = re.findall(r'<td data-label="Awarded by">(.*?)</td>', page)
    assert rows == ["ESCA", "EUCLES"]
    titles = re.findall(r'<circle class="cd-tl-audit"[^>]*><title>(.*?)</title>', page)
    assert titles == [
        "GOLD assessed March 2023, awarded by ESCA",
        "GOLD assessed January 2025, awarded by EUCLES",
    ]
    note = _text(re.search(r'<p class="cd-note cd-bodies".*?</p>', page, re.S).group(0))
    assert note == (
        "ESCA: European Secretariat for Cluster Analysis, Berlin, Germany. "
        "EUCLES: European Cluster Labelling Excellence Structure, Brussels, Belgium."
    )
    assert f'<a href="{ESCA["url"]}" rel="noopener">' in page


def test_awards_csv_names_the_body_of_each_award_in_its_last_column(site):
    import csv

    with (site / "awards.csv").open(newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert list(rows[0])[-1] == "awarded_by"
    mine = [
        (r["assessed"], r["kind"], r["awarded_by"])
        for r in rows
        if r["cluster_id"] == "esca-then-eucles"
    ]
    assert mine == [("2023-03", "first", "esca"), ("2025-01", "renewal", "eucles")]
    package = json.loads((site / "datapackage.json").read_text())
    [awards] = [r for r in package["resources"] if r["name"] == "awards"]
    column = awards["schema"]["fields"][-1]
    assert (column["name"], column["constraints"]["enum"]) == ("awarded_by", ["esca", "eucles"])


def test_json_ld_names_the_issuer_of_each_certification_and_the_eccp_profile(site):
    options = {"documentLoader": _vocab_loader}
    page = (site / "clusters/esca-then-eucles/index.html").read_text()
    [org] = jsonld.expand(_json_ld(page), options)
    assert _value(org, "sameAs") == [ECCP_PROFILE]
    [cert] = org[S + "hasCertification"]
    assert _value(cert, "auditDate") == ["2023-03", "2025-01"]
    [issuer] = cert[S + "issuedBy"]
    assert issuer["@type"] == [S + "Organization"]
    assert _value(issuer, "name") == [EUCLES["name"]]
    assert _value(issuer, "alternateName") == ["EUCLES"]
    assert _value(issuer, "url") == [EUCLES["url"]]
    [address] = issuer[S + "address"]
    assert (_value(address, "addressLocality"), _value(address, "addressCountry")) == (
        ["Brussels"],
        ["BE"],
    )
    assert _value(address, "streetAddress") == []  # not known: not guessed
    # A period ESCA awarded names ESCA.
    [org] = jsonld.expand(_json_ld((site / "clusters/expired/index.html").read_text()), options)
    [cert] = org[S + "hasCertification"]
    assert _value(cert[S + "issuedBy"][0], "name") == [ESCA["name"]]


def test_cluster_page_links_its_eccp_profile(site):
    page = (site / "clusters/esca-then-eucles/index.html").read_text()
    # Out of the search index, as the website is: an address is not what visitors search for.
    row = "<dt data-pagefind-ignore>ECCP profile</dt><dd data-pagefind-ignore>"
    assert f'{row}<a href="{ECCP_PROFILE}" rel="noopener">' in page
    assert ">ECCP profile</dt>" not in (site / "clusters/valid-gold/index.html").read_text()


def test_about_and_label_pages_say_who_awards_the_labels_today_and_who_did_before(site):
    about = _text((site / "about/index.html").read_text())
    assert (
        "Today the labels are awarded by the European Cluster Labelling Excellence Structure"
        " (EUCLES), Brussels, Belgium. Before, they were awarded by the European Secretariat for"
        " Cluster Analysis (ESCA), Berlin, Germany." in about
    )
    assert "Awards assessed before July 2024 count as its awards" in about
    assert "Awards assessed from July 2024 count as its awards" in about
    assert "Since 15 November 2019 a label is awarded only to organisations listed on" in about
    for level in ("bronze", "silver", "gold"):
        label = _text((site / "labels" / level / "index.html").read_text())
        assert (
            f"The European Cluster Labelling Excellence Structure (EUCLES), Brussels, Belgium,"
            f" awards the {level.upper()} label today; before, the European Secretariat for"
            " Cluster Analysis (ESCA), Berlin, Germany did." in label
        )


def test_about_page_names_the_body_of_the_as_of_date_as_today_s(tmp_path):
    out = _build(tmp_path / "site", "--as-of", "2024-03-01")
    about = _text((out / "about/index.html").read_text())
    assert (
        "Today the labels are awarded by the European Secretariat for Cluster Analysis (ESCA)"
        in about
    )
    assert "Before, they were awarded" not in about


# --- the timeline ---------------------------------------------------------------------------


def test_timeline_draws_a_row_per_level_highest_first_for_a_ladder(rules):
    st = status(
        [award(a) for a in ("bronze 2019-02", "bronze 2020-10", "silver 2021-03", "gold 2025-09")],
        rules,
        day("2026-11-27"),
    )
    tl = timeline(st, rules)
    assert tl is not None
    assert [r.level for r in tl.rows] == ["gold", "silver", "bronze"]
    assert [(b.level, str(b.start), str(b.end)) for b in tl.periods] == [
        ("bronze", "2019-02", "2024-01"),
        ("silver", "2021-03", "2023-02"),
        ("gold", "2025-09", "2027-08"),
    ]
    # Each period's renewal window follows it; a renewal merged two awards into one period.
    assert [(b.level, str(b.start), str(b.end)) for b in tl.windows] == [
        ("bronze", "2024-02", "2025-01"),
        ("silver", "2023-03", "2024-02"),
        ("gold", "2027-09", "2028-08"),
    ]
    assert len(tl.dots) == 4
    assert tl.left < tl.as_of_x < tl.right
    assert tl.ticks[0].year == 2019 and tl.ticks[-1].year == 2028


def test_timeline_shows_the_as_of_date_inside_the_renewal_window(rules):
    st = status([award("silver 2024-10")], rules, day("2026-11-27"))
    tl = timeline(st, rules)
    assert tl is not None
    [window] = tl.windows
    assert window.x < tl.as_of_x < window.x + window.width
    assert tl.periods[0].x + tl.periods[0].width <= tl.as_of_x


def test_timeline_keeps_a_lapse_as_two_periods(rules):
    awards = [award(a) for a in ("bronze 2020-01", "bronze 2023-06", "bronze 2026-01")]
    tl = timeline(status(awards, rules, day("2026-11-27")), rules)
    assert tl is not None
    assert [(str(b.start), str(b.end)) for b in tl.periods] == [
        ("2020-01", "2021-12"),
        ("2023-06", "2028-05"),
    ]


def test_no_timeline_before_the_first_award_is_known(rules):
    assert timeline(status([award("bronze 2027-01")], rules, day("2026-11-27")), rules) is None


def test_timeline_on_the_page_is_an_image_named_with_the_table_as_its_text(site):
    page = (site / "clusters/ladder/index.html").read_text()
    svg = re.search(r'<svg class="cd-timeline".*?</svg>', page, re.S)
    assert svg is not None
    root = ET.fromstring(svg.group(0).replace("<svg ", f'<svg xmlns="{SVG[1:-1]}" ', 1))
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    assert title is not None and title.get("id") == root.get("aria-labelledby")
    assert len(root.findall(f".//{SVG}rect[@class]")) == 6  # three periods, three windows
    assert "<caption>Every assessment and the validity it gave</caption>" in page
    assert "<script" not in svg.group(0)


def test_timeline_svg_is_the_same_for_the_same_records_and_date(directory, rules):
    entry = _entry(directory, "ladder")
    assert timeline(entry.status, rules) == timeline(
        status(entry.cluster.awards, rules, dt.date(2026, 11, 27)), rules
    )


def test_timeline_year_labels_stay_about_a_dozen_over_any_span(rules):
    # A history of 160 years must not print 160 overlapping year labels.
    for as_of in ("2000-06-30", "2030-06-30", "2100-06-30", "2150-01-01"):
        tl = timeline(status([award("bronze 1990-01")], rules, day(as_of)), rules)
        assert tl is not None
        labelled = [t for t in tl.ticks if t.labelled]
        assert 1 <= len(labelled) <= 13, as_of
        gaps = [b.label_x - a.label_x for a, b in itertools.pairwise(labelled)]
        assert all(gap >= 36 for gap in gaps), as_of  # "2150" is about 30 px wide at 11 px


@pytest.mark.parametrize(
    ("given", "address"),
    [
        ("https://Example.ORG/Sub", "https://example.org/Sub/"),
        ("https://exämple.org/a b/", "https://xn--exmple-cua.org/a%20b/"),
        ("https://пример.рф/путь/", "https://xn--e1afmkfd.xn--p1ai/%D0%BF%D1%83%D1%82%D1%8C/"),
        (
            'https://example.org/"><script>alert(1)</script>/',
            "https://example.org/%22%3E%3Cscript%3Ealert%281%29%3C/script%3E/",
        ),
        ("https://example.org/a&b/", "https://example.org/a%26b/"),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000/"),
        ("http://[::1]:8000/x", "http://[::1]:8000/x/"),
        ("", ""),
    ],
    ids=["case", "idn-and-space", "cyrillic", "markup", "ampersand", "ip", "ipv6", "unknown"],
)
def test_the_site_address_is_made_safe_once_for_every_page_and_file(given, address):
    from generator.site.siteconfig import site_address

    assert site_address(given) == address


@pytest.mark.parametrize(
    "given",
    [
        "https://u:p@example.org/",
        "ftp://example.org/",
        "https://ex ample.org/",
        "https://x.org:99999/",
    ],
    ids=["credentials", "ftp", "space-in-host", "port-out-of-range"],
)
def test_a_site_address_that_cannot_be_made_safe_is_refused(given):
    from generator.core.errors import ConfigError
    from generator.site.siteconfig import site_address

    with pytest.raises(ConfigError, match="site URL"):
        site_address(given)


def test_a_hostile_site_url_reaches_no_page_or_file_unencoded(tmp_path):
    hostile = 'https://example.org/"><script>alert(1)</script>/'
    out = _build(tmp_path / "site", "--site-url", hostile)
    safe = "https://example.org/%22%3E%3Cscript%3Ealert%281%29%3C/script%3E/"
    page = (out / "clusters/valid-gold/index.html").read_text("utf-8")
    assert f'<link rel="canonical" href="{safe}clusters/valid-gold/">' in page
    assert json.loads((out / "clusters/valid-gold/status.json").read_text())["url"].startswith(safe)
    for path in out.rglob("*"):
        if path.suffix in (".html", ".json", ".jsonld", ".xml", ".txt", ".csv", ".svg"):
            assert 'example.org/"><script>' not in path.read_text("utf-8"), path


def test_a_long_name_leaves_the_label_in_the_page_description(directory):
    from dataclasses import replace

    from generator.site.descriptions import cluster

    entry = _entry(directory, "valid-gold")
    long = replace(entry, cluster=replace(entry.cluster, name="N" * 10_000))
    text = cluster(long, directory)
    assert len(text) < 250
    assert "holds the ECEI GOLD label, valid until" in text
