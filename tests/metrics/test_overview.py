"""overview: key figures for a range, the range before, and the change."""

from datetime import date
from pathlib import Path

import pytest

from dashboard.catalogue import CATALOGUE
from dashboard.data import Data
from dashboard.filters import Filters
from dashboard.metrics.overview import FIGURES, OVERVIEW, overview, overview_range
from tests.metrics.fixtures import make_data, rows

H1 = Filters(start=date(2024, 1, 1), end=date(2024, 6, 30))  # previous: 2023-07-01 .. 2023-12-31
HI, AJ = "HEBERGEMENT_INSERTION", "ACCUEIL_JOUR"

PERSONS = [
    {"person_id": "P1", "sex": "F"}, {"person_id": "P2", "sex": "M"}, {"person_id": "P3", "sex": "F"},
    {"person_id": "P4", "sex": "M"}, {"structure_id": "S2", "person_id": "P1", "sex": "F"},
]
REFERRALS = [
    {"person_id": "P1", "referral_date": "2023-08-10", "source": "SPIP"},
    {"person_id": "P2", "referral_date": "2024-02-01", "source": "CCAS"},
    {"person_id": "P3", "referral_date": "2024-03-01", "source": "SPIP"},
    {"structure_id": "S2", "person_id": "P1", "referral_date": "2024-04-01", "source": "SIAO"},
]
SUPPORTS = [
    {"person_id": "P1", "program": HI, "entry_date": "2023-09-01", "exit_date": "2024-02-15",
     "exit_housing": "LOGEMENT_AUTONOME", "exit_employment": "EMPLOI_DURABLE"},
    {"person_id": "P2", "program": AJ, "entry_date": "2024-02-10"},
    {"person_id": "P4", "program": HI, "entry_date": "2023-03-01", "exit_date": "2023-10-31",
     "exit_housing": "RUE", "exit_employment": "NON_CONCERNE"},
    {"person_id": "P3", "program": AJ, "entry_date": "2024-03-05", "exit_date": "2024-05-01", "exit_reason": "DECES"},
    {"structure_id": "S2", "person_id": "P1", "program": AJ, "entry_date": "2024-04-02", "exit_date": "2024-06-30",
     "exit_housing": "NON_CONCERNE", "exit_employment": "INCONNU"},
]
SESSIONS = [
    {"session_id": "SE1", "workshop_id": "W1", "session_date": "2023-11-10"},
    {"session_id": "SE2", "workshop_id": "W1", "session_date": "2024-03-01"},
    {"session_id": "SE3", "workshop_id": "W1", "session_date": "2024-07-01"},
]
ATTENDANCES = [
    {"session_id": "SE1", "person_id": "P1", "presence": "PRESENT"},
    {"session_id": "SE1", "person_id": "P4", "presence": "ABSENT"},
    {"session_id": "SE2", "person_id": "P1", "presence": "PRESENT"},
    {"session_id": "SE2", "person_id": "P2", "presence": "EXCUSE"},
    {"session_id": "SE2", "person_id": "P3", "presence": "PRESENT"},
    {"session_id": "SE3", "person_id": "P2", "presence": "PRESENT"},
]


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Data:
    return make_data(tmp_path_factory.mktemp("overview"), persons=PERSONS, referrals=REFERRALS, support_periods=SUPPORTS,
                     sessions=SESSIONS, attendances=ATTENDANCES)


def test_figures_previous_range_and_change(data: Data) -> None:
    frame = overview(data, H1)
    assert frame.columns == OVERVIEW
    assert rows(frame) == [
        # figure, value, previous, change, _value_n, _previous_n, _value_num, _previous_num
        ("persons_accompanied", 4.0, 2.0, 2.0, 4, 2, 4, 2),  # P1, P2, P3, S2's P1 / P1, P4
        ("new_persons", 3.0, 1.0, 2.0, 3, 1, 3, 1),  # P2, P3, S2's P1 / P1
        ("referrals", 3.0, 1.0, 2.0, 3, 1, 3, 1),
        ("exits", 2.0, 1.0, 1.0, 2, 1, 2, 1),  # P3's death is not an exit
        ("housing_positive_rate", 1.0, 0.0, 1.0, 1, 1, 1, 0),  # NON_CONCERNE leaves the denominator
        ("dynamic_exit_rate", 0.5, None, None, 2, 0, 1, 0),  # INCONNU stays in it
        ("workshop_participants", 2.0, 1.0, 1.0, 2, 1, 2, 1),
        ("attendance_rate", 0.6667, 0.5, 0.1667, 3, 2, 2, 1),
    ]
    assert tuple(frame["figure"]) == FIGURES
    assert CATALOGUE["overview"].compute is overview


def test_default_range_is_the_last_twelve_whole_months(data: Data) -> None:
    # The last event is the session of 2024-07-01: July is not whole.
    assert overview_range(data, Filters()) == (date(2023, 7, 1), date(2024, 6, 30))
    frame = overview(data, Filters())
    assert rows(frame.filter(figure="persons_accompanied")) == [("persons_accompanied", 5.0, 1.0, 4.0, 5, 1, 5, 1)]
    assert rows(frame.filter(figure="referrals")) == [("referrals", 4.0, 0.0, 4.0, 4, 0, 4, 0)]


def test_ranges_with_one_end(data: Data) -> None:
    assert overview_range(data, Filters(start=date(2024, 3, 1))) == (date(2024, 3, 1), date(2024, 7, 1))
    assert overview_range(data, Filters(end=date(2024, 3, 31))) == (date(2023, 4, 1), date(2024, 3, 31))
    assert overview_range(data, Filters(end=date(2024, 3, 15))) == (date(2023, 3, 1), date(2024, 2, 29))


def test_filters(data: Data) -> None:
    women = overview(data, H1.with_(sexes=("F",)))
    assert rows(women.filter(figure="persons_accompanied")) == [("persons_accompanied", 3.0, 1.0, 2.0, 3, 1, 3, 1)]
    assert rows(women.filter(figure="attendance_rate")) == [("attendance_rate", 1.0, 1.0, 0.0, 2, 1, 2, 1)]
    other = overview(data, H1.with_(structures=("S2",)))
    assert other.select("figure", "value").rows()[:4] == [
        ("persons_accompanied", 1.0), ("new_persons", 1.0), ("referrals", 1.0), ("exits", 1.0)
    ]
    day_centre = overview(data, H1.with_(programs=(AJ,)))
    assert rows(day_centre.filter(figure="exits")) == [("exits", 1.0, 0.0, 1.0, 1, 0, 1, 0)]


def test_empty_database(tmp_path: Path) -> None:
    frame = overview(make_data(tmp_path), Filters())
    assert frame.is_empty() and frame.columns == OVERVIEW


def test_snapshot_cache_keeps_the_most_recently_used_and_forgets_dead_snapshots(data: Data, tmp_path: Path) -> None:
    from dashboard.metrics.common import PerSnapshot

    cache = PerSnapshot(size=2)
    calls: list[str] = []

    def compute(key: str) -> str:
        calls.append(key)
        return key.upper()

    assert [cache.get(data, key, lambda k=key: compute(k)) for key in ("a", "b", "a", "c", "a", "b")] == list("ABACAB")
    assert calls == ["a", "b", "c", "b"]  # "a" stayed as the most recently used; "b" was dropped for "c"
    other = make_data(tmp_path)
    cache.get(other, "a", lambda: compute("x"))
    assert calls[-1] == "x" and len(cache._slots) == 2
    del other
    import gc

    gc.collect()
    assert len(cache._slots) == 1
