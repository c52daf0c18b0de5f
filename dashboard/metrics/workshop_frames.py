"""Workshops' integer frames: each snapshot's attendances turned once into integer columns (workshop index ``w``,
day, month index, ``pid``) and summed per workshop, month and person, so that every workshop figure is integer
group-bys, never string keys (``dashboard.metrics.workshops`` computes the figures from them).

The frames are built once per snapshot, or mapped from the snapshot's tables when they were written with them
(``STORED``, ``dashboard.rollups``): one copy for every app process.
"""

from dataclasses import dataclass

import polars as pl

from dashboard import prebuilt
from dashboard.data import Data
from dashboard.metrics import range_persons
from dashboard.metrics.common import PerSnapshot
from dashboard.perturbation import KEY_RANGE


@dataclass(frozen=True)
class _Frames:
    """Integer views of one snapshot: ``w`` is the row of ``workshops`` (sorted by structure, id)."""

    workshops: pl.DataFrame  # w, structure_id, workshop_id, name, category, facilitator, co_constructed
    sessions: pl.DataFrame  # w, day, m
    session_months: pl.DataFrame  # w, m, sessions
    monthly: pl.DataFrame  # w, m, pid, expected, presences, ek_expected, ek_presences, pk: by workshop, month and person
    totals: pl.DataFrame  # w, m, _expected, presences, persons and cell keys: the same summed over persons (no person filter)


# The integer views serve every filter and cost the most to rebuild: kept apart
# from the shared cache, whose other entries come and go with filters.
_FRAMES = PerSnapshot(size=1)
# One row per attendance (w, pid, day, m, present, pk, ek): only a range that cuts a month reads them, which
# ``figures`` never asks (it snaps dates to whole periods); built on demand, not kept with the frames (on XL, 25
# million rows: half a gigabyte per process).
_ATTENDANCES = PerSnapshot(size=1)


def _month_index(column: str) -> pl.Expr:
    return range_persons.month_index(pl.col(column)).alias("m")


def _frames(data: Data) -> _Frames:
    """The integer views of ``data``, built once per snapshot and forgotten with it."""
    return _FRAMES.get(data, "frames", lambda: _build_frames(data))


_DAY = pl.col("session_date").to_physical().cast(pl.Int32).alias("day")
# The per-person monthly sums stored small: attendances of one person at one workshop in a month fit 16 bits,
# their key sums (under KEY_RANGE each) 32 bits; sums over them are taken in 64 bits (``_per_person``, ``_group_sums``).
_MONTHLY_TYPES = (pl.col("expected", "presences").cast(pl.UInt16), pl.col("ek_expected", "ek_presences").cast(pl.UInt32))


STORED = ("sessions", "session_months", "monthly", "totals")
"""The frames written with the snapshot's tables (``dashboard.rollups``) and mapped by every process."""


def stored_frames(data: Data) -> dict[str, pl.DataFrame]:
    """The ``STORED`` frames of ``data``, to be written."""
    frames = _frames(data)
    return {name: getattr(frames, name) for name in STORED}


def forget_frames(data: Data) -> None:
    """Drop this process's frames of ``data`` (once written: the files are mapped instead)."""
    _FRAMES.drop(data, "frames")


def _build_frames(data: Data) -> _Frames:
    workshops = data.workshops.with_row_index("w")
    mapped = {name: prebuilt.layout(data, f"workshops.{name}") for name in STORED}
    if all(found is not None for found in mapped.values()):  # built once per data version, shared by every process
        return _Frames(workshops=workshops, **{name: found[0] for name, found in mapped.items() if found is not None})
    ids = workshops.select("structure_id", "workshop_id", "w")
    sessions = data.sessions.join(ids, on=["structure_id", "workshop_id"], how="inner").select(
        "w", _DAY, _month_index("session_date")).sort("w", "day")
    monthly = _by_month(_attendance_rows(data, ids)).sort("w", "m", "pid").with_columns(*_MONTHLY_TYPES).collect()
    return _Frames(workshops=workshops, sessions=sessions,
                   session_months=_session_months(sessions.lazy()).sort("w", "m").collect(),
                   monthly=monthly, totals=_workshop_months(monthly.lazy()).sort("w", "m").collect())


def _attendance_rows(data: Data, ids: pl.DataFrame) -> pl.LazyFrame:
    return data.attendances.lazy().join(ids.lazy(), on=["structure_id", "workshop_id"], how="inner").select(
        "w", "pid", _DAY, _month_index("session_date"), (pl.col("presence") == "PRESENT").alias("present"), "pk", "ek"
    )


def _attendances(data: Data, frames: _Frames) -> pl.DataFrame:
    """One row per attendance (``_ATTENDANCES``), built when a range cuts a month."""
    return _ATTENDANCES.get(data, "attendances",
                            lambda: _attendance_rows(data, frames.workshops.select("structure_id", "workshop_id", "w")).collect())


def _per_person(rows: pl.LazyFrame, keys: list[str]) -> pl.LazyFrame:
    """Attendances (or per-person sums of them) summed per ``keys`` and person, with the events' key sums."""
    if "expected" in rows.collect_schema().names():  # already summed per person: sum again
        return rows.group_by(*keys, "pid").agg(
            pl.col("expected", "presences", "ek_expected", "ek_presences").cast(pl.Int64).sum(), pl.col("pk").first()
        )
    ek = pl.col("ek").cast(pl.Int64)
    return rows.group_by(*keys, "pid").agg(
        pl.len().cast(pl.Int64).alias("expected"), pl.col("present").sum().cast(pl.Int64).alias("presences"),
        ek.sum().alias("ek_expected"), ek.filter(pl.col("present")).sum().alias("ek_presences"), pl.col("pk").first(),
    )


def _by_month(rows: pl.LazyFrame) -> pl.LazyFrame:
    return _per_person(rows, ["w", "m"])


def _group_sums(per_person: pl.LazyFrame, keys: list[str]) -> pl.LazyFrame:
    """Per ``keys``: attendances expected and present, persons present, and the cell keys of each count
    (persons behind ``_expected`` are those expected, behind ``presences`` those present)."""
    present = pl.col("presences") > 0
    pk = pl.col("pk").cast(pl.Int64)
    return per_person.group_by(*keys).agg(
        pl.col("expected").sum().alias("_expected"), pl.col("presences").sum(),
        present.sum().cast(pl.Int64).alias("persons"),
        (pk.filter(present).sum() % KEY_RANGE).alias("_ck_persons"),
        (pl.col("ek_presences").cast(pl.Int64).sum() % KEY_RANGE).alias("_ck_presences"),
        (pl.col("ek_expected").cast(pl.Int64).sum() % KEY_RANGE).alias("_ck__expected"),
        pl.len().cast(pl.Int64).alias("_pn__expected"),
        (pk.sum() % KEY_RANGE).alias("_pk__expected"),
    ).with_columns(pl.col("persons").alias("_pn_presences"), pl.col("_ck_persons").alias("_pk_presences"))


def _session_months(sessions: pl.LazyFrame) -> pl.LazyFrame:
    return sessions.group_by("w", "m").agg(pl.len().cast(pl.Int64).alias("sessions"))


def _workshop_months(monthly: pl.LazyFrame) -> pl.LazyFrame:
    return _group_sums(monthly, ["w", "m"])
