"""The notebook API gives the gate's published figures, for cohorts and filters alike."""

from datetime import date
from pathlib import Path

import pytest

from dashboard import api
from dashboard.cohorts import CohortError
from tests.cohorts.test_cohorts import FIXTURE, SPIP_2023
from tests.metrics.fixtures import make_db


@pytest.fixture
def data(tmp_path: Path):
    return api.open_data(make_db(tmp_path / "api.db", **FIXTURE))


def test_cohort_figure_as_a_polars_frame(data, monkeypatch):
    monkeypatch.setenv("PARCOURS_MIN_CELL", "1")
    monkeypatch.setenv("PARCOURS_MIN_CELL_PUBLISHED", "1")
    frame = api.figure("cohort-outcomes", data, cohort=SPIP_2023)
    assert frame.columns == ["indicator", "persons", "count", "rate"]
    assert frame.row(0) == ("members", 3, 3, 1.0)
    both = api.compare(data, [SPIP_2023, SPIP_2023.with_(name="Tous", source=None)])
    assert both.outcomes.filter(both.outcomes["indicator"] == "members")["persons"].to_list() == [3, 5]


def test_published_threshold_by_default(data):
    # Three persons: under the published k (11), the cohort is hidden whole.
    result = api.protected("cohort-outcomes", data, cohort=SPIP_2023)
    assert result.too_small and result.k == 11 and api.figure("cohort-outcomes", data, cohort=SPIP_2023).is_empty()


def test_a_bad_cohort_is_refused(data):
    with pytest.raises(CohortError):
        api.figure("cohort-outcomes", data, cohort=SPIP_2023.with_(source="NOPE"))


def test_every_figure_is_listed_and_filters_work(data, monkeypatch):
    monkeypatch.setenv("PARCOURS_MIN_CELL_PUBLISHED", "1")
    monkeypatch.setenv("PARCOURS_MIN_CELL", "1")
    assert "cohort-outcomes" in api.figures_list() and "exits" in api.figures_list()
    frame = api.figure("referrals-by-source", data, start=date(2023, 1, 1), end=date(2023, 12, 31), by="year")
    total = frame.filter(frame["source"] == "TOTAL")["referrals"].to_list()
    assert total == [6]  # 2023 referrals: P1 twice (02-10, 05-05), P2, P3, P5, P6
