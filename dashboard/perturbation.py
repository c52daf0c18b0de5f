"""Cell-key perturbation: the same records always get the same small noise.

The method of the Australian Bureau of Statistics' TableBuilder and of the
ONS for Census 2021, as the ONS ``cell-key-perturbation`` package lays it
out (record keys in 0..4095, a cell key that is their sum modulo 4096, a
perturbation table indexed by cell value and cell key). That package
tabulates pandas microdata itself; our figures are counted by polars
pipelines tuned for size L (distinct persons, latest levels, packed keys),
so Parcours keeps its own counting, carries each count's cell key beside
it, and only borrows the method's conventions and the p-table's layout.

The p-table (``PTable``): for each cell value v (values above ``D + 3``
share the last row, where no constraint binds) a distribution of the
perturbation d in -D..D that
- leaves zeros at zero (nothing is invented where nothing happened);
- never publishes 1 or 2 (v + d is 0 or at least 3);
- is unbiased (mean 0) with variance V where the constraints allow it
  (for v = 1 or 2 the smallest unbiased variance is 2);
- has maximum entropy under those constraints (p(d) ∝ exp(a·d + b·d²)),
  the construction of Destatis' ``ptable`` and of the ABS.
D (``PARCOURS_CKM_MAX``) and V (``PARCOURS_CKM_VARIANCE``) are settings.

Magnitudes (sums behind means) get the magnitude variant: the sum moves by
``ymax × e`` where ymax is the largest contribution one record can make
(a level of 5) and e in [-1, 1] is read from the same cell key through a
second, independent mapping, so a mean cannot be unpicked into the count.
"""

import math
from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np

from models.settings import get_setting

KEY_RANGE = 4096
"""Record keys and cell keys lie in 0..KEY_RANGE-1 (the ONS package's larger range)."""

NO_SMALL = 2
"""Perturbed counts of 1 and 2 are never published (ONS, ABS)."""


class PerturbationSettingError(ValueError):
    """A p-table setting that cannot make a p-table."""


@dataclass(frozen=True)
class PTable:
    """``probabilities[v, j]``: the chance that a cell of value v moves by ``offsets[j]``.

    Row ``v`` serves every value ``>= v`` for the last row.
    """

    max_perturbation: int
    variance: float
    offsets: np.ndarray  # -D..D
    probabilities: np.ndarray  # rows 0..D+3

    @property
    def cumulative(self) -> np.ndarray:
        return np.cumsum(self.probabilities, axis=1)

    @cached_property
    def moves(self) -> np.ndarray:
        """``moves[row, key]``: the offset ``perturb`` gives a cell of p-table row ``row`` and cell key ``key``,
        worked out once for every key (the same comparison as one cell's, on the whole grid)."""
        u = _uniform(np.arange(KEY_RANGE))
        index = (self.cumulative[:, :, None] <= u[None, None, :]).sum(axis=1)
        return self.offsets[np.minimum(index, len(self.offsets) - 1)]

    def row(self, value: int) -> np.ndarray:
        return self.probabilities[min(value, len(self.probabilities) - 1)]

    def rows(self) -> list[tuple[int, dict[int, float]]]:
        """(value, {offset: probability}) for each row, offsets with a probability only (for the docs)."""
        out = []
        for v, probs in enumerate(self.probabilities):
            out.append((v, {int(d): float(p) for d, p in zip(self.offsets, probs, strict=True) if p > 0}))
        return out


def _allowed(value: int, offsets: np.ndarray) -> np.ndarray:
    target = value + offsets
    return (target >= 0) & ~((target >= 1) & (target <= NO_SMALL))


def _row(value: int, offsets: np.ndarray, variance: float) -> np.ndarray:
    """Maximum-entropy distribution on the allowed offsets with mean 0 and variance as close to V as allowed."""
    probs = np.zeros(len(offsets))
    if value == 0:
        probs[offsets == 0] = 1.0
        return probs
    ok = _allowed(value, offsets)
    d = offsets[ok].astype(float)
    scale = max(abs(d).max(), 1.0)

    def distribution(params: np.ndarray) -> np.ndarray:
        a, b = params
        z = a * d / scale + b * (d / scale) ** 2
        w = np.exp(z - z.max())
        return w / w.sum()

    def residuals(params: np.ndarray) -> np.ndarray:
        p = distribution(params)
        return np.array([100.0 * (p @ d), (p @ d**2) - variance])

    from scipy.optimize import least_squares  # 0.5 s of imports: only for settings other than the default

    fit = least_squares(residuals, x0=np.zeros(2), bounds=([-60.0, -60.0], [60.0, 60.0]), xtol=1e-14, ftol=1e-14)
    p = distribution(fit.x)
    # Quantise to the cell-key grid so that the table is exactly what the lookup uses, then fix the mean by
    # moving the rounding residue onto the most likely offset.
    grid = np.round(p * KEY_RANGE)
    grid[np.argmax(grid)] += KEY_RANGE - grid.sum()
    probs[ok] = grid / KEY_RANGE
    return probs


DEFAULT_GRID: tuple[tuple[int, ...], ...] = (
    (0, 0, 0, 4096, 0, 0, 0),
    (0, 0, 2731, 0, 0, 1365, 0),
    (0, 1365, 0, 0, 2731, 0, 0),
    (471, 0, 0, 2437, 980, 190, 18),
    (0, 0, 1982, 976, 545, 345, 248),
    (0, 470, 1003, 1247, 903, 380, 93),
    (73, 364, 953, 1316, 953, 364, 73),
)
"""The p-table of the default settings (D = 3, V = 1.5) in cell-key slots out of ``KEY_RANGE``, offsets -3..3.

Every app process perturbs its first figure within a second of starting; fitting the table needs SciPy's
optimiser, half a second of imports. A test checks that the fit still gives exactly these rows."""


def fitted_ptable(max_perturbation: int, variance: float) -> PTable:
    """The p-table fitted from D and V (``_row`` for each value)."""
    offsets = np.arange(-max_perturbation, max_perturbation + 1)
    rows = np.stack([_row(v, offsets, variance) for v in range(max_perturbation + 4)])
    return PTable(max_perturbation, variance, offsets, rows)


@lru_cache(maxsize=8)
def build_ptable(max_perturbation: int, variance: float) -> PTable:
    if max_perturbation < NO_SMALL + 1 or max_perturbation > 20:
        raise PerturbationSettingError(f"PARCOURS_CKM_MAX must be a whole number from 3 to 20 (read {max_perturbation})")
    if not 0.25 <= variance <= max_perturbation**2:
        raise PerturbationSettingError(f"PARCOURS_CKM_VARIANCE must lie between 0.25 and D² (read {variance})")
    if (max_perturbation, variance) == (3, 1.5):
        return PTable(3, 1.5, np.arange(-3, 4), np.array(DEFAULT_GRID, dtype=np.float64) / KEY_RANGE)
    return fitted_ptable(max_perturbation, variance)


def ptable() -> PTable:
    """The p-table of the settings in force."""
    try:
        d = int(get_setting("PARCOURS_CKM_MAX"))
        v = float(get_setting("PARCOURS_CKM_VARIANCE"))
    except ValueError as exc:
        raise PerturbationSettingError(f"PARCOURS_CKM_MAX / PARCOURS_CKM_VARIANCE: {exc}") from exc
    if not math.isfinite(v):
        raise PerturbationSettingError("PARCOURS_CKM_VARIANCE must be a finite number")
    return build_ptable(d, v)


def _uniform(cell_keys: np.ndarray) -> np.ndarray:
    """A cell key as a point of [0, 1): the middle of its slot on the grid."""
    return (np.asarray(cell_keys, dtype=np.float64) % KEY_RANGE + 0.5) / KEY_RANGE


def perturb(values: np.ndarray, cell_keys: np.ndarray, table: PTable | None = None) -> np.ndarray:
    """Perturbed counts: ``value + d`` where d is read from the p-table at (value, cell key)."""
    table = table or ptable()
    values = np.asarray(values, dtype=np.int64)
    out = values.copy()
    if values.size == 0:
        return out
    rows = np.minimum(np.maximum(values, 0), len(table.probabilities) - 1)
    keys = np.asarray(cell_keys, dtype=np.int64) % KEY_RANGE
    out = values + table.moves[rows, keys]
    return np.where(values <= 0, values, out)


def magnitude_noise(cell_keys: np.ndarray) -> np.ndarray:
    """e in [-1, 1] from a cell key, independent of the count's perturbation (a fixed odd multiplier
    permutes the key grid, so the two readings of one key are unrelated)."""
    keys = np.asarray(cell_keys, dtype=np.int64) % KEY_RANGE
    permuted = (keys * 2731 + 1229) % KEY_RANGE
    return 2.0 * _uniform(permuted) - 1.0


def perturb_sum(sums: np.ndarray, cell_keys: np.ndarray, largest: float) -> np.ndarray:
    """A sum of contributions each at most ``largest`` in size, moved by up to one such contribution."""
    return np.asarray(sums, dtype=np.float64) + largest * magnitude_noise(cell_keys)


def exact_share_bound(k: int, table: PTable | None = None) -> float:
    """The largest chance that a differencing attacker's estimate is exact.

    The attacker subtracts two published cells A and B (A = B + target);
    the error is d_A - d_B, zero with probability sum_d p_a(d) p_b(d), which
    by Cauchy-Schwarz is at most max_v sum_d p_v(d)² over the values v that
    can be published (some v + d with a chance reaches k).
    """
    table = table or ptable()
    last = len(table.probabilities) - 1
    rows = [table.row(v) for v in range(1, last + 1)
            if ((v + table.offsets >= k) & (table.row(v) > 0)).any() or v == last]
    return float(max((row**2).sum() for row in rows))


__all__ = ["KEY_RANGE", "PTable", "build_ptable", "exact_share_bound", "magnitude_noise", "perturb", "perturb_sum", "ptable"]
