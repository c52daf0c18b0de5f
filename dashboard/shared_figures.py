"""Raw figure tables computed once per snapshot version, for every app process.

With several app processes on one snapshot (``scripts/serve.sh``), each one used to compute every figure it was
asked for itself: the same aggregation over the same mapped rows, three times over. Here the raw table of a
figure (before disclosure control: perturbation and thresholds are applied by every reader, so the published
values are the same whichever process computed it) is written once, as an Arrow IPC file beside the snapshot
it comes from, ``<snapshot>/<version>/figures/[<scope>/]<key>.arrow``, and read by the others.

- The key is a SHA-256 of the metric, the filters, the options, the value of every setting that is not a
  secret and a fingerprint of the code (``dashboard`` and ``models`` sources): a change to any of them gives
  new files, never a stale figure. Keys that are not plain values (a cohort's member set) are not stored.
- One computation per figure across threads and processes: a file lock per key; the others wait and read.
- A file is written under a temporary name and renamed, so a reader never sees half of one. The store stops
  growing at ``MAX_STORE_BYTES`` per snapshot (figures are then computed in each process, as before).
- The whole folder goes with its snapshot version (``dashboard.snapshot._clean``): no invalidation needed.
- A restricted snapshot (``dashboard.data.restrict``) has its own sub-folder, named after its scope.
"""

import contextlib
import dataclasses
import fcntl
import hashlib
import os
import threading
import uuid
import weakref
from collections.abc import Callable, Hashable
from datetime import date
from functools import lru_cache
from pathlib import Path

import polars as pl

from models.settings import SETTINGS, get_setting

FIGURES = "figures"
"""The store's folder inside a snapshot version."""
MAX_STORE_BYTES = 2 * 1024**3
SECRET_SETTINGS = frozenset({"PARCOURS_SECRET", "PARCOURS_PSEUDONYM_KEY"})
"""Never hashed into a file name (the snapshot folder is already specific to the record-key secret)."""

_FOLDERS: dict[int, Path] = {}
_GUARD = threading.Lock()


def attach(data: object, folder: Path) -> None:
    """Figures of ``data`` (a snapshot, or one restricted to a scope) go to ``folder`` (named ``FIGURES``, or
    inside one) from now on."""
    with _GUARD:
        _FOLDERS[id(data)] = folder
    weakref.finalize(data, _FOLDERS.pop, id(data), None)


def detach(data: object) -> None:
    """``data``'s figures are computed, never stored or read (benchmarks of the computation itself)."""
    with _GUARD:
        _FOLDERS.pop(id(data), None)


def attach_scoped(whole: object, part: object, scope: Hashable) -> None:
    """``part`` (``whole`` restricted to ``scope``) stores its figures in a sub-folder of ``whole``'s."""
    folder = _FOLDERS.get(id(whole))
    if folder is not None:
        name = _plain(scope)
        if name is not None:
            attach(part, folder / ("scope-" + hashlib.sha256(name.encode()).hexdigest()[:24]))


def folder_of(data: object) -> Path | None:
    """Where ``data``'s figures are stored; None when they are not (an in-memory database, a derived frame)."""
    return _FOLDERS.get(id(data))


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """SHA-256 of every Python source under ``dashboard`` and ``models``: a new release never reads old figures."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parent.parent
    for package in ("dashboard", "models"):
        for path in sorted((root / package).rglob("*.py")):
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _plain(value: object) -> str | None:
    """A canonical text of ``value`` when it is made of plain values only; None otherwise."""
    if value is None or isinstance(value, bool | int | float | str | date):
        return f"{type(value).__name__}:{value!r}"
    if isinstance(value, tuple | list):
        parts = [_plain(item) for item in value]
        return None if any(p is None for p in parts) else "(" + ",".join(p for p in parts if p is not None) + ")"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        items = _plain(tuple((f.name, getattr(value, f.name)) for f in dataclasses.fields(value)))
        return None if items is None else f"{type(value).__qualname__}{items}"
    return None


def key_digest(key: Hashable) -> str | None:
    """The file name of ``key``'s figure under the current settings and code; None when it cannot be stored."""
    text = _plain(key)
    if text is None:
        return None
    settings = tuple((s.name, get_setting(s.name)) for s in SETTINGS if s.name not in SECRET_SETTINGS)
    return hashlib.sha256(f"{text}\x1f{settings!r}\x1f{code_fingerprint()}".encode()).hexdigest()


def _read(path: Path) -> pl.DataFrame | None:
    try:
        return pl.read_ipc(path)  # polars copies the buffers: no file of the store stays mapped
    except FileNotFoundError:
        return None


def _store_size(folder: Path) -> int:
    total = 0
    for entry in os.scandir(folder):
        if entry.is_file(follow_symlinks=False):
            total += entry.stat(follow_symlinks=False).st_size
        elif entry.is_dir(follow_symlinks=False):
            total += _store_size(Path(entry.path))
    return total


def _store_root(folder: Path) -> Path:
    root = folder
    while root.name != FIGURES and root.parent != root:
        root = root.parent
    return root


def _make(folder: Path) -> None:
    """``folder`` and the folders between it and the store's root, never the snapshot version above: a version
    a newer load removed must stay removed (``mkdir`` then fails, and the figure is computed here)."""
    chain = [folder]
    while chain[-1].name != FIGURES and chain[-1].parent != chain[-1]:
        chain.append(chain[-1].parent)
    for level in reversed(chain):
        level.mkdir(exist_ok=True, mode=0o700)


def _write(frame: pl.DataFrame, path: Path) -> None:
    if _store_size(_store_root(path.parent)) + frame.estimated_size() > MAX_STORE_BYTES:
        return
    temporary = path.with_name(f".tmp-{uuid.uuid4().hex[:8]}-{path.name}")
    frame.write_ipc(temporary, compression="uncompressed", compat_level=pl.CompatLevel.newest())
    temporary.rename(path)


def shared(data: object, key: Hashable, compute: Callable[[], pl.DataFrame]) -> pl.DataFrame:
    """``compute()``, or the table another process (or thread) computed for the same key and snapshot."""
    folder = _FOLDERS.get(id(data))
    digest = None if folder is None else key_digest(key)
    if folder is None or digest is None:
        return compute()
    path = folder / f"{digest}.arrow"
    found = _read(path)
    if found is not None:
        return found
    try:
        _make(folder)
        lock = (folder / f".{digest}.lock").open("a")
    except OSError:  # the version was cleaned by a newer load, or the disk refuses: compute here
        return compute()
    with lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)  # released on close, even if the process dies
        found = _read(path)
        if found is not None:
            return found
        frame = compute()
        with contextlib.suppress(OSError):  # storing is an optimisation: the figure is right without it
            _write(frame, path)
        return frame
