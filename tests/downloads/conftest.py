"""A small generated dataset loaded by the ETL (demo S), for the command line's workbook and its provenance."""

from __future__ import annotations

import pytest

from tests.extracts.demo_db import demo_database


@pytest.fixture(scope="session")
def s_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return demo_database(tmp_path_factory.mktemp("downloads"), "S")
