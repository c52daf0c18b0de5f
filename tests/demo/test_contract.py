"""The demo data is exactly in the data contract's format, checked with polars directly."""

from __future__ import annotations

import importlib.util
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from models.contract import CONTRACT_TABLES, contract_columns, key_columns
from models.reference import codes
from tests.demo.helpers import TODAY

# child table, its columns -> parent table, its columns (within a structure)
REFERENCES = [
    ("orientations", ["personne_id"], "personnes", ["personne_id"]),
    ("accompagnements", ["personne_id"], "personnes", ["personne_id"]),
    ("accompagnements", ["orientation_id"], "orientations", ["orientation_id"]),
    ("evaluations", ["personne_id"], "personnes", ["personne_id"]),
    ("seances", ["atelier_id"], "ateliers", ["atelier_id"]),
    ("participations", ["seance_id"], "seances", ["seance_id"]),
    ("participations", ["personne_id"], "personnes", ["personne_id"]),
    ("jalons", ["personne_id"], "personnes", ["personne_id"]),
]
EMAIL = r"[\w.+-]+@[\w-]+\.[\w.]+"
PHONE = r"(?:\+33|\b0)[1-9](?:[ .-]?\d{2}){4}\b"
LONG_NUMBER = r"\d{13}"


def _source(table: str, name: str) -> str:
    return next(c.source for c in contract_columns(table) if c.name == name)


@pytest.fixture(params=["S", "M"])
def tables(request: pytest.FixtureRequest) -> dict[str, pl.DataFrame]:
    return request.getfixturevalue(f"{request.param.lower()}_tables")


def test_files_are_the_contract_tables(s_dir: Path) -> None:
    assert sorted(p.name for p in s_dir.iterdir()) == sorted(f"{t}.csv" for t in CONTRACT_TABLES)
    first_line = (s_dir / "orientations.csv").read_bytes().split(b"\n", 1)[0]
    assert first_line == b"structure_id,orientation_id,personne_id,date_orientation,source,dispositif,decision,date_decision"


def test_columns_are_exactly_the_contract_columns(tables: dict[str, pl.DataFrame]) -> None:
    for table, frame in tables.items():
        assert frame.columns == [c.source for c in contract_columns(table)], table
        assert frame.height > 0, table


def test_required_columns_are_filled(tables: dict[str, pl.DataFrame]) -> None:
    for table, frame in tables.items():
        for column in contract_columns(table):
            if column.required:
                assert frame[column.source].null_count() == 0, (table, column.source)


def test_every_code_is_in_its_code_list(tables: dict[str, pl.DataFrame]) -> None:
    for table, frame in tables.items():
        for column in contract_columns(table):
            values = set(frame[column.source].drop_nulls().unique().to_list())
            if column.kind == "code":
                assert values <= set(codes(column.codes)), (table, column.source, values - set(codes(column.codes)))
            if column.kind == "bool":
                assert values == {"OUI", "NON"}, (table, column.source)


def test_dates_parse_and_stay_between_2018_and_today(tables: dict[str, pl.DataFrame]) -> None:
    for table, frame in tables.items():
        for column in contract_columns(table):
            if column.kind != "date":
                continue
            text = frame[column.source].drop_nulls()
            parsed = text.str.to_date("%Y-%m-%d", strict=False)
            assert parsed.null_count() == 0, (table, column.source)
            assert text.str.len_chars().unique().to_list() == [10]
            assert parsed.min() >= date(2018, 1, 1), (table, column.source)
            assert parsed.max() <= TODAY, (table, column.source)


def test_integers_are_in_range(tables: dict[str, pl.DataFrame]) -> None:
    level = tables["evaluations"]["niveau"].cast(pl.Int32)
    assert sorted(level.unique().to_list()) == [1, 2, 3, 4, 5]
    assert tables["seances"]["duree_minutes"].drop_nulls().cast(pl.Int32).min() > 0
    born = tables["personnes"]["annee_naissance"].drop_nulls().cast(pl.Int32)
    assert born.min() >= 1900 and born.max() <= TODAY.year


def test_keys_are_unique(tables: dict[str, pl.DataFrame]) -> None:
    for table, frame in tables.items():
        key = [_source(table, name) for name in key_columns(table)]
        assert frame.select(key).is_duplicated().sum() == 0, table


def test_every_reference_resolves(tables: dict[str, pl.DataFrame]) -> None:
    for child, child_cols, parent, parent_cols in REFERENCES:
        rows = tables[child].filter(pl.all_horizontal(pl.col(child_cols).is_not_null()))
        missing = rows.join(tables[parent], left_on=["structure_id", *child_cols], right_on=["structure_id", *parent_cols], how="anti")
        assert missing.height == 0, (child, child_cols)
    structures = set(tables["structures"]["structure_id"].to_list())
    for table, frame in tables.items():
        assert set(frame["structure_id"].unique().to_list()) <= structures, table


def test_date_order(tables: dict[str, pl.DataFrame]) -> None:
    o = tables["orientations"].with_columns(pl.col("date_orientation", "date_decision").str.to_date())
    assert o.filter(pl.col("date_decision") < pl.col("date_orientation")).height == 0
    a = tables["accompagnements"].with_columns(pl.col("date_entree", "date_sortie").str.to_date())
    assert a.filter(pl.col("date_sortie") < pl.col("date_entree")).height == 0


def test_nothing_looks_like_a_direct_identifier(tables: dict[str, pl.DataFrame]) -> None:
    for table, frame in tables.items():
        for column in frame.columns:
            values = frame[column].drop_nulls()
            for pattern in (EMAIL, PHONE, LONG_NUMBER):
                assert not values.str.contains(pattern).any(), (table, column, pattern)
    ids = tables["personnes"]["personne_id"]
    assert ids.str.contains(r"^S\d{2}-P\d{6}$").all()


@pytest.mark.skipif(importlib.util.find_spec("etl.validate") is None, reason="etl.validate not written yet")
def test_the_etl_reads_s_without_a_single_error(s_dir: Path) -> None:
    from etl.dataset import read_and_validate

    result = read_and_validate(s_dir, today=TODAY)
    assert [e.message for e in result.errors] == []
    assert {w.code for w in result.warnings} >= {
        "AGE_IMPLAUSIBLE",
        "EXIT_WITHOUT_REASON",
        "REFERRAL_PENDING_90D",
        "PERSON_WITHOUT_ACTIVITY",
        "SUPPORT_OPEN_3Y",
    }
