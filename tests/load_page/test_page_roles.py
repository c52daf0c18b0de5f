"""Who may load what from the Importer page: staff for their structures, administrators for any; each load
leaves an audit row. Real accounts, real sessions (no test role)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from dashboard.accounts import audit
from dashboard.accounts.signin import sign_in
from dashboard.accounts.store import add_user, grant
from dashboard.ui.auth import TOKEN
from models.db import get_engine, make_engine
from models.tables import Person
from tests.load_page.datasets import VALID, uploads
from tests.load_page.test_page import APP, TIMEOUT

PASSWORD = "a long enough password for the tests"


@pytest.fixture
def url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    # Under AppTest st.context.ip_address is a mock, which the audit table cannot store: the browser's address.
    monkeypatch.setattr("dashboard.ui.auth.address", lambda: "127.0.0.1")
    url = f"sqlite:///{tmp_path / 'parcours.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    for name in ("PARCOURS_TEST_ROLE", "PARCOURS_LANG", "PARCOURS_PSEUDONYM_KEY"):
        monkeypatch.delenv(name, raising=False)
    engine = make_engine(url)
    for name, role, structure in (("staff-other", "staff", "OTHER"), ("staff-cs1", "staff", "CS1")):
        add_user(engine, name, PASSWORD, actor="test")
        grant(engine, name, role, [structure], actor="test")
    engine.dispose()
    return url


def open_as(url: str, username: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    signed = sign_in(get_engine(url), username, PASSWORD, "127.0.0.1")
    assert signed.token is not None, signed
    at.session_state[TOKEN] = signed.token
    at.switch_page("../pages/load.py")
    at.run()
    at.file_uploader(key="w_load_files").set_value(uploads(VALID))
    at.run()
    assert not at.exception, at.exception
    return at


def persons(url: str) -> int:
    with get_engine(url).connect() as conn:
        return conn.execute(select(func.count()).select_from(Person)).scalar_one()


def test_staff_of_another_structure_may_check_but_not_load(url: str) -> None:
    at = open_as(url, "staff-other")
    assert [e.value for e in at.error] == [
        "Votre compte ne permet pas de charger des données pour : CS1. Seuls un administrateur ou le personnel de ces "
        "structures le peuvent ; rien n'a été écrit."]
    assert [b for b in at.button if b.key == "w_load_confirm"] == []
    assert persons(url) == 0


def test_staff_of_the_structure_loads_and_the_load_is_audited(url: str) -> None:
    at = open_as(url, "staff-cs1")
    assert [e.value for e in at.error] == []
    at.button(key="w_load_confirm").click().run()
    assert [s.value for s in at.success] == ["Chargement n° 1 terminé : toutes les pages montrent maintenant ces données."]
    assert persons(url) == 2
    rows = audit.events(get_engine(url), action="load")
    assert rows.select("actor", "structures", "address").rows() == [("staff-cs1", "CS1", "127.0.0.1")]
