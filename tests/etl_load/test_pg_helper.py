"""The PostgreSQL test helper fails loudly when no server can be used."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text

from models.db import make_engine
from tests import pg


@pytest.fixture
def fresh_cache() -> Iterator[None]:
    pg.server_url.cache_clear()
    yield
    pg.server_url.cache_clear()


def test_unreachable_given_server_raises(monkeypatch: pytest.MonkeyPatch, fresh_cache: None) -> None:
    monkeypatch.setenv("PARCOURS_TEST_PG_URL", "postgresql+psycopg://parcours:x@127.0.0.1:1/postgres")
    with pytest.raises(pg.PostgresUnavailable, match="does not answer"):
        pg.create_database()


@pytest.mark.postgres
def test_pg_url_is_a_real_postgresql_database(pg_url: str) -> None:
    with make_engine(pg_url).connect() as conn:
        assert conn.execute(text("SELECT current_database()")).scalar_one() == pg_url.rsplit("/", 1)[1]
        assert conn.execute(text("SELECT count(*) FROM domain_readings")).scalar_one() == 17
        assert "PostgreSQL" in conn.execute(text("SELECT version()")).scalar_one()
