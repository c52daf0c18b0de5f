"""Where each mapped snapshot's tables built once per data version are (``dashboard.rollups`` builds them).

Small tables (figures by period, range tables) are read into memory; the large layouts a metric derives from the
rows once per snapshot (``layout``) stay memory-mapped, so that every app process shares one copy of them through
the page cache instead of building its own (gigabytes per process on a national network).

Kept apart from ``dashboard.rollups``, which imports the catalogue and so every metric, so that a metric can read
a table built for it (``table``) without an import cycle. A snapshot without a folder (read from the database,
or whose tables are still being built) has no table: its figures are computed from the rows.
"""

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import polars as pl
import pyarrow as pa
import pyarrow.ipc as ipc

from dashboard.data import Data

_FOLDERS: dict[int, Path] = {}
_TABLES: dict[tuple[Path, str], pl.DataFrame] = {}
_LAYOUTS: dict[tuple[Path, str], tuple[pl.DataFrame, dict[str, str]]] = {}
_GUARD = threading.Lock()


def set_folder(data: Data, folder: Path) -> None:
    with _GUARD:
        _FOLDERS[id(data)] = folder


def drop(key: int, folder: Path | None = None) -> None:
    """Forget the folder of the snapshot whose ``id`` is ``key`` (and, with ``folder``, the tables read from it)."""
    with _GUARD:
        _FOLDERS.pop(key, None)
        for cached in [k for k in _TABLES if k[0] == folder]:
            del _TABLES[cached]
        for cached in [k for k in _LAYOUTS if k[0] == folder]:
            del _LAYOUTS[cached]


def folder_of(data: Data) -> Path | None:
    with _GUARD:
        return _FOLDERS.get(id(data))


def table(data: Data, name: str) -> pl.DataFrame | None:
    """The table ``name`` (a file of the folder) built for ``data``; None when there is none (yet)."""
    return _read(data, _TABLES, name, lambda folder: pl.read_ipc(folder / name))  # copied: small, no file mapped


T = TypeVar("T")


def _read(data: Data, cache: dict[tuple[Path, str], T], name: str, read: Callable[[Path], T]) -> T | None:
    """What ``read`` gives from ``data``'s folder, once per folder and name; None without a folder or a file (a
    version removed by a newer load, or a file this code does not build)."""
    folder = folder_of(data)
    if folder is None:
        return None
    key = (folder, name)
    with _GUARD:
        found = cache.get(key)
    if found is None:
        try:
            found = read(folder)
        except FileNotFoundError:
            return None
        with _GUARD:
            cache[key] = found
    return found


def range_file(name: str) -> str:
    """The file of the range table ``name`` (``dashboard.metrics.range_persons``)."""
    return f"range.{name}.arrow"


def range_table(data: Data, name: str) -> pl.DataFrame | None:
    """The range table ``name`` built for ``data`` (``dashboard.rollups.RANGE_TABLES``), None when there is none."""
    return table(data, range_file(name))


def write_arrow(frame: pl.DataFrame, path: Path, metadata: dict[str, str] | None = None) -> None:
    """``frame`` as one Arrow IPC file of one record batch (one contiguous mapping when read), flushed to disk,
    with ``metadata`` in its schema."""
    table = frame.rechunk().to_arrow(compat_level=pl.CompatLevel.newest())
    if metadata:
        table = table.replace_schema_metadata(metadata)
    with pa.OSFile(str(path), "wb") as sink, ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table, max_chunksize=max(table.num_rows, 1))
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def read_mapped(path: Path) -> tuple[pl.DataFrame, dict[str, str]]:
    """The file ``write_arrow`` wrote, memory-mapped (numbers are not copied: the file stays mapped while the
    frame lives), with its metadata. Polars' own ``read_ipc`` would copy it into process memory."""
    with pa.memory_map(str(path)) as source:
        table = ipc.open_file(source).read_all()
    metadata = {key.decode(): value.decode() for key, value in (table.schema.metadata or {}).items()}
    frame = pl.from_arrow(table.replace_schema_metadata(None), rechunk=False)
    assert isinstance(frame, pl.DataFrame)
    return frame, metadata


def layout_file(name: str) -> str:
    """The file of the layout ``name`` (written by ``dashboard.rollups``)."""
    return f"layout.{name}.arrow"


def layout(data: Data, name: str) -> tuple[pl.DataFrame, dict[str, str]] | None:
    """The layout ``name`` built for ``data``, memory-mapped, with its metadata; None when there is none (yet)."""
    return _read(data, _LAYOUTS, name, lambda folder: read_mapped(folder / layout_file(name)))
