"""A real PostgreSQL server for the test suite.

``PARCOURS_TEST_PG_URL`` (a SQLAlchemy URL whose role may create databases)
wins when set. Otherwise Debian's local cluster is used, started when it is
down (and created when missing) through ``pg_ctlcluster`` as root; a role
``parcours`` with a password is created through ``su postgres -c psql``.
Each caller gets its own fresh database, dropped afterwards.

When no server can be reached or started the tests that need one FAIL:
CI must not skip them silently. ``PARCOURS_SKIP_PG=1`` turns that into a skip
(for machines that knowingly have no PostgreSQL).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid
import warnings
from functools import lru_cache

import psycopg
from sqlalchemy.engine import URL, make_url

ROLE = "parcours"
PASSWORD = "parcours-test"  # noqa: S105  (local test role only)
DEFAULT_URL = f"postgresql+psycopg://{ROLE}:{PASSWORD}@127.0.0.1:5432/postgres"


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server could be reached or started."""


def skip_requested() -> bool:
    return os.environ.get("PARCOURS_SKIP_PG") == "1"


def _libpq(url: URL) -> str:
    """The psycopg connection string of a SQLAlchemy URL."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _reachable(url: URL) -> bool:
    try:
        with psycopg.connect(_libpq(url), connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def _run(cmd: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)


def _clusters() -> list[list[str]]:
    """Rows of ``pg_lsclusters``: version, cluster, port, status, ..."""
    if not shutil.which("pg_lsclusters"):
        raise PostgresUnavailable("PostgreSQL is not installed (no pg_lsclusters); apt-get install postgresql")
    out = _run(["pg_lsclusters", "--no-header"]).stdout
    return [line.split() for line in out.splitlines() if line.strip()]


def _start_local_cluster() -> str:
    """Start (or create then start) Debian's cluster; returns its port."""
    clusters = _clusters()
    if not clusters:
        versions = sorted(os.listdir("/usr/lib/postgresql"), key=int) if os.path.isdir("/usr/lib/postgresql") else []
        if not versions:
            raise PostgresUnavailable("no PostgreSQL version found under /usr/lib/postgresql")
        created = _run(["pg_createcluster", versions[-1], "main"])
        if created.returncode:
            raise PostgresUnavailable(f"pg_createcluster failed: {created.stderr.strip()}")
        clusters = _clusters()
    version, name, port, status = clusters[0][:4]
    if status != "online":
        started = _run(["pg_ctlcluster", version, name, "start"])
        # Another test process may have started it at the same moment.
        if started.returncode and "online" not in " ".join(_clusters()[0]):
            raise PostgresUnavailable(f"pg_ctlcluster {version} {name} start failed: {started.stderr.strip()}")
    return port


def _psql_as_postgres(port: str, sql: str) -> None:
    done = _run(["su", "postgres", "-c", f"psql -p {port} -v ON_ERROR_STOP=1 -q -c \"{sql}\""])
    if done.returncode:
        raise PostgresUnavailable(f"psql as postgres failed: {done.stderr.strip()}")


def _ensure_role(port: str) -> None:
    sql = (
        f"DO \\$\\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{ROLE}') THEN "
        f"CREATE ROLE {ROLE} LOGIN CREATEDB PASSWORD '{PASSWORD}'; END IF; END \\$\\$; "
        # DROP DATABASE ... WITH (FORCE) ends the backends of a load the tests killed (tests/etl_stream/test_kill.py).
        f"GRANT pg_signal_backend TO {ROLE};"
    )
    _psql_as_postgres(port, sql)


@lru_cache(maxsize=1)
def server_url() -> URL:
    """URL of a maintenance database on a running server (started if needed)."""
    given = os.environ.get("PARCOURS_TEST_PG_URL")
    if given:
        url = make_url(given)
        if not _reachable(url):
            raise PostgresUnavailable(f"PARCOURS_TEST_PG_URL is set but the server does not answer: {url!r}")
        return url
    url = make_url(DEFAULT_URL)
    if _reachable(url):
        return url
    port = _start_local_cluster()
    url = url.set(port=int(port))
    deadline = time.monotonic() + 30
    while True:
        try:
            _ensure_role(port)
            break
        except PostgresUnavailable:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
    if not _reachable(url):
        raise PostgresUnavailable(f"PostgreSQL started but {url!r} does not accept connections")
    return url


def create_database(prefix: str = "parcours_test") -> str:
    """A new empty database; returns its SQLAlchemy URL."""
    server = server_url()
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(_libpq(server), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return server.set(database=name).render_as_string(hide_password=False)


def drop_database(url: str, wait: float = 30.0) -> None:
    """Drop the test database. A client killed with SIGKILL leaves its backend until the server notices the closed
    socket: without the right to end it, wait for it to go (a uniquely named database left behind is harmless, so
    after ``wait`` seconds the database is left and a warning says so)."""
    server = server_url()
    name = make_url(url).database
    deadline = time.monotonic() + wait
    while True:
        try:
            with psycopg.connect(_libpq(server), autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except (psycopg.errors.InsufficientPrivilege, psycopg.errors.ObjectInUse) as error:
            if time.monotonic() > deadline:
                warnings.warn(f"test database {name} left behind: {error}", stacklevel=2)
                return
            time.sleep(0.5)  # waiting on the server to notice a dead client: nothing to wait on but time
