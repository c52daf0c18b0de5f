"""Monthly trends and denominators behind the overview cards, on the fixture (see conftest)."""

from datetime import date, timedelta

from dashboard.data import read_data
from dashboard.disclosure import figures
from dashboard.filters import Filters
from dashboard.ui.context import PageContext
from dashboard.ui.kpi import range_months, whole_months
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


def test_range_months_cut_after_the_last_whole_month_of_data():
    assert range_months(date(2025, 1, 1), date(2025, 3, 31)) == [
        (date(2025, 1, 1), date(2025, 1, 31)), (date(2025, 2, 1), date(2025, 2, 28)), (date(2025, 3, 1), date(2025, 3, 31))]
    assert len(range_months(date(2024, 1, 1), date(2025, 12, 31), date(2025, 12, 31))) == 24
    # Data up to 14 December: December is partial and left out; a range after the data has no month.
    assert range_months(date(2025, 10, 1), date(2025, 12, 31), date(2025, 12, 14))[-1] == (date(2025, 11, 1), date(2025, 11, 30))
    assert range_months(date(2026, 1, 1), date(2026, 3, 31), date(2025, 12, 31)) == []


def test_trends_by_month(ui_db_url):
    trends = monthly_trends(context(ui_db_url, start=date(2024, 1, 1)))
    assert sorted(trends) == ["dynamic_exit_rate", "exits", "housing_positive_rate", "referrals"]
    assert all(len(series) == 24 for series in trends.values())  # January 2024 .. December 2025: the filter's range
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
    assert len(women["referrals"]) == 12  # the filter's range: 2025
    assert sum(women["referrals"]) == 620
    assert monthly_trends(context(ui_db_url, sexes=("AUTRE",)))["referrals"] == [None] * 12  # too small


def test_trends_follow_the_period(ui_db_url):
    expected = [0] * 12
    for j in range(1234):
        expected[(date(2025, 1, 1) + timedelta(days=j * 365 // 1234)).month - 1] += 1
    year = monthly_trends(context(ui_db_url))
    assert all(len(series) == 12 for series in year.values())
    assert year["referrals"] == expected
    spring = monthly_trends(context(ui_db_url, start=date(2025, 4, 1), end=date(2025, 9, 30)))
    assert all(len(series) == 6 for series in spring.values())  # April .. September 2025
    assert spring["referrals"] == expected[3:9]
    assert spring["exits"] == [None, None, None, 0.0, 0.0, 0.0]  # 3 exits a month in April to June: hidden
    # A range past the last day of data: the months the data does not cover are left out, not drawn as zeros.
    assert monthly_trends(context(ui_db_url, start=date(2025, 7, 1), end=date(2026, 6, 30)))["referrals"] == expected[6:]


def test_denominators_of_shown_rates(ui_db_url):
    ctx = context(ui_db_url)
    protected = figures("overview", ctx.data, ctx.filters, published=False)
    # Housing: 12 exits minus 3 "not applicable"; attendance: 4 sessions x 8 persons expected.
    # The dynamic exit rate is hidden (4 dynamic exits), so its n is not given either.
    assert denominators(protected) == {"housing_positive_rate": 9, "attendance_rate": 32}
