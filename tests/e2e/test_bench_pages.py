"""The benchmark times what the pages do: on the demo data, each of its page
functions draws every chart (none empty) and the baseline counts rows."""

import pytest

from bench.bench_dashboard import PAGES, baseline, bench_in_process, filter_changes
from dashboard.data import read_data
from models.db import make_engine

pytestmark = pytest.mark.slow

CHARTS = {"referrals": 5, "needs": 5, "workshops": 6, "exits": 5}


def test_bench_page_functions_draw_every_chart_on_demo_data(demo_url: str) -> None:
    data = read_data(make_engine(demo_url))
    filters = filter_changes(data)[0]
    for page in PAGES:
        out = page.work(data, filters)
        if page.key in CHARTS:
            assert len(out) == CHARTS[page.key]
            assert all(fig is not None and fig.layout.title.text for fig in out), page.key
        assert baseline(data, page, filters)["len"].sum() > 0, page.key
    timings = bench_in_process(data, runs=2)
    assert [row[0] for row in timings] == [p.key for p in PAGES]
    assert all(total >= in_figures > 0 and exact > 0 and slowest >= total
               for _, total, in_figures, _, exact, slowest in timings)
