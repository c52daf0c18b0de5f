"""Monthly trends and denominators behind the overview cards, on the fixture (see conftest)."""

from datetime import date

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
    assert all(len(series) == 24 for series in trends.values())  # January 2024 .. December 2025
    # Exits: 3 a month from March to June 2025 (hidden, 3 < 5), none otherwise.
    assert trends["exits"] == [0.0] * 12 + [0.0, 0.0, None, None, None, None] + [0.0] * 6
    # Workshop: sessions in February, May, September and December 2025, 6 persons present each time.
    sessions = {13, 16, 20, 23}
    assert trends["workshop_participants"] == [6.0 if i in sessions else 0.0 for i in range(24)]
    assert trends["attendance_rate"] == [0.75 if i in sessions else None for i in range(24)]


def test_denominators_of_shown_rates(ui_db_url):
    ctx = context(ui_db_url)
    protected = figures("overview", ctx.data, ctx.filters, published=False)
    # Housing: 12 exits minus 3 "not applicable"; attendance: 4 sessions x 8 persons expected.
    # The dynamic exit rate is hidden (4 dynamic exits), so its n is not given either.
    assert denominators(ctx, protected) == {"housing_positive_rate": 9, "attendance_rate": 32}
