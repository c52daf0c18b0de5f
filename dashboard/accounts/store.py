"""Users and their role grants in the database. Every change writes an audit row in the same transaction."""

import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from dashboard.accounts import audit
from dashboard.accounts.passwords import hash_password
from dashboard.accounts.roles import ADMINISTRATOR, ALL, ROLES, Scope
from models.tables import AuthSession, RoleGrant, User

_NAME = re.compile(r"[a-z0-9][a-z0-9._@-]{0,63}")
BOOTSTRAP_ADMIN = "admin"


class AccountError(ValueError):
    """A refused account operation; ``code`` names the reason (messages in ``dashboard.strings``)."""

    def __init__(self, code: str, **values: object) -> None:
        super().__init__(code)
        self.code = code
        self.values = values


def normalise(username: str) -> str:
    """The stored form of a sign-in name (lower case, no surrounding spaces); refused when not a plain name."""
    name = username.strip().lower()
    if not _NAME.fullmatch(name):
        raise AccountError("bad_name", name=name[:80])
    return name


def _user(session: Session, username: str) -> User:
    user = session.exec(select(User).where(col(User.username) == normalise(username))).scalars().first()  # type: ignore[call-overload]
    if user is None:
        raise AccountError("no_user", name=normalise(username))
    return user


def _end_sessions(session: Session, user_id: int, now: datetime) -> None:
    session.execute(update(AuthSession).where(col(AuthSession.user_id) == user_id, AuthSession.ended_at.is_(None))  # type: ignore[union-attr]
                    .values(ended_at=now))


def add_user(engine: Engine, username: str, password: str | None, *, actor: str, one_time: bool = False,
             now: datetime | None = None) -> None:
    """Create an account (``password`` None: single sign-on only)."""
    now = now or audit.utcnow()
    name = normalise(username)
    hashed = hash_password(password) if password is not None else None
    with Session(engine) as session:
        session.add(User(username=name, password_hash=hashed, must_change_password=one_time, created_at=now))
        session.add(audit.event(actor, audit.USER_ADD, now=now, user=name))
        try:
            session.commit()
        except IntegrityError:
            raise AccountError("exists", name=name) from None


def set_active(engine: Engine, username: str, active: bool, *, actor: str, now: datetime | None = None) -> None:
    """Disable (ending every session) or enable an account."""
    now = now or audit.utcnow()
    with Session(engine) as session:
        user = _user(session, username)
        user.active = active
        if not active:
            _end_sessions(session, user.id or 0, now)
        session.add(audit.event(actor, audit.USER_ENABLE if active else audit.USER_DISABLE, now=now, user=user.username))
        session.commit()


def set_password(engine: Engine, username: str, password: str, *, actor: str, one_time: bool,
                 now: datetime | None = None) -> None:
    """A new password (reset by an operator: ``one_time``; changed by the user: not); other sessions end."""
    now = now or audit.utcnow()
    hashed = hash_password(password)
    with Session(engine) as session:
        user = _user(session, username)
        user.password_hash, user.must_change_password = hashed, one_time
        if one_time:
            _end_sessions(session, user.id or 0, now)
        action = audit.PASSWORD_RESET if one_time else audit.PASSWORD_CHANGE
        session.add(audit.event(actor, action, now=now, user=user.username))
        session.commit()


def grant(engine: Engine, username: str, role: str, structures: list[str], *, actor: str,
          now: datetime | None = None) -> None:
    """Give ``role`` on each of ``structures`` (``*``: all); granting twice changes nothing."""
    now = now or audit.utcnow()
    if role not in ROLES:
        raise AccountError("bad_role", role=role[:40], roles=", ".join(ROLES))
    if not structures:
        raise AccountError("no_structure")
    with Session(engine) as session:
        user = _user(session, username)
        held = set(session.execute(select(col(RoleGrant.structure_id)).where(col(RoleGrant.user_id) == user.id,
                                                                        col(RoleGrant.role) == role)).scalars())
        new = [s for s in dict.fromkeys(structures) if s not in held]
        session.add_all(RoleGrant(user_id=user.id or 0, role=role, structure_id=s, granted_at=now, granted_by=actor)
                        for s in new)
        session.add(audit.event(actor, audit.ROLE_GRANT, structures=new, now=now, user=user.username, role=role))
        session.commit()


def revoke(engine: Engine, username: str, role: str, structures: list[str], *, actor: str,
           now: datetime | None = None) -> None:
    """Take ``role`` away on each of ``structures`` (``*`` removes the all-structures grant only)."""
    now = now or audit.utcnow()
    with Session(engine) as session:
        user = _user(session, username)
        session.execute(delete(RoleGrant).where(RoleGrant.user_id == user.id, RoleGrant.role == role,  # type: ignore[arg-type]
                                                RoleGrant.structure_id.in_(structures)))  # type: ignore[attr-defined]
        session.add(audit.event(actor, audit.ROLE_REVOKE, structures=structures, now=now, user=user.username, role=role))
        session.commit()


@dataclass(frozen=True)
class Account:
    username: str
    active: bool
    one_time: bool
    sso: bool
    grants: tuple[tuple[str, str], ...]


def accounts(engine: Engine) -> list[Account]:
    """Every account with its grants, by name."""
    with Session(engine) as session:
        users = session.exec(select(User).order_by(User.username)).scalars().all()  # type: ignore[call-overload]
        grants = session.exec(select(RoleGrant).order_by(RoleGrant.role, RoleGrant.structure_id)).scalars().all()  # type: ignore[call-overload]
    by_user: dict[int, list[tuple[str, str]]] = {}
    for g in grants:
        by_user.setdefault(g.user_id, []).append((g.role, g.structure_id))
    return [Account(u.username, u.active, u.must_change_password, u.oidc_subject is not None,
                    tuple(by_user.get(u.id or 0, []))) for u in users]


def scope_of(session: Session, user: User) -> Scope:
    grants = session.exec(select(RoleGrant.role, RoleGrant.structure_id).where(RoleGrant.user_id == user.id)).all()  # type: ignore[call-overload]
    return Scope(user.username, frozenset((r, s) for r, s in grants))


def ensure_first_admin(engine: Engine, now: datetime | None = None) -> str | None:
    """On a database without any account, create ``admin`` (administrator of every structure) with a one-time
    password, and return that password for the operator's terminal; None when accounts exist."""
    with Session(engine) as session:
        if session.exec(select(func.count()).select_from(User)).scalar():  # type: ignore[call-overload]
            return None
    password = secrets.token_urlsafe(12)
    try:
        add_user(engine, BOOTSTRAP_ADMIN, password, actor="bootstrap", one_time=True, now=now)
    except AccountError:  # another process created it first
        return None
    grant(engine, BOOTSTRAP_ADMIN, ADMINISTRATOR, [ALL], actor="bootstrap", now=now)
    return password
