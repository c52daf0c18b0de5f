"""The board report buttons in the sidebar of every page (fixture: tests/ui/conftest.py)."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.filters import Filters
from dashboard.ui import report_button
from dashboard.ui.report_button import FAILED, OUTCOMES, compare_range, report_maker
from tests.ui.conftest import APP, PAGES, TIMEOUT


def open_page(page: str, **query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for name, value in query.items():
        at.query_params[name] = value
    at.switch_page(f"../pages/{page}.py")
    return at.run()


def sidebar_downloads(at: AppTest) -> list:
    return [b for b in at.sidebar.get("download_button")]


@pytest.mark.parametrize("page", [p for p in PAGES if p != "load"])  # the import page shows no figures
def test_every_page_offers_the_report(ui_db, page):
    at = open_page(page)
    assert not at.exception, at.exception
    buttons = sidebar_downloads(at)
    assert [b.label for b in buttons] == ["Rapport (PDF)", "Présentation (PowerPoint)"]
    assert "Rapport du conseil" in [h.value for h in at.sidebar.subheader]


def test_the_buttons_in_english_say_what_they_report(ui_db):
    at = open_page("overview", lang="en")
    buttons = sidebar_downloads(at)
    assert [b.label for b in buttons] == ["Report (PDF)", "Presentation (PowerPoint)"]
    # The overview's default period (2025) compared with the one before (2024).
    assert buttons[0].help.startswith("Key figures from 01/01/2025 to 31/12/2025 compared with 01/01/2024 – 31/12/2024")
    assert "under 11 persons" in buttons[0].help


def test_the_report_follows_the_filter_range(ui_db):
    at = open_page("referrals", **{"from": "2025-04-01", "to": "2025-09-30"})
    help_text = sidebar_downloads(at)[0].help
    assert help_text.startswith("Chiffres clés du 01/04/2025 au 30/09/2025 comparés au 01/10/2024 – 31/03/2025")


class AlwaysFailed(dict):
    """The outcomes of a session whose every report failed."""

    def get(self, key, default=None):  # noqa: ANN001, ANN201
        return FAILED


def test_a_failed_report_is_said_plainly_on_the_next_run(ui_db):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state[OUTCOMES] = AlwaysFailed()
    at.switch_page("../pages/overview.py")
    at.run()
    assert not at.exception
    captions = [c.value for c in at.sidebar.caption]
    assert any(c.startswith("La préparation du rapport a échoué. Réessayez") for c in captions)
    assert not at.error  # no traceback, no red box in the page


def test_compare_range_is_the_range_before_of_equal_length():
    assert compare_range(date(2025, 1, 1), date(2025, 12, 31)) == (date(2024, 1, 1), date(2024, 12, 31))
    assert compare_range(date(2025, 4, 1), date(2025, 9, 30)) == (date(2024, 10, 1), date(2025, 3, 31))


def test_the_maker_passes_the_page_filters_and_remembers_a_failure(monkeypatch):
    import dashboard.report as report_package

    calls = []
    filters = Filters(start=date(2025, 1, 1), end=date(2025, 12, 31), sexes=("F",))

    def fake(data, chosen, compare, lang, fmt):  # noqa: ANN001, ANN202
        calls.append((data, chosen, compare, lang, fmt))
        return b"%PDF-1.7 fake"

    monkeypatch.setattr(report_package, "report_bytes", fake, raising=False)
    outcomes: dict = {("pdf", "memo"): FAILED}
    make = report_maker("DATA", filters, compare_range(filters.start, filters.end), "fr", "pdf", outcomes, ("pdf", "memo"))
    assert make() == b"%PDF-1.7 fake"
    assert calls == [("DATA", filters, (date(2024, 1, 1), date(2024, 12, 31)), "fr", "pdf")]
    assert outcomes == {}  # a success forgets the failure

    def broken(*args):  # noqa: ANN002, ANN202
        raise ValueError("/srv/secret/path: detail that must not reach the reader")

    monkeypatch.setattr(report_package, "report_bytes", broken)
    make = report_maker("DATA", filters, (date(2024, 1, 1), date(2024, 12, 31)), "en", "pptx", outcomes, "memo")
    with pytest.raises(RuntimeError) as failure:
        make()
    assert str(failure.value) == "report (pptx) failed"  # the detail stays in the server log
    assert failure.value.__cause__ is None and failure.value.__suppress_context__
    assert outcomes == {"memo": FAILED}


def test_the_formats_and_file_names():
    assert report_button.FORMATS["pdf"][2] == "application/pdf"
    assert report_button.FORMATS["pptx"][1] == "pptx"
