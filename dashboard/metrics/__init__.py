"""Every figure of the dashboard, by the name the command line and pages use.

Each metric is a pure function ``(Data, Filters) -> pl.DataFrame`` returning
raw (unsuppressed) figures: the public columns of its definition, in order,
then helper columns starting with ``_`` that disclosure control reads and
drops. Nothing leaves the application without going through
``dashboard.disclosure``.
"""

from collections.abc import Callable

import polars as pl

from dashboard.data import Data
from dashboard.filters import Filters
from dashboard.metrics.exits import exits, exits_by_employment, exits_by_housing
from dashboard.metrics.needs import distance_travelled, needs_by_kind, needs_by_pillar, needs_over_time
from dashboard.metrics.overview import overview
from dashboard.metrics.referrals import referrals_by_source, referrals_by_territory
from dashboard.metrics.workshops import (
    workshop_attendance,
    workshop_by_category,
    workshop_by_co_construction,
    workshop_by_facilitator,
    workshop_cohorts,
)

Metric = Callable[[Data, Filters], pl.DataFrame]

METRICS: dict[str, Metric] = {
    "overview": overview,
    "referrals-by-source": referrals_by_source,
    "referrals-by-territory": referrals_by_territory,
    "needs-over-time": needs_over_time,
    "needs-by-kind": needs_by_kind,
    "needs-by-pillar": needs_by_pillar,
    "distance-travelled": distance_travelled,
    "exits": exits,
    "exits-by-housing": exits_by_housing,
    "exits-by-employment": exits_by_employment,
    "workshop-cohorts": workshop_cohorts,
    "workshop-attendance": workshop_attendance,
    "workshop-by-category": workshop_by_category,
    "workshop-by-facilitator": workshop_by_facilitator,
    "workshop-by-co-construction": workshop_by_co_construction,
}


def public_columns(frame: pl.DataFrame) -> list[str]:
    """The columns a reader sees (helper ``_`` columns left out)."""
    return [name for name in frame.columns if not name.startswith("_")]
