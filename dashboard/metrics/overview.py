"""Overview (Vue d'ensemble): key figures for a range and the range before it.

The range is the filter's ``start``..``end``; by default the last 12 whole
months before the last day of data. With only ``start``, it runs to the
last day of data; with only ``end``, it is the 12 whole months ending at or
before ``end``.
The previous range has the same length just before (whole months shift by
whole months, see ``dashboard.periods.previous_range``).
"""

from datetime import date

import polars as pl

from dashboard.data import Data
from dashboard.filters import Filters
from dashboard.metrics.common import selection
from dashboard.metrics.exits import exit_aggregates, exited
from dashboard.periods import last_whole_months, previous_range
from dashboard.selection import Selection

FIGURES = (
    "persons_accompanied",
    "new_persons",
    "referrals",
    "exits",
    "housing_positive_rate",
    "dynamic_exit_rate",
    "workshop_participants",
    "attendance_rate",
)
RATES = frozenset({"housing_positive_rate", "dynamic_exit_rate", "attendance_rate"})
OVERVIEW = ["figure", "value", "previous", "change", "_value_n", "_previous_n", "_value_num", "_previous_num"]

_SCHEMA = {
    "figure": pl.String, "value": pl.Float64, "previous": pl.Float64, "change": pl.Float64,
    "_value_n": pl.Int64, "_previous_n": pl.Int64, "_value_num": pl.Int64, "_previous_num": pl.Int64,
}
_ATTENDANCE_CODES = ["PRESENT", "ABSENT", "EXCUSE"]


def overview_range(data: Data, filters: Filters) -> tuple[date, date] | None:
    """The range the overview describes (None when there is no data and no dates)."""
    start, end = filters.start, filters.end
    if start and end:
        return start, end
    if end:
        return last_whole_months(end, 12)
    last_day = data.last_day
    if start:
        return start, max(start, last_day) if last_day else start
    return last_whole_months(last_day, 12) if last_day else None


def _between(column: str, start: date, end: date) -> pl.Expr:
    return pl.col(column).is_between(start, end, closed="both")


def _figures(rows: Selection, start: date, end: date) -> dict[str, tuple[float | None, int | None, int | None]]:
    """figure -> (value, n, numerator). For counts n and numerator are the count itself."""
    accompanied = rows.support_periods.filter(
        pl.col("entry_date") <= end, pl.col("exit_date").is_null() | (pl.col("exit_date") >= start)
    )["pid"].n_unique()
    new_persons = rows.persons.filter(_between("first_contact", start, end)).height
    referrals = rows.referrals.filter(_between("referral_date", start, end)).height
    ended = exited(rows.support_periods.lazy(), Filters(start=start, end=end)).select(exit_aggregates()).collect().row(
        0, named=True
    )
    attended = rows.attendances.filter(_between("session_date", start, end)).select(
        pl.col("pid").filter(pl.col("presence") == "PRESENT").n_unique().alias("participants"),
        (pl.col("presence") == "PRESENT").sum().alias("present"),
        pl.col("presence").is_in(_ATTENDANCE_CODES).sum().alias("expected"),
    ).row(0, named=True)

    def count(n: int) -> tuple[float, int, int]:
        return float(n), n, n

    def share(num: int, den: int) -> tuple[float | None, int, int]:
        return (num / den if den else None), den, num

    return {
        "persons_accompanied": count(accompanied),
        "new_persons": count(new_persons),
        "referrals": count(referrals),
        "exits": count(ended["exits"]),
        "housing_positive_rate": share(ended["housing_positive"], ended["_housing_denominator"]),
        "dynamic_exit_rate": share(ended["dynamic_exits"], ended["_dynamic_denominator"]),
        "workshop_participants": count(attended["participants"]),
        "attendance_rate": share(attended["present"], attended["expected"]),
    }


def overview(data: Data, filters: Filters) -> pl.DataFrame:
    """One row per key figure: value in the range, previous range, change.

    ``persons_accompanied``: persons with a support period overlapping the
    range; ``new_persons``: persons whose first contact (first referral or
    support period, all programs and sources) falls in it; ``referrals``;
    ``exits`` (deaths left out) and their ``housing_positive_rate`` and
    ``dynamic_exit_rate`` (see ``dashboard.metrics.exits``);
    ``workshop_participants``: persons PRESENT at least once at a session
    in the range; ``attendance_rate``: PRESENT / expected attendances.
    ``change`` is value - previous (for rates, a difference of shares, e.g.
    0.05 = 5 points). ``_value_n``/``_previous_n`` are the denominators of
    rates and ``_value_num``/``_previous_num`` their numerators; for a
    count both are the count itself.
    """
    span = overview_range(data, filters)
    if span is None:
        return pl.DataFrame(schema=_SCHEMA)
    chosen = selection(data, filters)
    current = _figures(chosen, *span)
    previous = _figures(chosen, *previous_range(*span))
    rows = []
    for figure in FIGURES:
        value, n, num = current[figure]
        before, before_n, before_num = previous[figure]
        change = value - before if value is not None and before is not None else None
        rows.append((figure, value, before, change, n, before_n, num, before_num))
    return pl.DataFrame(rows, schema=_SCHEMA, orient="row").select(OVERVIEW)
