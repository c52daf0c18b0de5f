"""Hostile links in a real browser: dates out of the calendar's range open the page on the
data's range, with its charts, and nothing of the server (traceback, paths) shows."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHART = '[data-testid="stPlotlyChart"]'
DRAWN_JS = (  # charts whose plot area is drawn (as in test_pages.py)
    "n => [...document.querySelectorAll('[data-testid=\"stPlotlyChart\"] .js-plotly-plot')]"
    ".filter(p => p.querySelector('.main-svg .cartesianlayer .subplot')).length >= n"
)
LEAKS = ("Traceback", "/work", "site-packages", "OverflowError", "ValueError", "out of range", "File \"")


def wait_idle(page) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_selector('[data-testid="stAppViewContainer"]')
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"] [data-testid=\"stStatusWidgetRunningIcon\"]')"
    )


def assert_clean(page) -> None:  # type: ignore[no-untyped-def]
    assert page.locator('[data-testid="stException"]').count() == 0
    text = page.locator("body").inner_text()
    assert [leak for leak in LEAKS if leak in text] == []
    assert "erreur inattendue" not in text


@pytest.mark.parametrize(("path", "title", "charts"), [
    ("referrals?to=9999-12-31", "Orientations", 5),
    ("exits?from=0001-01-01&to=9999-12-31", "Sorties", 5),
    ("?from=0001-01-01", "Vue d'ensemble", 0),
])
def test_dates_out_of_range_open_the_page_with_its_charts(page, app: str, path: str, title: str,  # type: ignore[no-untyped-def]
                                                           charts: int) -> None:
    page.goto(f"{app}/{path}")
    page.get_by_role("heading", name=title, exact=True).first.wait_for(timeout=45_000)
    if charts:
        page.wait_for_function(DRAWN_JS, arg=charts, timeout=45_000)
    else:  # the overview: its key-figure cards
        page.locator('[data-testid="stMetric"]').nth(7).wait_for(timeout=45_000)
    wait_idle(page)
    assert_clean(page)
    # The link now carries the data's range, not the dates asked for.
    page.wait_for_url(re.compile(r"[?&](from|to)=\d{4}-\d{2}-\d{2}"), timeout=15_000)
    assert "9999" not in page.url and "0001-01-01" not in page.url
