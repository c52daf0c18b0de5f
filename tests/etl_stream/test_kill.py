"""A load killed with SIGKILL in the middle of its writes leaves the database as it was.

The child process is the real command (``python -m etl load --replace``)
with one function wrapped to send the process SIGKILL right after it
returns: after the n-th chunk written (COPY or executemany, into a table or
its staging table), after the n-th table merged from its staging table, or
once the load log is written, the last step before the commit. Chunks are
made small so that the kill falls inside a table. The database must then
hold exactly what the previous load left, and the next load must work.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from models.db import make_engine
from tests.etl_load.builders import snapshot
from tests.etl_stream.datasets import second_version

ROOT = Path(__file__).resolve().parents[2]
_CHILD = """
import os, signal, sys
import etl.spill
etl.spill.CHUNK_ROWS = 2_000
from etl import load, upsert

module = {"write_frame": upsert, "merge_stage": upsert, "record_load": load}[sys.argv[2]]
real, calls = getattr(module, sys.argv[2]), []


def then_die(*args, **kwargs):
    result = real(*args, **kwargs)
    calls.append(1)
    if len(calls) == int(sys.argv[3]):
        os.kill(os.getpid(), signal.SIGKILL)
    return result


setattr(module, sys.argv[2], then_die)
from etl.cli import main
sys.exit(main(["load", sys.argv[1], "--replace", "--lang", "en"]))
"""


def _load(folder: Path, url: str, temp: Path, *kill: str) -> subprocess.CompletedProcess[str]:
    args = [sys.executable, "-c", _CHILD, str(folder), *kill] if kill else [sys.executable, "-m", "etl", "load",
                                                                          str(folder), "--replace"]
    temp.mkdir(exist_ok=True)
    env = {**os.environ, "DATABASE_URL": url, "PARCOURS_LANG": "en", "TMPDIR": str(temp)}
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False)


# The second load stages every table: the 7th chunk is the 3rd of evaluations (10 555 rows), the 4th table merged
# is accompagnements.
@pytest.mark.parametrize("where, nth", [("write_frame", 7), ("merge_stage", 4), ("record_load", 1)])
def test_killed_load_leaves_the_previous_state(
    where: str, nth: int, demo_s: Path, db_url: str, tmp_path: Path
) -> None:
    first = demo_s
    later = second_version(first, tmp_path / "v2")
    temp = tmp_path / "tmp"
    assert _load(first, db_url, temp).returncode == 0
    assert not list(temp.iterdir())  # a load that ends removes its staged chunks
    engine = make_engine(db_url)
    before = snapshot(engine)
    engine.dispose()

    killed = _load(later, db_url, temp, where, str(nth))
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    assert [p.name[:15] for p in temp.iterdir()] == ["parcours-stage-"]  # left by the killed process, harmless
    engine = make_engine(db_url)
    assert snapshot(engine) == before
    engine.dispose()

    done = _load(later, db_url, temp)
    assert done.returncode == 0, done.stdout + done.stderr
    engine = make_engine(db_url)
    after = snapshot(engine)
    assert len(after["loads"]) == 2
    assert len(after["assessments"]) == len(before["assessments"]) - 100
    assert sum(row[9] == "Nouveau quartier" for row in after["persons"]) == 10
    engine.dispose()
