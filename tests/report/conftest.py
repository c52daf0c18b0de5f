"""Fixtures of the board report: the hand-written database of tests/ui/conftest.py (last day 2025-12-31).

In 2025 against 2024 (exact mode, k = 11): referrals 1 234 against 1 000;
exits 12 (hidden counts of 6 exits to housing and 4 to employment: "< 11");
persons P01..P40 in structure S1 "Foyer Les Tilleuls".
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard.data import Data, read_data
from models.db import make_engine
from tests.metrics.fixtures import write_rows
from tests.ui.conftest import _write_load, fixture_rows

ROOT = Path(__file__).resolve().parents[2]


def make_report_db(path: Path, **changes: object) -> str:
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    write_rows(engine, **(fixture_rows() | changes))
    engine.dispose()
    _write_load(url)
    return url


@pytest.fixture(scope="session")
def report_db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return make_report_db(tmp_path_factory.mktemp("report") / "parcours.db")


@pytest.fixture(scope="session")
def report_data(report_db_url: str) -> Data:
    engine = make_engine(report_db_url)
    data = read_data(engine)
    engine.dispose()
    return data


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("PARCOURS_LANG", "PARCOURS_MIN_CELL", "PARCOURS_MIN_CELL_PUBLISHED", "PARCOURS_REPORT_COSTS"):
        monkeypatch.delenv(name, raising=False)
    yield


def run(args: list[str], url: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items()
                   if k not in ("PARCOURS_LANG", "PARCOURS_MIN_CELL", "PARCOURS_MIN_CELL_PUBLISHED")}
    return subprocess.run([sys.executable, "-m", "dashboard", *args], cwd=ROOT, capture_output=True, text=True,
                          env=environment | {"DATABASE_URL": url} | env, timeout=300)


def pdf_text(path: Path, layout: bool = True) -> str:
    done = subprocess.run(["pdftotext", *(["-layout"] if layout else []), str(path), "-"], capture_output=True,
                          text=True, check=True)
    return done.stdout
