"""Two networks in one database, accounts for every role, and AppTest helpers that sign in for real.

- Network A: A1 "Foyer Alpha Nord" (persons QA01..QA30, workshop "Couture Alpha") and A2 "Atelier Alpha
  Sud" (QA31..QA50). Network B: B1 "Maison Beta Est" (QB01..QB25, workshop "Tricot Beta").
- Referrals in 2025 (source AS_SECTEUR / SIAO alternately, program HEBERGEMENT_INSERTION): 137 in A1
  (QA01..QA30 in turn), 64 in A2 (QA31..QA50 in turn), 89 in B1 (QB01..QB25 in turn); in 2024: 50, 20, 30.
- Workshop sessions: 3 in A1 (QA01..QA08 present), 3 in B1 (QB01..QB09 present), all in 2025.
- Loads: 1 for A1 (source "exports/alpha-nord"), 2 for B1 (source "exports/beta-est").
- Accounts (password PASSWORD for all): admin (administrator *), staff_a1 (staff A1), board_a (board A1, A2),
  research_a (researcher A1, A2), mixed (staff A1, researcher A1, A2, B1).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, insert
from streamlit.testing.v1 import AppTest

from dashboard.accounts.signin import sign_in
from dashboard.accounts.store import add_user, grant
from dashboard.ui.auth import TOKEN
from models.db import get_engine, make_engine
from models.tables import Load
from tests.metrics.fixtures import write_rows

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "dashboard" / "app.py")
TIMEOUT = 90
PASSWORD = "a long enough passphrase"
NOW = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)
REFERRALS_2025 = {"A1": 137, "A2": 64, "B1": 89}
ACCOUNTS = {
    "admin": [("administrator", "*")],
    "staff_a1": [("staff", "A1")],
    "board_a": [("board", "A1"), ("board", "A2")],
    "research_a": [("researcher", "A1"), ("researcher", "A2")],
    "mixed": [("staff", "A1"), ("researcher", "A1"), ("researcher", "A2"), ("researcher", "B1")],
}
# What network B looks like anywhere: its structure's id and name, its persons' ids, its workshop, its load.
NETWORK_B_MARKS = ("B1", "Maison Beta Est", "QB0", "QB1", "QB2", "Tricot Beta", "beta-est", "Grenoble")


def _people(prefix: str, first: int, last: int) -> list[str]:
    return [f"{prefix}{i:02d}" for i in range(first, last + 1)]


def network_rows() -> dict:
    members = {"A1": _people("QA", 1, 30), "A2": _people("QA", 31, 50), "B1": _people("QB", 1, 25)}
    referrals = []
    for structure, people in members.items():
        for year, count in ((2024, {"A1": 50, "A2": 20, "B1": 30}[structure]), (2025, REFERRALS_2025[structure])):
            for j in range(count):
                day = date(year, 1, 1) + timedelta(days=j * 364 // count)
                referrals.append({"structure_id": structure, "referral_id": f"R{structure}-{year}-{j}",
                                  "person_id": people[j % len(people)], "referral_date": day,
                                  "source": "AS_SECTEUR" if j % 2 else "SIAO", "program": "HEBERGEMENT_INSERTION",
                                  "decision": "ACCEPTEE", "decision_date": day})
    persons = [{"structure_id": s, "person_id": p, "sex": "F" if i % 2 else "M", "birth_year": 1980 + i % 20}
               for s, people in members.items() for i, p in enumerate(people)]
    workshops = [{"structure_id": "A1", "workshop_id": "WA", "name": "Couture Alpha", "category": "EXPRESSION"},
                 {"structure_id": "B1", "workshop_id": "WB", "name": "Tricot Beta", "category": "EXPRESSION"}]
    sessions, attendances = [], []
    for structure, workshop, people in (("A1", "WA", members["A1"][:8]), ("B1", "WB", members["B1"][:9])):
        for n, day in enumerate(("2025-03-03", "2025-06-02", "2025-10-06"), start=1):
            sessions.append({"structure_id": structure, "session_id": f"{workshop}{n}", "workshop_id": workshop,
                             "session_date": day, "duration_minutes": 90})
            attendances += [{"structure_id": structure, "session_id": f"{workshop}{n}", "person_id": p,
                             "presence": "PRESENT"} for p in people]
    return {
        "structures": [
            {"structure_id": "A1", "name": "Foyer Alpha Nord", "type": "CHRS", "territory": "Lyon 3e"},
            {"structure_id": "A2", "name": "Atelier Alpha Sud", "type": "CENTRE_SOCIAL", "territory": "Lyon 8e"},
            {"structure_id": "B1", "name": "Maison Beta Est", "type": "CHRS", "territory": "Grenoble"},
        ],
        "persons": persons, "referrals": referrals, "workshops": workshops, "sessions": sessions,
        "attendances": attendances,
    }


def _loads(engine: Engine) -> None:
    at = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    with engine.begin() as conn:
        conn.execute(insert(Load.__table__), [  # type: ignore[attr-defined]
            {"id": 1, "started_at": at, "finished_at": at, "source": "exports/alpha-nord", "structures": "A1"},
            {"id": 2, "started_at": at, "finished_at": at, "source": "exports/beta-est", "structures": "B1"},
        ])


def add_accounts(engine: Engine) -> None:
    for name, grants in ACCOUNTS.items():
        add_user(engine, name, PASSWORD, actor="fixture", now=NOW)
        for role, structure in grants:
            grant(engine, name, role, [structure], actor="fixture", now=NOW)


@pytest.fixture(scope="session")
def networks_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('accounts') / 'networks.db'}"
    engine = make_engine(url)
    write_rows(engine, **network_rows())
    _loads(engine)
    add_accounts(engine)
    engine.dispose()
    return url


@pytest.fixture
def networks(networks_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The two-network database as ``DATABASE_URL``, signed-in for real (no test role), protected mode."""
    monkeypatch.setenv("DATABASE_URL", networks_url)
    monkeypatch.setenv("PARCOURS_DISCLOSURE", "protected")
    for name in ("PARCOURS_TEST_ROLE", "PARCOURS_LANG", "PARCOURS_MIN_CELL", "PARCOURS_MIN_CELL_PUBLISHED",
                 "PARCOURS_STAFF_EXACT"):
        monkeypatch.delenv(name, raising=False)
    yield networks_url


@pytest.fixture
def accounts_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Engine:
    """An empty database of its own (accounts only), as ``DATABASE_URL``."""
    url = f"sqlite:///{tmp_path / 'accounts.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("PARCOURS_TEST_ROLE", raising=False)
    return make_engine(url)


def token_for(url: str, username: str) -> str:
    """A real session for ``username`` (signed in with the password, now)."""
    outcome = sign_in(get_engine(url), username, PASSWORD, "127.0.0.1")
    assert outcome.token is not None, outcome
    return outcome.token


def open_as(url: str, username: str | None, page: str | None = None, **query: str) -> AppTest:
    """The app run by ``username`` (None: nobody signed in), on ``page`` when given, with URL parameters."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if username is not None:
        at.session_state[TOKEN] = token_for(url, username)
    for name, value in query.items():
        at.query_params[name] = value
    if page is not None:
        at.switch_page(f"../pages/{page}.py")
    return at.run()


def page_dump(at: AppTest) -> str:
    """Everything the page sends to the browser: every element's message (text, chart JSON, tables) as text."""
    parts: list[str] = []

    def walk(node: object) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    parts += [frame.value.to_string() for frame in at.dataframe]
    return "\n".join(parts)
