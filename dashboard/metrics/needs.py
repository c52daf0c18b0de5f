"""Needs (Besoins): levels by life domain, kind and pillar; distance travelled.

Levels run from 1 (in crisis) to 5 (autonomous); a person is *in need* in a
domain when their level is 1 or 2. Kinds and pillars are read from
``data.domain_readings`` (a structure can re-classify a domain), never from
code. A domain with no reading counts in ``needs-over-time`` only.
"""

from typing import cast

import numpy as np
import polars as pl

from dashboard.data import Data
from dashboard.filters import Filters
from dashboard.metrics.common import finish, helpers, rate
from dashboard.metrics.levels import (
    PERIOD_MONTHS,
    Layout,
    by_domain,
    by_reading,
    day_number,
    latest_in_period,
    of_persons,
    period_start_of,
    run_starts,
    tally,
)
from dashboard.periods import period_label
from dashboard.perturbation import KEY_RANGE

IN_NEED_MAX_LEVEL = 2

_NEEDS_KEYS = [*helpers("persons_assessed", "persons_in_need", events=False), "_sum_mean_level"]
_FIGURES = ["persons_assessed", "persons_in_need", "share_in_need", "mean_level", *_NEEDS_KEYS]
NEEDS_OVER_TIME = ["period", "domain", *_FIGURES]
NEEDS_BY_KIND = ["period", "kind", *_FIGURES]
NEEDS_BY_PILLAR = ["period", "pillar", *_FIGURES]
DISTANCE_TRAVELLED = [
    "domain", "persons", "improved", "stable", "worsened", "share_improved", "mean_change",
    *helpers("persons", "improved", "stable", "worsened", events=False), "_sum_mean_change",
]


def _key(rows: pl.Expr) -> pl.Expr:
    """The cell key from the summed person keys (``tally`` sums in Float64, exact at these sizes)."""
    return rows.sum().round().cast(pl.Int64) % KEY_RANGE


def _by_period(
    frame: pl.DataFrame, layout: Layout, keys: dict[str, tuple[pl.Expr, int]], sums: dict[str, pl.Expr] | None = None
) -> pl.DataFrame:
    """``tally`` per (period, group) and the extra small-valued ``keys`` (name: (expression, values))."""
    # Period indexes are integers: the min and max of a non-empty integer column are ints.
    first = int(cast(int, frame["_p"].min())) if not frame.is_empty() else 0
    periods = (int(cast(int, frame["_p"].max())) - first + 1) if not frame.is_empty() else 1
    sums = {**(sums or {}), "_pk": pl.col("pk")}
    shifted = frame.select(
        (pl.col("_p") - first).alias("_p"), "_group",
        *(expr.alias(name) for name, (expr, _) in keys.items()),
        *(expr.alias(name) for name, expr in sums.items()),
    )
    sizes = {"_p": periods, "_group": len(layout.groups), **{name: size for name, (_, size) in keys.items()}}
    counted = tally(shifted, sizes, {name: pl.col(name) for name in sums})
    return counted.with_columns(pl.col("_p") + first)


def _labelled(frame: pl.DataFrame, layout: Layout, group: str, filters: Filters) -> pl.DataFrame:
    """Integer period and group indexes back to labels and codes; share added."""
    return frame.with_columns(
        period_label(period_start_of(pl.col("_p"), PERIOD_MONTHS[filters.by]), filters.by).alias("period"),
        pl.col("_group").replace_strict(list(range(len(layout.groups))), layout.groups, return_dtype=pl.String).alias(group),
        rate("persons_in_need", "persons_assessed").alias("share_in_need"),
    )


def needs_over_time(data: Data, filters: Filters) -> pl.DataFrame:
    """Per period and domain: persons assessed, in need, share, mean of latest levels.

    Each person counts once per domain and period, with the level of their
    latest evaluation of the domain dated in the period (and in the
    filter's dates). Only (period, domain) pairs with at least one
    evaluation are listed; domains with no reading count here too.
    """
    layout = by_domain(data)
    latest = latest_in_period(layout, data, filters)
    counted = _by_period(latest, layout, {"_level": (pl.col("level"), 6)})
    in_need = pl.col("_level") <= IN_NEED_MAX_LEVEL
    frame = counted.group_by("_p", "_group").agg(
        pl.col("_rows").sum().alias("persons_assessed"),
        pl.col("_rows").filter(in_need).sum().alias("persons_in_need"),
        ((pl.col("_level") * pl.col("_rows")).sum() / pl.col("_rows").sum()).round(2).alias("mean_level"),
        _key(pl.col("_pk")).alias("_ck_persons_assessed"),
        _key(pl.col("_pk").filter(in_need)).alias("_ck_persons_in_need"),
        (pl.col("_level") * pl.col("_rows")).sum().cast(pl.Float64).alias("_sum_mean_level"),
    )
    return finish(_labelled(frame, layout, "domain", filters), NEEDS_OVER_TIME, ["period", "domain"])


def _by_reading(data: Data, filters: Filters, reading: str, columns: list[str]) -> pl.DataFrame:
    """Per period and group of domains (kind or pillar), counting persons.

    The layout is sorted by (person, group, date), so the latest levels of
    one person in one group and period are a contiguous run of rows: a
    person's count of levels, their sum and their count in need are
    differences of cumulative sums at the run's last row.
    """
    layout = by_reading(data, reading)
    latest = latest_in_period(layout, data, filters)
    run_end = pl.lit(False)
    for key in ("pid", "_group", "_p"):
        run_end = run_end | pl.col(key).ne_missing(pl.col(key).shift(-1))
    runs = (
        latest.lazy()
        .with_columns(
            run_end.alias("_end"),
            pl.col("level").cast(pl.Int64).cum_sum().alias("_levels"),
            (pl.col("level") <= IN_NEED_MAX_LEVEL).cast(pl.Int64).cum_sum().alias("_needs"),
            pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias("_count"),
        )
        .filter("_end")
        .with_columns(pl.col(c) - pl.col(c).shift(1, fill_value=0) for c in ("_levels", "_needs", "_count"))
        .collect()
    )
    counted = _by_period(runs, layout, {"_in_need": (pl.col("_needs") > 0, 2)},
                         {"_mean": pl.col("_levels") / pl.col("_count")})
    in_need = pl.col("_in_need") == 1
    frame = counted.group_by("_p", "_group").agg(
        pl.col("_rows").sum().alias("persons_assessed"),
        pl.col("_rows").filter(in_need).sum().alias("persons_in_need"),
        (pl.col("_mean").sum() / pl.col("_rows").sum()).round(2).alias("mean_level"),
        _key(pl.col("_pk")).alias("_ck_persons_assessed"),
        _key(pl.col("_pk").filter(in_need)).alias("_ck_persons_in_need"),
        pl.col("_mean").sum().alias("_sum_mean_level"),
    )
    return finish(_labelled(frame, layout, reading, filters), columns, ["period", reading])


def needs_by_kind(data: Data, filters: Filters) -> pl.DataFrame:
    """Like ``needs_over_time`` by kind of need (practical / strategic).

    A person is assessed for a kind when assessed in the period for at least
    one of its domains, in need when in need in at least one of them;
    ``mean_level`` averages, over persons, the mean of each person's latest
    levels in the kind's domains.
    """
    return _by_reading(data, filters, "kind", NEEDS_BY_KIND)


def needs_by_pillar(data: Data, filters: Filters) -> pl.DataFrame:
    """Like ``needs_by_kind`` by pillar; domains without a pillar are left out."""
    return _by_reading(data, filters, "pillar", NEEDS_BY_PILLAR)


def distance_travelled(data: Data, filters: Filters) -> pl.DataFrame:
    """Per domain, first vs latest level of persons evaluated at least twice in the range.

    Higher levels are better: ``improved`` means latest > first.
    ``share_improved`` = improved / persons; ``mean_change`` = mean of
    latest - first, 2 decimals. Periods play no part: the range is the
    filter's dates (all data when none).
    """
    layout = by_domain(data)
    frame = of_persons(layout, data, filters)
    day = frame["_day"].to_numpy()
    inside = np.ones(len(day), dtype=bool)
    if filters.start:
        inside &= day >= day_number(filters.start)
    if filters.end:
        inside &= day <= day_number(filters.end)
    # Rows are sorted by (person, domain, day): the rows of a run inside the range are contiguous. Its first is
    # inside and starts the run or follows a row outside; its last ends the run or precedes a row outside.
    starts = layout.run_starts if frame.height == layout.frame.height else run_starts(frame)
    ends = np.ones(len(day), dtype=bool)
    ends[:-1] = starts[1:]
    before, after = np.zeros(len(day), dtype=bool), np.zeros(len(day), dtype=bool)
    before[1:], after[:-1] = inside[:-1], inside[1:]
    first = np.flatnonzero(inside & (starts | ~before))
    last = np.flatnonzero(inside & (ends | ~after))
    twice = last > first  # evaluated at least twice in the range
    first, last = first[twice], last[twice]
    level = frame["level"].to_numpy().astype(np.int64)
    changes = pl.DataFrame({
        "_group": frame["_group"].to_numpy()[first], "_change": level[last] - level[first],
        "pk": frame["pk"].to_numpy()[first],
    })
    levels = 5  # changes run from -4 to +4
    counted = tally(changes.with_columns(pl.col("_change") + (levels - 1)), {"_group": len(layout.groups), "_change": 2 * levels - 1},
                    {"_pk": pl.col("pk")})
    change, rows, keys = pl.col("_change") - (levels - 1), pl.col("_rows"), pl.col("_pk")
    frame = counted.group_by("_group").agg(
        rows.sum().alias("persons"),
        rows.filter(change > 0).sum().alias("improved"),
        rows.filter(change == 0).sum().alias("stable"),
        rows.filter(change < 0).sum().alias("worsened"),
        ((change * rows).sum() / rows.sum()).round(2).alias("mean_change"),
        _key(keys).alias("_ck_persons"),
        _key(keys.filter(change > 0)).alias("_ck_improved"),
        _key(keys.filter(change == 0)).alias("_ck_stable"),
        _key(keys.filter(change < 0)).alias("_ck_worsened"),
        (change * rows).sum().cast(pl.Float64).alias("_sum_mean_change"),
    ).with_columns(
        pl.col("_group").replace_strict(list(range(len(layout.groups))), layout.groups, return_dtype=pl.String).alias("domain"),
    ).with_columns(rate("improved", "persons").alias("share_improved"))
    return finish(frame, DISTANCE_TRAVELLED, ["domain"])
