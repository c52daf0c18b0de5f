"""``python -m dashboard users ...`` as an operator runs it: passwords from standard input or generated, never
from the arguments; every change in the audit log; errors exit 2 with a message, no traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from sqlalchemy import Engine

from dashboard.accounts import audit
from dashboard.accounts.signin import OK, resolve, sign_in
from tests.accounts.conftest import ROOT


def users(engine: Engine, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PARCOURS_TEST_ROLE"} | {
        "DATABASE_URL": str(engine.url), "PARCOURS_LANG": "en"}
    return subprocess.run([sys.executable, "-m", "dashboard", "users", *args], input=stdin, capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=120, check=False)


def test_add_grant_list_disable_and_reset(accounts_db):
    done = users(accounts_db, "add", "Dana", "--password-stdin", stdin="correct horse battery staple\n")
    assert done.returncode == 0 and "correct horse" not in done.stdout + done.stderr, done.stderr
    assert users(accounts_db, "grant", "dana", "staff", "A1", "A2").returncode == 0
    assert users(accounts_db, "revoke", "dana", "staff", "A2").returncode == 0
    listing = json.loads(users(accounts_db, "list", "--format", "json").stdout)
    assert listing == [{"username": "dana", "active": True, "one_time_password": False, "grants": [["staff", "A1"]]}]
    assert users(accounts_db, "list").stdout == "dana\tactive\tstaff:A1\n"
    assert sign_in(accounts_db, "dana", "correct horse battery staple", "127.0.0.1").outcome == OK

    reset = users(accounts_db, "reset-password", "dana", "--one-time")
    one_time = reset.stdout.strip().removeprefix("one-time password: ")
    assert reset.returncode == 0 and len(one_time) >= 16
    outcome = sign_in(accounts_db, "dana", one_time, "127.0.0.1")
    assert outcome.outcome == OK and outcome.one_time
    assert users(accounts_db, "disable", "dana").returncode == 0
    assert resolve(accounts_db, outcome.token) is None
    rows = audit.events(accounts_db).sort("id")
    assert [a for a, who in zip(rows["action"], rows["actor"], strict=True) if who.startswith("cli:")] == [
        audit.USER_ADD, audit.ROLE_GRANT, audit.ROLE_REVOKE, audit.PASSWORD_RESET, audit.USER_DISABLE]


def test_refusals_exit_2_with_a_message(accounts_db):
    short = users(accounts_db, "add", "eve", "--password-stdin", stdin="short\n")
    assert short.returncode == 2 and short.stderr.strip() == "The password needs at least 12 characters."
    unknown = users(accounts_db, "grant", "nobody", "board", "A1")
    assert unknown.returncode == 2 and unknown.stderr.strip() == "No account is called nobody."
    no_tty = users(accounts_db, "add", "eve")  # no terminal to type into, no --password-stdin: refused
    assert no_tty.returncode == 2 and "--password-stdin" in no_tty.stderr
    bad_name = users(accounts_db, "add", "\x1b[31meve", "--one-time")
    assert bad_name.returncode == 2 and "\x1b" not in bad_name.stderr and "\\x1b" in bad_name.stderr
    assert "Traceback" not in short.stderr + unknown.stderr + no_tty.stderr + bad_name.stderr


def test_bootstrap_prints_a_one_time_administrator_password_once(accounts_db):
    first = users(accounts_db, "bootstrap")
    found = [line for line in first.stdout.splitlines() if "one-time password:" in line]  # the helper runs in English
    assert first.returncode == 0 and len(found) == 1
    password = found[0].split(":", 1)[1].strip()
    outcome = sign_in(accounts_db, "admin", password, "127.0.0.1")
    assert outcome.outcome == OK and outcome.one_time
    again = users(accounts_db, "bootstrap")
    assert again.returncode == 0 and again.stdout == ""  # accounts exist: nothing created, nothing printed
