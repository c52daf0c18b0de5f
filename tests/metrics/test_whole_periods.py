"""Date ranges on whole periods: ``snap_range``, ``Filters.snapped`` and the ranges built on them."""

from datetime import date

import pytest

from dashboard.filters import Filters, Granularity
from dashboard.periods import data_cut_periods, last_whole_periods, snap_range

D = date


@pytest.mark.parametrize(("start", "end", "by", "expected"), [
    # Months: 31, 30, 29 (leap year) and 28 days.
    (D(2024, 1, 23), D(2024, 3, 10), "month", (D(2024, 1, 1), D(2024, 3, 31))),
    (D(2024, 4, 30), D(2024, 4, 30), "month", (D(2024, 4, 1), D(2024, 4, 30))),
    (D(2024, 2, 10), D(2024, 2, 10), "month", (D(2024, 2, 1), D(2024, 2, 29))),
    (D(2023, 2, 10), D(2023, 2, 28), "month", (D(2023, 2, 1), D(2023, 2, 28))),
    (D(2024, 12, 31), D(2024, 12, 31), "month", (D(2024, 12, 1), D(2024, 12, 31))),
    # Quarters.
    (D(2024, 5, 15), D(2024, 11, 2), "quarter", (D(2024, 4, 1), D(2024, 12, 31))),
    (D(2024, 3, 31), D(2024, 4, 1), "quarter", (D(2024, 1, 1), D(2024, 6, 30))),
    (D(2024, 12, 31), D(2024, 12, 31), "quarter", (D(2024, 10, 1), D(2024, 12, 31))),
    (D(2024, 1, 1), D(2024, 2, 29), "quarter", (D(2024, 1, 1), D(2024, 3, 31))),
    # Years.
    (D(2024, 2, 29), D(2025, 1, 1), "year", (D(2024, 1, 1), D(2025, 12, 31))),
    (D(2024, 12, 31), D(2024, 12, 31), "year", (D(2024, 1, 1), D(2024, 12, 31))),
    # Open ends stay open.
    (D(2024, 1, 23), None, "month", (D(2024, 1, 1), None)),
    (None, D(2024, 1, 23), "month", (None, D(2024, 1, 31))),
    (None, D(2024, 8, 15), "quarter", (None, D(2024, 9, 30))),
    (D(2024, 8, 15), None, "year", (D(2024, 1, 1), None)),
    (None, None, "year", (None, None)),
])
def test_snap_range_widens_to_whole_periods(start: date | None, end: date | None, by: Granularity,
                                            expected: tuple[date | None, date | None]) -> None:
    assert snap_range(start, end, by) == expected
    assert snap_range(*expected, by) == expected  # whole ranges do not move


def test_neighbouring_starts_give_the_same_range() -> None:
    """The attack: --from 2024-01-23 then --from 2024-01-24 must select the same rows."""
    end = D(2024, 6, 30)
    for by in ("month", "quarter", "year"):
        assert snap_range(D(2024, 1, 23), end, by) == snap_range(D(2024, 1, 24), end, by) == snap_range(D(2024, 1, 1), end, by)


def test_filters_snapped_is_idempotent_and_returns_self_when_whole() -> None:
    whole = Filters(start=D(2024, 1, 1), end=D(2024, 3, 31), by="quarter", sexes=("F",))
    assert whole.snapped() is whole
    assert Filters().snapped() == Filters()
    cut = Filters(start=D(2024, 2, 14), end=D(2024, 8, 1), by="quarter", sexes=("F",))
    once = cut.snapped()
    assert once == Filters(start=D(2024, 1, 1), end=D(2024, 9, 30), by="quarter", sexes=("F",))
    assert once.snapped() is once
    assert cut.with_(by="year").snapped() == cut.with_(by="year", start=D(2024, 1, 1), end=D(2024, 12, 31))


def test_snapped_filters_survive_a_url_round_trip() -> None:
    link = {"from": "2024-01-23", "to": "2024-02-10", "by": "month", "source": "SPIP"}
    snapped = Filters.from_query(link).snapped()
    assert snapped.to_query() == {"from": "2024-01-01", "to": "2024-02-29", "source": ["SPIP"]}
    assert Filters.from_query(snapped.to_query()) == snapped
    reopened = Filters.from_query(snapped.to_query() | {"by": "month"})
    assert reopened.snapped() is reopened
    open_end = Filters.from_query({"from": "2024-05-05", "by": "year"}).snapped()
    assert open_end.to_query() == {"from": "2024-01-01", "by": "year"}


@pytest.mark.parametrize(("last_day", "by", "expected"), [
    (D(2026, 11, 20), "month", (D(2025, 11, 1), D(2026, 10, 31))),
    (D(2026, 11, 20), "quarter", (D(2025, 10, 1), D(2026, 9, 30))),
    (D(2026, 11, 20), "year", (D(2025, 1, 1), D(2025, 12, 31))),
    (D(2025, 12, 31), "quarter", (D(2025, 1, 1), D(2025, 12, 31))),
    (D(2025, 12, 31), "year", (D(2025, 1, 1), D(2025, 12, 31))),
    (D(2024, 2, 29), "month", (D(2023, 3, 1), D(2024, 2, 29))),
])
def test_last_whole_periods(last_day: date, by: Granularity, expected: tuple[date, date]) -> None:
    assert last_whole_periods(last_day, by) == expected
    assert snap_range(*expected, by) == expected


def test_the_period_holding_the_data_s_last_day_is_cut() -> None:
    year = (D(2025, 1, 1), D(2025, 12, 31))
    assert data_cut_periods(*year, D(2025, 12, 14), "month") == [("2025-12", D(2025, 12, 1), D(2025, 12, 14))]
    assert data_cut_periods(*year, D(2025, 8, 14), "quarter") == [("2025-Q3", D(2025, 7, 1), D(2025, 8, 14))]
    assert data_cut_periods(*year, D(2025, 12, 14), "year") == [("2025", D(2025, 1, 1), D(2025, 12, 14))]
    assert data_cut_periods(*year, D(2025, 12, 31), "month") == []  # the data covers the whole range
    assert data_cut_periods(*year, D(2026, 3, 1), "month") == []  # ... and beyond
    assert data_cut_periods(*year, D(2024, 6, 1), "month") == []  # a range after the data: nothing to cut
    assert data_cut_periods(*year, None, "month") == []
