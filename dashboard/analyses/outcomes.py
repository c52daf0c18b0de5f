"""Outcomes of the effect analysis, one value per person (null when not observed).

- ``distance_strategic_<h>m``: distance travelled in the strategic domains at
  ``h`` months: per domain, the level at ``h`` months minus the level at entry
  (``population.entry_levels``), averaged over the person's strategic domains
  with both. The level at ``h`` months is the assessment closest to entry +
  ``h`` months within ``HORIZON_DAYS`` days either side. Kinds and pillars come
  from ``data.domain_readings``, as on the *Besoins* page.
- ``distance_<pillar>_<h>m``: the same over the domains of one pillar.
- ``exit_housing_positive`` / ``exit_dynamic``: 1 when the first support period
  ended in housing (LOGEMENT_AUTONOME, LOGEMENT_ACCOMPAGNE) / in a dynamic
  employment exit, 0 otherwise; null while it runs, after a death, or when the
  destination is NON_CONCERNE (the definitions of ``dashboard.metrics.exits``).
"""

import polars as pl

from dashboard.analyses.population import entry_levels
from dashboard.data import Data
from dashboard.metrics.exits import DEATH, DYNAMIC, HOUSING_POSITIVE, NOT_CONCERNED

HORIZONS = (6, 12)
HORIZON_DAYS = 60
STRATEGIC = "STRATEGIQUE"
EXITS = ("exit_housing_positive", "exit_dynamic")


def outcome_names(data: Data, horizons: tuple[int, ...] = HORIZONS) -> list[str]:
    """Every outcome the data can give, in a stable order (pillars from the domain readings)."""
    pillars = sorted(set(data.domain_readings["pillar"].drop_nulls().to_list()))
    names = [f"distance_{group}_{h}m" for h in horizons for group in ("strategic", *(p.lower() for p in pillars))]
    return [*names, *EXITS]


def _levels_at(data: Data, people: pl.DataFrame, horizons: tuple[int, ...]) -> pl.DataFrame:
    """pid, _h (months), domain, later: the assessment closest to entry + h months within ``HORIZON_DAYS``, for
    every horizon at once (one pass over the assessments)."""
    targets = pl.concat([
        people.lazy().select("pid", pl.lit(h, dtype=pl.Int32).alias("_h"),
                             pl.col("entry_date").dt.offset_by(f"{h}mo").alias("_target"))
        for h in horizons
    ])
    return (
        data.assessments.lazy()
        .select("pid", "assessment_date", "domain", "level")
        .join(targets, on="pid", how="inner")
        .with_columns((pl.col("assessment_date") - pl.col("_target")).dt.total_days().abs().alias("_gap"))
        .filter(pl.col("_gap") <= HORIZON_DAYS)
        .sort("pid", "_h", "domain", "_gap", "assessment_date")
        .group_by("pid", "_h", "domain", maintain_order=True)
        .first()
        .select("pid", "_h", "domain", pl.col("level").cast(pl.Int64).alias("later"))
        .collect()
    )


def outcomes(data: Data, people: pl.DataFrame, horizons: tuple[int, ...] = HORIZONS,
             start: pl.DataFrame | None = None) -> pl.DataFrame:
    """pid and one column per ``outcome_names``, one row per person of ``people`` in its order (``start``: the
    levels at entry, ``entry_levels(data, people)``, when already computed)."""
    readings = data.domain_readings.select("domain", "kind", "pillar")
    start = entry_levels(data, people) if start is None else start
    changes = (
        start.join(_levels_at(data, people, horizons), on=["pid", "domain"], how="inner")
        .join(readings, on="domain", how="inner")
        .with_columns((pl.col("later") - pl.col("level")).cast(pl.Float64).alias("_change"))
    )
    strategic = changes.filter(pl.col("kind") == STRATEGIC).select(
        "pid", "_h", pl.lit("strategic").alias("_group"), "_change")
    pillars = changes.filter(pl.col("pillar").is_not_null()).select(
        "pid", "_h", pl.col("pillar").str.to_lowercase().alias("_group"), "_change")
    means = (
        pl.concat([strategic, pillars])
        .group_by("pid", "_h", "_group")
        .agg(pl.col("_change").mean())
        .with_columns(pl.format("distance_{}_{}m", "_group", "_h").alias("_name"))
        .sort("pid", "_name")
    )
    wide = means.pivot(on="_name", index="pid", values="_change") if not means.is_empty() else pl.DataFrame({"pid": []})
    names = [n for n in outcome_names(data, horizons) if n.startswith("distance_")]
    wide = wide.with_columns(pl.col("pid").cast(pl.UInt32)).select(
        "pid", *(pl.col(n) if n in wide.columns else pl.lit(None, dtype=pl.Float64).alias(n) for n in names))
    frame = people.select("pid").join(wide, on="pid", how="left", maintain_order="left")
    ended = people.select(
        "pid",
        pl.when(pl.col("exit_date").is_null() | pl.col("exit_reason").eq_missing(DEATH)
                | pl.col("exit_housing").eq_missing(NOT_CONCERNED)).then(None)
        .otherwise(pl.col("exit_housing").is_in(list(HOUSING_POSITIVE)).cast(pl.Float64)).alias("exit_housing_positive"),
        pl.when(pl.col("exit_date").is_null() | pl.col("exit_reason").eq_missing(DEATH)
                | pl.col("exit_employment").eq_missing(NOT_CONCERNED)).then(None)
        .otherwise(pl.col("exit_employment").is_in(list(DYNAMIC)).cast(pl.Float64)).alias("exit_dynamic"),
    )
    return frame.join(ended, on="pid", how="left", maintain_order="left").select("pid", *outcome_names(data, horizons))
