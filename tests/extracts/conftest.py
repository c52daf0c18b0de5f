"""The generated dataset the extract tests run on: the demo of size M (20 structures, 10 000 persons)."""

from __future__ import annotations

import pytest

from dashboard.data import Data, read_data
from models.db import make_engine
from tests.extracts.demo_db import demo_database


@pytest.fixture(scope="session")
def m_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return demo_database(tmp_path_factory.mktemp("extracts"), "M")


@pytest.fixture(scope="session")
def m_data(m_url: str) -> Data:
    engine = make_engine(m_url)
    try:
        return read_data(engine)
    finally:
        engine.dispose()
