"""The filter bar keeps dates on whole periods: widgets, link and a caption that says so."""

from datetime import date
from types import SimpleNamespace

from streamlit.testing.v1 import AppTest

from dashboard.ui.filterbar import default_period
from tests.ui.conftest import APP, TIMEOUT

ROUNDED = ("Les dates sont arrondies", "Dates are rounded")


def open_page(page: str, **query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for name, value in query.items():
        at.query_params[name] = value
    at.switch_page(f"../pages/{page}.py")
    at.run()
    assert not at.exception, at.exception
    return at


def dates(at: AppTest) -> tuple[date, date]:
    return at.sidebar.date_input(key="w_from").value, at.sidebar.date_input(key="w_to").value


def link_dates(at: AppTest) -> tuple[str, str]:
    def one(name: str) -> str:
        value = at.query_params[name]
        return value if isinstance(value, str) else value[0]

    return one("from"), one("to")


def rounded(at: AppTest) -> list[str]:
    return [c.value for c in at.sidebar.caption if c.value.startswith(ROUNDED)]


def test_a_link_inside_months_opens_on_whole_months(ui_db: str) -> None:
    at = open_page("referrals", by="month", **{"from": "2024-01-23", "to": "2024-03-10"})
    assert dates(at) == (date(2024, 1, 1), date(2024, 3, 31))
    assert link_dates(at) == ("2024-01-01", "2024-03-31")
    assert rounded(at) == ["Les dates sont arrondies aux mois entiers : du 01/01/2024 au 31/03/2024."]


def test_a_link_inside_quarters_in_english(ui_db: str) -> None:
    at = open_page("exits", lang="en", by="quarter", **{"from": "2024-02-10", "to": "2024-05-05"})
    assert dates(at) == (date(2024, 1, 1), date(2024, 6, 30))
    assert link_dates(at) == ("2024-01-01", "2024-06-30")
    assert rounded(at) == ["Dates are rounded to whole quarters: from 01/01/2024 to 30/06/2024."]


def test_whole_dates_and_defaults_say_nothing(ui_db: str) -> None:
    assert rounded(open_page("referrals", by="month", **{"from": "2024-01-01", "to": "2024-03-31"})) == []
    assert rounded(open_page("referrals")) == []
    assert rounded(open_page("overview", by="year")) == []


def test_picked_dates_are_widened_and_follow_the_granularity(ui_db: str) -> None:
    at = open_page("data")
    at.sidebar.date_input(key="w_from").set_value(date(2025, 2, 14)).run()
    assert dates(at) == (date(2025, 2, 1), date(2025, 12, 31))
    assert link_dates(at) == ("2025-02-01", "2025-12-31")
    assert rounded(at) == ["Les dates sont arrondies aux mois entiers : du 01/02/2025 au 31/12/2025."]
    at.sidebar.selectbox(key="w_by").set_value("year").run()
    assert dates(at) == (date(2025, 1, 1), date(2025, 12, 31))
    assert rounded(at) == ["Les dates sont arrondies aux années entières : du 01/01/2025 au 31/12/2025."]
    at.sidebar.selectbox(key="w_by").set_value("month").run()  # back to the month asked for
    assert dates(at) == (date(2025, 2, 1), date(2025, 12, 31))
    at.sidebar.date_input(key="w_from").set_value(date(2025, 3, 1)).run()
    assert dates(at) == (date(2025, 3, 1), date(2025, 12, 31))
    assert rounded(at) == []
    at.sidebar.button(key="w_reset").click().run()
    assert "from" not in at.query_params and rounded(at) == []


def test_default_periods_follow_the_granularity() -> None:
    data = SimpleNamespace(first_day=date(2018, 1, 1), last_day=date(2026, 11, 20))
    assert default_period("overview", data) == (date(2025, 11, 1), date(2026, 10, 31))  # type: ignore[arg-type]
    assert default_period("overview", data, "quarter") == (date(2025, 10, 1), date(2026, 9, 30))  # type: ignore[arg-type]
    assert default_period("overview", data, "year") == (date(2025, 1, 1), date(2025, 12, 31))  # type: ignore[arg-type]
    assert default_period("needs", data, "quarter") == (date(2024, 1, 1), date(2026, 9, 30))  # type: ignore[arg-type]


def test_defaults_on_data_that_ends_inside_a_quarter(cut_db: str) -> None:
    """The overview takes the last 4 whole quarters; trend pages too end on the last whole quarter (issue 10: a cut
    quarter opened as a row of hidden cells)."""
    overview = open_page("overview")
    assert overview.sidebar.selectbox(key="w_by").value == "quarter"
    assert dates(overview) == (date(2024, 10, 1), date(2025, 9, 30))
    referrals = open_page("referrals")
    assert dates(referrals) == (date(2025, 1, 1), date(2025, 9, 30))
    assert "from" not in referrals.query_params and rounded(referrals) == []
    assert not [c.value for c in referrals.caption if c.value.startswith("Période incomplète")]
