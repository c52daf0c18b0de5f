"""Compare staged frames with the rows already stored, and write the difference.

The comparison is done in polars: the stored rows of the dataset's
structures are read with a plain SELECT through the DBAPI cursor, cast to
the staged dtypes and joined on the table's key. Writes go through the
DBAPI cursor's ``executemany`` with bound parameters, in slices, so that
sqlite3 and psycopg (which pipelines ``executemany``) both run at native
speed and memory stays flat.

SQLite stores dates as ``YYYY-MM-DD`` text (what SQLAlchemy's ``Date`` type
writes and reads back) and booleans as 0/1; PostgreSQL gets ``date`` and
``bool`` objects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import polars as pl
from sqlalchemy import Connection, Table

from models.contract import contract_columns, key_columns, table_of

BATCH_ROWS = 50_000
REBUILD_INDEXES_FROM = 100_000
LOAD_LOCK = 0x5061_7263  # advisory lock key shared by every load ("Parc")
_EXISTS = "__exists"
_DB = "__db"

_DTYPES: dict[str, pl.DataType] = {
    "str": pl.String(),
    "code": pl.String(),
    "int": pl.Int64(),
    "date": pl.Date(),
    "bool": pl.Boolean(),
}

Advance = Callable[[int], None]


@dataclass
class TablePlan:
    """What a load will do to one table."""

    contract_table: str
    table: Table
    keys: list[str]
    new: pl.DataFrame
    changed: pl.DataFrame
    unchanged: int
    gone: pl.DataFrame = field(default_factory=pl.DataFrame)  # keys of rows to delete (--replace)
    was_empty: bool = False  # the table held no row at all before the load

    @property
    def writes(self) -> int:
        return self.new.height + self.changed.height + self.gone.height


def schema_of(contract_table: str) -> dict[str, pl.DataType]:
    """Project column name -> polars dtype, in table order."""
    return {c.name: _DTYPES[c.kind] for c in contract_columns(contract_table)}


def conform(contract_table: str, frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with exactly the table's columns, in order, with the staged dtypes."""
    schema = schema_of(contract_table)
    return frame.select(
        (pl.col(name) if name in frame.columns else pl.lit(None)).cast(dtype).alias(name)
        for name, dtype in schema.items()
    )


def _is_sqlite(conn: Connection) -> bool:
    return conn.dialect.name == "sqlite"


def _placeholder(conn: Connection) -> str:
    return "?" if conn.dialect.paramstyle == "qmark" else "%s"


def _quote(conn: Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote(name)


def _cursor(conn: Connection):  # type: ignore[no-untyped-def]
    return conn.connection.cursor()


def begin_load(conn: Connection) -> None:
    """Open the load's transaction for writing and keep concurrent loads out.

    sqlite3 only opens a transaction by itself before INSERT, UPDATE or
    DELETE, so DDL (index rebuilds) or reads done first would escape it:
    ``BEGIN IMMEDIATE`` opens it now and takes the write lock (readers go
    on). PostgreSQL gets a transaction-scoped advisory lock instead.
    """
    cursor = _cursor(conn)
    try:
        if _is_sqlite(conn):
            if not conn.connection.driver_connection.in_transaction:  # type: ignore[union-attr]
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


def read_stored(
    conn: Connection, contract_table: str, structures: Sequence[str], *, whole_table: bool = False
) -> pl.DataFrame:
    """Rows stored for ``structures``, with the staged dtypes.

    ``whole_table`` says that every stored row belongs to ``structures``: a
    plain scan is then much faster than going through the key index.
    """
    table = table_of(contract_table)
    schema = schema_of(contract_table)
    sqlite = _is_sqlite(conn)
    raw_schema = {
        name: (pl.String() if dtype == pl.Date() else pl.Int64() if dtype == pl.Boolean() else dtype)
        if sqlite
        else dtype
        for name, dtype in schema.items()
    }
    sql = f"SELECT {', '.join(_quote(conn, c) for c in schema)} FROM {_quote(conn, table.name)}"
    params: list[str] = []
    if not whole_table:
        sql += f" WHERE {_quote(conn, 'structure_id')} IN ({', '.join(_placeholder(conn) for _ in structures)})"
        params = list(structures)
    frames = []
    cursor = _cursor(conn)
    try:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(BATCH_ROWS * 2):
            frames.append(pl.DataFrame(rows, schema=raw_schema, orient="row"))
    finally:
        cursor.close()
    if not frames:
        return pl.DataFrame(schema=schema)
    stored = pl.concat(frames, rechunk=False)
    if sqlite:
        stored = stored.with_columns(
            pl.col(name).str.to_date("%Y-%m-%d") if dtype == pl.Date() else pl.col(name).cast(dtype)
            for name, dtype in schema.items()
            if dtype in (pl.Date(), pl.Boolean())
        )
    return stored


def plan_table(
    conn: Connection,
    contract_table: str,
    incoming: pl.DataFrame,
    structures: Sequence[str],
    *,
    replace: bool,
    whole_table: bool = False,
) -> TablePlan:
    """Split ``incoming`` into new, changed and unchanged rows; find vanished rows.

    New and changed rows come out sorted on the key: inserting in key order
    keeps index pages hot and halves SQLite's insert time on large loads.
    """
    keys = key_columns(contract_table)
    table = table_of(contract_table)
    stored = read_stored(conn, contract_table, structures, whole_table=whole_table)
    if stored.is_empty():
        return TablePlan(
            contract_table, table, keys, new=incoming.sort(keys), changed=incoming.clear(), unchanged=0,
            was_empty=whole_table,
        )
    values = [c for c in incoming.columns if c not in keys]
    right = stored.rename({c: c + _DB for c in values}).with_columns(pl.lit(True).alias(_EXISTS))
    joined = incoming.lazy().join(right.lazy(), on=keys, how="left")
    differs = pl.any_horizontal(pl.col(c).ne_missing(pl.col(c + _DB)) for c in values) if values else pl.lit(False)
    status = joined.select(
        pl.all(),
        pl.when(pl.col(_EXISTS).is_null()).then(0).when(differs).then(1).otherwise(2).alias("__status"),
    ).collect()
    new = status.filter(pl.col("__status") == 0).select(incoming.columns).sort(keys)
    changed = status.filter(pl.col("__status") == 1).select(incoming.columns).sort(keys)
    unchanged = status.height - new.height - changed.height
    del status
    gone = stored.join(incoming.select(keys), on=keys, how="anti").select(keys) if replace else stored.clear()
    return TablePlan(contract_table, table, keys, new=new, changed=changed, unchanged=unchanged, gone=gone.select(keys))


def _bindable(conn: Connection, frame: pl.DataFrame) -> pl.DataFrame:
    if not _is_sqlite(conn):
        return frame
    dates = [name for name, dtype in frame.schema.items() if dtype == pl.Date()]
    return frame.with_columns(pl.col(dates).dt.to_string("%Y-%m-%d")) if dates else frame


def _executemany(conn: Connection, sql: str, frame: pl.DataFrame, advance: Advance | None) -> None:
    cursor = _cursor(conn)
    try:
        for start in range(0, frame.height, BATCH_ROWS):
            chunk = _bindable(conn, frame.slice(start, BATCH_ROWS))
            cursor.executemany(sql, chunk.iter_rows())
            if advance:
                advance(chunk.height)
    finally:
        cursor.close()


def insert_rows(
    conn: Connection, table: Table, frame: pl.DataFrame, advance: Advance | None = None, *, into_empty: bool = False
) -> None:
    """Insert ``frame``'s rows.

    Filling an empty table with many rows, the secondary indexes are dropped
    and rebuilt afterwards (one sort instead of a random insert per row);
    DDL is transactional on SQLite and PostgreSQL, so a failure still
    leaves the table as it was.
    """
    if frame.is_empty():
        return
    rebuild = list(table.indexes) if into_empty and frame.height >= REBUILD_INDEXES_FROM else []
    for index in rebuild:
        index.drop(bind=conn)
    _insert(conn, table, frame, advance)
    for index in rebuild:
        index.create(bind=conn)


def _insert(conn: Connection, table: Table, frame: pl.DataFrame, advance: Advance | None) -> None:
    mark = _placeholder(conn)
    sql = (
        f"INSERT INTO {_quote(conn, table.name)} ({', '.join(_quote(conn, c) for c in frame.columns)}) "
        f"VALUES ({', '.join(mark for _ in frame.columns)})"
    )
    _executemany(conn, sql, frame, advance)


def _where(conn: Connection, keys: Iterable[str]) -> str:
    mark = _placeholder(conn)
    return " AND ".join(f"{_quote(conn, k)} = {mark}" for k in keys)


def update_rows(
    conn: Connection, table: Table, keys: list[str], frame: pl.DataFrame, advance: Advance | None = None
) -> None:
    if frame.is_empty():
        return
    values = [c for c in frame.columns if c not in keys]
    mark = _placeholder(conn)
    sql = (
        f"UPDATE {_quote(conn, table.name)} SET {', '.join(f'{_quote(conn, c)} = {mark}' for c in values)} "
        f"WHERE {_where(conn, keys)}"
    )
    _executemany(conn, sql, frame.select(values + keys), advance)


def delete_rows(
    conn: Connection, table: Table, keys: list[str], frame: pl.DataFrame, advance: Advance | None = None
) -> None:
    if frame.is_empty():
        return
    sql = f"DELETE FROM {_quote(conn, table.name)} WHERE {_where(conn, keys)}"
    _executemany(conn, sql, frame.select(keys), advance)
