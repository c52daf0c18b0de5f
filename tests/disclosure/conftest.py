"""The demo network of size M, generated once per session with a fixed seed and loaded into SQLite.

The attack tests read it through the same snapshot the dashboard uses
(``dashboard.data.read_data``). The dataset ends on a fixed day, never
the clock's, so every run sees the same rows, the same record keys (the
secret is fixed in tests/conftest.py) and so the same noise.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dashboard.data import Data, read_data
from dashboard.disclosure import thresholds
from etl.demo import write_demo
from etl.load import load_dataset
from etl.validate import read_and_validate
from models.db import make_engine
from tests.disclosure.attacks import K_PUBLISHED, K, Oracle

SEED = 20240607
TODAY = date(2026, 3, 15)
SOURCE_DIR = "srv-attack-export-4471"
"""A folder name that must never reach a page (the data page shows no server path)."""


@pytest.fixture(scope="session")
def m_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp(SOURCE_DIR)


@pytest.fixture(scope="session")
def m_db_url(m_folder: Path) -> str:
    """``python -m etl demo --size M --seed SEED`` then ``python -m etl load``, through their Python functions."""
    dataset_dir = m_folder / "demo-M"
    write_demo("M", dataset_dir, seed=SEED, today=TODAY)
    dataset = read_and_validate(dataset_dir, today=TODAY)  # warnings such as 'pending for 90 days' count from it
    assert dataset.ok, dataset.errors[:3]
    url = f"sqlite:///{m_folder / 'parcours-M.db'}"
    engine = make_engine(url)
    load_dataset(engine, dataset, source=str(dataset_dir))
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def m_data(m_db_url: str) -> Data:
    engine = make_engine(m_db_url)
    try:
        return read_data(engine)
    finally:
        engine.dispose()


@pytest.fixture(autouse=True)
def protected(monkeypatch: pytest.MonkeyPatch) -> None:
    """Protected mode and the default thresholds and p-table, whatever the environment says."""
    monkeypatch.setenv("PARCOURS_DISCLOSURE", "protected")
    for name in ("PARCOURS_MIN_CELL", "PARCOURS_MIN_CELL_PUBLISHED", "PARCOURS_CKM_MAX", "PARCOURS_CKM_VARIANCE",
                 "PARCOURS_LANG"):
        monkeypatch.delenv(name, raising=False)
    assert thresholds(False) == (K, K_PUBLISHED)


@pytest.fixture(scope="session")
def oracle(m_data: Data) -> Oracle:
    return Oracle(m_data)


@pytest.fixture(scope="session")
def structures(m_data: Data) -> list[str]:
    return sorted(m_data.structures["structure_id"].to_list())


@pytest.fixture
def cli_db(m_db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("DATABASE_URL", m_db_url)
    return m_db_url


@pytest.fixture
def cli_snapshot(cli_db: str, m_data: Data, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line on the session's snapshot instead of reading the database again at each call."""
    import dashboard.cli

    monkeypatch.setattr(dashboard.cli, "read_data", lambda engine: m_data)
