"""Which workshops keep people: newcomers per workshop and category, and who is still there 3 months on.

Sessions (structure S1), each person listed is PRESENT:
  W1 Couture (EXPRESSION): 2024-01-10 P1 P2; 2024-02-10 P3; 2024-05-10 P1; 2024-09-10 P3 P4
  W2 Chant (EXPRESSION):   2024-01-15 P5; 2024-06-15 P2 P5
  W3 Info (NUMERIQUE):     2024-03-01 P6
Last session: September 2024, so only first presences up to June count (June + 3 months = September).
W1: newcomers P1 (Jan), P2 (Jan), P3 (Feb); P4 (Sep) too late. Still there 3 months on: P1 (May), P3 (Sep): 2 / 3.
W2: P5 (Jan, back in Jun), P2 (first at W2 in Jun, not after): 1 / 2.  W3: P6 never back: 0 / 1.
EXPRESSION: P1 (Jan-May), P2 (Jan-Jun), P3 (Feb-Sep), P5 (Jan-Jun): 4 / 4.  NUMERIQUE: 0 / 1.
From February on: W1 keeps P3 alone (1 / 1), W2 has P2 (0 / 1), EXPRESSION P3 (1 / 1).
"""

from datetime import date
from pathlib import Path

import pytest

from dashboard.charts.workshops import RETENTION_SCALE, cohort_heatmap, retention_bars
from dashboard.data import Data
from dashboard.filters import Filters
from dashboard.metrics.workshops import workshop_retention, workshop_retention_by_category
from tests.charts.helpers import LABELS, protect, subtitle
from tests.metrics.fixtures import make_data, without_keys

SESSIONS = [
    ("SE1", "W1", "2024-01-10", ("P1", "P2")), ("SE2", "W1", "2024-02-10", ("P3",)), ("SE3", "W1", "2024-05-10", ("P1",)),
    ("SE4", "W1", "2024-09-10", ("P3", "P4")), ("SE5", "W2", "2024-01-15", ("P5",)), ("SE6", "W2", "2024-06-15", ("P2", "P5")),
    ("SE7", "W3", "2024-03-01", ("P6",)),
]
YEAR = Filters(start=date(2024, 1, 1), end=date(2024, 12, 31), by="month")


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Data:
    tmp: Path = tmp_path_factory.mktemp("retention")
    return make_data(
        tmp,
        persons=[{"person_id": f"P{i}", "sex": "F", "birth_year": 1980} for i in range(1, 7)],
        workshops=[
            {"workshop_id": "W1", "name": "Couture", "category": "EXPRESSION"},
            {"workshop_id": "W2", "name": "Chant", "category": "EXPRESSION"},
            {"workshop_id": "W3", "name": "Info", "category": "NUMERIQUE"},
        ],
        sessions=[{"session_id": s, "workshop_id": w, "session_date": d} for s, w, d, _ in SESSIONS],
        attendances=[{"session_id": s, "person_id": p, "presence": "PRESENT"} for s, _, _, who in SESSIONS for p in who],
    )


def test_retention_per_workshop(data: Data) -> None:
    rows = without_keys(workshop_retention(data, YEAR)).select("atelier_id", "newcomers", "returned", "retention").rows()
    assert rows == [("W1", 3, 2, 2 / 3), ("W2", 2, 1, 0.5), ("W3", 1, 0, 0.0)]
    later = YEAR.with_(start=date(2024, 2, 1))
    rows = without_keys(workshop_retention(data, later)).select("atelier_id", "newcomers", "returned").rows()
    assert rows == [("W1", 1, 1), ("W2", 1, 0), ("W3", 1, 0)]


def test_retention_per_category(data: Data) -> None:
    rows = without_keys(workshop_retention_by_category(data, YEAR)).rows()
    assert rows == [("EXPRESSION", 4, 4, 1.0), ("NUMERIQUE", 1, 0, 0.0)]
    later = without_keys(workshop_retention_by_category(data, YEAR.with_(start=date(2024, 2, 1)))).rows()
    assert later == [("EXPRESSION", 1, 1, 1.0), ("NUMERIQUE", 1, 0, 0.0)]


def test_retention_bars_say_each_share_and_its_n() -> None:
    rows = [{"structure_id": "S1", "atelier_id": "W1", "workshop": "Couture", "category": "EXPRESSION", "newcomers": 30,
             "returned": 20, "retention": 2 / 3},
            {"structure_id": "S1", "atelier_id": "W2", "workshop": "Chant", "category": "EXPRESSION", "newcomers": 3,
             "returned": 1, "retention": 1 / 3}]
    fig = retention_bars(protect(rows, {"newcomers": [1], "returned": [1], "retention": [1]}), "workshop", "fr", LABELS)
    bars = fig.data[0]
    assert list(bars.y) == ["Chant", "Couture"]  # most newcomers at the top
    assert list(bars.text) == ["< 5", "67\u00a0%"]
    assert list(bars.customdata) == ["< 5", "30"]
    assert fig.layout.title.text == "Qui reste, par atelier"
    assert "n = 30 nouveaux participants" in subtitle(fig)
    nobody = [{**rows[0], "atelier_id": "W3", "workshop": "Poterie", "newcomers": 0, "returned": 0, "retention": None}]
    assert list(retention_bars(protect(rows + nobody), "workshop", "fr", LABELS).data[0].y) == ["Chant", "Couture"]
    assert retention_bars(protect(nobody), "workshop", "fr", LABELS) is None  # no newcomer: no bar without a value


def cohorts(count: int) -> list[dict]:
    return [{"cohort": f"{2000 + i}", "offset": 0, "cohort_size": 10, "persons_active": 10, "retention": 1.0}
            for i in range(count)]


def test_cohort_heatmap_says_when_it_keeps_the_latest_cohorts_and_what_white_means() -> None:
    fig = cohort_heatmap(protect(cohorts(30)), "en", "year")
    assert len(fig.data[0].y) == 24 and fig.data[0].y[0].startswith("2006")
    assert "The latest 24 cohorts of 30: narrow the period to see the others" in subtitle(fig)
    assert "White: period not over yet; 0% is light blue" in subtitle(fig)
    assert [list(c) for c in fig.data[0].colorscale][0] == list(RETENTION_SCALE[0])  # 0 % is not white
    assert "latest" not in subtitle(cohort_heatmap(protect(cohorts(3)), "en", "year"))
