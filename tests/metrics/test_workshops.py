"""Workshop metrics on a hand-written dataset; every expected figure is worked out by hand below.

Sessions (structure S1):
  SE1 W1 2024-01-10: P1 PRESENT, P2 PRESENT, P3 ABSENT
  SE2 W1 2024-01-24: P1 PRESENT, P2 EXCUSE,  P3 PRESENT
  SE3 W1 2024-02-07: P1 PRESENT, P4 PRESENT, P5 PRESENT
  SE4 W2 2024-01-15: P2 PRESENT, P5 ABSENT
  SE5 W2 2024-03-20: P5 PRESENT, P1 PRESENT
  SE6 W3 2024-02-10: P4 PRESENT, P1 ABSENT
  SE7 W3 2024-04-05: P1 PRESENT, P6 PRESENT
W1 Couture (EXPRESSION, INTERNE, co-constructed), W2 FLE (LANGUE_SAVOIRS,
EXTERNE, co-construction unknown), W3 Info (NUMERIQUE, facilitator
unknown, not co-constructed). P1, P2 are women; P3-P6 men.
First presences: P1, P2 2024-01-10; P3 2024-01-24; P4, P5 2024-02-07; P6 2024-04-05.
"""

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from dashboard.data import Data
from dashboard.filters import Filters
from dashboard.metrics.workshops import (
    workshop_attendance,
    workshop_by_category,
    workshop_by_co_construction,
    workshop_by_facilitator,
    workshop_cohorts,
)
from tests.metrics.fixtures import make_data, without_keys

SESSIONS = [
    ("SE1", "W1", "2024-01-10", {"P1": "PRESENT", "P2": "PRESENT", "P3": "ABSENT"}),
    ("SE2", "W1", "2024-01-24", {"P1": "PRESENT", "P2": "EXCUSE", "P3": "PRESENT"}),
    ("SE3", "W1", "2024-02-07", {"P1": "PRESENT", "P4": "PRESENT", "P5": "PRESENT"}),
    ("SE4", "W2", "2024-01-15", {"P2": "PRESENT", "P5": "ABSENT"}),
    ("SE5", "W2", "2024-03-20", {"P5": "PRESENT", "P1": "PRESENT"}),
    ("SE6", "W3", "2024-02-10", {"P4": "PRESENT", "P1": "ABSENT"}),
    ("SE7", "W3", "2024-04-05", {"P1": "PRESENT", "P6": "PRESENT"}),
]


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Data:
    tmp: Path = tmp_path_factory.mktemp("workshops")
    return make_data(
        tmp,
        persons=[{"person_id": f"P{i}", "sex": "F" if i <= 2 else "M", "birth_year": 1980} for i in range(1, 7)],
        workshops=[
            {"workshop_id": "W1", "name": "Couture", "category": "EXPRESSION", "facilitator": "INTERNE", "co_constructed": True},
            {"workshop_id": "W2", "name": "FLE", "category": "LANGUE_SAVOIRS", "facilitator": "EXTERNE"},
            {"workshop_id": "W3", "name": "Info", "category": "NUMERIQUE", "co_constructed": False},
        ],
        sessions=[{"session_id": s, "workshop_id": w, "session_date": d} for s, w, d, _ in SESSIONS],
        attendances=[
            {"session_id": s, "person_id": p, "presence": presence} for s, _, _, who in SESSIONS for p, presence in who.items()
        ],
    )


def rows(frame: pl.DataFrame) -> list[tuple]:
    return [tuple(round(v, 4) if isinstance(v, float) else v for v in row) for row in without_keys(frame).rows()]


def test_attendance_by_month(data: Data) -> None:
    frame = workshop_attendance(data, Filters())
    assert frame.columns[:10] == ["period", "structure_id", "atelier_id", "workshop", "category", "sessions", "persons",
                                  "presences", "attendance_rate", "mean_persons_per_session"]
    public = frame.select(pl.exclude("^_.*$"))
    assert rows(public) == [
        # W1 in January: 2 sessions, 4 PRESENT out of 6 expected (ABSENT and EXCUSE count), P1 P2 P3 present
        ("2024-01", "S1", "W1", "Couture", "EXPRESSION", 2, 3, 4, 0.6667, 2.0),
        ("2024-01", "S1", "W2", "FLE", "LANGUE_SAVOIRS", 1, 1, 1, 0.5, 1.0),
        ("2024-02", "S1", "W1", "Couture", "EXPRESSION", 1, 3, 3, 1.0, 3.0),
        ("2024-02", "S1", "W3", "Info", "NUMERIQUE", 1, 1, 1, 0.5, 1.0),
        ("2024-03", "S1", "W2", "FLE", "LANGUE_SAVOIRS", 1, 2, 2, 1.0, 2.0),
        ("2024-04", "S1", "W3", "Info", "NUMERIQUE", 1, 2, 2, 1.0, 2.0),
    ]
    assert frame["_expected"].to_list() == [6, 2, 3, 2, 2, 2]


def test_attendance_range_cutting_months(data: Data) -> None:
    # 20 January to 29 February: only SE2 in January (SE1 and SE4 are before the start)
    frame = workshop_attendance(data, Filters(start=date(2024, 1, 20), end=date(2024, 2, 29)))
    assert rows(frame.select("period", "atelier_id", "sessions", "persons", "presences", "attendance_rate")) == [
        ("2024-01", "W1", 1, 2, 2, 0.6667),
        ("2024-02", "W1", 1, 3, 3, 1.0),
        ("2024-02", "W3", 1, 1, 1, 0.5),
    ]


def test_attendance_of_selected_persons(data: Data) -> None:
    # women only (P1, P2): sessions held stay what they are, persons and presences are theirs
    frame = workshop_attendance(data, Filters(sexes=("F",))).filter(pl.col("period") == "2024-01")
    assert rows(frame.select("atelier_id", "sessions", "persons", "presences", "attendance_rate", "_expected")) == [
        ("W1", 2, 2, 3, 0.75, 4),
        ("W2", 1, 1, 1, 1.0, 1),
    ]


def test_by_category_per_quarter(data: Data) -> None:
    frame = workshop_by_category(data, Filters(by="quarter"))
    assert without_keys(frame).columns == ["period", "category", "sessions", "persons", "presences", "attendance_rate",
                             "mean_persons_per_session", "_expected"]
    assert rows(frame.drop("_expected")) == [
        # EXPRESSION: SE1-SE3, presences 2+2+3 = 7 of 9 expected, persons P1-P5, 7/3 = 2.33 per session
        ("2024-Q1", "EXPRESSION", 3, 5, 7, 0.7778, 2.33),
        ("2024-Q1", "LANGUE_SAVOIRS", 2, 3, 3, 0.75, 1.5),
        ("2024-Q1", "NUMERIQUE", 1, 1, 1, 0.5, 1.0),
        ("2024-Q2", "NUMERIQUE", 1, 2, 2, 1.0, 2.0),
    ]


def test_by_facilitator_and_co_construction(data: Data) -> None:
    facilitator = workshop_by_facilitator(data, Filters())
    assert rows(facilitator.drop("_expected")) == [
        ("EXTERNE", 2, 3, 3, 0.75, 1.5),
        ("INCONNU", 2, 3, 3, 0.75, 1.5),  # W3: SE6 and SE7, P4 then P1 and P6
        ("INTERNE", 3, 5, 7, 0.7778, 2.33),
    ]
    co = workshop_by_co_construction(data, Filters())
    assert co["co_constructed"].to_list() == ["INCONNU", "NON", "OUI"]
    assert co["persons"].to_list() == [3, 3, 5]


def test_cohorts_by_month(data: Data) -> None:
    frame = workshop_cohorts(data, Filters())
    assert without_keys(frame).columns == ["cohort", "offset", "cohort_size", "persons_active", "retention"]
    assert rows(frame) == [
        ("2024-01", 0, 3, 3, 1.0),
        ("2024-01", 1, 3, 1, 0.3333),  # P1 at SE3
        ("2024-01", 2, 3, 1, 0.3333),  # P1 at SE5
        ("2024-01", 3, 3, 1, 0.3333),  # P1 at SE7
        ("2024-02", 0, 2, 2, 1.0),
        ("2024-02", 1, 2, 1, 0.5),  # P5 at SE5
        ("2024-02", 2, 2, 0, 0.0),  # April happened (SE7) but neither P4 nor P5 came
        # no offset 3 for February: May starts after the last session (2024-04-05)
        ("2024-04", 0, 1, 1, 1.0),  # P6; P1 was already in the January cohort
    ]


def test_cohorts_by_quarter_and_range(data: Data) -> None:
    assert rows(workshop_cohorts(data, Filters(by="quarter"))) == [
        ("2024-Q1", 0, 5, 5, 1.0),
        ("2024-Q1", 1, 5, 1, 0.2),
        ("2024-Q2", 0, 1, 1, 1.0),
    ]
    ranged = workshop_cohorts(data, Filters(start=date(2024, 2, 1), end=date(2024, 4, 30)))
    assert ranged["cohort"].unique(maintain_order=True).to_list() == ["2024-02", "2024-04"]
    assert ranged.filter(pl.col("cohort") == "2024-02")["persons_active"].to_list() == [2, 1, 0]


def test_cohorts_of_one_workshop_or_category(data: Data) -> None:
    # W2 only: P2 in January, P5 and P1 in March; its last session is 2024-03-20
    assert rows(workshop_cohorts(data, Filters(), workshops=("W2",))) == [
        ("2024-01", 0, 1, 1, 1.0),
        ("2024-01", 1, 1, 0, 0.0),
        ("2024-01", 2, 1, 0, 0.0),
        ("2024-03", 0, 2, 2, 1.0),
    ]
    assert rows(workshop_cohorts(data, Filters(), categories=("NUMERIQUE",))) == [
        ("2024-02", 0, 1, 1, 1.0),
        ("2024-02", 1, 1, 0, 0.0),
        ("2024-02", 2, 1, 0, 0.0),
        ("2024-04", 0, 2, 2, 1.0),
    ]


def test_cohorts_by_year_and_empty(data: Data) -> None:
    assert rows(workshop_cohorts(data, Filters(by="year"))) == [("2024", 0, 6, 6, 1.0)]
    empty = workshop_cohorts(data, Filters(start=date(2025, 1, 1)))
    assert empty.is_empty() and without_keys(empty).columns == ["cohort", "offset", "cohort_size", "persons_active", "retention"]


def test_cohorts_of_selected_persons(data: Data) -> None:
    # women: P1 and P2, both first present on 2024-01-10; P1 comes back in February, March and April
    assert rows(workshop_cohorts(data, Filters(sexes=("F",)))) == [
        ("2024-01", 0, 2, 2, 1.0),
        ("2024-01", 1, 2, 1, 0.5),
        ("2024-01", 2, 2, 1, 0.5),
        ("2024-01", 3, 2, 1, 0.5),
    ]
