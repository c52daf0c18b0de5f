"""Dump SQLite tables to Arrow IPC files through ADBC, in a process of its own.

``python -m dashboard.arrow_dump DB_PATH OUT_DIR TABLE...``

ADBC's SQLite driver reads whole columns as Arrow, several times faster than
fetching Python tuples, but it links its own copy of the SQLite library.
Two copies of SQLite in one process must never open the same file (their
POSIX locks and WAL index clash: stale or "malformed" reads after another
process commits, see https://sqlite.org/howtocorrupt.html#multiple_copies_of_sqlite_linked_into_the_same_application),
so the dashboard runs this reader as a short-lived child process and maps
the files it writes.
"""

import sys
from pathlib import Path

import adbc_driver_sqlite.dbapi as adbc_sqlite
import pyarrow.ipc as ipc


def dump(db_path: str, out_dir: Path, tables: list[str]) -> None:
    with adbc_sqlite.connect(db_path) as connection:
        for table in tables:
            cursor = connection.cursor()
            # The driver infers each column's type from the first batch: one batch sees every row.
            cursor.adbc_statement.set_options(**{"adbc.sqlite.query.batch_rows": "1000000000"})
            cursor.execute(f"SELECT * FROM {table}")  # table names come from our own metadata
            arrow = cursor.fetch_arrow_table()
            cursor.close()
            with ipc.new_file(out_dir / f"{table}.arrow", arrow.schema) as writer:
                writer.write_table(arrow)


if __name__ == "__main__":
    dump(sys.argv[1], Path(sys.argv[2]), sys.argv[3:])
