"""A load stores a few warnings of each kind plus one MORE_PROBLEMS row counting the rest:
every place that reports a number of warnings reports the true one."""

from dataclasses import replace
from pathlib import Path

from dashboard.data import read_data
from dashboard.ui.inventory import loads_table
from etl.dataset import Problem
from etl.load import load_dataset
from etl.log import last_loads
from models.db import make_engine
from tests.etl_load.builders import WARNING, small_dataset

MORE = Problem(table="orientations", file="orientations.csv", line=None, column="decision", value="40",
               code="MORE_PROBLEMS", message="… et 40 autres problèmes du même type dans cette colonne, non détaillés.")


def test_status_and_data_page_count_the_warnings_left_out(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'p.db'}")
    load_dataset(engine, small_dataset(warnings=[WARNING, replace(WARNING, line=4), MORE]), source="test")
    with engine.connect() as conn:
        assert [load.warnings for load in last_loads(conn)] == [42]  # 2 stored + 40 counted
    shown = loads_table(read_data(engine), "fr")
    assert shown.row(0, named=True)["Avertissements"] == "42"
