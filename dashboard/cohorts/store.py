"""Saved cohorts: a name, a definition and the definitions version, in the database (``saved_cohorts``)."""

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlmodel import Session, select

from dashboard.cohorts.definition import Cohort
from models.tables import SavedCohort


@dataclass(frozen=True)
class Saved:
    name: str
    cohort: Cohort
    definitions_version: int
    created_at: datetime


def save(engine: Engine, cohort: Cohort, definitions_version: int, created_by: str | None = None) -> None:
    """Save ``cohort`` under its name, replacing a cohort saved under the same name."""
    if not cohort.name.strip():
        raise ValueError("a saved cohort needs a name")
    with Session(engine) as session:
        found = session.exec(select(SavedCohort).where(SavedCohort.name == cohort.name)).first()
        row = found or SavedCohort(name=cohort.name, definition="", definitions_version=0,
                                   created_at=datetime.now(UTC))
        row.definition = cohort.to_json(definitions_version)
        row.definitions_version = definitions_version
        row.created_at = datetime.now(UTC)
        row.created_by = created_by
        session.add(row)
        session.commit()


def saved(engine: Engine) -> list[Saved]:
    """Every saved cohort, by name."""
    with Session(engine) as session:
        rows = session.exec(select(SavedCohort).order_by(SavedCohort.name)).all()
    out = []
    for row in rows:
        cohort, version = Cohort.from_json(row.definition)
        out.append(Saved(row.name, cohort.with_(name=row.name), version, row.created_at))
    return out


def delete(engine: Engine, name: str) -> bool:
    with Session(engine) as session:
        found = session.exec(select(SavedCohort).where(SavedCohort.name == name)).first()
        if found is None:
            return False
        session.delete(found)
        session.commit()
        return True
