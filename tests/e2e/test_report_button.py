"""The report buttons in a real browser: a click downloads the board report of the page's filters."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.e2e.test_pages import wait_charts, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def download(page, label: str, folder: Path) -> Path:  # type: ignore[no-untyped-def]
    with page.expect_download(timeout=180_000) as info:
        page.get_by_role("button", name=label).click()
    target = folder / info.value.suggested_filename
    info.value.save_as(target)
    return target


def test_the_powerpoint_of_the_page_filters(page, app: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from pptx import Presentation

    page.goto(f"{app}/exits?from=2025-01-01&to=2025-12-31&by=year")
    wait_charts(page, 3)
    wait_idle(page)
    deck = download(page, "Présentation (PowerPoint)", tmp_path)
    assert deck.name == "parcours_rapport_2025-01-01_2025-12-31.pptx"
    prs = Presentation(io.BytesIO(deck.read_bytes()))
    slides = list(prs.slides)
    assert len(slides) >= 5
    title = " | ".join(s.text_frame.text for s in slides[0].shapes if s.has_text_frame)
    assert "du 1er\u00a0janvier au 31\u00a0décembre 2025" in title
    assert slides[1].shapes.title.text_frame.text == "Chiffres clés"


def test_the_pdf_in_english(page, app: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{app}/?lang=en")
    page.locator('[data-testid="stMetric"]').nth(7).wait_for(timeout=45_000)
    wait_idle(page)
    pdf = download(page, "Report (PDF)", tmp_path)
    assert pdf.name.startswith("parcours_report_") and pdf.read_bytes()[:5] == b"%PDF-"
