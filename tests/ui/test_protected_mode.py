"""Every figure in protected mode on the interface fixture: the same rules as the hand-computed exact figures,
with each count within the p-table's reach of its exact value, and the same answer every time it is asked."""

from datetime import date

import numpy as np
import polars as pl
import pytest

from dashboard.catalogue import CATALOGUE
from dashboard.cohorts import Cohort
from dashboard.data import read_data
from dashboard.disclosure import COHORT_FIGURES, MASKED, SMALL, figures
from dashboard.filters import Filters
from dashboard.perturbation import ptable
from models.db import get_engine

PERIODS = [
    Filters(by="year", start=date(2024, 1, 1), end=date(2025, 12, 31)),
    Filters(by="quarter", start=date(2025, 1, 1), end=date(2025, 12, 31)),
    Filters(by="month", start=date(2025, 1, 1), end=date(2025, 6, 30), sexes=("F",)),
]


@pytest.fixture(scope="module")
def data(ui_db_url: str):  # type: ignore[no-untyped-def]
    return read_data(get_engine(ui_db_url))


# The cohort figures describe a cohort: everyone referred in 2024 (30 persons of the fixture).
COHORT = Cohort(anchor="referral", start=date(2024, 1, 1), end=date(2024, 12, 31))


def _options(metric: str) -> dict[str, object]:
    return {"cohort": COHORT} if metric in COHORT_FIGURES else {}


def _both(data, metric: str, filters: Filters, monkeypatch: pytest.MonkeyPatch, published: bool = False):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("PARCOURS_DISCLOSURE", "exact")
    exact = figures(metric, data, filters, published=published, **_options(metric))
    monkeypatch.setenv("PARCOURS_DISCLOSURE", "protected")
    protected = figures(metric, data, filters, published=published, **_options(metric))
    return exact, protected


@pytest.mark.parametrize("filters", PERIODS, ids=["years", "quarters", "women-by-month"])
@pytest.mark.parametrize("metric", list(CATALOGUE))
def test_protected_figures_follow_the_rules(data, metric: str, filters: Filters, monkeypatch: pytest.MonkeyPatch) -> None:
    exact, protected = _both(data, metric, filters, monkeypatch)
    assert protected.mode == "protected" and exact.mode == "exact"
    assert protected.table.columns == exact.table.columns and protected.table.height == exact.table.height
    figure = CATALOGUE[metric]
    reach = ptable().max_perturbation
    k = np.array(protected.row_k or [protected.k] * protected.table.height)
    for column in protected.table.columns:
        kind = figure.kind(column)
        shown = protected.table[column]
        reading = protected.cells[column]
        if kind in ("persons", "events"):
            values = shown.to_numpy()
            truth = pl.Series([None if r else v for v, r in zip(exact.table[column], exact.cells[column], strict=True)])
            visible = ~np.isnan(values.astype(float))
            # zeros stay zeros, nothing published under k but 0, and never a 1 or a 2
            assert not np.isin(values[visible], [1, 2]).any(), (metric, column)
            assert ((values[visible] == 0) | (values[visible] >= k[visible])).all(), (metric, column)
            # a count shown in both modes moves by at most D
            both = visible & truth.is_not_null().to_numpy()
            moved = np.abs(values[both].astype(float) - truth.to_numpy()[both].astype(float))
            assert (moved <= reach).all(), (metric, column, moved.max())
            assert set(reading.drop_nulls()) <= {SMALL, MASKED}
        elif kind == "rate":
            rates = shown.drop_nulls().to_numpy()
            assert ((rates >= 0) & (rates <= 1)).all() and np.allclose(rates, np.round(rates, 2)), (metric, column)
            assert set(reading.drop_nulls()) <= {MASKED}
        elif kind in ("mean", "per_unit"):
            values = shown.drop_nulls().to_numpy()
            assert np.allclose(values, np.round(values, 1)), (metric, column)
        elif kind == "median":
            values = shown.drop_nulls().to_numpy()
            assert np.allclose(values, np.round(values)), (metric, column)
    # the same question, the same answer
    _, again = _both(data, metric, filters, monkeypatch)
    assert again.table.equals(protected.table) and again.cells.equals(protected.cells)


def test_a_hidden_exact_cell_is_never_shown_exactly_in_protected_mode(data, monkeypatch: pytest.MonkeyPatch) -> None:
    """The rules read perturbed counts: a count can cross the threshold either way, but a small exact count that is
    shown in protected mode is shown with its noise, not its value (here: the 4 dynamic exits of 2025)."""
    exact, protected = _both(data, "exits", PERIODS[0], monkeypatch)
    row = exact.table["period"].to_list().index("2025")
    assert exact.cells["dynamic_exits"][row] == SMALL
    value = protected.table["dynamic_exits"][row]
    assert value is None or value >= 5  # "< 5", or a perturbed value of at least 5: never the 4 itself
