"""Time to exit: how long support periods last, and how they end.

A **subject** is a support period: by program, every support period
entered (``entry_date``) in the filter's dates; by cohort, each member's
first support period entered on or after their anchor date (ties: the
earliest structure and ``support_id``). Its time is counted in days from
entry to exit; a period still open is **censored** at the last day of data
(``Data.last_day``), whatever the filter's end: follow-up runs on after the
range. Its end is one of two competing events: a **housing-positive exit**
(``logement_sortie`` independent or supported housing, ``HOUSING_POSITIVE``)
or **any other exit**, death included (and first: a death is never a
housing-positive exit).

Estimators are those of ``lifelines`` (a maintained, tested implementation):
``KaplanMeierFitter`` for the probability of being still accompanied
(any exit ends it), ``AalenJohansenFitter`` for the cumulative incidence of
each kind of exit, the other kind competing. On a day where events and
censorings tie, events come first (the usual convention); lifelines'
Aalen–Johansen would otherwise jitter tied times at random, so the two
kinds of exits and the censorings of one day are put a fraction of a day
apart (housing first, then other exits, then censorings): the estimates
are those of the tie-aware formulas (the products and Greenwood sums
telescope), and deterministic. Values are read at ``DAYS`` only, never at
event times (disclosure), each as the estimate at the end of that day.
lifelines' own fits are the reference of ``tests/survival``; the module
computes the same formulas with NumPy on one row per distinct (time, kind)
with its count (``_fit``): a lifelines fit builds pandas tables and costs
30 to 80 ms, most of the pathways page for ten programs, whatever the size.

``at_risk`` at day d: subjects whose time is at least d (still accompanied
and observed on day d), with the cell keys of an event count (``ek``) and
of the persons behind them (``pk``); ``_subjects`` is the group's size
(disclosure hides a group under k whole). Bands: 95 % pointwise intervals
(log-log transform, Greenwood variance for Kaplan–Meier; Collett's
variance for Aalen–Johansen), as lifelines gives them; for speed (one
program on L: ~1 s in lifelines' Python loop), the Aalen–Johansen variance
is lifelines' formula vectorised and the other exits' incidence is
1 - survival - housing incidence (what Aalen–Johansen gives), both checked
against lifelines' own fits in ``tests/survival``. Times past the last day
asked are censored there (nothing read changes).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import polars as pl

from dashboard import prebuilt
from dashboard.data import Data
from dashboard.filters import Filters
from dashboard.metrics import range_persons
from dashboard.metrics.common import helpers, restricted, selection
from dashboard.metrics.exits import DEATH, HOUSING_POSITIVE
from dashboard.periods import in_range
from dashboard.perturbation import KEY_RANGE

DAYS: tuple[int, ...] = (30, 90, 180, 365, 730)
CENSORED, HOUSING, OTHER = 0, 1, 2
# Tied times, in the order the estimators take them (a fraction of a day: results are read at whole days + 0.5).
_TIE_ORDER = {HOUSING: 0.0, OTHER: 0.1, CENSORED: 0.2}
ESTIMATES = ("survival", "cif_housing_positive", "cif_other_exit")
BANDS = tuple(f"{name}_{side}" for name in ESTIMATES for side in ("low", "high"))
Z95 = 1.959963984540054
"""The normal quantile of a two-sided 95 % interval (lifelines' ``inv_normal_cdf(0.975)``)."""
GROUPS = ("program", "cohort")
TIME_TO_EXIT = ["program", "cohort", "day", "at_risk", *ESTIMATES, *BANDS, "_subjects", *helpers("at_risk", "_subjects")]
"""Every column the figure may have, in order; a table holds ``program`` or ``cohort``, and the bands when asked."""


@dataclass(frozen=True, eq=False)
class CohortMembers:
    """A named cohort's members (``pid``, ``anchor_date``; ``dashboard.cohorts.members``), hashed by identity so
    that it can be a figure option (raw figures are cached per option values)."""

    name: str
    members: pl.DataFrame = field(repr=False)


def subject_times(supports: pl.DataFrame, last_day: date) -> pl.DataFrame:
    """``supports`` (``entry_date``, ``exit_date``, ``exit_reason``, ``exit_housing``) with ``time`` (days) and
    ``event`` (``CENSORED``, ``HOUSING`` or ``OTHER``)."""
    exited = pl.col("exit_date").is_not_null() & (pl.col("exit_date") <= last_day)
    end = pl.when(exited).then(pl.col("exit_date")).otherwise(pl.lit(last_day))
    event = (
        pl.when(~exited).then(pl.lit(CENSORED))
        .when(pl.col("exit_reason").eq_missing(DEATH)).then(pl.lit(OTHER))
        .when(pl.col("exit_housing").is_in(list(HOUSING_POSITIVE))).then(pl.lit(HOUSING))
        .otherwise(pl.lit(OTHER))
    )
    return supports.with_columns(
        (end - pl.col("entry_date")).dt.total_days().clip(lower_bound=0).cast(pl.Int64).alias("time"),
        event.cast(pl.Int8).alias("event"),
    )


def program_subjects(data: Data, filters: Filters) -> pl.DataFrame:
    """Support periods entered in the filter's dates (non-date filters applied), as subjects grouped by program."""
    if data.last_day is None:
        return _no_subjects()
    supports = selection(data, filters).support_periods.filter(in_range("entry_date", filters))
    return _subjects(subject_times(supports, data.last_day).rename({"program": "group"}))


def cohort_subjects(data: Data, cohorts: Sequence[CohortMembers]) -> pl.DataFrame:
    """Each member's first support period entered on or after their anchor date, grouped by cohort name."""
    if data.last_day is None:
        return _no_subjects()
    frames = []
    for cohort in cohorts:
        anchors = cohort.members.select(pl.col("pid").cast(pl.UInt32), "anchor_date")
        first = (
            data.support_periods.join(anchors, on="pid", how="inner")
            .filter(pl.col("entry_date") >= pl.col("anchor_date"))
            .sort(["pid", "entry_date", "structure_id", "support_id"])
            .unique("pid", keep="first", maintain_order=True)
        )
        frames.append(subject_times(first, data.last_day).with_columns(pl.lit(cohort.name).alias("group")))
    return _subjects(pl.concat(frames, how="diagonal_relaxed")) if frames else _no_subjects()


def _subjects(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select("group", "pid", "pk", "ek", "time", "event")


def _no_subjects() -> pl.DataFrame:
    return pl.DataFrame(schema={"group": pl.String, "pid": pl.UInt32, "pk": pl.Int64, "ek": pl.Int64,
                                "time": pl.Int64, "event": pl.Int8})


def _prepared(times: np.ndarray, events: np.ndarray, days: Sequence[int],
              counts: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(time, event, weight) rows for lifelines: one per distinct (time, event), ties ordered by ``_TIE_ORDER``,
    times from 1 (lifelines sets the incidence of its first row, time 0, to 0), censored after the last day asked.
    ``counts``: how many subjects each (``times``, ``events``) row stands for (one each when not given)."""
    horizon = max(days) + 1
    late = times > horizon
    times = np.where(late, horizon, times).astype(np.int64)
    events = np.where(late, CENSORED, events).astype(np.int64)
    kinds = np.array([HOUSING, OTHER, CENSORED])  # in tie order: one integer code per (time, event), sorted as lifelines takes them
    rank = np.select([events == OTHER, events == CENSORED], [1, 2], 0)
    codes, inverse = np.unique(times * len(kinds) + rank, return_inverse=True)
    weights = np.bincount(inverse.ravel(), weights=None if counts is None else np.asarray(counts, dtype=np.float64))
    kind = kinds[codes % len(kinds)]
    shifted = 1.0 + (codes // len(kinds)) + np.array([_TIE_ORDER[k] for k in kinds])[codes % len(kinds)]
    return shifted, kind, np.rint(weights).astype(np.int64)


def _log_log_interval(value: np.ndarray, variance: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """lifelines' interval for a cumulative incidence (delta method on log(-log F), 95 %); the estimate itself where
    it is undefined (F of 0 or 1, no variance)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        transformed = np.log(-np.log(value))
        se = np.sqrt(variance) / (value * np.abs(np.log(value)))
        one = np.exp(-np.exp(transformed + Z95 * se))
        other = np.exp(-np.exp(transformed - Z95 * se))
    low, high = np.fmin(one, other), np.fmax(one, other)
    return np.where(np.isnan(low), value, low), np.where(np.isnan(high), value, high)


def incidence_variance(table: pl.DataFrame | dict[str, np.ndarray], incidence: np.ndarray, events_of_kind: np.ndarray,
                       rows: np.ndarray) -> np.ndarray:
    """The variance lifelines' ``AalenJohansenFitter`` gives a cumulative incidence (Collett, from Greenwood),
    at the event-table rows ``rows``, vectorised: lifelines loops over every event time in Python (about a second
    per program on L). ``table`` has ``at_risk``, ``observed`` (any exit) and ``lagged_survival`` per row."""
    n, d = np.asarray(table["at_risk"], dtype=np.float64), np.asarray(table["observed"], dtype=np.float64)
    lag = np.asarray(table["lagged_survival"], dtype=np.float64)
    dj = events_of_kind.astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        first_coef = d / n / (n - d)
        second = lag**2 * dj * (n - dj) / n**3
        third_coef = lag * dj / n**2
    out = np.empty(len(rows))
    for index, row in enumerate(rows):
        gap = incidence[row] - incidence[: row + 1]
        with np.errstate(invalid="ignore"):
            out[index] = (np.sum(first_coef[: row + 1] * gap**2) + np.sum(second[: row + 1])
                          - 2 * np.sum(third_coef[: row + 1] * gap))
    return out


def _fit(shifted: np.ndarray, kinds: np.ndarray, weights: np.ndarray) -> dict[str, np.ndarray]:
    """What the estimates read from lifelines' ``KaplanMeierFitter`` and ``AalenJohansenFitter`` (housing), fitted
    on ``_prepared``'s rows (distinct times, starting at 1, with their counts), as lifelines computes it, on its
    event table (a row at time 0, then one per distinct time): at risk ``n``, exits ``d``, survival
    ``exp(cumsum(log(n - d) - log(n)))``, Greenwood's sum ``cumsum(d / (n (n - d)))`` (infinite terms as 0), the
    exponential Greenwood interval (undefined values as 1, as lifelines fills them) and the housing incidence
    ``cumsum(d_housing / n * S(t-))`` from 0. lifelines builds pandas tables for each fit: 30 to 80 ms a fit, most
    of a page's time for ten programs, on a table of at most a few thousand rows; ``tests/survival`` checks these
    arrays against lifelines' own fits (estimates, bands and the event table)."""
    grid = np.concatenate([[0.0], shifted])
    counts = np.concatenate([[0.0], weights.astype(np.float64)])
    total = counts.sum()
    at_risk = total - np.concatenate([[0.0], np.cumsum(counts)[:-1]])
    kind = np.concatenate([[CENSORED], kinds])
    observed = np.where(kind != CENSORED, counts, 0.0)
    housing_events = np.where(kind == HOUSING, counts, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        survival = np.exp(np.cumsum(np.log(at_risk - observed) - np.log(at_risk)))
        terms = observed / (at_risk * (at_risk - observed))
        greenwood = np.cumsum(np.where(np.isinf(terms), 0.0, terms))
        log_survival = np.log(survival)
        spread = Z95 * np.sqrt(greenwood) / log_survival
        lower = np.exp(-np.exp(np.log(-log_survival) - spread))
        upper = np.exp(-np.exp(np.log(-log_survival) + spread))
    lagged = np.concatenate([[np.nan], survival[:-1]])
    housing = np.concatenate([[0.0], np.cumsum(housing_events[1:] / at_risk[1:] * lagged[1:])])
    return {"grid": grid, "at_risk": at_risk, "observed": observed, "housing_events": housing_events,
            "survival": survival, "housing": housing, "survival_lower": np.where(np.isnan(lower), 1.0, lower),
            "survival_upper": np.where(np.isnan(upper), 1.0, upper)}


def estimate(times: np.ndarray, events: np.ndarray, days: Sequence[int] = DAYS, *,
             bands: bool = True, counts: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Kaplan–Meier survival and the Aalen–Johansen cumulative incidences of ``HOUSING`` and ``OTHER`` exits,
    read at the end of each of ``days`` (``times`` in whole days, ``events`` coded as this module's constants).
    With ``bands``, the 95 % intervals too (``<estimate>_low`` / ``_high``). With ``counts``, each (time, event)
    row stands for that many subjects (the same estimates as the rows repeated).

    Kaplan–Meier, its interval and the housing incidence are lifelines' formulas on lifelines' event table
    (``_fit``: the same values, checked against lifelines' fits in the tests); the other exits' incidence is
    1 - survival - housing incidence, which is what Aalen–Johansen gives for it (its estimates and the survival
    always add up to 1; the tests compare it with lifelines' own fit). The incidences' intervals use lifelines'
    variance formula, vectorised (``incidence_variance``, checked against lifelines in the tests).
    """
    at = np.asarray(days, dtype=np.float64) + 1.5  # the end of each day, times starting at 1
    if len(times) == 0:
        return {name: np.full(len(at), np.nan) for name in (*ESTIMATES, *(BANDS if bands else ()))}
    shifted, kinds, weights = _prepared(np.asarray(times), np.asarray(events), days, counts)
    fit = _fit(shifted, kinds, weights)
    grid, survival_steps, housing_steps = fit["grid"], fit["survival"], fit["housing"]
    other_steps = np.clip(1.0 - survival_steps - housing_steps, 0.0, 1.0)
    rows = np.searchsorted(grid, at, side="right") - 1
    out = {"survival": survival_steps[rows], "cif_housing_positive": housing_steps[rows],
           "cif_other_exit": other_steps[rows]}
    if not bands:
        return out
    for side, pick in (("low", np.fmin), ("high", np.fmax)):
        read = pick(fit["survival_lower"], fit["survival_upper"])[rows]
        out[f"survival_{side}"] = np.where(np.isnan(read), out["survival"], read)
    table = {"at_risk": fit["at_risk"], "observed": fit["observed"],
             "lagged_survival": np.concatenate([[1.0], survival_steps[:-1]])}
    housing_events = fit["housing_events"]
    for name, steps, kind_events in (("cif_housing_positive", housing_steps, housing_events),
                                     ("cif_other_exit", other_steps, table["observed"] - housing_events)):
        variance = incidence_variance(table, steps, kind_events, rows)
        out[f"{name}_low"], out[f"{name}_high"] = _log_log_interval(out[name], variance)
    return out


def _at_risk(counts: pl.DataFrame, persons: pl.DataFrame, days: Sequence[int]) -> pl.DataFrame:
    """``at_risk`` per group and day with ``event_count``'s helpers, as suffix sums over the distinct times: the
    subjects whose time is at least the day (from ``counts``, per group, time and event), and the persons whose
    longest time is (from ``persons``, per group and person: a person is at risk while any of their support
    periods is). The same values as ``event_count`` over every subject and day, without a row per subject and day
    (5 x the subjects on XL)."""
    grid = pl.DataFrame({"day": list(days)}, schema={"day": pl.Int64})
    from_day = pl.col("time") >= pl.col("day")
    events = counts.join(grid, how="cross").filter(from_day).group_by("group", "day").agg(
        pl.col("count").sum().alias("at_risk"), (pl.col("ek").sum() % KEY_RANGE).alias("_ck_at_risk"))
    # Persons summed per (group, longest time) first: the cross join then runs on distinct times, not on persons.
    longest = persons.group_by("group", "time").agg(pl.len().cast(pl.Int64).alias("n"), pl.col("pk").sum())
    people = longest.join(grid, how="cross").filter(from_day).group_by("group", "day").agg(
        pl.col("n").sum().alias("_pn_at_risk"), (pl.col("pk").sum() % KEY_RANGE).alias("_pk_at_risk"))
    every = counts.select("group").unique().join(grid, how="cross")
    return (
        every.join(events, on=["group", "day"], how="left").join(people, on=["group", "day"], how="left")
        .with_columns(pl.col("at_risk", *helpers("at_risk")).fill_null(0).cast(pl.Int64))
    )


def _table(subjects: pl.DataFrame, group: str, days: Sequence[int], bands: bool) -> pl.DataFrame:
    # Two passes over the subjects; everything else is computed from these (distinct times, persons) tables.
    # Groups as an Enum of their sorted names: the passes hash integers, and sorting by it is sorting by name.
    subjects = subjects.with_columns(pl.col("group").cast(pl.Enum(sorted(subjects["group"].drop_nulls().unique()))))
    counts, persons = pl.collect_all([
        subjects.lazy().group_by("group", "time", "event")
        .agg(pl.len().cast(pl.Int64).alias("count"), pl.col("ek").cast(pl.Int64).sum()).sort("group", "time", "event"),
        subjects.lazy().group_by("group", "pid")
        .agg(pl.col("time").max(), pl.col("pk").first().cast(pl.Int64), pl.len().cast(pl.Int64).alias("count"),
             pl.col("ek").cast(pl.Int64).sum()),
    ])
    at_risk = _at_risk(counts, persons, days).with_columns(pl.col("group").cast(pl.String))
    sizes = persons.group_by("group").agg(
        pl.col("count").sum().alias("_subjects"), (pl.col("ek").sum() % KEY_RANGE).alias("_ck__subjects"),
        pl.len().cast(pl.Int64).alias("_pn__subjects"), (pl.col("pk").sum() % KEY_RANGE).alias("_pk__subjects"),
    ).with_columns(pl.col("group").cast(pl.String))
    return _assembled(counts, at_risk, sizes, group, days, bands)


_HORIZON = max(DAYS) + 1
"""Times past it are censored there (``_prepared``): the range tables store them so."""


def range_table(data: Data) -> pl.DataFrame:
    """Every support period of the network as a subject by program and entry month, counted per (kind ``c``,
    program, month, previous month) as ``range_persons`` counts them: kind ``all`` is every subject, kind
    ``d<day>`` the subjects still at risk on each day of ``DAYS``. Any range of whole entry months reads its
    ``_subjects``, ``at_risk`` and their persons from it. Built once per data version (``dashboard.rollups``)."""
    subjects = _entered(data).lazy()
    kinds = {"all": subjects, **{f"d{day}": subjects.filter(pl.col("time") >= day) for day in DAYS}}
    return range_persons.build({kind: rows.select("group", "m", "pid", "pk", "ek") for kind, rows in kinds.items()},
                               ["group"])


def times_table(data: Data) -> pl.DataFrame:
    """The subjects of ``range_table`` counted per (program, entry month, time, event), times past ``_HORIZON``
    censored there: what the estimates of any range of whole months are fitted on."""
    late = pl.col("time") > _HORIZON
    return (
        _entered(data).lazy()
        .with_columns(pl.when(late).then(pl.lit(_HORIZON, pl.Int64)).otherwise(pl.col("time")).alias("time"),
                      pl.when(late).then(pl.lit(CENSORED, pl.Int8)).otherwise(pl.col("event")).alias("event"))
        .group_by("group", "m", "time", "event").agg(pl.len().cast(pl.Int64).alias("count"))
        .sort("group", "m", "time", "event").collect()
    )


def _entered(data: Data) -> pl.DataFrame:
    if data.last_day is None:
        return _no_subjects().with_columns(pl.lit(0, pl.Int32).alias("m"))
    supports = data.support_periods.filter(pl.col("entry_date").is_not_null())
    return subject_times(supports, data.last_day).select(
        pl.col("program").alias("group"), range_persons.month_index(pl.col("entry_date")).alias("m"),
        "pid", "pk", "ek", "time", "event")


def _from_tables(data: Data, filters: Filters, days: Sequence[int], bands: bool) -> pl.DataFrame | None:
    """The figure by program read from the range tables (``range_table``, ``times_table``): the whole network
    (no person or structure filter) over whole months, at ``DAYS``; None otherwise, or when they are not built."""
    months = range_persons.whole_months(filters)
    if tuple(days) != DAYS or months is None or restricted(filters) or data.support_periods["entry_date"].null_count():
        return None
    persons, times = prebuilt.range_table(data, "time-to-exit"), prebuilt.range_table(data, "time-to-exit-times")
    if persons is None or times is None:
        return None
    first, last = months
    counts = (
        times.lazy().filter(pl.col("m").is_between(first, last)).group_by("group", "time", "event")
        .agg(pl.col("count").sum()).sort("group", "time", "event").collect()
    )
    counted = range_persons.in_range(persons, first, last, ["group", "c"])
    sizes = counted.filter(pl.col("c") == "all").select(
        "group", pl.col("events").alias("_subjects"), pl.col("_ck").alias("_ck__subjects"),
        pl.col("persons").alias("_pn__subjects"), pl.col("_pk").alias("_pk__subjects"))
    at_risk = counted.filter(pl.col("c") != "all").select(
        "group", pl.col("c").str.slice(1).cast(pl.Int64).alias("day"), pl.col("events").alias("at_risk"),
        pl.col("_ck").alias("_ck_at_risk"), pl.col("persons").alias("_pn_at_risk"), pl.col("_pk").alias("_pk_at_risk"))
    grid = pl.DataFrame({"day": list(days)}, schema={"day": pl.Int64})
    every = sizes.select("group").join(grid, how="cross")
    at_risk = every.join(at_risk, on=["group", "day"], how="left").with_columns(
        pl.col("at_risk", *helpers("at_risk")).fill_null(0).cast(pl.Int64))
    return _assembled(counts, at_risk, sizes, "program", days, bands)


def _assembled(counts: pl.DataFrame, at_risk: pl.DataFrame, sizes: pl.DataFrame, group: str, days: Sequence[int],
               bands: bool) -> pl.DataFrame:
    """The figure from ``counts`` (per group, time and event, sorted), ``at_risk`` (per group and day) and
    ``sizes`` (per group)."""
    estimates = []
    for name, rows in counts.group_by("group", maintain_order=True):
        values = estimate(rows["time"].to_numpy(), rows["event"].to_numpy(), days, bands=bands,
                          counts=rows["count"].to_numpy())
        estimates.append(pl.DataFrame({"group": [name[0]] * len(days), "day": list(days), **values},
                                      schema_overrides={"day": pl.Int64}))
    columns = [group, "day", "at_risk", *ESTIMATES, *(BANDS if bands else ()), "_subjects", *helpers("at_risk", "_subjects")]
    if not estimates:
        floats = {*ESTIMATES, *BANDS}
        return pl.DataFrame(schema={c: pl.String if c == group else pl.Float64 if c in floats else pl.Int64 for c in columns})
    return (
        pl.concat(estimates).join(at_risk, on=["group", "day"], how="left").join(sizes, on="group", how="left")
        .rename({"group": group}).sort([group, "day"]).select(columns)
    )


def time_to_exit(data: Data, filters: Filters, *, by: str = "program", cohorts: Sequence[CohortMembers] = (),
                 label: str = "cohort", bands: bool = False, days: Sequence[int] = DAYS) -> pl.DataFrame:
    """Per program or per cohort and day of ``days``: ``at_risk``, ``survival``, ``cif_housing_positive``,
    ``cif_other_exit`` (and their bands with ``bands``), then the cell-key helpers of ``at_risk`` and ``_subjects``.

    ``by="program"``: support periods entered in the filter's dates. ``by="cohort"``: each member's first support
    period from their anchor on, for each of ``cohorts``; without ``cohorts``, ``data`` is one cohort's snapshot
    (``dashboard.cohorts.cohort_data``: persons carry ``anchor_date``), named ``label``.
    """
    if by not in GROUPS:
        raise ValueError(f"by: one of {', '.join(GROUPS)}")
    if by == "program":
        prebuilt_table = _from_tables(data, filters, days, bands)
        if prebuilt_table is not None:
            return prebuilt_table
        subjects = program_subjects(data, filters)
    elif cohorts:
        subjects = cohort_subjects(data, cohorts)
    elif "anchor_date" in data.persons.columns:
        subjects = cohort_subjects(data, [CohortMembers(label, data.persons.select("pid", "anchor_date"))])
    else:
        raise ValueError("by cohort: give cohorts, or a cohort's snapshot (dashboard.cohorts.cohort_data)")
    return _table(subjects, by, days, bands)


__all__ = ["BANDS", "DAYS", "ESTIMATES", "TIME_TO_EXIT", "CohortMembers", "cohort_subjects", "estimate",
           "program_subjects", "subject_times", "time_to_exit"]
