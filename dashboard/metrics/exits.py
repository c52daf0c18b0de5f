"""Exits (Parcours): how support periods end, by housing and employment.

An exit is a support period whose ``exit_date`` lies in the period; exits
by death (motif ``DECES``) are left out of every exit figure. A missing
destination is an unknown one: it counts in the denominators of the rates
(an unknown destination is not a success); only ``NON_CONCERNE`` leaves
them.
"""

import polars as pl

from dashboard.data import Data
from dashboard.filters import Filters
from dashboard.metrics.common import (
    TOTAL,
    UNKNOWN,
    all_periods,
    days_between,
    event_count,
    finish,
    helpers,
    label_periods,
    rate,
    selection,
    with_period,
)
from dashboard.periods import in_range

DEATH = "DECES"
NOT_CONCERNED = "NON_CONCERNE"
HOUSING_POSITIVE = ("LOGEMENT_AUTONOME", "LOGEMENT_ACCOMPAGNE")
DYNAMIC = ("EMPLOI_DURABLE", "EMPLOI_TRANSITION", "SORTIE_POSITIVE")

_EVENT_COUNTS = ["exits", "housing_positive", "dynamic_exits", "_housing_denominator", "_dynamic_denominator"]
_COUNTS = [*_EVENT_COUNTS, *helpers(*_EVENT_COUNTS)]
EXITS = [
    "period", "program", "exits", "housing_positive", "housing_positive_rate", "dynamic_exits", "dynamic_exit_rate",
    "median_stay_days", "_housing_denominator", "_dynamic_denominator", *helpers(*_EVENT_COUNTS),
]
EXITS_BY_HOUSING = ["period", "destination", "exits", *helpers("exits")]
EXITS_BY_EMPLOYMENT = ["period", "situation", "exits", *helpers("exits")]


def exited(supports: pl.LazyFrame, filters: Filters) -> pl.LazyFrame:
    """Support periods ended within the filter's dates, deaths left out."""
    return supports.filter(
        pl.col("exit_date").is_not_null(), in_range("exit_date", filters), pl.col("exit_reason").ne_missing(DEATH)
    )


def exit_aggregates() -> list[pl.Expr]:
    """Counts, denominators and median stay of a group of exits."""
    return [
        *event_count("exits"),
        *event_count("housing_positive", pl.col("exit_housing").is_in(list(HOUSING_POSITIVE))),
        *event_count("_housing_denominator", pl.col("exit_housing").ne_missing(NOT_CONCERNED)),
        *event_count("dynamic_exits", pl.col("exit_employment").is_in(list(DYNAMIC))),
        *event_count("_dynamic_denominator", pl.col("exit_employment").ne_missing(NOT_CONCERNED)),
        days_between("entry_date", "exit_date").median().cast(pl.Float64).alias("median_stay_days"),
    ]


def exit_rates() -> list[pl.Expr]:
    return [
        rate("housing_positive", "_housing_denominator").alias("housing_positive_rate"),
        rate("dynamic_exits", "_dynamic_denominator").alias("dynamic_exit_rate"),
    ]


def _exits(data: Data, filters: Filters) -> pl.LazyFrame:
    supports = selection(data, filters).support_periods.lazy()
    return with_period(exited(supports, filters), "exit_date", filters.by)


def exits(data: Data, filters: Filters) -> pl.DataFrame:
    """Exits per period (of ``exit_date``) and program, with a ``TOTAL`` row per period.

    ``housing_positive_rate`` = housing_positive / ``_housing_denominator``
    (exits whose ``logement_sortie`` is not NON_CONCERNE, missing included);
    ``dynamic_exit_rate`` likewise with ``emploi_sortie`` and
    ``_dynamic_denominator``. ``median_stay_days`` is the median of exit
    date - entry date in days. Every period of the range has a ``TOTAL``
    row, 0 when empty.
    """
    rows = _exits(data, filters)
    by_program = rows.group_by("_period", "program").agg(exit_aggregates())
    periods = pl.concat([all_periods(data, filters).lazy(), rows.select("_period")]).unique()
    totals = (
        periods.join(rows.group_by("_period").agg(exit_aggregates()), on="_period", how="left")
        .with_columns(pl.col(_COUNTS).fill_null(0), pl.lit(TOTAL).alias("program"))
    )
    frame = pl.concat([by_program, totals.select(by_program.collect_schema().names())]).with_columns(exit_rates())
    return finish(label_periods(frame, filters.by).collect(), EXITS, ["period", "program"], by_total="program")


def _exits_by(data: Data, filters: Filters, source: str, name: str, columns: list[str]) -> pl.DataFrame:
    frame = (
        _exits(data, filters)
        .with_columns(pl.col(source).fill_null(UNKNOWN).alias(name))
        .group_by("_period", name)
        .agg(event_count("exits"))
    )
    return finish(label_periods(frame, filters.by).collect(), columns, ["period", name])


def exits_by_housing(data: Data, filters: Filters) -> pl.DataFrame:
    """Exits per period by housing destination (``logement_sortie``; missing reads INCONNU)."""
    return _exits_by(data, filters, "exit_housing", "destination", EXITS_BY_HOUSING)


def exits_by_employment(data: Data, filters: Filters) -> pl.DataFrame:
    """Exits per period by employment situation (``emploi_sortie``; missing reads INCONNU)."""
    return _exits_by(data, filters, "exit_employment", "situation", EXITS_BY_EMPLOYMENT)
