"""Periods: calendar month, quarter or year, half-open [start, end + 1 day).

Labels are ``2024``, ``2024-Q1`` and ``2024-03``: stable strings that sort
in time order, used on screen, in exports and on the command line.
"""

from datetime import date, timedelta

import polars as pl

from dashboard.filters import Filters, Granularity

_TRUNCATE = {"month": "1mo", "quarter": "1q", "year": "1y"}


def period_start(column: str | pl.Expr, by: Granularity) -> pl.Expr:
    """The first day of the period containing each date."""
    expr = pl.col(column) if isinstance(column, str) else column
    return expr.dt.truncate(_TRUNCATE[by])


def period_label(column: str | pl.Expr, by: Granularity) -> pl.Expr:
    """``2024``, ``2024-Q1`` or ``2024-03`` for each date."""
    expr = pl.col(column) if isinstance(column, str) else column
    if by == "year":
        return expr.dt.year().cast(pl.String)
    if by == "quarter":
        return pl.format("{}-Q{}", expr.dt.year(), expr.dt.quarter())
    return expr.dt.strftime("%Y-%m")


def label_of(day: date, by: Granularity) -> str:
    """The label of the period containing ``day`` (plain Python)."""
    if by == "year":
        return str(day.year)
    if by == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year}-{day.month:02d}"


def in_range(column: str, filters: Filters) -> pl.Expr:
    """Rows whose date lies in the filter's [start, end] (inclusive ends)."""
    expr = pl.lit(True)
    if filters.start:
        expr = expr & (pl.col(column) >= filters.start)
    if filters.end:
        expr = expr & (pl.col(column) <= filters.end)
    return expr


def months_between(earlier: pl.Expr, later: pl.Expr, by: Granularity) -> pl.Expr:
    """Whole periods from ``earlier``'s period to ``later``'s (0 = same period)."""
    months = (later.dt.year() - earlier.dt.year()) * 12 + (later.dt.month() - earlier.dt.month())
    if by == "quarter":
        return (later.dt.year() - earlier.dt.year()) * 4 + (later.dt.quarter() - earlier.dt.quarter())
    if by == "year":
        return later.dt.year() - earlier.dt.year()
    return months


def last_whole_months(last_day: date, months: int = 12) -> tuple[date, date]:
    """The ``months`` whole calendar months ending at or before ``last_day``.

    A month counts as whole when ``last_day`` is its last day; otherwise the
    range ends with the previous month.
    """
    next_day = last_day + timedelta(days=1)
    end = last_day if next_day.month != last_day.month else date(last_day.year, last_day.month, 1) - timedelta(days=1)
    start_index = end.year * 12 + end.month - months  # zero-based month index of the first month
    start = date(start_index // 12, start_index % 12 + 1, 1)
    return start, end


def previous_range(start: date, end: date) -> tuple[date, date]:
    """The period of equal length just before [start, end].

    Whole months shift by whole months (so 2025-01-01..2025-12-31 gives
    2024-01-01..2024-12-31); other ranges shift by their length in days.
    """
    next_day = end + timedelta(days=1)
    if start.day == 1 and next_day.day == 1:
        months = (next_day.year - start.year) * 12 + next_day.month - start.month
        index = start.year * 12 + start.month - 1 - months
        prev_start = date(index // 12, index % 12 + 1, 1)
        return prev_start, start - timedelta(days=1)
    length = (end - start).days + 1
    return start - timedelta(days=length), start - timedelta(days=1)


def period_bounds(day: date, by: Granularity) -> tuple[date, date]:
    """First and last day of the period containing ``day``."""
    months = {"month": 1, "quarter": 3, "year": 12}[by]
    first_month = (day.month - 1) // months * months + 1
    first = date(day.year, first_month, 1)
    index = day.year * 12 + first_month - 1 + months  # first month of the next period
    return first, date(index // 12, index % 12 + 1, 1) - timedelta(days=1)


def snap_range(start: date | None, end: date | None, by: Granularity) -> tuple[date | None, date | None]:
    """[start, end] widened to whole periods of ``by``: the start back to the first day of its
    period, the end on to the last day of its period (an open end stays open).

    A range that starts or ends inside a period would let two close ranges
    (``--from 2024-01-23`` then ``--from 2024-01-24``) tell apart one day's
    events; whole periods never do.
    """
    return (period_bounds(start, by)[0] if start else None, period_bounds(end, by)[1] if end else None)


def last_whole_periods(last_day: date, by: Granularity, months: int = 12) -> tuple[date, date]:
    """The ``months`` months of whole periods of ``by`` ending at or before ``last_day``
    (12 months: 12 months, 4 quarters or 1 year). ``months`` is a multiple of the period's length."""
    first, last = period_bounds(last_day, by)
    return last_whole_months(last_day if last_day == last else first - timedelta(days=1), months)


def data_cut_periods(start: date, end: date, last_day: date | None, by: Granularity) -> list[tuple[str, date, date]]:
    """Like ``partial_periods`` for the days the data covers: [start, end] cut at the data's last day.

    The range is on whole periods, but the period holding the data's last
    day may still be incomplete (its remaining days have no data yet).
    """
    if last_day is not None and start <= last_day < end:
        end = last_day
    return partial_periods(start, end, by)


def partial_periods(start: date, end: date, by: Granularity) -> list[tuple[str, date, date]]:
    """The periods at the ends of [start, end] that the range only covers in part:
    (label, first day covered, last day covered). A chart's bar for them is not comparable with the others."""
    cut = []
    first, _ = period_bounds(start, by)
    if start != first:
        cut.append((label_of(start, by), start, min(end, period_bounds(start, by)[1])))
    _, last = period_bounds(end, by)
    if end != last and label_of(end, by) not in [label for label, _, _ in cut]:
        cut.append((label_of(end, by), max(start, period_bounds(end, by)[0]), end))
    return cut
