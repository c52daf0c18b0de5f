"""write_demo: sizes, determinism, formats and clear refusals."""

from __future__ import annotations

import hashlib
from pathlib import Path

import polars as pl
import pytest

from etl.demo import SIZES, TABLES, WORKBOOK, write_demo
from etl.demo.structures import plan_network
from models.contract import CONTRACT_TABLES
from tests.demo.helpers import TODAY, read_tables


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_sizes_are_exact(s_tables: dict[str, pl.DataFrame], m_counts: tuple[Path, dict[str, int]]) -> None:
    assert SIZES == {"S": 300, "M": 10_000, "L": 100_000, "XL": 1_000_000}
    assert s_tables["personnes"].height == 300
    assert s_tables["structures"]["type"].to_list() == ["CENTRE_SOCIAL"]
    assert s_tables["ateliers"].height == 10
    folder, counts = m_counts
    assert counts["personnes"] == 10_000
    assert counts["structures"] == 20
    assert list(counts) == list(TABLES) == list(CONTRACT_TABLES)
    for table, rows in counts.items():
        assert pl.read_csv(folder / f"{table}.csv", infer_schema=False).height == rows, table


def test_network_sizes_for_l_and_xl_without_generating_them() -> None:
    for size, structures in (("L", 200), ("XL", 2000)):
        plans = plan_network(size, 42)
        assert len(plans) == structures
        assert sum(p.n_persons for p in plans) == SIZES[size]
        assert min(p.n_persons for p in plans) >= 20
        assert len({p.name for p in plans}) == structures
        assert {p.kind for p in plans} == {"CS", "CHRS", "CPAS"}
    assert plan_network("XL", 42)[0].structure_id == "S0001"


def test_same_seed_same_bytes_other_seed_other_bytes(s_dir: Path, tmp_path: Path) -> None:
    write_demo("S", tmp_path / "again", seed=42, today=TODAY)
    write_demo("S", tmp_path / "other", seed=7, today=TODAY)
    assert _digests(tmp_path / "again") == _digests(s_dir)
    other = _digests(tmp_path / "other")
    assert other.keys() == _digests(s_dir).keys()
    assert all(other[name] != digest for name, digest in _digests(s_dir).items())


def test_a_structure_is_the_same_whatever_else_is_generated(m_tables: dict[str, pl.DataFrame]) -> None:
    """Each structure has its own random stream: streaming by batch cannot change it."""
    plans = plan_network("M", 42)
    from etl.demo.generate import generate_structure
    from etl.demo.sampling import day_number

    frames = generate_structure(plans[3], 42, day_number(TODAY.replace(year=2018, month=1, day=1)), day_number(TODAY))
    mine = m_tables["personnes"].filter(pl.col("structure_id") == plans[3].structure_id)
    assert mine.height == frames["personnes"].height == plans[3].n_persons
    assert mine["personne_id"].to_list() == frames["personnes"]["personne_id"].to_list()


def test_parquet_holds_the_same_rows_as_csv(s_dir: Path, s_tables: dict[str, pl.DataFrame], tmp_path: Path) -> None:
    counts = write_demo("S", tmp_path / "pq", fmt="parquet", today=TODAY)
    again = write_demo("S", tmp_path / "pq2", fmt="parquet", today=TODAY)
    assert counts == again
    assert _digests(tmp_path / "pq") == _digests(tmp_path / "pq2")
    for table, csv in s_tables.items():
        frame = pl.read_parquet(tmp_path / "pq" / f"{table}.parquet")
        assert frame.columns == csv.columns
        text = frame.select(pl.all().cast(pl.String))
        assert text.equals(csv), table
    assert pl.read_parquet(tmp_path / "pq" / "orientations.parquet")["date_orientation"].dtype == pl.Date


@pytest.mark.slow
def test_xlsx_is_one_workbook_with_one_sheet_per_table(s_tables: dict[str, pl.DataFrame], tmp_path: Path) -> None:
    write_demo("S", tmp_path / "x1", fmt="xlsx", today=TODAY)
    write_demo("S", tmp_path / "x2", fmt="xlsx", today=TODAY)
    assert [p.name for p in (tmp_path / "x1").iterdir()] == [WORKBOOK]
    assert _digests(tmp_path / "x1") == _digests(tmp_path / "x2")
    sheets = pl.read_excel(tmp_path / "x1" / WORKBOOK, sheet_id=0, infer_schema_length=0)
    assert list(sheets) == list(CONTRACT_TABLES)
    for table, csv in s_tables.items():
        assert sheets[table].columns == csv.columns, table
        assert sheets[table].height == csv.height, table
    for column in ("date_orientation", "date_decision", "decision"):
        assert sheets["orientations"][column].to_list() == s_tables["orientations"][column].to_list(), column


@pytest.mark.parametrize("size", ["L", "XL"])
def test_xlsx_is_refused_for_large_sizes(size: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="xlsx n'est proposé que pour les tailles S, M"):
        write_demo(size, tmp_path, fmt="xlsx", today=TODAY)
    assert not any(tmp_path.iterdir())


def test_bad_arguments_say_what_is_expected(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"Taille de jeu de démonstration inconnue : 'XXL' \(attendu : S, M, L, XL\)"):
        write_demo("XXL", tmp_path)
    with pytest.raises(ValueError, match=r"Unknown format: 'json' \(expected: csv, parquet, xlsx\)"):
        write_demo("S", tmp_path, fmt="json", lang="en")
    with pytest.raises(ValueError, match="postérieure au 1er juillet 2018"):
        write_demo("S", tmp_path, today=TODAY.replace(year=2018, month=3))


def test_another_today_moves_the_end_of_the_data(tmp_path: Path) -> None:
    write_demo("S", tmp_path, today=TODAY.replace(year=2022))
    tables = read_tables(tmp_path)
    last = tables["orientations"]["date_orientation"].str.to_date().max()
    assert last is not None and TODAY.replace(year=2022, month=1) <= last <= TODAY.replace(year=2022)
