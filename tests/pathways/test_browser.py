"""The page Parcours et durées in a real Chromium, on the demo network (size S): the Sankey and the three time-to-exit
charts are drawn without an error, on a desktop and on a 390 px phone; screenshots go to artifacts/screenshots/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import SCREENSHOTS, build_demo_database, running_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SANKEY = '[data-testid="stPlotlyChart"] .js-plotly-plot .sankey'
CURVES_JS = (  # the time-to-exit charts have cartesian axes; the Sankey has none
    "n => [...document.querySelectorAll('[data-testid=\"stPlotlyChart\"] .js-plotly-plot')]"
    ".filter(p => p.querySelector('.main-svg .cartesianlayer .subplot')).length >= n"
)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("pathways-e2e")
    with running_app(build_demo_database(folder), folder / "streamlit.log") as base:
        yield base


@pytest.mark.parametrize(("width", "lang"), [(1400, "fr"), (390, "en")])
def test_page_draws_its_charts(app: str, browser, width: int, lang: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": width, "height": 1000}, locale="fr-FR")
    tab = context.new_page()
    tab.set_default_timeout(90_000)
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    try:
        tab.goto(f"{app}/pathways?lang={lang}&by=year&from=2024-01-01&to=2025-12-31")
        tab.wait_for_selector(SANKEY)
        tab.wait_for_function(CURVES_JS, arg=3)
        title = "Parcours et durées" if lang == "fr" else "Pathways and time to exit"
        assert tab.locator("h1").first.inner_text().strip() == title
        assert tab.locator(f"{SANKEY} .sankey-node").count() >= 6
        assert not tab.locator('[data-testid="stException"]').count() and not errors
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(Path(SCREENSHOTS) / f"pathways-{width}-{lang}.png"))
        charts = tab.locator('[data-testid="stPlotlyChart"]')
        for index in range(charts.count()):  # the page scrolls inside Streamlit's container: one image per chart
            charts.nth(index).scroll_into_view_if_needed()
            charts.nth(index).screenshot(path=str(Path(SCREENSHOTS) / f"pathways-{width}-{lang}-chart{index}.png"))
    finally:
        context.close()
