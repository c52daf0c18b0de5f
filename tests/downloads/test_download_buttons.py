"""The page buttons in a real browser: the table's CSV is the French download with its provenance, the Excel its
workbook (the demo S app of tests/e2e)."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]
DRAWN = ("n => [...document.querySelectorAll('[data-testid=\"stPlotlyChart\"] .js-plotly-plot')]"
         ".filter(p => p.querySelector('.main-svg .cartesianlayer .subplot')).length >= n")
IDLE = "() => !document.querySelector('[data-testid=\"stStatusWidget\"] [data-testid=\"stStatusWidgetRunningIcon\"]')"


def test_the_exits_page_downloads_french_files(page, app: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    page.goto(f"{app}/exits")
    page.wait_for_function(DRAWN, arg=5, timeout=60_000)  # the page has run: the toggle is stable
    page.wait_for_function(IDLE)
    page.get_by_text("Afficher les tableaux détaillés").click(timeout=60_000)
    csv_button = page.get_by_role("button", name="Télécharger (CSV)").first
    csv_button.wait_for(timeout=60_000)
    with page.expect_download(timeout=60_000) as download:
        csv_button.click()
    raw = Path(download.value.path()).read_bytes()
    assert raw.startswith("\ufeff# Contenu;".encode())
    lines = raw.decode("utf-8-sig").split("\r\n")
    assert "# Version des définitions;" in "\n".join(lines)
    header = next(line for line in lines if not line.startswith("#"))
    assert header.startswith("Période;")
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Télécharger (Excel)").first.click()
    book = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert book.sheetnames[1] == "Provenance"
    notes = dict(book["Provenance"].iter_rows(values_only=True))
    assert notes["Données : dernier chargement"].startswith("n° 1 du ")
    assert any(label.startswith("Fichier (chargement 1)") for label in notes)
