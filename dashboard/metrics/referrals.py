"""Referrals (Orientations): where people come from and what is decided."""

import polars as pl

from dashboard import prebuilt
from dashboard.data import Data
from dashboard.filters import Filters
from dashboard.metrics import range_persons
from dashboard.metrics.common import (
    TOTAL,
    UNKNOWN,
    all_periods,
    days_between,
    event_count,
    finish,
    helpers,
    label_periods,
    person_count,
    rate,
    restricted,
    selection,
    with_period,
)
from dashboard.metrics.territories import territory_names
from dashboard.periods import in_range

_EVENT_COUNTS = ["referrals", "accepted", "refused", "_decided", "_decisions"]
_COUNTS = [*_EVENT_COUNTS, *helpers(*_EVENT_COUNTS)]
REFERRALS_BY_SOURCE = [
    "period", "source", "referrals", "accepted", "refused", "acceptance_rate", "median_days_to_decision", *_COUNTS[3:],
]
_TERRITORY_PERSONS = ["persons", "_priority", "_priority_known"]
REFERRALS_BY_TERRITORY = [
    "territory", "referrals", "persons", "priority_area_share", "_priority", "_priority_known",
    *helpers("referrals"), *helpers(*_TERRITORY_PERSONS, events=False),
]


def _source_aggregates() -> list[pl.Expr]:
    accepted = pl.col("decision") == "ACCEPTEE"
    refused = pl.col("decision") == "REFUSEE"
    return [
        *event_count("referrals"),
        *event_count("accepted", accepted),
        *event_count("refused", refused),
        pl.col("_days").median().cast(pl.Float64).alias("median_days_to_decision"),
        *event_count("_decided", pl.col("_days").is_not_null()),
        *event_count("_decisions", accepted | refused),
    ]


def referrals_by_source(data: Data, filters: Filters) -> pl.DataFrame:
    """Referrals received per period and source, with a ``TOTAL`` row per period.

    A referral counts in the period of its ``referral_date``, whatever the
    date or existence of its decision: a pending referral counts in
    ``referrals`` but neither in ``accepted`` nor ``refused``.
    ``median_days_to_decision`` is taken over the referrals with a decision
    date, whatever the decision (``_decided`` is that n);
    ``acceptance_rate`` is accepted / (accepted + refused) (``_decisions``
    is that denominator), null when no referral was accepted or refused.
    Every period of the range has a ``TOTAL`` row, 0 when empty.
    """
    chosen = selection(data, filters)
    referrals = with_period(
        chosen.referrals.lazy().filter(in_range("referral_date", filters)), "referral_date", filters.by
    ).with_columns(days_between("referral_date", "decision_date").alias("_days"))
    by_source = referrals.group_by("_period", "source").agg(_source_aggregates())
    periods = pl.concat([all_periods(data, filters).lazy(), referrals.select("_period")]).unique()
    totals = (
        periods.join(referrals.group_by("_period").agg(_source_aggregates()), on="_period", how="left")
        .with_columns(pl.col(_COUNTS).fill_null(0), pl.lit(TOTAL).alias("source"))
    )
    frame = pl.concat([by_source, totals.select(by_source.collect_schema().names())]).with_columns(
        rate("accepted", "_decisions").alias("acceptance_rate")
    )
    return finish(label_periods(frame, filters.by).collect(), REFERRALS_BY_SOURCE, ["period", "source"], by_total="source")


def referrals_by_territory(data: Data, filters: Filters) -> pl.DataFrame:
    """Referrals in the range by the referred person's territory of residence.

    ``persons`` counts distinct persons referred; ``priority_area_share`` is
    the share of them living in a priority area (QPV) among those whose QPV
    status is known (``_priority_known``; ``_priority`` the numerator).
    A missing territory reads ``INCONNU``. Sorted by territory.
    """
    months = range_persons.whole_months(filters)
    table = None if months is None or restricted(filters) else prebuilt.range_table(data, "referrals-by-territory")
    if table is not None and months is not None:
        return _territories_in(table, months)
    chosen = selection(data, filters)
    # ``pid`` is the row number of ``data.persons`` (see ``read_data``): a gather, not a join.
    referrals = chosen.referrals.filter(in_range("referral_date", filters))
    pids = referrals["pid"]
    referred = pl.DataFrame({
        "pid": pids,
        "pk": referrals["pk"],
        "ek": referrals["ek"],
        "territory": territory_names(data).gather(pids).fill_null(UNKNOWN),  # INSEE codes as commune names
        "priority_area": data.persons["priority_area"].gather(pids),
    }).lazy()
    frame = referred.group_by("territory").agg(
        *event_count("referrals"),
        *person_count("persons"),
        *person_count("_priority", pl.col("priority_area")),
        *person_count("_priority_known", pl.col("priority_area").is_not_null()),
    ).with_columns(rate("_priority", "_priority_known").alias("priority_area_share"))
    return finish(frame.collect(), REFERRALS_BY_TERRITORY, ["territory"])


_TERRITORY_KINDS = {"persons": None, "_priority": pl.col("priority_area"), "_priority_known": pl.col("priority_area").is_not_null()}


def territory_table(data: Data) -> pl.DataFrame:
    """The whole network's referrals per (territory, kind ``c`` of ``_TERRITORY_KINDS``, month, previous month):
    every range of whole months reads ``referrals_by_territory`` from it (``dashboard.metrics.range_persons``).
    Built once per data version (``dashboard.rollups``)."""
    referrals = data.referrals
    pids = referrals["pid"]
    referred = pl.DataFrame({
        "territory": territory_names(data).gather(pids).fill_null(UNKNOWN),
        "m": referrals.select(range_persons.month_index(pl.col("referral_date"))).to_series(),
        "pid": pids, "pk": referrals["pk"], "ek": referrals["ek"],
        "priority_area": data.persons["priority_area"].gather(pids),
    }).lazy()
    kinds = {kind: referred.filter(True if kept is None else kept).select("territory", "m", "pid", "pk", "ek")
             for kind, kept in _TERRITORY_KINDS.items()}
    return range_persons.build(kinds, ["territory"])


def _territories_in(table: pl.DataFrame, months: tuple[int, int]) -> pl.DataFrame:
    counted = range_persons.in_range(table, *months, ["territory", "c"])
    kind = {name: counted.filter(pl.col("c") == name).drop("c") for name in _TERRITORY_KINDS}
    frame = kind["persons"].select(
        "territory", pl.col("events").alias("referrals"), pl.col("_ck").alias("_ck_referrals"),
        pl.col("persons").alias("_pn_referrals"), pl.col("_pk").alias("_pk_referrals"), "persons",
        pl.col("_pk").alias("_ck_persons"),
    )
    for name in ("_priority", "_priority_known"):
        frame = frame.join(kind[name].select("territory", pl.col("persons").alias(name), pl.col("_pk").alias(f"_ck_{name}")),
                           on="territory", how="left").with_columns(pl.col(name, f"_ck_{name}").fill_null(0))
    frame = frame.with_columns(rate("_priority", "_priority_known").alias("priority_area_share"))
    return finish(frame, REFERRALS_BY_TERRITORY, ["territory"])
