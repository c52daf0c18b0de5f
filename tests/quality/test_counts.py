"""What the page shows after the gate (exact mode: no noise, every other rule), timeliness and the trends."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from dashboard import quality as counts
from dashboard.data import Data
from etl.quality_log import arrival_measures
from tests.metrics.fixtures import make_data
from tests.quality.fixture import rows


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Data:
    return make_data(Path(tmp_path_factory.mktemp("quality-counts")), **rows())


def _rows(gated: counts.Gated) -> dict[str, tuple]:
    return {row[0]: row[1:] for row in gated.table.rows()}


def _cells(gated: counts.Gated) -> dict[str, tuple]:
    return {m: row[1:] for m, row in zip(gated.table["measure"], gated.cells.rows(), strict=True)}


def test_consistency_at_k1_shows_every_hand_count(data: Data) -> None:
    shown = _rows(counts.consistency(data, "S1", k=1, k_published=1, exact=True))
    assert shown == {
        "OVERLAPPING_SUPPORT": (10, 4, 0.4),
        "EXIT_WITHOUT_DESTINATION": (7, 1, 0.14),
        "REFERRAL_PENDING": (6, 2, 0.33),
        "ASSESSMENT_AFTER_EXIT": (5, 2, 0.4),  # persons: 5 assessed, P05 and P06 after their exit
        "WORKSHOP_WITHOUT_SESSION": (2, 1, 0.5),
    }


def test_consistency_at_k5_hides_small_counts_and_their_shares(data: Data) -> None:
    gated = counts.consistency(data, "S1", k=5, k_published=11, exact=True)
    assert _rows(gated)["OVERLAPPING_SUPPORT"] == (10, None, None)
    assert _cells(gated)["OVERLAPPING_SUPPORT"] == (None, "small", "masked")
    assert _cells(gated)["ASSESSMENT_AFTER_EXIT"] == (None, "small", "masked")
    # Workshops are not about persons: their counts show as they are; the share of 2 workshops is under k.
    assert _rows(gated)["WORKSHOP_WITHOUT_SESSION"] == (2, 1, None)
    assert _cells(gated)["WORKSHOP_WITHOUT_SESSION"] == (None, None, "masked")


def test_an_event_count_needs_k_persons_behind_it(data: Data) -> None:
    # 10 support periods, but only 6 persons behind them: at k = 7 the count is masked, not shown.
    gated = counts.consistency(data, "S1", k=7, k_published=11, exact=True)
    assert _cells(gated)["OVERLAPPING_SUPPORT"][0] == "masked"
    assert _rows(gated)["OVERLAPPING_SUPPORT"][0] is None


def test_completeness_keeps_missing_and_unknown_apart(data: Data) -> None:
    shown = _rows(counts.completeness(data, "S1", k=1, k_published=1, exact=True))
    assert shown["persons.sex"] == (12, 2, 2, 0.17, 0.17)
    assert shown["persons.birth_year"] == (12, 1, 0, 0.08, 0.0)
    assert shown["referrals.decision_date"] == (3, 1, 0, 0.33, 0.0)
    assert shown["support_periods.exit_housing"] == (7, 1, 1, 0.14, 0.14)
    assert shown["workshop_sessions.duration_minutes"] == (2, 1, 0, 0.5, 0.0)
    assert len(shown) == 20


def test_a_structure_under_k_persons_shows_nothing(data: Data) -> None:
    for gated in (counts.completeness(data, "S2", k=5, k_published=11, exact=True),
                  counts.consistency(data, "S2", k=5, k_published=11, exact=True)):
        assert gated.too_small and gated.table.is_empty()


def test_the_network_pools_the_structures(data: Data) -> None:
    shown = _rows(counts.completeness(data, None, k=1, k_published=1, exact=True))
    assert shown["persons.sex"][:3] == (15, 2, 2)  # S2's 3 persons all have a sex


def test_timeliness_from_the_day_of_the_load() -> None:
    new = {"referrals": pl.DataFrame({
        "structure_id": ["S1"] * 4,
        "referral_date": [date(2025, 1, 31), date(2025, 1, 1), date(2024, 12, 31), date(2025, 2, 5)],
    })}
    # Ages 0, 30 (on time: at most 30 days), 31 (late), and a date after the load read as 0; median 15.
    assert arrival_measures(new, date(2025, 1, 31)) == [("S1", "timely:referrals", 3, 4), ("S1", "lag:referrals", 15, 4)]


LOG = pl.DataFrame(
    [
        (1, "S1", "missing:persons.sex", 1, 20), (1, "S1", "rule:REFERRAL_PENDING", 3, 20),
        (1, "S1", "timely:referrals", 0, 100),  # the first load brings the history: not judged
        (2, "S1", "missing:persons.sex", 0, 20), (2, "S1", "rule:REFERRAL_PENDING", 0, 20),
        (2, "S1", "timely:referrals", 9, 10),
        (3, "S1", "missing:persons.sex", 0, 5), (3, "S1", "rule:REFERRAL_PENDING", 0, 5),
    ],
    schema={"load_id": pl.Int64, "structure_id": pl.String, "measure": pl.String, "rows": pl.Int64,
            "total": pl.Int64},
    orient="row",
)


def test_trends_over_loads(data: Data) -> None:
    found = counts.trends(data, LOG, "S1", k_published=11).drop("loaded_at")
    assert found.rows() == [
        (1, 0.95, 0.85, None, 90, "A"),  # C = 1 - 1/20, K = 1 - 3/20, no timeliness: (0.95 + 0.85) / 2
        (2, 1.0, 1.0, 0.9, 100, "A"),  # 0.4 + 0.4 + 0.2 x 0.9 = 0.98, shown in 5-point steps
        (3, None, None, None, None, None),  # 5 persons in that export: under the published k
    ]


def test_one_load_shares_in_five_point_steps() -> None:
    shares = counts.load_shares(LOG, 1, "S1", k_published=11)
    assert shares.rows() == [("missing", "persons.sex", 0.05), ("rule", "REFERRAL_PENDING", 0.15)]
    assert counts.load_shares(LOG, 3, "S1", k_published=11)["share"].to_list() == [None, None]


def test_protected_mode_perturbs_person_and_event_counts_within_the_bound(data: Data) -> None:
    exact = _rows(counts.completeness(data, "S1", k=1, k_published=1, exact=True))
    noisy = _rows(counts.completeness(data, "S1", k=1, k_published=1, exact=False))
    assert noisy == _rows(counts.completeness(data, "S1", k=1, k_published=1, exact=False))  # the same noise every time
    for measure, values in exact.items():
        for true, shown in zip(values[:3], noisy[measure][:3], strict=True):
            assert shown is None or abs(shown - true) <= 3, measure  # D = PARCOURS_CKM_MAX = 3
    # Workshops and sessions are not about persons: never perturbed.
    assert noisy["workshops.modality"][:3] == exact["workshops.modality"][:3] == (2, 1, 0)
    assert any(noisy[m][:3] != exact[m][:3] for m in exact if m.startswith(("persons.", "referrals.", "support_")))
