"""A small program whose time to exit is worked out by hand (in ``test_estimates.py``).

Support periods entered in 2023 (the filter's range); the last day of data
is 2024-03-31 (a referral that day), where periods still open are censored.
Each row is (person, program, days from entry to exit or to the last day,
how it ends). Program HEBERGEMENT_INSERTION has 10 subjects with tied
times of different kinds (day 20: housing and other; day 100: housing, a
death and a censoring); ACCUEIL_JOUR has 3 (under k = 5: hidden whole).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from dashboard.data import Data
from tests.metrics.fixtures import make_data, make_db

HI, AJ = "HEBERGEMENT_INSERTION", "ACCUEIL_JOUR"
LAST_DAY = date(2024, 3, 31)
YEAR_2023 = (date(2023, 1, 1), date(2023, 12, 31))

HOUSING, OTHER, DEATH, OPEN = "housing", "other", "death", "open"
SUBJECTS: list[tuple[str, str, int, str]] = [
    ("P01", HI, 20, HOUSING),
    ("P02", HI, 20, OTHER),
    ("P03", HI, 50, HOUSING),
    ("P04", HI, 100, OPEN),     # censored at the last day, the day P05 and P06 leave
    ("P05", HI, 100, HOUSING),
    ("P06", HI, 100, DEATH),    # a death with a housing destination recorded: still not a housing exit
    ("P07", HI, 150, OTHER),
    ("P08", HI, 200, OPEN),
    ("P09", HI, 300, HOUSING),
    ("P10", HI, 400, OPEN),
    ("P11", AJ, 10, HOUSING),
    ("P12", AJ, 40, OTHER),
    ("P13", AJ, 80, OTHER),
]
# Entries for the subjects that exit (any day of 2023 whose exit stays before the last day).
_ENTRY = date(2023, 2, 1)


def support_rows() -> list[dict[str, Any]]:
    rows = []
    for person, program, days, end in SUBJECTS:
        if end == OPEN:
            rows.append({"person_id": person, "program": program, "entry_date": LAST_DAY - timedelta(days=days)})
            continue
        row = {"person_id": person, "program": program, "entry_date": _ENTRY,
               "exit_date": _ENTRY + timedelta(days=days), "exit_reason": "AUTRE",
               "exit_housing": "LOGEMENT_AUTONOME" if end == HOUSING else "RUE"}
        if end == DEATH:
            row |= {"exit_reason": "DECES", "exit_housing": "LOGEMENT_AUTONOME"}
        rows.append(row)
    # Entered before the range: not a subject (but a record of P01's).
    rows.append({"person_id": "P01", "program": HI, "entry_date": "2022-06-01", "exit_date": "2022-12-01",
                 "exit_housing": "RUE"})
    return rows


def referral_rows() -> list[dict[str, Any]]:
    return [{"person_id": "P01", "referral_date": LAST_DAY, "source": "AS_SECTEUR"}]


def fixture_data(tmp_path: Path) -> Data:
    return make_data(tmp_path, support_periods=support_rows(), referrals=referral_rows())


def fixture_db(path: Path) -> str:
    return make_db(path, support_periods=support_rows(), referrals=referral_rows())


def assert_fit_is_lifelines(times: np.ndarray, events: np.ndarray) -> None:
    """``time_to_exit._fit`` against lifelines' ``KaplanMeierFitter`` and ``AalenJohansenFitter`` (housing) on
    ``_prepared``'s rows: the event table (rows, at risk, exits), the survival, its exponential Greenwood interval
    and the housing incidence on every row, then the published survival bands read at ``DAYS``."""
    import pytest
    from lifelines import AalenJohansenFitter, KaplanMeierFitter

    from dashboard.metrics.time_to_exit import CENSORED, DAYS, HOUSING, _fit, _prepared, estimate

    shifted, kinds, weights = _prepared(times, events, DAYS)
    ours = _fit(shifted, kinds, weights)
    km = KaplanMeierFitter().fit(shifted, event_observed=kinds != CENSORED, weights=weights)
    assert ours["grid"].tolist() == km.survival_function_.index.tolist()
    assert ours["at_risk"].tolist() == km.event_table["at_risk"].tolist()
    assert ours["observed"].tolist() == km.event_table["observed"].tolist()
    assert ours["survival"] == pytest.approx(km.survival_function_.iloc[:, 0].to_numpy(), abs=1e-12)
    interval = km.confidence_interval_survival_function_.to_numpy()
    assert ours["survival_lower"] == pytest.approx(interval[:, 0], abs=1e-12)
    assert ours["survival_upper"] == pytest.approx(interval[:, 1], abs=1e-12)
    if (kinds == HOUSING).any():
        aj = AalenJohansenFitter(calculate_variance=False).fit(shifted, kinds, event_of_interest=HOUSING, weights=weights)
        assert aj.cumulative_density_.index.tolist() == ours["grid"].tolist()
        assert ours["housing"] == pytest.approx(aj.cumulative_density_.iloc[:, 0].to_numpy(), abs=1e-12)
    else:
        assert not ours["housing"].any()
    published = estimate(times, events, bands=True)
    read = np.searchsorted(ours["grid"], np.array(DAYS) + 1.5, side="right") - 1
    assert published["survival_low"] == pytest.approx(np.fmin(interval[read, 0], interval[read, 1]), abs=1e-12)
    assert published["survival_high"] == pytest.approx(np.fmax(interval[read, 0], interval[read, 1]), abs=1e-12)
