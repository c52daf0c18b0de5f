"""``python -m etl forget``: a person's rows and traces go; the audit log keeps only that it happened."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import insert

from dashboard.accounts import audit
from dashboard.data import data_version, read_data
from models.db import make_engine
from models.tables import Load, LoadWarning
from tests.accounts.conftest import NOW, ROOT, network_rows
from tests.metrics.fixtures import write_rows


def forget(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"DATABASE_URL": url}
    return subprocess.run([sys.executable, "-m", "etl", "forget", "--lang", "en", *args], capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=120, check=False)


def test_forget_erases_every_row_and_trace_of_the_person_at_that_structure_only(tmp_path: Path):
    path = tmp_path / "erase.db"
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    rows = network_rows()
    rows["persons"].append({"structure_id": "B1", "person_id": "QA07"})  # the same id at another structure stays
    write_rows(engine, **rows)
    with engine.begin() as conn:
        conn.execute(insert(Load.__table__), [{"id": 1, "started_at": NOW, "finished_at": NOW, "source": "x",  # type: ignore[attr-defined]
                                               "structures": "A1"}])
        conn.execute(insert(LoadWarning.__table__), [  # type: ignore[attr-defined]
            {"load_id": 1, "table_name": "persons", "value": "QA07", "code": "AGE_IMPLAUSIBLE", "message": "m"},
            {"load_id": 1, "table_name": "persons", "value": "QA08", "code": "AGE_IMPLAUSIBLE", "message": "m"}])
    before = read_data(engine)
    version = data_version(engine)
    from dashboard import snapshot  # the app's on-disk snapshot of this database holds the person too

    root = snapshot.snapshot_root(engine)
    snapshot.build(engine, root)
    assert root is not None and any(root.iterdir())
    # QA07 in A1: 137 // 30 + 1 = 5 referrals in 2025 (j = 6, 36, 66, 96, 126) and 2 in 2024 (j = 6, 36), 3 sessions.
    mine = {name: getattr(before, name).filter((getattr(before, name)["structure_id"] == "A1")
                                               & (getattr(before, name)["person_id"] == "QA07")).height
            for name in ("persons", "referrals", "attendances")}
    assert mine == {"persons": 1, "referrals": 7, "attendances": 3}

    done = forget(url, "--structure", "A1", "--person", "QA07")
    assert done.returncode == 0, done.stderr
    assert not root.exists()  # every snapshot of the database went with the rows
    assert done.stdout.strip() == ("Erased: 12 row(s) of the person at A1; the audit log records the erasure, "
                                   "without the id.")  # 1 + 7 + 3 rows and 1 warning
    after = read_data(engine)
    assert data_version(engine) != version  # every app process reads the database again
    for name in ("persons", "referrals", "attendances"):
        frame = getattr(after, name)
        assert frame.filter((frame["structure_id"] == "A1") & (frame["person_id"] == "QA07")).is_empty()
        assert frame.height == getattr(before, name).height - mine[name]
    assert after.persons.filter(after.persons["structure_id"] == "B1")["person_id"].to_list().count("QA07") == 1
    assert after.load_warnings["value"].to_list() == ["QA08"]
    erased = audit.events(engine, action=audit.ERASURE)
    assert erased["structures"].to_list() == ["A1"] and json.loads(erased["detail"][0]) == {"rows": 12}
    assert "QA07" not in " ".join(str(v) for v in erased.row(0))
    engine.dispose()
    again = forget(url, "--structure", "A1", "--person", "QA07")
    assert again.returncode == 2 and again.stderr.strip() == "No person QA07 at structure A1: nothing erased."
