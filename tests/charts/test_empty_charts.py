"""No chart is ever drawn empty: builders return None and the page says so."""

import polars as pl
import pytest

from dashboard.charts import exits, needs, referrals, workshops
from dashboard.disclosure import Protected
from tests.charts.helpers import LABELS

BUILDERS = {
    "referrals_over_time": (lambda s: referrals.referrals_over_time(s, "fr", LABELS, "month"), ["period", "source", "referrals"]),
    "source_shares": (lambda s: referrals.source_shares(s, "fr", LABELS), ["period", "source", "referrals"]),
    "territories": (lambda s: referrals.territories(s, "fr"), ["territory", "referrals", "priority_area_share"]),
    "needs_heatmap": (lambda s: needs.needs_heatmap(s, "fr", LABELS, "month"), ["period", "domain", "share_in_need"]),
    "need_lines": (lambda s: needs.need_lines(s, "kind", "fr", LABELS, "month"), ["period", "kind", "share_in_need"]),
    "distance": (lambda s: needs.distance_travelled(s, "fr", LABELS), ["domain", "persons", "improved"]),
    "cohorts": (lambda s: workshops.cohort_heatmap(s, "fr", "month"), ["cohort", "offset", "retention"]),
    "by_workshop": (lambda s: workshops.by_workshop(s, "fr"), ["period", "workshop", "presences"]),
    "groups": (lambda s: workshops.compare_groups(s, "facilitator", "fr", LABELS), ["facilitator", "attendance_rate"]),
    "exits_by": (lambda s: exits.exits_by(s, "housing", "fr", LABELS, "month"), ["period", "destination", "exits"]),
    "rates": (lambda s: exits.exit_rate_lines(s, "dynamic_exit_rate", "fr", LABELS, "month"), ["period", "program"]),
    "stay": (lambda s: exits.median_stay(s, "fr", "month"), ["period", "program", "median_stay_days"]),
}


@pytest.mark.parametrize("name", BUILDERS)
@pytest.mark.parametrize("too_small", [False, True])
def test_empty_or_too_small_selection_gives_no_chart(name: str, too_small: bool):
    build, columns = BUILDERS[name]
    empty = pl.DataFrame(schema={c: pl.String for c in columns})
    assert build(Protected(table=empty, cells=empty, k=5, too_small=too_small, notes=())) is None
