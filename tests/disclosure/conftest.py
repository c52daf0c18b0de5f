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
from etl.demo import write_demo
from etl.load import load_dataset
from etl.validate import read_and_validate
from models.db import make_engine

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
