"""A rerun answers from what the previous run computed, and never from an answer to another question.

``figures`` gives the same object for the same question (so that charts drawn from it are reused), and a new
one whenever anything its answer depends on changes: thresholds, mode, p-table, filters, options.
``drawn`` builds a chart once per (builder, figures, arguments).
"""

from datetime import date

import plotly.graph_objects as go
import polars as pl
import pytest

from dashboard.data import Data
from dashboard.disclosure import Protected, figures
from dashboard.filters import Filters
from dashboard.ui import plot as plot_module
from dashboard.ui.plot import drawn
from tests.metrics.fixtures import make_data
from tests.ui.conftest import fixture_rows

WHOLE = Filters(by="year", start=date(2023, 1, 1), end=date(2024, 12, 31))


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Data:
    return make_data(tmp_path_factory.mktemp("reruns"), **fixture_rows())


def test_the_same_question_gets_the_same_answer_object(data: Data, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARCOURS_DISCLOSURE", "protected")
    first = figures("referrals-by-source", data, WHOLE, published=False)
    assert figures("referrals-by-source", data, WHOLE, published=False) is first
    assert figures("referrals-by-source", data, WHOLE.with_(by="quarter"), published=False) is not first
    assert figures("referrals-by-source", data, WHOLE, published=True).k == 11 and first.k == 5


@pytest.mark.parametrize(("name", "value"), [("PARCOURS_MIN_CELL", "3"), ("PARCOURS_DISCLOSURE", "exact"),
                                             ("PARCOURS_CKM_VARIANCE", "3.5"), ("PARCOURS_CKM_MAX", "5")])
def test_a_changed_setting_gets_a_new_answer(data: Data, monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv("PARCOURS_DISCLOSURE", "protected")
    before = figures("referrals-by-source", data, WHOLE, published=False)
    monkeypatch.setenv(name, value)
    after = figures("referrals-by-source", data, WHOLE, published=False)
    assert after is not before
    if name == "PARCOURS_MIN_CELL":
        assert after.k == 3
    if name == "PARCOURS_DISCLOSURE":
        assert after.mode == "exact"
    monkeypatch.delenv(name)
    assert figures("referrals-by-source", data, WHOLE, published=False) is before  # back to the first question


def _screen(n: int) -> Protected:
    table = pl.DataFrame({"period": ["2024"], "n": [n]})
    cells = table.select(pl.lit(None, dtype=pl.String).alias(column) for column in table.columns)
    return Protected(table=table, cells=cells, k=5, too_small=False, notes=(), mode="exact", metric="referrals")


def test_a_chart_is_built_once_per_figures_and_arguments() -> None:
    calls: list[tuple[int, tuple[object, ...]]] = []

    def build(screen: Protected, *args: object) -> go.Figure:
        calls.append((int(screen.table["n"][0]), args))
        return go.Figure(go.Bar(x=["2024"], y=[screen.table["n"][0]], name=str(args)))

    one, two = _screen(7), _screen(7)
    labels, same_labels = pl.DataFrame({"code": ["A"]}), pl.DataFrame({"code": ["A"]})
    first = drawn(build, one, "fr", labels, "year")
    assert drawn(build, one, "fr", labels, "year") is first and len(calls) == 1
    assert drawn(build, one, "en", labels, "year") is not first  # another language
    assert drawn(build, two, "fr", labels, "year") is not first  # other figures, even with equal values
    assert drawn(build, one, "fr", same_labels, "year") is not first  # frames by identity
    assert len(calls) == 4
    assert list(first.data[0].y) == [7]
    # Two closures of the same name draw different things: never one for the other.
    builders = [lambda screen, *args, height=height: go.Figure(layout={"height": height}) for height in (300, 500)]
    assert [drawn(b, one, "fr").layout.height for b in builders] == [300, 500]


def test_the_memory_of_charts_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plot_module, "_DRAWN_SIZE", 3)
    count: list[int] = []

    def build(screen: Protected, *args: object) -> go.Figure:
        count.append(1)
        return go.Figure()

    screen = _screen(1)
    for lang in ("a", "b", "c", "d"):
        drawn(build, screen, lang)
    assert len(plot_module._DRAWN) <= 3
    drawn(build, screen, "d")  # the newest is kept
    drawn(build, screen, "a")  # the oldest went
    assert len(count) == 5
