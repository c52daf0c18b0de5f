"""Assessment levels laid out once per snapshot, so needs figures stay fast.

On a federation's data (millions of evaluations) grouping by person, domain
and period on every filter change is too slow for an interactive page. So,
once per ``Data`` snapshot, evaluations are encoded as integers (day,
month index, domain index) and sorted so that the groups the figures need
are contiguous runs of rows; each figure is then a filter, a few shifts and
cumulative sums, and one count over a small packed integer key (``tally``).

For each evaluation the layout also records the day and month of the next
evaluation of the same person and domain: an evaluation is the *latest of
its period* unless that next one falls in the same period and inside the
filtered range.
"""

import json
from dataclasses import dataclass
from datetime import date
from functools import cached_property

import numpy as np
import polars as pl

from dashboard import prebuilt
from dashboard.data import Data
from dashboard.filters import Filters
from dashboard.metrics.common import SNAPSHOT_CACHE, restricted, selection

PERIOD_MONTHS = {"month": 1, "quarter": 3, "year": 12}
_EPOCH = date(1970, 1, 1)


@dataclass(frozen=True)
class Layout:
    """Encoded evaluations and the codes behind their integer columns.

    ``frame`` columns: pid, _group (index into ``groups``), _dom (index into
    ``domains``), _day (days since 1970-01-01), _month (year * 12 + month - 1),
    level, pk (the person's record key), _next_day, _next_month (null when no
    later evaluation).
    """

    frame: pl.DataFrame
    domains: list[str]
    groups: list[str]

    @cached_property
    def offsets(self) -> np.ndarray:
        """``offsets[pid]`` is the first row of person ``pid`` (rows are sorted by person first), ``offsets[pid + 1]``
        the row after their last: a person's rows are one slice."""
        pids = self.frame["pid"].to_numpy()
        top = int(pids.max()) + 1 if len(pids) else 0
        return np.searchsorted(pids, np.arange(top + 1), side="left")

    @cached_property
    def run_starts(self) -> np.ndarray:
        """Whether each row is the first of its (person, domain) run, in a layout sorted by person, domain and day
        (``by_domain``)."""
        return run_starts(self.frame)


def run_starts(frame: pl.DataFrame) -> np.ndarray:
    """Whether each row of ``frame`` (sorted by person, then domain) starts a (person, domain) run."""
    pid, dom = frame["pid"].to_numpy(), frame["_dom"].to_numpy()
    starts = np.ones(len(pid), dtype=bool)
    starts[1:] = (pid[1:] != pid[:-1]) | (dom[1:] != dom[:-1])
    return starts


def sort_packed(frame: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """``frame.sort(keys)`` for integer keys, packed into one UInt64 when their ranges fit.

    Sorting one packed column is several times faster than a multi-column
    sort on millions of rows.
    """
    if frame.is_empty():
        return frame
    bounds = frame.select(pl.col(keys).min().name.suffix("_min"), pl.col(keys).max().name.suffix("_max")).row(0, named=True)
    widths = [max(int(bounds[f"{k}_max"]) - int(bounds[f"{k}_min"]), 1).bit_length() for k in keys]
    if sum(widths) > 64:
        return frame.sort(keys)
    packed = pl.lit(0, dtype=pl.UInt64)
    for key, width in zip(keys, widths, strict=True):
        packed = packed * (1 << width) + (pl.col(key).cast(pl.Int64) - int(bounds[f"{key}_min"])).cast(pl.UInt64)
    return frame.with_columns(packed.alias("_sort_key")).sort("_sort_key").drop("_sort_key")


def _encoded(data: Data) -> tuple[pl.DataFrame, list[str]]:
    """Evaluations sorted by (pid, domain, date) with the next evaluation's day and month."""
    domains = sorted(set(data.assessments["domain"].unique().to_list()) | set(data.domain_readings["domain"].to_list()))
    day = pl.col("assessment_date")
    same = (pl.col("pid") == pl.col("pid").shift(-1)) & (pl.col("_dom") == pl.col("_dom").shift(-1))
    frame = (
        data.assessments.lazy()
        .select(
            "pid",
            pl.col("domain").cast(pl.Enum(domains)).to_physical().cast(pl.UInt8).alias("_dom"),
            day.cast(pl.Int32).alias("_day"),
            (day.dt.year().cast(pl.Int32) * 12 + day.dt.month().cast(pl.Int32) - 1).alias("_month"),
            pl.col("level").cast(pl.Int8),
            "pk",
        )
        .collect()
        .pipe(sort_packed, ["pid", "_dom", "_day"])
        .lazy()
        .with_columns(
            pl.when(same).then(pl.col("_day").shift(-1)).alias("_next_day"),
            pl.when(same).then(pl.col("_month").shift(-1)).alias("_next_month"),
        )
        .collect()
    )
    return frame, domains


def _indexed(layout: Layout, *, runs: bool = False) -> Layout:
    """``layout`` with its indexes worked out with it, once per snapshot (not on the first filter that needs them);
    ``runs`` for a layout sorted by person, domain and day (``by_domain``)."""
    _ = layout.offsets
    if runs:
        _ = layout.run_starts
    return layout


LAYOUTS = ("domain", "kind", "pillar")
"""The layouts of a snapshot: by domain, and by each reading of the domains."""


def layout_of(data: Data, name: str) -> Layout:
    """The layout ``name`` of ``LAYOUTS``."""
    return by_domain(data) if name == "domain" else by_reading(data, name)


def stored(layout: Layout) -> tuple[pl.DataFrame, dict[str, str]]:
    """What is written of a layout (``dashboard.rollups``): its frame, and its codes as metadata."""
    return layout.frame, {"domains": json.dumps(layout.domains), "groups": json.dumps(layout.groups)}


def _mapped(data: Data, name: str, *, runs: bool = False) -> Layout | None:
    """The layout ``name`` built with the snapshot's tables (``prebuilt.layout``), mapped: one copy for every app
    process, not one each (on XL, three layouts of 27 million evaluations: 2 GB a process)."""
    found = prebuilt.layout(data, f"levels.{name}")
    if found is None:
        return None
    frame, codes = found
    return _indexed(Layout(frame, json.loads(codes["domains"]), json.loads(codes["groups"])), runs=runs)


def by_domain(data: Data) -> Layout:
    """Evaluations sorted by (pid, domain, date); ``groups`` are the domains."""

    def compute() -> Layout:
        mapped = _mapped(data, "domain", runs=True)
        if mapped is not None:
            return mapped
        frame, domains = _encoded(data)
        return _indexed(Layout(frame.with_columns(pl.col("_dom").alias("_group")), domains, domains), runs=True)

    return SNAPSHOT_CACHE.get(data, ("levels", "domain"), compute)


def by_reading(data: Data, reading: str) -> Layout:
    """Evaluations of domains with a ``reading`` (kind or pillar), sorted by (pid, group, date, domain)."""

    def compute() -> Layout:
        mapped = _mapped(data, reading)
        if mapped is not None:
            return mapped
        base = by_domain(data)
        readings = data.domain_readings.filter(pl.col(reading).is_not_null())
        groups = sorted(set(readings[reading].to_list()))
        lookup = pl.DataFrame({
            "_dom": [base.domains.index(d) for d in readings["domain"]],
            "_group": [groups.index(g) for g in readings[reading]],
        }, schema={"_dom": pl.UInt8, "_group": pl.UInt8})
        frame = base.frame.drop("_group").join(lookup, on="_dom", how="inner")
        frame = sort_packed(frame, ["pid", "_group", "_day", "_dom"])
        return _indexed(Layout(frame, base.domains, groups))

    return SNAPSHOT_CACHE.get(data, ("levels", reading), compute)


def day_number(day: date) -> int:
    """Days since 1970-01-01 (the layout's ``_day``)."""
    return (day - _EPOCH).days


FEW = 0.05
"""Below this share of the persons, a selection's rows are gathered slice by slice (one structure of a federation:
a few thousand rows of 30 million); above, by a mask over every row."""


def rows_of(layout: Layout, pids: np.ndarray) -> np.ndarray:
    """The rows of persons ``pids`` (sorted, distinct), in the layout's order."""
    offsets = layout.offsets
    pids = pids[pids < len(offsets) - 1]  # a person without evaluation has no row
    starts, lengths = offsets[pids], offsets[pids + 1] - offsets[pids]
    total = int(lengths.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    # Each row is its slice's start plus its place in the slice: runs of ``arange`` without a Python loop.
    shift = np.repeat(starts - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
    return shift + np.arange(total)


def chosen(layout: Layout, data: Data, filters: Filters) -> pl.DataFrame:
    """The layout's rows of the selected persons inside the filter's dates, order kept."""
    frame = of_persons(layout, data, filters)
    if filters.start:
        frame = frame.filter(pl.col("_day") >= day_number(filters.start))
    if filters.end:
        frame = frame.filter(pl.col("_day") <= day_number(filters.end))
    return frame


def of_persons(layout: Layout, data: Data, filters: Filters) -> pl.DataFrame:
    """The layout's rows of the selected persons (all of them for the whole network), order kept."""
    frame = layout.frame
    if restricted(filters):
        pids = np.sort(selection(data, filters).persons["pid"].to_numpy())
        if len(pids) < FEW * data.persons.height:
            frame = frame[rows_of(layout, pids)]
        else:
            keep = np.zeros(data.persons.height, dtype=bool)
            keep[pids] = True
            frame = frame.filter(pl.Series(keep).gather(frame["pid"]))
    return frame


def latest_in_period(layout: Layout, data: Data, filters: Filters) -> pl.DataFrame:
    """Chosen rows that are the latest evaluation of their domain in their period, with ``_p``.

    ``_p`` is the period index (months since year 0 divided by the period's
    length in months); order is kept.
    """
    months = PERIOD_MONTHS[filters.by]
    next_inside = pl.col("_next_day").is_not_null()
    if filters.end:
        next_inside = next_inside & (pl.col("_next_day") <= day_number(filters.end))
    superseded = next_inside & ((pl.col("_next_month") // months) == (pl.col("_month") // months))
    return chosen(layout, data, filters).filter(~superseded).with_columns((pl.col("_month") // months).alias("_p"))


def period_start_of(index: pl.Expr, months: int) -> pl.Expr:
    """The first day of period ``index`` (see ``latest_in_period``)."""
    first_month = index * months
    return pl.date(first_month // 12, first_month % 12 + 1, 1)


def tally(frame: pl.DataFrame, keys: dict[str, int], sums: dict[str, pl.Expr] | None = None) -> pl.DataFrame:
    """Rows (``_rows``) and ``sums`` per combination of small non-negative integer keys.

    ``keys`` maps each key column to its number of values (0..n-1).
    Counting with ``numpy.bincount`` on one packed int32 key is several
    times faster than a polars group-by on millions of rows; callers put
    small-valued figures (a level, a flag) in the keys rather than in sums.
    Only combinations with rows are returned, in key order; sums are Float64.
    """
    sums = sums or {}
    schema = {**dict.fromkeys(keys, pl.Int64), "_rows": pl.Int64, **dict.fromkeys(sums, pl.Float64)}
    if frame.is_empty():
        return pl.DataFrame(schema=schema)
    size = 1
    for count in keys.values():
        size *= count
    dtype = pl.Int32 if size < 2**31 else pl.Int64
    packed = pl.lit(0, dtype=dtype)
    for column, count in keys.items():
        packed = packed * count + pl.col(column).cast(dtype)
    columns = frame.select(packed.alias("_packed"), *(expr.cast(pl.Float64).alias(name) for name, expr in sums.items()))
    index = columns["_packed"].to_numpy()
    counted = {"_packed": np.arange(size), "_rows": np.bincount(index, minlength=size)}
    for name in sums:
        counted[name] = np.bincount(index, weights=columns[name].to_numpy(), minlength=size)
    result = pl.DataFrame(counted).filter(pl.col("_rows") > 0)
    unpacked = []
    divisor = size
    for column, count in keys.items():
        divisor //= count
        unpacked.append((pl.col("_packed") // divisor % count).alias(column))
    return result.with_columns(unpacked).select(list(schema)).cast(schema)  # type: ignore[arg-type]
