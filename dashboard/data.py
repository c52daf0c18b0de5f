"""Reading the database into polars, once per data version.

Pages and the command line compute every figure in polars from a ``Data``
snapshot: the database is read once per data version (a new load or a
changed domain reading makes a new version), and filter changes never touch
the database again.

Each person gets an integer ``pid`` (unique across structures) that every
person-bearing frame carries, so that person-level filters are integer
``is_in`` tests rather than joins on two string columns.
"""

import hashlib
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path

import polars as pl
from sqlalchemy import DateTime, Engine, Table, func, select
from sqlmodel import SQLModel, col

from dashboard.accounts.access import Access
from dashboard.record_keys import hashes64, mixed, to_key
from models.tables import (
    Assessment,
    Attendance,
    CodeLabel,
    DomainReading,
    Load,
    LoadTableCount,
    LoadWarning,
    Milestone,
    Person,
    Referral,
    Structure,
    SupportPeriod,
    Workshop,
    WorkshopSession,
)

PERSON_KEY = ["structure_id", "person_id"]


@dataclass(frozen=True)
class Data:
    """One snapshot of the database, as polars frames with model column names.

    ``persons`` also has ``pid``, ``first_contact`` (earliest referral or
    support period entry), ``age`` (at first contact) and ``age_band``.
    Person-bearing frames (referrals, support_periods, assessments,
    attendances, milestones) carry ``pid``; attendances also carry
    ``workshop_id`` and ``session_date`` from their session.

    Record keys for cell-key perturbation (``dashboard.record_keys``):
    every person-bearing frame and ``persons`` carry ``pk``, the person's
    key; referrals, support periods and attendances carry ``ek``, the
    event's own key.
    """

    structures: pl.DataFrame
    persons: pl.DataFrame
    referrals: pl.DataFrame
    support_periods: pl.DataFrame
    assessments: pl.DataFrame
    workshops: pl.DataFrame
    sessions: pl.DataFrame
    attendances: pl.DataFrame
    milestones: pl.DataFrame
    domain_readings: pl.DataFrame
    labels: pl.DataFrame
    loads: pl.DataFrame
    load_counts: pl.DataFrame
    load_warnings: pl.DataFrame
    access: Access | None = None
    """A signed-in person's scope (``restrict``): the gate never shows a selection looser than its level."""
    through: date | None = None
    """The whole snapshot's last day when this is a part of it (a cohort's rows, ``dashboard.cohorts``): follow-up
    and censoring run to the data's last day, not to the part's last event."""

    @property
    def empty(self) -> bool:
        return self.persons.is_empty()

    # Computed once per snapshot: every page run reads both, and on XL each is a pass over millions of rows.
    @cached_property
    def first_day(self) -> date | None:
        days = [d for d in (self.referrals["referral_date"].min(), self.support_periods["entry_date"].min())
                if isinstance(d, date)]
        return min(days) if days else None

    @cached_property
    def last_day(self) -> date | None:
        """The last day any event is dated (referral, entry, exit, assessment, session)."""
        if self.through is not None:
            return self.through
        candidates = [
            self.referrals["referral_date"].max(),
            self.support_periods["entry_date"].max(),
            self.support_periods["exit_date"].max(),
            self.assessments["assessment_date"].max(),
            self.sessions["session_date"].max(),
        ]
        days = [d for d in candidates if isinstance(d, date)]
        return max(days) if days else None


_POLARS_TYPES: dict[type, pl.DataType] = {str: pl.String(), int: pl.Int64(), bool: pl.Boolean(), date: pl.Date()}


def _schema(table: Table) -> dict[str, pl.DataType]:
    schema: dict[str, pl.DataType] = {}
    for column in table.columns:
        if isinstance(getattr(column.type, "impl", column.type), DateTime):  # SQLModel's UTCDateTime is a decorator
            schema[column.name] = pl.Datetime()
        else:
            schema[column.name] = _POLARS_TYPES.get(column.type.python_type, pl.String())
    return schema


def _read_sqlite_isolated(engine: Engine, tables: list[Table]) -> dict[str, pl.DataFrame] | None:
    """Every table of a SQLite file through ADBC in a child process (see ``arrow_dump``).

    None when that is not possible (in-memory database, driver missing): the
    caller then reads through the DBAPI cursor.
    """
    url = engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    with tempfile.TemporaryDirectory(prefix="parcours-") as tmp:
        command = [sys.executable, "-m", "dashboard.arrow_dump", url.database, tmp, *(t.name for t in tables)]
        done = subprocess.run(command, capture_output=True, cwd=Path(__file__).resolve().parents[1], check=False)
        if done.returncode != 0:
            return None
        # Removing the folder on return is safe even if polars maps the files: Linux keeps unlinked mappings.
        return {t.name: pl.read_ipc(Path(tmp) / f"{t.name}.arrow").rechunk() for t in tables}


def _select(table: Table) -> str:
    return f"SELECT {', '.join(c.name for c in table.columns)} FROM {table.name}"  # our own identifiers only


def _fetch_dbapi(engine: Engine, table: Table) -> pl.DataFrame:
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute(_select(table))
        rows = cursor.fetchall()
        cursor.close()
    finally:
        raw.close()
    names = [c.name for c in table.columns]
    return pl.DataFrame(rows, schema=names, orient="row", infer_schema_length=None)


def _conform(frame: pl.DataFrame, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """Cast what the driver returned (ISO text, 0/1, dates) to the model's dtypes."""
    casts = []
    for name, dtype in schema.items():
        current = frame[name].dtype if name in frame.columns else pl.Null()
        column = pl.col(name) if name in frame.columns else pl.lit(None)
        if current == dtype:
            continue
        if dtype == pl.Date() and current == pl.String():
            casts.append(column.str.slice(0, 10).str.to_date("%Y-%m-%d").alias(name))
        elif dtype == pl.Datetime() and current == pl.String():
            casts.append(column.str.replace("T", " ").str.to_datetime(strict=False).dt.cast_time_unit("us").alias(name))
        elif dtype == pl.Datetime() and isinstance(current, pl.Datetime):
            casts.append(column.dt.replace_time_zone(None).dt.cast_time_unit("us").alias(name))
        elif dtype == pl.Date() and isinstance(current, pl.Datetime):
            casts.append(column.dt.date().alias(name))
        elif dtype == pl.String() and current == pl.Null():
            casts.append(column.cast(pl.String).alias(name))
        else:
            casts.append(column.cast(dtype).alias(name))
    return frame.with_columns(casts).select(list(schema)) if casts else frame.select(list(schema))


def read_table(engine: Engine, model: type[SQLModel], fetched: pl.DataFrame | None = None) -> pl.DataFrame:
    """A whole table as a polars frame with the model's dtypes (``fetched``: already read raw)."""
    table: Table = model.__table__  # type: ignore[attr-defined]
    frame = fetched if fetched is not None else _fetch_dbapi(engine, table)
    return _conform(frame, _schema(table))


def data_version(engine: Engine) -> str:
    """Changes whenever what the dashboard shows could change."""
    with engine.connect() as conn:
        loads = conn.execute(select(func.count(), func.max(Load.id)).select_from(Load)).one()
        readings = conn.execute(select(col(DomainReading.domain), col(DomainReading.kind), col(DomainReading.pillar))
                                .order_by(col(DomainReading.domain))).all()
        labels = conn.execute(select(func.count()).select_from(CodeLabel)).scalar()
        persons = conn.execute(select(func.count()).select_from(Person)).scalar()
    digest = hashlib.sha256(repr((tuple(loads), readings, labels, persons)).encode()).hexdigest()
    return digest[:16]


def _with_pid(frame: pl.DataFrame, ids: pl.DataFrame) -> pl.DataFrame:
    return frame.join(ids, on=PERSON_KEY, how="left")


def age_band(age: pl.Expr) -> pl.Expr:
    """The age band code of an age in whole years (``INCONNU`` when unknown)."""
    return (
        pl.when(age.is_null()).then(pl.lit("INCONNU"))
        .when(age < 26).then(pl.lit("MOINS_26"))
        .when(age < 45).then(pl.lit("26_44"))
        .when(age < 60).then(pl.lit("45_59"))
        .otherwise(pl.lit("60_PLUS"))
    )


def read_data(engine: Engine) -> Data:
    """Read every table the dashboard uses and derive the per-person columns."""
    models = (Person, Referral, SupportPeriod, WorkshopSession, Attendance, Structure, Assessment, Workshop,
              Milestone, DomainReading, CodeLabel, Load, LoadTableCount, LoadWarning)
    # SQLModel's metaclass gives each table model its ``__table__``; its type hints do not say so.
    fetched = _read_sqlite_isolated(engine, [m.__table__ for m in models]) or {}  # type: ignore[union-attr]
    return _derive(lambda model: read_table(engine, model, fetched.get(str(model.__tablename__))))


def _event_key(frame: pl.DataFrame, kind: str, id_column: str) -> pl.DataFrame:
    return frame.with_columns(to_key(hashes64(kind, frame["structure_id"], frame[id_column])).alias("ek"))


def _derive(read: Callable[[type[SQLModel]], pl.DataFrame]) -> Data:
    persons = read(Person).sort(PERSON_KEY)
    person_hash = hashes64("person", persons["structure_id"], persons["person_id"])
    ids = persons.select(PERSON_KEY).with_row_index("pid").with_columns(pl.col("pid").cast(pl.UInt32),
                                                                        to_key(person_hash).alias("pk"))
    referrals = _event_key(_with_pid(read(Referral), ids), "referral", "referral_id")
    supports = _event_key(_with_pid(read(SupportPeriod), ids), "support", "support_id")
    sessions = read(WorkshopSession)
    session_hash = pl.Series("_sh", hashes64("session", sessions["structure_id"], sessions["session_id"]))
    attendances = _with_pid(read(Attendance), ids).join(
        sessions.select("structure_id", "session_id", "workshop_id", "session_date").with_columns(session_hash),
        on=["structure_id", "session_id"], how="left",
    )
    # An attendance is a (session, person) pair: its key mixes theirs, vectorised (millions of rows on L).
    people = pl.Series(person_hash).gather(attendances["pid"].fill_null(0)).to_numpy()
    attendances = attendances.with_columns(to_key(mixed(attendances["_sh"].fill_null(0).to_numpy(), people)).alias("ek")).drop("_sh")
    first_contact = (
        pl.concat([
            referrals.select("pid", pl.col("referral_date").alias("day")),
            supports.select("pid", pl.col("entry_date").alias("day")),
        ])
        .group_by("pid").agg(pl.col("day").min().alias("first_contact"))
    )
    persons = (
        persons.with_columns(ids["pid"], ids["pk"])
        .join(first_contact, on="pid", how="left")
        .with_columns(age=(pl.col("first_contact").dt.year() - pl.col("birth_year")))
        .with_columns(age_band=age_band(pl.col("age")))
        .sort("pid")
    )
    return Data(
        structures=read(Structure).sort("structure_id"),
        persons=persons,
        referrals=referrals.sort(["referral_date", "structure_id", "referral_id"]),
        support_periods=supports.sort(["entry_date", "structure_id", "support_id"]),
        assessments=_with_pid(read(Assessment), ids).sort(["assessment_date", "pid", "domain"]),
        workshops=read(Workshop).sort(["structure_id", "workshop_id"]),
        sessions=sessions.sort(["session_date", "structure_id", "session_id"]),
        attendances=attendances.sort(["session_date", "structure_id", "session_id", "pid"]),
        milestones=_with_pid(read(Milestone), ids).sort(["milestone_date", "pid", "kind"]),
        domain_readings=read(DomainReading).sort("domain"),
        labels=read(CodeLabel).sort(["code_list", "position"]),
        loads=read(Load).sort("id"),
        load_counts=read(LoadTableCount).sort(["load_id", "table_name"]),
        load_warnings=read(LoadWarning).sort("id"),
    )


def restrict(data: Data, access: Access) -> Data:
    """The snapshot limited to ``access.structures``, carrying ``access`` for the disclosure gate.

    Other structures' rows are gone, and so are loads that touched them (with their counts and warnings).
    ``pid`` is renumbered so that it stays the row number of ``persons``; record keys come from ids, so every
    kept record has the same key, and every figure the same noise, as in the whole snapshot.
    """
    keep = pl.Series(sorted(access.structures), dtype=pl.String).implode()

    def own(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.filter(pl.col("structure_id").is_in(keep))

    persons = own(data.persons)
    old = persons["pid"]
    renumber = pl.col("pid").replace_strict(old, pl.int_range(old.len(), dtype=pl.UInt32, eager=True),
                                            default=None, return_dtype=pl.UInt32)

    def renumbered(frame: pl.DataFrame) -> pl.DataFrame:
        return own(frame).with_columns(renumber)

    inside = pl.col("structures").str.split(",").list.eval(pl.element().str.strip_chars().is_in(keep)).list.all()
    loads = data.loads.filter(inside)
    load_ids = loads["id"].implode()
    return Data(
        structures=own(data.structures),
        persons=persons.with_columns(renumber),
        referrals=renumbered(data.referrals),
        support_periods=renumbered(data.support_periods),
        assessments=renumbered(data.assessments),
        workshops=own(data.workshops),
        sessions=own(data.sessions),
        attendances=renumbered(data.attendances),
        milestones=renumbered(data.milestones),
        domain_readings=data.domain_readings,
        labels=data.labels,
        loads=loads,
        load_counts=data.load_counts.filter(pl.col("load_id").is_in(load_ids)),
        load_warnings=data.load_warnings.filter(pl.col("load_id").is_in(load_ids)),
        access=access,
    )
