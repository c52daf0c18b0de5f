"""The page downloads of a published table: French CSV and XLSX with labels, hidden cells and provenance."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from sqlalchemy import create_engine, text

from dashboard.cli import main as figures_main
from dashboard.data import Data
from dashboard.definitions import VERSION
from dashboard.disclosure import figures
from dashboard.filters import Filters
from dashboard.provenance import no_files
from dashboard.ui.downloads import table_file
from tests.metrics.fixtures import make_data

ROOT = Path(__file__).resolve().parents[2]
YEAR = Filters(start=date(2024, 1, 1), end=date(2024, 12, 31), by="year")
MADE = datetime(2026, 12, 2, 6, 0, tzinfo=UTC)
PROVENANCE_FR = (
    "# Contenu;{what}\r\n"
    "# Date de production;2026-12-02 06:00 UTC\r\n"
    "# Critère : du;2024-01-01\r\n"
    "# Critère : au;2024-12-31\r\n"
    "# Critère : granularité;year\r\n"
    "# Données : dernier chargement;aucun chargement enregistré\r\n"
    f"# Version des définitions;{VERSION}\r\n"
    "# Protection des personnes;exact : chiffres non perturbés (responsables des données seulement), seuils appliqués\r\n"
    "# Seuil appliqué;\"11 personnes (publication ; 5 à l'écran)\"\r\n"
)


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Data:
    """40 persons referred in 2024: 36 by the SIAO (24 accepted, 12 refused, decided in 10 days), 4 by a CCAS
    (pending); 24 of them stayed from 15 March to 30 September 2024 (199 days), 12 leaving to housing."""
    persons = [f"P{i:02d}" for i in range(40)]
    referrals = [{"person_id": p, "referral_date": "2024-03-01", "source": "SIAO", "decision_date": "2024-03-11",
                  "decision": "ACCEPTEE" if i < 24 else "REFUSEE"} for i, p in enumerate(persons[:36])]
    referrals += [{"person_id": p, "referral_date": "2024-04-01", "source": "CCAS", "decision": "EN_ATTENTE"}
                  for p in persons[36:]]
    supports = [{"person_id": p, "program": "HEBERGEMENT_INSERTION", "entry_date": "2024-03-15",
                 "exit_date": "2024-09-30", "exit_reason": "ACCES_SOLUTION",
                 "exit_housing": "LOGEMENT_AUTONOME" if i < 12 else "HEBERGEMENT_URGENCE"}
                for i, p in enumerate(persons[:24])]
    return make_data(tmp_path_factory.mktemp("tables"), referrals=referrals, support_periods=supports)


def test_french_csv_of_referrals_by_source(data: Data) -> None:
    published = figures("referrals-by-source", data, YEAR, published=True)
    raw = table_file(published, data, YEAR, "fr", "csv", no_files(), MADE)
    assert raw == ("\ufeff" + PROVENANCE_FR.format(what="Orientations par source (referrals-by-source)")
                   + "Période;Origine (code);Origine;Orientations;Acceptées;Refusées;Taux d'acceptation;"
                     "Délai médian de décision (jours)\r\n"
                     "2024;CCAS;CCAS;< 11;0;0;;\r\n"  # 4 persons: under 11; no decision, so no rate nor delay
                     "2024;SIAO;SIAO / 115;36;24;12;0,67;10\r\n"
                     "2024;TOTAL;Total;40;24;12;0,67;10\r\n").encode()


def test_english_csv_keeps_commas_and_dots(data: Data) -> None:
    published = figures("exits", data, YEAR, published=True)
    lines = table_file(published, data, YEAR, "en", "csv", no_files(), MADE).decode("utf-8-sig").split("\r\n")
    table = [line for line in lines if line and not line.startswith("#")]
    assert table == [
        "Period,Program (code),Program,Exits,Exits to housing,Rate of exits to housing,Dynamic exits,Dynamic exit rate,"
        "Median stay (days)",
        "2024,HEBERGEMENT_INSERTION,Transitional housing,24,12,0.50,0,0.00,199",
        "2024,TOTAL,Total,24,12,0.50,0,0.00,199",
    ]


def test_xlsx_of_the_overview_formats_each_row_as_its_figure(data: Data) -> None:
    published = figures("overview", data, YEAR, published=True)
    files = pl.DataFrame({"load_id": [1], "file_name": ["personnes.csv"], "table_name": ["personnes"],
                          "sha256": ["ab" * 32], "rows": [40]})
    book = openpyxl.load_workbook(io.BytesIO(table_file(published, data, YEAR, "fr", "xlsx", files, MADE)))
    assert book.sheetnames == ["Vue d'ensemble", "Provenance"]
    rows = {row[0].value: row for row in book["Vue d'ensemble"].iter_rows(min_row=2)}
    assert [c.value for c in book["Vue d'ensemble"][1]] == ["Indicateur (code)", "Indicateur", "Valeur",
                                                             "Période précédente", "Évolution", "Effectif (n)"]
    referrals, housing = rows["referrals"], rows["housing_positive_rate"]
    assert (referrals[1].value, referrals[2].value, referrals[2].number_format) == ("Orientations reçues", 40, "#,##0")
    assert (housing[2].value, housing[2].number_format, housing[2].data_type) == (0.5, "0%", "n")  # shows 50 %
    assert (housing[5].value, housing[5].number_format) == (24, "#,##0")
    notes = {label: value for label, value in book["Provenance"].iter_rows(values_only=True)}
    assert notes["Contenu"] == "Vue d'ensemble (overview)"
    assert notes["Date de production"] == "2026-12-02 06:00 UTC"
    assert notes["Fichier (chargement 1)"] == f"personnes.csv — table personnes — 40 lignes — SHA-256 {'ab' * 32}"
    assert notes["Version des définitions"] == str(VERSION)
    assert notes["Seuil appliqué"] == "11 personnes (publication ; 5 à l'écran)"


def _load_files(url: str) -> list[tuple[str, str]]:
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT file_name, sha256 FROM load_files ORDER BY file_name")).all()
    engine.dispose()
    return [(r[0], r[1]) for r in rows]


def test_command_line_workbook_carries_the_loaded_files(s_url: str, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", s_url)
    out, err = tmp_path / "sorties.xlsx", io.StringIO()
    argv = ["figures", "exits", "--by", "year", "--from", "2024-01-01", "--to", "2024-12-31", "--format", "xlsx",
            "--out", str(out), "--lang", "en"]
    assert figures_main(argv, io.StringIO(), err) == 0, err.getvalue()
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Exits", "Provenance"]
    assert [c.value for c in book["Exits"][1]][:4] == ["Period", "Program (code)", "Program", "Exits"]
    files = [value for label, value in book["Provenance"].iter_rows(values_only=True) if label == "File (load 1)"]
    assert [(f.split(" — ")[0], f.rsplit("SHA-256 ", 1)[1]) for f in files] == _load_files(s_url)
    notes = {label: value for label, value in book["Provenance"].iter_rows(values_only=True)}
    assert notes["Criterion: granularity"] == "year"
    assert notes["Data: last load"].startswith("no. 1 of ")


def test_command_line_machine_csv_is_unchanged(s_url: str) -> None:
    done = subprocess.run([sys.executable, "-m", "dashboard", "figures", "exits", "--by", "year", "--from", "2024-01-01",
                           "--to", "2024-12-31"], cwd=ROOT, env={**os.environ, "DATABASE_URL": s_url},
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == ("period,program,exits,housing_positive,housing_positive_rate,dynamic_exits,"
                                           "dynamic_exit_rate,median_stay_days")
    assert not done.stdout.startswith("\ufeff")


def test_xlsx_without_a_file_is_refused(s_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", s_url)
    err = io.StringIO()
    assert figures_main(["figures", "exits", "--format", "xlsx"], io.StringIO(), err) == 2
    assert "--out FICHIER.xlsx" in err.getvalue()
