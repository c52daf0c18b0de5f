"""Propensity scores, weights, balance and the two estimators, on plain arrays.

- Propensity: scikit-learn's ``LogisticRegression`` (covariates standardised,
  L2 penalty C = 1, which keeps a structure with every person in one group
  from producing infinite odds), fitted on all the persons analysed. Its
  in-sample scores balance the covariates by construction (the score
  equations of the fit); ``calibrated=True`` gives instead the scores of
  ``CalibratedClassifierCV`` (sigmoid, 3 shuffled folds). Measured on the
  demo (M, distance at 12 months): the largest |SMD| after weighting is 0.07
  with the fitted scores and 0.18 to 0.25 with calibrated ones (sigmoid or
  isotonic, C = 1 or 10): out-of-fold calibration pulls the scores towards
  the mean, which is right for predicting attendance but undoes the balance
  the weights exist for. So weights use the fitted scores; the calibrated
  model stays available to check how far the two disagree.
- Weights: stabilised inverse probability weights, P(A=a) / P(A=a | x), after
  *trimming* the persons whose score lies outside [``TRIM``, 1 - ``TRIM``]
  (they are left out, and the counts say how many remain). Why not overlap
  weights: they balance by construction but estimate the effect in an
  "overlap population" that no director can picture; the question asked is
  the effect for the persons received (ATE), and trimming keeps that meaning
  for everyone but those who almost surely (or never) attend, for whom the
  data says nothing.
- IPW: the difference of the weighted means of the two groups (Hájek form).
- AIPW (doubly robust): linear outcome models fitted in each group
  (``Ridge`` with a token penalty, alpha = 0.001, so that codes that go
  together, such as a structure and its assessment grid, still solve) plus
  the weighted residuals; consistent when either the propensity or the
  outcome model is right.
- Size: the propensity model is fitted on at most ``MAX_FIT`` persons drawn at
  random (seeded), each outcome model on at most ``MAX_OUTCOME_FIT`` of its
  group, and applied to everyone; weights,
  estimates, intervals and balance use every person. On a federation's data
  that keeps the page fast at no cost in bias (the models only need to be
  right on average), a little in precision.
- Bootstrap: ``BOOTSTRAP`` resamples of persons drawn from a seeded generator;
  percentile interval. The propensity and the outcome models are kept from
  the full sample (for IPW this errs on the wide side, Lunceford & Davidian
  2004; AIPW's influence function does not depend on them to first order),
  so a page stays fast on a federation's data.
- Balance: standardised mean difference of every covariate column,
  (weighted mean of the treated - of the others) / the square root of the
  mean of the two groups' *unweighted* variances (Austin 2009), before and
  after weighting; effective sample size of each group (Kish).
"""

from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
from scipy import sparse
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import StratifiedKFold

TRIM = 0.05
BOOTSTRAP = 200
LEVEL = 0.95
FOLDS = 3
FOLD_SEED = 0
OUTCOME_PENALTY = 1e-3
MAX_FIT = 10_000
MAX_OUTCOME_FIT = 5_000
DENSE_COLUMNS = 400


Matrix: TypeAlias = np.ndarray | sparse.csr_matrix  # scipy has no type information: sparse.csr_matrix reads as Any
"""Covariates: a dense array or a sparse matrix (``population.design``), one row per person."""


@dataclass(frozen=True)
class Design:
    """Covariates with what every outcome's estimate derives from them, computed once per analysis: their
    squares (balance) and the matrix with an intercept column (outcome models)."""

    x: Matrix
    squared: Matrix
    with_intercept: Matrix

    @classmethod
    def of(cls, x: "Matrix | Design") -> "Design":
        if isinstance(x, Design):
            return x
        squared = x.multiply(x).tocsr() if sparse.issparse(x) else x * x  # type: ignore[union-attr]
        return cls(x, squared, _with_intercept(x))


def propensity(x: Matrix, treated: np.ndarray, calibrated: bool = False) -> np.ndarray:
    """P(treated | x) from a penalised logistic regression (deterministic); see the module's docstring.

    Covariates are 0/1 codes and levels 1 to 5, on comparable scales: they are not standardised (that would
    make the sparse matrix dense). Newton's method (``newton-cholesky``) converges in a few steps.
    """
    model = LogisticRegression(C=1.0, solver="newton-cholesky", max_iter=100)
    folds = min(FOLDS, int(treated.sum()), int((~treated).sum()))
    if folds < 2 or x.shape[1] == 0:
        return np.full(len(treated), treated.mean())
    if not calibrated:
        rows = fit_rows(len(treated), np.random.default_rng(FOLD_SEED))
        if treated[rows].all() or not treated[rows].any():
            rows = np.arange(len(treated))
        return np.asarray(model.fit(x[rows], treated[rows].astype(np.int64)).predict_proba(x)[:, 1], dtype=np.float64)
    # Shuffled folds: persons come sorted by structure, and unshuffled folds would each miss whole structures.
    split = StratifiedKFold(n_splits=folds, shuffle=True, random_state=FOLD_SEED)
    fitted = CalibratedClassifierCV(model, method="sigmoid", cv=split).fit(x, treated.astype(np.int64))
    return np.asarray(fitted.predict_proba(x)[:, 1], dtype=np.float64)


def stabilised_weights(score: np.ndarray, treated: np.ndarray) -> np.ndarray:
    """P(A=a) / P(A=a | x) for each person's own group a."""
    share = treated.mean()
    return np.where(treated, share / score, (1.0 - share) / (1.0 - score))


def kept(score: np.ndarray, trim: float = TRIM) -> np.ndarray:
    """Persons inside the common support: score in [trim, 1 - trim]."""
    return (score >= trim) & (score <= 1.0 - trim)


def smd(x: "Matrix | Design", treated: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """Standardised mean difference of each column (see the module's docstring); 0 where both variances are 0."""
    return balance(x, treated, np.ones(len(treated)) if weights is None else weights)[1]


def balance(x: "Matrix | Design", treated: np.ndarray, weights: np.ndarray,
            used: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(SMD before, SMD after weighting) of each column, in one pass over ``x``; ``used``: the rows that count
    (all when None; the others are left out as if absent, so that ``x`` need not be cut)."""
    t = treated.astype(np.float64)
    c = 1.0 - t
    if used is not None:
        t, c = t * used, c * used
    columns = np.column_stack([t, c, weights * t, weights * c])
    design = Design.of(x)
    sums = np.asarray(design.x.T @ columns)
    squares = np.asarray(design.squared.T @ columns[:, :2])
    n_t, n_c = t.sum(), c.sum()
    mean_t, mean_c = sums[:, 0] / n_t, sums[:, 1] / n_c
    var_t = (squares[:, 0] / n_t - mean_t**2) * n_t / max(n_t - 1, 1)
    var_c = (squares[:, 1] / n_c - mean_c**2) * n_c / max(n_c - 1, 1)
    spread = np.sqrt(np.maximum((var_t + var_c) / 2.0, 0.0))
    after = sums[:, 2] / columns[:, 2].sum() - sums[:, 3] / columns[:, 3].sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        return (np.where(spread > 1e-9, (mean_t - mean_c) / spread, 0.0),
                np.where(spread > 1e-9, after / spread, 0.0))


def ess(weights: np.ndarray) -> float:
    """Kish's effective sample size, (sum w)^2 / sum w^2."""
    total = weights.sum()
    return float(total * total / (weights * weights).sum()) if len(weights) else 0.0


def weighted_difference(y: np.ndarray, treated: np.ndarray, weights: np.ndarray) -> float:
    """Weighted mean of y among the treated minus among the others (naive with weights of 1, IPW otherwise)."""
    t, c = treated, ~treated
    return float((weights[t] * y[t]).sum() / weights[t].sum() - (weights[c] * y[c]).sum() / weights[c].sum())


def _with_intercept(x: Matrix) -> Matrix:
    """x with a column of ones (the intercept, so that the Cholesky solver also takes sparse matrices)."""
    ones = np.ones((x.shape[0], 1))
    return sparse.hstack([x, sparse.csr_matrix(ones)], format="csr") if sparse.issparse(x) else np.hstack([x, ones])


def fit_rows(n: int, rng: np.random.Generator, most: int = MAX_FIT) -> np.ndarray:
    """Indices of the persons a model is fitted on: all of them, or a random ``most`` (sorted) beyond that."""
    return np.arange(n) if n <= most else np.sort(rng.choice(n, size=most, replace=False))


def aipw_terms(x: "Matrix | Design", y: np.ndarray, treated: np.ndarray, score: np.ndarray,
               rng: np.random.Generator | None = None, used: np.ndarray | None = None) -> np.ndarray:
    """Each person's term of the AIPW estimator; their mean is the estimate.

    m1(x) - m0(x) + A (y - m1(x)) / e(x) - (1 - A) (y - m0(x)) / (1 - e(x)), where m1 and m0 are ridge
    regressions of y on x fitted on the treated and on the others (each on at most ``MAX_OUTCOME_FIT`` of them).
    ``used``: the rows that count (all when None); the terms of the others are 0.
    """
    rng = rng or np.random.default_rng(FOLD_SEED)
    used = np.ones(len(y), dtype=bool) if used is None else used
    design = Design.of(x).with_intercept
    m1, m0 = (_predict_from(design, y, rows & used, rng) for rows in (treated, ~treated))
    a = treated.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = m1 - m0 + a * (y - m1) / score - (1.0 - a) * (y - m0) / (1.0 - score)
    return np.where(used, terms, 0.0)


def _predict_from(design: Matrix, y: np.ndarray, rows: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    chosen = np.flatnonzero(rows)[fit_rows(int(rows.sum()), rng, MAX_OUTCOME_FIT)]
    fitted = design[chosen]
    if sparse.issparse(fitted) and fitted.shape[1] <= DENSE_COLUMNS:
        fitted = fitted.toarray()  # a few thousand rows of a few dozen columns: the dense solve is much faster
    model = Ridge(alpha=OUTCOME_PENALTY, fit_intercept=False, solver="cholesky").fit(fitted, y[chosen])
    return np.asarray(model.predict(design), dtype=np.float64)


def resample_counts(n: int, rng: np.random.Generator, draws: int = BOOTSTRAP) -> np.ndarray:
    """(draws, n) how many times each person is drawn in each bootstrap resample (uint8: a person drawn over 255
    times out of n draws does not happen at these sizes)."""
    counts = np.empty((draws, n), dtype=np.uint8)
    for draw in range(draws):
        counts[draw] = np.bincount(rng.integers(0, n, size=n), minlength=n)
    return counts


def _interval(values: np.ndarray) -> tuple[float, float]:
    values = values[np.isfinite(values)]
    if len(values) == 0:
        return float("nan"), float("nan")
    tail = (1.0 - LEVEL) / 2.0 * 100.0
    low, high = np.percentile(values, [tail, 100.0 - tail])
    return float(low), float(high)


def difference_interval(y: np.ndarray, treated: np.ndarray, weights: np.ndarray, counts: np.ndarray) -> tuple[float, float]:
    """Percentile interval of ``weighted_difference`` over the resamples ``counts``."""
    return _interval(_resampled_differences(y, treated, [weights], counts)[0])


def _resampled_differences(y: np.ndarray, treated: np.ndarray, weights: list[np.ndarray],
                           counts: np.ndarray) -> list[np.ndarray]:
    """``weighted_difference`` in every resample, for each weighting, from one matrix product."""
    t = treated.astype(np.float64)
    sums = resampled_sums(counts, _difference_columns(y, t, 1.0 - t, weights))
    return _differences(sums, len(weights))


def _difference_columns(y: np.ndarray, t: np.ndarray, c: np.ndarray, weights: list[np.ndarray]) -> list[np.ndarray]:
    return [v for w in weights for v in (w * t * y, w * t, w * c * y, w * c)]


def _differences(sums: np.ndarray, count: int) -> list[np.ndarray]:
    with np.errstate(divide="ignore", invalid="ignore"):
        return [sums[:, 4 * i] / sums[:, 4 * i + 1] - sums[:, 4 * i + 2] / sums[:, 4 * i + 3] for i in range(count)]


def resampled_sums(counts: np.ndarray, columns: list[np.ndarray]) -> np.ndarray:
    """(draws, columns): each column's sum over the persons in every resample, ``counts @ columns``.

    ``counts`` stays in its small integer type and is converted a block of draws at a time, so that a
    federation's resamples never exist in floating point at once; the product runs in single precision
    (relative error under 1e-6 on sums of 80 000 persons, measured on L: far below the 2 decimals shown, and
    twice as fast), the sums are returned in double precision."""
    values = np.vstack(columns).astype(np.float32).T  # a transposed view: BLAS reads it as it is
    if counts.dtype == np.float32:  # converted once by the caller (``single``)
        return np.asarray(counts @ values, dtype=np.float64)
    out = np.empty((counts.shape[0], values.shape[1]))
    for start in range(0, counts.shape[0], _BLOCK):
        out[start:start + _BLOCK] = counts[start:start + _BLOCK].astype(np.float32) @ values
    return out


def single(counts: np.ndarray, most_bytes: int = 256 * 2**20) -> np.ndarray:
    """The resamples in single precision when that takes at most ``most_bytes`` (an analysis estimates a dozen
    outcomes from the same resamples: converting them once saves a conversion per outcome), else as they are."""
    return counts.astype(np.float32) if counts.size * 4 <= most_bytes else counts


_BLOCK = 50


@dataclass(frozen=True)
class Fit:
    """One outcome's estimates and diagnostics on the persons kept after trimming."""

    naive: float
    naive_ci: tuple[float, float]
    ipw: float
    ipw_ci: tuple[float, float]
    aipw: float
    aipw_ci: tuple[float, float]
    n_treated: int
    n_control: int
    ess_treated: float
    ess_control: float
    smd_before: np.ndarray
    smd_after: np.ndarray
    kept: np.ndarray  # bool over the persons given


def estimate(x: "Matrix | Design", y: np.ndarray, treated: np.ndarray, score: np.ndarray, counts: np.ndarray,
             outcome_x: "Matrix | Design | None" = None, trim: float = TRIM, rng: np.random.Generator | None = None,
             used: np.ndarray | None = None) -> Fit:
    """Naive, IPW and AIPW estimates of one outcome with their intervals and balance, after trimming.

    ``counts``: the bootstrap resamples of these persons (``resample_counts``; a slice of the resamples of a
    larger set is a resample of its own). ``outcome_x``: the covariates of the outcome models (``x`` if None).
    ``used``: the persons with this outcome (all when None): the others are left out of every sum rather than
    cut from the arrays, which on a federation's data saves copying the covariates and resamples per outcome.
    """
    inside = kept(score, trim) if used is None else used & kept(score, trim)
    a, c = treated & inside, ~treated & inside
    w = np.zeros(len(y))
    w[inside] = stabilised_weights(score[inside], treated[inside])
    ones = inside.astype(np.float64)
    y = np.where(inside, y, 0.0)
    terms = aipw_terms(x if outcome_x is None else outcome_x, y, treated, score, rng, inside)
    sums = resampled_sums(counts, [*_difference_columns(y, a, c, [ones, w]), terms, ones])
    naive_draws, ipw_draws = _differences(sums, 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        aipw_draws = sums[:, 8] / sums[:, 9]
    before, after = balance(x, treated, w, inside)
    return Fit(
        naive=weighted_difference(y[inside], treated[inside], ones[inside]), naive_ci=_interval(naive_draws),
        ipw=weighted_difference(y[inside], treated[inside], w[inside]), ipw_ci=_interval(ipw_draws),
        aipw=float(terms[inside].mean()), aipw_ci=_interval(aipw_draws),
        n_treated=int(a.sum()), n_control=int(c.sum()),
        ess_treated=ess(w[a]), ess_control=ess(w[c]),
        smd_before=before, smd_after=after, kept=inside,
    )
