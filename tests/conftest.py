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
# Pages of the suite run signed in as an administrator of every structure (the app's screen level, as before
# accounts existed): PARCOURS_TEST_ROLE is honoured from the server's environment only and the app shows a banner.
# Tests of accounts and scopes (tests/accounts, tests/e2e/test_signin.py) remove it and sign in for real.
os.environ.setdefault("PARCOURS_TEST_ROLE", "administrator")


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


# --- A real browser and the demo app, shared by every folder that drives them (tests/e2e and others) -------------
# One session-wide Playwright: a second live sync Playwright in the same process fails ("inside the asyncio loop").


@pytest.fixture(scope="session")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    from tests.e2e.conftest import build_demo_database

    return build_demo_database(tmp_path_factory.mktemp("e2e"))


@pytest.fixture(scope="session")
def app(demo_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from tests.e2e.conftest import running_app

    with running_app(demo_url, tmp_path_factory.mktemp("e2e-log") / "streamlit.log") as base:
        yield base


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser) -> Iterator[object]:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-FR")
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    try:
        yield tab
    finally:
        context.close()
