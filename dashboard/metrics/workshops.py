"""Workshops (Ateliers): attendance, cohorts and breakdowns by kind of workshop.

A workshop is identified by (structure_id, workshop_id). Every figure reads
the session date; attendances are the rows of ``attendances`` (one per
person expected at a session): ``presences`` are the PRESENT rows,
``_expected`` every row (PRESENT, ABSENT or EXCUSE), the denominator of
``attendance_rate``. ``sessions`` counts the sessions held by the selected
workshops (whatever the person filters: a session is not a person).

Size L holds millions of attendance rows: each ``Data`` snapshot is turned
once into integer columns (workshop index, day, month index, pid) so that
every figure is integer group-bys, never string keys (``dashboard.metrics.workshop_frames``).
"""

from collections.abc import Callable
from datetime import date, timedelta

import polars as pl

from dashboard import prebuilt
from dashboard.data import Data
from dashboard.filters import Filters, Granularity
from dashboard.metrics import range_persons
from dashboard.metrics.common import UNKNOWN, PerSnapshot, helpers, rate, restricted, selection
from dashboard.metrics.workshop_frames import (
    _attendances,
    _by_month,
    _Frames,
    _frames,
    _group_sums,
    _per_person,
    _session_months,
    _workshop_months,
)
from dashboard.perturbation import KEY_RANGE

# Cell keys: ``persons`` counts persons; ``presences`` and ``_expected`` count attendances (events).
_KEYS = [*helpers("persons", events=False), *helpers("presences", "_expected")]
ATTENDANCE = [
    "period", "structure_id", "atelier_id", "workshop", "category", "sessions", "persons", "presences",
    "attendance_rate", "mean_persons_per_session", "_expected", *_KEYS,
]
COHORTS = ["cohort", "offset", "cohort_size", "persons_active", "retention", *helpers("cohort_size", "persons_active", events=False)]
STAYED_MONTHS = 3
"""A person new to a workshop is kept by it when still present this many months after their first month."""
RETENTION_COUNTS = ["newcomers", "returned", "retention", *helpers("newcomers", "returned", events=False)]
RETENTION = ["structure_id", "atelier_id", "workshop", "category", *RETENTION_COUNTS]
RETENTION_BY_CATEGORY = ["category", *RETENTION_COUNTS]
_COUNTS = ["sessions", "persons", "presences", "attendance_rate", "mean_persons_per_session", "_expected", *_KEYS]
BY_CATEGORY = ["period", "category", *_COUNTS]
BY_FACILITATOR = ["facilitator", *_COUNTS]
BY_CO_CONSTRUCTION = ["co_constructed", *_COUNTS]

_EPOCH = date(1970, 1, 1)
_PER_MONTHS = {"month": 1, "quarter": 3, "year": 12}


_ACTIVE = PerSnapshot(size=8)  # (chosen workshops, by) -> (pid, p, c)

def _day(value: date) -> int:
    return (value - _EPOCH).days


def _period(by: Granularity) -> pl.Expr:
    return (pl.col("m") // _PER_MONTHS[by]).alias("p")


def _period_label(column: str, by: Granularity) -> pl.Expr:
    """``2024``, ``2024-Q1`` or ``2024-03`` from a period index (months, quarters or years since year 0)."""
    index = pl.col(column)
    if by == "year":
        return index.cast(pl.String)
    if by == "quarter":
        return pl.format("{}-Q{}", index // 4, index % 4 + 1)
    return pl.format("{}-{}", index // 12, (index % 12 + 1).cast(pl.String).str.zfill(2))


def _in_days(filters: Filters) -> pl.Expr:
    expr = pl.lit(True)
    if filters.start:
        expr = expr & (pl.col("day") >= _day(filters.start))
    if filters.end:
        expr = expr & (pl.col("day") <= _day(filters.end))
    return expr


def _selected_workshops(frames: _Frames, filters: Filters, workshops: tuple[str, ...] = (),
                        categories: tuple[str, ...] = ()) -> pl.DataFrame:
    chosen = frames.workshops
    if filters.structures:
        chosen = chosen.filter(pl.col("structure_id").is_in(list(filters.structures)))
    if workshops:
        chosen = chosen.filter(pl.col("workshop_id").is_in(list(workshops)))
    if categories:
        chosen = chosen.filter(pl.col("category").is_in(list(categories)))
    return chosen


def _selected_pids(data: Data, filters: Filters) -> pl.Series | None:
    """The selected persons when a filter restricts them (as ``select_rows`` reads it), else None."""
    return selection(data, filters).persons["pid"] if restricted(filters) else None


def _of(frames: _Frames, frame: pl.LazyFrame, chosen: pl.DataFrame, pids: pl.Series | None) -> pl.LazyFrame:
    if chosen.height < frames.workshops.height:
        frame = frame.filter(pl.col("w").is_in(chosen["w"].implode()))
    if pids is not None:
        frame = frame.filter(pl.col("pid").is_in(pids.implode()))
    return frame


def _months(filters: Filters) -> tuple[int | None, int | None, list[int]]:
    """The first and last whole months of the range (None: open) and the months it cuts."""
    first, last, edges = None, None, set()
    if filters.start:
        first = _index_of(filters.start, "month")
        if filters.start.day != 1:
            edges.add(first)
            first += 1
    if filters.end:
        last = _index_of(filters.end, "month")
        if (filters.end + timedelta(days=1)).day != 1:
            edges.add(last)
            last -= 1
    return first, last, sorted(edges)


def _in_months(filters: Filters, whole: pl.DataFrame, raw: Callable[[], pl.DataFrame],
               summed: Callable[[pl.LazyFrame], pl.LazyFrame]) -> pl.LazyFrame:
    """Rows of a per-month cache (``whole``) inside the filter's dates.

    Whole months are read from the cache; a month the range cuts (a start
    after the 1st, an end before the last day) is ``summed`` from the
    rows ``raw`` gives (read only then) of its days in the range.
    """
    first, last, edges = _months(filters)
    lazy = whole.lazy()
    if first is not None:
        lazy = lazy.filter(pl.col("m") >= first)
    if last is not None:
        lazy = lazy.filter(pl.col("m") <= last)
    if not edges:
        return lazy
    edge_rows = raw().lazy().filter(pl.col("m").is_in(edges), _in_days(filters))
    return pl.concat([lazy, summed(edge_rows).select(whole.columns).cast(whole.schema)])


def _monthly_rows(data: Data, frames: _Frames, filters: Filters, chosen: pl.DataFrame,
                  pids: pl.Series | None) -> pl.LazyFrame:
    """(w, m, pid, expected, presences) inside the filter's dates."""
    rows = _in_months(filters, frames.monthly, lambda: _attendances(data, frames), _by_month)
    return _of(frames, rows, chosen, pids)


def _workshop_month_totals(data: Data, frames: _Frames, filters: Filters, chosen: pl.DataFrame) -> pl.LazyFrame:
    """(g = w, p = m, _expected, presences, persons) inside the filter's dates, all persons."""
    rows = _in_months(filters, frames.totals, lambda: _attendances(data, frames),
                      lambda raw: _workshop_months(_by_month(raw)))
    return _of(frames, rows, chosen, None).rename({"w": "g", "m": "p"})


def _group_of(frames: _Frames, groups: pl.DataFrame) -> pl.Series:
    """``g`` for every workshop index ``w`` (null for workshops not chosen), to gather by ``w``."""
    return frames.workshops.select("w").join(groups.select("w", "g"), on="w", how="left").sort("w")["g"].cast(pl.UInt32)


def _counts(data: Data, filters: Filters, groups: pl.DataFrame, keys: list[str], by: Granularity | None) -> pl.DataFrame:
    """sessions, persons, presences, _expected and the two ratios per group (and period when ``by``).

    ``groups`` maps each chosen workshop ``w`` to its group ``g``; ``keys``
    are the columns of ``groups`` that name ``g`` in the output.
    """
    frames = _frames(data)
    pids = _selected_pids(data, filters)
    group = pl.lit(_group_of(frames, groups)).gather(pl.col("w")).alias("g")
    period = _period(by) if by else pl.lit(0, pl.Int32).alias("p")
    sessions = (
        _of(frames, _in_months(filters, frames.session_months, lambda: frames.sessions, _session_months), groups, None)
        .group_by(group, period).agg(pl.col("sessions").sum())
    )
    identity = by == "month" and groups["g"].equals(groups["w"])
    if identity and pids is None:
        counted = _workshop_month_totals(data, frames, filters, groups)
    elif identity:  # rows are already one per (workshop, month, person)
        counted = _group_sums(_monthly_rows(data, frames, filters, groups, pids).rename({"w": "g", "m": "p"}), ["g", "p"])
    else:
        rows = _monthly_rows(data, frames, filters, groups, pids).with_columns(group, period).drop("w", "m")
        counted = _group_sums(_per_person(rows, ["g", "p"]), ["g", "p"])
    names = groups.select(pl.col("g").cast(pl.UInt32), *keys).unique("g").lazy()
    frame = (
        sessions.with_columns(pl.col("g").cast(pl.UInt32), pl.col("p").cast(pl.Int32))
        .join(counted.with_columns(pl.col("g").cast(pl.UInt32), pl.col("p").cast(pl.Int32)), on=["g", "p"], how="left")
        .with_columns(pl.col("_expected", "presences", "persons", *_KEYS).fill_null(0).cast(pl.Int64))
        .with_columns(
            rate("presences", "_expected").alias("attendance_rate"),
            rate("presences", "sessions").round(2).alias("mean_persons_per_session"),
        )
        .join(names, on="g", how="left")
    )
    if by:
        frame = frame.with_columns(_period_label("p", by).alias("period"))
    return frame.collect()


def workshop_attendance(data: Data, filters: Filters) -> pl.DataFrame:
    """Per workshop and period: sessions held, persons present, presences, attendance rate.

    ``mean_persons_per_session`` is presences / sessions (2 decimals). A
    workshop appears in a period when it held at least one session in it.
    """
    chosen = _selected_workshops(_frames(data), filters).select(
        "w", pl.col("w").alias("g"), "structure_id", pl.col("workshop_id").alias("atelier_id"),
        pl.col("name").alias("workshop"), "category",
    )
    frame = _counts(data, filters, chosen, ["structure_id", "atelier_id", "workshop", "category"], filters.by)
    return frame.sort("period", "structure_id", "atelier_id").select(ATTENDANCE)


def _grouped(data: Data, filters: Filters, column: str, label: pl.Expr, by: Granularity | None) -> pl.DataFrame:
    months = range_persons.whole_months(filters)
    if by is None and months is not None and not restricted(filters):
        table = prebuilt.range_table(data, _RANGE_TABLES[column])
        if table is not None:
            return _groups_in(table, column, months)
    chosen = _selected_workshops(_frames(data), filters).with_columns(label.alias(column))
    codes = chosen.select(column).unique().sort(column).with_row_index("g")
    return _counts(data, filters, chosen.join(codes, on=column).select("w", "g", column), [column], by)


_RANGE_TABLES = {"facilitator": "workshop-by-facilitator", "co_constructed": "workshop-by-co-construction"}
"""The range table (``group_table``) of each grouping over the whole range, named after the figure it answers."""
_GROUPED_LABELS = {
    "facilitator": pl.col("facilitator").fill_null(UNKNOWN),
    "co_constructed": pl.when(pl.col("co_constructed")).then(pl.lit("OUI")).when(~pl.col("co_constructed"))
    .then(pl.lit("NON")).otherwise(pl.lit(UNKNOWN)),
}


def group_table(data: Data, column: str) -> pl.DataFrame:
    """The whole network's sessions, attendances expected and present, by the workshops' ``column``
    (``_GROUPED_LABELS``), kind ``c`` (``sessions``, ``_expected``, ``presences``), month and previous month: every
    range of whole months reads its figure over the range from it (``dashboard.metrics.range_persons``). Built once
    per data version (``dashboard.rollups``)."""
    frames = _frames(data)
    label = frames.workshops.select("w", _GROUPED_LABELS[column].alias("g")).lazy()
    monthly = frames.monthly.lazy().join(label, on="w", how="left")
    none = pl.lit(0, pl.Int64)
    kinds = {
        "sessions": frames.session_months.lazy().join(label, on="w", how="left").select(
            "g", "m", pl.lit(0, pl.UInt32).alias("pid"), none.alias("pk"), pl.col("sessions").alias("n"), none.alias("ek")),
        "_expected": monthly.select("g", "m", "pid", "pk", pl.col("expected").alias("n"), pl.col("ek_expected").alias("ek")),
        "presences": monthly.filter(pl.col("presences") > 0).select(
            "g", "m", "pid", "pk", pl.col("presences").alias("n"), pl.col("ek_presences").alias("ek")),
    }
    return range_persons.build(kinds, ["g"])


def _groups_in(table: pl.DataFrame, column: str, months: tuple[int, int]) -> pl.DataFrame:
    """``_counts`` over the range, without periods, from ``group_table``: a group is shown when it held a session."""
    counted = range_persons.in_range(table, *months, ["g", "c"])
    kind = {name: counted.filter(pl.col("c") == name).drop("c") for name in ("sessions", "_expected", "presences")}
    frame = (
        kind["sessions"].select(pl.col("g").alias(column), pl.col("events").alias("sessions"))
        .join(kind["_expected"].select(pl.col("g").alias(column), pl.col("events").alias("_expected"),
                                       pl.col("_ck").alias("_ck__expected"), pl.col("persons").alias("_pn__expected"),
                                       pl.col("_pk").alias("_pk__expected")), on=column, how="left")
        .join(kind["presences"].select(pl.col("g").alias(column), pl.col("events").alias("presences"),
                                       pl.col("persons"), pl.col("_pk").alias("_ck_persons"),
                                       pl.col("_ck").alias("_ck_presences")), on=column, how="left")
        .with_columns(pl.col("_expected", "presences", "persons", "_ck_persons", "_ck_presences", "_ck__expected",
                             "_pn__expected", "_pk__expected").fill_null(0).cast(pl.Int64))
        .with_columns(pl.col("persons").alias("_pn_presences"), pl.col("_ck_persons").alias("_pk_presences"))
        .with_columns(
            rate("presences", "_expected").alias("attendance_rate"),
            rate("presences", "sessions").round(2).alias("mean_persons_per_session"),
        )
    )
    return frame.sort(column).select(column, *_COUNTS)


def workshop_by_category(data: Data, filters: Filters) -> pl.DataFrame:
    """Per period and workshop category; persons are distinct across the category's workshops."""
    frame = _grouped(data, filters, "category", pl.col("category").fill_null(UNKNOWN), filters.by)
    return frame.sort("period", "category").select(BY_CATEGORY)


def workshop_by_facilitator(data: Data, filters: Filters) -> pl.DataFrame:
    """Over the whole range, by facilitator (INTERNE, EXTERNE; INCONNU when not recorded)."""
    frame = _grouped(data, filters, "facilitator", _GROUPED_LABELS["facilitator"], None)
    return frame.sort("facilitator").select(BY_FACILITATOR)


def workshop_by_co_construction(data: Data, filters: Filters) -> pl.DataFrame:
    """Over the whole range, by whether the workshop was co-constructed (OUI, NON, INCONNU)."""
    frame = _grouped(data, filters, "co_constructed", _GROUPED_LABELS["co_constructed"], None)
    return frame.sort("co_constructed").select(BY_CO_CONSTRUCTION)


def workshop_cohorts(data: Data, filters: Filters, *, workshops: tuple[str, ...] = (),
                     categories: tuple[str, ...] = ()) -> pl.DataFrame:
    """Retention of persons by the period of their first presence at a workshop of the filter.

    The first presence is looked for over all the data (a person who came
    before the range is not new in it); cohorts whose period lies in the
    filter's range are kept. Attendances count up to the last day of data,
    the latest session of the chosen workshops; offsets whose period starts
    after it are absent, earlier offsets where nobody came show 0.
    """
    frames = _frames(data)
    chosen = _selected_workshops(frames, filters, workshops, categories)
    empty = pl.DataFrame(schema={"cohort": pl.String, "offset": pl.Int64, "cohort_size": pl.Int64,
                                 "persons_active": pl.Int64, "retention": pl.Float64,
                                 "_ck_cohort_size": pl.Int64, "_ck_persons_active": pl.Int64})
    last = frames.sessions.lazy().filter(pl.col("w").is_in(chosen["w"].implode())).select(pl.col("m").max()).collect().item()
    if last is None:
        return empty
    last_period = last // _PER_MONTHS[filters.by]
    active = _active(data, chosen, filters.by).lazy()
    pids = _selected_pids(data, filters)
    if pids is not None:
        active = active.filter(pl.col("pid").is_in(pids.implode()))
    in_range = pl.lit(True)
    if filters.start:
        in_range = in_range & (pl.col("c") >= _index_of(filters.start, filters.by))
    if filters.end:
        in_range = in_range & (pl.col("c") <= _index_of(filters.end, filters.by))
    active = active.filter(in_range)
    pk = pl.col("pk").cast(pl.Int64)
    sizes = active.filter(pl.col("p") == pl.col("c")).group_by("c").agg(
        pl.len().cast(pl.Int64).alias("cohort_size"), (pk.sum() % KEY_RANGE).alias("_ck_cohort_size")
    )
    counts = active.group_by("c", (pl.col("p") - pl.col("c")).alias("offset")).agg(
        pl.len().cast(pl.Int64).alias("persons_active"), (pk.sum() % KEY_RANGE).alias("_ck_persons_active")
    )
    grid = sizes.with_columns(pl.int_ranges(0, last_period - pl.col("c") + 1, dtype=pl.Int64).alias("offset")).explode("offset")
    frame = (
        grid.join(counts.with_columns(pl.col("offset").cast(pl.Int64)), on=["c", "offset"], how="left")
        .with_columns(pl.col("persons_active", "_ck_persons_active").fill_null(0), _period_label("c", filters.by).alias("cohort"))
        .with_columns(rate("persons_active", "cohort_size").alias("retention"))
        .sort("c", "offset")
        .select(COHORTS)
        .collect()
    )
    return frame if frame.height else empty


def _active(data: Data, chosen: pl.DataFrame, by: Granularity) -> pl.DataFrame:
    """(pid, p, c): the periods in which each person was present at a chosen workshop, and the first of them
    (the person's cohort, which no person filter changes), kept for the snapshot."""
    frames = _frames(data)
    key = (tuple(chosen["w"]) if chosen.height < frames.workshops.height else None, by)
    return _ACTIVE.get(data, key, lambda: (
        _of(frames, frames.monthly.lazy(), chosen, None).filter(pl.col("presences") > 0)
        .select("pid", _period(by), "pk").unique(["pid", "p"]).sort("pid", "p")
        .with_columns(pl.col("p").min().over("pid").alias("c")).collect()
    ))


def _index_of(day: date, by: Granularity) -> int:
    return (day.year * 12 + day.month - 1) // _PER_MONTHS[by]


def _retention(data: Data, filters: Filters, groups: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """Per group ``g`` of workshops: ``newcomers`` (selected persons whose first presence at the group, over all
    the data, falls in the filter's range, at least ``STAYED_MONTHS`` months before the last session of data, so
    that each had the time to stay), ``returned`` (those of them still present at the group ``STAYED_MONTHS``
    months or more after their first month) and ``retention`` = returned / newcomers."""
    frames = _frames(data)
    group = pl.lit(_group_of(frames, groups)).gather(pl.col("w")).alias("g")
    rows = _of(frames, frames.monthly.lazy(), groups, _selected_pids(data, filters)).filter(pl.col("presences") > 0)
    per_person = rows.with_columns(group).group_by("g", "pid").agg(
        pl.col("m").min().alias("first"), pl.col("m").max().alias("latest"), pl.col("pk").first().cast(pl.Int64)
    )
    last_month = frames.sessions["m"].max()
    per_person = per_person.filter(pl.col("first") + STAYED_MONTHS <= (last_month if last_month is not None else -1))
    if filters.start:
        per_person = per_person.filter(pl.col("first") >= _index_of(filters.start, "month"))
    if filters.end:
        per_person = per_person.filter(pl.col("first") <= _index_of(filters.end, "month"))
    back = pl.col("latest") >= pl.col("first") + STAYED_MONTHS
    counted = per_person.group_by("g").agg(
        pl.len().cast(pl.Int64).alias("newcomers"), back.sum().cast(pl.Int64).alias("returned"),
        (pl.col("pk").sum() % KEY_RANGE).alias("_ck_newcomers"), (pl.col("pk").filter(back).sum() % KEY_RANGE).alias("_ck_returned"),
    )
    names = groups.select(pl.col("g").cast(pl.UInt32), *keys).unique("g").lazy()
    return (
        names.join(counted.with_columns(pl.col("g").cast(pl.UInt32)), on="g", how="left")
        .with_columns(pl.col("newcomers", "returned", "_ck_newcomers", "_ck_returned").fill_null(0).cast(pl.Int64))
        .with_columns(rate("returned", "newcomers").alias("retention"))
        .collect()
    )


def workshop_retention(data: Data, filters: Filters) -> pl.DataFrame:
    """Per workshop: persons new to it in the range, and how many of them came back (``_retention``)."""
    chosen = _selected_workshops(_frames(data), filters).select(
        "w", pl.col("w").alias("g"), "structure_id", pl.col("workshop_id").alias("atelier_id"),
        pl.col("name").alias("workshop"), "category",
    )
    frame = _retention(data, filters, chosen, ["structure_id", "atelier_id", "workshop", "category"])
    return frame.sort("structure_id", "atelier_id").select(RETENTION)


def workshop_retention_by_category(data: Data, filters: Filters) -> pl.DataFrame:
    """Per workshop category: persons new to the category in the range, and how many came back to it."""
    chosen = _selected_workshops(_frames(data), filters).with_columns(pl.col("category").fill_null(UNKNOWN))
    codes = chosen.select("category").unique().sort("category").with_row_index("g")
    frame = _retention(data, filters, chosen.join(codes, on="category").select("w", "g", "category"), ["category"])
    return frame.sort("category").select(RETENTION_BY_CATEGORY)
