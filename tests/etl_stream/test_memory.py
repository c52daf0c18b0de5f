"""The load's peak memory does not grow with the dataset: 4 copies of the demo's size S and 16.

Each load runs ``python -m etl load`` in a child process against its own
fresh PostgreSQL database (the database's memory is the server's, so the
figure is the ETL's own; SQLite would add its page cache, bounded by
``cache_size`` in models/db.py). Chunks are made small (``CHUNK_ROWS``
10 000 rows, CSV blocks of 512 KiB) so that a few hundred thousand rows are many chunks; holding the
dataset whole, as the load did before it streamed, costs about 100 MB more
for the larger dataset (measured: peak 251 MB against 129 MB) and fails the
bound below.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests import pg
from tests.etl_stream.datasets import copied, rows_of

ROOT = Path(__file__).resolve().parents[2]
CHUNK_ROWS = 10_000
BLOCK_BYTES = 512 * 1024
_CHILD = """
import sys
import etl.spill
etl.spill.CHUNK_ROWS = int(sys.argv[2])
etl.spill.BLOCK_BYTES = int(sys.argv[3])
from etl.cli import main
code = main(["load", sys.argv[1], "--lang", "en"])
# VmHWM: this process's peak resident memory (ru_maxrss would carry the forking pytest's across exec)
print("PEAK", next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM")))
sys.exit(code)
"""


def _peak_kb(folder: Path) -> int:
    url = pg.create_database("parcours_stream")
    try:
        env = {**os.environ, "DATABASE_URL": url, "PARCOURS_LANG": "en"}
        done = subprocess.run([sys.executable, "-c", _CHILD, str(folder), str(CHUNK_ROWS), str(BLOCK_BYTES)], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=600, check=False)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        total = sum(rows_of(folder).values())
        inserted = re.search(r"^total\s+([\d,]+)\s", done.stdout, re.MULTILINE)
        assert inserted and int(inserted.group(1).replace(",", "")) == total
        return int(done.stdout.split("PEAK")[-1].split()[0])
    finally:
        _drop(url)


def _drop(url: str) -> None:
    """Drop the database; autovacuum, busy on the tables just filled, may hold it a moment (and cannot be
    forced off by a role that is not superuser)."""
    for attempt in range(15):
        try:
            pg.drop_database(url)
            return
        except Exception:
            if attempt == 14:
                raise
            time.sleep(2)


@pytest.mark.postgres
@pytest.mark.slow
def test_peak_memory_does_not_grow_with_the_input(demo_s: Path, tmp_path: Path) -> None:
    if pg.skip_requested():
        pytest.skip("PARCOURS_SKIP_PG=1")
    small = copied(demo_s, 4, tmp_path / "x4")
    large = copied(demo_s, 16, tmp_path / "x16")
    assert sum(rows_of(large).values()) == 4 * sum(rows_of(small).values()) > 100_000
    small_kb, large_kb = _peak_kb(small), _peak_kb(large)
    assert large_kb <= 1.2 * small_kb, (small_kb, large_kb)
