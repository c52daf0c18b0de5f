"""Small hand-written datasets for metric tests, read back through the real path.

``make_data(tmp_path, persons=[...], referrals=[...], ...)`` writes the rows
into a fresh SQLite database (``models.db.make_engine``) and returns
``dashboard.data.read_data`` of it, so ``pid``, ``first_contact``, ``age``
and ``age_band`` are derived exactly as in production.

Rows are dicts with the model's (English) column names. To keep tests short:
- ``structure_id`` defaults to ``"S1"``;
- dates may be written as ``"2024-03-15"`` strings;
- missing columns are null (or the model default, e.g. decision EN_ATTENTE);
- missing row ids (``referral_id``, ``support_id``, ``session_id``) are
  numbered ``R1``, ``A1``, ``SE1``... in the order given;
- structures and persons referenced by other rows but not listed are
  created with null attributes (a person's ``sex``, ``birth_year``... are
  then unknown);
- ``domain_readings={"LOGEMENT": ("STRATEGIQUE", None)}`` overrides the
  seeded reading of a domain (the rest keep the defaults);
- a workshop referenced by a session but not listed is created with
  category ``AUTRE`` and its id as name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, insert
from sqlmodel import SQLModel

from dashboard.data import Data, read_data
from models.db import make_engine
from models.tables import (
    Assessment,
    Attendance,
    DomainReading,
    Milestone,
    Person,
    Referral,
    Structure,
    SupportPeriod,
    Workshop,
    WorkshopSession,
)

Row = Mapping[str, Any]

_ID_PREFIX = {Referral: ("referral_id", "R"), SupportPeriod: ("support_id", "A"), WorkshopSession: ("session_id", "SE")}


def _complete(model: type[SQLModel], rows: Iterable[Row]) -> list[dict[str, Any]]:
    """Every column present, dates parsed, defaults and generated ids filled."""
    table = model.__table__  # type: ignore[attr-defined]
    done: list[dict[str, Any]] = []
    for index, row in enumerate(rows, start=1):
        unknown = set(row) - set(table.columns.keys())
        if unknown:
            raise ValueError(f"{table.name}: unknown column(s) {sorted(unknown)}")
        full: dict[str, Any] = {}
        for column in table.columns:
            value = row.get(column.name)
            if value is None and column.name == "structure_id":
                value = "S1"
            if value is None and model in _ID_PREFIX and _ID_PREFIX[model][0] == column.name:
                value = f"{_ID_PREFIX[model][1]}{index}"
            if value is None and column.default is not None and not callable(column.default.arg):
                value = column.default.arg
            if isinstance(value, str) and column.type.python_type is date:
                value = date.fromisoformat(value)
            full[column.name] = value
        done.append(full)
    return done


def write_rows(
    engine: Engine,
    *,
    structures: Iterable[Row] = (),
    persons: Iterable[Row] = (),
    referrals: Iterable[Row] = (),
    support_periods: Iterable[Row] = (),
    assessments: Iterable[Row] = (),
    workshops: Iterable[Row] = (),
    sessions: Iterable[Row] = (),
    attendances: Iterable[Row] = (),
    milestones: Iterable[Row] = (),
    domain_readings: Mapping[str, tuple[str, str | None]] | None = None,
) -> None:
    """Insert the rows (completed as described in the module docstring)."""
    tables: dict[type[SQLModel], list[dict[str, Any]]] = {
        Referral: _complete(Referral, referrals),
        SupportPeriod: _complete(SupportPeriod, support_periods),
        Assessment: _complete(Assessment, assessments),
        WorkshopSession: _complete(WorkshopSession, sessions),
        Attendance: _complete(Attendance, attendances),
        Milestone: _complete(Milestone, milestones),
    }
    person_rows = _complete(Person, persons)
    known = {(p["structure_id"], p["person_id"]) for p in person_rows}
    for model in (Referral, SupportPeriod, Assessment, Attendance, Milestone):
        for row in tables[model]:
            key = (row["structure_id"], row["person_id"])
            if key not in known:
                known.add(key)
                person_rows.append(_complete(Person, [{"structure_id": key[0], "person_id": key[1]}])[0])
    workshop_rows = _complete(Workshop, workshops)
    known_workshops = {(w["structure_id"], w["workshop_id"]) for w in workshop_rows}
    for row in tables[WorkshopSession]:
        key = (row["structure_id"], row["workshop_id"])
        if key not in known_workshops:
            known_workshops.add(key)
            workshop_rows.append(_complete(Workshop, [{"structure_id": key[0], "workshop_id": key[1],
                                                      "name": key[1], "category": "AUTRE"}])[0])
    structure_rows = _complete(Structure, structures)
    known_structures = {s["structure_id"] for s in structure_rows}
    for structure_id in sorted({p["structure_id"] for p in person_rows} | {w["structure_id"] for w in workshop_rows}):
        if structure_id not in known_structures:
            structure_rows.append(_complete(Structure, [{"structure_id": structure_id, "name": f"Structure {structure_id}"}])[0])

    ordered: list[tuple[type[SQLModel], list[dict[str, Any]]]] = [
        (Structure, structure_rows), (Person, person_rows), (Workshop, workshop_rows),
        *((model, tables[model]) for model in (Referral, SupportPeriod, Assessment, WorkshopSession, Attendance, Milestone)),
    ]
    with engine.begin() as conn:
        for model, rows in ordered:
            if rows:
                conn.execute(insert(model.__table__), rows)  # type: ignore[attr-defined]
        for domain, (kind, pillar) in (domain_readings or {}).items():
            conn.execute(delete(DomainReading.__table__).where(DomainReading.__table__.c.domain == domain))  # type: ignore[attr-defined]
            conn.execute(insert(DomainReading.__table__), [{"domain": domain, "kind": kind, "pillar": pillar}])  # type: ignore[attr-defined]


def make_db(path: Path | str, **rows: Any) -> str:
    """A fresh SQLite file at ``path`` holding ``rows``; returns its URL."""
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    try:
        write_rows(engine, **rows)
    finally:
        engine.dispose()
    return url


def make_data(tmp_path: Path, **rows: Any) -> Data:
    """``Data`` read back from a fresh SQLite database holding ``rows``.

    ``tmp_path`` is pytest's per-test directory; each call makes a new file.
    """
    tmp_path.mkdir(parents=True, exist_ok=True)
    index = len(list(tmp_path.glob("fixture-*.db")))
    engine = make_engine(f"sqlite:///{tmp_path / f'fixture-{index}.db'}")
    try:
        write_rows(engine, **rows)
        return read_data(engine)
    finally:
        engine.dispose()


KEY_HELPERS = ("_ck_", "_pn_", "_pk_", "_sum_")


def without_keys(frame: Any) -> Any:
    """The frame without the cell-key helpers (tested on their own in ``tests/metrics/test_cell_keys.py``)."""
    return frame.select([c for c in frame.columns if not c.startswith(KEY_HELPERS)])


def rows(frame: Any, digits: int = 4) -> list[tuple[Any, ...]]:
    """The frame's rows as tuples without cell-key helpers, floats rounded to ``digits`` (for exact comparisons)."""
    return [tuple(round(v, digits) if isinstance(v, float) else v for v in row) for row in without_keys(frame).rows()]
