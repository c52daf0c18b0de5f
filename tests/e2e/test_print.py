"""Printing a page gives a clean A4: no sidebar, no toolbar, no buttons; cards two a row; charts at the page width.

Chromium prints headless: ``page.emulate_media(media="print")`` then ``page.pdf(format="A4")``. ``page.pdf``
fires ``beforeprint`` like Ctrl+P does, so dashboard/ui/print.js zooms each chart to the printed width. The
window is 1 000 pixels wide (a laptop); in print media the sidebar goes, so the charts are redrawn on the
whole width first, as they are when a reader closes the sidebar before printing. The pages are kept as
images in artifacts/screenshots/print-*.png to look at.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.e2e.conftest import SCREENSHOTS
from tests.e2e.test_pages import wait_charts, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.slow]

A4_POINTS = (595.3, 841.9)  # 210 x 297 mm
PRINT_WIDTH = 700  # dashboard/ui/print.js


def pdf_pages(pdf: Path) -> tuple[int, tuple[int, int], str]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    size = next(line for line in info.splitlines() if line.startswith("Page size:")).split()
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return pages, (float(size[2]), float(size[4])), text


def print_page(page, name: str, tmp_path: Path) -> tuple[int, tuple[int, int], str]:  # type: ignore[no-untyped-def]
    page.emulate_media(media="print")
    page.wait_for_timeout(500)  # Streamlit redraws the charts on the width the sidebar gave back
    pdf = tmp_path / f"{name}.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob(f"print-{name}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "70", str(pdf), str(SCREENSHOTS / f"print-{name}")], check=True, timeout=60)
    return pdf_pages(pdf)


def hidden_in_print(page, selector: str) -> bool:  # type: ignore[no-untyped-def]
    items = page.locator(selector)
    return all(not items.nth(i).is_visible() for i in range(items.count()))


def test_the_overview_prints_without_the_sidebar(page, app: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": 1000, "height": 1000})
    page.goto(f"{app}/")
    page.locator('[data-testid="stMetric"]').nth(7).wait_for(timeout=45_000)
    wait_idle(page)
    assert page.locator('[data-testid="stSidebar"]').is_visible()  # on screen: the filters and the report buttons
    assert page.get_by_role("button", name="Présentation (PowerPoint)").is_visible()

    pages, size, text = print_page(page, "overview", tmp_path)
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    for selector in ('[data-testid="stHeader"]', '[data-testid="stToolbar"]', '[data-testid="stDownloadButton"]'):
        assert hidden_in_print(page, selector), selector
    # Cards two a row, none squeezed: each at least 40 % of the printed width.
    widths = page.evaluate(
        "() => [...document.querySelectorAll('[data-testid=\"stMetric\"]')].map(m => m.getBoundingClientRect().width)"
    )
    main = page.evaluate("() => document.querySelector('[data-testid=\"stMainBlockContainer\"]').getBoundingClientRect().width")
    assert len(widths) == 8 and all(w >= 0.4 * main for w in widths), (widths, main)
    assert size == pytest.approx(A4_POINTS, abs=1)
    assert pages <= 3
    assert "Vue d'ensemble" in text and "Orientations reçues" in text and "Période précédente" in text
    assert "Filtres" not in text and "Rapport (PDF)" not in text  # the sidebar stays on screen


def test_a_page_of_charts_prints_them_at_the_page_width(page, app: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": 1000, "height": 1000})
    page.goto(f"{app}/referrals")
    wait_charts(page, 5)
    wait_idle(page)
    pages, size, text = print_page(page, "referrals", tmp_path)
    assert size == pytest.approx(A4_POINTS, abs=1) and pages >= 2
    assert "Orientations reçues, par source" in text
    assert "Filtres" not in text
    # After printing, the charts are back to their screen size; just before, each is zoomed to the printed width.
    assert page.evaluate("() => [...document.querySelectorAll('[data-testid=\"stPlotlyChart\"]')].every(c => !c.style.zoom)")
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    printed = page.evaluate(  # the drawing (Plotly's first SVG layer), as the page gets it
        "() => [...document.querySelectorAll('[data-testid=\"stPlotlyChart\"] .main-svg:first-of-type')]"
        ".map(s => s.getBoundingClientRect().width)"
    )
    assert len(printed) >= 5 and all(w == pytest.approx(PRINT_WIDTH, abs=2) for w in printed), printed
    page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
