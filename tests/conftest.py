"""Database fixtures shared by the whole suite.

- ``sqlite_url``: a fresh SQLite file per test.
- ``pg_url``: a fresh database on a real PostgreSQL server, one per test
  session (see ``tests/pg.py`` for how the server is found or started).
- ``pg_fresh_url``: a fresh PostgreSQL database per test.
- ``db_url``: parametrised over both backends, fresh per test; the
  PostgreSQL case carries the ``postgres`` marker.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import pg

# Hand-computed figures are checked in exact mode (no perturbation; every other rule holds); tests of the
# protected mode set PARCOURS_DISCLOSURE=protected themselves. A fixed secret keeps record keys, and so the
# noise, the same on every run. Set here, at import, so that subprocesses (CLI, app servers) inherit them.
os.environ.setdefault("PARCOURS_DISCLOSURE", "exact")
os.environ.setdefault("PARCOURS_SECRET", "parcours-test-suite-secret")


def _pg_database() -> Iterator[str]:
    if pg.skip_requested():
        pytest.skip("PARCOURS_SKIP_PG=1: PostgreSQL tests skipped on request")
    try:
        url = pg.create_database()
    except pg.PostgresUnavailable as exc:
        pytest.fail(f"PostgreSQL is required for this test and could not be used: {exc}")
    try:
        yield url
    finally:
        from models.db import get_engine

        get_engine.cache_clear()
        pg.drop_database(url)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'parcours.db'}"


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    yield from _pg_database()


@pytest.fixture
def pg_fresh_url() -> Iterator[str]:
    yield from _pg_database()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'parcours.db'}"
    else:
        yield from _pg_database()
