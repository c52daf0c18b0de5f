"""Hand-edited or hostile links open every page without an error: dates out of the
calendar's range are brought back to the data's, malformed values are ignored, and
an unexpected error shows a short message with a reference, never a traceback."""

import logging
import re
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

import dashboard.disclosure
from tests.ui.conftest import APP, PAGES, TIMEOUT

# The fixture's data (tests/ui/conftest.py) runs from 2024-01-01 to 2025-12-31, enough to open by month.
FIRST, LAST = date(2024, 1, 1), date(2025, 12, 31)
# Default periods of that data: the overview's last 12 whole months, the other pages' whole data range.
DEFAULT = {page: ((date(2025, 1, 1), LAST) if page == "overview" else (FIRST, LAST)) for page in PAGES}
NO_FILTER_BAR = {"load", "cohorts"}  # the import page, and the cohorts page whose cohorts replace the filters
REFERENCE = re.compile(r"\b[0-9a-f]{8}\b")


def open_page(page: str, query: dict[str, str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for name, value in query.items():
        at.query_params[name] = value
    at.switch_page(f"../pages/{page}.py")
    return at.run()


def dates(at: AppTest) -> tuple[date, date]:
    return at.sidebar.date_input(key="w_from").value, at.sidebar.date_input(key="w_to").value


def shown(at: AppTest) -> str:
    parts = [e.value for kind in ("markdown", "caption", "info", "warning", "error", "title") for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


# query -> the dates the widgets show (None: the page's default period)
HOSTILE: dict[str, tuple[dict[str, str], tuple[date | None, date | None]]] = {
    "to-9999": ({"to": "9999-12-31"}, (None, LAST)),
    "from-0001": ({"from": "0001-01-01"}, (FIRST, None)),
    "both-ends": ({"from": "0001-01-01", "to": "9999-12-31"}, (FIRST, LAST)),
    "february-30": ({"from": "2025-02-30"}, (None, None)),
    "year-99999": ({"to": "99999-01-01"}, (None, None)),
    "by-script": ({"by": "<script>alert(1)</script>"}, (None, None)),
    "structure-escape": ({"structure": "\x1b[31m"}, (None, None)),
}


@pytest.mark.parametrize("case", list(HOSTILE))
@pytest.mark.parametrize("page", PAGES)
def test_a_hostile_link_opens_every_page(ui_db: str, page: str, case: str) -> None:
    query, expected = HOSTILE[case]
    at = open_page(page, query)
    assert not at.exception, at.exception
    assert not [e.value for e in at.error], [e.value for e in at.error]
    if page in NO_FILTER_BAR:  # no dates to bring back: the page opened without an error, that is all it owes
        return
    default = DEFAULT[page]
    assert dates(at) == (expected[0] or default[0], expected[1] or default[1])
    assert at.sidebar.selectbox(key="w_by").value == "month"
    assert at.sidebar.multiselect(key="w_structures").value == []
    link = {name: at.query_params[name] for name in at.query_params}
    assert "\x1b" not in str(link) and "<script>" not in str(link) and "9999" not in str(link)


def test_a_link_from_and_to_year_9999_opens_on_the_last_month(ui_db: str) -> None:
    at = open_page("referrals", {"from": "9999-01-01", "to": "9999-12-31"})
    assert not at.exception, at.exception
    assert dates(at) == (date(2025, 12, 1), LAST)


@pytest.mark.parametrize("page", ["overview", "referrals"])
def test_a_start_after_the_default_end_opens_on_its_whole_period(cut_db: str, page: str) -> None:
    # cut_db: data from 2025-01-03 to 2025-12-14, by quarter; the overview's default ends on 2025-09-30.
    for start in ("9999-01-01", "2025-12-05"):
        at = open_page(page, {"from": start})
        assert not at.exception, at.exception
        assert dates(at) == (date(2025, 10, 1), date(2025, 12, 31))
    at = open_page(page, {"to": "0001-01-01"})
    assert not at.exception, at.exception
    assert dates(at)[0] <= dates(at)[1] <= date(2025, 3, 31)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_unexpected_error_shows_a_reference_not_a_traceback(ui_db: str, lang: str, monkeypatch: pytest.MonkeyPatch,
                                                               caplog: pytest.LogCaptureFixture) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom in /work/main/dashboard/secret.py")

    monkeypatch.setattr(dashboard.disclosure, "figures", broken)  # the overview page calls it directly
    with caplog.at_level(logging.ERROR, logger="dashboard.app"):
        at = open_page("overview", {"lang": lang} if lang == "en" else {})
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1, errors
    assert errors[0].startswith("Une erreur inattendue" if lang == "fr" else "An unexpected error")
    reference = REFERENCE.search(errors[0])
    assert reference, errors[0]
    text = shown(at)
    assert "boom" not in text and "/work" not in text and "RuntimeError" not in text and "Traceback" not in text
    # The operator finds the reference in the server log, with the traceback.
    logged = [r for r in caplog.records if r.name == "dashboard.app" and reference.group(0) in r.getMessage()]
    assert len(logged) == 1
    assert logged[0].exc_info and "boom in /work/main/dashboard/secret.py" in str(logged[0].exc_info[1])


def test_each_error_gets_its_own_reference(ui_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("year 10000 is out of range")

    monkeypatch.setattr(dashboard.disclosure, "figures", broken)  # the overview page calls it directly
    refs = {REFERENCE.search(open_page("overview", {}).error[0].value).group(0) for _ in range(2)}  # type: ignore[union-attr]
    assert len(refs) == 2
