"""`clusterdir import-csv`: every data row is written or reported with its physical line, always.

Rows in = records written + rows reported, over hostile lists: quotes and apostrophes inside
names and cities, `;` and `,` as separators and inside cells, a byte-order mark, quoted line
breaks that make a row span several lines, cells that a spreadsheet would run as formulas.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.editing.csvimport import plan_import, read_rows, row_draft
from generator.editing.drafts import Draft
from generator.labels.rules import load_rules, load_sectors
from generator.records.checks import SetIndex
from generator.records.records import Vocabulary
from tests.conftest import ROOT

RULES = load_rules()
VOCAB = Vocabulary(RULES.level_ids, load_sectors())
SCHEMA = ROOT / "schema" / "cluster.schema.json"
HEADER = ["Name", "Country", "www", "Label", "Assessed", "City"]


def _plan(text: str, data: Path):
    return plan_import(text, "list.csv", data, SCHEMA, VOCAB, 24, SetIndex())


# (case, the list, the lines of the rows it reports)
# fmt: off
HOSTILE = [
    ("apostrophes in names with ';' separators",
     "Name;Country;www;Label;Assessed;City\nL'Oréal d'Azur Cluster;FR;https://a.example.org;GOLD;2025-01;L'Isle\n'Quoted' Cluster;FR;https://b.example.org;GOLD;2025-01;Nice\n",
     []),
    ("a comma inside a quoted name with ',' separators",
     'Name,Country,www,Label,Assessed,City\n"Smith, Jones & Co Cluster",GB,https://c.example.org,SILVER,2025-02,"York, North"\n',
     []),
    ("an unquoted comma shifts the cells: reported, not guessed",
     "Name,Country,www,Label,Assessed,City\nSmith, Jones Cluster,GB,https://d.example.org,SILVER,2025-02,York\nNext Cluster,GB,https://e.example.org,SILVER,2025-02,Leeds\n",
     [2]),
    ("a quoted line break in a city: the row spans two lines, the next row keeps its line",
     'Name,Country,www,Label,Assessed,City\nBroken City Cluster,DE,https://f.example.org,GOLD,2025-03,"Ber\nlin"\nAfter Cluster,DE,https://g.example.org,GOLD,2025-03,Bonn\n"Last, Cluster",DE,,GOLD,2025-03,Köln\n',
     [2, 5]),
    ("doubled quotes inside a quoted cell",
     'Name,Country,www,Label,Assessed,City\n"The ""Best"" Cluster",IT,https://h.example.org,BRONZE,2025-04,Roma\n',
     []),
    ("a byte-order mark and Windows line endings",
     "\ufeffName,Country,www,Label,Assessed,City\r\nBOM Cluster,AT,https://i.example.org,BRONZE,2025-05,Wien\r\n",
     []),
    ("blank lines and a row of empty cells are not rows",
     "Name,Country,www,Label,Assessed,City\n\nBlank Around Cluster,AT,https://j.example.org,BRONZE,2025-05,Graz\n,,,,,\n\n",
     []),
    ("a formula in a name is written as text and warned about",
     'Name,Country,www,Label,Assessed,City\n"=HYPERLINK(""http://x"")",AT,https://k.example.org,BRONZE,2025-05,Linz\n',
     []),
    ("an unclosed quote swallows the rest: reported with the lines it spans",
     'Name,Country,www,Label,Assessed,City\n"Open Quote Cluster,AT,https://l.example.org,BRONZE,2025-05,Linz\nNext,AT,https://m.example.org,BRONZE,2025-05,Wels\n',
     [2]),
    ("EL and UK as EU lists write them",
     "Name,Country,www,Label,Assessed,City\nHellas Cluster,EL,https://n.example.org,GOLD,2025-06,Athina\nBritish Cluster,UK,https://o.example.org,GOLD,2025-06,Leeds\n",
     []),
]
# fmt: on


@pytest.mark.parametrize(("case", "text", "reported"), HOSTILE, ids=[c for c, _, _ in HOSTILE])
def test_every_row_is_written_or_reported_with_its_line(tmp_path, case, text, reported):
    plan = _plan(text, tmp_path / "clusters")
    assert [line for line, _ in plan.skipped] == reported, plan.skipped
    assert plan.rows == len(plan.planned) + len(plan.skipped)


def test_a_row_spanning_lines_says_which_lines(tmp_path):
    plan = _plan(HOSTILE[8][1], tmp_path / "clusters")
    assert plan.skipped == (
        (2, "the name cell runs over lines 2 to 3: check the quotes in the row"),
    )


def test_a_shifted_row_is_reported_with_what_to_do(tmp_path):
    plan = _plan(HOSTILE[2][1], tmp_path / "clusters")
    assert plan.skipped == (
        (
            2,
            "the row has 7 cells and the header 6: put quotes around a cell that holds the"
            " separator",
        ),
    )


def test_names_with_quotes_and_formulas_reach_the_record_as_written(tmp_path, capsys):
    source = tmp_path / "list.csv"
    source.write_text(HOSTILE[0][1] + "", encoding="utf-8")
    data = tmp_path / "clusters"
    assert main(["import-csv", str(source), "--data", str(data)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "2 rows: wrote 2 records, skipped 0 rows"
    assert main(["check", str(data), "--as-of", "2026-11-25"]) == 0
    record = (data / "fr" / "l-oreal-d-azur-cluster.yaml").read_text()
    assert "name: \"L'Oréal d'Azur Cluster\"" in record or "name: L'Oréal d'Azur Cluster" in record


NAME_CHARS = st.text(
    alphabet=st.sampled_from(list("Ab Çé'\"’;,|-=+@#\n\t")), min_size=1, max_size=24
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(
        st.tuples(NAME_CHARS, st.sampled_from(["DE", "FR", "Atlantis", "el", ""]), NAME_CHARS),
        min_size=1,
        max_size=12,
    ),
    separator=st.sampled_from([",", ";", "\t"]),
    bom=st.booleans(),
    crlf=st.booleans(),
)
def test_rows_in_equal_rows_written_plus_rows_reported(
    tmp_path_factory, rows, separator, bom, crlf
):
    # A correct RFC 4180 writer makes the list; each row's physical first line is counted here.
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n" if crlf else "\n")
    writer.writerow(HEADER)
    lines, line = [], 2
    data_rows = 0
    for number, (name, country, city) in enumerate(rows):
        cells = [name, country, f"https://r{number}.example.org", "BRONZE", "2025-01", city]
        text = io.StringIO()
        csv.writer(text, delimiter=separator, lineterminator="\n").writerow(cells)
        writer.writerow(cells)
        if any(c.strip() for c in cells):
            data_rows += 1
            lines.append(line)
        line += text.getvalue().count("\n")
    plan = _plan(("\ufeff" if bom else "") + buffer.getvalue(), tmp_path_factory.mktemp("d"))
    assert plan.rows == data_rows
    assert len(plan.planned) + len(plan.skipped) == data_rows
    assert sorted([n for n, _ in plan.planned] + [n for n, _ in plan.skipped]) == lines


def test_read_rows_counts_physical_lines():
    header, rows = read_rows('a,b\n"x\ny",1\n\nz,2\n', "t.csv")
    assert header == ["a", "b"]
    assert [(r.line, r.last_line, r.cells) for r in rows] == [
        (2, 3, ("x\ny", "1")),
        (5, 5, ("z", "2")),
    ]


# (case, the row's cells by field, the draft's name, country, level, assessed, or the reasons)
# fmt: off
ROWS = [
    ("a full row", {"name": "A", "country": "DE", "website": "https://a.example.org", "level": "GOLD", "assessed": "2025-03"}, ("A", "DE", "gold", "2025-03")),
    ("a country by name", {"name": "A", "country": "Latvia", "website": "w", "level": "silver", "assessed": "03/2025"}, ("A", "LV", "silver", "2025-03")),
    ("EL for Greece", {"name": "A", "country": "EL", "website": "w", "level": "bronze", "assessed": "2025-03"}, ("A", "GR", "bronze", "2025-03")),
    ("XK for Kosovo", {"name": "A", "country": "xk", "website": "w", "level": "bronze", "assessed": "2025-03"}, ("A", "XK", "bronze", "2025-03")),
    ("only valid until: a first award ending then", {"name": "A", "country": "DE", "website": "w", "level": "GOLD label", "valid_until": "31.05.2027"}, ("A", "DE", "gold", "2025-06")),
    ("nothing usable", {"name": "", "country": "Atlantis", "website": "", "level": "PLATINUM", "assessed": "soon"}, ["no name", "unknown country 'Atlantis'", "unknown label 'PLATINUM'", "assessed 'soon' is not a month"]),
    ("a year out of the directory's life", {"name": "A", "country": "DE", "website": "w", "level": "gold", "assessed": "05/1800"}, ["assessed '05/1800' is not a month"]),
    ("no website", {"name": "A", "country": "DE", "website": "", "level": "gold", "assessed": "2025-03"}, ["no website"]),
    ("an unknown sector", {"name": "A", "country": "DE", "website": "w", "level": "gold", "assessed": "2025-03", "sectors": "ICT; Robots"}, ["unknown sector 'Robots'"]),
    ("Arabic-Indic digits are not a month", {"name": "A", "country": "DE", "website": "w", "level": "gold", "assessed": "٢٠٢٥-٠٣"}, ["assessed '٢٠٢٥-٠٣' is not a month"]),
    ("31 February with dots is not a real date", {"name": "A", "country": "DE", "website": "w", "level": "gold", "valid_until": "31.02.2023"}, ["valid until '31.02.2023' is not a real date"]),
    ("31 February as YYYY-MM-DD is not a real date", {"name": "A", "country": "DE", "website": "w", "level": "gold", "valid_until": "2023-02-31"}, ["valid until '2023-02-31' is not a real date"]),
    ("30 February in valid until is not a real date", {"name": "A", "country": "DE", "website": "w", "level": "gold", "valid_until": "2026-02-30"}, ["valid until '2026-02-30' is not a real date"]),
    ("an assessed day that does not exist", {"name": "A", "country": "DE", "website": "w", "level": "gold", "assessed": "29/02/2023"}, ["assessed '29/02/2023' is not a real date"]),
    ("12/01/2023 is ambiguous: a US list's December, a European list's January", {"name": "A", "country": "DE", "website": "w", "level": "gold", "valid_until": "12/01/2023"}, ["valid until '12/01/2023' may be 12 January or 1 December 2023: write the month as YYYY-MM"]),
    ("an ambiguous assessment month", {"name": "A", "country": "DE", "website": "w", "level": "gold", "assessed": "03/04/2025"}, ["assessed '03/04/2025' may be 3 April or 4 March 2025: write the month as YYYY-MM"]),
    ("a slashed date whose first number is a day is certain", {"name": "A", "country": "DE", "website": "w", "level": "gold", "assessed": "31/05/2025"}, ("A", "DE", "gold", "2025-05")),
    ("a slashed date with day and month alike is certain", {"name": "A", "country": "DE", "website": "w", "level": "gold", "assessed": "05/05/2025"}, ("A", "DE", "gold", "2025-05")),
    ("29 February of a leap year is a real date", {"name": "A", "country": "DE", "website": "w", "level": "gold", "assessed": "29.02.2024"}, ("A", "DE", "gold", "2024-02")),
    ("a one-digit month is refused, as check refuses it", {"name": "A", "country": "DE", "website": "w", "level": "gold", "assessed": "2025-3"}, ["assessed '2025-3' is not a month"]),
]
# fmt: on


@pytest.mark.parametrize(("case", "cells", "expected"), ROWS, ids=[c for c, _, _ in ROWS])
def test_one_row_becomes_a_draft_or_its_reasons(case, cells, expected):
    draft = row_draft(cells, VOCAB.levels, VOCAB.sectors, 24)
    if isinstance(expected, list):
        assert draft == expected
    else:
        assert isinstance(draft, Draft)
        assert (draft.name, draft.country, draft.level, draft.assessed) == expected


def test_a_list_with_a_huge_cell_is_read_not_refused(tmp_path):
    cell = "x" * 200_000  # past the csv module's default field limit of 128 KiB
    text = (
        "Name,Country,www,Label,Assessed,City\n"
        + f'"{cell}",DE,https://h.example.org,GOLD,2025-01,Bonn\n'
    )
    plan = _plan(text, tmp_path / "clusters")
    assert plan.rows == 1 and len(plan.planned) + len(plan.skipped) == 1  # read, not an error


def test_an_unusable_header_is_quoted_short_on_one_line(tmp_path, capsys):
    source = tmp_path / "list.csv"
    source.write_text("Nom\u2028Pays\u2028" + "y" * 5000 + "\nA,B\n", encoding="utf-8")
    assert main(["import-csv", str(source), "--data", str(tmp_path / "c")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and len(err) < 400 and "\\u2028" in err


def test_a_record_written_meanwhile_skips_its_row_only(tmp_path, monkeypatch, capsys):
    # Another editor saves a record between the plan and the write: `write_text_file` refuses
    # that one (AlreadyExists), and the import goes on with the other rows.
    import generator.commands as commands

    real, calls = commands.write_text_file, []

    def another_editor_first(path, text, replace=False, **options):
        calls.append(path)
        if len(calls) == 1:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("name: theirs\n")
        return real(path, text, replace, **options)

    monkeypatch.setattr(commands, "write_text_file", another_editor_first)
    data = tmp_path / "clusters"
    source = ROOT / "tests" / "fixtures" / "import" / "old-list.csv"
    assert main(["import-csv", str(source), "--data", str(data)]) == 1
    out, err = capsys.readouterr()
    planned = len(calls)
    assert (
        out.splitlines()[-1] == f"11 rows: wrote {planned - 1} records, skipped {12 - planned} rows"
    )
    assert f"'{calls[0]}' already exists\n" in err
    assert "not written" not in err
    assert calls[0].read_text() == "name: theirs\n"


def test_import_csv_reports_days_that_do_not_exist_and_ambiguous_dates_with_their_lines(
    tmp_path, capsys
):
    source = tmp_path / "list.csv"
    source.write_text(
        "Name,Country,www,Label,Valid until\n"
        "Feb Dots Cluster,DE,https://a.example.org,GOLD,31.02.2023\n"
        "Feb Iso Cluster,DE,https://b.example.org,GOLD,2023-02-31\n"
        "Feb Thirty Cluster,DE,https://c.example.org,GOLD,2026-02-30\n"
        "Either Month Cluster,DE,https://d.example.org,GOLD,12/01/2023\n"
        "Good Cluster,DE,https://e.example.org,GOLD,31/05/2027\n",
        encoding="utf-8",
    )
    data = tmp_path / "clusters"
    assert main(["import-csv", str(source), "--data", str(data)]) == 1
    out, err = capsys.readouterr()
    assert err.splitlines() == [
        f"skipped {source}:2: valid until '31.02.2023' is not a real date",
        f"skipped {source}:3: valid until '2023-02-31' is not a real date",
        f"skipped {source}:4: valid until '2026-02-30' is not a real date",
        f"skipped {source}:5: valid until '12/01/2023' may be 12 January or 1 December 2023:"
        " write the month as YYYY-MM",
    ]
    assert out.splitlines()[-1] == "5 rows: wrote 1 record, skipped 4 rows"
    assert sorted(p.name for p in data.rglob("*.yaml")) == ["good-cluster.yaml"]
    assert main(["check", str(data), "--as-of", "2026-11-25"]) == 0  # what it wrote, check takes
