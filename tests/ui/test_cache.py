"""The database is read once per data version, and a load by another process is seen."""

import subprocess
import sys
from pathlib import Path

from dashboard.ui.cache import load_data

ROOT = Path(__file__).resolve().parents[2]

# What `python -m etl load` amounts to for the app: another process commits a load.
LOAD_ELSEWHERE = """
import sys
from datetime import UTC, datetime
from sqlalchemy import insert
sys.path.insert(0, {root!r})
from models.db import make_engine
from models.tables import Load
engine = make_engine({url!r})
with engine.begin() as conn:
    conn.execute(insert(Load.__table__), [{{"started_at": datetime(2026, 2, 1, tzinfo=UTC),
        "finished_at": datetime(2026, 2, 1, tzinfo=UTC), "source": "x", "structures": "S1",
        "replace": False, "pseudonymised": False}}])
engine.dispose()
"""


def test_one_read_per_data_version(empty_db):
    first = load_data()
    assert first.loads.height == 0
    assert load_data() is first  # same version: the cached snapshot, no new read
    subprocess.run([sys.executable, "-c", LOAD_ELSEWHERE.format(root=str(ROOT), url=empty_db)], check=True, timeout=60)
    second = load_data()
    assert second is not first
    assert second.loads.height == 1
    assert load_data() is second
