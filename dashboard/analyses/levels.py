"""Each person's needs level per life domain at entry and near later horizons, in one pass over the assessments.

Read from the assessments layout the snapshot keeps (``dashboard.metrics.levels.by_domain``: sorted by person,
domain and date, shared with the trend pages and the cohorts), so no join with the whole table and no sort:
on a federation's data that is what keeps the Analyses page under its time budget.

- At entry: the earliest assessment of the domain dated from ``ENTRY_BEFORE_DAYS`` before entry to
  ``ENTRY_AFTER_DAYS`` after it.
- At ``h`` months: the assessment closest to entry + ``h`` months within ``HORIZON_DAYS`` days either side
  (the earliest of two equally close).
"""

import numpy as np
import polars as pl

from dashboard.cohorts.rows import NONE, by_pid, day_number, layout_arrays
from dashboard.data import Data
from dashboard.metrics.levels import by_domain

ENTRY_BEFORE_DAYS = 30
ENTRY_AFTER_DAYS = 60
HORIZON_DAYS = 60


def later(h: int) -> str:
    """The column of the level at ``h`` months."""
    return f"later_{h}"


def domain_levels(data: Data, people: pl.DataFrame, horizons: tuple[int, ...] = ()) -> pl.DataFrame:
    """pid, domain, level (at entry, null when none) and ``later(h)`` for every horizon (null when none): one row
    per person of ``people`` (pid, entry_date) and domain with at least one of them; sorted by pid, domain."""
    frame, pids, day = layout_arrays(data)
    schema = {"pid": pl.UInt32, "domain": pl.String, "level": pl.Int64, **{later(h): pl.Int64 for h in horizons}}
    if people.is_empty() or frame.is_empty():
        return pl.DataFrame(schema=schema)
    entry = by_pid(data, people, day_number(pl.col("entry_date")))[pids]
    known = entry != NONE
    since = day - entry
    at_entry = known & (since >= -ENTRY_BEFORE_DAYS) & (since <= ENTRY_AFTER_DAYS)
    keep = at_entry.copy()
    gaps: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for h in horizons:
        target = by_pid(data, people, day_number(pl.col("entry_date").dt.offset_by(f"{h}mo")))[pids]
        gap = np.abs(day - target)
        near = known & (gap <= HORIZON_DAYS)
        keep |= near
        gaps[h] = gap, near
    rows = np.flatnonzero(keep)
    person, domain = pids[rows], frame["_dom"].to_numpy()[rows]
    level = frame["level"].to_numpy()[rows].astype(np.int64)
    # One group per person and domain; the layout's rows run by person, domain and date.
    first = np.r_[True, (person[1:] != person[:-1]) | (domain[1:] != domain[:-1])] if len(rows) else np.zeros(0, bool)
    group = np.cumsum(first) - 1
    columns = {"pid": person[first], "_dom": domain[first], "level": _first_of(group, at_entry[rows], level, first.sum())}
    for h, (gap, near) in gaps.items():
        # Closest first, then the earliest of two equally close (lexsort is stable: the date order stays).
        inside = np.flatnonzero(near[rows])
        order = inside[np.lexsort((gap[rows][inside], group[inside]))]
        columns[later(h)] = _first_of(group[order], np.ones(len(order), bool), level[order], first.sum())
    domains = by_domain(data).domains
    return (
        pl.DataFrame(columns)
        .with_columns(pl.col("pid").cast(pl.UInt32),
                      pl.col("_dom").replace_strict(list(range(len(domains))), domains, return_dtype=pl.String)
                      .alias("domain"),
                      *(pl.col(c).fill_nan(None).cast(pl.Int64) for c in ("level", *map(later, horizons))))
        .select(*schema)
    )


def _first_of(group: np.ndarray, wanted: np.ndarray, values: np.ndarray, groups: int) -> np.ndarray:
    """Per group (0..groups-1, rows in group order), the value of its first wanted row; NaN when none."""
    out = np.full(groups, np.nan)
    chosen = np.flatnonzero(wanted)
    if len(chosen):
        g = group[chosen]
        lead = np.r_[True, g[1:] != g[:-1]]
        out[g[lead]] = values[chosen[lead]]
    return out


def by_person(levels: pl.DataFrame, people: pl.DataFrame, column: str, domains: list[str]) -> np.ndarray:
    """(persons, domains): ``column`` of ``levels`` (a ``domain_levels`` frame) for each person of ``people`` in
    its order and each of ``domains``; NaN where there is none (a scatter, cheaper than a pivot and a join)."""
    out = np.full((people.height, len(domains)), np.nan)
    rows = (
        levels.select("pid", "domain", column)
        .drop_nulls(column)
        .join(people.select("pid").with_row_index("_row"), on="pid", how="inner")
        .with_columns(pl.col("domain").replace_strict(domains, list(range(len(domains))), default=-1,
                                                      return_dtype=pl.Int64).alias("_col"))
        .filter(pl.col("_col") >= 0)
    )
    out[rows["_row"].to_numpy(), rows["_col"].to_numpy()] = rows[column].to_numpy().astype(np.float64)
    return out
