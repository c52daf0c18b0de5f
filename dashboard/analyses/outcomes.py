"""Outcomes of the effect analysis, one value per person (null when not observed).

- ``distance_strategic_<h>m``: distance travelled in the strategic domains at
  ``h`` months: per domain, the level at ``h`` months minus the level at entry
  (``levels.domain_levels``), averaged over the person's strategic domains
  with both. The level at ``h`` months is the assessment closest to entry +
  ``h`` months within ``levels.HORIZON_DAYS`` days either side. Kinds and pillars come
  from ``data.domain_readings``, as on the *Besoins* page.
- ``distance_<pillar>_<h>m``: the same over the domains of one pillar.
- ``exit_housing_positive`` / ``exit_dynamic``: 1 when the first support period
  ended in housing (LOGEMENT_AUTONOME, LOGEMENT_ACCOMPAGNE) / in a dynamic
  employment exit, 0 otherwise; null while it runs, after a death, or when the
  destination is NON_CONCERNE (the definitions of ``dashboard.metrics.exits``).
"""

import numpy as np
import polars as pl

from dashboard.analyses.levels import by_person, domain_levels, later
from dashboard.data import Data
from dashboard.metrics.exits import DEATH, DYNAMIC, HOUSING_POSITIVE, NOT_CONCERNED

HORIZONS = (6, 12)
STRATEGIC = "STRATEGIQUE"
EXITS = ("exit_housing_positive", "exit_dynamic")


def outcome_names(data: Data, horizons: tuple[int, ...] = HORIZONS) -> list[str]:
    """Every outcome the data can give, in a stable order (pillars from the domain readings)."""
    pillars = sorted(set(data.domain_readings["pillar"].drop_nulls().to_list()))
    names = [f"distance_{group}_{h}m" for h in horizons for group in ("strategic", *(p.lower() for p in pillars))]
    return [*names, *EXITS]


def outcomes(data: Data, people: pl.DataFrame, horizons: tuple[int, ...] = HORIZONS,
             levels: pl.DataFrame | None = None) -> pl.DataFrame:
    """pid and one column per ``outcome_names``, one row per person of ``people`` in its order (``levels``:
    ``levels.domain_levels(data, people, horizons)`` when already computed)."""
    readings = data.domain_readings.select("domain", "kind", "pillar")
    levels = domain_levels(data, people, horizons) if levels is None else levels
    domains = readings["domain"].to_list()
    groups = {"strategic": readings["kind"].eq(STRATEGIC).to_numpy()}
    for p in sorted(set(readings["pillar"].drop_nulls().to_list())):
        groups[p.lower()] = readings["pillar"].eq(p).fill_null(False).to_numpy()
    start = by_person(levels, people, "level", domains)
    distances = {}
    for h in horizons:
        change = by_person(levels, people, later(h), domains) - start
        for group, columns in groups.items():
            # The mean over the person's domains of the group that have both levels; NaN (null) when none.
            part = change[:, columns]
            counted = (~np.isnan(part)).sum(axis=1)
            with np.errstate(invalid="ignore", divide="ignore"):
                distances[f"distance_{group}_{h}m"] = np.nansum(part, axis=1) / counted
    frame = people.select("pid").with_columns(
        pl.Series(name, values).fill_nan(None) for name, values in distances.items())
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
