"""The append-only audit log: who signed in (or failed to), loaded, extracted, downloaded, changed an account.

Rows are only ever inserted (the database refuses UPDATE and DELETE, see ``models.tables.AuditEvent``).
Parameters go to ``detail`` as JSON; never a password, a token or a person's id.
"""

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import polars as pl
from sqlalchemy import Engine, select
from sqlmodel import Session, col

from models.tables import AuditEvent

SIGN_IN, SIGN_IN_FAILED, SIGN_IN_THROTTLED, SIGN_OUT = "SIGN_IN", "SIGN_IN_FAILED", "SIGN_IN_THROTTLED", "SIGN_OUT"
USER_ADD, USER_DISABLE, USER_ENABLE, PASSWORD_RESET = "USER_ADD", "USER_DISABLE", "USER_ENABLE", "PASSWORD_RESET"
PASSWORD_CHANGE, ROLE_GRANT, ROLE_REVOKE = "PASSWORD_CHANGE", "ROLE_GRANT", "ROLE_REVOKE"
LOAD, EXTRACT, DOWNLOAD, REPORT, ERASURE = "LOAD", "EXTRACT", "DOWNLOAD", "REPORT", "ERASURE"
ACTIONS = (SIGN_IN, SIGN_IN_FAILED, SIGN_IN_THROTTLED, SIGN_OUT, USER_ADD, USER_DISABLE, USER_ENABLE,
           PASSWORD_RESET, PASSWORD_CHANGE, ROLE_GRANT, ROLE_REVOKE, LOAD, EXTRACT, DOWNLOAD, REPORT, ERASURE)
COLUMNS = ("id", "at", "actor", "action", "address", "structures", "detail")


def utcnow() -> datetime:
    """Now, in UTC (timestamps of the database are time-zone aware)."""
    return datetime.now(UTC)


def event(actor: str, action: str, *, address: str | None = None, structures: Iterable[str] = (),
          now: datetime | None = None, **detail: object) -> AuditEvent:
    """An audit row, to add to the session of the action it records (one transaction for both)."""
    return AuditEvent(at=now or utcnow(), actor=actor[:200], action=action, address=address,
                      structures=",".join(sorted(set(structures))) or None,
                      detail=json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str))


def record(engine: Engine, actor: str, action: str, *, address: str | None = None, structures: Iterable[str] = (),
           now: datetime | None = None, **detail: Any) -> None:
    """Write one audit row in its own transaction (loads, extracts, downloads: call it once the action is done)."""
    with Session(engine) as session:
        session.add(event(actor, action, address=address, structures=structures, now=now, **detail))
        session.commit()


def events(engine: Engine, *, actor: str = "", action: str = "", since: datetime | None = None,
           until: datetime | None = None, limit: int = 5000) -> pl.DataFrame:
    """Audit rows, newest first, filtered (exact actor and action; ``since`` inclusive, ``until`` exclusive)."""
    query = select(*(getattr(AuditEvent, c) for c in COLUMNS)).order_by(AuditEvent.id.desc())  # type: ignore[union-attr]
    if actor:
        query = query.where(col(AuditEvent.actor) == actor)
    if action:
        query = query.where(col(AuditEvent.action) == action)
    if since is not None:
        query = query.where(col(AuditEvent.at) >= since)
    if until is not None:
        query = query.where(col(AuditEvent.at) < until)
    with engine.connect() as conn:
        rows = conn.execute(query.limit(limit)).all()
    schema: dict[str, pl.DataType | type[pl.DataType]] = {
        "id": pl.Int64, "at": pl.Datetime("us"), "actor": pl.String, "action": pl.String, "address": pl.String,
        "structures": pl.String, "detail": pl.String,
    }
    return pl.DataFrame([tuple(r) for r in rows], schema=schema, orient="row")
