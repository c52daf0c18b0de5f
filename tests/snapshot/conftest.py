"""A small demo database (size S, written and loaded by the ETL's command line) and its snapshot folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from models.db import get_engine
from tests.e2e.conftest import build_demo_database


@pytest.fixture(scope="session")
def demo_s_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return build_demo_database(tmp_path_factory.mktemp("snapshot-demo"))


@pytest.fixture
def snapshot_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "snapshots"
    monkeypatch.setenv("PARCOURS_SNAPSHOT_DIR", str(folder))
    yield folder
    get_engine.cache_clear()
