"""Passwords, sign-in, throttling, sessions and the audit rows they write, with an injected clock."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session, select

from dashboard.accounts import audit
from dashboard.accounts.passwords import PasswordTooShort, hash_password, verify_password
from dashboard.accounts.signin import BAD, OK, THROTTLED, resolve, sign_in, sign_out
from dashboard.accounts.store import AccountError, add_user, ensure_first_admin, grant, revoke, set_active, set_password
from models.db import make_engine
from models.tables import User
from tests.accounts.conftest import NOW, PASSWORD


def actions(engine: Engine) -> list[tuple[str, str]]:
    rows = audit.events(engine).sort("id")
    return list(zip(rows["actor"], rows["action"], strict=True))


@pytest.fixture
def alice(accounts_db: Engine) -> Engine:
    add_user(accounts_db, "Alice", PASSWORD, actor="cli:op", now=NOW)
    grant(accounts_db, "alice", "staff", ["A1"], actor="cli:op", now=NOW)
    return accounts_db


def test_passwords_are_argon2id_hashes_and_short_ones_are_refused(monkeypatch):
    stored = hash_password(PASSWORD)
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert verify_password(stored, PASSWORD) and not verify_password(stored, PASSWORD + "x")
    assert not verify_password(None, PASSWORD) and not verify_password("not a hash", PASSWORD)
    with pytest.raises(PasswordTooShort):
        hash_password("eleven char")  # 11 < 12, the default
    monkeypatch.setenv("PARCOURS_PASSWORD_MIN_LENGTH", "20")
    with pytest.raises(PasswordTooShort):
        hash_password("x" * 19)
    assert hash_password("x" * 20).startswith("$argon2id$")


def test_account_names_are_plain_and_unique(accounts_db):
    add_user(accounts_db, " Bob ", PASSWORD, actor="t", now=NOW)
    with pytest.raises(AccountError) as exists:
        add_user(accounts_db, "bob", PASSWORD, actor="t", now=NOW)
    assert exists.value.code == "exists"
    with pytest.raises(AccountError) as bad:
        add_user(accounts_db, "bob; drop table users", PASSWORD, actor="t", now=NOW)
    assert bad.value.code == "bad_name"
    with Session(accounts_db) as session:
        assert session.exec(select(User.username)).all() == ["bob"]


def test_sign_in_opens_a_session_with_the_users_scope_and_is_audited(alice):
    outcome = sign_in(alice, "ALICE ", PASSWORD, "10.0.0.1", now=NOW)
    assert outcome.outcome == OK and outcome.token and not outcome.one_time
    signed = resolve(alice, outcome.token, now=NOW + timedelta(minutes=5))
    assert signed is not None and signed.scope.username == "alice"
    assert signed.scope.grants == frozenset({("staff", "A1")})
    rows = audit.events(alice, action=audit.SIGN_IN)
    assert rows["actor"].to_list() == ["alice"] and rows["address"].to_list() == ["10.0.0.1"]
    assert outcome.token not in " ".join(audit.events(alice)["detail"].to_list())  # the token never reaches the log
    assert resolve(alice, "forged-token", now=NOW) is None and resolve(alice, None, now=NOW) is None


def test_failures_are_audited_with_their_reason_and_say_nothing_to_the_user(alice):
    assert sign_in(alice, "alice", "wrong password!", "10.0.0.1", now=NOW).outcome == BAD
    assert sign_in(alice, "nobody", PASSWORD, "10.0.0.1", now=NOW).outcome == BAD
    set_active(alice, "alice", False, actor="admin", now=NOW)
    assert sign_in(alice, "alice", PASSWORD, "10.0.0.1", now=NOW).outcome == BAD  # disabled: same answer
    failed = audit.events(alice, action=audit.SIGN_IN_FAILED).sort("id")
    assert failed["actor"].to_list() == ["alice", "nobody", "alice"]
    assert [json.loads(d)["reason"] for d in failed["detail"]] == ["password", "unknown", "disabled"]
    assert PASSWORD not in " ".join(audit.events(alice)["detail"].to_list())


def test_five_failures_on_an_account_lock_it_for_the_window_even_with_the_right_password(alice):
    for minute in range(5):
        assert sign_in(alice, "alice", "wrong password!", f"10.0.0.{minute}", now=NOW + timedelta(minutes=minute)).outcome == BAD
    assert sign_in(alice, "alice", PASSWORD, "10.0.9.9", now=NOW + timedelta(minutes=5)).outcome == THROTTLED
    assert audit.events(alice, action=audit.SIGN_IN_THROTTLED)["actor"].to_list() == ["alice"]
    # 15 minutes after the first failure it leaves the window: four remain, under five.
    assert sign_in(alice, "alice", PASSWORD, "10.0.9.9", now=NOW + timedelta(minutes=15, seconds=1)).outcome == OK
    # A success clears the account's failures: the next wrong password is the first of a new count.
    assert sign_in(alice, "alice", "wrong password!", "10.0.9.9", now=NOW + timedelta(minutes=16)).outcome == BAD
    assert sign_in(alice, "alice", PASSWORD, "10.0.9.9", now=NOW + timedelta(minutes=16)).outcome == OK


def test_twenty_failures_from_one_address_lock_that_address_for_every_account(alice):
    for i in range(20):
        assert sign_in(alice, f"guess{i}", "whatever password", "192.0.2.7", now=NOW).outcome == BAD
    assert sign_in(alice, "alice", PASSWORD, "192.0.2.7", now=NOW + timedelta(minutes=1)).outcome == THROTTLED
    assert sign_in(alice, "alice", PASSWORD, "192.0.2.8", now=NOW + timedelta(minutes=1)).outcome == OK


def test_the_throttle_holds_across_processes(alice, tmp_path):
    other = make_engine(str(alice.url))  # a second engine on the same file: another app process
    for _ in range(5):
        sign_in(alice, "alice", "wrong password!", "10.0.0.1", now=NOW)
    assert sign_in(other, "alice", PASSWORD, "10.0.0.2", now=NOW).outcome == THROTTLED
    other.dispose()


def test_sessions_end_after_their_lifetime_when_idle_and_at_sign_out(alice):
    token = sign_in(alice, "alice", PASSWORD, "10.0.0.1", now=NOW).token
    for minutes in (29, 58, 87):  # each use within 30 minutes of the last keeps it alive
        assert resolve(alice, token, now=NOW + timedelta(minutes=minutes)) is not None
    assert resolve(alice, token, now=NOW + timedelta(minutes=87 + 30)) is None  # idle 30 minutes
    token = sign_in(alice, "alice", PASSWORD, "10.0.0.1", now=NOW).token
    for minutes in range(20, 8 * 60, 20):
        assert resolve(alice, token, now=NOW + timedelta(minutes=minutes)) is not None
    assert resolve(alice, token, now=NOW + timedelta(hours=8)) is None  # 8 hours after sign-in, however used
    token = sign_in(alice, "alice", PASSWORD, "10.0.0.1", now=NOW).token
    sign_out(alice, token, "10.0.0.1", now=NOW + timedelta(minutes=1))
    assert resolve(alice, token, now=NOW + timedelta(minutes=2)) is None
    assert audit.events(alice, action=audit.SIGN_OUT)["actor"].to_list() == ["alice"]


def test_disabling_or_resetting_ends_sessions_and_a_reset_password_is_one_time(alice):
    token = sign_in(alice, "alice", PASSWORD, "10.0.0.1", now=NOW).token
    set_active(alice, "alice", False, actor="admin", now=NOW)
    assert resolve(alice, token, now=NOW) is None
    set_active(alice, "alice", True, actor="admin", now=NOW)
    token = sign_in(alice, "alice", PASSWORD, "10.0.0.1", now=NOW).token
    set_password(alice, "alice", "a brand new one-time pass", actor="admin", one_time=True, now=NOW)
    assert resolve(alice, token, now=NOW) is None
    fresh = sign_in(alice, "alice", "a brand new one-time pass", "10.0.0.1", now=NOW)
    assert fresh.outcome == OK and fresh.one_time
    assert resolve(alice, fresh.token, now=NOW).one_time  # type: ignore[union-attr]


def test_role_changes_are_audited_with_who_what_and_where(alice):
    grant(alice, "alice", "researcher", ["A2", "B1"], actor="admin", now=NOW)
    revoke(alice, "alice", "researcher", ["B1"], actor="admin", now=NOW)
    token = sign_in(alice, "alice", PASSWORD, "10.0.0.1", now=NOW).token
    assert resolve(alice, token, now=NOW).scope.grants == frozenset({("staff", "A1"), ("researcher", "A2")})  # type: ignore[union-attr]
    rows = audit.events(alice, actor="admin").sort("id")
    assert rows["action"].to_list() == [audit.ROLE_GRANT, audit.ROLE_REVOKE]
    assert rows["structures"].to_list() == ["A2,B1", "B1"]
    assert [json.loads(d) for d in rows["detail"]] == [{"role": "researcher", "user": "alice"}] * 2
    with pytest.raises(AccountError):
        grant(alice, "alice", "superuser", ["A1"], actor="admin", now=NOW)


def test_first_start_creates_one_administrator_with_a_one_time_password(accounts_db):
    password = ensure_first_admin(accounts_db, now=NOW)
    assert password is not None and len(password) >= 16
    assert ensure_first_admin(accounts_db, now=NOW) is None  # once only
    outcome = sign_in(accounts_db, "admin", password, "127.0.0.1", now=NOW)
    assert outcome.outcome == OK and outcome.one_time
    assert resolve(accounts_db, outcome.token, now=NOW).scope.grants == frozenset({("administrator", "*")})  # type: ignore[union-attr]


def test_the_audit_log_refuses_updates_and_deletes(db_url):
    engine = make_engine(db_url)
    audit.record(engine, "admin", audit.EXTRACT, structures=["A1"], now=NOW, figure="referrals", by="month")
    for statement in ("UPDATE audit_events SET actor = 'someone else'", "DELETE FROM audit_events"):
        with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
            conn.execute(text(statement))
    rows = audit.events(engine)
    assert rows["actor"].to_list() == ["admin"]
    assert json.loads(rows["detail"][0]) == {"by": "month", "figure": "referrals"}
    engine.dispose()


def test_single_sign_on_creates_an_account_without_roles_once_and_respects_disabling(accounts_db):
    from dashboard.accounts.signin import sso_sign_in

    add_user(accounts_db, "carol@example.org", PASSWORD, actor="t", now=NOW)  # the e-mail's name is taken
    first = sso_sign_in(accounts_db, "https://idp.example", "u-1", "dan@example.org", "10.0.0.1", now=NOW)
    other = sso_sign_in(accounts_db, "https://idp.example", "u-2", "carol@example.org", "10.0.0.1", now=NOW)
    again = sso_sign_in(accounts_db, "https://idp.example", "u-1", "dan@example.org", "10.0.0.1", now=NOW)
    assert first.outcome == other.outcome == again.outcome == OK
    dan = resolve(accounts_db, again.token, now=NOW)
    assert dan is not None and dan.scope.username == "dan@example.org" and dan.scope.grants == frozenset()
    assert resolve(accounts_db, other.token, now=NOW).scope.username.startswith("sso-")  # type: ignore[union-attr]
    assert audit.events(accounts_db, action=audit.USER_ADD, actor="sso").height == 2  # one per person, once
    set_active(accounts_db, "dan@example.org", False, actor="admin", now=NOW)
    assert sso_sign_in(accounts_db, "https://idp.example", "u-1", None, "10.0.0.1", now=NOW).outcome == BAD
    # A local password never opens an SSO account (it has none).
    assert sign_in(accounts_db, "dan@example.org", "", "10.0.0.1", now=NOW).outcome == BAD
