"""The built directory: golden Markdown, counts, URLs, escaping, renewals, downloads, determinism."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import html
import io
import json
import re
import shutil
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest

from generator.build.build import NO_SITE_ADDRESS, Project, build, generate
from generator.build.progress import Progress
from generator.core.errors import BuildFailed, ValidationFailed
from generator.labels.rules import load_rules, load_sectors
from generator.records.catalog import load_catalog
from generator.site.directory import build_directory, country_name
from generator.site.pages import md_escape, render_site, yaml_title
from generator.site.siteconfig import SiteSettings
from tests import golden
from tests.conftest import ROOT

FIXTURE = golden.FIXTURE_RECORDS
AS_OF = golden.AS_OF
QUIET = Progress(quiet=True)


def _build(data: Path, out: Path, as_of: dt.date = AS_OF, project: Project | None = None) -> str:
    return build(project or Project(ROOT), data, out, as_of, strict=False, progress=QUIET)


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("fixture") / "site"
    _build(FIXTURE, out)
    return out


def _text(page: Path) -> str:
    body = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page.read_text("utf-8"))
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


# Golden files


def test_generated_markdown_matches_the_golden_files():
    expected = {
        p.relative_to(golden.GOLDEN).as_posix(): p.read_bytes()
        for p in golden.GOLDEN.rglob("*")
        if p.is_file()
    }
    actual = golden.generated_files()
    assert sorted(actual) == sorted(expected), "files differ: run `make golden` and review the diff"
    for path, data in actual.items():
        assert data == expected[path], (
            f"{path} differs from its golden file: run `make golden` and review the diff"
        )


# Counts


@pytest.mark.parametrize("as_of", ["2026-11-25", "2027-06-30"])
def test_sample_records_give_188_clusters_from_28_countries(as_of):
    rules = load_rules()
    day = dt.date.fromisoformat(as_of)
    catalog = load_catalog(ROOT / "clusters", rules, load_sectors(), day, strict=True)
    assert catalog.diagnostics == ()
    headline = build_directory(catalog.clusters, rules, day).headline
    assert (headline.clusters, headline.countries) == (188, 28)


def test_sample_home_page_says_188_clusters_from_28_countries(sample_site):
    assert "188 clusters from 28 countries hold a valid ECEI label on 25 November 2026" in _text(
        sample_site / "index.html"
    )


def test_sample_notice_is_shown_and_can_be_turned_off():
    rules = load_rules()
    catalog = load_catalog(FIXTURE, rules, load_sectors(), AS_OF)
    directory = build_directory(catalog.clusters, rules, AS_OF)
    templates = ROOT / "site_templates" / "pages"

    def home(settings: SiteSettings) -> str:
        files, _ = render_site(templates, directory, settings, load_sectors())
        return next(f.data.decode() for f in files if f.path == "index.md")

    assert "invented sample data" in home(SiteSettings(sample_data=True))
    assert "invented sample data" not in home(SiteSettings(sample_data=False))


def test_fixture_counts_leave_out_renewals_and_expired(fixture_site):
    home = _text(fixture_site / "index.html")
    assert "4 clusters from 3 countries hold a valid ECEI label" in home
    assert "2 clusters in Germany hold a valid ECEI label" in _text(
        fixture_site / "countries/de/index.html"
    )
    assert "1 cluster from 1 country holds the GOLD label" in _text(
        fixture_site / "labels/gold/index.html"
    )
    assert "3 clusters from 3 countries hold the BRONZE label" in _text(
        fixture_site / "labels/bronze/index.html"
    )


# URLs


def test_every_page_has_its_permanent_url(fixture_site):
    for path in [
        "index.html",
        "countries/index.html",
        "clusters/index.html",
        "renewals/index.html",
        "about/index.html",
        "labels/bronze/index.html",
        "labels/silver/index.html",
        "labels/gold/index.html",
        "404.html",
        "clusters.csv",
        "clusters.json",
        "clusters/rows.json",
        "renewals/rows.json",
        "labels/gold/rows.json",
        "countries/de/rows.json",
    ]:
        assert (fixture_site / path).is_file(), path
    ids = sorted(p.stem for p in FIXTURE.rglob("*.yaml"))
    assert sorted(p.parent.name for p in fixture_site.glob("clusters/*/index.html")) == ids
    assert sorted(p.parent.name for p in fixture_site.glob("countries/*/index.html")) == [
        "de",
        "gr",
        "tr",
    ]


def test_sample_site_has_a_page_per_record_and_per_labelled_country(sample_site):
    ids = {p.stem for p in (ROOT / "clusters").rglob("*.yaml")}
    assert {p.parent.name for p in sample_site.glob("clusters/*/index.html")} == ids
    countries = {p.parent.name for p in sample_site.glob("countries/*/index.html")}
    assert (
        len(countries) == 28 and "de" in countries and "no" in countries and "li" not in countries
    )


def _internal_links(page: Path) -> list[str]:
    text = page.read_text("utf-8")
    links = re.findall(r"""(?:href|src)="([^"]+)\"""", text)
    return [
        html.unescape(u)
        for u in links
        if not urlsplit(html.unescape(u)).scheme and not u.startswith("#")
    ]


def test_every_internal_link_resolves(fixture_site):
    broken = []
    for page in fixture_site.rglob("*.html"):
        if page.name == "404.html":
            continue  # the 404 page is served at any depth; its links are root-based
        for link in _internal_links(page):
            target = (page.parent / urldefrag(urlsplit(link).path)[0]).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(fixture_site)} -> {link}")
    assert broken == []


def test_cluster_pages_stay_out_of_the_navigation(sample_site):
    page = (
        sample_site / "clusters/innovationsverbund-biotechnologie-rheinhessen/index.html"
    ).read_text()
    nav = page[page.index('<nav class="md-nav md-nav--primary"') :]
    nav = nav[: nav.index("</nav>")]
    links = re.findall(r'href="([^"]*)"', nav)
    assert 5 <= len(links) <= 15
    assert not [link for link in links if re.fullmatch(r"\.\./[a-z0-9-]+/", link)]


def test_country_names_use_common_short_names():
    assert (country_name("CZ"), country_name("TR"), country_name("KR"), country_name("NO")) == (
        "Czechia",
        "Türkiye",
        "South Korea",
        "Norway",
    )


# Escaping


def test_record_markup_is_shown_as_text_and_never_interpreted(fixture_site):
    page = (fixture_site / "clusters/hostile-markup/index.html").read_text("utf-8")
    assert "<script>alert" not in page and "<img src=x" not in page and "<b>ACR" not in page
    assert 'href="javascript:' not in page
    text = _text(fixture_site / "clusters/hostile-markup/index.html")
    assert (
        "<script>alert('x')</script> **Bold** [link](javascript:alert(1)) {{ 7*7 }} {% raw %} &amp; | x"
        in text
    )
    assert "</div><img src=x onerror=alert(1)>" in text
    assert "_Under_ `code` # not a heading" in text
    title = re.search(r"<title>(.*?)</title>", page).group(1)
    assert "<" not in title and html.unescape(title).startswith("<script>alert('x')</script>")


def test_names_in_any_script_are_written_as_they_are(fixture_site):
    assert "Σύμπλεγμα Καινοτομίας Θεσσαλίας" in _text(
        fixture_site / "clusters/greek-cluster/index.html"
    )
    assert "İstanbul Yazılım Kümesi" in _text(fixture_site / "countries/tr/index.html")


@pytest.mark.parametrize(
    ("text", "markdown"),
    [
        ("a*b_c", r"a\*b\_c"),
        ("<b>&", "&lt;b&gt;&amp;"),
        ("[x](y)", r"\[x\]\(y\)"),
        ("a:b=c", "a:b=c"),
    ],
)
def test_markdown_escape(text, markdown):
    assert md_escape(text) == markdown


def test_front_matter_titles_are_escaped_yaml_strings():
    assert yaml_title('<a> "q" \u2028') == '"&lt;a&gt; &quot;q&quot; \\u2028"'


# Renewals


def test_renewals_page_lists_ended_labels_with_their_deadline(fixture_site):
    text = _text(fixture_site / "renewals/index.html")
    assert "Malta Maritime Cluster Malta BRONZE 31 March 2026 31 March 2027" in text
    assert "Silver Cluster In Renewal Germany SILVER 31 May 2026 31 May 2027" in text
    assert text.index("Malta Maritime") < text.index("Silver Cluster In Renewal")  # soonest first
    assert "Alpine Precision Network" not in text  # expired, beyond the window


def test_a_cluster_whose_silver_ended_shows_the_bronze_it_still_holds(fixture_site):
    assert "holds the ECEI BRONZE label, valid until 31 December 2026" in _text(
        fixture_site / "clusters/turkish-silver/index.html"
    )


# Downloads


def test_csv_and_json_hold_every_listed_cluster_with_status_and_date(fixture_site):
    rows = list(csv.DictReader(io.StringIO((fixture_site / "clusters.csv").read_text("utf-8"))))
    document = json.loads((fixture_site / "clusters.json").read_text("utf-8"))
    assert document["as_of"] == "2026-11-25"
    assert document["headline"] == {"clusters": 4, "countries": 3}
    assert [r["id"] for r in rows] == [c["id"] for c in document["clusters"]]
    assert {r["state"] for r in rows} == {"valid", "renewal"} and len(rows) == 6
    gold = next(r for r in rows if r["id"] == "gold-cluster-rhein")
    assert (
        gold["label"],
        gold["valid_until"],
        gold["country_name"],
        gold["sectors"],
        gold["as_of"],
    ) == (
        "gold",
        "2027-04-30",
        "Germany",
        "ICT; Production and engineering",
        "2026-11-25",
    )
    assert all(r["url"] == f"clusters/{r['id']}/" for r in rows)


# Determinism and failure


# Pagefind's own bookkeeping files (its metadata, filter and entry files) are written in the
# order of a hash map, so their bytes and names vary between runs over the same pages (Pagefind
# issue 638); the fragments and the word index, which hold the searchable content, do not. Each
# language has its bundle in its folder (pagefind/, de/pagefind/).
UNSTABLE_SEARCH_FILES = re.compile(
    r"(?:^|/)pagefind/(pagefind-entry\.json|pagefind\.[\w]+\.pf_meta|filter/.*)$"
)


def test_same_records_and_date_give_a_byte_identical_site(sample_site, tmp_path):
    again = tmp_path / "again"
    _build(ROOT / "clusters", again)

    def files(root: Path) -> dict[str, bytes]:
        return {
            p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*"))
            if p.is_file() and not UNSTABLE_SEARCH_FILES.search(p.relative_to(root).as_posix())
        }

    first, second = files(sample_site), files(again)
    assert sorted(first) == sorted(second)
    assert [path for path in first if first[path] != second[path]] == []
    # The unstable search files are the same in number and size class: only their order moves.
    unstable = [
        p
        for p in sample_site.rglob("pagefind/**/*")
        if p.is_file() and UNSTABLE_SEARCH_FILES.search(p.relative_to(sample_site).as_posix())
    ]
    assert {p.relative_to(sample_site).parts[0] for p in unstable} >= {"pagefind", "de"}
    assert len(unstable) == len(
        [
            p
            for p in again.rglob("pagefind/**/*")
            if p.is_file() and UNSTABLE_SEARCH_FILES.search(p.relative_to(again).as_posix())
        ]
    )


def _digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(str(path.relative_to(folder)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def test_bad_records_leave_the_previous_site_untouched(fixture_site, tmp_path):
    out = tmp_path / "site"
    shutil.copytree(fixture_site, out)
    before = _digest(out)
    data = tmp_path / "records"
    shutil.copytree(FIXTURE, data)
    (data / "de" / "gold-cluster-rhein.yaml").write_text("name: [unclosed\n")
    with pytest.raises(ValidationFailed):
        _build(data, out)
    assert _digest(out) == before


def test_a_failing_mkdocs_run_leaves_the_previous_site_untouched(fixture_site, tmp_path):
    out = tmp_path / "site"
    shutil.copytree(fixture_site, out)
    before = _digest(out)
    project = tmp_path / "project"
    shutil.copytree(ROOT / "site_templates", project / "site_templates")
    config = (
        (ROOT / "mkdocs.yml")
        .read_text()
        .replace("  - Renewals: renewals.md\n", "  - Renewals: no-such-page.md\n")
    )
    (project / "mkdocs.yml").write_text(config)
    with pytest.raises(BuildFailed, match=r"no-such-page\.md"):
        _build(FIXTURE, out, project=Project(project))
    assert _digest(out) == before
    assert not list(tmp_path.glob(".clusterdir-build-*"))


@pytest.mark.parametrize(
    "extra", [[], ["index.html", "sitemap.xml"]], ids=["plain folder", "site not built by us"]
)
def test_build_refuses_to_replace_a_folder_it_did_not_build(tmp_path, extra):
    precious = tmp_path / "notes"
    precious.mkdir()
    for name in ["keep.txt", *extra]:
        (precious / name).write_text("mine")
    with pytest.raises(BuildFailed, match="refusing to replace"):
        _build(FIXTURE, precious)
    assert sorted(p.name for p in precious.iterdir()) == sorted(["keep.txt", *extra])


def test_build_refuses_a_site_folder_that_is_a_git_checkout(fixture_site, tmp_path):
    out = tmp_path / "site"
    shutil.copytree(fixture_site, out)
    (out / ".git").mkdir()
    with pytest.raises(BuildFailed, match="refusing to replace"):
        _build(FIXTURE, out)
    assert (out / ".git").is_dir()


def test_a_record_cannot_take_the_place_of_a_page(tmp_path):
    data = tmp_path / "records"
    shutil.copytree(FIXTURE, data)
    shutil.copy(data / "de" / "gold-cluster-rhein.yaml", data / "de" / "index.yaml")
    with pytest.raises(ValidationFailed):
        _build(data, tmp_path / "site")


def test_generate_writes_the_tree_that_mkdocs_builds():
    generated = generate(Project(ROOT), FIXTURE, AS_OF, strict=False, progress=QUIET)
    paths = {f.path for f in generated.files}
    assert {
        "mkdocs.yml",
        "content/index.md",
        "content/assets/lists.js",
        "overrides/404.html",
    } <= paths


def test_build_command_shows_stages_and_a_summary_and_quiet_silences_them(tmp_path, capsys):
    from generator.cli import main

    assert (
        main(
            ["build", "--data", str(FIXTURE), "--out", str(tmp_path / "a"), "--as-of", "2026-11-25"]
        )
        == 0
    )
    err = capsys.readouterr().err
    assert "Checking the records" in err and "Building the site with MkDocs" in err
    # 22 pages in each of the shipped mkdocs.yml's six languages.
    assert re.search(
        r"Built a/ as of 2026-11-25: 4 clusters from 3 countries, 132 pages in [\d.]+ s",
        err,
    )
    assert (
        main(
            [
                "build",
                "--data",
                str(FIXTURE),
                "--out",
                str(tmp_path / "b"),
                "--as-of",
                "2026-11-25",
                "--quiet",
            ]
        )
        == 0
    )
    # Quiet leaves warnings: a build for publishing without the site's address says what the
    # site then lacks; with it, a quiet build prints nothing.
    assert capsys.readouterr() == ("", f"clusterdir: warning: {NO_SITE_ADDRESS}\n")
    quiet_with_address = ["--as-of", "2026-11-25", "--quiet", "--site-url", "https://example.org/"]
    assert (
        main(["build", "--data", str(FIXTURE), "--out", str(tmp_path / "c"), *quiet_with_address])
        == 0
    )
    assert capsys.readouterr() == ("", "")


def test_build_command_with_bad_records_prints_each_and_exits_1(tmp_path, capsys):
    from generator.cli import main

    assert (
        main(["build", "--data", str(ROOT / "tests/fixtures/bad"), "--out", str(tmp_path / "site")])
        == 1
    )
    captured = capsys.readouterr()
    assert "unknown-country.yaml:2:10: error:" in captured.out
    assert "nothing was built" in captured.err
    assert not (tmp_path / "site").exists()


# Feed and recent awards


def test_feed_lists_awards_and_renewals_newest_first(fixture_site):
    import xml.etree.ElementTree as ET

    atom = "{http://www.w3.org/2005/Atom}"
    root = ET.parse(fixture_site / "feed.xml").getroot()
    entries = root.findall(f"{atom}entry")
    updated = [e.find(f"{atom}updated").text for e in entries]
    assert (
        updated == sorted(updated, reverse=True) and len(entries) == 12
    )  # every award of the fixture records
    ids = [e.find(f"{atom}id").text for e in entries]
    assert len(set(ids)) == len(ids)
    titles = [e.find(f"{atom}title").text for e in entries]
    assert (
        "Gold Cluster Rhein: GOLD renewal" in titles
        and "Gold Cluster Rhein: GOLD first award" in titles
    )
    hostile = next(t for t in titles if t.startswith("<script>"))
    assert hostile.endswith(": BRONZE first award")  # the name came through as text, intact
    assert "<script>" not in (fixture_site / "feed.xml").read_text()


def test_feed_links_are_absolute_when_the_site_url_is_known(tmp_path):
    out = tmp_path / "site"
    build(
        Project(ROOT),
        FIXTURE,
        out,
        AS_OF,
        strict=False,
        progress=QUIET,
        site_url="https://example.org/dir/",
    )
    feed = (out / "feed.xml").read_text()
    assert 'href="https://example.org/dir/clusters/gold-cluster-rhein/"' in feed
    assert "<loc>https://example.org/dir/</loc>" in (out / "sitemap.xml").read_text()


def test_home_lists_recent_awards_and_links_the_feed(fixture_site):
    home = (fixture_site / "index.html").read_text()
    text = _text(fixture_site / "index.html")
    assert "Recently labelled" in text
    assert "Σύμπλεγμα Καινοτομίας Θεσσαλίας (Greece): BRONZE first award, November 2025" in text
    assert 'type="application/atom+xml"' in home
