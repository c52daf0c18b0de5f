"""Load a validated dataset into the database, in one transaction.

Rows are upserted on each table's key: rows new to the database are
inserted, rows whose values differ are updated, identical rows are left
alone, so loading the same dataset twice changes nothing. With
``replace=True`` the stored rows of the dataset's structures that the
dataset no longer holds are deleted (children before parents), including
every row of a table the dataset omits; structure rows themselves are never
deleted. Structures named by the data but missing from a ``structures``
table get a row whose name is their id.

Everything (writes and the load log) happens in a single transaction: a
failure anywhere leaves the database exactly as it was. A dry run computes
the same counts and writes nothing.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime

import polars as pl
from sqlalchemy import Connection, Engine

from etl import upsert
from etl.dataset import Problem, ValidatedDataset
from etl.log import TableCount, record_load
from etl.progress import Progress
from models.contract import CONTRACT_TABLES, REQUIRED_TABLES

LINE_COLUMN = "_line"
STRUCTURES = "structures"


@dataclass
class LoadReport:
    """What a load did (or, for a dry run, would do)."""

    source: str
    structures: list[str]
    counts: dict[str, TableCount]  # contract table name -> counts, in load order
    warnings: list[Problem]
    load_id: int | None = None  # None for a dry run
    dry_run: bool = False
    replace: bool = False
    pseudonymised: bool = False
    seconds: float = 0.0

    @property
    def total(self) -> TableCount:
        total = TableCount()
        for c in self.counts.values():
            total.inserted += c.inserted
            total.updated += c.updated
            total.unchanged += c.unchanged
            total.deleted += c.deleted
        return total


def _incoming(dataset: ValidatedDataset) -> dict[str, pl.DataFrame]:
    """Staged frames of the tables the dataset holds, conformed to the tables."""
    frames = {}
    for name in CONTRACT_TABLES:
        frame = dataset.tables.get(name)
        if frame is None:
            continue
        frames[name] = upsert.conform(name, frame.drop(LINE_COLUMN, strict=False))
    return frames


def _with_structure_rows(
    frames: dict[str, pl.DataFrame], structures: list[str], stored: set[str]
) -> dict[str, pl.DataFrame]:
    """Add a row (name = id) for every structure the data names, the dataset does
    not describe and the database does not know yet."""
    described = frames.get(STRUCTURES)
    known = set(described["structure_id"].to_list()) if described is not None else set()
    missing = sorted(set(structures) - known - stored)
    if not missing:
        return frames
    extra = upsert.conform(STRUCTURES, pl.DataFrame({"structure_id": missing, "name": missing}))
    merged = extra if described is None else pl.concat([described, extra])
    return {STRUCTURES: merged, **{k: v for k, v in frames.items() if k != STRUCTURES}}


def _scope(frames: dict[str, pl.DataFrame], structures: list[str]) -> list[str]:
    if structures:
        return sorted(set(structures))
    return sorted(frames[STRUCTURES]["structure_id"].to_list()) if STRUCTURES in frames else []


def load_dataset(
    engine: Engine,
    dataset: ValidatedDataset,
    *,
    source: str,
    replace: bool = False,
    dry_run: bool = False,
    pseudonymised: bool = False,
    progress: Progress | None = None,
) -> LoadReport:
    """Upsert ``dataset`` into the database behind ``engine``; all or nothing.

    The dataset must be valid (``dataset.ok``); pseudonymise it before if
    needed (``etl.pseudonymise``) and say so with ``pseudonymised``.
    """
    if not dataset.ok:
        raise ValueError("load_dataset() needs a dataset without errors")
    missing = [t for t in REQUIRED_TABLES if t not in dataset.tables]
    if missing:
        raise ValueError(f"required tables missing from the dataset: {', '.join(missing)}")
    clock = time.perf_counter()
    started_at = datetime.now(UTC)
    frames = _incoming(dataset)
    structures = _scope(frames, list(dataset.structures))
    report = LoadReport(
        source=source,
        structures=structures,
        counts={},
        warnings=list(dataset.warnings),
        dry_run=dry_run,
        replace=replace,
        pseudonymised=pseudonymised,
    )
    with engine.begin() as conn:
        upsert.begin_load(conn)
        stored = upsert.stored_structures(conn)
        frames = _with_structure_rows(frames, structures, stored)
        whole_table = stored <= set(structures)
        plans: list[upsert.TablePlan] = []
        if progress:
            progress.start(sum(frame.height for frame in frames.values()), "compare")
        for name in CONTRACT_TABLES:
            if name in frames:
                incoming = frames.pop(name)
            elif replace and name != STRUCTURES:
                incoming = pl.DataFrame(schema=upsert.schema_of(name))
            else:
                continue
            plan = upsert.plan_table(
                conn, name, incoming, structures, replace=replace and name != STRUCTURES, whole_table=whole_table
            )
            plans.append(plan)
            if progress:
                progress.advance(incoming.height)
            report.counts[name] = TableCount(
                inserted=plan.new.height, updated=plan.changed.height, unchanged=plan.unchanged,
                deleted=plan.gone.height,
            )
        if progress:
            progress.finish()
        if dry_run:
            conn.rollback()
        else:
            _write(conn, plans, progress)
            report.load_id = record_load(
                conn,
                started_at=started_at,
                finished_at=datetime.now(UTC),
                source=source,
                structures=structures,
                replace=replace,
                pseudonymised=pseudonymised,
                files=dataset.files,
                counts=report.counts,
                warnings=dataset.warnings,
            )
    report.seconds = time.perf_counter() - clock
    return report


def _write(conn: Connection, plans: list[upsert.TablePlan], progress: Progress | None) -> None:
    advance = progress.advance if progress else None
    if progress:
        progress.start(sum(p.writes for p in plans), "write")
    for plan in reversed(plans):
        upsert.delete_rows(conn, plan.table, plan.keys, plan.gone, advance)
    for plan in plans:
        upsert.insert_rows(conn, plan.table, plan.new, advance, into_empty=plan.was_empty)
        upsert.update_rows(conn, plan.table, plan.keys, plan.changed, advance)
        plan.new, plan.changed = plan.new.clear(), plan.changed.clear()  # written: let the memory go
    if progress:
        progress.finish()
