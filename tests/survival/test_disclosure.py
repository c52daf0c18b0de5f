"""Time to exit through the disclosure gate (``figures("time-to-exit", ...)``), on the hand fixture.

On screen k = 5. HEBERGEMENT_INSERTION: at risk 8, 7, 3, 1, 0 on days 30..730 (``test_estimates.py``);
ACCUEIL_JOUR: 3 periods, under k.
"""

from __future__ import annotations

import polars as pl
import pytest

from dashboard.data import Data
from dashboard.disclosure import MASKED, SMALL, figures
from dashboard.filters import Filters
from dashboard.metrics.time_to_exit import BANDS, ESTIMATES, time_to_exit
from tests.survival.fixture import AJ, HI, YEAR_2023, fixture_data

RANGE = Filters(start=YEAR_2023[0], end=YEAR_2023[1])
PROBABILITIES = [*ESTIMATES, *BANDS]


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Data:
    return fixture_data(tmp_path_factory.mktemp("tte-disclosure"))


@pytest.fixture(autouse=True)
def thresholds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARCOURS_MIN_CELL", "5")
    monkeypatch.setenv("PARCOURS_MIN_CELL_PUBLISHED", "11")
    for name in ("PARCOURS_CKM_MAX", "PARCOURS_CKM_VARIANCE"):
        monkeypatch.delenv(name, raising=False)


def test_exact_mode_hides_small_days_and_small_groups(data: Data, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARCOURS_DISCLOSURE", "exact")
    shown = figures("time-to-exit", data, RANGE, published=False, bands=True)
    assert shown.table.columns == ["program", "day", "at_risk", *PROBABILITIES]  # no helper, no event time
    hi = shown.table.filter(pl.col("program") == HI)
    cells = shown.cells.filter(shown.table["program"] == HI)  # readings: keys read null, align by row
    assert hi["at_risk"].to_list() == [8, 7, None, None, 0]
    assert cells["at_risk"].to_list() == [None, None, SMALL, SMALL, None]
    # Whole percent; a day whose at risk is under k (or 0) shows no probability.
    assert hi["survival"].to_list() == [0.8, 0.7, None, None, None]
    assert hi["cif_housing_positive"].to_list() == [0.1, 0.2, None, None, None]
    assert hi["cif_other_exit"].to_list() == [0.1, 0.1, None, None, None]
    assert cells["survival"].to_list() == [None, None, MASKED, MASKED, MASKED]
    for column in BANDS:
        assert hi[column].null_count() == 3 and all(0 <= v <= 1 for v in hi[column].drop_nulls()), column
    # A program of 3 periods: every figure of it hidden, whatever its days' at risk.
    aj = shown.table.filter(pl.col("program") == AJ)
    assert aj.height == 5 and all(aj[c].null_count() == 5 for c in ["at_risk", *PROBABILITIES])


def test_published_threshold_hides_the_program_whole(data: Data, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARCOURS_DISCLOSURE", "exact")
    published = figures("time-to-exit", data, RANGE, published=True)
    assert published.k == 11
    assert all(published.table[c].null_count() == published.table.height for c in ["at_risk", *ESTIMATES])


def test_protected_mode_is_consistent_and_thresholds_after_noise(data: Data, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARCOURS_DISCLOSURE", "protected")
    first = figures("time-to-exit", data, RANGE, published=False, bands=True)
    # The same figures asked again, and through equal filters built anew: the same noise.
    again = figures("time-to-exit", data, Filters(start=YEAR_2023[0], end=YEAR_2023[1]), published=False, bands=True)
    assert first.table.equals(again.table) and first.cells.equals(again.cells)
    raw = time_to_exit(data, RANGE, bands=True)
    joined = first.table.join(raw.select("program", "day", pl.col("at_risk").alias("raw_at_risk"),
                                         pl.col("survival").alias("raw_survival")), on=["program", "day"])
    for row in joined.iter_rows(named=True):
        if row["at_risk"] is not None:  # cell-key noise: at most 3 (PARCOURS_CKM_MAX), never 1 or 2
            assert abs(row["at_risk"] - row["raw_at_risk"]) <= 3 and row["at_risk"] not in (1, 2)
        if row["survival"] is not None:  # shown only over a (perturbed) at risk of k; the estimate is not perturbed
            assert row["at_risk"] >= 5
            assert row["survival"] == round(row["raw_survival"], 2)
    # Rounded to whole percent everywhere.
    for column in PROBABILITIES:
        assert all(abs(v * 100 - round(v * 100)) < 1e-9 for v in first.table[column].drop_nulls()), column
