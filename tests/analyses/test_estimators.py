"""The estimators on small fixtures computed by hand."""

import numpy as np
import pytest
from scipy import sparse

from dashboard.analyses.estimators import (
    aipw_terms,
    difference_interval,
    ess,
    estimate,
    kept,
    propensity,
    resample_counts,
    smd,
    stabilised_weights,
    weighted_difference,
)

# Six persons, three attending regularly; propensity scores given.
TREATED = np.array([True, True, True, False, False, False])
SCORE = np.array([0.5, 0.25, 0.8, 0.5, 0.75, 0.2])
Y = np.array([3.0, 1.0, 5.0, 2.0, 0.0, 6.0])
# P(A=1) = 3/6 = 0.5: treated 0.5/e = 1, 2, 0.625; others 0.5/(1-e) = 1, 2, 0.625.
WEIGHTS = np.array([1.0, 2.0, 0.625, 1.0, 2.0, 0.625])


def test_stabilised_weights_by_hand():
    assert stabilised_weights(SCORE, TREATED) == pytest.approx(WEIGHTS)


def test_ipw_is_the_weighted_difference_of_means():
    # Treated: (1*3 + 2*1 + 0.625*5) / 3.625 = 8.125 / 3.625; others: (1*2 + 2*0 + 0.625*6) / 3.625 = 5.75 / 3.625.
    assert weighted_difference(Y, TREATED, WEIGHTS) == pytest.approx(2.375 / 3.625)
    # Naive: 3 - 8/3.
    assert weighted_difference(Y, TREATED, np.ones(6)) == pytest.approx(3 - 8 / 3)


def test_effective_sample_size_is_kish():
    # (1 + 2 + 0.625)^2 / (1 + 4 + 0.390625)
    assert ess(WEIGHTS[:3]) == pytest.approx(3.625**2 / 5.390625)
    assert ess(np.ones(7)) == pytest.approx(7)


def test_trimming_keeps_scores_inside_the_bounds():
    assert kept(np.array([0.01, 0.05, 0.5, 0.95, 0.99]), 0.05).tolist() == [False, True, True, True, False]


def _direct_smd(x: np.ndarray, treated: np.ndarray, w: np.ndarray) -> np.ndarray:
    out = []
    for j in range(x.shape[1]):
        col = x[:, j]
        m1 = np.sum(w[treated] * col[treated]) / np.sum(w[treated])
        m0 = np.sum(w[~treated] * col[~treated]) / np.sum(w[~treated])
        s = np.sqrt((np.var(col[treated], ddof=1) + np.var(col[~treated], ddof=1)) / 2)
        out.append((m1 - m0) / s)
    return np.array(out)


@pytest.mark.parametrize("as_sparse", [False, True])
def test_smd_before_and_after_against_a_direct_computation(as_sparse):
    rng = np.random.default_rng(7)
    x = np.column_stack([rng.normal(size=40), rng.integers(0, 2, 40).astype(float), rng.integers(1, 6, 40).astype(float)])
    treated = rng.random(40) < 0.4
    w = rng.uniform(0.5, 3.0, 40)
    given = sparse.csr_matrix(x) if as_sparse else x
    assert smd(given, treated) == pytest.approx(_direct_smd(x, treated, np.ones(40)))
    assert smd(given, treated, w) == pytest.approx(_direct_smd(x, treated, w))


def test_smd_of_a_hand_example():
    # Treated x = 1, 2, 3 (mean 2, var 1); others 0, 0, 3 (mean 1, var 3): (2 - 1) / sqrt(2).
    x = np.array([[1.0], [2.0], [3.0], [0.0], [0.0], [3.0]])
    assert smd(x, TREATED)[0] == pytest.approx(1 / np.sqrt(2))
    # Weighted: treated (1 + 4 + 1.875) / 3.625, others (0 + 0 + 1.875) / 3.625; same denominator.
    assert smd(x, TREATED, WEIGHTS)[0] == pytest.approx((6.875 / 3.625 - 1.875 / 3.625) / np.sqrt(2))


def test_aipw_is_doubly_robust_when_the_outcome_model_is_right():
    # y = 1 + 2 x + 0.7 A exactly: whatever the (wrong) scores, AIPW finds 0.7.
    rng = np.random.default_rng(3)
    x = rng.normal(size=(200, 1))
    treated = rng.random(200) < 1 / (1 + np.exp(-x[:, 0]))
    y = 1 + 2 * x[:, 0] + 0.7 * treated
    wrong = np.full(200, 0.5)
    assert aipw_terms(x, y, treated, wrong).mean() == pytest.approx(0.7, abs=1e-3)


def test_bootstrap_interval_is_seeded_and_surrounds_the_estimate():
    counts = resample_counts(6, np.random.default_rng(1), 500)
    assert counts.shape == (500, 6) and (counts.sum(axis=1) == 6).all()
    again = resample_counts(6, np.random.default_rng(1), 500)
    assert (counts == again).all()
    low, high = difference_interval(Y, TREATED, WEIGHTS, counts.astype(float))
    assert low < weighted_difference(Y, TREATED, WEIGHTS) < high


def test_estimate_on_a_fixture_with_known_confounding():
    # x confounds: it raises both attendance and the outcome; the true effect is 0.5.
    rng = np.random.default_rng(11)
    n = 4000
    x = rng.normal(size=(n, 1))
    treated = rng.random(n) < 1 / (1 + np.exp(-1.2 * x[:, 0]))
    y = x[:, 0] + 0.5 * treated + rng.normal(scale=0.5, size=n)
    score = propensity(x, treated)
    assert (score == propensity(x, treated)).all()  # deterministic
    fit = estimate(x, y, treated, score, resample_counts(n, np.random.default_rng(2), 200))
    assert fit.naive_ci[0] > 0.5 + 0.3  # the naive difference carries the confounding
    assert fit.ipw_ci[0] <= 0.5 <= fit.ipw_ci[1]
    assert fit.aipw_ci[0] <= 0.5 <= fit.aipw_ci[1]
    assert np.abs(fit.smd_before).max() > 0.5 and np.abs(fit.smd_after).max() < 0.1


def test_a_mask_gives_the_estimate_of_the_persons_it_keeps():
    # The analysis estimates each outcome on the full arrays with a mask of the persons who have it; that must be
    # the estimate of those persons alone, resamples included (their columns of the resamples of everyone).
    rng = np.random.default_rng(5)
    n = 600
    x = sparse.csr_matrix(np.column_stack([rng.normal(size=n), rng.integers(0, 2, n)]))
    treated = rng.random(n) < 0.4
    y = rng.normal(size=n) + 0.3 * treated
    used = rng.random(n) < 0.7
    score = np.clip(propensity(x, treated), 0.01, 0.99)
    y_full = np.where(used, y, np.nan)  # unknown outcomes of the others: never read
    counts = resample_counts(n, np.random.default_rng(6), 100)
    masked = estimate(x, y_full, treated, score, counts, rng=np.random.default_rng(7), used=used)
    alone = estimate(x[used], y[used], treated[used], score[used], counts[:, used], rng=np.random.default_rng(7))
    for name in ("naive", "ipw", "aipw", "ess_treated", "ess_control"):
        assert getattr(masked, name) == pytest.approx(getattr(alone, name), rel=1e-9), name
    for name in ("naive_ci", "ipw_ci", "aipw_ci"):
        assert getattr(masked, name) == pytest.approx(getattr(alone, name), rel=1e-5), name  # single-precision sums
    assert (masked.n_treated, masked.n_control) == (alone.n_treated, alone.n_control)
    assert masked.smd_after == pytest.approx(alone.smd_after, abs=1e-9)
    assert (masked.kept == (used & kept(score))).all() and masked.kept[used].tolist() == alone.kept.tolist()
