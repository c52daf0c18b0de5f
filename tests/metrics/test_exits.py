"""exits, exits-by-housing and exits-by-employment against figures computed by hand."""

from datetime import date
from pathlib import Path

import pytest

from dashboard.data import Data
from dashboard.filters import Filters
from dashboard.metrics.exits import EXITS, exits, exits_by_employment, exits_by_housing
from tests.metrics.fixtures import make_data, rows, without_keys

Q1 = Filters(start=date(2024, 1, 1), end=date(2024, 3, 31))
HI, AJ = "HEBERGEMENT_INSERTION", "ACCUEIL_JOUR"

PERSONS = [
    {"person_id": "P1", "sex": "F"}, {"person_id": "P2", "sex": "M"}, {"person_id": "P3", "sex": "F"},
    {"person_id": "P4", "sex": "M"}, {"person_id": "P5", "sex": "M"}, {"person_id": "P6", "sex": "F"},
    {"structure_id": "S2", "person_id": "P1", "sex": "F"},
]
SUPPORTS = [
    # January, transitional housing: 91, 45 and 10 days; a death (left out).
    {"person_id": "P1", "program": HI, "entry_date": "2023-11-01", "exit_date": "2024-01-31", "exit_reason": "OBJECTIF_ATTEINT",
     "exit_housing": "LOGEMENT_AUTONOME", "exit_employment": "EMPLOI_DURABLE"},
    {"person_id": "P2", "program": HI, "entry_date": "2023-12-01", "exit_date": "2024-01-15", "exit_reason": "REORIENTATION",
     "exit_housing": "INCONNU", "exit_employment": "NON_CONCERNE"},
    {"person_id": "P3", "program": HI, "entry_date": "2024-01-01", "exit_date": "2024-01-11"},
    {"person_id": "P4", "program": HI, "entry_date": "2023-06-01", "exit_date": "2024-01-20", "exit_reason": "DECES",
     "exit_housing": "LOGEMENT_AUTONOME", "exit_employment": "EMPLOI_DURABLE"},
    # January, day centre: 4 days, housing not applicable.
    {"person_id": "P5", "program": AJ, "entry_date": "2024-01-02", "exit_date": "2024-01-06", "exit_reason": "AUTRE",
     "exit_housing": "NON_CONCERNE", "exit_employment": "RECHERCHE_EMPLOI"},
    # Still in progress.
    {"person_id": "P1", "program": AJ, "entry_date": "2024-02-01"},
    # March, day centre: 60 days, and 4 days in the other structure.
    {"person_id": "P6", "program": AJ, "entry_date": "2024-01-10", "exit_date": "2024-03-10", "exit_reason": "ACCES_SOLUTION",
     "exit_housing": "LOGEMENT_ACCOMPAGNE", "exit_employment": "SORTIE_POSITIVE"},
    {"structure_id": "S2", "person_id": "P1", "program": AJ, "entry_date": "2024-03-01", "exit_date": "2024-03-05",
     "exit_reason": "DEPART_VOLONTAIRE", "exit_housing": "TIERS", "exit_employment": "INACTIF"},
    # After the range.
    {"person_id": "P2", "program": AJ, "entry_date": "2024-03-01", "exit_date": "2024-04-02", "exit_housing": "RUE"},
]


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Data:
    return make_data(tmp_path_factory.mktemp("exits"), persons=PERSONS, support_periods=SUPPORTS)


def test_by_month(data: Data) -> None:
    frame = exits(data, Q1)
    assert frame.columns == EXITS
    assert rows(frame) == [
        # period, program, exits, housing+, rate, dynamic, rate, median stay, _housing_den, _dynamic_den
        ("2024-01", AJ, 1, 0, None, 0, 0.0, 4.0, 0, 1),
        # INCONNU and missing housing stay in the denominator; NON_CONCERNE employment leaves it.
        ("2024-01", HI, 3, 1, 0.3333, 1, 0.5, 45.0, 3, 2),
        ("2024-01", "TOTAL", 4, 1, 0.3333, 1, 0.3333, 27.5, 3, 3),
        ("2024-02", "TOTAL", 0, 0, None, 0, None, None, 0, 0),
        ("2024-03", AJ, 2, 1, 0.5, 1, 0.5, 32.0, 2, 2),
        ("2024-03", "TOTAL", 2, 1, 0.5, 1, 0.5, 32.0, 2, 2),
    ]


def test_by_quarter_and_filters(data: Data) -> None:
    quarter = Q1.with_(by="quarter")
    assert rows(exits(data, quarter)) == [
        ("2024-Q1", AJ, 3, 1, 0.5, 1, 0.3333, 4.0, 2, 3),
        ("2024-Q1", HI, 3, 1, 0.3333, 1, 0.5, 45.0, 3, 2),
        ("2024-Q1", "TOTAL", 6, 2, 0.4, 2, 0.4, 27.5, 5, 5),
    ]
    assert rows(exits(data, quarter.with_(programs=(AJ,)))) == [
        ("2024-Q1", AJ, 3, 1, 0.5, 1, 0.3333, 4.0, 2, 3),
        ("2024-Q1", "TOTAL", 3, 1, 0.5, 1, 0.3333, 4.0, 2, 3),
    ]
    assert exits(data, quarter.with_(structures=("S2",))).select("program", "exits").rows() == [(AJ, 1), ("TOTAL", 1)]
    # Women: P1 (both structures), P3, P6.
    assert exits(data, quarter.with_(sexes=("F",))).select("program", "exits").rows() == [(AJ, 2), (HI, 2), ("TOTAL", 4)]


def test_deaths_are_not_exits(data: Data) -> None:
    january = Filters(start=date(2024, 1, 20), end=date(2024, 1, 20))
    assert rows(exits(data, january)) == [("2024-01", "TOTAL", 0, 0, None, 0, None, None, 0, 0)]


def test_by_housing(data: Data) -> None:
    frame = exits_by_housing(data, Q1.with_(by="quarter"))
    assert without_keys(frame).columns == ["period", "destination", "exits"]
    assert rows(frame) == [
        ("2024-Q1", "INCONNU", 2),  # one INCONNU, one missing
        ("2024-Q1", "LOGEMENT_ACCOMPAGNE", 1),
        ("2024-Q1", "LOGEMENT_AUTONOME", 1),  # the death is not counted
        ("2024-Q1", "NON_CONCERNE", 1),
        ("2024-Q1", "TIERS", 1),
    ]


def test_by_employment(data: Data) -> None:
    frame = exits_by_employment(data, Q1)
    assert without_keys(frame).columns == ["period", "situation", "exits"]
    assert rows(frame) == [
        ("2024-01", "EMPLOI_DURABLE", 1),
        ("2024-01", "INCONNU", 1),
        ("2024-01", "NON_CONCERNE", 1),
        ("2024-01", "RECHERCHE_EMPLOI", 1),
        ("2024-03", "INACTIF", 1),
        ("2024-03", "SORTIE_POSITIVE", 1),
    ]


def test_no_exits_at_all(tmp_path: Path) -> None:
    data = make_data(tmp_path, support_periods=[{"person_id": "P1", "program": AJ, "entry_date": "2024-05-03"}])
    assert rows(exits(data, Filters())) == [("2024-05", "TOTAL", 0, 0, None, 0, None, None, 0, 0)]
    assert exits_by_housing(data, Filters()).is_empty()
