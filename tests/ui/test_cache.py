"""The database is read once per data version."""

from datetime import UTC, datetime

from sqlalchemy import insert

from dashboard.ui.cache import load_data
from models.db import get_engine
from models.tables import Load


def test_one_read_per_data_version(empty_db):
    first = load_data()
    assert load_data() is first  # same version: the cached snapshot, no new read
    with get_engine(empty_db).begin() as conn:
        conn.execute(insert(Load.__table__), [{  # type: ignore[attr-defined]
            "started_at": datetime(2026, 2, 1, tzinfo=UTC), "finished_at": datetime(2026, 2, 1, tzinfo=UTC),
            "source": "x", "structures": "S1", "replace": False, "pseudonymised": False,
        }])
    second = load_data()
    assert second is not first
    assert second.loads.height == 1
    assert load_data() is second
