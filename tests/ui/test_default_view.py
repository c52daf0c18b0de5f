"""Default views open on whole periods, with the granularity that keeps most cells shown (issue 10, item 2)."""

from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.metrics.fixtures import make_db
from tests.ui.conftest import opened_page as open_page


def test_trend_pages_end_on_the_last_whole_period(cut_db: str) -> None:
    """The data ends 2025-12-14: by quarter (2 referrals a month), December is in Q4, which is not over."""
    at = open_page("referrals")
    assert at.sidebar.selectbox(key="w_by").value == "quarter"
    assert at.sidebar.date_input(key="w_to").value == date(2025, 9, 30)  # Q3, not Q4 cut on 14 December
    assert not [c.value for c in at.caption if c.value.startswith("Période incomplète")]
    at = open_page("referrals", by="month")
    assert at.sidebar.date_input(key="w_to").value == date(2025, 11, 30)


@pytest.fixture
def busy_few(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """60 referrals a month in 2025 (the old rule said: month), but from 2 persons a month (every monthly cell
    "< 5") and 6 a quarter (every quarterly cell shown): P(2m) and P(2m+1) in month m."""
    persons = [{"structure_id": "S1", "person_id": f"P{i:02d}", "sex": "F"} for i in range(24)]
    referrals = [{"structure_id": "S1", "referral_id": f"O{m}-{j}", "person_id": f"P{2 * m + j % 2:02d}", "source": "SIAO",
                  "referral_date": date(2025, m + 1, 1) + timedelta(days=j % 28)} for m in range(12) for j in range(60)]
    url = make_db(tmp_path / "busy.db", persons=persons, referrals=referrals)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("PARCOURS_LANG", raising=False)
    return url


def test_the_granularity_is_the_finest_that_keeps_cells_shown(busy_few: str) -> None:
    at = open_page("referrals")
    assert at.sidebar.selectbox(key="w_by").value == "quarter"
    assert "Beaucoup de chiffres masqués" not in " ".join(str(c.value) for c in at.caption)
    chosen = open_page("referrals", by="month")  # a granularity in the link is kept, hidden cells or not
    assert chosen.sidebar.selectbox(key="w_by").value == "month"
