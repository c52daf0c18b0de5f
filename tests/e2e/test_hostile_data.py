"""Hostile text from the data, in a real browser: a workshop named like a link, styled text or bold markup shows
as the text it is, never as a live link, styled element or dialog (issue: every input is untrusted)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.conftest import running_app
from tests.metrics.fixtures import make_db
from tests.security.test_downloads_and_charts import _rows

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DRAWN = "() => document.querySelectorAll('[data-testid=\"stPlotlyChart\"] .js-plotly-plot .main-svg').length >= 2"


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("hostile-e2e")
    with running_app(make_db(folder / "parcours.db", **_rows()), folder / "streamlit.log") as base:
        yield base


@pytest.mark.parametrize("path", ["workshops", "referrals", "data"])
def test_text_from_the_data_is_shown_as_text(page, hostile_app: str, path: str) -> None:  # type: ignore[no-untyped-def]
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{hostile_app}/{path}?from=2024-01-01&to=2024-12-31&by=year")
    page.wait_for_selector('[data-testid="stAppViewContainer"]')
    if path != "data":
        page.wait_for_function(DRAWN, timeout=45_000)
    page.wait_for_timeout(1500)
    # no live link, no styled or bold element that came from a workshop's name, anywhere on the page
    assert page.locator('a[href="http://x"]').count() == 0
    styled = page.evaluate(
        "() => [...document.querySelectorAll('[style]')]"
        ".filter(e => /font-size:\\s*40px|color:\\s*red/.test(e.getAttribute('style'))).length"
    )
    assert styled == 0
    bold_from_data = page.evaluate("() => [...document.querySelectorAll('b')].filter(e => e.textContent.includes('Gras')).length")
    assert bold_from_data == 0
    assert dialogs == []
    if path == "workshops":
        # the names are there, as text: the tick labels show the markup literally (shortened to 40 characters)
        texts = page.evaluate("() => [...document.querySelectorAll('.js-plotly-plot text')].map(t => t.textContent)")
        assert any("<a href=" in t for t in texts), texts[:40]
        assert all(len(t) <= 41 for t in texts if "très long" in t)
