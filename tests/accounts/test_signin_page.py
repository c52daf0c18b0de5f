"""The sign-in page and the administrators' page through AppTest, with real accounts in a database of their own."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from dashboard.accounts import audit
from dashboard.accounts.signin import OK, sign_in
from dashboard.accounts.store import add_user, grant
from tests.accounts.conftest import APP, PASSWORD, TIMEOUT


def submit(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input(key="signin_user").input(name)
    at.text_input(key="signin_password").input(password)
    return next(b for b in at.button if b.label == "Se connecter").click().run()


def test_the_form_signs_in_refuses_and_throttles(accounts_db):
    add_user(accounts_db, "alice", PASSWORD, actor="t")
    grant(accounts_db, "alice", "researcher", ["*"], actor="t")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert [t.value for t in at.title] == ["Connexion"]
    at = submit(at, "alice", "not the password")
    assert [e.value for e in at.error] == ["Identifiant ou mot de passe incorrect."]
    for _ in range(4):
        at = submit(at, "alice", "not the password")
    at = submit(at, "alice", PASSWORD)  # right, but after five failures
    assert [e.value for e in at.error] == ["Trop d'essais manqués : la connexion est bloquée pendant 15 minutes. "
                                           "Réessayez plus tard ou demandez à un administrateur."]
    fresh = AppTest.from_file(APP, default_timeout=TIMEOUT).run()  # another browser, same account: still blocked
    fresh = submit(fresh, "alice", PASSWORD)
    assert fresh.error and [t.value for t in fresh.title] == ["Connexion"]
    assert audit.events(accounts_db, action=audit.SIGN_IN_FAILED).height == 5
    assert audit.events(accounts_db, action=audit.SIGN_IN_THROTTLED).height == 2


def test_a_successful_sign_in_opens_the_roles_pages_and_sign_out_closes_them(accounts_db):
    add_user(accounts_db, "bob", PASSWORD, actor="t")
    grant(accounts_db, "bob", "board", ["*"], actor="t")
    at = submit(AppTest.from_file(APP, default_timeout=TIMEOUT).run(), "Bob", PASSWORD)
    assert not at.exception and [t.value for t in at.title] == ["Vue d'ensemble"]
    assert any("**bob**" in m.value for m in at.sidebar.markdown)
    at.sidebar.button(key="signout").click().run()
    assert [t.value for t in at.title] == ["Connexion"]
    assert audit.events(accounts_db, action=audit.SIGN_OUT)["actor"].to_list() == ["bob"]


def test_an_administrator_creates_an_account_and_grants_a_role_from_the_page(accounts_db):
    add_user(accounts_db, "root", PASSWORD, actor="t")
    grant(accounts_db, "root", "administrator", ["*"], actor="t")
    at = submit(AppTest.from_file(APP, default_timeout=TIMEOUT).run(), "root", PASSWORD)
    at.switch_page("../pages/users.py").run()
    assert [t.value for t in at.title] == ["Comptes"]
    at.text_input(key="users_add_name").input("Dana")
    at = next(b for b in at.button if b.label == "Nouveau compte").click().run()
    shown = next(s.value for s in at.success if "usage unique" in s.value)
    password = re.search(r"`(\S+)`", shown).group(1)  # type: ignore[union-attr]
    at.selectbox(key="users_grant_name").select("dana")
    at.selectbox(key="users_role").select("staff")
    at.text_input(key="users_structures").input("A1, A2")
    at = next(b for b in at.button if b.label == "Donner").click().run()
    assert not at.exception
    outcome = sign_in(accounts_db, "dana", password, "127.0.0.1")
    assert outcome.outcome == OK and outcome.one_time
    grants = audit.events(accounts_db, action=audit.ROLE_GRANT, actor="root")
    assert grants["structures"].to_list() == ["A1,A2"]
    assert audit.events(accounts_db, action=audit.USER_ADD, actor="root").height == 1
    assert password not in " ".join(audit.events(accounts_db)["detail"].to_list())
