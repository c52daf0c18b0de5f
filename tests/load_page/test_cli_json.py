"""``python -m etl load`` as the import page runs it: ``--report json`` lines, ``--source-name``, and a dry
run that never creates the database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from models.db import make_engine
from models.tables import Load, Person, Referral
from tests.load_page.datasets import VALID, WITH_ERRORS

ROOT = Path(__file__).resolve().parents[2]


def write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def etl(*args: str, url: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PARCOURS_LANG", "PARCOURS_PSEUDONYM_KEY")}
    env["DATABASE_URL"] = url
    return subprocess.run([sys.executable, "-m", "etl", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120, check=False)


def events(done: subprocess.CompletedProcess[str]) -> list[dict]:
    return [json.loads(line) for line in done.stdout.splitlines()]


def counts(url: str) -> tuple[int, int, int]:
    engine = make_engine(url)
    with engine.connect() as conn:
        found = tuple(conn.execute(select(func.count()).select_from(m)).scalar_one() for m in (Person, Referral, Load))
    engine.dispose()
    return found  # type: ignore[return-value]


def test_dry_run_does_not_create_the_database_file(tmp_path: Path) -> None:
    database = tmp_path / "new" / "parcours.db"
    folder = write(tmp_path / "ds", VALID)
    for report in ("text", "json"):
        done = etl("load", str(folder), "--dry-run", "--report", report, url=f"sqlite:///{database}")
        assert done.returncode == 0, done.stderr
        assert not database.exists() and not database.parent.exists()
    summary = events(done)[-1]
    # Compared with an empty database: every row would be new.
    assert summary["counts"]["personnes"] == {"inserted": 2, "updated": 0, "unchanged": 0, "deleted": 0}
    assert summary["dry_run"] is True and summary["load_id"] is None


def test_dry_run_on_a_loaded_database_changes_no_row(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'parcours.db'}"
    assert etl("load", str(write(tmp_path / "ds", VALID)), url=url).returncode == 0
    assert counts(url) == (2, 2, 1)
    changed = {**VALID, "personnes.csv": VALID["personnes.csv"] + "CS1;X-003;F;1990;NON\n"}
    done = etl("load", str(write(tmp_path / "more", changed)), "--dry-run", "--report", "json", url=url)
    assert done.returncode == 0, done.stderr
    assert events(done)[-1]["counts"]["personnes"] == {"inserted": 1, "updated": 0, "unchanged": 2, "deleted": 0}
    assert counts(url) == (2, 2, 1)


def test_json_lines_of_a_load(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'parcours.db'}"
    done = etl("load", str(write(tmp_path / "ds", VALID)), "--report", "json", "--lang", "en",
               "--source-name", "navigateur : personnes.csv", url=url)
    assert done.returncode == 0, done.stderr
    lines = events(done)
    assert lines[0] == {"event": "phase", "phase": "read"}
    progress = [e for e in lines if e["event"] == "progress"]
    # A phase starts at 0 and the last one ends with its 6 rows written.
    assert {e["phase"] for e in progress} <= {"compare", "write"}
    assert (progress[0]["done"], progress[0]["total"]) == (0, 6)
    assert (progress[-1]["phase"], progress[-1]["done"], progress[-1]["total"]) == ("write", 6, 6)
    summary = lines[-1]
    assert summary["event"] == "summary" and summary["load_id"] == 1 and summary["structures"] == ["CS1"]
    assert {name: c["inserted"] for name, c in summary["counts"].items()} == {
        "structures": 1, "personnes": 2, "orientations": 2, "accompagnements": 1}
    assert summary["warnings"] == [{"file": "accompagnements.csv", "line": 2, "column": "motif_sortie", "value": None,
                                    "code": "EXIT_WITHOUT_REASON", "reason": "exit without motif_sortie."}]
    engine = make_engine(url)
    with engine.connect() as conn:
        assert conn.execute(select(Load.source)).scalars().all() == ["navigateur : personnes.csv"]
    engine.dispose()


def test_json_lines_of_a_dataset_with_errors(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'parcours.db'}"
    done = etl("load", str(write(tmp_path / "bad", WITH_ERRORS)), "--report", "json", url=url)
    assert done.returncode == 1
    invalid = events(done)[-1]
    assert invalid["event"] == "invalid"
    assert [(e["file"], e["line"], e["column"], e["value"], e["code"]) for e in invalid["errors"]] == [
        ("orientations.csv", 3, "date_orientation", "31/02/2024", "BAD_DATE"),
        ("orientations.csv", 3, "source", '=HYPERLINK("x")', "UNKNOWN_CODE"),
    ]
    assert invalid["errors"][0]["reason"] == "« 31/02/2024 » n'est pas une date valide (AAAA-MM-JJ ou JJ/MM/AAAA)."
    assert counts(url) == (0, 0, 0)
