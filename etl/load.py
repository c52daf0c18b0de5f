"""Load a validated dataset into the database, in one transaction.

Rows are upserted on each table's key: rows new to the database are
inserted, rows whose values differ are updated, identical rows are left
alone, so loading the same dataset twice changes nothing. With
``replace=True`` the stored rows of the dataset's structures that the
dataset no longer holds are deleted (table by table: no data table has a
foreign key to another), including every row of a table the dataset
omits; structure rows themselves are never deleted. Structures named by
the data but missing from a ``structures`` table get a row whose name is
their id.

Tables are written one after the other, each chunk by chunk from the
staged dataset (``etl.spill``), through ``etl.upsert``. Everything (writes
and the load log) happens in a single transaction: a failure anywhere, or
the process killed, leaves the database exactly as it was. A dry run does
the same writes, so its counts are the load's, then rolls them back.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import polars as pl
from sqlalchemy import Engine

from etl import quality_log, upsert
from etl.dataset import Problem, ValidatedDataset
from etl.log import TableCount, record_load
from etl.progress import Progress
from etl.spill import table_chunks, table_rows
from models.contract import CONTRACT_TABLES, REQUIRED_TABLES, table_of

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


def _chunks(dataset: ValidatedDataset, name: str, extra: pl.DataFrame | None = None) -> Iterator[pl.DataFrame]:
    """A table's staged chunks conformed to the table, then ``extra`` rows."""
    if name in dataset.tables:
        for chunk in table_chunks(dataset.tables, name):
            yield upsert.conform(name, chunk.drop(LINE_COLUMN, strict=False))
    if extra is not None:
        yield extra


def _structure_rows(dataset: ValidatedDataset, structures: list[str], stored: set[str]) -> pl.DataFrame | None:
    """A row (name = id) for every structure the data names, the dataset does
    not describe and the database does not know yet."""
    described = dataset.tables.get(STRUCTURES) if STRUCTURES in dataset.tables else None
    known = set(described["structure_id"].to_list()) if described is not None else set()
    missing = sorted(set(structures) - known - stored)
    if not missing:
        return None
    return upsert.conform(STRUCTURES, pl.DataFrame({"structure_id": missing, "name": missing}))


def _scope(dataset: ValidatedDataset) -> list[str]:
    if dataset.structures:
        return sorted(set(dataset.structures))
    if STRUCTURES not in dataset.tables:
        return []
    return sorted(dataset.tables[STRUCTURES]["structure_id"].to_list())


def load_dataset(
    engine: Engine,
    dataset: ValidatedDataset,
    *,
    source: str,
    replace: bool = False,
    dry_run: bool = False,
    pseudonymised: bool = False,
    progress: Progress | None = None,
    on_new: Callable[[str, pl.DataFrame], None] | None = None,
) -> LoadReport:
    """Upsert ``dataset`` into the database behind ``engine``; all or nothing.

    The dataset must be valid (``dataset.ok``); pseudonymise it before if
    needed (``etl.pseudonymise``) and say so with ``pseudonymised``.
    ``on_new(table, frame)`` sees each chunk of rows new to the database
    (contract table name, project columns), e.g. to measure arrivals.
    """
    if not dataset.ok:
        raise ValueError("load_dataset() needs a dataset without errors")
    missing = [t for t in REQUIRED_TABLES if t not in dataset.tables]
    if missing:
        raise ValueError(f"required tables missing from the dataset: {', '.join(missing)}")
    clock = time.perf_counter()
    started_at = datetime.now(UTC)
    structures = _scope(dataset)
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
        extra = _structure_rows(dataset, structures, stored)
        # Every stored row belongs to the dataset's structures: no need to filter deletions by structure.
        scope = None if stored <= set(structures) else structures
        rows = {name: table_rows(dataset.tables, name) for name in CONTRACT_TABLES if name in dataset.tables}
        if extra is not None:
            rows[STRUCTURES] = rows.get(STRUCTURES, 0) + extra.height
        if progress:
            progress.start(sum(rows.values()), "write")
        advance = progress.advance if progress else None
        arrivals = quality_log.Arrivals(started_at.date(), then=on_new)  # the ages of the rows first brought
        for name in CONTRACT_TABLES:
            if name in rows:
                done = upsert.upsert_table(
                    conn, name, _chunks(dataset, name, extra if name == STRUCTURES else None), rows[name], scope,
                    replace=replace and name != STRUCTURES, advance=advance,
                    on_new=lambda frame, name=name: arrivals.add(name, frame),  # type: ignore[misc]
                )
            elif replace and name != STRUCTURES:
                done = upsert.Written(deleted=upsert.delete_rows(conn, table_of(name), scope))
            else:
                continue
            report.counts[name] = TableCount(
                inserted=done.inserted, updated=done.updated, unchanged=done.unchanged, deleted=done.deleted
            )
        if progress:
            progress.finish()
        if dry_run:
            conn.rollback()
        else:
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
            measured = quality_log.content_measures(dataset.tables, started_at.date()) + arrivals.measures()
            quality_log.record(conn, report.load_id, measured)
    report.seconds = time.perf_counter() - clock
    return report
