"""Time to exit on the demo network (size S, fixed seed and day) against lifelines called directly.

Kaplan–Meier on the raw whole-day times must agree exactly (ties are handled the same way). lifelines'
Aalen–Johansen, called on the raw times, jitters tied times of different kinds at random (a seed fixes it):
its estimates may then move a little where a censoring shares the day, so they are compared within 0.01;
the estimates and bands of the module equal lifelines' own fit, variance included, on the tie-ordered times.
"""

from __future__ import annotations

import warnings
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from dashboard.data import Data, read_data
from dashboard.filters import Filters
from dashboard.metrics.time_to_exit import DAYS, HOUSING, OTHER, _prepared, estimate, program_subjects
from etl.demo import write_demo
from etl.load import load_dataset
from etl.validate import read_and_validate
from models.db import make_engine
from tests.survival.fixture import assert_fit_is_lifelines

TODAY = date(2026, 3, 15)
RANGE = Filters(start=date(2023, 1, 1), end=date(2025, 12, 31))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Data:
    folder = tmp_path_factory.mktemp("tte-demo")
    write_demo("S", folder / "S", seed=7, today=TODAY)
    dataset = read_and_validate(folder / "S", today=TODAY)
    engine = make_engine(f"sqlite:///{folder / 'demo.db'}")
    try:
        load_dataset(engine, dataset, source="demo")
        return read_data(engine)
    finally:
        engine.dispose()


def test_against_lifelines_on_the_demo(demo: Data) -> None:
    from lifelines import AalenJohansenFitter, KaplanMeierFitter

    subjects = program_subjects(demo, RANGE)
    programs = subjects["group"].unique().sort().to_list()
    assert len(programs) >= 3 and subjects.height > 100
    checked = 0
    for program in programs:
        rows = subjects.filter(pl.col("group") == program)
        if rows.height < 20:
            continue
        times, events = rows["time"].to_numpy(), rows["event"].to_numpy()
        ours = estimate(times, events, bands=True)
        km = KaplanMeierFitter().fit(times, event_observed=events != 0)
        assert ours["survival"] == pytest.approx(km.survival_function_at_times(list(DAYS)).to_numpy(), abs=1e-12)
        total = ours["survival"] + ours["cif_housing_positive"] + ours["cif_other_exit"]
        assert total == pytest.approx(np.ones(len(DAYS)), abs=1e-12)
        shifted, kinds, weights = _prepared(times, events, DAYS)
        for kind, name in ((HOUSING, "cif_housing_positive"), (OTHER, "cif_other_exit")):
            if not (events == kind).any():
                continue
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # "tied event times ... jittered": expected on whole days
                raw = AalenJohansenFitter(seed=0, calculate_variance=False).fit(times, events, event_of_interest=kind)
            index = raw.cumulative_density_.index.to_numpy()
            rows_at = np.searchsorted(index, np.array(DAYS) + 0.5, side="right") - 1
            assert ours[name] == pytest.approx(raw.cumulative_density_.iloc[rows_at, 0].to_numpy(), abs=0.01)
            fit = AalenJohansenFitter(calculate_variance=True).fit(shifted, kinds, event_of_interest=kind, weights=weights)
            rows_at = np.searchsorted(fit.cumulative_density_.index.to_numpy(), np.array(DAYS) + 1.5, side="right") - 1
            assert ours[name] == pytest.approx(fit.cumulative_density_.iloc[rows_at, 0].to_numpy(), abs=1e-12)
            bounds = np.sort(fit.confidence_interval_.to_numpy()[rows_at], axis=1)
            known = ~np.isnan(bounds[:, 0])
            assert ours[f"{name}_low"][known] == pytest.approx(bounds[known, 0], abs=1e-9)
            assert ours[f"{name}_high"][known] == pytest.approx(bounds[known, 1], abs=1e-9)
        checked += 1
    assert checked >= 3


def test_open_periods_are_censored_at_the_last_day(demo: Data, tmp_path: Path) -> None:
    subjects = program_subjects(demo, RANGE)
    supports = demo.support_periods.filter(pl.col("entry_date").is_between(*[RANGE.start, RANGE.end]))
    still_open = supports.filter(pl.col("exit_date").is_null())
    assert still_open.height > 0
    expected = still_open.select((pl.lit(demo.last_day) - pl.col("entry_date")).dt.total_days()).to_series().sort()
    censored = subjects.filter(pl.col("event") == 0)["time"].sort()
    assert censored.to_list() == expected.to_list()



def test_the_module_computes_lifelines_fits(demo: Data) -> None:
    """``_fit`` (NumPy) equals lifelines' fits on the same tie-ordered, weighted rows, program by program (the demo
    has no housing exit in this range: the hand fixture checks that incidence, ``test_estimates``)."""
    checked = 0
    for program in program_subjects(demo, RANGE)["group"].unique().sort().to_list():
        rows = program_subjects(demo, RANGE).filter(pl.col("group") == program)
        if rows.height >= 20:
            assert_fit_is_lifelines(rows["time"].to_numpy(), rows["event"].to_numpy())
            checked += 1
    assert checked >= 3
