"""Staged tables kept on disk between validation and load.

Validation stages a dataset chunk by chunk and cannot know whether it will
load before its last chunk is checked (a missing reference may come last).
Rather than holding every staged chunk in memory until then, each one is
written as an Arrow IPC file (LZ4, a few hundred MB/s both ways) in a
private temporary folder and read back, one chunk at a time, by the load.
The folder goes away with the last object that uses it; a process killed
with ``kill -9`` leaves a ``parcours-stage-*`` folder in the temporary
directory (``TMPDIR``), never anything in the database.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import polars as pl

CHUNK_ROWS = 200_000  # rows read, staged and written at once: bounds the load's memory
BLOCK_BYTES = 16 * 1024 * 1024  # bytes of a CSV parsed at once (then cut into chunks of CHUNK_ROWS)
PREFIX = "parcours-stage-"

Transform = Callable[[pl.DataFrame], pl.DataFrame]


class StagedTables(Mapping[str, pl.DataFrame]):
    """Staged frames by contract table, in the order they were added, spilled to disk.

    ``chunks(table)`` streams a table; ``tables[table]`` reads it whole
    (small datasets and tests only). ``mapped(f)`` is a view whose chunks
    go through ``f`` (pseudonymisation), sharing the same files.
    """

    def __init__(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix=PREFIX)
        self._parts: dict[str, list[Path]] = {}
        self._rows: dict[str, int] = {}
        self._schemas: dict[str, dict[str, pl.DataType]] = {}
        self._transforms: list[Transform] = []

    @property
    def folder(self) -> Path:
        return Path(self._folder.name)

    def append(self, table: str, frame: pl.DataFrame) -> None:
        """Add one staged chunk of ``table`` (chunks are kept in the order added)."""
        parts = self._parts.setdefault(table, [])
        self._schemas.setdefault(table, dict(frame.schema))
        self._rows[table] = self._rows.get(table, 0) + frame.height
        if frame.height == 0:
            return
        path = self.folder / f"{table}-{len(parts):06d}.arrow"
        frame.write_ipc(path, compression="lz4")
        parts.append(path)

    def discard(self, table: str) -> None:
        """Forget a table (it could not be read to the end)."""
        for path in self._parts.pop(table, []):
            path.unlink(missing_ok=True)
        self._rows.pop(table, None)
        self._schemas.pop(table, None)

    def rows(self, table: str) -> int:
        return self._rows.get(table, 0)

    def chunks(self, table: str) -> Iterator[pl.DataFrame]:
        for path in self._parts.get(table, []):
            frame = pl.read_ipc(path)
            for transform in self._transforms:
                frame = transform(frame)
            yield frame

    def mapped(self, transform: Transform) -> StagedTables:
        view = StagedTables.__new__(StagedTables)
        view._folder = self._folder  # shared: the folder lives as long as either object
        view._parts, view._rows, view._schemas = self._parts, self._rows, self._schemas
        view._transforms = [*self._transforms, transform]
        return view

    def __getitem__(self, table: str) -> pl.DataFrame:
        if table not in self._parts:
            raise KeyError(table)
        frames = list(self.chunks(table))
        return pl.concat(frames) if frames else pl.DataFrame(schema=self._schemas[table])

    def __contains__(self, table: object) -> bool:  # Mapping's would read the table
        return table in self._parts

    def __iter__(self) -> Iterator[str]:
        return iter(self._parts)

    def __len__(self) -> int:
        return len(self._parts)

    def close(self) -> None:
        self._folder.cleanup()


def table_chunks(tables: Mapping[str, pl.DataFrame], table: str) -> Iterator[pl.DataFrame]:
    """The chunks of one staged table, whether spilled or held in memory."""
    if isinstance(tables, StagedTables):
        yield from tables.chunks(table)
        return
    frame, rows = tables[table], CHUNK_ROWS
    for start in range(0, frame.height, rows):
        yield frame.slice(start, rows)


def table_rows(tables: Mapping[str, pl.DataFrame], table: str) -> int:
    return tables.rows(table) if isinstance(tables, StagedTables) else tables[table].height
