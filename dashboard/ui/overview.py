"""The overview's extras: monthly trends per key figure and the n behind each rate.

Trends are the overview figures of each of the last 24 calendar months,
each month through disclosure control like any other figure (a hidden
month is a gap). They depend only on the data and the non-date filters,
so they are memoised per data snapshot and filters.
"""

from collections import OrderedDict
from typing import Any

from dashboard.metrics import METRICS
from dashboard.ui.context import PageContext
from dashboard.ui.kpi import RATE_FIGURES, whole_months

TREND_MONTHS = 24
_MEMO: OrderedDict[tuple, dict[str, list[float | None]]] = OrderedDict()
_MEMO_SIZE = 32


def monthly_trends(ctx: PageContext) -> dict[str, list[float | None]]:
    """figure -> its values for each of the last 24 whole months of data (None where hidden).

    The current, partial month is left out (it would read as a drop). Each
    overview call gives a month and, as its previous period, the month
    before: 12 calls cover 24 months.
    """
    from dashboard.disclosure import figures

    last_day = ctx.data.last_day
    if last_day is None:
        return {}
    base = ctx.filters.with_(start=None, end=None)
    key = (id(ctx.data), base, last_day)
    if key in _MEMO:
        _MEMO.move_to_end(key)
        return _MEMO[key]
    months = whole_months(last_day, TREND_MONTHS)
    trends: dict[str, list[float | None]] = {}
    for index in range(1, len(months), 2):
        start, end = months[index]
        pair = figures("overview", ctx.data, base.with_(start=start, end=end), published=False)
        if pair.too_small:
            for series in trends.values():
                series.extend([None, None])
            continue
        table, hidden = pair.table, pair.suppressed
        for row, figure in enumerate(table["figure"]):
            series = trends.setdefault(figure, [None] * (index - 1))
            series.append(None if hidden["previous"][row] else table["previous"][row])
            series.append(None if hidden["value"][row] else table["value"][row])
    _MEMO[key] = trends
    while len(_MEMO) > _MEMO_SIZE:
        _MEMO.popitem(last=False)
    return trends


def denominators(ctx: PageContext, protected: Any) -> dict[str, int]:
    """figure -> the n a shown rate is computed on (exits or expected attendances).

    Only for rates that are shown: their denominator passed the same
    threshold, so showing it tells nothing more.
    """
    raw = METRICS["overview"](ctx.data, ctx.filters)
    if "_value_n" not in raw.columns:
        return {}
    shown = dict(zip(protected.table["figure"], protected.suppressed["value"], strict=True))
    out = {}
    for figure, n in zip(raw["figure"], raw["_value_n"], strict=True):
        if figure in RATE_FIGURES and n is not None and not shown.get(figure, True) and n >= protected.k:
            out[figure] = int(n)
    return out
