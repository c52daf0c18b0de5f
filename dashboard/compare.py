"""Two to four cohorts side by side: their published figures, the differences and honest intervals.

Every number here is computed from the figures the gate publishes for each
cohort (``dashboard.disclosure.figures`` with the ``cohort`` option): a
comparison gives nothing away that the cohorts' own figures do not.

The difference of a share between a cohort and the first one (the
reference) comes with Newcombe's hybrid score interval (95 %, method 10 of
Newcombe 1998), from ``statsmodels``; it is computed on the published
(perturbed) counts, so it does not include the perturbation's own noise,
which is small (at most ±3) next to the sampling noise of cohorts of k
persons or more. It is shown only when both shares are shown.
"""

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import polars as pl
from statsmodels.stats.proportion import confint_proportions_2indep

from dashboard.cohorts import Cohort
from dashboard.data import Data
from dashboard.disclosure import Protected, figures
from dashboard.filters import Filters
from dashboard.metrics.cohorts import INDICATORS

MAX_COHORTS = 4
CONFIDENCE = 0.95
OUTCOMES = ["indicator", "cohort", "persons", "count", "rate", "difference", "ci_low", "ci_high"]


class ComparisonError(ValueError):
    """Fewer than two or more than four cohorts."""


@dataclass(frozen=True)
class Comparison:
    """``outcomes``: one row per indicator and cohort (``cohort`` = 1..n, in the order given), with the
    difference to cohort 1 and its interval; ``needs``: ``cohort-needs`` of every cohort stacked with a
    ``cohort`` column; ``protected``: each cohort's own published tables (for their cell readings)."""

    cohorts: tuple[Cohort, ...]
    outcomes: pl.DataFrame
    needs: pl.DataFrame
    protected: tuple[Protected, ...]
    needs_protected: tuple[Protected, ...]
    time_to_exit: tuple[Protected, ...] = ()
    """Per cohort, ``time-to-exit`` by cohort (its ``cohort`` column holds the cohort's number, 1..n)."""

    def hidden(self, index: int) -> bool:
        """Whether cohort ``index`` (0-based) is hidden whole (too small, or too close to another)."""
        return self.protected[index].too_small


def newcombe(count1: float, n1: float, count2: float, n2: float) -> tuple[float, float]:
    """95 % interval of count1/n1 - count2/n2 (Newcombe's hybrid score); NaNs when a share is undefined."""
    if not (n1 > 0 and n2 > 0) or any(np.isnan(v) for v in (count1, n1, count2, n2)):
        return float("nan"), float("nan")
    low, high = confint_proportions_2indep(min(count1, n1), n1, min(count2, n2), n2, method="newcomb",
                                           compare="diff", alpha=1 - CONFIDENCE)
    return float(low), float(high)


def _differences(frame: pl.DataFrame) -> pl.DataFrame:
    reference = frame.filter(pl.col("cohort") == 1).select(
        "indicator", pl.col("persons").alias("_n0"), pl.col("count").alias("_c0"), pl.col("rate").alias("_r0"))
    joined = frame.join(reference, on="indicator", how="left", maintain_order="left")
    lows: list[float | None] = []
    highs: list[float | None] = []
    diffs: list[float | None] = []
    for row in joined.iter_rows(named=True):
        usable = row["cohort"] != 1 and row["indicator"] != "members" and None not in (
            row["rate"], row["_r0"], row["count"], row["persons"], row["_c0"], row["_n0"])
        if usable:
            low, high = newcombe(row["count"], row["persons"], row["_c0"], row["_n0"])
            diffs.append(round(row["count"] / row["persons"] - row["_c0"] / row["_n0"], 2))
            lows.append(round(low, 2))
            highs.append(round(high, 2))
        else:
            diffs.append(None)
            lows.append(None)
            highs.append(None)
    return joined.with_columns(
        pl.Series("difference", diffs, dtype=pl.Float64), pl.Series("ci_low", lows, dtype=pl.Float64),
        pl.Series("ci_high", highs, dtype=pl.Float64),
    ).select(OUTCOMES)


def compare(data: Data, cohorts: list[Cohort] | tuple[Cohort, ...], *, published: bool, horizon: int = 12) -> Comparison:
    """Every comparable figure of 2 to 4 cohorts, through the gate."""
    if not 2 <= len(cohorts) <= MAX_COHORTS:
        raise ComparisonError(f"2 to {MAX_COHORTS} cohorts, not {len(cohorts)}")
    def one(indexed: tuple[int, Cohort]) -> tuple[Protected, Protected, Protected]:
        i, c = indexed
        return (figures("cohort-outcomes", data, Filters(), published=published, cohort=c, horizon=horizon),
                figures("cohort-needs", data, Filters(), published=published, cohort=c),
                figures("time-to-exit", data, Filters(), published=published, cohort=c, by="cohort", label=str(i),
                        bands=True))

    # One cohort per thread: polars and numpy release the GIL, so two cores compare four cohorts in about half the time.
    with ThreadPoolExecutor(max_workers=len(cohorts)) as pool:
        results = list(pool.map(one, enumerate(cohorts, start=1)))
    outcomes = [r[0] for r in results]
    needs = [r[1] for r in results]
    times = [r[2] for r in results]
    stacked = pl.concat([
        p.table.with_columns(pl.lit(i, dtype=pl.Int64).alias("cohort")).select(
            "indicator", "cohort", "persons", "count", "rate")
        for i, p in enumerate(outcomes, start=1)
    ])
    needs_frame = pl.concat([
        p.table.with_columns(pl.lit(i, dtype=pl.Int64).alias("cohort")) for i, p in enumerate(needs, start=1)
    ]).select("cohort", "quarter", "kind", "persons_assessed", "persons_in_need", "share_in_need")
    order = pl.col("indicator").replace_strict({name: i for i, name in enumerate(INDICATORS)}, return_dtype=pl.Int32)
    return Comparison(cohorts=tuple(cohorts), outcomes=_differences(stacked).sort(order, "cohort"),
                      needs=needs_frame, protected=tuple(outcomes), needs_protected=tuple(needs),
                      time_to_exit=tuple(times))
