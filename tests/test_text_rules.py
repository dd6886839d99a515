"""Hostile text is refused or neutralised: invisible text, look-alike names, untrustworthy hosts,
spreadsheet formulas in the downloads, and dates that would take the arithmetic off the calendar."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.core.model import Award
from generator.core.months import LAST_YEAR, Month
from generator.labels.rules import load_rules, load_sectors
from generator.labels.status import status
from generator.records.catalog import load_catalog
from generator.records.textcheck import has_visible, host_problem, skeleton
from generator.site.csvout import safe_cell
from generator.site.directory import build_directory
from generator.site.pages import open_data
from tests.conftest import FIXTURES, ROOT, day

RULES = load_rules()

# fmt: off
VISIBLE = [
    ("letters", "Cluster", True),
    ("spaces only", " \u00a0\u3000 ", False),
    ("zero-width and joiners", "\u200b\u200c\u200d\u2060\ufeff", False),
    ("Hangul fillers", "\u3164\u115f\u1160\uffa0", False),
    ("braille blank", "\u2800\u2800", False),
    ("lone combining marks", "\u0301\u0308\u20dd", False),
    ("bidi controls", "\u202e\u2066\u2069", False),
    ("a variation selector", "\ufe0f", False),
    ("a tag character", "\U000e0041", False),
    ("one letter among invisibles", "\u200bA\u200b", True),
    ("an accented letter, decomposed", "e\u0301", True),
]
# fmt: on


@pytest.mark.parametrize(("case", "text", "visible"), VISIBLE, ids=[c for c, _, _ in VISIBLE])
def test_text_made_only_of_invisible_characters_shows_nothing(case, text, visible):
    assert has_visible(text) is visible


# fmt: off
SAME_NAME = [
    ("case", "Cluster Nord", "CLUSTER NORD"),
    ("fullwidth letters", "Cluster Nord", "Ｃｌｕｓｔｅｒ Ｎｏｒｄ"),
    ("Cyrillic look-alikes", "Paypal", "Раураl"),
    ("a zero-width space", "Cluster Nord", "Clus\u200bter Nord"),
    ("a soft hyphen", "Cluster Nord", "Clus\u00adter Nord"),
    ("rn for m", "Cluster Mode", "Cluster rnode"),
    ("spacing", "Cluster  Nord", "Cluster Nord "),
]
DIFFERENT_NAME = [
    ("another word", "Cluster Nord", "Cluster Süd"),
    ("accents that change a word", "Cluster Ost", "Cluster Öst"),
]
# fmt: on


@pytest.mark.parametrize(("case", "a", "b"), SAME_NAME, ids=[c for c, _, _ in SAME_NAME])
def test_names_a_reader_cannot_tell_apart_have_one_skeleton(case, a, b):
    assert skeleton(a) == skeleton(b)


@pytest.mark.parametrize(("case", "a", "b"), DIFFERENT_NAME, ids=[c for c, _, _ in DIFFERENT_NAME])
def test_different_names_keep_different_skeletons(case, a, b):
    assert skeleton(a) != skeleton(b)


# fmt: off
HOSTS = [
    ("example.org", None),
    ("пример.рф", None),
    ("xn--e1afmkfd.xn--p1ai", None),
    ("münchen.de", None),
    ("example.org.", None),
    ("example..org", "has an empty part between two dots in its host"),
    (".example.org", "has an empty part between two dots in its host"),
    ("exa\u200bmple.org", "holds the invisible character U+200B ZERO WIDTH SPACE in its host"),
    ("exa\u202emple.org", "holds the invisible character U+202E RIGHT-TO-LEFT OVERRIDE in its host"),
    ("exa\u00admple.org", "holds the invisible character U+00AD SOFT HYPHEN in its host"),
    ("localhost", "needs a host with a domain, such as example.org"),
    ("192.0.2.1", "needs a host name, not a number, such as example.org"),
    ("xn--zz.org", "has a host that is not a valid domain name"),
    ("-bad.example.org", "has a host that is not a valid domain name"),
    ("i\u2764.ws", "has a host that is not a valid domain name"),
    ("a" * 64 + ".org", "has a host that is not a valid domain name"),
]
# fmt: on


@pytest.mark.parametrize(("host", "problem"), HOSTS, ids=[h for h, _ in HOSTS])
def test_web_hosts_are_checked_as_written_and_as_idna_sends_them(host, problem):
    assert host_problem(host) == problem


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+49 30 1234", "'+49 30 1234"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("\rReturn", "'\rReturn"),
        ("Plain", "Plain"),
        (-12.5, -12.5),
        (None, None),
    ],
)
def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised_and_numbers_stay(value, cell):
    assert safe_cell(value) == cell


def test_the_clusters_download_neutralises_formulas_and_keeps_numbers(tmp_path):
    folder = tmp_path / "records"
    folder.mkdir()
    (folder / "formula.yaml").write_text(
        'name: "=HYPERLINK(\\"http://evil.example\\")"\nacronym: "@X"\ncountry: AT\n'
        "city: -Wien\ncoordinates: [-12.5, 16.37]\nwebsite: https://formula.example.org\n"
        "labels:\n  - level: gold\n    assessed: 2026-01\n"
    )
    catalog = load_catalog(folder, RULES, load_sectors(), day("2026-11-25"))
    assert [d.field for d in catalog.diagnostics] == ["name", "acronym", "city"]  # warnings
    files = {
        f.path: f.data
        for f in open_data(build_directory(catalog.clusters, RULES, day("2026-11-25")))
    }
    row = next(csv.DictReader(io.StringIO(files["clusters.csv"].decode())))
    assert row["name"] == '\'=HYPERLINK("http://evil.example")'
    assert (row["acronym"], row["city"]) == ("'@X", "'-Wien")
    assert (row["latitude"], row["longitude"]) == ("-12.5", "16.37")
    assert b'"name": "=HYPERLINK' in files["clusters.json"]  # JSON keeps the text as written
    # Every text cell is quoted: a spreadsheet splitting on ';' or a tab keeps it one cell.
    assert files["clusters.csv"].decode().splitlines()[1].startswith('"formula","\'=HYPERLINK')


def test_the_report_csv_neutralises_formulas(tmp_path, capsys):
    folder = tmp_path / "records"
    folder.mkdir()
    (folder / "formula.yaml").write_text(
        "name: '+Cluster Plus'\ncountry: AT\nwebsite: https://plus.example.org\n"
        "labels:\n  - level: gold\n    assessed: 2025-01\n"
    )
    assert main(["report", "--data", str(folder), "--as-of", "2026-12-15", "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[1][3] == "'+Cluster Plus"


@settings(max_examples=200, deadline=None)
@given(
    first=st.integers(Month.of(1990, 1).index, Month.of(LAST_YEAR, 12).index),
    gaps=st.lists(st.integers(0, 3), min_size=1, max_size=100),
    as_of_year=st.integers(1990, LAST_YEAR),
)
def test_no_record_the_check_accepts_can_take_the_validity_off_the_calendar(
    first, gaps, as_of_year
):
    # The worst a record can do: up to 100 awards (the most a record holds), one a month or
    # closer, from any month the check accepts: every renewal stacks 36 months.
    month, awards = Month(first), []
    for gap in gaps:
        month = Month(min(month.index + gap, Month.of(LAST_YEAR, 12).index))
        awards.append(Award("bronze", month))
    unique = tuple({(a.level, a.assessed): a for a in awards}.values())
    result = status(unique, RULES, day(f"{as_of_year}-06-15"))
    assert result.valid_until is None or result.valid_until.year <= 9999


def test_rule_figures_are_bounded_so_the_arithmetic_stays_in_the_calendar(tmp_path):
    from generator.core.errors import ConfigError
    from generator.labels.rules import load_rules as load

    rules = (ROOT / "generator" / "data" / "rules.yaml").read_text()
    (tmp_path / "rules.yaml").write_text(
        rules.replace("renewal_extension_months: 36", "renewal_extension_months: 1000000", 1)
    )
    with pytest.raises(ConfigError, match="from 0 to 120, got 1000000"):
        load(tmp_path / "rules.yaml")


def test_an_award_that_stacks_renewals_is_warned_about_by_award_itself(tmp_path):
    record = tmp_path / "record.yaml"
    record.write_text(
        "name: Stacking\ncountry: AT\nwebsite: https://stacking.example.org\n"
        "labels:\n  - level: bronze\n    assessed: 2026-01\n"
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "award",
            str(record),
            "--level",
            "bronze",
            "--assessed",
            "2026-03",
            "--as-of",
            "2026-11-25",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0
    assert result.stderr == (
        f"{record}:7:5: warning: the BRONZE award of 2026-03 comes 2 months after the one of"
        " 2026-01: renewals stack, so the label now runs to 2030-12; check the months\n"
    )
    assert result.stdout == f"{record}: BRONZE, valid until 31 December 2030\n"


def test_the_editors_schema_is_valid_ecma_262_for_their_tools():
    # check-jsonschema checks the schema against its metaschema, regular expressions included
    # (Ajv and the YAML language server read patterns as ECMA-262).
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "check-jsonschema"),
            "--check-metaschema",
            str(ROOT / "schema" / "cluster.schema.json"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_jsonschema_accepts_every_sample_record_and_good_fixture():
    files = sorted(str(p) for p in (ROOT / "clusters").rglob("*.yaml"))
    files += sorted(str(p) for p in (FIXTURES / "good").glob("*.yaml"))
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "check-jsonschema"),
            "--schemafile",
            str(ROOT / "schema" / "cluster.schema.json"),
            *files,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]


def test_a_build_as_of_a_date_past_2106_works(tmp_path):
    # MkDocs writes the date into a 32-bit gzip field; the build holds it at that limit.
    from generator.build.build import source_date_epoch

    assert source_date_epoch(day("2150-01-01")) == str(2**32 - 1)
    assert source_date_epoch(day("2106-02-06")) == "4294857600"  # still within
