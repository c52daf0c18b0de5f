"""Demo datasets generated once per test session (S and M take about a second each)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from etl.demo import write_demo
from tests.demo.helpers import TODAY, read_tables


@pytest.fixture(scope="session")
def s_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "S"
    write_demo("S", out, seed=42, today=TODAY)
    return out


@pytest.fixture(scope="session")
def s_tables(s_dir: Path) -> dict[str, pl.DataFrame]:
    return read_tables(s_dir)


@pytest.fixture(scope="session")
def m_counts(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    out = tmp_path_factory.mktemp("demo") / "M"
    return out, write_demo("M", out, seed=42, today=TODAY)


@pytest.fixture(scope="session")
def m_tables(m_counts: tuple[Path, dict[str, int]]) -> dict[str, pl.DataFrame]:
    return read_tables(m_counts[0])
