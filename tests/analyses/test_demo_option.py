"""``python -m etl demo --workshop-effect X``: the same network, only the planted effect scaled."""

from datetime import date
from pathlib import Path

import polars as pl

from etl.cli import main
from etl.demo import write_demo

TODAY = date(2026, 3, 15)


def _table(folder: Path, name: str) -> pl.DataFrame:
    return pl.read_csv(folder / f"{name}.csv", infer_schema=False)


def test_zero_effect_changes_only_the_levels_and_what_follows_them(tmp_path, capsys):
    base, null = tmp_path / "base", tmp_path / "null"
    assert main(["demo", "--size", "S", "--out", str(null), "--seed", "7", "--workshop-effect", "0"]) == 0
    capsys.readouterr()
    # The command line uses today's date: regenerate the reference on the same day to compare like with like.
    write_demo("S", base, seed=7)
    for name in ("structures", "personnes", "orientations", "ateliers", "seances", "participations"):
        assert _table(base, name).equals(_table(null, name)), name
    levels, no_effect = _table(base, "evaluations"), _table(null, "evaluations")
    keys = ["structure_id", "personne_id", "date_evaluation", "domaine"]
    assert levels.select(keys).equals(no_effect.select(keys))  # same assessments, same dates and domains
    assert (levels["niveau"].cast(pl.Int32) >= no_effect["niveau"].cast(pl.Int32)).mean() > 0.99
    assert (levels["niveau"] != no_effect["niveau"]).sum() > 0  # the effect is there, and only raises levels


def test_default_is_the_demo_byte_for_byte(tmp_path):
    write_demo("S", tmp_path / "a", seed=3, today=TODAY)
    write_demo("S", tmp_path / "b", seed=3, today=TODAY, workshop_effect=1.0)
    for csv in sorted((tmp_path / "a").glob("*.csv")):
        assert csv.read_bytes() == (tmp_path / "b" / csv.name).read_bytes(), csv.name
