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
    load_id = int(result.inserted_primary_key[0])
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


def last_loads(conn: Connection, limit: int = 5) -> list[LoadSummary]:
    """The most recent loads, newest first."""
    load = Load.__table__  # type: ignore[attr-defined]
    warning = LoadWarning.__table__  # type: ignore[attr-defined]
    # A few warnings of each kind are stored, then one MORE_PROBLEMS row whose value counts the rest.
    weight = case((warning.c.code == "MORE_PROBLEMS", cast(warning.c.value, Integer)), else_=1)
    n_warnings = (
        select(func.coalesce(func.sum(weight), 0)).where(warning.c.load_id == load.c.id).scalar_subquery()
    )
    rows = conn.execute(
        select(
            load.c.id, load.c.finished_at, load.c.source, load.c.structures, load.c.replace,
            load.c.pseudonymised, n_warnings,
        )
        .order_by(load.c.id.desc())
        .limit(limit)
    ).all()
    return [LoadSummary(*row) for row in rows]
