"""The dashboard's data snapshot reads the same frames from SQLite and PostgreSQL."""

from datetime import date

import polars as pl
import pytest
from sqlalchemy import text

from dashboard.data import data_version, read_data
from etl.load import load_dataset
from models.db import make_engine
from tests.etl_load.builders import small_dataset


def _loaded(url: str):  # type: ignore[no-untyped-def]
    engine = make_engine(url)
    load_dataset(engine, small_dataset("S1"), source="test")
    load_dataset(engine, small_dataset("S2"), source="test")
    return engine


def test_snapshot_types_and_derived_columns(db_url: str) -> None:
    engine = _loaded(db_url)
    data = read_data(engine)
    # Same ids in two structures are two persons: 3 + 3.
    assert data.persons.height == 6
    assert data.persons["pid"].to_list() == list(range(6))
    p1 = data.persons.filter(pl.col("structure_id") == "S1", pl.col("person_id") == "P1").row(0, named=True)
    # P1: referred 2024-01-10 (first contact), born 1980 -> 44, band 26_44; QPV stays a boolean.
    assert (p1["first_contact"], p1["age"], p1["age_band"], p1["priority_area"]) == (date(2024, 1, 10), 44, "26_44", True)
    p3 = data.persons.filter(pl.col("person_id") == "P3").row(0, named=True)
    assert (p3["first_contact"], p3["age_band"]) == (None, "INCONNU")
    assert data.referrals.schema["referral_date"] == pl.Date
    assert data.support_periods["exit_date"].to_list() == [date(2024, 6, 30)] * 2
    assert data.assessments["level"].to_list() == [1, 1, 4, 4]
    attendance = data.attendances.filter(pl.col("structure_id") == "S2").sort("person_id")
    assert attendance.select("person_id", "workshop_id", "session_date", "presence").rows() == [
        ("P1", "W1", date(2024, 3, 1), "PRESENT"), ("P2", "W1", date(2024, 3, 1), "ABSENT")]
    assert data.workshops["co_constructed"].to_list() == [True, True]
    assert data.loads.height == 2 and data.loads.schema["started_at"] == pl.Datetime("us")
    assert data.last_day == date(2024, 6, 30)


@pytest.mark.postgres
def test_sqlite_and_postgresql_give_identical_snapshots(sqlite_url: str, pg_fresh_url: str) -> None:
    lite, pg = read_data(_loaded(sqlite_url)), read_data(_loaded(pg_fresh_url))
    for name in ("structures", "persons", "referrals", "support_periods", "assessments", "workshops", "sessions",
                 "attendances", "milestones", "domain_readings", "labels"):
        assert getattr(lite, name).equals(getattr(pg, name)), name


def test_version_changes_with_a_load_and_a_domain_reading(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    empty = data_version(engine)
    load_dataset(engine, small_dataset("S1"), source="test")
    loaded = data_version(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE domain_readings SET pillar = NULL WHERE domain = 'LOGEMENT'"))
    assert len({empty, loaded, data_version(engine)}) == 3
