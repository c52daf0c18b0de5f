"""Default granularity: small structures open by quarter, a chosen one stays in the link."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.metrics.fixtures import make_db
from tests.ui.conftest import APP, TIMEOUT


@pytest.fixture
def small_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    # 24 referrals over one year: 2 a month, far below 50.
    persons = [{"structure_id": "S1", "person_id": f"P{i}", "sex": "F"} for i in range(24)]
    referrals = [{"structure_id": "S1", "referral_id": f"O{i}", "person_id": f"P{i}", "source": "AS_SECTEUR",
                  "referral_date": date(2025, 1, 3) + timedelta(days=15 * i)} for i in range(24)]
    url = make_db(tmp_path / "small.db", persons=persons, referrals=referrals)
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def open_referrals(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for name, value in query.items():
        at.query_params[name] = value
    at.switch_page("../pages/referrals.py")
    return at.run()


def test_a_small_structure_opens_by_quarter_and_a_chosen_month_stays_in_the_link(small_db: str) -> None:
    at = open_referrals()
    assert not at.exception
    assert at.sidebar.selectbox(key="w_by").value == "quarter"
    assert "by" not in at.query_params
    at.sidebar.selectbox(key="w_by").set_value("month").run()
    assert at.query_params["by"] in ("month", ["month"])
    assert open_referrals(by="month").sidebar.selectbox(key="w_by").value == "month"
    at.sidebar.button(key="w_reset").click().run()
    assert "by" not in at.query_params
    assert at.sidebar.selectbox(key="w_by").value == "quarter"


def test_the_default_granularity_is_worked_out_once_for_every_session(small_db: str,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A pure function of the snapshot and the selection: a second visitor reuses the first one's answer."""
    from dashboard.ui import filterbar

    asked: list[str] = []
    real = filterbar.hidden_share

    def counted(data, filters):  # type: ignore[no-untyped-def]
        asked.append(filters.by)
        return real(data, filters)

    monkeypatch.setattr(filterbar, "hidden_share", counted)
    first = open_referrals()
    assert first.sidebar.selectbox(key="w_by").value == "quarter" and asked == ["month", "quarter"]
    second = open_referrals()  # another session, same data and selection
    assert second.sidebar.selectbox(key="w_by").value == "quarter" and asked == ["month", "quarter"]
    open_referrals(sex="F")  # another selection: worked out again
    assert asked == ["month", "quarter", "month", "quarter"]
