"""The snapshot folder: atomic replacement, one builder at a time, shared by another process, a new version per load."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from polars.testing import assert_frame_equal
from sqlalchemy.engine import make_url

from dashboard import snapshot
from dashboard.data import Data, data_version, read_data
from models.db import get_engine

ROOT = Path(__file__).resolve().parents[2]

# Another app process: maps the snapshot (never reading the database: read_data fails there) and tells which
# snapshot files it maps and a checksum of the record keys.
OTHER_PROCESS = """
import json, sys
sys.path.insert(0, {root!r})
import dashboard.snapshot as snapshot
from models.db import get_engine

def refuse(engine):
    raise SystemExit("read the database instead of the snapshot")

snapshot.read_data = refuse
data = snapshot.load(get_engine({url!r}))
maps = sorted({{line.split()[-1] for line in open("/proc/self/maps") if line.rstrip().endswith(".arrow")}})
print(json.dumps({{"maps": maps, "persons": data.persons.height, "pk": int(data.persons["pk"].sum()),
                  "ek": int(data.attendances["ek"].sum())}}))
"""


def _copy(url: str, folder: Path) -> str:
    """A copy of the SQLite database at ``url`` in ``folder`` (SQLite's backup API: consistent even with a WAL)."""
    target = folder / "copy.db"
    with sqlite3.connect(make_url(url).database) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    return f"sqlite:///{target}"


def _versions(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name != snapshot.LOCK)


def _same(left: Data, right: Data) -> None:
    for name in snapshot.FRAMES:
        assert_frame_equal(getattr(left, name), getattr(right, name), check_exact=True)


def _load_again(url: str, dataset: Path) -> None:
    """``python -m etl load`` of the demo dataset once more: a new load, so a new data version."""
    done = subprocess.run([sys.executable, "-m", "etl", "load", str(dataset)], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "DATABASE_URL": url}, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_leftover_temporary_folder_is_never_read_and_is_cleaned(demo_s_url: str, snapshot_dir: Path) -> None:
    engine = get_engine(demo_s_url)
    root = snapshot.snapshot_root(engine)
    assert root is not None
    version = data_version(engine)
    # A build killed mid-way: a temporary folder of the right version with a truncated file in it.
    leftover = root / f"{snapshot.TEMP_PREFIX}{version}-deadbeef"
    leftover.mkdir(parents=True)
    (leftover / "persons.arrow").write_bytes(b"ARROW1\x00\x00half")
    data = snapshot.load(engine)
    _same(data, read_data(engine))
    assert _versions(root) == [version]


def test_a_build_that_fails_leaves_the_old_version_whole(demo_s_url: str, snapshot_dir: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    url = _copy(demo_s_url, tmp_path)
    engine = get_engine(url)
    root = snapshot.snapshot_root(engine)
    assert root is not None
    old = data_version(engine)
    before = snapshot.load(engine)
    _load_again(url, Path(make_url(demo_s_url).database).with_suffix(""))
    new = data_version(engine)
    assert new != old

    written = snapshot.write_frames

    def killed(data: Data, folder: Path) -> None:
        written(data, folder)
        (folder / "labels.arrow").unlink()  # as if the process died before the last file
        raise KeyboardInterrupt

    monkeypatch.setattr(snapshot, "write_frames", killed)
    with pytest.raises(KeyboardInterrupt):
        snapshot.load(engine)
    names = _versions(root)
    assert old in names and new not in names and any(n.startswith(snapshot.TEMP_PREFIX + new) for n in names)
    _same(snapshot.read_frames(root / old), before)  # the old version is still whole and readable

    monkeypatch.setattr(snapshot, "write_frames", written)
    after = snapshot.load(engine)
    assert _versions(root) == [new]  # the new one complete, the old one and the leftover cleaned
    assert after.loads.height == before.loads.height + 1
    _same(after, read_data(engine))


def test_another_process_maps_the_same_files(demo_s_url: str, snapshot_dir: Path) -> None:
    engine = get_engine(demo_s_url)
    here = snapshot.load(engine)
    root = snapshot.snapshot_root(engine)
    assert root is not None
    script = OTHER_PROCESS.format(root=str(ROOT), url=demo_s_url)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True,
                          env={**os.environ, "PARCOURS_SNAPSHOT_DIR": str(snapshot_dir)})
    there = json.loads(done.stdout)
    folder = root / data_version(engine)
    assert there["maps"] == sorted(str(folder / f"{name}.arrow") for name in snapshot.FRAMES)  # mapped, not copied
    assert there["persons"] == here.persons.height == 300
    assert (there["pk"], there["ek"]) == (int(here.persons["pk"].sum()), int(here.attendances["ek"].sum()))


def _blocked_on(lock: Path) -> bool:
    """Whether some process waits for the flock on ``lock`` (``/proc/locks`` lists waiters with ``->``)."""
    inode = f":{lock.stat().st_ino} "
    return any("->" in line and inode in line for line in Path("/proc/locks").read_text().splitlines())


def test_a_second_process_waits_for_the_builder_and_maps_its_result(demo_s_url: str, snapshot_dir: Path) -> None:
    engine = get_engine(demo_s_url)
    root = snapshot.snapshot_root(engine)
    assert root is not None
    script = OTHER_PROCESS.format(root=str(ROOT), url=demo_s_url)
    env = {**os.environ, "PARCOURS_SNAPSHOT_DIR": str(snapshot_dir)}
    with snapshot._locked(root):  # this process is the builder
        other = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, env=env)
        deadline = time.monotonic() + 60
        while not _blocked_on(root / snapshot.LOCK):  # the other found no snapshot and waits for the lock
            assert other.poll() is None and time.monotonic() < deadline, "the other process did not wait"
            time.sleep(0.05)
        version = data_version(engine)
        snapshot.write_frames(read_data(engine), root / f"{snapshot.TEMP_PREFIX}{version}-test")
        (root / f"{snapshot.TEMP_PREFIX}{version}-test").rename(root / version)
    out, _ = other.communicate(timeout=120)
    assert other.returncode == 0, out  # it never read the database: it mapped what the builder wrote
    assert json.loads(out)["persons"] == 300
    assert _versions(root) == [version]


def test_a_load_through_the_cli_makes_a_new_folder(demo_s_url: str, snapshot_dir: Path, tmp_path: Path) -> None:
    url = _copy(demo_s_url, tmp_path)
    engine = get_engine(url)
    root = snapshot.snapshot_root(engine)
    assert root is not None
    first = snapshot.load(engine)
    old = _versions(root)
    _load_again(url, Path(make_url(demo_s_url).database).with_suffix(""))
    second = snapshot.load(engine)
    new = _versions(root)
    assert len(old) == len(new) == 1 and old != new and new == [data_version(engine)]
    assert second.loads.height == first.loads.height + 1
    assert first.loads.height >= 1 and first.persons.height == 300  # the first snapshot stays usable while mapped


@pytest.mark.postgres
def test_a_postgresql_database_gets_the_same_snapshot_and_a_new_one_per_load(demo_s_url: str, pg_fresh_url: str,
                                                                              snapshot_dir: Path) -> None:
    dataset = Path(make_url(demo_s_url).database).with_suffix("")
    _load_again(pg_fresh_url, dataset)
    engine = get_engine(pg_fresh_url)
    root = snapshot.snapshot_root(engine)
    assert root is not None and root.parent == snapshot_dir
    first = snapshot.load(engine)
    _same(first, read_data(engine))
    from_sqlite = snapshot.load(get_engine(demo_s_url))
    for name in ("persons", "referrals", "support_periods", "attendances"):  # same rows, same record keys
        assert_frame_equal(getattr(first, name), getattr(from_sqlite, name), check_exact=True)
    old = _versions(root)
    _load_again(pg_fresh_url, dataset)
    assert _versions(root) == old  # nothing is built until a process asks
    second = snapshot.load(engine)
    assert _versions(root) == [data_version(engine)] != old and second.loads.height == first.loads.height + 1
