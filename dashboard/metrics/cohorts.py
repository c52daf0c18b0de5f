"""Figures about one cohort, in time since each person's anchor (``dashboard.cohorts``).

Grain of ``cohort_outcomes``: one row per indicator. The first, ``members``,
is the cohort's size (persons = count). Each other indicator is a
share of persons: ``count`` persons of the cohort who meet it among
``persons`` who could (its denominator), both perturbed with person keys.
Indicators at a horizon (``HORIZON`` months by default) only count persons
followed for the whole horizon (anchor + horizon on or before the last day
of data): a person anchored last month cannot have exited within a year yet.

Grain of ``cohort_needs``: one row per quarter since the anchor (0 = the
first three months, the baseline included) and kind of need.
"""

from datetime import date

import polars as pl

from dashboard.cohorts import Cohort, members, needs_at_entry
from dashboard.cohorts.definition import PILLARS
from dashboard.cohorts.rows import assessment_rows, attended_between, by_pid, domain_readings, horizon_end
from dashboard.data import Data
from dashboard.filters import Filters
from dashboard.metrics.common import PerSnapshot, person_count, rate
from dashboard.metrics.exits import DEATH, DYNAMIC, HOUSING_POSITIVE
from dashboard.metrics.needs import IN_NEED_MAX_LEVEL

HORIZON = 12
HORIZONS = tuple(range(6, 61, 6))
"""Horizons allowed, in months: a month apart, two horizons would differ by one month's exits of one month's anchors
(a finer window than the pages' whole periods)."""
QUARTERS = 8
INDICATORS = (
    "members", "practical_need_at_entry", "strategic_need_at_entry", "strategic_improved", "improved_logement",
    "improved_emploi", "improved_sante", "improved_liens", "workshop", "exited",
    "housing_positive", "dynamic_exit",
)
OUTCOMES = ["indicator", "persons", "count", "rate", "_ck_persons", "_ck_count"]
NEEDS = ["quarter", "kind", "persons_assessed", "persons_in_need", "share_in_need", "_ck_persons_assessed",
         "_ck_persons_in_need"]


_ROWS = PerSnapshot(size=8)


def _assessments(data: Data, cohort: Cohort) -> pl.DataFrame:
    """The cohort's ``assessment_rows``, shared by its indicators and its needs by quarter."""
    cohort = cohort.snapped().with_(name="")
    return _ROWS.get(data, ("assessments", cohort), lambda: assessment_rows(data, members(data, cohort)))


def _add_months(day: pl.Expr, months: int) -> pl.Expr:
    return day.dt.offset_by(f"{months}mo")


def _followed(frame: pl.LazyFrame, last_day: date | None, horizon: int) -> pl.LazyFrame:
    """Persons whose whole horizon lies within the data."""
    if last_day is None:
        return frame.filter(pl.lit(False))
    return frame.filter(_add_months(pl.col("anchor_date"), horizon) <= last_day)


def _share(indicator: str, base: pl.LazyFrame, met: pl.LazyFrame) -> pl.LazyFrame:
    """One indicator row: ``base`` (pid, pk) the denominator, ``met`` (pid) those who meet it."""
    flagged = base.join(met.select("pid").unique().with_columns(pl.lit(True).alias("_met")), on="pid", how="left")
    return flagged.select(
        pl.lit(indicator).alias("indicator"),
        *person_count("persons"),
        *person_count("count", pl.col("_met").fill_null(False)),
    )


def _baseline_need(levels: pl.LazyFrame, chosen: pl.LazyFrame, kind: str) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    of_kind = levels.filter(pl.col("kind") == kind)
    assessed = chosen.join(of_kind.select("pid").unique(), on="pid", how="semi")
    return assessed, of_kind.filter(pl.col("level") <= IN_NEED_MAX_LEVEL)


def _domain_changes(data: Data, rows: pl.DataFrame, levels: pl.LazyFrame, followed: pl.DataFrame,
                    horizon: int) -> pl.DataFrame:
    """(pid, domain, kind, pillar, _change): for each followed person and domain with a baseline and a later
    assessment within the horizon (3 months after the anchor or later), latest level - baseline level."""
    rows = rows.filter(pl.col("pid").is_in(followed["pid"].implode()))
    end = by_pid(data, followed, horizon_end(horizon))[rows["pid"].to_numpy()]
    later = (
        rows.lazy().with_columns(pl.Series("_end", end, dtype=pl.Int32))
        .filter(pl.col("_day") > pl.col("_anchor"), pl.col("_day") <= pl.col("_end"),
                pl.col("_month") - pl.col("_anchor_month") >= 3)
        .group_by("pid", "_dom", maintain_order=True).agg(pl.col("level").last().alias("_last"))
        .join(domain_readings(data).lazy().select("_dom", "domain"), on="_dom", how="left")
    )
    return (levels.select("pid", "domain", "kind", "pillar", pl.col("level").alias("_first"))
            .join(later, on=["pid", "domain"], how="inner")
            .select("pid", "kind", "pillar", (pl.col("_last") - pl.col("_first")).alias("_change")).collect())


def _improved(changes: pl.DataFrame, followed: pl.DataFrame, reading: str, value: str) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """Persons with a change in the domains whose ``reading`` (kind or pillar) is ``value``; those whose mean
    change over those domains is above 0."""
    means = changes.lazy().filter(pl.col(reading) == value).group_by("pid").agg(pl.col("_change").mean())
    return followed.lazy().join(means, on="pid", how="semi"), means.filter(pl.col("_change") > 0)


def cohort_outcomes(data: Data, filters: Filters, *, cohort: Cohort, horizon: int = HORIZON) -> pl.DataFrame:
    """The cohort's indicators (see the module docstring); ``filters`` are not used (the cohort is the selection)."""
    if horizon not in HORIZONS:
        raise ValueError(f"horizon: {horizon} (allowed: {', '.join(map(str, HORIZONS))})")
    anchors = members(data, cohort)
    chosen = anchors.lazy()
    followed = _followed(chosen, data.last_day, horizon).collect()
    window = pl.col("exit_date").is_between(pl.col("anchor_date"), pl.col("anchor_date").dt.offset_by(f"{horizon}mo"))
    exits = (
        data.support_periods.lazy().select("pid", "exit_date", "exit_reason", "exit_housing", "exit_employment")
        .join(followed.lazy().select("pid", "anchor_date"), on="pid", how="inner")
        .filter(pl.col("exit_date").is_not_null(), pl.col("exit_reason").ne_missing(DEATH), window)
    )
    attended = pl.LazyFrame({"pid": attended_between(data, followed, horizon)})
    rows = _assessments(data, cohort)
    levels = needs_at_entry(data, anchors, rows).collect().lazy()
    practical_base, practical = _baseline_need(levels, chosen, "PRATIQUE")
    strategic_base, strategic = _baseline_need(levels, chosen, "STRATEGIQUE")
    changes = _domain_changes(data, rows, levels, followed, horizon)
    improved_base, improved = _improved(changes, followed, "kind", "STRATEGIQUE")
    pillars = [(f"improved_{p.lower()}", *_improved(changes, followed, "pillar", p)) for p in PILLARS]
    followed_lazy = followed.lazy()
    shares = [
        _share("members", chosen, chosen),
        _share("practical_need_at_entry", practical_base, practical),
        _share("strategic_need_at_entry", strategic_base, strategic),
        _share("strategic_improved", improved_base, improved),
        *(_share(name, base, met) for name, base, met in pillars),
        _share("workshop", followed_lazy, attended),
        _share("exited", followed_lazy, exits),
        _share("housing_positive", followed_lazy, exits.filter(pl.col("exit_housing").is_in(list(HOUSING_POSITIVE)))),
        _share("dynamic_exit", followed_lazy, exits.filter(pl.col("exit_employment").is_in(list(DYNAMIC)))),
    ]
    frame = pl.concat(pl.collect_all(shares)).with_columns(rate("count", "persons").alias("rate"))
    order = {name: i for i, name in enumerate(INDICATORS)}
    return frame.sort(pl.col("indicator").replace_strict(order, return_dtype=pl.Int32)).select(OUTCOMES)


def cohort_needs(data: Data, filters: Filters, *, cohort: Cohort) -> pl.DataFrame:
    """Persons assessed and in need per quarter since the anchor and kind.

    For each person, quarter and domain the latest level of the quarter counts; a person is in need for a kind
    when in need in at least one of its domains. Assessments before the anchor (the baseline window) count in
    quarter 0.
    """
    rows = _assessments(data, cohort)
    quarter = ((pl.col("_month") - pl.col("_anchor_month")) // 3).clip(0, None)
    latest = (
        rows.lazy().with_columns(quarter.cast(pl.Int64).alias("quarter"))
        .filter(pl.col("quarter") < QUARTERS)
        .group_by("pid", "pk", "quarter", "_dom", maintain_order=True).agg(pl.col("level").last())
        .join(domain_readings(data).lazy().select("_dom", "kind"), on="_dom", how="inner")
        .group_by("pid", "pk", "quarter", "kind").agg((pl.col("level") <= IN_NEED_MAX_LEVEL).any().alias("_need"))
    )
    grid = pl.LazyFrame({"quarter": list(range(QUARTERS))}, schema={"quarter": pl.Int64}).join(
        pl.LazyFrame({"kind": ["PRATIQUE", "STRATEGIQUE"]}), how="cross")
    counts = latest.group_by("quarter", "kind").agg(
        *person_count("persons_assessed"), *person_count("persons_in_need", pl.col("_need")))
    frame = (
        grid.join(counts, on=["quarter", "kind"], how="left")
        .with_columns(pl.col("persons_assessed", "persons_in_need", "_ck_persons_assessed",
                             "_ck_persons_in_need").fill_null(0))
        .with_columns(rate("persons_in_need", "persons_assessed").alias("share_in_need"))
    )
    return frame.collect().sort("quarter", "kind").select(NEEDS)
