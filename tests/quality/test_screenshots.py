"""The data-quality page in a real Chromium, French and English, desktop and phone (390 px): it renders without
an error, every table has rows, and the PNGs go to artifacts/screenshots/ to be looked at."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import ROOT, SCREENSHOTS, build_demo_database, running_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TITLES = {"fr": "Qualité des données", "en": "Data quality"}
SIZES = {"desktop": 1400, "phone": 390}


@pytest.fixture(scope="module")
def quality_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The S demo loaded, then loaded again (a second point on the trend, no new row: no arrival)."""
    folder = Path(tmp_path_factory.mktemp("quality-e2e"))
    url = build_demo_database(folder)
    done = subprocess.run([sys.executable, "-m", "etl", "load", str(folder / "demo-S")], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, env={**os.environ, "DATABASE_URL": url})
    assert done.returncode == 0, done.stderr
    with running_app(url, folder / "streamlit.log") as base:
        yield base


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_page_renders(browser, quality_app: str, lang: str, size: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": SIZES[size], "height": 900}, locale=f"{lang}-FR")
    page = context.new_page()
    page.set_default_timeout(45_000)
    try:
        page.goto(f"{quality_app}/quality" + ("?lang=en" if lang == "en" else ""))
        page.get_by_role("heading", name=TITLES[lang], exact=True).first.wait_for()
        page.locator('[data-testid="stTable"]').nth(3).wait_for()
        page.locator('[data-testid="stPlotlyChart"] .main-svg').first.wait_for()  # two loads: the trend is drawn
        page.wait_for_function(
            "() => !document.querySelector('[data-testid=\"stStatusWidget\"] [data-testid=\"stStatusWidgetRunningIcon\"]')"
        )
        assert page.locator('[data-testid="stException"]').count() == 0
        height = page.evaluate("() => (document.querySelector('[data-testid=\"stMain\"]') || document.body).scrollHeight")
        page.set_viewport_size({"width": SIZES[size], "height": min(max(int(height) + 40, 900), 9000)})
        page.wait_for_timeout(500)  # the grids redraw after the resize
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"quality-{lang}-{size}.png"))
    finally:
        context.close()
