"""A small demo database (size S, written and loaded by the ETL's command line) and its snapshot folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard import rollups, snapshot
from dashboard.data import Data
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


@pytest.fixture(scope="module")
def mapped(demo_s_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Data, Path]]:
    """The demo's snapshot, mapped, with its tables built once per version (``dashboard.rollups``); its folder."""
    folder = tmp_path_factory.mktemp("rollup-snapshots")
    with pytest.MonkeyPatch.context() as patch:  # the settings are part of the tables' name: kept for the module
        patch.setenv("PARCOURS_SNAPSHOT_DIR", str(folder))
        engine = get_engine(demo_s_url)
        data = snapshot.load(engine)
        rollups.wait(data)
        root = snapshot.snapshot_root(engine)
        assert root is not None
        version = next(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
        yield data, version
