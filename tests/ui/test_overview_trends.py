"""Monthly trends and denominators behind the overview cards, on the fixture (see conftest)."""

from datetime import date, timedelta

from dashboard.data import read_data
from dashboard.disclosure import figures
from dashboard.filters import Filters
from dashboard.ui.context import PageContext
from dashboard.ui.kpi import whole_months
from dashboard.ui.overview import denominators, monthly_trends
from models.db import get_engine


def context(url: str, **filters: object) -> PageContext:
    data = read_data(get_engine(url))
    chosen = Filters(start=date(2025, 1, 1), end=date(2025, 12, 31)).with_(**filters)
    return PageContext(lang="fr", data=data, filters=chosen, published_k=11, screen_k=5, page="overview")


def test_whole_months_leave_out_the_partial_month():
    months = whole_months(date(2025, 12, 30), 3)
    assert months == [(date(2025, 9, 1), date(2025, 9, 30)), (date(2025, 10, 1), date(2025, 10, 31)),
                      (date(2025, 11, 1), date(2025, 11, 30))]
    assert whole_months(date(2024, 2, 29), 1) == [(date(2024, 2, 1), date(2024, 2, 29))]


def test_trends_by_month(ui_db_url):
    trends = monthly_trends(context(ui_db_url))
    assert sorted(trends) == ["dynamic_exit_rate", "exits", "housing_positive_rate", "referrals"]
    assert all(len(series) == 24 for series in trends.values())  # January 2024 .. December 2025
    # Exits: 3 a month from March to June 2025 (hidden, 3 < 5), none otherwise; no exit, no rate.
    assert trends["exits"] == [0.0] * 12 + [0.0, 0.0, None, None, None, None] + [0.0] * 6
    assert trends["housing_positive_rate"] == [None] * 24
    # Referrals: the fixture dates referral j of 2024 on day j * 366 // 1000 and of 2025 on day j * 365 // 1234.
    expected = [0] * 24
    for j in range(1000):
        expected[(date(2024, 1, 1) + timedelta(days=j * 366 // 1000)).month - 1] += 1
    for j in range(1234):
        expected[12 + (date(2025, 1, 1) + timedelta(days=j * 365 // 1234)).month - 1] += 1
    assert trends["referrals"] == expected
    assert sum(trends["referrals"][12:]) == 1234


def test_trends_follow_the_filters(ui_db_url):
    women = monthly_trends(context(ui_db_url, sexes=("F",)))
    assert sum(women["referrals"][12:]) == 620
    assert monthly_trends(context(ui_db_url, sexes=("AUTRE",)))["referrals"] == [None] * 24  # too small


def test_denominators_of_shown_rates(ui_db_url):
    ctx = context(ui_db_url)
    protected = figures("overview", ctx.data, ctx.filters, published=False)
    # Housing: 12 exits minus 3 "not applicable"; attendance: 4 sessions x 8 persons expected.
    # The dynamic exit rate is hidden (4 dynamic exits), so its n is not given either.
    assert denominators(protected) == {"housing_positive_rate": 9, "attendance_rate": 32}
