"""Issue 10's rough edges in a real Chromium: offline, Plotly in French, the default page under its own name,
and each changed page in French and English on a desktop and a phone (screenshots in artifacts/screenshots)."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import SCREENSHOTS
from tests.e2e.test_pages import DRAWN_JS, wait_charts, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_the_app_asks_nothing_from_another_server(page, app: str) -> None:  # type: ignore[no-untyped-def]
    """Intranets without Internet: no font, icon or script from anywhere but the app (the favicon was a Material
    icon fetched from a font server)."""
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(f"{app}/referrals")
    page.get_by_role("heading", name="Orientations", exact=True).first.wait_for(timeout=90_000)
    wait_charts(page, 3)
    wait_idle(page)
    outside = sorted({url for url in asked if not url.startswith(app) and not url.startswith(("data:", "blob:"))})
    assert outside == []
    icon = page.locator('link[rel~="icon"]').first.get_attribute("href") or ""
    assert "gstatic" not in icon and "googleapis" not in icon


def test_plotly_toolbar_in_french_and_the_overview_under_its_name(page, app: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{app}/overview")
    page.get_by_role("heading", name="Vue d'ensemble", exact=True).first.wait_for(timeout=45_000)
    wait_idle(page)
    assert page.get_by_text("Page not found").count() == 0
    assert page.get_by_text("View 3 more").count() == 0 and page.get_by_text("View more").count() == 0
    page.goto(f"{app}/exits")
    page.get_by_role("heading", name="Sorties", exact=True).first.wait_for(timeout=90_000)
    wait_charts(page, 3)
    titles = page.eval_on_selector_all(".modebar-btn", "buttons => buttons.map(b => b.getAttribute('data-title'))")
    assert "Échelle automatique" in titles and "Autoscale" not in titles


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("width", [1400, 390])
@pytest.mark.parametrize("key", ["overview", "referrals", "needs", "workshops", "exits"])
def test_changed_pages_in_both_languages_and_widths(browser, app: str, key: str, width: int,  # type: ignore[no-untyped-def]
                                                    lang: str) -> None:
    context = browser.new_context(viewport={"width": width, "height": 1000}, locale="fr-FR")
    tab = context.new_page()
    tab.set_default_timeout(90_000)
    try:
        tab.goto(f"{app}/{key}" + ("?lang=en" if lang == "en" else ""))
        tab.locator("h1").first.wait_for()
        if key != "overview":
            tab.wait_for_function(DRAWN_JS, arg=2, timeout=90_000)
        else:
            tab.locator('[data-testid="stMetric"]').nth(7).wait_for()
        wait_idle(tab)
        assert tab.locator('[data-testid="stException"]').count() == 0
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(SCREENSHOTS / f"issue10-{key}-{lang}-{width}.png"), full_page=True)
    finally:
        context.close()
