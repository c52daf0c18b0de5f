"""The overview's extras: monthly trends of key figures and the n behind each rate.

Trends come from the periodised metrics, one call each over the months of
the chosen period (the filter's range, by month; months after the last
whole month of data are left out: a partial month would read as a drop):
referrals from ``referrals-by-source`` (row TOTAL), exits and their rates
from ``exits`` (program TOTAL), each through disclosure control like any
other figure, so a hidden month is a gap. The other key figures
(persons accompanied, new persons, workshop figures) count distinct persons
over the whole range and have no monthly metric; they get no trend rather
than a costly one (one overview per month would be 12 to 24 more
computations per filter change). Trends are memoised per data snapshot and
filters.
"""

from collections import OrderedDict
from typing import Any

from dashboard.disclosure import figures
from dashboard.periods import label_of
from dashboard.ui.context import PageContext
from dashboard.ui.kpi import RATE_FIGURES, range_months

# figure -> (metric, column holding the TOTAL code, column of the figure)
TREND_SOURCES: dict[str, tuple[str, str, str]] = {
    "referrals": ("referrals-by-source", "source", "referrals"),
    "exits": ("exits", "program", "exits"),
    "housing_positive_rate": ("exits", "program", "housing_positive_rate"),
    "dynamic_exit_rate": ("exits", "program", "dynamic_exit_rate"),
}
_MEMO: OrderedDict[tuple, dict[str, list[float | None]]] = OrderedDict()
_MEMO_SIZE = 32


def monthly_trends(ctx: PageContext) -> dict[str, list[float | None]]:
    """figure -> its value for each month of the filter's range (None where hidden or undefined);
    empty when the range has no whole month of data."""
    last_day, start, end = ctx.data.last_day, ctx.filters.start, ctx.filters.end
    if last_day is None or start is None or end is None:
        return {}
    base = ctx.filters.with_(by="month")
    key = (id(ctx.data), base, last_day)
    if key in _MEMO:
        _MEMO.move_to_end(key)
        return _MEMO[key]
    months = range_months(start, end, last_day)
    if not months:
        return {}
    labels = [label_of(first, "month") for first, _ in months]
    span = base.with_(start=months[0][0], end=months[-1][1])
    computed = {name: figures(name, ctx.data, span, published=False) for name in {m for m, _, _ in TREND_SOURCES.values()}}
    trends: dict[str, list[float | None]] = {}
    for figure, (metric, code_column, column) in TREND_SOURCES.items():
        shown = computed[metric]
        if shown.too_small:
            trends[figure] = [None] * len(labels)
            continue
        totals = shown.table.with_columns(shown.suppressed[column].alias("__hidden")).filter(
            shown.table[code_column] == "TOTAL"
        )
        by_period = {p: (None if h else v) for p, v, h in zip(totals["period"], totals[column], totals["__hidden"], strict=True)}
        empty = None if figure in RATE_FIGURES else 0.0
        trends[figure] = [by_period.get(label, empty) for label in labels]
    _MEMO[key] = trends
    while len(_MEMO) > _MEMO_SIZE:
        _MEMO.popitem(last=False)
    return trends


def denominators(protected: Any) -> dict[str, int]:
    """figure -> the n a shown rate is computed on (exits or expected attendances), as published: the
    perturbed denominator that disclosure control gives beside each shown rate, never the raw count."""
    table = protected.table
    if "n" not in table.columns:
        return {}
    return {f: int(n) for f, n in zip(table["figure"], table["n"], strict=True) if f in RATE_FIGURES and n is not None}
