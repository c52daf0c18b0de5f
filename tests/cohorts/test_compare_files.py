"""The comparison as a file: French Excel conventions, hidden cells in words, the provenance naming the cohorts."""

import io
from datetime import UTC, datetime

import openpyxl
import pytest

from dashboard.cohorts import Cohort
from dashboard.compare import compare
from dashboard.compare_files import comparison_file
from dashboard.provenance import no_files
from tests.cohorts.test_cohorts import SPIP_2023, YEAR, data  # noqa: F401  (the module's fixture)

EVERYONE = Cohort(name="=Tous", anchor="referral", **YEAR)  # a name that a spreadsheet would read as a formula
MADE = datetime(2026, 12, 2, 9, 30, tzinfo=UTC)


@pytest.fixture
def result(data, monkeypatch):  # noqa: F811
    monkeypatch.setenv("PARCOURS_MIN_CELL", "2")
    monkeypatch.setenv("PARCOURS_MIN_CELL_PUBLISHED", "2")
    return compare(data, [SPIP_2023, EVERYONE], published=True)


def test_csv_in_french(data, result):  # noqa: F811
    text = comparison_file(result, data, "fr", "csv", no_files(), made_at=MADE).decode("utf-8-sig")
    lines = text.split("\r\n")
    provenance = [line for line in lines if line.startswith("#")]
    assert any("c1_source" in line and "SPIP" in line for line in provenance)
    assert any("2026-12-02 09:30 UTC" in line for line in provenance)
    table = [line for line in lines if line and not line.startswith("#")]
    assert table[0] == "Indicateur;Cohorte;Personnes;Effectif;Part;Écart;Borne basse (95 %);Borne haute (95 %)"
    # Exited within 12 months: SPIP 2 of 3; everyone 2 of 4 (P3 not followed long enough); k = 2.
    exited = [line for line in table if line.startswith("Sortis dans l'horizon")]
    assert exited[0] == "Sortis dans l'horizon;SPIP 2023;3;2;0,67;;;"
    assert exited[1].startswith("Sortis dans l'horizon;'=Tous;4;2;0,50;-0,17;")
    # One person in need at entry among 2 in cohort 1: under k = 2, the cell says so.
    practical = [line for line in table if line.startswith("En besoin pratique")][0]
    assert practical == "En besoin pratique à l'entrée;SPIP 2023;2;< 2;masqué;;;"


def test_xlsx_has_formats_and_provenance(data, result):  # noqa: F811
    book = openpyxl.load_workbook(io.BytesIO(comparison_file(result, data, "en", "xlsx", no_files(), made_at=MADE)))
    first, second = book.worksheets
    assert [c.value for c in first[1]] == ["Indicator", "Cohort", "Persons", "Count", "Share", "Difference",
                                           "Lower bound (95 %)", "Upper bound (95 %)"]
    rows = {(r[0].value, r[1].value): r for r in first.iter_rows(min_row=2)}
    exited = rows[("Exited within the horizon", "SPIP 2023")]
    assert exited[4].value == pytest.approx(0.67) and exited[4].number_format == "0%"
    assert rows[("Exited within the horizon", "=Tous")][1].data_type == "s"  # stored as text, never a formula
    assert any("c2_name" in str(c.value) for row in second.iter_rows() for c in row)
