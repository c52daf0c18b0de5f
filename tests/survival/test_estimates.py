"""Kaplan–Meier and Aalen–Johansen estimates against a hand computation (``tests/survival/fixture.py``).

Program HEBERGEMENT_INSERTION, 10 support periods; times in days, H = housing-positive exit, O = other exit
(death included), c = censored at the last day of data:

    20 H, 20 O, 50 H, 100 c, 100 H, 100 O (death), 150 O, 200 c, 300 H, 400 c

Risk sets (events before censorings on a tie): day 20: n = 10, 2 exits (1 H, 1 O); day 50: n = 8, 1 H;
day 100: n = 7, 2 exits (1 H, 1 O), then 1 censored; day 150: n = 4, 1 O; day 200: 1 censored;
day 300: n = 2, 1 H; day 400: the last one censored.

Kaplan–Meier S(t) = product of (1 - d/n):
    S(20) = 8/10 = 0.8;  S(50) = 0.8 * 7/8 = 0.7;  S(100) = 0.7 * 5/7 = 0.5;
    S(150) = 0.5 * 3/4 = 0.375;  S(300) = 0.375 * 1/2 = 0.1875 (then flat: the last time is a censoring).
Aalen–Johansen F_k(t) = sum of S(t_i-) * d_k,i / n_i:
    housing: day 20: 1 * 1/10 = 0.1; day 50: 0.8 * 1/8 = 0.1; day 100: 0.7 * 1/7 = 0.1;
             day 300: 0.375 * 1/2 = 0.1875  ->  0.1, 0.2, 0.3, 0.4875
    other:   day 20: 1 * 1/10 = 0.1; day 100: 0.7 * 1/7 = 0.1; day 150: 0.5 * 1/4 = 0.125
             ->  0.1, 0.2, 0.325
    (check: S + F_housing + F_other = 0.1875 + 0.4875 + 0.325 = 1 after day 300)
Read at the end of days 30, 90, 180, 365, 730:
    survival     0.8, 0.7, 0.375, 0.1875, 0.1875
    housing      0.1, 0.2, 0.3,   0.4875, 0.4875
    other        0.1, 0.1, 0.325, 0.325,  0.325
at_risk (time >= day): 30: 8 (all but the two day-20 exits); 90: 7; 180: 3 (200, 300, 400); 365: 1; 730: 0.
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest

from dashboard.data import Data
from dashboard.filters import Filters
from dashboard.metrics.time_to_exit import (
    CENSORED,
    HOUSING,
    OTHER,
    CohortMembers,
    _prepared,
    estimate,
    program_subjects,
    time_to_exit,
)
from tests.survival.fixture import AJ, HI, YEAR_2023, assert_fit_is_lifelines, fixture_data

RANGE = Filters(start=YEAR_2023[0], end=YEAR_2023[1])
SURVIVAL = [0.8, 0.7, 0.375, 0.1875, 0.1875]
HOUSING_CIF = [0.1, 0.2, 0.3, 0.4875, 0.4875]
OTHER_CIF = [0.1, 0.1, 0.325, 0.325, 0.325]
AT_RISK = [8, 7, 3, 1, 0]


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Data:
    return fixture_data(tmp_path_factory.mktemp("survival"))


def test_subjects_are_periods_entered_in_the_range(data: Data) -> None:
    subjects = program_subjects(data, RANGE).sort("time", "event")
    hi = subjects.filter(pl.col("group") == HI)
    # P01's period of 2022 is not a subject; P06's death is an other exit despite its housing destination.
    assert hi.select("time", "event").rows() == [
        (20, HOUSING), (20, OTHER), (50, HOUSING), (100, CENSORED), (100, HOUSING), (100, OTHER), (150, OTHER),
        (200, CENSORED), (300, HOUSING), (400, CENSORED),
    ]
    assert subjects.filter(pl.col("group") == AJ).height == 3


def test_program_figures_against_the_hand_computation(data: Data) -> None:
    table = time_to_exit(data, RANGE).filter(pl.col("program") == HI)
    assert table["day"].to_list() == [30, 90, 180, 365, 730]
    assert table["at_risk"].to_list() == AT_RISK
    assert table["_subjects"].to_list() == [10] * 5
    for column, expected in (("survival", SURVIVAL), ("cif_housing_positive", HOUSING_CIF), ("cif_other_exit", OTHER_CIF)):
        assert table[column].to_list() == pytest.approx(expected, abs=1e-12), column


def test_bands_against_the_hand_computation(data: Data) -> None:
    """lifelines' Kaplan–Meier interval is log-log (exponential Greenwood): with g = sum of d / (n (n - d)),
    v = g / (log S)^2 and the bounds S ** exp(+-1.96 sqrt(v)). At day 30: g = 2 / (10 * 8) = 0.025,
    log 0.8 = -0.2231436, (log 0.8)^2 = 0.0497930, v = 0.025 / 0.0497930 = 0.502078, sqrt(v) = 0.708575,
    1.959964 * 0.708575 = 1.388781, exp(1.388781) = 4 * exp(0.002487) = 4.009960 and exp(-1.388781) = 0.249379:
    low = 0.8 ** 4.009960 = exp(-0.894806) = 0.408690, high = 0.8 ** 0.249379 = exp(-0.055647) = 0.945873."""
    table = time_to_exit(data, RANGE, bands=True).filter(pl.col("program") == HI)
    assert table["survival_low"][0] == pytest.approx(0.408690, abs=1e-5)
    assert table["survival_high"][0] == pytest.approx(0.945873, abs=1e-5)
    for name in ("survival", "cif_housing_positive", "cif_other_exit"):
        low, value, high = (np.array(table[c].to_list()) for c in (f"{name}_low", name, f"{name}_high"))
        assert (low <= value + 1e-12).all() and (value <= high + 1e-12).all(), name


def test_the_estimates_are_lifelines_own(data: Data) -> None:
    """The module reads lifelines' fits; the other exits' incidence (1 - S - F_housing) and the vectorised variance
    equal lifelines' own Aalen–Johansen fit of that kind, bands included."""
    from lifelines import AalenJohansenFitter

    subjects = program_subjects(data, RANGE).filter(pl.col("group") == HI)
    times, events = subjects["time"].to_numpy(), subjects["event"].to_numpy()
    ours = estimate(times, events, bands=True)
    shifted, kinds, weights = _prepared(times, events, (30, 90, 180, 365, 730))
    at = np.array([30, 90, 180, 365, 730]) + 1.5
    for kind, name in ((HOUSING, "cif_housing_positive"), (OTHER, "cif_other_exit")):
        fit = AalenJohansenFitter(calculate_variance=True).fit(shifted, kinds, event_of_interest=kind, weights=weights)
        rows = np.searchsorted(fit.cumulative_density_.index.to_numpy(), at, side="right") - 1
        assert ours[name] == pytest.approx(fit.cumulative_density_.iloc[rows, 0].to_numpy(), abs=1e-12)
        bounds = np.sort(fit.confidence_interval_.to_numpy()[rows], axis=1)
        known = ~np.isnan(bounds[:, 0])
        assert ours[f"{name}_low"][known] == pytest.approx(bounds[known, 0], abs=1e-12)
        assert ours[f"{name}_high"][known] == pytest.approx(bounds[known, 1], abs=1e-12)


def test_cohort_subjects_are_first_periods_from_the_anchor(data: Data) -> None:
    pids = dict(zip(data.persons["person_id"], data.persons["pid"], strict=True))
    anchors = [(pids[f"P{i:02d}"], "2023-01-01") for i in range(1, 11)] + [(pids["P11"], "2024-01-01")]
    members = pl.DataFrame(anchors, schema={"pid": pl.UInt32, "anchor_date": pl.String}, orient="row").with_columns(
        pl.col("anchor_date").str.to_date())
    # P01's 2022 period is before the anchor; P11 has no period from 2024 on: 10 subjects, the program's numbers.
    table = time_to_exit(data, Filters(), by="cohort", cohorts=[CohortMembers("C1", members)])
    assert table.columns[:2] == ["cohort", "day"] and table["cohort"].unique().to_list() == ["C1"]
    assert table["_subjects"].to_list() == [10] * 5
    assert table["at_risk"].to_list() == AT_RISK
    assert table["survival"].to_list() == pytest.approx(SURVIVAL, abs=1e-12)
    assert table["cif_housing_positive"].to_list() == pytest.approx(HOUSING_CIF, abs=1e-12)


def test_no_subject_and_no_event_of_a_kind() -> None:
    assert all(math.isnan(v) for v in estimate(np.array([]), np.array([]))["survival"])
    # Only other exits and a censoring: no housing incidence, and the other one is 1 - S.
    values = estimate(np.array([10, 40, 60]), np.array([OTHER, OTHER, CENSORED]), (30, 90), bands=True)
    assert values["cif_housing_positive"].tolist() == [0.0, 0.0]
    assert values["survival"] == pytest.approx([2 / 3, 1 / 3])  # 1 - 1/3, then * (1 - 1/2)
    assert values["cif_other_exit"] == pytest.approx([1 / 3, 2 / 3])


def test_at_risk_counts_periods_and_persons_with_their_keys() -> None:
    """At risk from suffix sums over distinct times, by hand. Group A: person 1 has two periods (times 10 and
    50), person 2 one (time 40); group B: person 3 (time 5). At day 30: A has 2 periods at risk (50, 40; keys
    200 + 300) and 2 persons (1 and 2: pk 7 + 11); person 1 is still at risk at day 45 through the 50-day period
    alone: 1 period (key 200), 1 person (pk 7). B has nobody at risk from day 30: zeros, not a missing row. Each
    equals ``event_count`` over one row per period and day (the module's earlier formula)."""
    from dashboard.metrics.common import event_count, helpers
    from dashboard.metrics.time_to_exit import _table

    subjects = pl.DataFrame(
        {"group": ["A", "A", "A", "B"], "pid": [1, 1, 2, 3], "pk": [7, 7, 11, 13], "ek": [100, 200, 300, 400],
         "time": [10, 50, 40, 5], "event": [OTHER, CENSORED, HOUSING, OTHER]},
        schema_overrides={"pid": pl.UInt32, "event": pl.Int8})
    days = (1, 30, 45)
    columns = ["group", "day", "at_risk", *helpers("at_risk")]
    table = _table(subjects, "group", days, bands=False).select(columns)
    assert table.rows() == [
        ("A", 1, 3, 600, 2, 18), ("A", 30, 2, 500, 2, 18), ("A", 45, 1, 200, 1, 7),
        ("B", 1, 1, 400, 1, 13), ("B", 30, 0, 0, 0, 0), ("B", 45, 0, 0, 0, 0),
    ]
    grid = pl.DataFrame({"day": list(days)}, schema={"day": pl.Int64})
    earlier = (subjects.join(grid, how="cross").group_by("group", "day")
               .agg(event_count("at_risk", pl.col("time") >= pl.col("day"))).sort("group", "day"))
    assert table.rows() == earlier.select(columns).rows()
    # The group's size (``_subjects``): 3 periods (keys 600), 2 persons (pk 18); B: 1, 400, 1, 13.
    sizes = _table(subjects, "group", days, bands=False).unique("group").sort("group")
    assert sizes.select("_subjects", *helpers("_subjects")).rows() == [(3, 600, 2, 18), (1, 400, 1, 13)]
    assert sizes.select("_subjects", *helpers("_subjects")).rows() == (
        subjects.group_by("group").agg(event_count("_subjects")).sort("group").drop("group").rows())


def test_the_module_computes_lifelines_fits_on_the_hand_example(data: Data) -> None:
    """The NumPy fit equals lifelines' on the hand example (housing exits included), and on the same subjects with
    a censoring tied to an exit and everyone leaving on the last day (survival 0: lifelines' undefined interval)."""
    subjects = program_subjects(data, RANGE).filter(pl.col("group") == HI)
    times, events = subjects["time"].to_numpy(), subjects["event"].to_numpy()
    assert_fit_is_lifelines(times, events)
    assert_fit_is_lifelines(np.array([5, 5, 5, 9, 9]), np.array([HOUSING, CENSORED, OTHER, HOUSING, OTHER]))
