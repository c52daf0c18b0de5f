"""``python -m etl forget --structure S --person ID``: the right to erasure, at a structure's request.

Every row of the person at that structure goes (persons, referrals, support periods, assessments,
attendances, milestones), with the load warnings that quote their id; the dashboard's snapshot changes
version with the person count, so no page keeps them. The audit log keeps only that an erasure happened
(structure, actor, rows removed), never the person's id. On SQLite the file is then vacuumed, so the rows do
not linger in free pages; on PostgreSQL, autovacuum reclaims them.
"""

from __future__ import annotations

import argparse
import getpass
import json
import shutil
import sys
from datetime import UTC, datetime

from sqlalchemy import Engine, delete, select, text
from sqlmodel import col

from etl.terminal import printable
from models.db import make_engine, snapshot_base
from models.tables import (
    Assessment,
    Attendance,
    AuditEvent,
    Load,
    LoadWarning,
    Milestone,
    Person,
    Referral,
    SupportPeriod,
)

# Children before the person.
PERSON_TABLES = (Attendance, Milestone, Assessment, SupportPeriod, Referral, Person)
_MESSAGES = {
    "unknown": ("Aucune personne {person} à la structure {structure} : rien n'est effacé.",
                "No person {person} at structure {structure}: nothing erased."),
    "done": ("Effacé : {rows} ligne(s) de la personne à {structure} ; le journal d'audit garde la trace de "
             "l'effacement, sans l'identifiant.",
             "Erased: {rows} row(s) of the person at {structure}; the audit log records the erasure, without the id."),
}


def _say(key: str, lang: str, **values: object) -> str:
    fr, en = _MESSAGES[key]
    return (en if lang == "en" else fr).format(**values)


def forget(engine: Engine, structure: str, person: str, actor: str) -> dict[str, int] | None:
    """Erase ``person`` at ``structure`` in one transaction; rows removed per table (None: no such person)."""
    removed: dict[str, int] = {}
    with engine.begin() as conn:
        found = conn.execute(select(col(Person.structure_id)).where(col(Person.structure_id) == structure,
                                                                    col(Person.person_id) == person)).first()
        if found is None:
            return None
        for model in PERSON_TABLES:
            # SQLModel's types do not declare the __table__ each table model gets.
            table = model.__table__  # type: ignore[union-attr]
            done = conn.execute(delete(table).where(table.c.structure_id == structure, table.c.person_id == person))
            removed[table.name] = done.rowcount
        loads = [row.id for row in conn.execute(select(col(Load.id), col(Load.structures)))
                 if structure in (s.strip() for s in row.structures.split(","))]
        warnings = LoadWarning.__table__  # type: ignore[attr-defined]
        done = conn.execute(delete(warnings).where(warnings.c.load_id.in_(loads), warnings.c.value == person))
        removed[warnings.name] = done.rowcount
        conn.execute(AuditEvent.__table__.insert().values(  # type: ignore[attr-defined]
            at=datetime.now(UTC), actor=actor, action="ERASURE", structures=structure,
            detail=json.dumps({"rows": sum(removed.values())})))
    if engine.url.get_backend_name() == "sqlite":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM"))
            conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))  # old pages must not stay in the write-ahead log
    # The dashboard's on-disk snapshots hold the person's rows too: remove them all (the app rebuilds on next use).
    base = snapshot_base(engine)
    if base is not None and base.is_dir():
        shutil.rmtree(base, ignore_errors=True)
    return removed


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("forget", parents=[common],
                            help="effacer une personne (droit à l'effacement) / erase a person (right to erasure)")
    parser.add_argument("--structure", required=True, help="structure_id")
    parser.add_argument("--person", required=True, help="personne_id, as stored (pseudonymised if it was)")


def run(args: argparse.Namespace) -> int:
    engine = make_engine()
    removed = forget(engine, args.structure, args.person, f"cli:{getpass.getuser()}")
    if removed is None:
        print(printable(_say("unknown", args.lang, person=args.person, structure=args.structure)), file=sys.stderr)
        return 2
    print(printable(_say("done", args.lang, rows=sum(removed.values()), structure=args.structure)))
    return 0
