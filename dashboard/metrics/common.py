"""Pieces every metric shares: rates, period keys, empty periods, sorting.

Conventions kept across all metrics (the user documentation of the
definitions should say the same):
- a rate or share is null when its denominator is 0, never 0 or NaN;
- counting metrics by period (referrals, exits) show a ``TOTAL`` row for
  every period of the range, with 0 where nothing happened, so that a quiet
  month is a visible 0 and not a gap; the range is the filter's dates, or
  the whole span of the data when the filter has none;
- rows are sorted by period, then by code, ``TOTAL`` last in its period;
- a missing code is read as ``INCONNU`` where a breakdown needs a value.
"""

import threading
import weakref
from collections.abc import Callable, Hashable
from datetime import date
from typing import Any, TypeVar, overload

import polars as pl

from dashboard.data import Data
from dashboard.filters import Filters, Granularity
from dashboard.periods import period_label, period_start
from dashboard.perturbation import KEY_RANGE
from dashboard.selection import Selection, select_rows

T = TypeVar("T")

TOTAL = "TOTAL"
UNKNOWN = "INCONNU"

_INTERVAL = {"month": "1mo", "quarter": "1q", "year": "1y"}


def rate(numerator: str | pl.Expr, denominator: str | pl.Expr) -> pl.Expr:
    """``numerator / denominator`` as Float64, null when the denominator is 0."""
    num = pl.col(numerator) if isinstance(numerator, str) else numerator
    den = pl.col(denominator) if isinstance(denominator, str) else denominator
    return pl.when(den > 0).then(num.cast(pl.Float64) / den).otherwise(None).cast(pl.Float64)


def cell_key(values: pl.Expr) -> pl.Expr:
    """The cell key of a group: the sum of its records' keys modulo ``KEY_RANGE``."""
    return values.cast(pl.Int64).sum() % KEY_RANGE


def _kept(column: str, rows: pl.Expr | None) -> pl.Expr:
    return pl.col(column) if rows is None else pl.col(column).filter(rows)


def event_count(name: str, rows: pl.Expr | None = None) -> list[pl.Expr]:
    """In a group of events (columns ``ek``, ``pid``, ``pk``): the events where ``rows`` holds, their cell key
    (``_ck_<name>``), the distinct persons behind them (``_pn_<name>``) and those persons' cell key (``_pk_<name>``).

    An event cell is shown only when the persons behind it reach the threshold.
    """
    pids = _kept("pid", rows)
    return [
        (pl.len() if rows is None else rows.sum()).cast(pl.Int64).alias(name),
        cell_key(_kept("ek", rows)).alias(f"_ck_{name}"),
        pids.n_unique().cast(pl.Int64).alias(f"_pn_{name}"),
        cell_key(_kept("pk", rows).filter(pids.is_first_distinct())).alias(f"_pk_{name}"),
    ]


def person_count(name: str, rows: pl.Expr | None = None) -> list[pl.Expr]:
    """In a group of rows about persons (``pid``, ``pk``; a person may have several rows): the distinct persons
    where ``rows`` holds and their cell key (``_ck_<name>``)."""
    pids = _kept("pid", rows)
    return [
        pids.n_unique().cast(pl.Int64).alias(name),
        cell_key(_kept("pk", rows).filter(pids.is_first_distinct())).alias(f"_ck_{name}"),
    ]


def helpers(*names: str, events: bool = True) -> list[str]:
    """The key columns ``event_count`` (or ``person_count``) adds beside each count."""
    kinds = ("_ck_", "_pn_", "_pk_") if events else ("_ck_",)
    return [f"{kind}{name}" for name in names for kind in kinds]


def days_between(earlier: str, later: str) -> pl.Expr:
    return (pl.col(later) - pl.col(earlier)).dt.total_days()


def with_period(frame: pl.LazyFrame, column: str, by: Granularity) -> pl.LazyFrame:
    """Add ``_period``, the first day of the period (a cheap group key)."""
    return frame.with_columns(period_start(column, by).alias("_period"))


@overload
def label_periods(frame: pl.LazyFrame, by: Granularity) -> pl.LazyFrame: ...
@overload
def label_periods(frame: pl.DataFrame, by: Granularity) -> pl.DataFrame: ...
def label_periods(frame: pl.LazyFrame | pl.DataFrame, by: Granularity) -> pl.LazyFrame | pl.DataFrame:
    """Replace ``_period`` (a date) by ``period`` (its label), first column (lazy in, lazy out)."""
    return frame.with_columns(period_label("_period", by).alias("period"))


def date_span(data: Data, filters: Filters) -> tuple[date, date] | None:
    """The filter's dates, completed by the data's first and last day."""
    start = filters.start or data.first_day
    end = filters.end or data.last_day
    if start is None or end is None or start > end:
        return None
    return start, end


def all_periods(data: Data, filters: Filters) -> pl.DataFrame:
    """One row per period of the range, column ``_period`` (first day)."""
    span = date_span(data, filters)
    if span is None:
        return pl.DataFrame(schema={"_period": pl.Date})
    first = pl.select(period_start(pl.lit(span[0]), filters.by)).item()
    days = pl.date_range(first, span[1], interval=_INTERVAL[filters.by], eager=True)
    return pl.DataFrame({"_period": days})


def total_last(column: str) -> pl.Expr:
    """Sort key: 1 for the ``TOTAL`` row, 0 otherwise."""
    return (pl.col(column) == TOTAL).cast(pl.Int8)


def finish(frame: pl.DataFrame, columns: list[str], sort: list[str], by_total: str | None = None) -> pl.DataFrame:
    """Keep ``columns`` in order and sort (``TOTAL`` last within ``by_total``'s groups)."""
    if by_total:
        frame = frame.with_columns(total_last(by_total).alias("_total_last"))
        keys = [*sort[:-1], "_total_last", sort[-1]] if sort[-1] == by_total else [*sort, "_total_last"]
        return frame.sort(keys).select(columns)
    return frame.sort(sort).select(columns)


class PerSnapshot:
    """Values derived from one ``Data`` snapshot, forgotten when the snapshot is.

    A page computes several figures for the same filters, and a filter change
    recomputes them all: the row selection (and layouts of the data that do
    not depend on filters) are shared rather than recomputed by each metric.
    ``Data`` is immutable, so a value cached for it never goes stale. At most
    ``size`` values are kept per snapshot, the least recently used going
    first.
    """

    def __init__(self, size: int) -> None:
        self._slots: dict[int, dict[Hashable, Any]] = {}
        self._size = size
        self._lock = threading.Lock()

    def get(self, data: Data, key: Hashable, compute: Callable[[], T]) -> T:
        with self._lock:
            slot = self._slots.get(id(data))
            if slot is None:
                slot = self._slots[id(data)] = {}
                weakref.finalize(data, self._slots.pop, id(data), None)
            if key in slot:
                slot[key] = slot.pop(key)
                return slot[key]
        value = compute()
        with self._lock:
            slot[key] = value
            while len(slot) > self._size:
                slot.pop(next(iter(slot)))
        return value

    def drop(self, data: Data, key: Hashable) -> None:
        """Forget the value of ``key`` for ``data`` (its next read computes it again)."""
        with self._lock:
            self._slots.get(id(data), {}).pop(key, None)


SNAPSHOT_CACHE = PerSnapshot(size=8)
"""Layouts of a snapshot that do not depend on filters (a few keys, kept)."""

# A restricted selection copies up to every row of the snapshot: keep few.
_SELECTIONS = PerSnapshot(size=3)


def selection(data: Data, filters: Filters) -> Selection:
    """``select_rows`` shared by every metric computed for the same non-date filters."""
    key = filters.with_(start=None, end=None, by="month")
    return _SELECTIONS.get(data, key, lambda: select_rows(data, filters))


def restricted(filters: Filters) -> bool:
    """Whether the filters leave out some persons (``select_rows``'s rule)."""
    return filters.person_level or bool(filters.structures)
