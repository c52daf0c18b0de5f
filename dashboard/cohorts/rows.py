"""A cohort's assessments and attendances, cut from layouts the snapshot keeps, for figures since the anchor.

On a federation's data (millions of assessments and attendances) joining
each cohort to the whole tables is too slow for a page that compares four
cohorts. Persons are numbered 0..n-1 (``pid``), so a cohort is a Boolean
array and its anchors an array of days, both indexed by pid: cutting a
layout is one ``gather``, and the layout's order (by person, domain, date)
is kept, so "latest level of a domain" needs no sort.

Days are integers (days since 1970-01-01) and months ``year * 12 + month - 1``,
as in ``dashboard.metrics.levels``.
"""

from datetime import date

import numpy as np
import polars as pl

from dashboard.data import Data
from dashboard.metrics.common import SNAPSHOT_CACHE
from dashboard.metrics.levels import by_domain

BASELINE_BEFORE = 180
BASELINE_AFTER = 30
NONE = np.iinfo(np.int32).min
_EPOCH = date(1970, 1, 1)


def day_number(day: pl.Expr) -> pl.Expr:
    return (day - pl.lit(_EPOCH)).dt.total_days().cast(pl.Int32)


def by_pid(data: Data, anchors: pl.DataFrame, values: pl.Expr) -> np.ndarray:
    """``values`` (an Int32 expression over ``anchors``) laid out by pid; ``NONE`` for persons not anchored."""
    size = int(data.persons["pid"].max()) + 1 if data.persons.height else 0  # type: ignore[arg-type]
    out = np.full(size, NONE, dtype=np.int32)
    if anchors.height:
        out[anchors["pid"].to_numpy()] = anchors.select(values.cast(pl.Int32)).to_series().to_numpy()
    return out


def layout_arrays(data: Data) -> tuple[pl.DataFrame, np.ndarray, np.ndarray]:
    """The assessments layout with its pid and day columns as numpy arrays (converted once per snapshot)."""
    def compute() -> tuple[pl.DataFrame, np.ndarray, np.ndarray]:
        frame = by_domain(data).frame
        return frame, frame["pid"].to_numpy(), frame["_day"].to_numpy()

    return SNAPSHOT_CACHE.get(data, ("cohorts", "layout"), compute)


def assessment_rows(data: Data, anchors: pl.DataFrame) -> pl.DataFrame:
    """The anchored persons' assessments from ``BASELINE_BEFORE`` days before their anchor on.

    Columns of ``dashboard.metrics.levels.by_domain`` (pid, _dom, _day, _month, level, pk...) plus ``_anchor``
    (the anchor's day) and ``_anchor_month``; ordered by person, domain and date.
    """
    frame, pids, day = layout_arrays(data)
    anchor = by_pid(data, anchors, day_number(pl.col("anchor_date")))
    days = anchor[pids]
    keep = (days != NONE) & (day >= days - BASELINE_BEFORE)
    picked = frame.filter(pl.Series(keep)).with_columns(pl.Series("_anchor", days[keep], dtype=pl.Int32))
    month = by_pid(data, anchors, pl.col("anchor_date").dt.year() * 12 + pl.col("anchor_date").dt.month() - 1)
    return picked.with_columns(pl.Series("_anchor_month", month[picked["pid"].to_numpy()], dtype=pl.Int32))


def domain_readings(data: Data) -> pl.DataFrame:
    """(_dom, domain, kind, pillar): the layout's domain numbers with their reading."""
    domains = by_domain(data).domains
    return pl.DataFrame({"_dom": list(range(len(domains))), "domain": domains}, schema={"_dom": pl.UInt8,
                        "domain": pl.String}).join(data.domain_readings.select("domain", "kind", "pillar"),
                                                   on="domain", how="left", maintain_order="left")


def needs_at_entry(data: Data, anchors: pl.DataFrame, rows: pl.DataFrame | None = None) -> pl.LazyFrame:
    """(pid, domain, level, kind, pillar): each person's baseline level per domain, the latest assessment from
    ``BASELINE_BEFORE`` days before the anchor to ``BASELINE_AFTER`` days after it (``rows``: the anchors'
    ``assessment_rows`` when the caller has them)."""
    rows = assessment_rows(data, anchors) if rows is None else rows
    return (
        rows.lazy().filter(pl.col("_day") <= pl.col("_anchor") + BASELINE_AFTER)
        .group_by("pid", "_dom", maintain_order=True).agg(pl.col("level").last())
        .join(domain_readings(data).lazy(), on="_dom", how="left")
        .select("pid", "domain", "level", "kind", "pillar")
    )


def present_days(data: Data) -> pl.DataFrame:
    """(pid, _day) of every PRESENT attendance, ordered by person and day; kept per snapshot."""
    def compute() -> pl.DataFrame:
        return (data.attendances.lazy().filter(pl.col("presence") == "PRESENT", pl.col("pid").is_not_null())
                .select("pid", day_number(pl.col("session_date")).alias("_day")).collect().sort("pid", "_day"))

    return SNAPSHOT_CACHE.get(data, ("cohorts", "present"), compute)


def attended_between(data: Data, anchors: pl.DataFrame, months: int) -> pl.Series:
    """The pids of ``anchors`` with a PRESENT attendance from their anchor day to ``months`` months after it."""
    present = present_days(data)
    start = by_pid(data, anchors, day_number(pl.col("anchor_date")))
    end = by_pid(data, anchors, day_number(pl.col("anchor_date").dt.offset_by(f"{months}mo")))
    pids = present["pid"].to_numpy()
    days = present["_day"].to_numpy()
    inside = (start[pids] != NONE) & (days >= start[pids]) & (days <= end[pids])
    return pl.Series("pid", np.unique(pids[inside]), dtype=pl.UInt32)


def horizon_end(horizon: int) -> pl.Expr:
    return day_number(pl.col("anchor_date").dt.offset_by(f"{horizon}mo"))


__all__ = ["BASELINE_AFTER", "BASELINE_BEFORE", "NONE", "assessment_rows", "attended_between", "by_pid", "day_number",
           "domain_readings", "horizon_end", "needs_at_entry", "present_days"]
