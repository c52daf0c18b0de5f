"""CSV and XLSX that French (and English) Excel open as meant: bytes checked exactly, workbooks opened back."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from dashboard.spreadsheets import Col, Sheet, csv_bytes, sheet_name, write_whole, xlsx_bytes

SHEET = Sheet(
    name="Essai",
    frame=pl.DataFrame({
        "period": ["2024-Q1", "2024-03"],
        "structure": ['=HYPERLINK("x")', "Le Pont; Lyon"],
        "persons": [1234, 7],
        "rate": [0.4321, None],
        "mean": [2.25, -0.04],
        "change": [-2, 3],
    }),
    columns=(Col("period", "Période", "period"), Col("structure", "Structure"), Col("persons", "Personnes", "int"),
             Col("rate", "Taux", "rate"), Col("mean", "Moyenne", "decimal"), Col("change", "Évolution", "int")),
    hidden={"persons": [None, "< 11"], "rate": [None, "masqué"]},
)
PROVENANCE = [("Contenu", "Essai"), ("Critère : structure", "@S1")]


def test_french_csv_bytes() -> None:
    assert csv_bytes(SHEET, "fr", PROVENANCE) == (
        b"\xef\xbb\xbf"
        + "# Contenu;Essai\r\n"
          "# Critère : structure;'@S1\r\n"
          "Période;Structure;Personnes;Taux;Moyenne;Évolution\r\n"
          "T1 2024;\"'=HYPERLINK(\"\"x\"\")\";1234;0,43;2,3;-2\r\n"
          "mars 2024;\"Le Pont; Lyon\";< 11;masqué;0,0;3\r\n".encode()
    )


def test_english_csv_bytes() -> None:
    hidden = Sheet(SHEET.name, SHEET.frame, SHEET.columns, {"persons": [None, "< 11"], "rate": [None, "hidden"]})
    assert csv_bytes(hidden, "en") == (
        b"\xef\xbb\xbf"
        + "Période,Structure,Personnes,Taux,Moyenne,Évolution\r\n"
          "Q1 2024,\"'=HYPERLINK(\"\"x\"\")\",1234,0.43,2.3,-2\r\n"
          "Mar 2024,Le Pont; Lyon,< 11,hidden,0.0,3\r\n".encode()
    )


def test_a_line_break_or_a_lone_carriage_return_stays_inside_its_cell() -> None:
    sheet = Sheet("x", pl.DataFrame({"name": ["a\rb", "c\nd", '"q"']}), (Col("name", "Nom"),))
    assert csv_bytes(sheet, "fr") == b"\xef\xbb\xbfNom\r\n\"a\rb\"\r\n\"c\nd\"\r\n\"\"\"q\"\"\"\r\n"


def test_xlsx_has_number_formats_strings_and_the_provenance_sheet() -> None:
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(SHEET, "fr", PROVENANCE)))
    assert book.sheetnames == ["Essai", "Provenance"]
    sheet = book["Essai"]
    rows = [[(c.value, c.data_type, c.number_format) for c in row] for row in sheet.iter_rows()]
    assert [v for v, _, _ in rows[0]] == ["Période", "Structure", "Personnes", "Taux", "Moyenne", "Évolution"]
    assert rows[1] == [("T1 2024", "s", "General"), ('=HYPERLINK("x")', "s", "General"), (1234, "n", "#,##0"),
                       (0.4321, "n", "0%"), (2.25, "n", "#,##0.0"), (-2, "n", "#,##0")]
    assert [v for v, _, _ in rows[2]] == ["mars 2024", "Le Pont; Lyon", "< 11", "masqué", -0.04, 3]
    assert rows[2][2][1] == "s" and rows[2][3][1] == "s"  # hidden cells are text, never a number
    assert sheet.freeze_panes == "A2"
    assert [tuple(r) for r in book["Provenance"].iter_rows(values_only=True)] == PROVENANCE


def test_sheet_names_excel_accepts() -> None:
    assert sheet_name("Sorties [2024]: a/b?") == "Sorties _2024__ a_b_"
    assert sheet_name("x" * 40) == "x" * 31


def test_a_file_is_written_whole_or_not_at_all(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    write_whole(target, b"content")
    assert target.read_bytes() == b"content"
    with pytest.raises(FileNotFoundError):
        write_whole(tmp_path / "missing" / "out.xlsx", b"x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.xlsx"]  # no temporary file left behind
