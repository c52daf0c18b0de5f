"""The adjusted effect of regular workshop attendance, for a set of persons.

``analyse_effect`` computes, for every outcome (``outcomes.outcome_names``),
the naive difference and the IPW and AIPW estimates with their bootstrap
intervals and balance diagnostics (``estimators``); ``effect_table`` turns
them into the published table (disclosure rules applied).

This is an *observational estimate under assumptions*: no confounder left
unmeasured beyond the covariates of ``population`` (vulnerability that the
needs at entry do not show would bias it), overlap (every kind of person
could attend or not), and outcomes missing at random given the covariates
and attendance (people still assessed at 6 or 12 months). It never says that
the workshops *cause* a change.

Disclosure: an outcome whose groups (treated, others) hold fewer than k
persons is not shown at all; counts are perturbed like every other count
(cell keys of the persons); estimates are rounded to 2 decimals, balance to
3, effective sizes to whole persons. The selection as a whole follows the
rules of every figure (``disclosure.close_to_another``).
"""

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl
from threadpoolctl import threadpool_limits

from dashboard.analyses.estimators import BOOTSTRAP, TRIM, Design, Fit, estimate, propensity, resample_counts, single
from dashboard.analyses.exposure import Exposure, exposed
from dashboard.analyses.outcomes import HORIZONS, outcome_names, outcomes
from dashboard.analyses.population import covariates, design, entries, levels_of_entries
from dashboard.data import Data
from dashboard.filters import Filters
from dashboard.metrics.common import PerSnapshot
from dashboard.perturbation import KEY_RANGE, perturb
from models.settings import get_setting

SEED = 20260301
MAX_ABS_SMD = 0.1
ESTIMATORS = ("naive", "ipw", "aipw")
COLUMNS = ["outcome", "estimator", "estimate", "ci_low", "ci_high", "n_treated", "n_control", "ess",
           "max_abs_smd_after", "interpretable"]
OVERLAP_BINS = 20
WORKERS = 2


def min_ess() -> int:
    """``PARCOURS_ANALYSIS_MIN_ESS``: the smallest effective size of each group for an estimate to be read."""
    try:
        value = int(get_setting("PARCOURS_ANALYSIS_MIN_ESS"))
    except ValueError:
        value = 0
    if value < 1:
        raise ValueError("PARCOURS_ANALYSIS_MIN_ESS must be a whole number of at least 1")
    return value


@dataclass(frozen=True)
class EffectOptions:
    exposure: Exposure = field(default_factory=Exposure)
    horizons: tuple[int, ...] = HORIZONS
    trim: float = TRIM
    draws: int = BOOTSTRAP
    seed: int = SEED


@dataclass(frozen=True)
class OutcomeEffect:
    """One outcome: its fit (None when a group has fewer than 2 persons) and what the charts need."""

    outcome: str
    fit: Fit | None
    covariates: tuple[str, ...]
    score: np.ndarray  # propensity of the persons kept
    treated: np.ndarray  # their group
    keys: np.ndarray  # their record keys (cell keys of the counts)
    pids: np.ndarray  # their pid

    def interpretable(self, smallest_ess: int) -> bool:
        fit = self.fit
        return fit is not None and bool(np.all(np.abs(fit.smd_after) <= MAX_ABS_SMD)) \
            and min(fit.ess_treated, fit.ess_control) >= smallest_ess


@dataclass(frozen=True)
class EffectAnalysis:
    options: EffectOptions
    persons: int  # at risk of exposure over the whole window
    treated: int
    outcomes: tuple[OutcomeEffect, ...]


_FRAMES = PerSnapshot(size=8)


def analysed(data: Data, filters: Filters | None, members: pl.DataFrame | None, options: EffectOptions) -> pl.DataFrame:
    """The persons at risk with ``treated``, the covariates and the outcomes, one row each, by pid; kept per
    snapshot (the typologies' evolution by type reads the same frame)."""
    member_key = None if members is None else members["pid"].sort().to_numpy().tobytes()
    key = ("analysed", filters, member_key, options.exposure, options.horizons)
    return _FRAMES.get(data, key, lambda: _analysed(data, filters, members, options))


def _analysed(data: Data, filters: Filters | None, members: pl.DataFrame | None, options: EffectOptions) -> pl.DataFrame:
    everyone = entries(data, filters, members)
    people = exposed(data, everyone, options.exposure, data.last_day)
    levels = levels_of_entries(data, filters, members, options.horizons, everyone)  # a superset of people
    at_entry = levels.filter(pl.col("level").is_not_null()).select("pid", "domain", "level")
    return (
        people.select("pid", "pk", "treated")
        .join(covariates(data, people, at_entry), on="pid", how="left", maintain_order="left")
        .join(outcomes(data, people, options.horizons, levels), on="pid", how="left", maintain_order="left")
    )


def _group(outcome: str) -> str:
    """Outcomes observed on about the same persons share one propensity model: the distances at one horizon,
    the exits. (One model for all, fitted on every person at risk, was tried: on the demo it leaves the
    outcomes at 12 months unbalanced, |SMD| up to 0.15, because those still assessed then are a selected group.)"""
    return outcome.rsplit("_", 1)[-1] if outcome.startswith("distance_") else "exit"


@dataclass(frozen=True)
class _Shared:
    """What every outcome of one analysis shares: the covariates, the propensity of each group of outcomes and
    the bootstrap resamples, all over the rows of the analysed frame."""

    x: Design
    names: list[str]
    person_x: Design  # the covariates of the outcome models: all but the structure
    scores: dict[str, np.ndarray]  # group -> propensity of every row (0.5 where the group's outcomes are unknown)
    counts: np.ndarray
    treated: np.ndarray
    keys: np.ndarray
    pids: np.ndarray


def _shared(frame: pl.DataFrame, outcomes: list[str], options: EffectOptions) -> _Shared:
    x, names = design(frame)
    person_x = design(frame, skip=("structure_id",))[0]
    treated_all = frame["treated"].to_numpy().astype(bool)
    scores = {}
    for group in dict.fromkeys(_group(o) for o in outcomes):
        rows = np.zeros(frame.height, dtype=bool)
        for outcome in outcomes:
            if _group(outcome) == group:
                rows |= frame[outcome].is_not_null().to_numpy()
        treated = treated_all[rows]
        score = np.full(frame.height, 0.5)
        if treated.sum() >= 2 and (~treated).sum() >= 2:
            score[rows] = propensity(x[rows], treated)
        scores[group] = score
    counts = single(resample_counts(frame.height, np.random.default_rng(options.seed), options.draws))
    return _Shared(Design.of(x), names, Design.of(person_x), scores, counts, treated_all, frame["pk"].to_numpy(),
                   frame["pid"].to_numpy())


def _one(frame: pl.DataFrame, outcome: str, options: EffectOptions, index: int, shared: _Shared) -> OutcomeEffect:
    score = shared.scores[_group(outcome)]
    observed = frame[outcome].is_not_null().to_numpy()
    treated = shared.treated
    inside = observed & (score >= options.trim) & (score <= 1 - options.trim)
    if (treated & inside).sum() < 2 or (~treated & inside).sum() < 2:
        return OutcomeEffect(outcome, None, tuple(shared.names), np.zeros(0), np.zeros(0, dtype=bool),
                             np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint32))
    y = frame[outcome].fill_null(0.0).to_numpy().astype(np.float64)
    fit = estimate(shared.x, y, treated, score, shared.counts, shared.person_x, options.trim,
                   np.random.default_rng([options.seed, index]), used=observed)
    return OutcomeEffect(outcome, fit, tuple(shared.names), score[fit.kept], treated[fit.kept],
                         shared.keys[fit.kept], shared.pids[fit.kept])


def compute_effect(data: Data, filters: Filters | None = None, members: pl.DataFrame | None = None,
                   options: EffectOptions | None = None) -> EffectAnalysis:
    options = options or EffectOptions()
    frame = analysed(data, filters, members, options)
    names = outcome_names(data, options.horizons)
    if frame.height == 0:
        return EffectAnalysis(options, 0, 0, ())
    with threadpool_limits(1):  # one BLAS thread: faster on the small matrices here, and fair to a shared server
        shared = _shared(frame, names, options)
        # Two threads: the outcomes are independent (each its own seeded generator, so the result does not depend
        # on the order they finish in) and numpy, scipy and scikit-learn release the interpreter while they count.
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            results = tuple(pool.map(lambda item: _one(frame, item[1], options, item[0], shared), enumerate(names)))
    return EffectAnalysis(options, frame.height, int(frame["treated"].sum()), results)


_CACHE = PerSnapshot(size=16)


def analyse_effect(data: Data, filters: Filters | None = None, members: pl.DataFrame | None = None,
                   options: EffectOptions | None = None) -> EffectAnalysis:
    """``compute_effect``, kept per data snapshot, filters, members and options (pages and benchmarks repeat it)."""
    options = options or EffectOptions()
    member_key = None if members is None else members["pid"].sort().to_numpy().tobytes()
    return _CACHE.get(data, ("effect", filters, member_key, options), lambda: compute_effect(data, filters, members, options))


def _counts(values: list[int], keys: list[int], exact: bool) -> list[int]:
    if exact:
        return values
    return [int(v) for v in perturb(np.array(values), np.array(keys) % KEY_RANGE)]


def _round(value: float, digits: int) -> float | None:
    return None if value is None or not np.isfinite(value) else round(float(value), digits)


def effect_table(analysis: EffectAnalysis, k: int, exact: bool, smallest_ess: int) -> pl.DataFrame:
    """The published table (``COLUMNS``): per outcome, the naive difference (always marked not interpretable:
    it is not adjusted), then IPW and AIPW, whose estimate and interval are empty unless interpretable.
    An outcome whose treated or other group is under ``k`` persons has every cell empty."""
    rows: list[Any] = []
    for effect in analysis.outcomes:
        fit = effect.fit
        if fit is None or fit.n_treated < k or fit.n_control < k:
            rows.extend({"outcome": effect.outcome, "estimator": name, "interpretable": False} for name in ESTIMATORS)
            continue
        keys = [int(effect.keys[effect.treated].sum()), int(effect.keys[~effect.treated].sum())]
        n_treated, n_control = _counts([fit.n_treated, fit.n_control], keys, exact)
        good = effect.interpretable(smallest_ess)
        after = float(np.abs(fit.smd_after).max()) if len(fit.smd_after) else 0.0
        before = float(np.abs(fit.smd_before).max()) if len(fit.smd_before) else 0.0
        ess_after = min(fit.ess_treated, fit.ess_control)
        for name, value, (low, high) in (("naive", fit.naive, fit.naive_ci), ("ipw", fit.ipw, fit.ipw_ci),
                                        ("aipw", fit.aipw, fit.aipw_ci)):
            show = name == "naive" or good
            rows.append({
                "outcome": effect.outcome, "estimator": name,
                "estimate": _round(value, 2) if show else None,
                "ci_low": _round(low, 2) if show else None, "ci_high": _round(high, 2) if show else None,
                "n_treated": n_treated, "n_control": n_control,
                "ess": round(min(n_treated, n_control) if name == "naive" else ess_after),
                "max_abs_smd_after": _round(before if name == "naive" else after, 3),
                "interpretable": good and name != "naive",
            })
    schema = {"outcome": pl.String, "estimator": pl.String, "estimate": pl.Float64, "ci_low": pl.Float64,
              "ci_high": pl.Float64, "n_treated": pl.Int64, "n_control": pl.Int64, "ess": pl.Int64,
              "max_abs_smd_after": pl.Float64, "interpretable": pl.Boolean}
    return pl.DataFrame(rows, schema=schema).select(COLUMNS)


def balance_table(effect: OutcomeEffect) -> pl.DataFrame:
    """covariate, smd_before, smd_after (3 decimals), the love plot's data: the most unbalanced first, before or
    after weighting (so that a covariate that fails the rule after weighting is among the first shown)."""
    fit = effect.fit
    if fit is None:
        return pl.DataFrame(schema={"covariate": pl.String, "smd_before": pl.Float64, "smd_after": pl.Float64})
    worst = pl.max_horizontal(pl.col("smd_before").abs(), pl.col("smd_after").abs() * (1 / MAX_ABS_SMD))
    return pl.DataFrame({"covariate": list(effect.covariates), "smd_before": fit.smd_before.round(3),
                         "smd_after": fit.smd_after.round(3)}).sort(worst, "covariate", descending=[True, False])


def overlap_table(effect: OutcomeEffect, k: int, exact: bool) -> pl.DataFrame:
    """Persons per propensity bin (``OVERLAP_BINS`` of equal width) and group, perturbed; null under k."""
    bins = np.minimum((effect.score * OVERLAP_BINS).astype(np.int64), OVERLAP_BINS - 1)
    rows = []
    for group in (True, False):
        mine = effect.treated == group
        counts = np.bincount(bins[mine], minlength=OVERLAP_BINS)
        keys = np.bincount(bins[mine], weights=effect.keys[mine].astype(np.float64), minlength=OVERLAP_BINS)
        shown = counts if exact else perturb(counts, keys.astype(np.int64) % KEY_RANGE)
        for b in range(OVERLAP_BINS):
            rows.append({"bin_low": b / OVERLAP_BINS, "treated": group,
                         "persons": int(shown[b]) if shown[b] >= k else (0 if counts[b] == 0 else None)})
    return pl.DataFrame(rows, schema={"bin_low": pl.Float64, "treated": pl.Boolean, "persons": pl.Int64})
