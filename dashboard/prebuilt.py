"""Where each mapped snapshot's tables built once per data version are (``dashboard.rollups`` builds them).

Kept apart from ``dashboard.rollups``, which imports the catalogue and so every metric, so that a metric can read
a table built for it (``table``) without an import cycle. A snapshot without a folder (read from the database,
or whose tables are still being built) has no table: its figures are computed from the rows.
"""

import threading
from pathlib import Path

import polars as pl

from dashboard.data import Data

_FOLDERS: dict[int, Path] = {}
_TABLES: dict[tuple[Path, str], pl.DataFrame] = {}
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


def folder_of(data: Data) -> Path | None:
    with _GUARD:
        return _FOLDERS.get(id(data))


def table(data: Data, name: str) -> pl.DataFrame | None:
    """The table ``name`` (a file of the folder) built for ``data``; None when there is none (yet)."""
    folder = folder_of(data)
    if folder is None:
        return None
    key = (folder, name)
    with _GUARD:
        found = _TABLES.get(key)
    if found is None:
        try:
            found = pl.read_ipc(folder / name)  # copied: small, and no file stays mapped
        except FileNotFoundError:  # a version removed by a newer load, or a table this code does not build
            return None
        with _GUARD:
            _TABLES[key] = found
    return found


def range_file(name: str) -> str:
    """The file of the range table ``name`` (``dashboard.metrics.range_persons``)."""
    return f"range.{name}.arrow"


def range_table(data: Data, name: str) -> pl.DataFrame | None:
    """The range table ``name`` built for ``data`` (``dashboard.rollups.RANGE_TABLES``), None when there is none."""
    return table(data, range_file(name))
