"""Every page in a real browser: it renders its charts without an error, and
a click on a source in the Orientations chart filters the page (URL and figures)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.e2e.conftest import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHART = '[data-testid="stPlotlyChart"]'
DRAWN_JS = (  # charts whose plot area is drawn (each chart has several .main-svg layers: count plots, not layers)
    "n => [...document.querySelectorAll('[data-testid=\"stPlotlyChart\"] .js-plotly-plot')]"
    ".filter(p => p.querySelector('.main-svg .cartesianlayer .subplot')).length >= n"
)
# page -> (French title, fewest charts it must draw on the demo data)
PAGES = {
    "overview": ("Vue d'ensemble", 0),
    "referrals": ("Orientations", 5),
    "needs": ("Besoins", 5),
    "workshops": ("Ateliers", 6),
    "exits": ("Sorties", 5),
    "data": ("Données & définitions", 0),
}
N_REFERRALS = re.compile(r"n = ([\d\u202f\u00a0 ]+) orientations")


def wait_idle(page) -> None:  # type: ignore[no-untyped-def]
    """Wait until Streamlit has finished the current run (no "running" status shown)."""
    page.wait_for_selector('[data-testid="stAppViewContainer"]')
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"] [data-testid=\"stStatusWidgetRunningIcon\"]')"
    )


def wait_charts(page, count: int) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_function(DRAWN_JS, arg=count, timeout=45_000)


def no_error(page) -> None:  # type: ignore[no-untyped-def]
    errors = page.locator('[data-testid="stException"]')
    assert errors.count() == 0, errors.first.inner_text()


@pytest.mark.parametrize("key", list(PAGES))
def test_every_page_draws_its_charts(page, app: str, key: str) -> None:  # type: ignore[no-untyped-def]
    title, charts = PAGES[key]
    page.goto(f"{app}/" if key == "overview" else f"{app}/{key}")  # the default page lives at the root
    page.get_by_role("heading", name=title, exact=True).first.wait_for(timeout=45_000)
    if charts:
        wait_charts(page, charts)
    wait_idle(page)
    no_error(page)
    assert page.get_by_text("Page not found").count() == 0
    if key == "overview":  # eight key figures, each with its value
        page.locator('[data-testid="stMetric"]').nth(7).wait_for(timeout=45_000)
    if charts:
        first = page.locator(CHART).first.locator(".infolayer").text_content()
        assert "n = " in first  # every chart states its n
    screenshot(page, key)


def screenshot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """The whole page: the viewport grows to the height of Streamlit's scrolling main area first."""
    height = page.evaluate("() => (document.querySelector('[data-testid=\"stMain\"]') || document.body).scrollHeight")
    page.set_viewport_size({"width": 1400, "height": min(max(int(height) + 40, 1000), 9000)})
    page.wait_for_timeout(300)  # let Plotly finish redrawing after the resize
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def _referrals_n(page) -> int:  # type: ignore[no-untyped-def]
    text = page.locator(CHART).first.locator(".infolayer").text_content()
    found = N_REFERRALS.search(text)
    assert found, text
    return int(re.sub(r"\D", "", found.group(1)))


def test_clicking_a_source_filters_the_page(page, app: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{app}/referrals")
    wait_charts(page, 4)
    wait_idle(page)
    before = _referrals_n(page)
    bars = page.locator(CHART).first.locator(".barlayer .trace").first.locator(".point path")
    box = next(b for b in (bars.nth(i).bounding_box() for i in range(bars.count())) if b and b["height"] > 4)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url(re.compile(r"[?&]source=[A-Z_]+"), timeout=45_000)
    source = re.search(r"[?&]source=([A-Z_]+)", page.url).group(1)
    page.wait_for_function(
        "before => { const t = document.querySelector('[data-testid=\"stPlotlyChart\"] .infolayer');"
        " const m = t && t.textContent.match(/n = ([\\d\\u202f\\u00a0 ]+) orientations/);"
        " return m && parseInt(m[1].replace(/\\D/g, '')) < before; }",
        arg=before, timeout=45_000,
    )
    wait_idle(page)
    after = _referrals_n(page)
    assert 0 < after < before
    legend = page.locator(CHART).first.locator(".legend").text_content()
    assert "Autres" not in legend  # one source left: no "Others"
    no_error(page)
    screenshot(page, f"referrals-source-{source}")
    # Resetting the filters brings every source back: the old click is not applied again.
    page.get_by_role("button", name="Réinitialiser les filtres").click()
    page.wait_for_function(
        "before => { const t = document.querySelector('[data-testid=\"stPlotlyChart\"] .infolayer');"
        " const m = t && t.textContent.match(/n = ([\\d\\u202f\\u00a0 ]+) orientations/);"
        " return m && parseInt(m[1].replace(/\\D/g, '')) === before; }",
        arg=before, timeout=45_000,
    )
    wait_idle(page)
    assert "source=" not in page.url
    assert _referrals_n(page) == before


def test_english_switch_from_the_link(page, app: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{app}/exits?lang=en")
    page.get_by_role("heading", name="Exits", exact=True).first.wait_for(timeout=45_000)
    wait_charts(page, 3)
    wait_idle(page)
    text = page.locator(CHART).first.locator(".infolayer").text_content()
    assert "Exits by housing situation at exit" in text
    assert " exits" in text
    no_error(page)
    screenshot(page, "exits-en")


def test_tables_and_downloads_on_demand(page, app: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{app}/exits")
    wait_charts(page, 5)
    wait_idle(page)
    assert page.get_by_role("button", name="Télécharger (CSV)").count() == 0  # not built until asked
    page.get_by_text("Afficher les tableaux détaillés").click()
    page.get_by_role("button", name="Télécharger (CSV)").nth(2).wait_for(timeout=45_000)
    assert page.get_by_role("button", name="Télécharger (CSV)").count() == 3
    page.locator('[data-testid="stDataFrame"]').nth(2).wait_for(timeout=45_000)  # the grids may draw after the buttons
    assert page.locator('[data-testid="stDataFrame"]').count() == 3
    no_error(page)


def test_a_chart_downloads_as_a_png_drawn_on_the_server(page, app: str) -> None:  # type: ignore[no-untyped-def]
    """The PNG button gives the published version drawn by Kaleido; Plotly's camera (the screen version) is gone."""
    page.goto(f"{app}/exits")
    wait_charts(page, 5)
    wait_idle(page)
    assert page.locator(f'{CHART} .modebar-btn[data-title*="png" i]').count() == 0
    buttons = page.get_by_role("button", name="PNG", exact=True)
    assert buttons.count() == page.locator(CHART).count()
    with page.expect_download(timeout=90_000) as download:  # the first export starts the server's Chromium
        buttons.first.click()
    assert re.fullmatch(r"parcours_exits_by_housing_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.png", download.value.suggested_filename)
    image = Path(download.value.path()).read_bytes()
    assert image[:8] == b"\x89PNG\r\n\x1a\n" and image[12:16] == b"IHDR"
    assert int.from_bytes(image[16:20], "big") == 1400  # 700 layout pixels at scale 2
    no_error(page)
