"""Write staged rows into the database chunk by chunk, and upsert them in SQL.

A table that holds no row yet is filled directly: SQLite through the DBAPI
cursor's ``executemany`` (sqlite3 runs it at native speed), PostgreSQL
through ``COPY ... FROM STDIN`` (psycopg 3's ``cursor.copy``, fed with the
CSV polars writes). Otherwise the rows go first into a temporary staging
table, the same way, and the database does the comparison: an ``UPDATE ...
FROM`` of the rows whose values differ, an ``INSERT ... SELECT`` of the keys
it does not hold yet and, with ``--replace``, a ``DELETE`` of the stored
keys the staging table lacks. Row counts come from those statements, so
nothing but one chunk is ever held in Python. When a caller wants to see
the new rows (``on_new``), they are set aside in a second temporary table,
inserted from there and read back in chunks (on PostgreSQL through a
server-side cursor: psycopg's ordinary one brings a whole result at once).

The staging table lives in the load's transaction: on PostgreSQL it is
dropped at commit or rollback; on SQLite it is a temporary table, kept in a
temporary file (``temp_store=FILE`` for the load) so that it does not grow
in memory. SQLite stores dates as ``YYYY-MM-DD`` text (what SQLAlchemy's
``Date`` type writes and reads back) and booleans as 0/1.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import polars as pl
from sqlalchemy import Connection, Table

from models.contract import CONTRACT_TABLES, contract_columns, table_of

BATCH_ROWS = 50_000  # rows per executemany call or COPY block
REBUILD_INDEXES_FROM = 100_000
LOAD_LOCK = 0x5061_7263  # advisory lock key shared by every load ("Parc")
STAGE = "parcours_stage"
NEW = "parcours_new"

_DTYPES: dict[str, pl.DataType] = {
    "str": pl.String(),
    "code": pl.String(),
    "int": pl.Int64(),
    "date": pl.Date(),
    "bool": pl.Boolean(),
}

Advance = Callable[[int], None]
OnNew = Callable[[pl.DataFrame], None]  # receives each chunk of rows new to the database


@dataclass
class Written:
    """What the upsert of one table did."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0


def schema_of(contract_table: str) -> dict[str, pl.DataType]:
    """Project column name -> polars dtype, in table order."""
    return {c.name: _DTYPES[c.kind] for c in contract_columns(contract_table)}


def schema_of_table(table: Table) -> dict[str, pl.DataType]:
    """``schema_of`` for a table object."""
    return schema_of(next(name for name, model in CONTRACT_TABLES.items() if model.__tablename__ == table.name))


def conform(contract_table: str, frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with exactly the table's columns, in order, with the staged dtypes."""
    schema = schema_of(contract_table)
    return frame.select(
        (pl.col(name) if name in frame.columns else pl.lit(None)).cast(dtype).alias(name)
        for name, dtype in schema.items()
    )


def _is_sqlite(conn: Connection) -> bool:
    return conn.dialect.name == "sqlite"


def _quote(conn: Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote(name)


def _cursor(conn: Connection):  # type: ignore[no-untyped-def]
    return conn.connection.cursor()


def _run(conn: Connection, sql: str, params: Sequence[object] = ()) -> int:
    """Execute one statement on the DBAPI cursor; the number of rows it touched."""
    cursor = _cursor(conn)
    try:
        cursor.execute(sql, tuple(params))
        return max(cursor.rowcount, 0)
    finally:
        cursor.close()


def begin_load(conn: Connection) -> None:
    """Open the load's transaction for writing and keep concurrent loads out.

    sqlite3 only opens a transaction by itself before INSERT, UPDATE or
    DELETE, so DDL (staging table, index rebuilds) or reads done first would
    escape it: ``BEGIN IMMEDIATE`` opens it now and takes the write lock
    (readers go on). Temporary tables go to a file first (SQLite refuses to
    change that inside a transaction). PostgreSQL gets a transaction-scoped
    advisory lock instead.
    """
    cursor = _cursor(conn)
    try:
        if _is_sqlite(conn):
            if not conn.connection.driver_connection.in_transaction:  # type: ignore[union-attr]
                cursor.execute("PRAGMA temp_store=FILE")
                cursor.execute("BEGIN IMMEDIATE")
        else:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", (LOAD_LOCK,))
    finally:
        cursor.close()


def stored_structures(conn: Connection) -> set[str]:
    """Structures that have a row in ``structures`` (every loaded structure has one)."""
    cursor = _cursor(conn)
    try:
        cursor.execute(f"SELECT {_quote(conn, 'structure_id')} FROM {_quote(conn, table_of('structures').name)}")
        return {row[0] for row in cursor.fetchall()}
    finally:
        cursor.close()


def is_empty(conn: Connection, table: Table) -> bool:
    cursor = _cursor(conn)
    try:
        cursor.execute(f"SELECT 1 FROM {_quote(conn, table.name)} LIMIT 1")
        return cursor.fetchone() is None
    finally:
        cursor.close()


def _from_rows(conn: Connection, rows: list[tuple], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """Fetched rows as a frame with the staged dtypes (SQLite hands dates as text, booleans as 0/1)."""
    if not _is_sqlite(conn):
        return pl.DataFrame(rows, schema=schema, orient="row")
    raw = {n: pl.String() if t == pl.Date() else pl.Int64() if t == pl.Boolean() else t for n, t in schema.items()}
    frame = pl.DataFrame(rows, schema=raw, orient="row")
    return frame.with_columns(
        pl.col(n).str.to_date("%Y-%m-%d") if t == pl.Date() else pl.col(n).cast(t)
        for n, t in schema.items()
        if t in (pl.Date(), pl.Boolean())
    )


def _fetch(conn: Connection, sql: str, schema: dict[str, pl.DataType], params: Sequence[object] = ()) -> Iterator[pl.DataFrame]:
    """Rows of a query, ``BATCH_ROWS`` at a time. psycopg's ordinary cursor would
    bring the whole result over at once: on PostgreSQL a server-side cursor."""
    sqlite = _is_sqlite(conn)
    cursor = _cursor(conn) if sqlite else conn.connection.driver_connection.cursor(name="parcours_fetch")  # type: ignore[union-attr]
    try:
        cursor.execute(sql, tuple(params))
        while rows := cursor.fetchmany(BATCH_ROWS):
            yield _from_rows(conn, rows, schema)
    finally:
        cursor.close()


def read_stored(conn: Connection, contract_table: str, structures: Sequence[str]) -> pl.DataFrame:
    """Rows stored for ``structures``, with the staged dtypes (one structure's rows: they fit in memory)."""
    schema = schema_of(contract_table)
    mark = "?" if _is_sqlite(conn) else "%s"
    sql = (
        f"SELECT {', '.join(_quote(conn, c) for c in schema)} FROM {_quote(conn, table_of(contract_table).name)} "
        f"WHERE {_quote(conn, 'structure_id')} IN ({', '.join(mark for _ in structures)})"
    )
    frames = list(_fetch(conn, sql, schema, list(structures))) if structures else []
    return pl.concat(frames) if frames else pl.DataFrame(schema=schema)


def _bindable(frame: pl.DataFrame) -> pl.DataFrame:
    dates = [name for name, dtype in frame.schema.items() if dtype == pl.Date()]
    return frame.with_columns(pl.col(dates).dt.to_string("%Y-%m-%d")) if dates else frame


def _executemany(conn: Connection, sql: str, frame: pl.DataFrame, advance: Advance | None) -> None:
    cursor = _cursor(conn)
    try:
        for start in range(0, frame.height, BATCH_ROWS):
            chunk = _bindable(frame.slice(start, BATCH_ROWS))
            cursor.executemany(sql, chunk.iter_rows())
            if advance:
                advance(chunk.height)
    finally:
        cursor.close()


def _copy(conn: Connection, target: str, frame: pl.DataFrame, advance: Advance | None) -> None:
    """``COPY target FROM STDIN`` in CSV: polars writes it, psycopg streams it.

    In PostgreSQL's CSV an unquoted empty field is NULL and ``""`` an empty
    string, exactly what polars writes for null and empty values.
    """
    columns = ", ".join(_quote(conn, c) for c in frame.columns)
    cursor = _cursor(conn)
    try:
        with cursor.copy(f"COPY {target} ({columns}) FROM STDIN (FORMAT csv)") as copy:
            for start in range(0, frame.height, BATCH_ROWS):
                chunk = frame.slice(start, BATCH_ROWS)
                copy.write(chunk.write_csv(include_header=False))
                if advance:
                    advance(chunk.height)
    finally:
        cursor.close()


def write_frame(conn: Connection, target: str, frame: pl.DataFrame, advance: Advance | None = None) -> None:
    """Append ``frame``'s rows to ``target`` (a quoted table name): executemany or COPY."""
    if frame.is_empty():
        return
    if not _is_sqlite(conn):
        _copy(conn, target, frame, advance)
        return
    sql = (
        f"INSERT INTO {target} ({', '.join(_quote(conn, c) for c in frame.columns)}) "
        f"VALUES ({', '.join('?' for _ in frame.columns)})"
    )
    _executemany(conn, sql, frame, advance)


def _insert(conn: Connection, table: Table, frame: pl.DataFrame, advance: Advance | None) -> None:
    write_frame(conn, _quote(conn, table.name), frame, advance)


def insert_rows(
    conn: Connection,
    table: Table,
    chunks: Iterable[pl.DataFrame],
    rows: int,
    advance: Advance | None = None,
    *,
    into_empty: bool = False,
    on_new: OnNew | None = None,
) -> int:
    """Insert every chunk's rows, each chunk in key order; returns how many.

    Filling an empty table with many rows, the secondary indexes are dropped
    and rebuilt afterwards (one sort instead of a random insert per row);
    DDL is transactional on SQLite and PostgreSQL, so a failure still
    leaves the table as it was.
    """
    keys = [c.name for c in table.primary_key.columns]
    rebuild = list(table.indexes) if into_empty and rows >= REBUILD_INDEXES_FROM else []
    for index in rebuild:
        index.drop(bind=conn)
    written = 0
    for chunk in chunks:
        if chunk.height:
            _insert(conn, table, chunk.sort(keys), advance)
            written += chunk.height
            if on_new:
                on_new(chunk)
    for index in rebuild:
        index.create(bind=conn)
    return written


def _stage_name(conn: Connection) -> str:
    return f"temp.{STAGE}" if _is_sqlite(conn) else STAGE


def create_stage(conn: Connection, table: Table) -> None:
    """An empty temporary table with ``table``'s columns, for this transaction."""
    name = _quote(conn, table.name)
    if _is_sqlite(conn):
        _run(conn, f"DROP TABLE IF EXISTS temp.{STAGE}")
        columns = ", ".join(_quote(conn, c.name) for c in table.columns)
        _run(conn, f"CREATE TEMP TABLE {STAGE} AS SELECT {columns} FROM main.{name} WHERE 0")
    else:
        _run(conn, f"DROP TABLE IF EXISTS {STAGE}")
        _run(conn, f"CREATE TEMP TABLE {STAGE} (LIKE {name} INCLUDING DEFAULTS) ON COMMIT DROP")


def drop_stage(conn: Connection) -> None:
    _run(conn, f"DROP TABLE IF EXISTS {_stage_name(conn)}")


def _matches(conn: Connection, left: str, right: str, keys: Iterable[str]) -> str:
    return " AND ".join(f"{left}.{_quote(conn, k)} = {right}.{_quote(conn, k)}" for k in keys)


def merge_stage(
    conn: Connection,
    table: Table,
    scope: Sequence[str] | None,
    *,
    staged: int,
    replace: bool,
    on_new: OnNew | None = None,
) -> Written:
    """Upsert the staging table into ``table``; with ``replace``, delete the stored
    rows of ``scope`` (None: the whole table) that the staging table lacks."""
    keys = [c.name for c in table.primary_key.columns]
    columns = [c.name for c in table.columns]
    values = [c for c in columns if c not in keys]
    name, stage = _quote(conn, table.name), _stage_name(conn)
    differ = " IS NOT " if _is_sqlite(conn) else " IS DISTINCT FROM "
    done = Written()
    if values:
        assignments = ", ".join(f"{_quote(conn, c)} = s.{_quote(conn, c)}" for c in values)
        changed = " OR ".join(f"{name}.{_quote(conn, c)}{differ}s.{_quote(conn, c)}" for c in values)
        done.updated = _run(
            conn,
            f"UPDATE {name} SET {assignments} FROM {stage} AS s "
            f"WHERE {_matches(conn, name, 's', keys)} AND ({changed})",
        )
    listed = ", ".join(_quote(conn, c) for c in columns)
    new = (
        f"SELECT {', '.join(f's.{_quote(conn, c)}' for c in columns)} FROM {stage} AS s "
        f"WHERE NOT EXISTS (SELECT 1 FROM {name} WHERE {_matches(conn, name, 's', keys)}) "
        f"ORDER BY {', '.join(f's.{_quote(conn, k)}' for k in keys)}"
    )
    if not on_new:
        done.inserted = _run(conn, f"INSERT INTO {name} ({listed}) {new}")
    else:  # the new rows once, kept aside: inserted from there and shown to ``on_new``
        fresh = f"temp.{NEW}" if _is_sqlite(conn) else NEW
        _run(conn, f"DROP TABLE IF EXISTS {fresh}")
        _run(conn, f"CREATE TEMP TABLE {NEW} {'' if _is_sqlite(conn) else 'ON COMMIT DROP '}AS {new}")
        done.inserted = _run(conn, f"INSERT INTO {name} ({listed}) SELECT {listed} FROM {fresh}")
        for frame in _fetch(conn, f"SELECT {listed} FROM {fresh}", schema_of_table(table)):
            on_new(frame)
        _run(conn, f"DROP TABLE {fresh}")
    done.unchanged = staged - done.inserted - done.updated
    if replace:
        if _is_sqlite(conn):  # the anti-join below looks keys up in the staging table
            _run(conn, f"CREATE INDEX temp.{STAGE}_keys ON {STAGE} ({', '.join(_quote(conn, k) for k in keys)})")
        done.deleted = delete_rows(
            conn, table, scope, unless=f"NOT EXISTS (SELECT 1 FROM {stage} AS s WHERE {_matches(conn, name, 's', keys)})"
        )
    return done


def delete_rows(conn: Connection, table: Table, scope: Sequence[str] | None, *, unless: str | None = None) -> int:
    """Delete the rows of ``scope``'s structures (None: every row) matching ``unless``."""
    conditions, params = [], list(scope or [])
    if scope is not None:
        if not scope:
            return 0
        mark = "?" if _is_sqlite(conn) else "%s"
        conditions.append(f"{_quote(conn, 'structure_id')} IN ({', '.join(mark for _ in scope)})")
    if unless:
        conditions.append(unless)
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    return _run(conn, f"DELETE FROM {_quote(conn, table.name)}{where}", params)


def upsert_table(
    conn: Connection,
    contract_table: str,
    chunks: Iterable[pl.DataFrame],
    rows: int,
    scope: Sequence[str] | None,
    *,
    replace: bool,
    advance: Advance | None = None,
    on_new: OnNew | None = None,
) -> Written:
    """Upsert a table's staged chunks (conformed to the table); ``scope`` as in
    ``merge_stage``. An empty table is filled directly, without staging."""
    table = table_of(contract_table)
    if is_empty(conn, table):
        return Written(inserted=insert_rows(conn, table, chunks, rows, advance, into_empty=True, on_new=on_new))
    create_stage(conn, table)
    stage, staged = _stage_name(conn), 0
    for chunk in chunks:
        write_frame(conn, stage, chunk, advance)
        staged += chunk.height
    done = merge_stage(conn, table, scope, staged=staged, replace=replace, on_new=on_new)
    drop_stage(conn)
    return done
