"""The load log: every committed load leaves a trace of what it read and did.

``loads`` (when, what, options), ``load_files`` (each file with its SHA-256),
``load_table_counts`` (inserted / updated / unchanged / deleted per table)
and ``load_warnings`` (every warning, message in the load's language).
Written in the load's own transaction, so a failed load leaves no trace.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Integer, case, cast, func, insert, select

from etl.dataset import Problem, SourceFile
from models.tables import Load, LoadFile, LoadTableCount, LoadWarning


@dataclass
class TableCount:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    @property
    def total(self) -> int:
        return self.inserted + self.updated + self.unchanged


def record_load(
    conn: Connection,
    *,
    started_at: datetime,
    finished_at: datetime,
    source: str,
    structures: Sequence[str],
    replace: bool,
    pseudonymised: bool,
    files: Sequence[SourceFile],
    counts: Mapping[str, TableCount],
    warnings: Sequence[Problem],
) -> int:
    """Insert the log rows of one load; returns the load's id."""
    result = conn.execute(
        insert(Load.__table__).values(  # type: ignore[attr-defined]
            started_at=started_at,
            finished_at=finished_at,
            source=source,
            structures=",".join(structures),
            replace=replace,
            pseudonymised=pseudonymised,
        )
    )
    key = result.inserted_primary_key
    if key is None:  # an INSERT of one row always returns its key: None would be a driver's bug
        raise RuntimeError("the database returned no key for the new load")
    load_id = int(key[0])
    if files:
        conn.execute(
            insert(LoadFile.__table__),  # type: ignore[attr-defined]
            [
                {"load_id": load_id, "file_name": f.name, "table_name": f.table, "sha256": f.sha256, "rows": f.rows}
                for f in files
            ],
        )
    if counts:
        conn.execute(
            insert(LoadTableCount.__table__),  # type: ignore[attr-defined]
            [
                {
                    "load_id": load_id,
                    "table_name": table,
                    "inserted": c.inserted,
                    "updated": c.updated,
                    "unchanged": c.unchanged,
                    "deleted": c.deleted,
                }
                for table, c in counts.items()
            ],
        )
    if warnings:
        conn.execute(
            insert(LoadWarning.__table__),  # type: ignore[attr-defined]
            [
                {
                    "load_id": load_id,
                    "table_name": w.table,
                    "line": w.line,
                    "column_name": w.column,
                    "value": w.value,
                    "code": w.code,
                    "message": w.message,
                }
                for w in warnings
            ],
        )
    return load_id


@dataclass(frozen=True)
class LoadSummary:
    """One past load, as ``status`` shows it."""

    id: int
    finished_at: datetime
    source: str
    structures: str
    replace: bool
    pseudonymised: bool
    warnings: int


def _summaries(conn: Connection, load_id: int | None = None, limit: int | None = None) -> list[LoadSummary]:
    load = Load.__table__  # type: ignore[attr-defined]
    warning = LoadWarning.__table__  # type: ignore[attr-defined]
    # A few warnings of each kind are stored, then one MORE_PROBLEMS row whose value counts the rest.
    weight = case((warning.c.code == "MORE_PROBLEMS", cast(warning.c.value, Integer)), else_=1)
    n_warnings = (
        select(func.coalesce(func.sum(weight), 0)).where(warning.c.load_id == load.c.id).scalar_subquery()
    )
    query = select(
        load.c.id, load.c.finished_at, load.c.source, load.c.structures, load.c.replace,
        load.c.pseudonymised, n_warnings,
    ).order_by(load.c.id.desc())
    if load_id is not None:
        query = query.where(load.c.id == load_id)
    return [LoadSummary(*row) for row in conn.execute(query.limit(limit)).all()]


def last_loads(conn: Connection, limit: int = 5) -> list[LoadSummary]:
    """The most recent loads, newest first."""
    return _summaries(conn, limit=limit)


def find_load(conn: Connection, load_id: int | None = None) -> LoadSummary | None:
    """Load ``load_id`` (the latest when None), or None when there is no such load."""
    found = _summaries(conn, load_id, limit=1)
    return found[0] if found else None


def stored_warnings(conn: Connection, load_id: int) -> list[Problem]:
    """The warnings of one load as the read side reported them, in their order.

    The file of each comes from ``load_files`` (one file per table in a
    committed load); the message is the one stored, in the load's language.
    """
    warning = LoadWarning.__table__  # type: ignore[attr-defined]
    files = LoadFile.__table__  # type: ignore[attr-defined]
    file_of: dict[str, str] = dict(conn.execute(select(files.c.table_name, files.c.file_name).where(files.c.load_id == load_id)).all())
    rows = conn.execute(
        select(warning.c.table_name, warning.c.line, warning.c.column_name, warning.c.value, warning.c.code,
               warning.c.message)
        .where(warning.c.load_id == load_id)
        .order_by(warning.c.id)
    ).all()
    return [
        Problem(table=table, file=file_of.get(table, ""), line=line, column=column, value=value, code=code,
                message=message)
        for table, line, column, value, code, message in rows
    ]
