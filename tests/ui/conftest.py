"""A small hand-written database for the interface tests, and AppTest helpers.

Last day of data: 2025-12-31 (a workshop session), so the overview's
default period is 2025-01-01..2025-12-31 and the previous one is 2024.

- Structures: S1 "Foyer Les Tilleuls" (CHRS, Lyon 7e), S2 "Centre social
  Arc-en-ciel" (no person: selecting it alone is too small).
- Persons P01..P40 in S1; P01..P20 women, P21..P39 men, P40 "other" (alone:
  a selection too small to show).
- Referrals (source AS_SECTEUR or SIAO alternately, program
  HEBERGEMENT_INSERTION): 1 000 in 2024 to P01..P30 in turn, 1 234 in 2025
  to P01..P40 in turn. Women in 2025: 30 full turns of 40 give 600, the
  last 34 referrals go to P01..P34, 20 of them women: 620.
- Support periods: P01..P30 enter 2024-06-01; P01..P12 leave in 2025:
  housing LOGEMENT_AUTONOME for P01..P06, RUE for P07..P09, NON_CONCERNE
  for P10..P12 (housing rate 6 / 9 = 67 %); employment EMPLOI_DURABLE for
  P01..P04, RECHERCHE_EMPLOI for the rest (dynamic rate 4 / 12, hidden
  because 4 < 5).
- New persons 2025: P31..P40 (first contact in 2025) = 10; in 2024: 30.
- Workshop W1 "Couture" (EXPRESSION): 4 sessions in 2025, P01..P06 present,
  P07 absent, P08 excused each time: 6 participants, 24 / 32 = 75 %.
- One load (id 1) with two warnings.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert
from streamlit.testing.v1 import AppTest

from models.db import get_engine, make_engine
from models.tables import Load, LoadTableCount, LoadWarning
from tests.metrics.fixtures import make_db, write_rows

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "dashboard" / "app.py")
# The account pages (sign-in, users, audit) have no filter bar: tests/accounts runs them with real sign-ins.
ACCOUNT_PAGES = ("signin", "users", "audit")
PAGES = sorted(p.stem for p in (ROOT / "pages").glob("*.py") if p.stem not in ACCOUNT_PAGES)
TIMEOUT = 60


def _person(i: int) -> str:
    return f"P{i:02d}"


def fixture_rows() -> dict:
    persons = [
        {"person_id": _person(i), "sex": "F" if i <= 20 else ("M" if i < 40 else "AUTRE"), "birth_year": 1990 if i % 2 else 1960}
        for i in range(1, 41)
    ]
    referrals = []
    for j in range(1000):
        referrals.append({"person_id": _person(j % 30 + 1), "referral_date": date(2024, 1, 1) + timedelta(days=j * 366 // 1000),
                          "source": "AS_SECTEUR" if j % 2 else "SIAO", "program": "HEBERGEMENT_INSERTION",
                          "decision": "ACCEPTEE", "decision_date": date(2024, 1, 1) + timedelta(days=j * 366 // 1000)})
    for j in range(1234):
        referrals.append({"person_id": _person(j % 40 + 1), "referral_date": date(2025, 1, 1) + timedelta(days=j * 365 // 1234),
                          "source": "AS_SECTEUR" if j % 2 else "SIAO", "program": "HEBERGEMENT_INSERTION"})
    supports = []
    for i in range(1, 31):
        row = {"person_id": _person(i), "program": "HEBERGEMENT_INSERTION", "entry_date": "2024-06-01"}
        if i <= 12:
            row |= {
                "exit_date": date(2025, 3, 1) + timedelta(days=10 * i),
                "exit_reason": "ACCES_SOLUTION",
                "exit_housing": "LOGEMENT_AUTONOME" if i <= 6 else ("RUE" if i <= 9 else "NON_CONCERNE"),
                "exit_employment": "EMPLOI_DURABLE" if i <= 4 else "RECHERCHE_EMPLOI",
            }
        supports.append(row)
    session_days = ["2025-02-03", "2025-05-05", "2025-09-01", "2025-12-31"]
    sessions = [{"session_id": f"SE{n}", "workshop_id": "W1", "session_date": d, "duration_minutes": 120}
                for n, d in enumerate(session_days, start=1)]
    attendances = [
        {"session_id": f"SE{n}", "person_id": _person(i), "presence": "PRESENT" if i <= 6 else ("ABSENT" if i == 7 else "EXCUSE")}
        for n in range(1, 5) for i in range(1, 9)
    ]
    return {
        "structures": [
            {"structure_id": "S1", "name": "Foyer Les Tilleuls", "type": "CHRS", "territory": "Lyon 7e"},
            {"structure_id": "S2", "name": "Centre social Arc-en-ciel", "type": "CENTRE_SOCIAL", "territory": "Villeurbanne"},
        ],
        "persons": persons,
        "referrals": referrals,
        "support_periods": supports,
        "workshops": [{"workshop_id": "W1", "name": "Couture", "category": "EXPRESSION", "modality": "COLLECTIF",
                       "facilitator": "INTERNE", "co_constructed": True}],
        "sessions": sessions,
        "attendances": attendances,
    }


def _write_load(url: str) -> None:
    engine = get_engine(url)
    with engine.begin() as conn:
        conn.execute(insert(Load.__table__), [{  # type: ignore[attr-defined]
            "id": 1, "started_at": datetime(2026, 1, 5, 9, 30, tzinfo=UTC), "finished_at": datetime(2026, 1, 5, 9, 31, tzinfo=UTC),
            "source": "exports/tilleuls-2025", "structures": "S1", "replace": False, "pseudonymised": True,
        }])
        conn.execute(insert(LoadTableCount.__table__), [  # type: ignore[attr-defined]
            {"load_id": 1, "table_name": "persons", "inserted": 40, "updated": 0, "unchanged": 0, "deleted": 0},
            {"load_id": 1, "table_name": "referrals", "inserted": 2234, "updated": 0, "unchanged": 0, "deleted": 0},
        ])
        conn.execute(insert(LoadWarning.__table__), [  # type: ignore[attr-defined]
            {"load_id": 1, "table_name": "persons", "line": 12, "column_name": "annee_naissance", "value": "1912",
             "code": "AGE_IMPLAUSIBLE", "message": "Année de naissance peu plausible"},
            {"load_id": 1, "table_name": "referrals", "line": 40, "column_name": "date_decision", "value": "",
             "code": "DECISION_DATE_MISSING", "message": "Décision sans date"},
        ])


@pytest.fixture(scope="session")
def ui_db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("ui") / "parcours.db"
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    write_rows(engine, **fixture_rows())
    engine.dispose()
    _write_load(url)
    return url


@pytest.fixture
def ui_db(ui_db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("DATABASE_URL", ui_db_url)
    monkeypatch.delenv("PARCOURS_LANG", raising=False)
    monkeypatch.delenv("PARCOURS_MIN_CELL", raising=False)
    monkeypatch.delenv("PARCOURS_MIN_CELL_PUBLISHED", raising=False)
    yield ui_db_url


@pytest.fixture
def cut_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """24 referrals, the first on 2025-01-03, the last on 2025-12-14 (2 a month: pages open by quarter)."""
    persons = [{"structure_id": "S1", "person_id": f"P{i}", "sex": "F"} for i in range(24)]
    referrals = [{"structure_id": "S1", "referral_id": f"O{i}", "person_id": f"P{i}", "source": "AS_SECTEUR",
                  "referral_date": date(2025, 1, 3) + timedelta(days=15 * i)} for i in range(24)]
    url = make_db(tmp_path / "cut.db", persons=persons, referrals=referrals)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("PARCOURS_LANG", raising=False)
    return url


@pytest.fixture
def empty_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    make_engine(url).dispose()
    monkeypatch.setenv("DATABASE_URL", url)
    return url


# --- The Besoins page: the rows above and assessments whose figures tests work out by hand -------------------


def needs_assessments() -> list[dict[str, Any]]:
    """LOGEMENT (practical, pillar housing) and EMPLOI_FORMATION (strategic, pillar employment), all in 2025.

    - LOGEMENT 2025-03-01: P01..P20, level 2 (vulnerable) for P01..P12, 4 for P13..P20.
    - LOGEMENT 2025-09-01: P01..P10 again, level 4 for P01..P05 (improved), 2 for P06..P10 (stable).
    - EMPLOI_FORMATION 2025-03-01: P01..P15, level 1 (crisis) for P01..P03, 3 for P04..P15.
    """
    rows = [{"person_id": f"P{i:02d}", "assessment_date": "2025-03-01", "domain": "LOGEMENT", "level": 2 if i <= 12 else 4}
            for i in range(1, 21)]
    rows += [{"person_id": f"P{i:02d}", "assessment_date": "2025-09-01", "domain": "LOGEMENT", "level": 4 if i <= 5 else 2}
             for i in range(1, 11)]
    rows += [{"person_id": f"P{i:02d}", "assessment_date": "2025-03-01", "domain": "EMPLOI_FORMATION",
              "level": 1 if i <= 3 else 3} for i in range(1, 16)]
    return rows


@pytest.fixture(scope="module")
def needs_db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('ui-needs') / 'parcours.db'}"
    engine = make_engine(url)
    write_rows(engine, **fixture_rows(), assessments=needs_assessments())
    engine.dispose()
    return url


@pytest.fixture
def needs_db(needs_db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("DATABASE_URL", needs_db_url)
    for name in ("PARCOURS_LANG", "PARCOURS_MIN_CELL", "PARCOURS_MIN_CELL_PUBLISHED"):
        monkeypatch.delenv(name, raising=False)
    yield needs_db_url


def shown_rows(element: Any) -> list[dict[str, str]]:
    """A table element of AppTest as the reader sees it: each cell's words (a sortable table sends its sort keys
    as the data and its words as the Styler's display values; a plain table sends its words as the data)."""
    from streamlit import dataframe_util

    data = element.value
    styler = element.proto.arrow_data.styler
    if not styler.display_values:
        return data.to_dict("records")
    words = dataframe_util.convert_arrow_bytes_to_pandas_df(styler.display_values)
    words.columns = data.columns
    return words.astype(str).to_dict("records")


def opened_page(page: str, **query: str) -> AppTest:
    """``page`` run through the app with ``query`` in its URL, checked to have run without an exception."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for name, value in query.items():
        at.query_params[name] = value
    at.switch_page(f"../pages/{page}.py")
    at.run()
    assert not at.exception, at.exception
    return at
