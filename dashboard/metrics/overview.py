"""Overview (Vue d'ensemble): key figures for a range and the range before it.

The range is the filter's ``start``..``end``; by default the last 12 whole
months before the last day of data. With only ``start``, it runs to the
last day of data; with only ``end``, it is the 12 whole months ending at or
before ``end``.
The previous range has the same length just before (whole months shift by
whole months, see ``dashboard.periods.previous_range``).
"""

from datetime import date, timedelta

import polars as pl

from dashboard import prebuilt
from dashboard.data import Data
from dashboard.filters import Filters
from dashboard.metrics import range_persons
from dashboard.metrics.common import SNAPSHOT_CACHE, cell_key, event_count, person_count, restricted, selection
from dashboard.metrics.exits import DYNAMIC, HOUSING_POSITIVE, NOT_CONCERNED, exited
from dashboard.metrics.range_persons import month_index
from dashboard.periods import last_whole_periods, previous_range
from dashboard.perturbation import KEY_RANGE
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
_SIDES = ("value", "previous")
_PARTS = ("num", "n")
_KEY_KINDS = ("ck", "pn", "pk")
KEY_COLUMNS = [f"_{kind}_{side}_{part}" for side in _SIDES for part in _PARTS for kind in _KEY_KINDS]
OVERVIEW = ["figure", "value", "previous", "change", "_value_n", "_previous_n", "_value_num", "_previous_num", *KEY_COLUMNS]

_SCHEMA = {
    "figure": pl.String, "value": pl.Float64, "previous": pl.Float64, "change": pl.Float64,
    "_value_n": pl.Int64, "_previous_n": pl.Int64, "_value_num": pl.Int64, "_previous_num": pl.Int64,
    **dict.fromkeys(KEY_COLUMNS, pl.Int64),
}
_ATTENDANCE_CODES = ["PRESENT", "ABSENT", "EXCUSE"]

Count = tuple[int, int, int, int]
"""A count with its cell key, the distinct persons behind it and their cell key (see ``event_count``)."""


def overview_range(data: Data, filters: Filters) -> tuple[date, date] | None:
    """The range the overview describes (None when there is no data and no dates)."""
    start, end = filters.start, filters.end
    if start and end:
        return start, end
    if end:
        return last_whole_periods(end, filters.by, 12)
    last_day = data.last_day
    if start:
        return start, max(start, last_day) if last_day else start
    return last_whole_periods(last_day, filters.by, 12) if last_day else None


def _between(column: str, start: date, end: date) -> pl.Expr:
    return pl.col(column).is_between(start, end, closed="both")


def _count(frame: pl.DataFrame, prefix: str) -> Count:
    row = frame.row(0, named=True)
    return tuple(int(row[f"{kind}{prefix}"] or 0) for kind in ("", "_ck_", "_pn_", "_pk_"))  # type: ignore[return-value]


def _events(frame: pl.LazyFrame, persons: dict[str, pl.Expr | None] | None = None,
            **conditions: pl.Expr | None) -> dict[str, Count]:
    """Event counts (and, in the same pass, the distinct persons of ``persons``) of one lazily filtered frame:
    the filtered rows are never materialised (on XL they are millions)."""
    persons = persons or {}
    counted = frame.select(*(e for name, rows in conditions.items() for e in event_count(name, rows)),
                           *(e for name, rows in persons.items() for e in person_count(name, rows))).collect()
    out = {name: _count(counted, name) for name in conditions}
    for name in persons:
        row = counted.row(0, named=True)
        out[name] = (int(row[name]), int(row[f"_ck_{name}"] or 0), int(row[name]), int(row[f"_ck_{name}"] or 0))
    return out


def _persons(frame: pl.LazyFrame, rows: pl.Expr | None = None) -> Count:
    counted = frame.select(person_count("n", rows)).collect().row(0)
    return (int(counted[0]), int(counted[1] or 0), int(counted[0]), int(counted[1] or 0))


def person_months(data: Data) -> pl.DataFrame:
    """Attendances summed per month and person, sorted by month: (m, pid, pk, present, present_ek, expected,
    expected_ek), ``present`` counting PRESENT and ``expected`` the three attendance codes, ``*_ek`` the sums of
    those attendances' record keys. Built once per snapshot: on XL, 4 million rows for 25 million attendances."""

    def compute() -> pl.DataFrame:
        mapped = prebuilt.layout(data, PERSON_MONTHS)  # built once per data version, shared by every process
        if mapped is not None:
            return mapped[0]
        present = pl.col("presence") == "PRESENT"
        expected = pl.col("presence").is_in(_ATTENDANCE_CODES)
        ek = pl.col("ek").cast(pl.Int64)
        return (
            data.attendances.lazy()
            .group_by(month_index(pl.col("session_date")).alias("m"), "pid")
            .agg(pl.col("pk").first(), present.sum().cast(pl.Int64).alias("present"),
                 ek.filter(present).sum().alias("present_ek"), expected.sum().cast(pl.Int64).alias("expected"),
                 ek.filter(expected).sum().alias("expected_ek"))
            .sort("m", "pid")
            .collect()
        )

    return SNAPSHOT_CACHE.get(data, ("overview", PERSON_MONTHS), compute)


PERSON_MONTHS = "overview.person-months"
"""``person_months``' layout file (``prebuilt.layout``) and cache key."""


def _whole_months(data: Data, start: date, end: date) -> tuple[int, int] | None:
    """The month indexes of [start, end] when it is made of whole months (its last month may run past the last
    day of data: nothing is dated after it); None otherwise."""
    last = data.last_day
    ends_month = (end + timedelta(days=1)).day == 1 or (last is not None and end >= last)
    if start.day != 1 or not ends_month:
        return None
    return start.year * 12 + start.month - 1, end.year * 12 + end.month - 1


def _attendance_counts(data: Data, filters: Filters, months: tuple[int, int]) -> dict[str, Count]:
    """``present``, ``expected`` and ``participants`` of the overview from ``person_months``: the same counts,
    cell keys and distinct persons as from the attendances of those months, over 6 times fewer rows."""
    table = person_months(data)
    column = table["m"]
    low, high = column.search_sorted(months[0], "left"), column.search_sorted(months[1], "right")
    rows = table.slice(low, high - low).lazy()
    if restricted(filters):
        rows = rows.filter(pl.col("pid").is_in(selection(data, filters).persons["pid"].implode()))

    def counted(name: str) -> list[pl.Expr]:
        held = pl.col(name) > 0
        return [
            pl.col(name).sum().cast(pl.Int64).alias(name),
            (pl.col(f"{name}_ek").sum() % KEY_RANGE).alias(f"_ck_{name}"),
            pl.col("pid").filter(held).n_unique().cast(pl.Int64).alias(f"_pn_{name}"),
            cell_key(pl.col("pk").filter(held).filter(pl.col("pid").filter(held).is_first_distinct())).alias(f"_pk_{name}"),
        ]

    out = rows.select(*counted("present"), *counted("expected")).collect()
    present, expected = _count(out, "present"), _count(out, "expected")
    return {"present": present, "expected": expected, "participants": (present[2], present[3], present[2], present[3])}


def _counts(rows: Selection, start: date, end: date, attended: dict[str, Count] | None = None) -> dict[str, Count]:
    """The counts behind the figures, from the rows (``RANGE_COUNTS``, and ``participants``). ``attended``: the
    attendance counts when already known (``_attendance_counts``), else counted from the rows."""
    accompanied = _persons(rows.support_periods.lazy().filter(
        pl.col("entry_date") <= end, pl.col("exit_date").is_null() | (pl.col("exit_date") >= start)
    ))
    new_persons = _persons(rows.persons.lazy().filter(_between("first_contact", start, end)))
    referrals = _events(rows.referrals.lazy().filter(_between("referral_date", start, end)), n=None)["n"]
    exits = _events(exited(rows.support_periods.lazy(), Filters(start=start, end=end)), None, **_exit_conditions())
    if attended is None:
        sessions = rows.attendances.lazy().filter(_between("session_date", start, end))
        present = pl.col("presence") == "PRESENT"
        attended = _events(sessions, {"participants": present}, present=present,
                           expected=pl.col("presence").is_in(_ATTENDANCE_CODES))
    return {"accompanied": accompanied, "new_persons": new_persons, "referrals": referrals, **exits, **attended}


def _exit_conditions() -> dict[str, pl.Expr | None]:
    return {
        "exits": None, "housing": pl.col("exit_housing").is_in(list(HOUSING_POSITIVE)),
        "housing_n": pl.col("exit_housing").ne_missing(NOT_CONCERNED),
        "dynamic": pl.col("exit_employment").is_in(list(DYNAMIC)),
        "dynamic_n": pl.col("exit_employment").ne_missing(NOT_CONCERNED),
    }


def _figures(counts: dict[str, Count]) -> dict[str, tuple[float | None, Count, Count]]:
    """figure -> (value, numerator, denominator). A count is its own numerator and denominator."""

    def count(n: Count) -> tuple[float, Count, Count]:
        return float(n[0]), n, n

    def share(num: Count, den: Count) -> tuple[float | None, Count, Count]:
        return (num[0] / den[0] if den[0] else None), num, den

    return {
        "persons_accompanied": count(counts["accompanied"]),
        "new_persons": count(counts["new_persons"]),
        "referrals": count(counts["referrals"]),
        "exits": count(counts["exits"]),
        "housing_positive_rate": share(counts["housing"], counts["housing_n"]),
        "dynamic_exit_rate": share(counts["dynamic"], counts["dynamic_n"]),
        "workshop_participants": count(counts["participants"]),
        "attendance_rate": share(counts["present"], counts["expected"]),
    }


PERSON_COUNTS = ("accompanied", "new_persons")
"""Counts of persons (their cell key is their persons' key); the other ``RANGE_COUNTS`` count events."""
RANGE_COUNTS = (*PERSON_COUNTS, "referrals", "exits", "housing", "housing_n", "dynamic", "dynamic_n", "present",
                "expected")


def range_table(data: Data) -> pl.DataFrame:
    """The whole network's ``RANGE_COUNTS`` per (count ``c``, month, previous month): any range of whole months
    reads its counts from it (``dashboard.metrics.range_persons``). Built once per data version
    (``dashboard.rollups``). A support period still open covers every month up to the end of the last year of
    data (``_open_until``): ranges ending later are counted from the rows."""
    last = _open_until(data)
    if last is None:
        return pl.DataFrame(schema={"c": pl.String, **dict.fromkeys(range_persons.COLUMNS, pl.Int64)})
    event = [pl.lit(1, pl.Int64).alias("n"), pl.col("ek").cast(pl.Int64)]
    person = [pl.lit(1, pl.Int64).alias("n"), pl.lit(0, pl.Int64).alias("ek")]
    supports = data.support_periods.lazy()
    covered = supports.select(
        "pid", "pk", pl.int_ranges(month_index(pl.col("entry_date")),
                                   month_index(pl.col("exit_date")).fill_null(last) + 1, dtype=pl.Int32).alias("m"),
    ).explode("m").drop_nulls("m")
    ended = exited(supports, Filters()).with_columns(month_index(pl.col("exit_date")).alias("m"))
    months = person_months(data).lazy()
    kinds = {
        "accompanied": covered.select("m", "pid", "pk", *person),
        "new_persons": data.persons.lazy().filter(pl.col("first_contact").is_not_null()).select(
            month_index(pl.col("first_contact")).alias("m"), "pid", "pk", *person),
        "referrals": data.referrals.lazy().select(month_index(pl.col("referral_date")).alias("m"), "pid", "pk", *event),
        **{name: ended.filter(True if rows is None else rows).select("m", "pid", "pk", *event)
           for name, rows in _exit_conditions().items()},
        **{name: months.filter(pl.col(name) > 0).select("m", "pid", "pk", pl.col(name).alias("n"),
                                                         pl.col(f"{name}_ek").alias("ek"))
           for name in ("present", "expected")},
    }
    return range_persons.build(kinds)


def _open_until(data: Data) -> int | None:
    """The month an open support period is counted until in ``range_table``: December of the last year of data."""
    last = data.last_day
    return None if last is None else last.year * 12 + 11


def _table_counts(data: Data, filters: Filters, months: tuple[int, int] | None) -> dict[str, Count] | None:
    """The counts of the range from ``range_table`` (whole network, whole months, table built); else None."""
    until = _open_until(data)
    if months is None or restricted(filters) or until is None or months[1] > until:
        return None
    table = prebuilt.range_table(data, "overview")
    if table is None:
        return None
    counted = {row["c"]: row for row in range_persons.in_range(table, *months, ["c"]).iter_rows(named=True)}
    out: dict[str, Count] = {}
    for name in RANGE_COUNTS:
        row = counted.get(name, {"events": 0, "_ck": 0, "persons": 0, "_pk": 0})
        if name in PERSON_COUNTS:
            out[name] = (row["persons"], row["_pk"], row["persons"], row["_pk"])
        else:
            out[name] = (row["events"], row["_ck"], row["persons"], row["_pk"])
    present = out["present"]
    out["participants"] = (present[2], present[3], present[2], present[3])
    return out


def _range_figures(data: Data, filters: Filters, chosen: Selection, start: date, end: date
                   ) -> dict[str, tuple[float | None, Count, Count]]:
    """``_figures`` of one range: from ``range_table`` for the whole network over whole months, else from the
    rows (attendances from ``person_months`` when the range is made of whole months)."""
    months = _whole_months(data, start, end)
    counts = _table_counts(data, filters, months)
    if counts is None:
        counts = _counts(chosen, start, end, None if months is None else _attendance_counts(data, filters, months))
    return _figures(counts)


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
    current, previous = (_range_figures(data, filters, chosen, *dates) for dates in (span, previous_range(*span)))
    rows = []
    for figure in FIGURES:
        value, num, n = current[figure]
        before, before_num, before_n = previous[figure]
        change = value - before if value is not None and before is not None else None
        keys = [part[i] for part in (num, n, before_num, before_n) for i in (1, 2, 3)]
        rows.append((figure, value, before, change, n[0], before_n[0], num[0], before_num[0], *keys))
    return pl.DataFrame(rows, schema=_SCHEMA, orient="row").select(OVERVIEW)
