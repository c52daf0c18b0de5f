"""The demo's size S, written once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.demo import write_demo


@pytest.fixture(scope="session")
def demo_s(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo-S")
    write_demo("S", folder)
    return folder
