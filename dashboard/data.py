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
from dataclasses import dataclass
from datetime import date

import polars as pl
from sqlalchemy import Engine, Table, func, select
from sqlmodel import SQLModel

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

    @property
    def empty(self) -> bool:
        return self.persons.is_empty()

    @property
    def first_day(self) -> date | None:
        days = [d for d in (self.referrals["referral_date"].min(), self.support_periods["entry_date"].min()) if d]
        return min(days) if days else None  # type: ignore[type-var]

    @property
    def last_day(self) -> date | None:
        """The last day any event is dated (referral, entry, exit, assessment, session)."""
        candidates = [
            self.referrals["referral_date"].max(),
            self.support_periods["entry_date"].max(),
            self.support_periods["exit_date"].max(),
            self.assessments["assessment_date"].max(),
            self.sessions["session_date"].max(),
        ]
        days = [d for d in candidates if d is not None]
        return max(days) if days else None  # type: ignore[type-var]


_POLARS_TYPES: dict[type, pl.DataType] = {str: pl.String(), int: pl.Int64(), bool: pl.Boolean(), date: pl.Date()}


def _schema(table: Table) -> dict[str, pl.DataType]:
    schema: dict[str, pl.DataType] = {}
    for column in table.columns:
        python_type = column.type.python_type
        schema[column.name] = _POLARS_TYPES.get(python_type, pl.String())
        if python_type.__name__ == "datetime":
            schema[column.name] = pl.Datetime()
    return schema


def read_table(engine: Engine, model: type[SQLModel]) -> pl.DataFrame:
    """A whole table as a polars frame with the model's dtypes.

    Goes through the raw DBAPI cursor: much faster than ORM objects, and
    SQLite hands dates back as ISO text that polars parses in bulk.
    """
    table: Table = model.__table__  # type: ignore[attr-defined]
    schema = _schema(table)
    read_schema = {name: (pl.String() if dtype in (pl.Date(), pl.Datetime()) else dtype) for name, dtype in schema.items()}
    sql = f"SELECT {', '.join(schema)} FROM {table.name}"  # identifiers from our own metadata, no user input
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute(sql)
        chunks = []
        while rows := cursor.fetchmany(200_000):
            if _has_date_objects(rows[0]):  # PostgreSQL drivers return date objects, SQLite ISO text
                rows = [tuple(v.isoformat() if hasattr(v, "isoformat") else v for v in row) for row in rows]
            chunks.append(pl.DataFrame(rows, schema=read_schema, orient="row"))
        cursor.close()
    finally:
        raw.close()
    frame = pl.concat(chunks) if chunks else pl.DataFrame(schema=read_schema)
    casts = []
    for name, dtype in schema.items():
        if dtype == pl.Date():
            casts.append(pl.col(name).str.slice(0, 10).str.to_date("%Y-%m-%d"))
        elif dtype == pl.Datetime():
            casts.append(pl.col(name).str.replace("T", " ").str.to_datetime(strict=False))
        elif dtype == pl.Boolean() and frame[name].dtype != pl.Boolean():
            casts.append(pl.col(name).cast(pl.Boolean))
    return frame.with_columns(casts) if casts else frame


def _has_date_objects(row: tuple) -> bool:
    return any(hasattr(value, "isoformat") for value in row)


def data_version(engine: Engine) -> str:
    """Changes whenever what the dashboard shows could change."""
    with engine.connect() as conn:
        loads = conn.execute(select(func.count(), func.max(Load.id)).select_from(Load)).one()
        readings = conn.execute(select(DomainReading.domain, DomainReading.kind, DomainReading.pillar)
                                .order_by(DomainReading.domain)).all()
        labels = conn.execute(select(func.count()).select_from(CodeLabel)).scalar()
        persons = conn.execute(select(func.count()).select_from(Person)).scalar()
    digest = hashlib.sha256(repr((tuple(loads), readings, labels, persons)).encode()).hexdigest()
    return digest[:16]


def _with_pid(frame: pl.DataFrame, ids: pl.DataFrame) -> pl.DataFrame:
    return frame.join(ids, on=PERSON_KEY, how="left")


def _age_band(age: pl.Expr) -> pl.Expr:
    return (
        pl.when(age.is_null()).then(pl.lit("INCONNU"))
        .when(age < 26).then(pl.lit("MOINS_26"))
        .when(age < 45).then(pl.lit("26_44"))
        .when(age < 60).then(pl.lit("45_59"))
        .otherwise(pl.lit("60_PLUS"))
    )


def read_data(engine: Engine) -> Data:
    """Read every table the dashboard uses and derive the per-person columns."""
    persons = read_table(engine, Person).sort(PERSON_KEY)
    ids = persons.select(PERSON_KEY).with_row_index("pid").with_columns(pl.col("pid").cast(pl.UInt32))
    referrals = _with_pid(read_table(engine, Referral), ids)
    supports = _with_pid(read_table(engine, SupportPeriod), ids)
    sessions = read_table(engine, WorkshopSession)
    attendances = _with_pid(read_table(engine, Attendance), ids).join(
        sessions.select("structure_id", "session_id", "workshop_id", "session_date"),
        on=["structure_id", "session_id"], how="left",
    )
    first_contact = (
        pl.concat([
            referrals.select("pid", pl.col("referral_date").alias("day")),
            supports.select("pid", pl.col("entry_date").alias("day")),
        ])
        .group_by("pid").agg(pl.col("day").min().alias("first_contact"))
    )
    persons = (
        persons.with_columns(ids["pid"])
        .join(first_contact, on="pid", how="left")
        .with_columns(age=(pl.col("first_contact").dt.year() - pl.col("birth_year")))
        .with_columns(age_band=_age_band(pl.col("age")))
        .sort("pid")
    )
    return Data(
        structures=read_table(engine, Structure).sort("structure_id"),
        persons=persons,
        referrals=referrals.sort(["referral_date", "structure_id", "referral_id"]),
        support_periods=supports.sort(["entry_date", "structure_id", "support_id"]),
        assessments=_with_pid(read_table(engine, Assessment), ids).sort(["assessment_date", "pid", "domain"]),
        workshops=read_table(engine, Workshop).sort(["structure_id", "workshop_id"]),
        sessions=sessions.sort(["session_date", "structure_id", "session_id"]),
        attendances=attendances.sort(["session_date", "structure_id", "session_id", "pid"]),
        milestones=_with_pid(read_table(engine, Milestone), ids).sort(["milestone_date", "pid", "kind"]),
        domain_readings=read_table(engine, DomainReading).sort("domain"),
        labels=read_table(engine, CodeLabel).sort(["code_list", "position"]),
        loads=read_table(engine, Load).sort("id"),
        load_counts=read_table(engine, LoadTableCount).sort(["load_id", "table_name"]),
        load_warnings=read_table(engine, LoadWarning).sort("id"),
    )
