"""Who is in a cohort, anchored when, and the snapshot of their rows from the anchor on.

Grain of ``members``: one row per person of the cohort, with the date of
their anchor event. How each anchor reads (documented for users in the
definitions):
- referral: the person's earliest referral dated in the range that meets the
  referral criteria (source, decision); a person referred twice in the range
  counts once, from the first;
- entry: the person's earliest support period entered in the range (in the
  program when one is chosen);
- workshop: the person's first PRESENT attendance ever (in the category when
  one is chosen), when it falls in the range and the person has at least
  ``min_sessions`` PRESENT attendances in that category in all.

Person criteria read at the anchor: the age band is the anchor's year minus
the birth year; the structure is the anchor event's. Needs at entry: for
each domain, the latest assessment dated from 180 days before the anchor to
30 days after it (``dashboard.cohorts.rows``); a person is in need
in a domain when that level is 1 or 2, in a kind or pillar when in need in
at least one of its domains.
"""

from dataclasses import replace
from datetime import timedelta

import polars as pl

from dashboard.cohorts.definition import Cohort
from dashboard.cohorts.rows import BASELINE_BEFORE, needs_at_entry
from dashboard.data import Data, age_band
from dashboard.metrics.common import PerSnapshot
from dashboard.metrics.needs import IN_NEED_MAX_LEVEL

MEMBERS = ["pid", "pk", "structure_id", "anchor_date"]

_CACHE = PerSnapshot(size=32)


def _in_range(column: str, cohort: Cohort) -> pl.Expr:
    expr = pl.lit(True)
    if cohort.start:
        expr = expr & (pl.col(column) >= cohort.start)
    if cohort.end:
        expr = expr & (pl.col(column) <= cohort.end)
    return expr


def _equals(column: str, value: object) -> pl.Expr:
    return pl.lit(True) if value is None else pl.col(column).eq_missing(value)


def _anchors(data: Data, cohort: Cohort) -> pl.LazyFrame:
    """(pid, structure_id, anchor_date): every person's anchor event, earliest first."""
    if cohort.anchor == "referral":
        events = data.referrals.lazy().filter(
            _in_range("referral_date", cohort), _equals("source", cohort.source), _equals("decision", cohort.decision)
        ).select("pid", "structure_id", pl.col("referral_date").alias("anchor_date"))
    elif cohort.anchor == "entry":
        events = data.support_periods.lazy().filter(
            _in_range("entry_date", cohort), _equals("program", cohort.program)
        ).select("pid", "structure_id", pl.col("entry_date").alias("anchor_date"))
    else:
        present = data.attendances.lazy().filter(pl.col("presence") == "PRESENT")
        if cohort.category is not None:
            chosen = data.workshops.lazy().filter(pl.col("category") == cohort.category).select(
                "structure_id", "workshop_id")
            present = present.join(chosen, on=["structure_id", "workshop_id"], how="semi")
        events = (
            present.group_by("pid", "structure_id")
            .agg(pl.col("session_date").min().alias("anchor_date"), pl.len().alias("_sessions"))
            .filter(_in_range("anchor_date", cohort), pl.col("_sessions") >= cohort.min_sessions)
            .select("pid", "structure_id", "anchor_date")
        )
    return events.filter(pl.col("pid").is_not_null()).group_by("pid", "structure_id").agg(pl.col("anchor_date").min())


def anchored(data: Data, frame: pl.DataFrame | pl.LazyFrame, anchors: pl.DataFrame) -> pl.LazyFrame:
    """The rows of ``frame`` about the persons of ``anchors`` (pid, anchor_date), with their ``anchor_date``.

    ``pid`` numbers persons 0..n-1, so the anchor of each row is a lookup by position (``gather``) rather than a
    join: on a federation's millions of assessments and attendances, several times faster.
    """
    if anchors.is_empty() or data.persons.is_empty():
        return frame.lazy().clear().with_columns(pl.lit(None, dtype=pl.Date).alias("anchor_date"))
    size = int(data.persons["pid"].max()) + 1  # type: ignore[arg-type]
    dates = pl.Series("anchor_date", [None] * size, dtype=pl.Date).scatter(
        anchors["pid"].cast(pl.Int64), anchors["anchor_date"])
    return (frame.lazy().with_columns(pl.lit(dates).gather(pl.col("pid")).alias("anchor_date"))
            .filter(pl.col("anchor_date").is_not_null()))


def _compute(data: Data, cohort: Cohort) -> pl.DataFrame:
    anchors = _anchors(data, cohort)
    persons = data.persons.lazy().filter(
        _equals("sex", cohort.sex), _equals("resources", cohort.resources), _equals("justice", cohort.justice),
        _equals("priority_area", cohort.priority_area), _equals("structure_id", cohort.structure),
    ).select("pid", "pk", "birth_year")
    chosen = (
        anchors.filter(_equals("structure_id", cohort.structure))
        .join(persons, on="pid", how="inner")
        .with_columns(age_band(pl.col("anchor_date").dt.year() - pl.col("birth_year")).alias("_band"))
        .filter(_equals("_band", cohort.age_band))
    )
    need = [(name, getattr(cohort, f"need_{name}")) for name in ("domain", "kind", "pillar")]
    for column, value in need:
        if value is not None:
            in_need = needs_at_entry(data, chosen.select("pid", "anchor_date").collect()).filter(
                pl.col(column) == value, pl.col("level") <= IN_NEED_MAX_LEVEL
            ).select("pid").unique()
            chosen = chosen.join(in_need, on="pid", how="semi")
    return chosen.select(MEMBERS).collect().sort("pid")


def members(data: Data, cohort: Cohort) -> pl.DataFrame:
    """The cohort's persons: ``pid``, ``pk``, ``structure_id``, ``anchor_date``; one row per person, by pid."""
    cohort = cohort.snapped().with_(name="")
    return _CACHE.get(data, ("members", cohort), lambda: _compute(data, cohort))


def months_since_anchor(column: str) -> pl.Expr:
    """Whole calendar months from ``anchor_date``'s month to ``column``'s (0 = the anchor's month)."""
    later, earlier = pl.col(column), pl.col("anchor_date")
    return (later.dt.year() - earlier.dt.year()) * 12 + (later.dt.month() - earlier.dt.month())


def cohort_data(data: Data, cohort: Cohort) -> Data:
    """The snapshot restricted to the cohort's persons and to what happened from their anchor on.

    ``persons`` gains ``anchor_date``; every person-bearing frame gains it too. Rows kept: referrals and
    attendances dated on or after the anchor, support periods entered on or after it (or still running at it),
    milestones on or after it, and assessments from ``BASELINE_BEFORE`` days before it (the baseline).
    """
    cohort = cohort.snapped().with_(name="")
    # The same Data object for the same cohort: caches keyed on the snapshot (selections, layouts) then hold.
    return _CACHE.get(data, ("data", cohort), lambda: _restricted(data, cohort))


def _restricted(data: Data, cohort: Cohort) -> Data:
    chosen = members(data, cohort).select("pid", "anchor_date")
    anchor = pl.col("anchor_date")

    def of(frame: pl.DataFrame, keep: pl.Expr) -> pl.DataFrame:
        return anchored(data, frame, chosen).filter(keep).collect()

    return replace(
        data,
        through=data.last_day,
        persons=of(data.persons, pl.lit(True)),
        referrals=of(data.referrals, pl.col("referral_date") >= anchor),
        support_periods=of(data.support_periods, (pl.col("entry_date") >= anchor)
                           | pl.col("exit_date").is_null() | (pl.col("exit_date") >= anchor)),
        assessments=of(data.assessments, pl.col("assessment_date") >= anchor - timedelta(days=BASELINE_BEFORE)),
        attendances=of(data.attendances, pl.col("session_date") >= anchor),
        milestones=of(data.milestones, pl.col("milestone_date") >= anchor),
    )
