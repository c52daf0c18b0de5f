"""The ``Data`` snapshot on disk, shared by every app process through the OS page cache.

``read_data`` reads the whole database and derives ``pid``, the record keys ``pk``/``ek``, ``first_contact``,
``age`` and ``age_band``; that costs seconds on L and gigabytes per process. Here it is done once per data
version: each frame of ``Data`` is written as one Arrow IPC file (uncompressed, one record batch, strings as
views), and every process maps the files instead of reading the database. Mapped pages belong to the page
cache, so N processes hold one copy of the rows, and the record keys travel with them as columns. The raw
figure tables computed from a version are stored beside it too (``dashboard.shared_figures``).

Layout: ``<root>/<source>/<data_version>/<frame>.arrow``, ``source`` being a fingerprint of the database URL
and of the record-key secret (the keys are derived from it). A version is written into a hidden temporary
folder and renamed into place when complete, so a reader never sees half a snapshot; the previous version
stays until then. One process builds under a file lock; the others wait and map its result.

Polars' own ``read_ipc``/``scan_ipc`` copy the buffers into process memory (polars 2.1); pyarrow's
``memory_map`` with ``pl.from_arrow`` keeps them mapped (zero copy for numbers, dates and string views).
"""

import fcntl
import hashlib
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import fields
from pathlib import Path

from sqlalchemy import Engine

from dashboard import prebuilt, rollups, shared_figures
from dashboard.data import Data, data_version, read_data
from dashboard.record_keys import secret
from models.db import snapshot_base

FRAMES: tuple[str, ...] = tuple(f.name for f in fields(Data) if f.name not in ("access", "through"))
LOCK = ".lock"
TEMP_PREFIX = ".building-"
_ATTEMPTS = 3


def snapshot_root(engine: Engine) -> Path | None:
    """Where snapshots of ``engine``'s database live (``models.db.snapshot_base``, then a fingerprint of the
    database URL and the record-key secret, since the keys depend on it); None for an in-memory SQLite database."""
    base = snapshot_base(engine)
    if base is None:
        return None
    source = hashlib.sha256(engine.url.render_as_string(hide_password=False).encode() + b"\x1f" + secret()).hexdigest()
    return base / source[:16]


def write_frames(data: Data, folder: Path) -> None:
    """Every frame of ``data`` into ``folder`` (which must not exist yet), flushed to disk."""
    folder.mkdir(parents=True, mode=0o700)  # the rows are personal data, like the database
    for name in FRAMES:
        prebuilt.write_arrow(getattr(data, name), folder / f"{name}.arrow")  # one batch: one contiguous mapping


def read_frames(folder: Path) -> Data:
    """The snapshot in ``folder``, memory-mapped (the files stay mapped as long as the frames live)."""
    return Data(**{name: prebuilt.read_mapped(folder / f"{name}.arrow")[0] for name in FRAMES})  # type: ignore[arg-type]


@contextmanager
def _locked(root: Path) -> Iterator[None]:
    root.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    root.mkdir(exist_ok=True, mode=0o700)
    with (root / LOCK).open("a") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)  # released when the file closes, even if the process dies
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _clean(root: Path, keep: str) -> None:
    """Remove older versions and temporary folders left by a killed build (called under the lock).

    A process still mapping an old version keeps its pages: Linux frees unlinked files on the last unmap.
    """
    for entry in root.iterdir():
        if entry.name not in (keep, LOCK) and entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)


def build(engine: Engine, root: Path) -> str:
    """Write the current version of the database into ``root`` unless it is there; its version (under the lock).

    The version is checked again after the read, so that a load committed meanwhile never gets an older name.
    """
    with _locked(root):
        for _ in range(_ATTEMPTS):
            version = data_version(engine)
            if (root / version).is_dir():
                return version
            data = read_data(engine)
            if data_version(engine) != version:
                continue
            temporary = root / f"{TEMP_PREFIX}{version}-{uuid.uuid4().hex[:8]}"
            write_frames(data, temporary)
            temporary.rename(root / version)
            _clean(root, version)
            return version
    raise RuntimeError("the database kept changing while its snapshot was written")


def load(engine: Engine, version: str | None = None) -> Data:
    """The snapshot of ``engine``'s database, mapped from disk; built first when it is missing.

    ``version`` is the caller's ``data_version`` (read again when omitted). A folder that vanishes between the
    check and the read (a newer load cleaned it) is rebuilt from the current version.
    """
    root = snapshot_root(engine)
    if root is None:
        return read_data(engine)
    version = version or data_version(engine)
    for _ in range(_ATTEMPTS):
        if not (root / version).is_dir():
            version = build(engine, root)
        try:
            data = read_frames(root / version)
        except FileNotFoundError:
            version = data_version(engine)
            continue
        shared_figures.attach(data, root / version / shared_figures.FIGURES)
        rollups.attach(data, root / version, wait=False)
        return data
    raise RuntimeError("the snapshot folder kept disappearing while it was read")
