"""An extract written as French CSV and as XLSX: headings, half-years in words, blanked cells, provenance."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import polars as pl

from dashboard.extracts import anonymise, extract_bytes, extract_notes

ROWS = [{"pid": i, "age_band": "26_44", "sex": "F", "anchor_date": date(2023, 8, 1), "structure": "S1", "territory": "T1",
         "program": "=CMD", "exit_group": "LOGEMENT", "months_to_exit": 7, "need_logement": "OUI", "need_emploi": None,
         "need_sante": "NON", "need_liens": None, "justice": "SOUS_MAIN_JUSTICE", "addictions": ("OUI", "NON")[i % 2]}
        for i in range(12)]


def _extract():  # noqa: ANN202
    records = pl.DataFrame(ROWS, schema_overrides={"need_emploi": pl.String, "need_liens": pl.String})
    return anonymise(records, k=11, structures=20)


def test_french_csv_of_an_extract() -> None:
    extract = _extract()
    raw = extract_bytes(extract, "csv", "fr", [("Contenu", "Essai")]).decode("utf-8-sig")
    lines = raw.split("\r\n")
    assert lines[0] == "# Contenu;Essai"
    assert lines[1] == (
        "Identifiant (propre à cet extrait);Période d'ancrage;Sexe;Tranche d'âge à l'ancrage;Territoire de la structure;"
        "Structure;Dispositif suivi;Sortie : groupe de destination;Mois de l'ancrage à la sortie;"
        "Besoin à l'entrée : logement;Besoin à l'entrée : emploi;Besoin à l'entrée : santé (hors addictions);"
        "Besoin à l'entrée : liens sociaux;Situation judiciaire;Besoin à l'entrée : addictions")
    body = [line.split(";") for line in lines[2:] if line]
    assert len(body) == 12
    # Every cell but the id; justice has one value in the class: hidden; the program is neutralised.
    assert {tuple(cells[1:-1]) for cells in body} == {
        ("S2 2023", "F", "26_44", "T1", "S1", "'=CMD", "LOGEMENT", "7", "OUI", "", "NON", "", "masqué")}
    assert sorted(cells[-1] for cells in body) == ["NON"] * 6 + ["OUI"] * 6


def test_xlsx_of_an_extract_in_english() -> None:
    extract = _extract()
    book = openpyxl.load_workbook(io.BytesIO(extract_bytes(extract, "xlsx", "en", extract_notes(extract, "en"))))
    assert book.sheetnames == ["extract", "Provenance"]
    first = [c for c in book["extract"][2]]
    assert (first[1].value, first[8].value, first[8].number_format, first[13].value) == ("H2 2023", 7, "#,##0", "hidden")
    notes = dict(book["Provenance"].iter_rows(values_only=True))
    assert notes["Persons in the cohort"] == "12"
    assert notes["Persons removed (could not be generalised to 11)"] == "0"
    assert notes["Published for 'place'"] == "structure and territory"
    assert notes["l-diversity"].endswith("(12 cell(s) hidden)")
