"""``python -m dashboard extract``: the file a researcher takes away, opened back as Excel and as French CSV."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import create_engine, text

from dashboard.cohorts import Cohort, members
from dashboard.data import Data
from dashboard.definitions import VERSION
from dashboard.extract_cli import main

pytestmark = pytest.mark.slow  # the generated dataset (demo M) is written and loaded once per session
ROOT = Path(__file__).resolve().parents[2]
SPIP_2023 = ["--anchor", "referral", "--anchor-from", "2023-01-01", "--anchor-to", "2023-12-31", "--source", "SPIP",
             "--cohort-name", "SPIP 2023"]


def _files(url: str) -> list[tuple[str, str]]:
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT file_name, sha256 FROM load_files ORDER BY file_name")).all()
    engine.dispose()
    return [tuple(r) for r in rows]


def test_xlsx_extract_has_typed_cells_and_its_provenance(m_url: str, m_data: Data, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", m_url)
    out, err = tmp_path / "spip.xlsx", io.StringIO()
    assert main([*SPIP_2023, "--out", str(out)], err) == 0, err.getvalue()
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["extrait", "Provenance"]
    sheet = book["extrait"]
    header = [c.value for c in sheet[1]]
    assert header[:6] == ["Identifiant (propre à cet extrait)", "Période d'ancrage", "Sexe", "Tranche d'âge à l'ancrage",
                          "Territoire de la structure", "Structure"]
    months = header.index("Mois de l'ancrage à la sortie")
    cells = [row[months] for row in sheet.iter_rows(min_row=2) if row[months].value is not None]
    assert cells and all(c.data_type == "n" and c.number_format == "#,##0" and c.value == int(c.value) for c in cells)
    assert all(row[0].data_type == "s" for row in sheet.iter_rows(min_row=2))

    notes = {row[0].value: row[1].value for row in book["Provenance"].iter_rows()}
    cohort = Cohort(anchor="referral", start=date(2023, 1, 1), end=date(2023, 12, 31), source="SPIP")
    size = members(m_data, cohort).height
    rows = sheet.max_row - 1
    assert notes["Contenu"] == "Extrait individuel protégé : SPIP 2023"
    assert notes["Critère : origine"] == "SPIP" and notes["Critère : du"] == "2023-01-01"
    assert notes["Version des définitions"] == str(VERSION)
    assert notes["Seuil appliqué"].startswith("11 personnes (publication")
    assert notes["Personnes de la cohorte"] == str(size)
    assert notes["Lignes de l'extrait"] == str(rows)
    assert notes["Personnes retirées (non généralisables à 11)"] == str(size - rows)
    assert notes["Données : dernier chargement"].startswith("n° 1 du ")
    files = [value for label, value in book["Provenance"].iter_rows(values_only=True) if label == "Fichier (chargement 1)"]
    assert [(f.split(" — ")[0], f.rsplit("SHA-256 ", 1)[1]) for f in files] == _files(m_url)
    assert f"Extrait écrit dans {out} : {rows} ligne(s)" in err.getvalue()


def test_csv_extract_reads_in_french_excel_conventions(m_url: str, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", m_url)
    out = tmp_path / "cohorte.csv"
    assert main(["--anchor", "entry", "--anchor-from", "2024-01-01", "--anchor-to", "2024-12-31", "--out", str(out)],
                io.StringIO()) == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf# Contenu;Extrait individuel prot\xc3\xa9g\xc3\xa9 : -\r\n")
    lines = raw.decode("utf-8-sig").split("\r\n")
    table = [line for line in lines if line and not line.startswith("# ")]
    cells = list(csv.reader(table, delimiter=";"))
    assert cells[0][:3] == ["Identifiant (propre à cet extrait)", "Période d'ancrage", "Sexe"]
    assert all(len(row) == len(cells[0]) for row in cells)
    periods = {row[1] for row in cells[1:]}
    assert periods <= {"S1 2024", "S2 2024", "2024", ""}, periods
    justice = cells[0].index("Situation judiciaire")
    assert {row[justice] for row in cells[1:]} <= {"AUCUNE", "SORTANT_DETENTION", "SOUS_MAIN_JUSTICE", "NR", "masqué"}


def test_a_cohort_too_small_writes_no_file(m_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", m_url)
    out, err = tmp_path / "petite.xlsx", io.StringIO()
    assert main(["--anchor", "referral", "--anchor-from", "2023-01-01", "--anchor-to", "2023-01-31", "--source", "SPIP",
                 "--sex", "F", "--out", str(out), "--lang", "en"], err) == 0
    assert not out.exists()
    assert "fewer than 11 persons" in err.getvalue() and "no file written" in err.getvalue()


@pytest.mark.parametrize(("argv", "message"), [
    (["--out", "x.xlsx"], "un extrait décrit une cohorte"),
    (["--anchor", "referral"], "--out FICHIER.xlsx"),
    (["--anchor", "referral", "--out", "x.pdf"], "--format : « pdf » invalide"),
    (["--anchor", "nulle-part", "--out", "x.xlsx"], "critère de cohorte anchor"),
    (["--anchor", "referral", "--sex", "F", "--sex", "M", "--out", "x.xlsx"], "--sex : une seule valeur"),
])
def test_invalid_input_exits_2_with_a_message(argv: list[str], message: str, m_url: str,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", m_url)
    err = io.StringIO()
    assert main(argv, err) == 2
    assert message in err.getvalue()
    assert "Traceback" not in err.getvalue()


def test_the_module_command_runs(m_url: str, tmp_path: Path) -> None:
    out = tmp_path / "x.xlsx"
    done = subprocess.run([sys.executable, "-m", "dashboard", "extract", *SPIP_2023, "--out", str(out), "--lang", "en"],
                          cwd=ROOT, env={**os.environ, "DATABASE_URL": m_url}, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert openpyxl.load_workbook(out).sheetnames == ["extract", "Provenance"]
