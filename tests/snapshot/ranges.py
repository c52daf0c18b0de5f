"""Ranges of whole periods over a snapshot's span, shared by the tests of the tables built once per version."""

from __future__ import annotations

from datetime import date

from dashboard.data import Data
from dashboard.filters import Filters
from dashboard.periods import snap_range


def whole_period_ranges(data: Data) -> list[Filters]:
    """Ranges of whole periods: the whole span, its first and last period alone, a middle stretch, one
    period in the middle, for each granularity."""
    assert data.first_day is not None and data.last_day is not None
    out = []
    for by in ("month", "quarter", "year"):
        start, end = snap_range(data.first_day, data.last_day, by)  # type: ignore[arg-type]
        assert start is not None and end is not None
        middle = date(start.year + (end.year - start.year) // 2, 7, 15)
        for low, high in [(start, end), (start, start), (end, end), (middle, end), (middle, middle),
                          (date(middle.year - 1, 2, 3), middle)]:
            first, last = snap_range(max(low, start), min(high, end), by)  # type: ignore[arg-type]
            out.append(Filters(start=first, end=last, by=by))  # type: ignore[arg-type]
    return out
