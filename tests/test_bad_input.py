"""Bad records: each fixture, named after its case, gets one exact message with its line, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.core.errors import Severity
from generator.labels.rules import load_rules, load_sectors
from generator.records.catalog import load_catalog, load_record
from generator.records.records import Vocabulary, cluster_from_node
from generator.records.source import read_record
from tests.conftest import FIXTURES, day

RULES = load_rules()
VOCAB = Vocabulary(RULES.level_ids, load_sectors(), RULES.body_ids)
BAD = FIXTURES / "bad"

# (fixture name, "line:col", the exact message)
EXPECTED = [
    (
        "Bad_File_Name",
        "1:1",
        "file name 'Bad_File_Name' cannot be a cluster id: use lowercase a-z, 0-9 and '-'",
    ),
    ("alias-bomb", "1:4", "anchors (&a) are not allowed: write the value out"),
    ("anchor-and-alias", "1:7", "anchors (&n) are not allowed: write the value out"),
    (
        "capitalised-level",
        "5:12",
        "unknown level 'Bronze' (did you mean 'bronze'?): use one of bronze, silver, gold",
    ),
    (
        "coordinates-not-a-pair",
        "3:14",
        "'coordinates' must be [latitude, longitude] in degrees, e.g. [48.14, 11.58]",
    ),
    ("coordinates-out-of-range", "3:21", "longitude 216.4 is out of range (-180 to 180)"),
    (
        "country-name-instead-of-code",
        "2:10",
        "unknown country code 'Germany': use an ISO 3166-1 alpha-2 code such as DE (for Germany write 'DE')",
    ),
    ("deep-nesting", "2:29", "nested deeper than 16 levels"),
    ("duplicate-key", "4:1", "key 'name' is given twice (first on line 1)"),
    (
        "empty-file",
        "1:1",
        "the file is empty: a record needs at least name, country, website and labels",
    ),
    ("empty-name", "1:6", "'name' is empty"),
    ("ftp-url", "3:10", "website 'ftp://example.org/' must start with http:// or https://"),
    (
        "index",
        "1:1",
        "file name 'index' cannot be a cluster id: use lowercase a-z, 0-9 and '-' (and not the word 'index', which the site uses)",
    ),
    (
        "page",
        "1:1",
        "file name 'page' cannot be a cluster id: use lowercase a-z, 0-9 and '-' (and not the word 'page', which the site uses)",
    ),
    ("javascript-url", "3:10", "website 'javascript:alert(1)' must start with http:// or https://"),
    (
        "key-with-a-line-break",
        "3:1",
        "unknown key 'web\\nsite' in the record (did you mean 'website'?)",
    ),
    ("lowercase-country", "2:10", "write the country code in capitals: 'AT'"),
    ("missing-required-key", "1:1", "the record is missing the required key 'website'"),
    ("month-2024-13", "6:15", "'assessed': '2024-13' has no month 13: months run from 01 to 12"),
    (
        "month-not-a-month",
        "6:15",
        "'assessed': 'March 2024' is not a month: write it as YYYY-MM, for example 2024-03",
    ),
    ("no-awards", "4:9", "'labels' has no awards: a listed cluster needs at least one"),
    ("not-a-mapping", "1:1", "a record must be a mapping of keys such as 'name: ...', not a list"),
    ("not-utf8", "1:17", "byte 0xfc is not UTF-8: save the file as UTF-8"),
    (
        "only-a-comment",
        "1:1",
        "the file is empty: a record needs at least name, country, website and labels",
    ),
    ("python-tag", "1:7", "tags (!!python/object/apply:os.system) are not allowed in records"),
    (
        "scalar-document",
        "1:1",
        "a record must be a mapping of keys such as 'name: ...', not 'Example Cluster'",
    ),
    ("two-documents", "7:1", "a file holds one record: remove the second document ('---')"),
    (
        "unknown-award-key",
        "7:5",
        "unknown key 'valid_untl' in an award (did you mean 'valid_until'?)",
    ),
    (
        "unknown-country",
        "2:10",
        "unknown country code 'QQ': use an ISO 3166-1 alpha-2 code such as DE",
    ),
    ("unknown-key-webiste", "3:1", "unknown key 'webiste' in the record (did you mean 'website'?)"),
    ("unknown-level", "5:12", "unknown level 'platinum': use one of bronze, silver, gold"),
    ("unknown-sector", "6:5", "unknown sector 'Biotechnolgy' (did you mean 'Biotechnology'?)"),
    (
        "url-with-markup",
        "3:10",
        "website 'https://example.org/\"><script>alert(1)</script>' is not a valid address",
    ),
    (
        "url-without-host",
        "3:10",
        "website 'https://' is not a valid address: it needs a host such as example.org",
    ),
    (
        "valid-until-before-assessed",
        "7:18",
        "valid_until 2023-12 is before the assessment month 2024-03",
    ),
    (
        "yaml-syntax-error",
        "4:7",
        "YAML syntax error: while parsing a flow sequence (from line 3), did not find expected ',' or ']'",
    ),
    ("control-character-in-name", "1:7", "'name' holds the control character \\x01: remove it"),
    ("same-award-twice", "7:5", "the bronze award of 2024-03 is listed twice"),
    (
        "year-far-in-the-future",
        "7:18",
        "'valid_until': '9999-12' is too far in the future: check the year",
    ),
    ("coordinates-in-quotes", "4:15", "latitude '48.14' is not a number (write it without quotes)"),
    ("coordinates-not-a-number-nan", "4:15", "latitude '.nan' is not a number"),
    ("coordinates-with-fullwidth-digits", "4:15", "latitude '４８.１' is not a number"),
    ("country-el-for-greece", "2:10", "'EL' is the EU's code for Greece: write GR"),
    ("country-uk-for-britain", "2:10", "'UK' is not an ISO code: for the United Kingdom write GB"),
    (
        "month-with-arabic-indic-digits",
        "6:15",
        "'assessed': '٢٠٢٤-٠٣' is not a month: write it as YYYY-MM, for example 2024-03",
    ),
    (
        "month-with-fullwidth-digits",
        "6:15",
        "'assessed': '２０２４-０３' is not a month: write it as YYYY-MM, for example 2024-03",
    ),
    ("more-than-100-awards", "5:3", "'labels' lists 101 awards; a record holds at most 100"),
    ("name-only-combining-marks", "1:7", "'name' is empty"),
    (
        "name-with-bidi-override",
        "1:7",
        "'name' holds the bidi control U+202E RIGHT-TO-LEFT OVERRIDE, which makes it read other"
        " than it is written: remove it",
    ),
    ("name-only-invisible-characters", "1:7", "'name' is empty"),
    (
        "website-host-with-bidi-control",
        "3:10",
        "website 'https://exam\\u202eple.org/' holds the invisible character U+202E RIGHT-TO-LEFT"
        " OVERRIDE in its host",
    ),
    (
        "website-host-with-empty-label",
        "3:10",
        "website 'https://example..org/' has an empty part between two dots in its host",
    ),
    (
        "website-host-with-zero-width-space",
        "3:10",
        "website 'https://exam\\u200bple.org/' holds the invisible character U+200B ZERO WIDTH SPACE"
        " in its host",
    ),
    (
        "website-ip-address",
        "3:10",
        "website 'http://192.0.2.1/' needs a host name, not a number, such as example.org",
    ),
    (
        "website-port-out-of-range",
        "3:10",
        "website 'https://example.org:99999/' has the port '99999', which is not a number from 1 to 65535",
    ),
    (
        "website-port-zero",
        "3:10",
        "website 'https://example.org:0/' has the port '0', which is not a number from 1 to 65535",
    ),
    (
        "website-with-user-name",
        "3:10",
        "website 'https://example.org@evil.example.net/' holds a user name before '@': give the"
        " address without it",
    ),
    ("country-with-spaces-around", "2:10", "'country' has spaces around it: write 'DE'"),
    (
        "month-with-a-control-character",
        "6:15",
        "'assessed' holds the control character \\x1c: remove it",
    ),
    ("level-with-a-tab", "5:12", "'level' has spaces around it: write 'gold'"),
    (
        "website-port-with-leading-zeros",
        "3:10",
        "website 'https://example.org:00080/' has the port '00080', which is not a number from 1"
        " to 65535",
    ),
    (
        "website-port-empty",
        "3:10",
        "website 'https://example.org:/' has a ':' with no port after it: remove it",
    ),
    (
        "website-host-mixing-scripts",
        "3:10",
        "website 'https://exаmple.org/' mixes scripts in the part 'exаmple' of its host (a"
        " look-alike address): retype it",
    ),
    (
        "website-host-with-ideographic-full-stop",
        "3:10",
        "website 'https://example.org。com/' has a full stop other than '.' in its host",
    ),
    ("name-only-private-use-characters", "1:7", "'name' is empty"),
    ("name-with-line-separator", "1:7", "'name' holds the control character \\u2028: remove it"),
    (
        "control-character-in-a-comment",
        "3:8",
        "YAML syntax error: unacceptable character #x0007: control characters are not allowed",
    ),
    (
        "line-separator-in-a-comment",
        "3:9",
        "U+2028 LINE SEPARATOR reads as a line break that no editor shows: remove it",
    ),
    ("year-after-2199", "6:15", "'assessed': '2200-01' is too far in the future: check the year"),
    (
        "year-before-1990",
        "6:15",
        "'assessed': '1989-12' is too early: the labels began in the 2000s",
    ),
    (
        "unknown-awarding-body",
        "7:17",
        "unknown awarding body 'European Secretariat': use one of esca, eucles",
    ),
    (
        "awarding-body-in-capitals",
        "7:17",
        "unknown awarding body 'ESCA' (did you mean 'esca'?): use one of esca, eucles",
    ),
    *(
        (
            case,
            "4:7",
            f"eccp '{url}' is not a profile address on the European Cluster Collaboration"
            " Platform: copy the cluster's address there, such as"
            " https://clustercollaboration.eu/cluster-organisations/example-cluster",
        )
        for case, url in (
            ("eccp-not-on-the-platform", "https://example.org/"),
            (
                "eccp-over-http",
                "http://clustercollaboration.eu/cluster-organisations/example-cluster",
            ),
            ("eccp-platform-home-page", "https://clustercollaboration.eu/"),
            (
                "eccp-look-alike-host",
                "https://clustercollaboration.eu.example.net/cluster-organisations/x",
            ),
        )
    ),
]


@pytest.mark.parametrize(("case", "position", "message"), EXPECTED, ids=[e[0] for e in EXPECTED])
def test_bad_record_gets_one_clear_message(case, position, message):
    cluster, problems = load_record(BAD / f"{case}.yaml", VOCAB)
    assert cluster is None
    assert [p.format() for p in problems] == [f"{BAD / case}.yaml:{position}: error: {message}"]


def test_every_bad_fixture_has_an_expected_message():
    assert sorted(p.stem for p in BAD.glob("*.yaml")) == sorted(e[0] for e in EXPECTED)


def test_alias_bomb_is_refused_at_its_first_anchor(monkeypatch):
    # Counted in parser events, not seconds: refused on the first anchor, nothing is expanded.
    import generator.records.source as source

    events = []
    real = source._Loader.get_event

    def counting(loader):
        events.append(1)
        return real(loader)

    monkeypatch.setattr(source._Loader, "get_event", counting)
    cluster, problems = load_record(BAD / "alias-bomb.yaml", VOCAB)
    assert cluster is None and problems[0].message.startswith("anchors (&a) are not allowed")
    assert 1 <= len(events) <= 6


def test_check_reports_every_problem_of_every_file_in_one_run():
    catalog = load_catalog(BAD, RULES, VOCAB.sectors, day("2026-11-25"))
    assert catalog.count(Severity.ERROR) == len(EXPECTED)
    assert catalog.clusters == ()
    assert catalog.summary() == f"{len(EXPECTED)} records, {len(EXPECTED)} errors, 0 warnings"


def test_same_name_in_same_country_is_an_error_naming_both_files():
    folder = FIXTURES / "duplicate-name-same-country"
    catalog = load_catalog(folder, RULES, VOCAB.sectors, day("2026-11-25"))
    assert [d.format() for d in catalog.diagnostics] == [
        f"{folder}/second-record.yaml:1:7: error: 'example  cluster' in AT is already listed as 'Example Cluster' in "
        f"{folder}/first-record.yaml:1"
    ]


def test_same_file_name_in_two_folders_is_an_error(tmp_path: Path):
    good = (FIXTURES / "good" / "norway-is-no.yaml").read_text()
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "same-id.yaml").write_text(
            good.replace("Norsk", folder).replace("havklynge", f"havklynge-{folder}")
        )
    catalog = load_catalog(tmp_path, RULES, VOCAB.sectors, day("2026-11-25"))
    assert [d.message for d in catalog.diagnostics] == [
        f"cluster id 'same-id' is already used by {tmp_path}/a/same-id.yaml: rename one of the files"
    ]


def test_names_that_look_alike_in_one_country_are_one_name():
    # Cyrillic 'Р', 'а', 'у', a zero-width space and a fullwidth 'Ｃ' make a name that reads
    # as 'Paypal Cluster' (Unicode UTS #39 skeletons, with case and width folded).
    folder = FIXTURES / "confusable-names-same-country"
    catalog = load_catalog(folder, RULES, VOCAB.sectors, day("2026-11-25"))
    assert [d.format() for d in catalog.diagnostics] == [
        f"{folder}/latin-name.yaml:1:7: error: 'Paypal Cluster' in AT is already listed as"
        f" 'Раураl\\u200b Ｃluster' in {folder}/cyrillic-and-fullwidth.yaml:1"
    ]


def test_the_same_website_on_two_records_is_a_warning():
    folder = FIXTURES / "same-website-two-records"
    catalog = load_catalog(folder, RULES, VOCAB.sectors, day("2026-11-25"))
    assert [d.format() for d in catalog.diagnostics] == [
        f"{folder}/second-cluster.yaml:3:10: warning: website 'http://WWW.Shared.example.org' is"
        f" also the website of {folder}/first-cluster.yaml:3: one record per cluster"
    ]


WARNINGS = [
    (
        "assessed-after-build-date",
        "5:5",
        "assessed 2027-01 is later than the build date 2026-11-25",
    ),
    (
        "bronze-gap-too-short",
        "9:5",
        "the two BRONZE benchmarkings before the first SILVER (2022-01, 2023-01) are 12 months apart;"
        " they should be 18 to 24",
    ),
    (
        "description-with-a-personal-email-address",
        "4:14",
        "'description' holds 'maria.rossi@personal-address.example.org', which looks like a"
        " person's e-mail address: the register names organisations, not people; remove it, or"
        " give a functional address such as info@",
    ),
    (
        "description-with-a-phone-number",
        "4:14",
        "'description' holds '+49 30 1234 5678', which looks like a phone number: the register"
        " publishes none; remove it (the cluster's website gives its contacts)",
    ),
    (
        "name-begins-like-a-formula",
        "1:7",
        "'name' begins with '=', which spreadsheets run as a formula: the downloads show it after"
        " an apostrophe",
    ),
    (
        "renewals-stack",
        "7:5",
        "the BRONZE award of 2026-02 comes 1 month after the one of 2026-01: renewals stack, so the"
        " label now runs to 2030-12; check the months",
    ),
    (
        "renewals-stack",
        "9:5",
        "the BRONZE award of 2026-03 comes 1 month after the one of 2026-02: renewals stack, so the"
        " label now runs to 2033-12; check the months",
    ),
    (
        "silver-without-two-bronze",
        "5:5",
        "the first SILVER (2024-03) follows 0 BRONZE benchmarkings; it takes 2",
    ),
]


@pytest.mark.parametrize("strict", [False, True], ids=["warning", "strict: error"])
def test_rule_doubts_are_warnings_and_errors_under_strict(strict):
    folder = FIXTURES / "warnings"
    catalog = load_catalog(folder, RULES, VOCAB.sectors, day("2026-11-25"), strict=strict)
    severity = "error" if strict else "warning"
    assert [d.format() for d in catalog.diagnostics] == [
        f"{folder}/{case}.yaml:{pos}: {severity}: {msg}" for case, pos, msg in WARNINGS
    ]
    assert catalog.failed(strict) is strict


def test_a_record_with_every_field_keeps_its_eccp_profile_and_the_body_of_an_award():
    cluster, problems = load_record(FIXTURES / "good" / "every-field.yaml", VOCAB)
    assert problems == []
    assert cluster.eccp == (
        "https://clustercollaboration.eu/cluster-organisations/klaster-innowacji-zywnosci"
    )
    assert [a.awarded_by for a in cluster.awards] == [None, None, None, "eucles"]


@pytest.mark.parametrize(
    "address",
    [
        "https://clustercollaboration.eu/cluster-organisations/example-cluster",
        "https://www.clustercollaboration.eu/cluster-organisations/example-cluster",
        "https://clustercollaboration.eu/cluster-organisations/x-y_z%C3%A9?tab=profile",
    ],
)
def test_an_eccp_profile_on_the_platform_is_taken(tmp_path: Path, address):
    record = tmp_path / "profile.yaml"
    record.write_text(
        "name: Profile\ncountry: AT\nwebsite: https://x.example.org\n"
        f"eccp: {address}\nlabels:\n  - level: bronze\n    assessed: 2024-03\n"
    )
    cluster, problems = load_record(record, VOCAB)
    assert problems == [] and cluster.eccp == address


def test_yaml_one_one_traps_keep_the_text_written(tmp_path: Path):
    record = tmp_path / "traps.yaml"
    record.write_text(
        "name: 0123\ncountry: NO\nacronym: yes\nwebsite: https://x.example.org\n"
        "labels:\n  - level: bronze\n    assessed: 2024-03\n"
    )
    cluster, problems = load_record(record, VOCAB)
    assert problems == []
    assert (cluster.name, cluster.country, cluster.acronym) == ("0123", "NO", "yes")
    assert str(cluster.awards[0].assessed) == "2024-03"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_end_in_a_record_or_a_clear_error(data):
    root, problems = read_record("fuzz.yaml", data)
    if root is not None:
        cluster, problems = cluster_from_node("fuzz", "fuzz.yaml", root, VOCAB)
        assert (cluster is None) == any(p.severity is Severity.ERROR for p in problems)
    assert all(p.path == "fuzz.yaml" and p.line >= 1 and p.col >= 1 for p in problems)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab: -[]{}&*!#'\"\n\t,.?|>%@`0129")), max_size=200))
def test_any_yaml_like_text_ends_in_a_record_or_a_clear_error(text):
    root, problems = read_record("fuzz.yaml", text.encode())
    if root is not None:
        _, problems = cluster_from_node("fuzz", "fuzz.yaml", root, VOCAB)
    assert all(p.line >= 1 and p.col >= 1 and p.message for p in problems)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.one_of(
        st.binary(max_size=600),
        st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
        st.sampled_from(sorted(p.read_bytes() for p in (FIXTURES / "good").glob("*.yaml"))).flatmap(
            lambda good: st.tuples(
                st.integers(0, max(len(good) - 1, 0)), st.binary(min_size=1, max_size=8)
            ).map(lambda cut: good[: cut[0]] + cut[1] + good[cut[0] + 1 :])
        ),
    )
)
def test_check_command_survives_any_file(tmp_path_factory, capsys, data):
    from generator.cli import main

    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "fuzzed-record.yaml").write_bytes(data)
    code = main(["check", str(folder), "--as-of", "2026-11-25"])
    out, err = capsys.readouterr()
    assert code in (0, 1) and "Traceback" not in out + err and "internal error" not in err
    assert out.splitlines()[-1].startswith("1 record, ")
