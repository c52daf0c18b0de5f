"""Loading into SQLite and PostgreSQL: round trip, upsert, replace, atomicity, dry run, load log."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from sqlalchemy import func, inspect, select, text

from etl import upsert
from etl.dataset import SourceFile
from etl.load import load_dataset
from models.db import make_engine
from tests.etl_load.builders import WARNING, dataset, small_dataset, small_tables, snapshot, staged

EXPECTED_ROWS = {
    "structures": 1, "persons": 3, "referrals": 2, "support_periods": 1, "assessments": 2,
    "workshops": 1, "workshop_sessions": 1, "attendances": 2, "milestones": 1,
}


def _count(engine, table: str) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(text(table))).scalar_one()


def test_round_trip_counts_and_values(db_url: str) -> None:
    engine = make_engine(db_url)
    report = load_dataset(engine, small_dataset(), source="demo/")
    assert {t: c.inserted for t, c in report.counts.items()} == {
        "structures": 1, "personnes": 3, "orientations": 2, "accompagnements": 1, "evaluations": 2,
        "ateliers": 1, "seances": 1, "participations": 2, "jalons": 1,
    }
    assert report.total.inserted == 14 and report.load_id == 1
    state = snapshot(engine)
    assert {t: len(state[t]) for t in EXPECTED_ROWS} == EXPECTED_ROWS
    assert state["structures"] == [("S1", "S1", None, None)]
    assert state["persons"][0] == ("S1", "P1", "F", 1980, "PARENT_ISOLE", None, None, None, None, "Lyon 8e", True)
    assert state["persons"][1][-1] is False and state["persons"][2][-1] is None
    assert state["referrals"] == [
        ("S1", "O1", "P1", date(2024, 1, 10), "SPIP", "HEBERGEMENT_INSERTION", "ACCEPTEE", date(2024, 1, 20)),
        ("S1", "O2", "P2", date(2024, 2, 1), "SIAO", None, "EN_ATTENTE", None),
    ]
    assert state["support_periods"][0][5:7] == (date(2024, 1, 21), date(2024, 6, 30))
    assert state["workshops"] == [("S1", "W1", "Couture", "VIE_QUOTIDIENNE", "COLLECTIF", "INTERNE", True)]
    assert state["assessments"] == [
        ("S1", "P1", date(2024, 1, 21), "LOGEMENT", 1), ("S1", "P1", date(2024, 6, 1), "LOGEMENT", 4),
    ]


def test_second_load_changes_nothing(db_url: str) -> None:
    engine = make_engine(db_url)
    load_dataset(engine, small_dataset(), source="demo/")
    before = {k: v for k, v in snapshot(engine).items() if not k.startswith("load")}
    report = load_dataset(engine, small_dataset(), source="demo/")
    assert (report.total.inserted, report.total.updated, report.total.unchanged, report.total.deleted) == (0, 0, 13, 0)
    assert {k: v for k, v in snapshot(engine).items() if not k.startswith("load")} == before
    assert _count(engine, "loads") == 2


def test_one_changed_value_is_one_update(db_url: str) -> None:
    engine = make_engine(db_url)
    load_dataset(engine, small_dataset(), source="v1")
    tables = small_tables()
    tables["orientations"] = tables["orientations"].with_columns(
        decision=pl.when(pl.col("referral_id") == "O2").then(pl.lit("REFUSEE")).otherwise(pl.col("decision")),
        decision_date=pl.when(pl.col("referral_id") == "O2").then(date(2024, 2, 15)).otherwise(pl.col("decision_date")),
    )
    tables["personnes"] = tables["personnes"].with_columns(
        priority_area=pl.when(pl.col("person_id") == "P3").then(True).otherwise(pl.col("priority_area"))
    )
    report = load_dataset(engine, dataset(tables), source="v2")
    assert (report.counts["orientations"].updated, report.counts["orientations"].unchanged) == (1, 1)
    assert (report.counts["personnes"].updated, report.counts["personnes"].unchanged) == (1, 2)
    assert report.total.updated == 2 and report.total.inserted == 0
    state = snapshot(engine)
    assert state["referrals"][1] == ("S1", "O2", "P2", date(2024, 2, 1), "SIAO", None, "REFUSEE", date(2024, 2, 15))
    assert state["persons"][2][-1] is True


def test_replace_deletes_rows_gone_from_the_source_of_that_structure_only(db_url: str) -> None:
    engine = make_engine(db_url)
    load_dataset(engine, small_dataset("S1"), source="s1")
    load_dataset(engine, small_dataset("S2"), source="s2")
    tables = small_tables("S1")
    tables["participations"] = tables["participations"].filter(pl.col("person_id") != "P2")
    del tables["jalons"]
    plain = load_dataset(engine, dataset(tables), source="s1 again")
    assert plain.counts["participations"].deleted == 0 and _count(engine, "attendances") == 4
    report = load_dataset(engine, dataset(tables), source="s1 replace", replace=True)
    assert report.counts["participations"].deleted == 1
    assert report.counts["jalons"].deleted == 1
    assert report.counts["personnes"].unchanged == 3
    state = snapshot(engine)
    assert state["attendances"] == [
        ("S1", "SE1", "P1", "PRESENT"), ("S2", "SE1", "P1", "PRESENT"), ("S2", "SE1", "P2", "ABSENT"),
    ]
    assert state["milestones"] == [("S2", "P1", date(2024, 5, 1), "ACCES_LOGEMENT")]
    assert [s[0] for s in state["structures"]] == ["S1", "S2"]
    assert [row[5] for row in state["loads"]] == [False, False, False, True]


def test_failure_in_the_middle_leaves_the_database_as_it_was(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = make_engine(db_url)
    load_dataset(engine, small_dataset("S1"), source="first")
    before = snapshot(engine)
    real_merge = upsert.merge_stage
    calls: list[str] = []

    def failing_merge(conn, table, scope, **options):  # type: ignore[no-untyped-def]
        calls.append(table.name)
        if len(calls) == 3:
            raise RuntimeError("disk on fire")
        return real_merge(conn, table, scope, **options)

    monkeypatch.setattr(upsert, "merge_stage", failing_merge)
    with pytest.raises(RuntimeError, match="disk on fire"):
        load_dataset(engine, small_dataset("S2"), source="second")
    assert calls[:3] == ["structures", "persons", "referrals"]
    assert snapshot(engine) == before
    assert _count(engine, "loads") == 1


def test_constraint_violation_rolls_back_everything(db_url: str) -> None:
    engine = make_engine(db_url)
    before = snapshot(engine)
    tables = small_tables()
    # A null in a NOT NULL column reaches the database only if validation let it through.
    tables["seances"] = tables["seances"].with_columns(session_date=pl.lit(None, pl.Date))
    with pytest.raises(Exception, match="(?i)not null|null value"):
        load_dataset(engine, dataset(tables), source="broken")
    assert snapshot(engine) == before


def test_dry_run_counts_without_writing(db_url: str) -> None:
    engine = make_engine(db_url)
    load_dataset(engine, small_dataset(), source="first")
    before = snapshot(engine)
    tables = small_tables()
    tables["jalons"] = tables["jalons"].with_columns(kind=pl.lit("ACCES_EMPLOI"))
    report = load_dataset(engine, dataset(tables), source="dry", dry_run=True, replace=True)
    assert report.load_id is None and report.dry_run
    assert (report.counts["jalons"].inserted, report.counts["jalons"].deleted) == (1, 1)
    assert report.total.unchanged == 12 and "structures" not in report.counts
    assert snapshot(engine) == before


def test_load_log_records_files_counts_and_warnings(db_url: str) -> None:
    engine = make_engine(db_url)
    files = [
        SourceFile(name="personnes.csv", table="personnes", sha256="a" * 64, rows=3),
        SourceFile(name="export.xlsx!orientations", table="orientations", sha256="b" * 64, rows=2),
    ]
    report = load_dataset(engine, small_dataset(files=files, warnings=[WARNING]), source="/data/s1", pseudonymised=False)
    state = snapshot(engine)
    ((load_id, started, finished, source, structures, replace, pseudonymised),) = state["loads"]
    assert (load_id, source, structures, replace, pseudonymised) == (report.load_id, "/data/s1", "S1", False, False)
    assert started <= finished
    assert state["load_files"] == [
        (1, "export.xlsx!orientations", "orientations", "b" * 64, 2),
        (1, "personnes.csv", "personnes", "a" * 64, 3),
    ]
    counts = {row[1]: row[2:] for row in state["load_table_counts"]}
    assert counts["personnes"] == (3, 0, 0, 0) and counts["participations"] == (2, 0, 0, 0) and len(counts) == 9
    assert state["load_warnings"] == [
        (1, 1, "orientations", 3, "decision", "EN_ATTENTE", "REFERRAL_PENDING",
         "Orientation en attente depuis plus de 90 jours."),
    ]


def test_structure_rows_are_added_only_for_unknown_structures(db_url: str) -> None:
    engine = make_engine(db_url)
    tables = small_tables("S1")
    tables["structures"] = staged("structures", [
        {"structure_id": "S1", "name": "Centre social des Pentes", "type": "CENTRE_SOCIAL", "territory": "Lyon 1er"},
    ])
    first = load_dataset(engine, dataset(tables), source="with structures")
    assert first.counts["structures"].inserted == 1
    again = load_dataset(engine, small_dataset("S1"), source="without structures")
    assert "structures" not in again.counts and again.total.unchanged == 13
    both = dataset({**small_tables("S1"), "jalons": pl.concat([small_tables("S1")["jalons"], small_tables("S3")["jalons"]])})
    third = load_dataset(engine, both, source="S1 and S3")
    assert third.counts["structures"].inserted == 1 and third.counts["jalons"].inserted == 1
    assert snapshot(engine)["structures"] == [
        ("S1", "Centre social des Pentes", "CENTRE_SOCIAL", "Lyon 1er"), ("S3", "S3", None, None),
    ]


def _indexes(engine) -> dict[str, list[str]]:
    names = ("assessments", "attendances", "referrals")
    return {t: sorted(i["name"] for i in inspect(engine).get_indexes(t)) for t in names}


def test_indexes_rebuilt_after_filling_an_empty_table_and_kept_on_failure(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(db_url)
    expected = _indexes(engine)
    assert expected["attendances"] == ["ix_attendances_structure_person"]
    monkeypatch.setattr(upsert, "REBUILD_INDEXES_FROM", 1)
    real_insert = upsert._insert

    def failing_on_attendances(conn, table, frame, advance):  # type: ignore[no-untyped-def]
        if table.name == "attendances":
            raise RuntimeError("failed after the index was dropped")
        real_insert(conn, table, frame, advance)

    monkeypatch.setattr(upsert, "_insert", failing_on_attendances)
    before = snapshot(engine)
    with pytest.raises(RuntimeError):
        load_dataset(engine, small_dataset(), source="fails")
    engine.dispose()
    assert snapshot(engine) == before and _indexes(engine) == expected
    monkeypatch.setattr(upsert, "_insert", real_insert)
    load_dataset(engine, small_dataset(), source="works")
    assert _indexes(engine) == expected and _count(engine, "attendances") == 2


def test_index_drop_as_first_write_is_rolled_back_too(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = make_engine(db_url)
    tables = small_tables()
    evaluations = tables.pop("evaluations")
    load_dataset(engine, dataset(tables), source="without evaluations")
    expected = _indexes(engine)
    monkeypatch.setattr(upsert, "REBUILD_INDEXES_FROM", 1)

    def failing(conn, table, frame, advance):  # type: ignore[no-untyped-def]
        raise RuntimeError("failed right after dropping the index")

    monkeypatch.setattr(upsert, "_insert", failing)
    with pytest.raises(RuntimeError):
        load_dataset(engine, dataset({**tables, "evaluations": evaluations}), source="evaluations added")
    engine.dispose()
    assert _indexes(engine) == expected and _count(engine, "loads") == 1
