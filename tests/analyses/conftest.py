"""Two demo networks of size M generated with the same seed and day, one with the planted workshop effect
(``workshop_effect=1``, the demo) and one without (``0``): same persons, pathways and attendance, only the
levels reached differ. Each is loaded into SQLite and read as the dashboard reads it (about 15 s each)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dashboard.data import Data, read_data
from etl.demo import write_demo
from etl.load import load_dataset
from etl.validate import read_and_validate
from models.db import make_engine

TODAY = date(2026, 3, 15)
SEED = 42


def _world(folder: Path, effect: float) -> str:
    dataset = folder / f"demo-M-{effect}"
    write_demo("M", dataset, seed=SEED, today=TODAY, workshop_effect=effect)
    loaded = read_and_validate(dataset, today=TODAY)
    assert loaded.ok, loaded.errors[:3]
    url = f"sqlite:///{folder / f'parcours-M-{effect}.db'}"
    engine = make_engine(url)
    load_dataset(engine, loaded, source="demo")
    engine.dispose()
    return url


def _read(url: str) -> Data:
    engine = make_engine(url)
    try:
        return read_data(engine)
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def effect_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return _world(tmp_path_factory.mktemp("analyses"), 1.0)


@pytest.fixture(scope="session")
def null_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return _world(tmp_path_factory.mktemp("analyses-null"), 0.0)


@pytest.fixture(scope="session")
def effect_data(effect_url: str) -> Data:
    return _read(effect_url)


@pytest.fixture(scope="session")
def null_data(null_url: str) -> Data:
    return _read(null_url)
