"""Small hand-written datasets, staged as the read side hands them over, and
a database snapshot to compare states before and after a load."""

from __future__ import annotations

from datetime import date

import polars as pl
from sqlalchemy import Engine, select
from sqlmodel import SQLModel

from etl.dataset import Problem, SourceFile, ValidatedDataset
from etl.upsert import conform

D = date.fromisoformat


def staged(table: str, rows: list[dict]) -> pl.DataFrame:
    """Rows with project column names -> a staged frame with ``_line``."""
    frame = conform(table, pl.DataFrame(rows, infer_schema_length=None))
    return frame.with_columns(pl.int_range(2, frame.height + 2, dtype=pl.Int64).alias("_line"))


def small_tables(structure: str = "S1") -> dict[str, pl.DataFrame]:
    s = structure
    return {
        "personnes": staged("personnes", [
            {"structure_id": s, "person_id": "P1", "sex": "F", "birth_year": 1980, "household": "PARENT_ISOLE",
             "territory": "Lyon 8e", "priority_area": True},
            {"structure_id": s, "person_id": "P2", "sex": "M", "birth_year": 1995, "priority_area": False},
            {"structure_id": s, "person_id": "P3"},
        ]),
        "orientations": staged("orientations", [
            {"structure_id": s, "referral_id": "O1", "person_id": "P1", "referral_date": D("2024-01-10"),
             "source": "SPIP", "program": "HEBERGEMENT_INSERTION", "decision": "ACCEPTEE",
             "decision_date": D("2024-01-20")},
            {"structure_id": s, "referral_id": "O2", "person_id": "P2", "referral_date": D("2024-02-01"),
             "source": "SIAO", "decision": "EN_ATTENTE"},
        ]),
        "accompagnements": staged("accompagnements", [
            {"structure_id": s, "support_id": "A1", "person_id": "P1", "referral_id": "O1",
             "program": "HEBERGEMENT_INSERTION", "entry_date": D("2024-01-21"), "exit_date": D("2024-06-30"),
             "exit_reason": "OBJECTIF_ATTEINT", "exit_housing": "LOGEMENT_AUTONOME", "exit_employment": "EMPLOI_DURABLE"},
        ]),
        "evaluations": staged("evaluations", [
            {"structure_id": s, "person_id": "P1", "assessment_date": D("2024-01-21"), "domain": "LOGEMENT", "level": 1},
            {"structure_id": s, "person_id": "P1", "assessment_date": D("2024-06-01"), "domain": "LOGEMENT", "level": 4},
        ]),
        "ateliers": staged("ateliers", [
            {"structure_id": s, "workshop_id": "W1", "name": "Couture", "category": "VIE_QUOTIDIENNE",
             "modality": "COLLECTIF", "facilitator": "INTERNE", "co_constructed": True},
        ]),
        "seances": staged("seances", [
            {"structure_id": s, "session_id": "SE1", "workshop_id": "W1", "session_date": D("2024-03-01"),
             "duration_minutes": 120},
        ]),
        "participations": staged("participations", [
            {"structure_id": s, "session_id": "SE1", "person_id": "P1", "presence": "PRESENT"},
            {"structure_id": s, "session_id": "SE1", "person_id": "P2", "presence": "ABSENT"},
        ]),
        "jalons": staged("jalons", [
            {"structure_id": s, "person_id": "P1", "milestone_date": D("2024-05-01"), "kind": "ACCES_LOGEMENT"},
        ]),
    }


WARNING = Problem(
    table="orientations", file="orientations.csv", line=3, column="decision", value="EN_ATTENTE",
    code="REFERRAL_PENDING", message="Orientation en attente depuis plus de 90 jours.",
)


def dataset(tables: dict[str, pl.DataFrame], *, warnings: list[Problem] | None = None,
            files: list[SourceFile] | None = None) -> ValidatedDataset:
    structures = sorted({s for f in tables.values() for s in f["structure_id"].unique().to_list()})
    return ValidatedDataset(tables=tables, files=files or [], errors=[], warnings=warnings or [], structures=structures)


def small_dataset(structure: str = "S1", **kwargs) -> ValidatedDataset:  # type: ignore[no-untyped-def]
    return dataset(small_tables(structure), **kwargs)


def snapshot(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of every table, sorted, as Python values."""
    with engine.connect() as conn:
        return {
            name: sorted((tuple(row) for row in conn.execute(select(table))), key=repr)
            for name, table in SQLModel.metadata.tables.items()
        }
