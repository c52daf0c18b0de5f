"""Data quality measured by each load, stored with it (``load_quality``), for the trends over loads.

Completeness and consistency (``models.quality``) are counted on the export
the load read, per structure: the data as that load brought it. The staged
tables are read chunk by chunk (``etl.spill``): completeness and the rules
on referrals and assessments add up chunk by chunk, with the support
periods and workshops (small tables) held whole as their context.

Timeliness needs the load that first brought each row: the rows a load
inserts are exactly the rows new to the database (``upsert``'s ``on_new``),
so each load records, per structure and event table, how many rows it
first brought, how many of them were at most ``ON_TIME_DAYS`` old, and
their median age. Loading the same data again inserts nothing and so
records no arrival: a reload changes neither the data nor any earlier
load's figures (loads stay idempotent); a row deleted by ``--replace`` and
brought back later counts as a new arrival then. No row-level trace is kept
(no id, no line).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from datetime import date

import polars as pl
from sqlalchemy import Connection, insert

from etl import upsert
from etl.spill import table_chunks
from models import quality
from models.contract import CONTRACT_TABLES
from models.tables import LoadQuality

Measure = tuple[str, str, int, int]  # structure_id, measure, rows, total


PROJECT: dict[str, str] = {name: str(model.__tablename__) for name, model in CONTRACT_TABLES.items()}
CONTRACT = {project: name for name, project in PROJECT.items()}
CONTEXT = ("support_periods", "workshops")  # held whole: the rules on other tables need them


def project_frames(tables: Mapping[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """Contract tables (``personnes``...) conformed and keyed by project table name (``persons``...)."""
    return {PROJECT[name]: upsert.conform(name, frame) for name, frame in tables.items() if name in PROJECT}


def _chunks(tables: Mapping[str, pl.DataFrame], project: str) -> Iterator[pl.DataFrame]:
    name = CONTRACT[project]
    if name in tables:
        for chunk in table_chunks(tables, name):
            yield upsert.conform(name, chunk)


def _add(totals: Counter[tuple[str, str, str]], frame: pl.DataFrame, measure: str, counts: dict[str, pl.Expr]) -> None:
    """Add per-structure sums of ``counts`` (``rows``, ``total``) of ``frame`` under ``measure``."""
    if frame.is_empty():
        return
    for structure, rows, total in frame.group_by("structure_id").agg(**counts).iter_rows():
        totals[(structure, measure, "rows")] += int(rows)
        totals[(structure, measure, "total")] += int(total)


def content_measures(tables: Mapping[str, pl.DataFrame], as_of: date) -> list[Measure]:
    """Completeness and consistency counts per structure of the staged ``tables``, chunk by chunk."""
    context = {t: pl.concat(list(_chunks(tables, t))) for t in CONTEXT if CONTRACT[t] in tables}
    sessions = [c.select("structure_id", "workshop_id").unique() for c in _chunks(tables, "workshop_sessions")]
    if sessions:
        context["workshop_sessions"] = pl.concat(sessions).unique()
    totals: Counter[tuple[str, str, str]] = Counter()
    for table in quality.IDS:
        streamed = table not in CONTEXT
        for chunk in (_chunks(tables, table) if streamed else ([context[table]] if table in context else [])):
            for column in (c for c in quality.COMPLETENESS if c.table == table):
                _add(totals, chunk, f"missing:{column.name}", {"rows": column.missing().sum(),
                                                               "total": column.expected_rows().sum()})
                if column.has_unknown:
                    _add(totals, chunk, f"unknown:{column.name}", {"rows": column.unknown().sum(),
                                                                   "total": column.expected_rows().sum()})
            frames = {**context, table: chunk}
            for rule in (r for r in quality.CONSISTENCY if r.table == table):
                judged, flagged = quality.base_rows(rule, frames), rule.rows(frames, as_of)
                _add(totals, judged, f"rule:{rule.code}", {"rows": pl.lit(0), "total": pl.len()})
                _add(totals, flagged, f"rule:{rule.code}", {"rows": pl.len(), "total": pl.lit(0)})
    keys = sorted({(structure, measure) for structure, measure, _ in totals})
    return [(s, m, totals[(s, m, "rows")], totals[(s, m, "total")]) for s, m in keys]


class Arrivals:
    """Ages of the rows a load first brings, per structure and event table, gathered chunk by chunk
    (``upsert``'s ``on_new``); ``then`` is the caller's own ``on_new``, still called."""

    def __init__(self, loaded: date, then: Callable[[str, pl.DataFrame], None] | None = None) -> None:
        self.loaded = loaded
        self.then = then
        self.ages: dict[tuple[str, str], Counter[int]] = {}

    def add(self, contract_table: str, frame: pl.DataFrame) -> None:
        table = PROJECT.get(contract_table, contract_table)
        event = quality.EVENT_DATES.get(table)
        if event is not None and event in frame.columns:
            ages = frame.group_by("structure_id", quality.lag_days(event, self.loaded).alias("age")).len()
            for structure, age, n in ages.iter_rows():
                self.ages.setdefault((structure, table), Counter())[int(age)] += int(n)
        if self.then is not None:
            self.then(contract_table, frame)

    def measures(self) -> list[Measure]:
        out: list[Measure] = []
        for structure, table in sorted(self.ages):
            ages = self.ages[(structure, table)]
            n = sum(ages.values())
            on_time = sum(c for age, c in ages.items() if age <= quality.ON_TIME_DAYS)
            out.append((structure, f"timely:{table}", on_time, n))
            out.append((structure, f"lag:{table}", round(_median(ages)), n))
        return out


def _median(ages: Counter[int]) -> float:
    """The median of a histogram of ages (the mean of the two middle values for an even count)."""
    values = sorted(ages)
    n = sum(ages.values())
    wanted = [(n - 1) // 2, n // 2]
    found: list[int] = []
    seen = 0
    for age in values:
        while len(found) < 2 and wanted[len(found)] < seen + ages[age]:
            found.append(age)
        seen += ages[age]
    return sum(found) / 2


def arrival_measures(new_rows: Mapping[str, pl.DataFrame], loaded: date) -> list[Measure]:
    """The measures of ``Arrivals`` fed with whole frames (project table names), for tests and small loads."""
    arrivals = Arrivals(loaded)
    for table, frame in new_rows.items():
        arrivals.add(table, frame)
    return arrivals.measures()


def record(conn: Connection, load_id: int, measures: list[Measure]) -> None:
    if measures:
        conn.execute(
            insert(LoadQuality.__table__),  # type: ignore[attr-defined]
            [{"load_id": load_id, "structure_id": s, "measure": m, "rows": r, "total": t} for s, m, r, t in measures],
        )
