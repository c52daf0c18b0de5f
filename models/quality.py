"""Data-quality rules, declared once: what a complete, consistent and timely record is.

Pure polars over frames with the model's column names, keyed by table name
(``persons``, ``referrals``, ``support_periods``, ``assessments``,
``workshops``, ``workshop_sessions``, ``structures``). Three readers share
these declarations, so a rule has one definition:

- the load (``etl.quality_log``) counts them on the export it read, per structure;
- the operator's command line (``python -m etl quality``) lists the rows;
- the data-quality page (``dashboard.quality``) counts them on the database.

Completeness keeps two things apart, as the HUD HMIS data-quality framework
does: a *missing* value (empty: nothing was recorded) and an *unknown* one
(``INCONNU``, or ``NR`` "non renseigné" in the person lists: the export says
that the answer is not known). An unknown is an answer; a missing value is
not. A column is judged only on the rows where a value is expected (the exit
columns only once the person has left, the decision date only once a
decision is taken).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import polars as pl

PENDING_DAYS = 90
"""A referral still EN_ATTENTE this many days after it was received is "pending for months" (as the load's
REFERRAL_PENDING_90D warning)."""
ON_TIME_DAYS = 30
"""A row is timely when the load that first brought it ran at most this many days after its event."""
UNKNOWN_CODES = ("INCONNU", "NR")
_FAR = date(9999, 12, 31)

# Table -> columns naming one row (the table's key), for the operator's list.
IDS: dict[str, tuple[str, ...]] = {
    "structures": ("structure_id",),
    "persons": ("structure_id", "person_id"),
    "referrals": ("structure_id", "referral_id", "person_id"),
    "support_periods": ("structure_id", "support_id", "person_id"),
    "assessments": ("structure_id", "person_id", "assessment_date", "domain"),
    "workshops": ("structure_id", "workshop_id"),
    "workshop_sessions": ("structure_id", "session_id", "workshop_id"),
}
# Table -> contract (French) table name, for the operator who knows the files.
CONTRACT_NAMES = {
    "structures": "structures", "persons": "personnes", "referrals": "orientations",
    "support_periods": "accompagnements", "assessments": "evaluations", "workshops": "ateliers",
    "workshop_sessions": "seances",
}
# Table -> the date of its event, for timeliness.
EVENT_DATES = {
    "referrals": "referral_date", "support_periods": "entry_date", "assessments": "assessment_date",
    "workshop_sessions": "session_date", "milestones": "milestone_date",
}

Frames = dict[str, pl.DataFrame]


@dataclass(frozen=True)
class Completeness:
    """One column that should hold a value: where it is expected, and whether it has an "unknown" code."""

    table: str
    column: str
    expected: pl.Expr | None = None  # None: on every row
    has_unknown: bool = False

    @property
    def name(self) -> str:
        return f"{self.table}.{self.column}"

    def expected_rows(self) -> pl.Expr:
        # A column expression, not a literal: summed in a group it counts the group's rows.
        every = pl.col(self.column).is_null() | pl.col(self.column).is_not_null()
        return every if self.expected is None else self.expected.fill_null(False)

    def missing(self) -> pl.Expr:
        return self.expected_rows() & pl.col(self.column).is_null()

    def unknown(self) -> pl.Expr:
        if not self.has_unknown:
            return pl.lit(False)
        return self.expected_rows() & pl.col(self.column).cast(pl.String).is_in(UNKNOWN_CODES).fill_null(False)


_EXITED = pl.col("exit_date").is_not_null()
_DECIDED = pl.col("decision") != "EN_ATTENTE"

COMPLETENESS: tuple[Completeness, ...] = (
    Completeness("structures", "type"),
    Completeness("structures", "territory"),
    Completeness("persons", "sex", has_unknown=True),
    Completeness("persons", "birth_year"),
    Completeness("persons", "household", has_unknown=True),
    Completeness("persons", "resources", has_unknown=True),
    Completeness("persons", "nationality", has_unknown=True),
    Completeness("persons", "french_level", has_unknown=True),
    Completeness("persons", "justice", has_unknown=True),
    Completeness("persons", "territory"),
    Completeness("persons", "priority_area"),
    Completeness("referrals", "program"),
    Completeness("referrals", "decision_date", expected=_DECIDED),
    Completeness("support_periods", "exit_reason", expected=_EXITED, has_unknown=True),
    Completeness("support_periods", "exit_housing", expected=_EXITED, has_unknown=True),
    Completeness("support_periods", "exit_employment", expected=_EXITED, has_unknown=True),
    Completeness("workshops", "modality"),
    Completeness("workshops", "facilitator"),
    Completeness("workshops", "co_constructed"),
    Completeness("workshop_sessions", "duration_minutes"),
)


def _empty(frames: Frames, table: str) -> pl.DataFrame:
    return frames[table].clear() if table in frames else pl.DataFrame()


def covered_until() -> pl.Expr:
    """The first day a support period no longer covers: its exit day, or the next day when it ends the day it
    starts (it covered that one day), far away while it is open."""
    return (
        pl.when(pl.col("exit_date").is_null()).then(pl.lit(_FAR))
        .when(pl.col("exit_date") > pl.col("entry_date")).then(pl.col("exit_date"))
        .otherwise(pl.col("entry_date") + timedelta(days=1))
    )


def overlapping_periods(frames: Frames, as_of: date) -> pl.DataFrame:
    """Support periods of a person that share a day with another of theirs in the same program and structure.

    Being in two programs at once is ordinary (a workshop beside social support); twice in one is not. A
    period covers its entry day up to the day before its exit: leaving and coming back on the same day is
    not an overlap; a period that ends the day it starts covers that day. An open period runs on.
    """
    if "support_periods" not in frames:
        return pl.DataFrame()
    periods = frames["support_periods"].with_columns(covered_until().alias("_until"))
    same = ["structure_id", "person_id", "program"]
    pairs = periods.select(*same, "support_id", "entry_date", "_until").join(
        periods.select(*same, pl.col("support_id").alias("_other"),
                       pl.col("entry_date").alias("_other_entry"), pl.col("_until").alias("_other_until")),
        on=same,
    )
    flagged = pairs.filter(
        (pl.col("support_id") != pl.col("_other"))
        & (pl.col("entry_date") < pl.col("_other_until"))
        & (pl.col("_other_entry") < pl.col("_until"))
    ).select("structure_id", "support_id").unique()
    return periods.join(flagged, on=["structure_id", "support_id"], how="semi").drop("_until")


def exits_without_destination(frames: Frames, as_of: date) -> pl.DataFrame:
    """Support periods with an exit date and no housing situation at exit (empty; ``INCONNU`` is an answer)."""
    if "support_periods" not in frames:
        return pl.DataFrame()
    return frames["support_periods"].filter(_EXITED & pl.col("exit_housing").is_null())


def pending_referrals(frames: Frames, as_of: date) -> pl.DataFrame:
    """Referrals still EN_ATTENTE more than ``PENDING_DAYS`` days before ``as_of``."""
    if "referrals" not in frames:
        return pl.DataFrame()
    limit = as_of - timedelta(days=PENDING_DAYS)
    return frames["referrals"].filter((pl.col("decision") == "EN_ATTENTE") & (pl.col("referral_date") < limit))


def assessments_after_exit(frames: Frames, as_of: date) -> pl.DataFrame:
    """Assessments dated after the person's last exit, when every support period of theirs has ended.

    A person with no support period, or with one still open, is not judged.
    """
    if "assessments" not in frames or "support_periods" not in frames:
        return _empty(frames, "assessments")
    closed = (
        frames["support_periods"].group_by("structure_id", "person_id")
        .agg(pl.col("exit_date").is_null().any().alias("_open"), pl.col("exit_date").max().alias("_last_exit"))
        .filter(~pl.col("_open"))
    )
    return (
        frames["assessments"].join(closed, on=["structure_id", "person_id"])
        .filter(pl.col("assessment_date") > pl.col("_last_exit"))
        .drop("_open", "_last_exit")
    )


def workshops_without_sessions(frames: Frames, as_of: date) -> pl.DataFrame:
    """Workshops with no session at all."""
    if "workshops" not in frames:
        return pl.DataFrame()
    sessions = frames.get("workshop_sessions")
    if sessions is None:
        return frames["workshops"]
    return frames["workshops"].join(sessions.select("structure_id", "workshop_id").unique(),
                                    on=["structure_id", "workshop_id"], how="anti")


@dataclass(frozen=True)
class Consistency:
    """A rule that flags rows of ``table``; ``base`` rows of that table are the ones it judges."""

    code: str
    table: str
    rows: Callable[[Frames, date], pl.DataFrame]
    base: pl.Expr | None = None  # None: every row of the table
    about_persons: bool = True


CONSISTENCY: tuple[Consistency, ...] = (
    Consistency("OVERLAPPING_SUPPORT", "support_periods", overlapping_periods),
    Consistency("EXIT_WITHOUT_DESTINATION", "support_periods", exits_without_destination, base=_EXITED),
    Consistency("REFERRAL_PENDING", "referrals", pending_referrals),
    Consistency("ASSESSMENT_AFTER_EXIT", "assessments", assessments_after_exit),
    Consistency("WORKSHOP_WITHOUT_SESSION", "workshops", workshops_without_sessions, about_persons=False),
)


def base_rows(rule: Consistency, frames: Frames) -> pl.DataFrame:
    """The rows a rule judges (its denominator)."""
    frame = frames.get(rule.table)
    if frame is None:
        return pl.DataFrame()
    return frame if rule.base is None else frame.filter(rule.base.fill_null(False))


def lag_days(event: str, loaded: date) -> pl.Expr:
    """Days from the event to the day of the load that first brought the row (never below 0)."""
    return pl.max_horizontal(pl.lit(0), (pl.lit(loaded) - pl.col(event)).dt.total_days())


@dataclass(frozen=True)
class Score:
    """The score of a structure, 0 to 100, and its parts (shares in 0..1, None when nothing to judge)."""

    completeness: float | None
    consistency: float | None
    timeliness: float | None
    value: float | None


WEIGHTS = {"completeness": 0.4, "consistency": 0.4, "timeliness": 0.2}
UNKNOWN_WEIGHT = 0.5
"""An unknown costs half a missing value: it is an answer, but it tells the figures nothing."""


def score(columns: list[tuple[int, int, int]], rules: list[tuple[int, int]], arrived: int, on_time: int) -> Score:
    """``100 × (0.4 C + 0.4 K + 0.2 T)``.

    - C = 1 − the mean, over the columns where a value is expected somewhere, of (missing + ½ unknown) /
      expected (``columns``: (expected, missing, unknown) per column);
    - K = 1 − the mean, over the rules that judged a row, of flagged / judged (``rules``: (judged, flagged));
    - T = rows brought on time / rows brought (``arrived``, ``on_time``).

    Means over columns and rules, not pooled rows: otherwise the biggest table (sessions, assessments) would
    drown the others. A part with nothing to judge is left out and the others' weights scaled up to 1.
    """
    column_gaps = [(m + UNKNOWN_WEIGHT * u) / e for e, m, u in columns if e]
    rule_shares = [f / j for j, f in rules if j]
    parts = {
        "completeness": 1 - sum(column_gaps) / len(column_gaps) if column_gaps else None,
        "consistency": 1 - sum(rule_shares) / len(rule_shares) if rule_shares else None,
        "timeliness": on_time / arrived if arrived else None,
    }
    weight = sum(WEIGHTS[name] for name, share in parts.items() if share is not None)
    total = sum(WEIGHTS[name] * share for name, share in parts.items() if share is not None)
    return Score(parts["completeness"], parts["consistency"], parts["timeliness"],
                 100 * total / weight if weight else None)


def band(value: float | None) -> str | None:
    """A for 90 and over, B for 75, C for 50, D below."""
    if value is None:
        return None
    return "A" if value >= 90 else "B" if value >= 75 else "C" if value >= 50 else "D"
