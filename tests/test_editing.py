"""The editors' commands: new, award, import-csv and report, with their bad input."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.editing.drafts import scalar, slugify
from tests.conftest import FIXTURES, ROOT

IMPORT = FIXTURES / "import" / "old-list.csv"


@pytest.fixture()
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "clusters"
    shutil.copytree(FIXTURES / "site", folder)
    return folder


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Klaster Przemysłu Spożywczego Łódź", "klaster-przemyslu-spozywczego-lodz"),
        ("Σύμπλεγμα Καινοτομίας Θεσσαλίας", "symplegma-kainotomias-thessalias"),
        ("İstanbul Yazılım Kümesi", "istanbul-yazilim-kumesi"),
        ("Straße & Mørekysten: Cluster!", "strasse-morekysten-cluster"),
        ("A" * 70, "a" * 60),
    ],
)
def test_slugs_are_ascii_transliterations(name, slug):
    assert slugify(name) == slug


@pytest.mark.parametrize(
    "text",
    [
        "NO",
        "yes",
        "2024-03",
        "a: b",
        "#x",
        " padded",
        "O'Brien",
        "https://x.example.org/a?b=c",
        "Łódź",
    ],
)
def test_scalars_read_back_as_written(text):
    from ruamel.yaml import YAML

    from generator.records.source import parse

    assert YAML(typ="safe").load(f"v: {scalar(text)}")["v"] == text  # a YAML 1.2 editor
    assert parse(f"v: {scalar(text)}").pairs[0][1].value == text  # our loader


def test_new_writes_a_valid_record_and_prints_its_path(data, capsys):
    code = main(
        [
            "new",
            "--name",
            "Klaster Przemysłu Łódź",
            "--country",
            "pl",
            "--website",
            "https://k.example.org",
            "--level",
            "bronze",
            "--assessed",
            "2026-10",
            "--data",
            str(data),
        ]
    )
    path = data / "pl" / "klaster-przemyslu-lodz.yaml"
    assert code == 0 and capsys.readouterr().out == f"{path}\n"
    text = path.read_text()
    assert text.startswith("# yaml-language-server: $schema=") and "country: PL\n" in text
    assert main(["check", str(data), "--as-of", "2026-11-25"]) == 0


def test_new_without_website_and_award_leaves_a_record_to_finish(data, capsys):
    assert main(["new", "--name", "Nordic Halfway", "--country", "NO", "--data", str(data)]) == 0
    assert "Now fill in website and labels" in capsys.readouterr().err
    assert (data / "no" / "nordic-halfway.yaml").exists()
    assert main(["check", str(data)]) == 1  # check stops it until it is finished


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--name", "Gold Cluster Rhein", "--country", "DE"],
            "a record with the id 'gold-cluster-rhein' exists already",
        ),
        (
            ["--name", "Gold Cluster Rhein", "--country", "AT"],
            "a record with the id 'gold-cluster-rhein' exists already",
        ),
        (["--name", "X Cluster", "--country", "QQ"], "unknown country code 'QQ'"),
        (
            ["--name", "X Cluster", "--country", "AT", "--website", "javascript:alert(1)"],
            "must start with http",
        ),
        (
            ["--name", "X Cluster", "--country", "AT", "--level", "gold"],
            "give --level and --assessed together",
        ),
        (
            ["--name", "X Cluster", "--country", "AT", "--level", "gold", "--assessed", "2024-13"],
            "has no month 13",
        ),
        (["--name", "!!!", "--country", "AT"], "cannot make a file name"),
    ],
)
def test_new_refuses_bad_input_and_writes_nothing(data, capsys, args, message):
    before = sorted(data.rglob("*"))
    assert main(["new", *args, "--data", str(data)]) == 1
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err
    assert sorted(data.rglob("*")) == before


# (case, the record file that holds the id already, relative to the records folder)
HELD_IDS = [
    ("a record with an error", "at/broken-cluster.yaml"),
    ("a record named .yml, which check does not read yet", "at/broken-cluster.yml"),
    ("a record whose file name is not an id until it is written small", "at/Broken-Cluster.yaml"),
]


def _broken_record(data: Path, relative: str) -> Path:
    path = data / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "name: Broken Cluster\ncountry: QQ\nwebsite: https://broken.example.org\n"
        "labels:\n  - level: gold\n    assessed: 2025-01\n"
    )
    return path


@pytest.mark.parametrize(("case", "relative"), HELD_IDS, ids=[c for c, _ in HELD_IDS])
def test_new_refuses_an_id_that_a_record_with_an_error_holds(data, capsys, case, relative):
    held = _broken_record(data, relative)
    before = sorted(data.rglob("*"))
    assert main(["new", "--name", "Broken Cluster", "--country", "DE", "--data", str(data)]) == 1
    assert capsys.readouterr().err == (
        f"clusterdir: error: a record with the id 'broken-cluster' exists already ({held}):"
        " nothing was written\n"
    )
    assert sorted(data.rglob("*")) == before


@pytest.mark.parametrize(("case", "relative"), HELD_IDS, ids=[c for c, _ in HELD_IDS])
def test_import_csv_refuses_an_id_that_a_record_with_an_error_holds(
    data, tmp_path, capsys, case, relative
):
    held = _broken_record(data, relative)
    source = tmp_path / "list.csv"
    source.write_text(
        "Name,Country,www,Label,Assessed\nBroken Cluster,DE,https://other.example.org,GOLD,2025-03\n"
    )
    before = sorted(data.rglob("*"))
    assert main(["import-csv", str(source), "--data", str(data)]) == 1
    assert capsys.readouterr().err == (
        f"skipped {source}:2: a record with the id 'broken-cluster' exists already ({held})\n"
    )
    assert sorted(data.rglob("*")) == before


def test_award_appends_keeps_comments_and_prints_the_new_status(data, capsys):
    path = data / "de" / "gold-cluster-rhein.yaml"
    path.write_text(
        "# Kept: a comment of the editor's.\n"
        + path.read_text().replace("city: Köln", "city: Köln  # the seat")
    )
    original = path.read_text()
    assert (
        main(
            [
                "award",
                str(path),
                "--level",
                "gold",
                "--assessed",
                "2027-03",
                "--as-of",
                "2027-03-15",
            ]
        )
        == 0
    )
    assert capsys.readouterr().out == f"{path}: GOLD, valid until 30 April 2030\n"
    assert path.read_text() == original + "  - level: gold\n    assessed: 2027-03\n"


def test_award_round_trips_every_sample_record_unchanged_but_for_the_award(tmp_path):
    from generator.editing.awarding import NewAward, add_award
    from generator.labels.rules import load_rules, load_sectors
    from generator.records.records import Vocabulary

    vocab = Vocabulary(load_rules().level_ids, load_sectors())
    for path in sorted((ROOT / "clusters").rglob("*.yaml")):
        text, _ = add_award(path, path.read_bytes(), NewAward("gold", "2026-11"), vocab)
        assert text == path.read_text() + "  - level: gold\n    assessed: 2026-11\n", path


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--level", "gold", "--assessed", "2027-13"], "--assessed: '2027-13' has no month 13"),
        (
            ["--level", "gold", "--assessed", "2027-03", "--valid-until", "2026-01"],
            "the award would make",
        ),
    ],
)
def test_award_refuses_what_would_break_the_record(data, capsys, args, message):
    path = data / "de" / "gold-cluster-rhein.yaml"
    original = path.read_bytes()
    assert main(["award", str(path), *args]) == 1
    assert message in capsys.readouterr().err
    assert path.read_bytes() == original


def test_award_on_a_record_with_errors_says_so_first(data, capsys):
    path = data / "de" / "gold-cluster-rhein.yaml"
    path.write_text(path.read_text().replace("country: DE", "country: QQ"))
    assert main(["award", str(path), "--level", "gold", "--assessed", "2027-03"]) == 1
    assert "has errors; fix them first" in capsys.readouterr().err


def test_import_csv_writes_new_records_and_names_every_skipped_row(data, capsys):
    assert main(["import-csv", str(IMPORT), "--data", str(data)]) == 1  # some rows were skipped
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        f"wrote {data}/lv/baltic-sea-robotics-cluster.yaml",
        f"wrote {data}/fr/cluster-energie-atlantique.yaml",
        f"wrote {data}/pl/klaster-logistyki-slaskiej.yaml",
        "11 rows: wrote 3 records, skipped 8 rows",
    ]
    assert err.splitlines() == [
        f"skipped {IMPORT}:5: unknown country 'Atlantis'",
        f"skipped {IMPORT}:6: valid until 'soon' is not a date",
        f"skipped {IMPORT}:7: no website",
        f"skipped {IMPORT}:8: a record with the id 'baltic-sea-robotics-cluster' exists already ({data}/lv/baltic-sea-robotics-cluster.yaml)",
        f"skipped {IMPORT}:9: unknown sector 'Robots'",
        f"skipped {IMPORT}:10: unknown label 'PLATINUM'",
        f"skipped {IMPORT}:11: website 'javascript:alert(1)' must start with http:// or https://",
        f"skipped {IMPORT}:12: valid until '05/1800' is not a date",
    ]
    record = (data / "lv" / "baltic-sea-robotics-cluster.yaml").read_text()
    assert "  - level: silver\n    assessed: 2025-06\n    valid_until: 2027-05\n" in record
    assert "derived from 'valid until'" in record
    assert (
        main(
            [
                "status",
                str(data / "pl" / "klaster-logistyki-slaskiej.yaml"),
                "--as-of",
                "2026-11-25",
            ]
        )
        == 0
    )
    assert capsys.readouterr().out == "BRONZE, valid until 30 September 2027\n"


def test_import_csv_never_overwrites_and_dry_run_writes_nothing(data, capsys):
    before = sorted(data.rglob("*"))
    main(["import-csv", str(IMPORT), "--data", str(data), "--dry-run"])
    assert sorted(data.rglob("*")) == before
    main(["import-csv", str(IMPORT), "--data", str(data)])
    written = {p: p.read_bytes() for p in data.rglob("*.yaml")}
    capsys.readouterr()
    main(["import-csv", str(IMPORT), "--data", str(data)])
    assert "wrote 0 records, skipped 11 rows" in capsys.readouterr().out
    assert {p: p.read_bytes() for p in data.rglob("*.yaml")} == written


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "is empty"),
        ("Name,Country\nA,DE\n", "no column for website, level"),
        ("\x00\x01garbage", "no column for"),
    ],
)
def test_import_csv_with_an_unusable_file_is_one_line(tmp_path, data, capsys, content, message):
    source = tmp_path / "list.csv"
    source.write_text(content)
    assert main(["import-csv", str(source), "--data", str(data)]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_report_lists_labels_ending_soon_and_in_renewal(capsys):
    assert (
        main(
            [
                "report",
                "--data",
                str(FIXTURES / "site"),
                "--as-of",
                "2026-11-25",
                "--months",
                "6",
                "--format",
                "csv",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert out.splitlines()[0] == (
        '"due","status","label","name","country","valid_until","renewable_until","file"'
    )  # every text cell quoted: no spreadsheet separator can cut one
    rows = list(csv.reader(io.StringIO(out)))
    assert [row[:4] for row in rows[1:]] == [
        ["2026-12-31", "ends soon", "BRONZE", "İstanbul Yazılım Kümesi"],
        ["2027-03-31", "in renewal", "BRONZE", "Malta Maritime Cluster"],
        ["2027-04-30", "ends soon", "GOLD", "Gold Cluster Rhein"],
        [
            "2027-05-31",
            "ends soon",
            "BRONZE",
            "<script>alert('x')</script> **Bold** [link](javascript:alert(1)) {{ 7*7 }} {% raw %} &amp; | x",
        ],
        ["2027-05-31", "in renewal", "SILVER", "Silver Cluster In Renewal"],
    ]


def test_report_table_has_a_title_and_aligned_columns(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "300")  # a terminal wide enough for every column
    assert (
        main(["report", "--data", str(FIXTURES / "site"), "--as-of", "2026-11-25", "--months", "1"])
        == 0
    )
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Labels ending by 2026-12-31, and labels in renewal, as of 2026-11-25"
    assert out[2].split() == [
        "due",
        "status",
        "label",
        "name",
        "country",
        "valid_until",
        "renewable_until",
        "file",
    ]
    assert len(out) == 6


def _report_lines(capsys, monkeypatch, columns: str | None, *args: str) -> list[str]:
    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)  # not a terminal here: the default width
    else:
        monkeypatch.setenv("COLUMNS", columns)
    monkeypatch.chdir(ROOT)  # the files as an editor sees them: clusters/de/...
    assert main(["report", "--data", "clusters", "--as-of", "2026-11-25", *args]) == 0
    return capsys.readouterr().out.splitlines()


@pytest.mark.parametrize("columns", [None, "100", "80", "60"])
def test_report_fits_the_terminal_and_100_columns_when_it_cannot_tell(capsys, monkeypatch, columns):
    from generator.editing.report import _cells

    lines = _report_lines(capsys, monkeypatch, columns, "--months", "12")
    width = int(columns or 100)
    assert max(map(_cells, lines)) <= width
    # The sample records' names and files are too long for one line: the file goes under.
    head = lines.index("") + 1  # after the title, which a narrow terminal wraps
    assert lines[head].split() == ["due", "status", "label", "country", "name"]
    assert lines[head + 1].strip() == "file"
    assert lines[head + 3].startswith(("  clusters/", "  …")) and lines[-1].endswith(".yaml")
    if columns == "60":
        assert any(line.endswith("…") for line in lines)  # long names are shortened


def test_report_leaves_out_the_dates_first_when_that_is_enough(capsys, monkeypatch):
    lines = _report_lines(capsys, monkeypatch, "200", "--months", "12")
    assert lines[2].split() == ["due", "status", "label", "name", "country", "file"]
    assert max(map(len, lines)) <= 200


def test_report_says_when_no_label_ends(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    command = ["report", "--data", str(FIXTURES / "good"), "--as-of", "2019-01-01"]
    assert main([*command, "--months", "2"]) == 0
    assert capsys.readouterr().out == (
        "No label ends before 2019-04-01, and none is in renewal, as of 2019-01-01.\n"
    )


def test_records_written_by_the_editors_commands_are_readable_by_others(data):
    assert (
        main(
            [
                "new",
                "--name",
                "Mode Check",
                "--country",
                "AT",
                "--website",
                "https://m.example.org",
                "--level",
                "bronze",
                "--assessed",
                "2026-01",
                "--data",
                str(data),
            ]
        )
        == 0
    )
    assert (data / "at" / "mode-check.yaml").stat().st_mode & 0o044 == 0o044


def _linked_country_folder(data: Path, tmp_path: Path) -> Path:
    """The records folder's `lv/` as a link to a folder outside it, as a hostile user plants."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (data / "lv").symlink_to(elsewhere)
    return elsewhere


def test_new_never_writes_through_a_linked_country_folder(data, tmp_path, capsys):
    elsewhere = _linked_country_folder(data, tmp_path)
    code = main(["new", "--name", "Linked Cluster", "--country", "LV", "--data", str(data)])
    assert code == 1
    assert capsys.readouterr().err == (
        f"clusterdir: error: '{data}/lv' is a link to a folder, which check does not follow:"
        " nothing was written\n"
    )
    assert list(elsewhere.iterdir()) == []


def test_import_never_writes_through_a_linked_country_folder(data, tmp_path, capsys):
    elsewhere = _linked_country_folder(data, tmp_path)
    code = main(["import-csv", str(IMPORT), "--data", str(data)])
    err = capsys.readouterr().err
    assert code == 1
    assert (
        f"skipped {IMPORT}:2: '{data}/lv' is a link to a folder, which check does not follow\n"
        in err
    )
    assert list(elsewhere.iterdir()) == []


def test_a_country_folder_swapped_for_a_link_after_the_check_is_not_written_through(tmp_path):
    # The record's folder is opened from the records folder without following a link, so a
    # swap between the command's check and its write lands nothing outside.
    from generator.build.writer import write_text_file
    from generator.core.errors import ClusterdirError

    data = tmp_path / "clusters"
    data.mkdir()
    elsewhere = _linked_country_folder(data, tmp_path)  # as if made after the command's check
    with pytest.raises(ClusterdirError) as caught:
        write_text_file(data / "lv" / "x.yaml", "name: X\n", inside=data)
    assert str(caught.value) == (
        f"'{data}/lv' is a link to a folder, which check does not follow: nothing was written"
    )
    assert list(elsewhere.iterdir()) == []
