"""Vectorised sampling helpers shared by the demo generators.

Dates are handled as day numbers (days since 1970-01-01, numpy int64) and
categorical columns as integer indices into a code list, ``-1`` meaning an
empty cell; they become polars columns only when a table is assembled.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import polars as pl

from etl.demo.effects import MONTH_WEIGHTS

EPOCH = date(1970, 1, 1)


def day_number(day: date) -> int:
    return (day - EPOCH).days


def months_of(days: np.ndarray) -> np.ndarray:
    """Calendar month (1-12) of each day number."""
    return days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) % 12 + 1


def years_of(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


def seasonal_days(rng: np.random.Generator, n: int, first: int, last: int) -> np.ndarray:
    """``n`` sorted day numbers in [first, last], weighted by ``MONTH_WEIGHTS``."""
    span = np.arange(first, last + 1)
    weights = np.asarray(MONTH_WEIGHTS)[months_of(span) - 1]
    return np.sort(rng.choice(span, size=n, p=weights / weights.sum()))


def choose(rng: np.random.Generator, probabilities: Sequence[float] | np.ndarray, n: int) -> np.ndarray:
    """``n`` indices drawn from one distribution, or one per row of an (n, k) matrix of them."""
    p = np.asarray(probabilities, dtype=float)
    if p.ndim == 1:
        return rng.choice(len(p), size=n, p=p / p.sum())
    cumulative = np.cumsum(p / p.sum(axis=1, keepdims=True), axis=1)
    u = rng.random(n)[:, None]
    return np.minimum((u > cumulative).sum(axis=1), p.shape[1] - 1)


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def blank(rng: np.random.Generator, index: np.ndarray, share: float, value: int = -1) -> np.ndarray:
    """A copy of ``index`` where each cell is replaced by ``value`` with probability ``share``."""
    out = index.copy()
    out[rng.random(len(out)) < share] = value
    return out


def code_column(name: str, index: np.ndarray, code_list: Sequence[str]) -> pl.Series:
    """Codes for the indices (``-1`` -> empty)."""
    lookup = pl.Series(name, [*code_list, None], dtype=pl.String)
    return lookup.gather(np.where(index < 0, len(code_list), index))


def date_column(name: str, days: np.ndarray, missing: np.ndarray | None = None) -> pl.Series:
    """Dates for the day numbers, empty where ``missing`` is true."""
    values = pl.Series(name, days.astype(np.int32), dtype=pl.Int32).cast(pl.Date)
    if missing is None:
        return values
    return pl.select(pl.when(pl.lit(pl.Series(~missing))).then(pl.lit(values)).alias(name)).to_series()


def int_column(name: str, values: np.ndarray, missing: np.ndarray | None = None) -> pl.Series:
    series = pl.Series(name, values.astype(np.int32), dtype=pl.Int32)
    if missing is None:
        return series
    return pl.select(pl.when(pl.lit(pl.Series(~missing))).then(pl.lit(series)).alias(name)).to_series()


def id_column(name: str, prefix: str, numbers: np.ndarray, width: int = 6) -> pl.Series:
    """Opaque ids such as ``S01-P000123``: a prefix and a zero-padded number."""
    digits = pl.Series(name, numbers.astype(np.int64)).cast(pl.String).str.zfill(width)
    return pl.select((pl.lit(prefix) + pl.lit(digits)).alias(name)).to_series()
