"""Every rule of ``models.quality`` and the score, on the hand-built network of ``tests/quality/fixture.py``."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from dashboard import quality as counts
from dashboard.data import Data
from models import quality
from tests.metrics.fixtures import make_data
from tests.quality.fixture import (
    COLUMNS_S1,
    COMPLETENESS_S1,
    CONSISTENCY_S1,
    LAST_DAY,
    RULES_S1,
    SCORE_S1,
    rows,
)

EMPTY_LOG = pl.DataFrame(schema={"load_id": pl.Int64, "structure_id": pl.String, "measure": pl.String,
                                 "rows": pl.Int64, "total": pl.Int64})


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Data:
    return make_data(Path(tmp_path_factory.mktemp("quality")), **rows())


@pytest.fixture(scope="module")
def s1(data: Data) -> quality.Frames:
    return {name: frame.filter(pl.col("structure_id") == "S1") for name, frame in counts.frames_of(data).items()}


def test_the_reference_day_is_the_data_last_day(data: Data) -> None:
    assert data.last_day == LAST_DAY


def test_completeness_counts_missing_and_unknown_apart(s1: quality.Frames) -> None:
    found = {}
    for column in quality.COMPLETENESS:
        frame = s1[column.table]
        got = frame.select(column.expected_rows().sum(), column.missing().sum().alias("m"), column.unknown().sum().alias("u"))
        found[column.name] = tuple(int(v) for v in got.row(0))
    assert found == COLUMNS_S1


def test_unknown_is_an_answer_for_the_destination(s1: quality.Frames) -> None:
    exits = quality.exits_without_destination(s1, LAST_DAY)
    assert exits["support_id"].to_list() == ["A9"]  # A10 says INCONNU: an answer, not flagged


def test_overlaps_are_within_one_program_and_half_open(s1: quality.Frames) -> None:
    flagged = sorted(quality.overlapping_periods(s1, LAST_DAY)["support_id"].to_list())
    # A1/A2: exit and entry on the same day (a transfer); A7/A8: two programs; A5 ends the day it starts and
    # still covers that day, shared with A6.
    assert flagged == ["A3", "A4", "A5", "A6"]


def test_a_period_that_ends_the_day_it_starts_is_alone_no_overlap() -> None:
    frame = pl.DataFrame({"structure_id": ["S", "S"], "person_id": ["P", "P"], "program": ["X", "X"],
                          "support_id": ["A", "B"], "entry_date": [date(2024, 1, 1), date(2024, 1, 2)],
                          "exit_date": [date(2024, 1, 1), None]})
    assert quality.overlapping_periods({"support_periods": frame}, LAST_DAY).is_empty()


def test_two_open_periods_overlap() -> None:
    frame = pl.DataFrame({"structure_id": ["S", "S"], "person_id": ["P", "P"], "program": ["X", "X"],
                          "support_id": ["A", "B"], "entry_date": [date(2024, 1, 1), date(2024, 6, 1)],
                          "exit_date": [None, None]}, schema_overrides={"exit_date": pl.Date})
    assert sorted(quality.overlapping_periods({"support_periods": frame}, LAST_DAY)["support_id"]) == ["A", "B"]


def test_pending_means_more_than_ninety_days(s1: quality.Frames) -> None:
    assert sorted(quality.pending_referrals(s1, LAST_DAY)["referral_id"]) == ["R2", "R5"]  # R3: exactly 90 days


def test_assessments_after_the_last_exit_when_every_period_has_ended(s1: quality.Frames) -> None:
    flagged = quality.assessments_after_exit(s1, LAST_DAY).select("person_id", "assessment_date").sort("person_id")
    assert flagged.rows() == [("P05", date(2024, 3, 2)), ("P06", date(2024, 3, 1))]


def test_workshops_without_sessions(s1: quality.Frames) -> None:
    assert quality.workshops_without_sessions(s1, LAST_DAY)["workshop_id"].to_list() == ["W2"]


def test_each_rule_judges_and_flags_the_hand_counted_rows(s1: quality.Frames) -> None:
    found = {rule.code: (quality.base_rows(rule, s1).height, rule.rows(s1, LAST_DAY).height)
             for rule in quality.CONSISTENCY}
    assert found == RULES_S1


def test_score_of_the_network_s1(data: Data) -> None:
    parts = counts.current_parts(data, "S1", EMPTY_LOG)
    found = quality.score(parts.columns, parts.rules, parts.arrived, parts.on_time)
    assert found.completeness == pytest.approx(COMPLETENESS_S1)
    assert found.consistency == pytest.approx(CONSISTENCY_S1)
    assert found.timeliness is None
    assert found.value == pytest.approx(SCORE_S1)  # 74.21...
    assert round(SCORE_S1, 4) == 74.2143


def test_score_weights_and_missing_parts() -> None:
    # One column half missing (C = 0.5), one rule never flagging (K = 1), 3 of 4 rows on time (T = 0.75).
    found = quality.score([(10, 5, 0)], [(4, 0)], arrived=4, on_time=3)
    assert found.value == pytest.approx(100 * (0.4 * 0.5 + 0.4 * 1 + 0.2 * 0.75))  # 75.0
    # An unknown costs half a missing value.
    assert quality.score([(10, 0, 4)], [], 0, 0).value == pytest.approx(80.0)
    assert quality.score([], [], 0, 0).value is None


@pytest.mark.parametrize(("value", "band"), [(90, "A"), (89.9, "B"), (75, "B"), (74.9, "C"), (50, "C"), (49, "D"),
                                             (None, None)])
def test_bands(value: float | None, band: str | None) -> None:
    assert quality.band(value) == band


def test_the_shown_score_steps_by_five_with_its_band(data: Data) -> None:
    scores = counts.scores(data, EMPTY_LOG, k=5)
    assert scores.rows() == [
        ("S1", "Foyer Les Tilleuls", 0.85, 0.65, None, 75, "B"),  # 74.2 -> 75; C 0.826 -> 0.85; K 0.658 -> 0.65
        ("S2", "Petit accueil", None, None, None, None, None),  # 3 persons: under k
    ]
