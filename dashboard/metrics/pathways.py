"""Pathways (Parcours): referral source -> program -> how the support period ended.

A **pathway** is a support period entered (``entry_date``) in the filter's
dates, the non-date filters applied (``dashboard.selection``), with
- its **source**: the source of the referral it answers (``referral_id``),
  ``INCONNU`` when it answers none; with a source filter, only pathways from
  that source;
- its **program**;
- its **outcome**: ``EN_COURS`` while open on the last day of data,
  ``DECES`` for an exit by death, else the housing situation at exit
  (``logement_sortie``, ``INCONNU`` when missing).

A **flow** (a link of the Sankey: source -> program, or program -> outcome)
counts the **distinct persons** with at least one pathway along it: a person
counts once in a flow however many of their support periods took it, and
once in each flow they took (two periods in two programs: once in each).
A node's total counts the distinct persons with at least one pathway
through it; it can be smaller than the sum of its flows (a person in two
flows out of it counts once in the total).

This module gives the raw pathways and their counts with cell keys;
``dashboard.pathway_disclosure`` merges, perturbs and hides.
"""

import polars as pl

from dashboard import prebuilt
from dashboard.data import Data
from dashboard.filters import Filters
from dashboard.metrics.common import SNAPSHOT_CACHE, UNKNOWN, person_count, restricted, selection
from dashboard.metrics.exits import DEATH
from dashboard.periods import in_range

IN_PROGRESS = "EN_COURS"
COLUMNS = ("source", "program", "outcome")
"""The Sankey's three columns, left to right."""
STAGES = (("source", "program"), ("program", "outcome"))
"""Its two stages of flows."""
PATHWAYS = ["pid", "pk", "source", "program", "outcome"]


def pathways(data: Data, filters: Filters) -> pl.DataFrame:
    """One row per pathway (support period entered in the range): ``pid``, ``pk``, ``source``, ``program``,
    ``outcome``, sorted for stable output."""
    frame = every_pathway(data).lazy()
    if restricted(filters):
        frame = frame.filter(pl.col("pid").is_in(selection(data, filters).persons["pid"].implode()))
    if filters.programs:
        frame = frame.filter(pl.col("program").is_in(list(filters.programs)))
    if filters.sources:
        frame = frame.filter(pl.col("source").is_in(list(filters.sources)))
    return frame.filter(in_range("entry_date", filters)).select(PATHWAYS).collect()  # a filter keeps the order


def every_pathway(data: Data) -> pl.DataFrame:
    """Every support period as a pathway, with its ``entry_date``, sorted by source, program, outcome and person;
    once per snapshot (the join to the referrals and the sort cost a second on XL). The selection's rules applied
    to it give ``select_rows``'s support periods: those of the selected persons, in the program asked."""

    def compute() -> pl.DataFrame:
        mapped = prebuilt.layout(data, EVERY)  # built once per data version, shared by every process
        if mapped is not None:
            return mapped[0]
        last_day = data.last_day
        sources = data.referrals.select("structure_id", "referral_id", pl.col("source").alias("_source"))
        open_on_last_day = pl.col("exit_date").is_null() | (pl.col("exit_date") > last_day if last_day else pl.lit(False))
        return (
            data.support_periods.lazy()
            .join(sources.lazy(), on=["structure_id", "referral_id"], how="left")
            .with_columns(
                pl.col("_source").fill_null(UNKNOWN).alias("source"),
                pl.when(open_on_last_day).then(pl.lit(IN_PROGRESS))
                .when(pl.col("exit_reason").eq_missing(DEATH)).then(pl.lit(DEATH))
                .otherwise(pl.col("exit_housing").fill_null(UNKNOWN)).alias("outcome"),
            )
            .select(*PATHWAYS, "entry_date")
            .sort(["source", "program", "outcome", "pid"])
            .collect()
        )

    return SNAPSHOT_CACHE.get(data, ("pathways", EVERY), compute)


EVERY = "pathways.every"
"""``every_pathway``'s layout file (``prebuilt.layout``) and cache key."""


def node_counts(rows: pl.DataFrame, column: str) -> pl.DataFrame:
    """Per value of ``column``: distinct persons (``persons``) and their cell key (``_ck_persons``)."""
    return rows.group_by(column).agg(person_count("persons")).sort(column)


def flow_counts(rows: pl.DataFrame, origin: str, target: str) -> pl.DataFrame:
    """Per (``origin``, ``target``) value pair: distinct persons and their cell key."""
    return rows.group_by(origin, target).agg(person_count("persons")).sort(origin, target)


__all__ = ["COLUMNS", "IN_PROGRESS", "PATHWAYS", "STAGES", "flow_counts", "node_counts", "pathways"]
