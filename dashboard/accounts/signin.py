"""Sign-in with a local password, throttling after repeated failures, sessions that expire, sign-out.

Failures are stored in the database (``sign_in_failures``), so that the throttle holds across app processes
and restarts: after ``ACCOUNT_FAILURES`` failures on one name, or ``ADDRESS_FAILURES`` from one address,
within ``PARCOURS_SIGNIN_LOCKOUT_MINUTES``, sign-in is refused without checking the password until the
oldest counted failure leaves that window. A success clears the name's failures.

A session is a random token kept in the browser session's server-side state; the database stores its
SHA-256 only. It ends at sign-out, after ``PARCOURS_SESSION_HOURS``, after ``PARCOURS_SESSION_IDLE_MINUTES``
without use, or when the account is disabled or its password reset. Every function takes ``now`` so that
tests drive the clock.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, delete, func, select
from sqlmodel import Session, col

from dashboard.accounts import audit
from dashboard.accounts.passwords import verify_password
from dashboard.accounts.roles import Scope
from dashboard.accounts.store import AccountError, normalise, scope_of
from models.settings import get_setting
from models.tables import AuthSession, SignInFailure, User

ACCOUNT_FAILURES = 5
ADDRESS_FAILURES = 20
OK, BAD, THROTTLED = "ok", "bad", "throttled"
_TOUCH = timedelta(minutes=1)  # last_seen_at is written at most once a minute per session


def _minutes(name: str, default: int) -> timedelta:
    try:
        return timedelta(minutes=max(1, int(float(get_setting(name)) * (60 if name.endswith("HOURS") else 1))))
    except ValueError:
        return timedelta(minutes=default)


def lockout() -> timedelta:
    return _minutes("PARCOURS_SIGNIN_LOCKOUT_MINUTES", 15)


@dataclass(frozen=True)
class SignIn:
    """The outcome: ``OK`` with a session token, ``BAD`` (wrong name or password, or disabled), ``THROTTLED``."""

    outcome: str
    token: str | None = None
    one_time: bool = False


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _failures(session: Session, column: Any, value: str, since: datetime) -> int:
    query = select(func.count()).select_from(SignInFailure).where(col(column) == value, col(SignInFailure.at) >= since)
    return int(session.exec(query).scalar() or 0)  # type: ignore[call-overload]


def sign_in(engine: Engine, username: str, password: str, address: str, now: datetime | None = None) -> SignIn:
    """Check a name and password; on success open a session. Every attempt writes an audit row."""
    now = now or audit.utcnow()
    try:
        name = normalise(username)
    except AccountError:
        name = username.strip().lower()[:64]
    since = now - lockout()
    with Session(engine) as session:
        if (_failures(session, SignInFailure.username, name, since) >= ACCOUNT_FAILURES
                or _failures(session, SignInFailure.address, address, since) >= ADDRESS_FAILURES):
            session.add(audit.event(name, audit.SIGN_IN_THROTTLED, address=address, now=now))
            session.commit()
            return SignIn(THROTTLED)
        user = session.exec(select(User).where(col(User.username) == name)).scalars().first()  # type: ignore[call-overload]
        valid = verify_password(user.password_hash if user else None, password)
        if user is None or not valid or not user.active:
            session.add(SignInFailure(username=name, address=address, at=now))
            reason = "unknown" if user is None else ("disabled" if valid else "password")
            session.add(audit.event(name, audit.SIGN_IN_FAILED, address=address, now=now, reason=reason))
            session.commit()
            return SignIn(BAD)
        session.execute(delete(SignInFailure).where(SignInFailure.username == name))  # type: ignore[arg-type]
        token = secrets.token_urlsafe(32)
        session.add(AuthSession(token_hash=_digest(token), user_id=user.id or 0, created_at=now, last_seen_at=now,
                                expires_at=now + _minutes("PARCOURS_SESSION_HOURS", 8 * 60)))
        session.add(audit.event(name, audit.SIGN_IN, address=address, now=now, method="password"))
        one_time = user.must_change_password
        session.commit()
    return SignIn(OK, token, one_time)


@dataclass(frozen=True)
class Signed:
    """A live session: its user's scope, and whether they must first replace a one-time password."""

    scope: Scope
    one_time: bool


def resolve(engine: Engine, token: str | None, now: datetime | None = None) -> Signed | None:
    """The session of ``token`` if it is still valid (the user active, neither expired, idle nor ended)."""
    if not token:
        return None
    now = now or audit.utcnow()
    with Session(engine) as session:
        found = session.get(AuthSession, _digest(token))
        if found is None or found.ended_at is not None or now >= found.expires_at:
            return None
        if now - found.last_seen_at >= _minutes("PARCOURS_SESSION_IDLE_MINUTES", 30):
            return None
        user = session.get(User, found.user_id)
        if user is None or not user.active:
            return None
        if now - found.last_seen_at >= _TOUCH:
            found.last_seen_at = now
        signed = Signed(scope_of(session, user), user.must_change_password)
        session.commit()
    return signed


def sign_out(engine: Engine, token: str | None, address: str | None = None, now: datetime | None = None) -> None:
    """End the session of ``token`` (nothing when it is unknown or ended)."""
    if not token:
        return
    now = now or audit.utcnow()
    with Session(engine) as session:
        found = session.get(AuthSession, _digest(token))
        if found is None or found.ended_at is not None:
            return
        found.ended_at = now
        user = session.get(User, found.user_id)
        session.add(audit.event(user.username if user else "?", audit.SIGN_OUT, address=address, now=now))
        session.commit()


def sso_sign_in(engine: Engine, issuer: str, subject: str, email: str | None, address: str,
                now: datetime | None = None) -> SignIn:
    """Open a session for a person the identity provider vouched for (OpenID Connect ``iss`` and ``sub``).

    The first time, an account is created without any role: it sees no figure until an administrator grants
    one (the audit log shows the creation). A disabled account is refused like a wrong password.
    """
    now = now or audit.utcnow()
    key = f"{issuer}|{subject}"
    with Session(engine) as session:
        user = session.exec(select(User).where(col(User.oidc_subject) == key)).scalars().first()  # type: ignore[call-overload]
        if user is None:
            name = "sso-" + hashlib.sha256(key.encode()).hexdigest()[:10]
            try:
                wanted = normalise(email or "")
                if not session.exec(select(User).where(col(User.username) == wanted)).scalars().first():  # type: ignore[call-overload]
                    name = wanted
            except AccountError:
                pass
            user = User(username=name, oidc_subject=key, created_at=now)
            session.add(user)
            session.add(audit.event("sso", audit.USER_ADD, address=address, now=now, user=name, issuer=issuer))
            session.flush()
        if not user.active:
            session.add(audit.event(user.username, audit.SIGN_IN_FAILED, address=address, now=now, reason="disabled",
                                    method="oidc"))
            session.commit()
            return SignIn(BAD)
        token = secrets.token_urlsafe(32)
        session.add(AuthSession(token_hash=_digest(token), user_id=user.id or 0, created_at=now, last_seen_at=now,
                                expires_at=now + _minutes("PARCOURS_SESSION_HOURS", 8 * 60)))
        session.add(audit.event(user.username, audit.SIGN_IN, address=address, now=now, method="oidc", issuer=issuer))
        session.commit()
    return SignIn(OK, token)
