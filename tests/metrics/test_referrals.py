"""referrals-by-source and referrals-by-territory against figures computed by hand."""

from datetime import date
from pathlib import Path

import pytest

from dashboard.data import Data
from dashboard.filters import Filters
from dashboard.metrics.referrals import REFERRALS_BY_SOURCE, referrals_by_source, referrals_by_territory
from tests.metrics.fixtures import make_data, rows, without_keys

Q1 = Filters(start=date(2024, 1, 1), end=date(2024, 3, 31))

PERSONS = [
    {"person_id": "P1", "sex": "F", "birth_year": 1990, "territory": "Lyon 8e", "priority_area": True},
    {"person_id": "P2", "sex": "M", "birth_year": 2000, "territory": "Lyon 8e", "priority_area": False},
    {"person_id": "P3", "sex": "F", "birth_year": 1960, "territory": "Vénissieux", "priority_area": None},
    {"person_id": "P4", "sex": "M", "birth_year": None, "territory": None, "priority_area": True},
    # Same pseudonymous id as P1 in S1, but another structure: another person.
    {"structure_id": "S2", "person_id": "P1", "sex": "F", "birth_year": 1990, "territory": "Lyon 8e", "priority_area": True},
]
REFERRALS = [
    # January: SPIP accepted after 10 days, refused after 4; CCAS pending and "sans suite" after 12 days.
    {"person_id": "P1", "referral_date": "2024-01-03", "source": "SPIP", "program": "HEBERGEMENT_INSERTION",
     "decision": "ACCEPTEE", "decision_date": "2024-01-13"},
    {"person_id": "P2", "referral_date": "2024-01-10", "source": "SPIP", "program": "ACCUEIL_JOUR",
     "decision": "REFUSEE", "decision_date": "2024-01-14"},
    {"person_id": "P3", "referral_date": "2024-01-20", "source": "CCAS", "program": "ACCUEIL_JOUR"},
    {"person_id": "P4", "referral_date": "2024-01-25", "source": "CCAS", "program": "ACCUEIL_JOUR",
     "decision": "SANS_SUITE", "decision_date": "2024-02-06"},
    # February: nothing. March: CCAS accepted the next day.
    {"person_id": "P1", "referral_date": "2024-03-02", "source": "CCAS", "program": "ACCUEIL_JOUR",
     "decision": "ACCEPTEE", "decision_date": "2024-03-03"},
    # Outside the range.
    {"person_id": "P2", "referral_date": "2024-04-01", "source": "SPIP", "decision": "ACCEPTEE", "decision_date": "2024-04-02"},
    {"person_id": "P1", "referral_date": "2023-12-31", "source": "SPIP"},
    # The other structure.
    {"structure_id": "S2", "person_id": "P1", "referral_date": "2024-01-15", "source": "SIAO", "decision": "REFUSEE",
     "decision_date": "2024-01-16"},
]


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Data:
    return make_data(tmp_path_factory.mktemp("referrals"), persons=PERSONS, referrals=REFERRALS)


def test_columns_follow_the_definition(data: Data) -> None:
    assert referrals_by_source(data, Q1).columns == REFERRALS_BY_SOURCE
    assert REFERRALS_BY_SOURCE[:7] == [
        "period", "source", "referrals", "accepted", "refused", "acceptance_rate", "median_days_to_decision"
    ]


def test_by_month_with_pending_decisions_and_an_empty_month(data: Data) -> None:
    frame = referrals_by_source(data, Q1.with_(structures=("S1",)))
    assert rows(frame) == [
        # period, source, referrals, accepted, refused, rate, median days, _decided, _decisions
        ("2024-01", "CCAS", 2, 0, 0, None, 12.0, 1, 0),
        ("2024-01", "SPIP", 2, 1, 1, 0.5, 7.0, 2, 2),
        ("2024-01", "TOTAL", 4, 1, 1, 0.5, 10.0, 3, 2),
        ("2024-02", "TOTAL", 0, 0, 0, None, None, 0, 0),
        ("2024-03", "CCAS", 1, 1, 0, 1.0, 1.0, 1, 1),
        ("2024-03", "TOTAL", 1, 1, 0, 1.0, 1.0, 1, 1),
    ]


def test_by_quarter(data: Data) -> None:
    frame = referrals_by_source(data, Q1.with_(by="quarter", structures=("S1",)))
    assert rows(frame) == [
        ("2024-Q1", "CCAS", 3, 1, 0, 1.0, 6.5, 2, 1),
        ("2024-Q1", "SPIP", 2, 1, 1, 0.5, 7.0, 2, 2),
        ("2024-Q1", "TOTAL", 5, 2, 1, 0.6667, 7.0, 4, 3),
    ]


def test_both_structures_and_no_dates_cover_all_referrals(data: Data) -> None:
    frame = referrals_by_source(data, Filters(by="year"))
    assert rows(frame) == [
        ("2023", "SPIP", 1, 0, 0, None, None, 0, 0),
        ("2023", "TOTAL", 1, 0, 0, None, None, 0, 0),
        ("2024", "CCAS", 3, 1, 0, 1.0, 6.5, 2, 1),
        ("2024", "SIAO", 1, 0, 1, 0.0, 1.0, 1, 1),
        ("2024", "SPIP", 3, 2, 1, 0.6667, 4.0, 3, 3),
        ("2024", "TOTAL", 7, 3, 2, 0.6, 2.5, 6, 5),  # days 1, 1, 1, 4, 10, 12
    ]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        # Women: P1 (S1 and S2) and P3.
        ({"sexes": ("F",)}, [("CCAS", 2), ("SIAO", 1), ("SPIP", 1), ("TOTAL", 4)]),
        # Under 26 at first contact: P2 (born 2000, first referral 2024).
        ({"age_bands": ("MOINS_26",)}, [("SPIP", 1), ("TOTAL", 1)]),
        # Unknown age: P4.
        ({"age_bands": ("INCONNU",)}, [("CCAS", 1), ("TOTAL", 1)]),
        ({"sources": ("SPIP",)}, [("SPIP", 2), ("TOTAL", 2)]),
        ({"programs": ("ACCUEIL_JOUR",)}, [("CCAS", 3), ("SPIP", 1), ("TOTAL", 4)]),
        ({"structures": ("S2",)}, [("SIAO", 1), ("TOTAL", 1)]),
    ],
)
def test_filters_change_the_counts(data: Data, changes: dict, expected: list[tuple[str, int]]) -> None:
    frame = referrals_by_source(data, Q1.with_(by="quarter", **changes))
    assert frame.select("source", "referrals").rows() == expected


def test_no_referral_in_range_leaves_zero_totals(data: Data) -> None:
    frame = referrals_by_source(data, Filters(start=date(2022, 1, 1), end=date(2022, 3, 31)))
    assert rows(frame) == [(f"2022-0{m}", "TOTAL", 0, 0, 0, None, None, 0, 0) for m in (1, 2, 3)]


def test_by_territory(data: Data) -> None:
    frame = referrals_by_territory(data, Q1)
    assert without_keys(frame).columns == ["territory", "referrals", "persons", "priority_area_share", "_priority", "_priority_known"]
    assert rows(frame) == [
        # P4 has no territory; QPV true.
        ("INCONNU", 1, 1, 1.0, 1, 1),
        # P1 twice in S1, P2 in S1, P1 of S2: three persons; QPV P1, P1(S2) true, P2 false.
        ("Lyon 8e", 4, 3, 0.6667, 2, 3),
        # P3: QPV unknown, so no share.
        ("Vénissieux", 1, 1, None, 0, 0),
    ]


def test_by_territory_follows_filters(data: Data) -> None:
    frame = referrals_by_territory(data, Q1.with_(sources=("CCAS",)))
    assert rows(frame) == [("INCONNU", 1, 1, 1.0, 1, 1), ("Lyon 8e", 1, 1, 1.0, 1, 1), ("Vénissieux", 1, 1, None, 0, 0)]


def test_empty_database_gives_empty_tables(tmp_path: Path) -> None:
    data = make_data(tmp_path)
    assert referrals_by_source(data, Filters()).is_empty()
    assert referrals_by_source(data, Filters()).columns == REFERRALS_BY_SOURCE
    assert referrals_by_territory(data, Filters()).is_empty()


def test_pid_is_the_row_number_of_persons(data: Data) -> None:
    """Metrics gather person attributes by ``pid`` (no join): this is what makes it right."""
    assert data.persons["pid"].to_list() == list(range(data.persons.height))
    assert data.persons.height == 5
