"""Each load records the quality of the export it read, and the age of the rows it first brought; a reload
brings nothing new and records no arrival (loads stay idempotent); a dry run records nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from etl.dataset import read_and_validate
from etl.load import load_dataset
from models.db import make_engine
from models.tables import LoadQuality, Referral

PERSONS = "structure_id,personne_id,sexe,annee_naissance\nS1,P1,F,1980\nS1,P2,M,1975\nS1,P3,,1990\n"
REFERRALS = (
    "structure_id,orientation_id,personne_id,date_orientation,source,dispositif,decision,date_decision\n"
    "S1,O1,P1,2020-01-10,AS_SECTEUR,HEBERGEMENT_INSERTION,EN_ATTENTE,\n"
    "S1,O2,P2,2020-02-01,AS_SECTEUR,HEBERGEMENT_INSERTION,ACCEPTEE,2020-02-03\n"
)
SUPPORTS = (
    "structure_id,accompagnement_id,personne_id,dispositif,date_entree,date_sortie,motif_sortie,logement_sortie,"
    "emploi_sortie\n"
    "S1,A1,P1,HEBERGEMENT_INSERTION,2020-01-01,2020-06-01,ACCES_SOLUTION,,EMPLOI_DURABLE\n"
    "S1,A2,P2,HEBERGEMENT_INSERTION,2020-01-01,,,,\n"
)
NEW_REFERRAL = "S1,O3,P3,2020-03-01,AS_SECTEUR,HEBERGEMENT_INSERTION,ACCEPTEE,2020-03-02\n"


def write_export(folder: Path, extra_referral: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "personnes.csv").write_text(PERSONS, encoding="utf-8")
    (folder / "orientations.csv").write_text(REFERRALS + extra_referral, encoding="utf-8")
    (folder / "accompagnements.csv").write_text(SUPPORTS, encoding="utf-8")
    return folder


def load(engine: Engine, folder: Path, *, dry_run: bool = False) -> int | None:
    dataset = read_and_validate(folder)
    assert dataset.ok, dataset.errors
    return load_dataset(engine, dataset, source=folder.name, dry_run=dry_run).load_id


def measures(engine: Engine, load_id: int) -> dict[str, tuple[int, int]]:
    table = LoadQuality.__table__  # type: ignore[attr-defined]
    with engine.connect() as conn:
        found = conn.execute(select(table.c.measure, table.c.rows, table.c.total)
                             .where(table.c.load_id == load_id, table.c.structure_id == "S1")).all()
    return {m: (r, t) for m, r, t in found}


@pytest.fixture
def engine(db_url: str) -> Engine:
    """SQLite, and a real PostgreSQL (``tests/conftest.py``'s ``db_url``)."""
    return make_engine(db_url)


def test_a_load_records_content_and_arrivals(engine: Engine, tmp_path: Path) -> None:
    first = load(engine, write_export(tmp_path / "v1"))
    assert first is not None
    found = measures(engine, first)
    assert found["missing:persons.sex"] == (1, 3)
    assert found["missing:persons.birth_year"] == (0, 3)
    assert found["rule:REFERRAL_PENDING"] == (1, 2)  # O1, pending since 2020 whatever the day of the load
    assert found["rule:EXIT_WITHOUT_DESTINATION"] == (1, 1)
    assert found["missing:support_periods.exit_housing"] == (1, 1)
    assert found["missing:referrals.decision_date"] == (0, 1)  # only O2 is decided
    assert found["timely:referrals"] == (0, 2)  # dated 2020: both late, whatever today is
    assert found["timely:support_periods"] == (0, 2)


def test_a_reload_brings_no_arrival_and_the_same_content(engine: Engine, tmp_path: Path) -> None:
    folder = write_export(tmp_path / "v1")
    first, second = load(engine, folder), load(engine, folder)
    assert first is not None and second is not None
    before, after = measures(engine, first), measures(engine, second)
    assert {m: v for m, v in after.items() if not m.startswith(("timely:", "lag:"))} == \
        {m: v for m, v in before.items() if not m.startswith(("timely:", "lag:"))}
    assert [m for m in after if m.startswith(("timely:", "lag:"))] == []
    third = load(engine, write_export(tmp_path / "v2", NEW_REFERRAL))
    assert third is not None
    assert measures(engine, third)["timely:referrals"] == (0, 1)  # only O3 is new
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Referral)).scalar() == 3


def test_a_dry_run_records_nothing(engine: Engine, tmp_path: Path) -> None:
    assert load(engine, write_export(tmp_path / "v1"), dry_run=True) is None
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(LoadQuality)).scalar() == 0
