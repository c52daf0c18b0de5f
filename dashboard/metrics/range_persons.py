"""Events and distinct persons over any range of whole months, from a table of at most months² rows.

Events add up across months; persons do not (a person seen in two months of a range is one person in it). For a
range of whole months [a, b], the persons seen in it are those whose *first* month in the range is in it: the
(person, month ``m``) rows with a <= m <= b whose previous month for that person, ``prev``, is before a (-1 when
there is none). So the persons behind any range, and their cell key (the sum of their record keys), are sums over
the (m, prev) pairs of the range: rows summed per (group, m, prev) once per data version answer every range
exactly, whatever the number of persons (``build``, then ``in_range``).

A group (a kind of count, a territory...) has its own ``prev``: it is taken over the person's months in that
group only.
"""

from collections.abc import Sequence
from datetime import timedelta

import polars as pl

from dashboard.filters import Filters
from dashboard.perturbation import KEY_RANGE

NONE = -1
"""``prev`` of a person's first month."""

COLUMNS = ["m", "prev", "events", "ek", "persons", "pk"]
"""The columns of a table after its kind ``c`` and groups."""


def month_index(day: pl.Expr) -> pl.Expr:
    """Months since year 0 (January 2024 is 2024 * 12)."""
    return day.dt.year().cast(pl.Int32) * 12 + day.dt.month().cast(pl.Int32) - 1


def whole_months(filters: Filters) -> tuple[int, int] | None:
    """The first and last month index of the filter's dates when they fall on whole months (an open end reaches
    every month); None when a date cuts a month."""
    start, end = filters.start, filters.end
    if (start is not None and start.day != 1) or (end is not None and (end + timedelta(days=1)).day != 1):
        return None
    first = -(2**31) if start is None else start.year * 12 + start.month - 1
    return first, 2**31 - 1 if end is None else end.year * 12 + end.month - 1


def build(kinds: dict[str, pl.LazyFrame], groups: Sequence[str] = ()) -> pl.DataFrame:
    """Per (kind ``c``, groups, m, prev): ``events`` and ``ek`` (their key sum), ``persons`` and ``pk`` (their key
    sum).

    ``kinds``: for each kind of count (``c``), one row per event, with ``groups``, ``m`` (month index), ``pid``,
    ``pk``, ``ek``, and ``n`` (the events the row stands for, 1 when absent). A person's events of one month are
    summed first: a person is never counted twice in a month. Each kind is summed on its own (on XL, the rows of
    all kinds at once would take several GB more).
    """
    return pl.concat([_summed(rows, groups).with_columns(pl.lit(kind).alias("c")).select("c", *groups, *COLUMNS)
                      for kind, rows in kinds.items()])


def _summed(rows: pl.LazyFrame, groups: Sequence[str]) -> pl.DataFrame:
    n = pl.col("n").sum() if "n" in rows.collect_schema().names() else pl.len()
    keys = [*groups, "pid"]
    per_month = rows.group_by(*keys, pl.col("m").cast(pl.Int32)).agg(
        n.cast(pl.Int64).alias("events"), pl.col("ek").cast(pl.Int64).sum().alias("ek"),
        pl.col("pk").first().cast(pl.Int64).alias("pk"),
    ).sort(*keys, "m")
    with_prev = per_month.with_columns(pl.col("m").shift(1).over(keys).fill_null(NONE).cast(pl.Int32).alias("prev"))
    return (
        with_prev.group_by(*groups, "m", "prev")
        .agg(pl.col("events").sum(), pl.col("ek").sum(), pl.len().cast(pl.Int64).alias("persons"), pl.col("pk").sum())
        .sort(*groups, "m", "prev")
        .collect()
    )


def in_range(table: pl.DataFrame, first: int, last: int, groups: Sequence[str] = ()) -> pl.DataFrame:
    """Per group, over the months ``first``..``last``: ``events``, ``_ck`` (their cell key), ``persons`` (distinct)
    and ``_pk`` (their cell key), as ``event_count`` counts them from the rows. A group without rows is absent."""
    inside = table.lazy().filter(pl.col("m").is_between(first, last))
    entered = pl.col("prev") < max(first, 0)  # month indexes are >= 0: an open start is month 0
    aggregates = [
        pl.col("events").sum().cast(pl.Int64).alias("events"), (pl.col("ek").sum() % KEY_RANGE).alias("_ck"),
        pl.col("persons").filter(entered).sum().cast(pl.Int64).alias("persons"),
        (pl.col("pk").filter(entered).sum() % KEY_RANGE).alias("_pk"),
    ]
    if not groups:
        return inside.select(aggregates).collect()
    return inside.group_by(*groups).agg(aggregates).sort(*groups).collect()
