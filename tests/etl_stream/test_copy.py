"""PostgreSQL loads through COPY into staging tables and ends with exactly the rows SQLite holds."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine, select

from etl.load import LoadReport, load_dataset
from etl.validate import read_and_validate
from models.contract import CONTRACT_TABLES, table_of
from models.db import make_engine
from tests.etl_stream.datasets import rows_of, second_version

DATA_TABLES = [table_of(name).name for name in CONTRACT_TABLES]


class Statements:
    """Every COPY and executemany statement psycopg runs."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.copies: list[str] = []
        self.many: list[str] = []
        real_copy, real_many = psycopg.Cursor.copy, psycopg.Cursor.executemany

        def copy(cursor, statement, *args, **kwargs):  # type: ignore[no-untyped-def]
            self.copies.append(str(statement))
            return real_copy(cursor, statement, *args, **kwargs)

        def executemany(cursor, query, params_seq, *args, **kwargs):  # type: ignore[no-untyped-def]
            self.many.append(str(query))
            return real_many(cursor, query, params_seq, *args, **kwargs)

        monkeypatch.setattr(psycopg.Cursor, "copy", copy)
        monkeypatch.setattr(psycopg.Cursor, "executemany", executemany)


def _rows(engine: Engine) -> dict[str, list[tuple]]:
    with engine.connect() as conn:
        return {
            name: sorted((tuple(row) for row in conn.execute(select(table_of(contract)))), key=repr)
            for contract, name in zip(CONTRACT_TABLES, DATA_TABLES, strict=True)
        }


def _load(engine: Engine, folder: Path, **options: bool) -> LoadReport:
    dataset = read_and_validate(folder)
    assert dataset.ok, dataset.errors[:3]
    return load_dataset(engine, dataset, source=str(folder), **options)


def _counts(report: LoadReport) -> dict[str, tuple[int, int, int, int]]:
    return {t: (c.inserted, c.updated, c.unchanged, c.deleted) for t, c in report.counts.items()}


@pytest.mark.postgres
def test_postgres_loads_through_copy_with_the_rows_and_counts_of_sqlite(
    demo_s: Path, sqlite_url: str, pg_fresh_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    later = second_version(demo_s, tmp_path / "later")
    sqlite, postgres = make_engine(sqlite_url), make_engine(pg_fresh_url)
    first_sqlite = _load(sqlite, demo_s)
    statements = Statements(monkeypatch)
    first_pg = _load(postgres, demo_s)
    # An empty table is filled by COPY straight into it; nothing goes row by row.
    assert sorted(s.split()[1].strip('"') for s in statements.copies) == sorted(DATA_TABLES)
    assert not [s for s in statements.many if any(f'"{t}"' in s or f" {t} " in s for t in DATA_TABLES)]
    expected = rows_of(demo_s)
    assert _counts(first_pg) == _counts(first_sqlite) == {t: (n, 0, 0, 0) for t, n in expected.items()}
    assert _rows(postgres) == _rows(sqlite)

    statements.copies.clear()
    again_sqlite = _load(sqlite, later, replace=True)
    again_pg = _load(postgres, later, replace=True)
    # Tables holding rows: COPY into the staging table, then the upsert in SQL.
    assert statements.copies and all(s.split()[1] == "parcours_stage" for s in statements.copies)
    assert len(statements.copies) == len(DATA_TABLES)
    assert _counts(again_pg) == _counts(again_sqlite)
    assert _counts(again_pg)["personnes"] == (0, 10, expected["personnes"] - 10, 0)
    assert _counts(again_pg)["evaluations"] == (0, 0, expected["evaluations"] - 100, 100)
    assert _rows(postgres) == _rows(sqlite)
    territories = {row[9] for row in _rows(postgres)["persons"]}
    assert "Nouveau quartier" in territories
