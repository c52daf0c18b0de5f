"""The planted workshop effect on M and L: does the adjusted estimate recover it, and does the null world show none?

For each size, two demo networks are generated with the same seed and day, one with the planted effect
(``--workshop-effect 1``, the demo) and one without (``0``): same persons, pathways and attendance, only the
levels reached differ (built once under data/bench/). The true effect of each outcome is then known exactly:
a person's outcome with the effect minus without it, averaged with the analysis's own weights (the
population the estimate speaks for). Printed per outcome: the truth, the naive difference and the IPW and AIPW
estimates with their 95 % intervals, whether each interval covers the truth (planted world) and zero (null
world). The tests check the same on M (``tests/analyses/test_planted_effect.py``); L takes minutes to build.

Expected: the adjusted intervals cover the truth and the naive ones do not, on the distances in the strategic
domains; in the null world the intervals cover zero. With 12 outcomes and 2 estimators, about one interval
in twenty may miss by chance (95 % intervals): the summary counts the misses against that expectation.

    python -m bench.bench_planted [--sizes M L]
"""

from __future__ import annotations

import argparse
import hashlib
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2026, 3, 15)
SEED = 42
MAIN = ("distance_strategic_6m", "distance_strategic_12m")


def world(size: str, effect: float) -> str:
    """A SQLite database of the demo of ``size`` with the planted effect scaled by ``effect``, built once."""
    from etl.demo import write_demo
    from etl.load import load_dataset
    from etl.validate import read_and_validate
    from models.db import make_engine

    folder = ROOT / "data" / "bench"
    # Keyed by the generator's source: a change to the demo rebuilds the worlds instead of reading stale ones.
    digest = hashlib.sha256(b"".join(f.read_bytes() for f in sorted((ROOT / "etl" / "demo").glob("*.py")))).hexdigest()[:8]
    db = folder / f"planted-{size}-{effect:g}-{digest}.db"
    if not db.exists():
        dataset = folder / f"planted-{size}-{effect:g}-{digest}"
        print(f"[{size}] writing and loading the demo with --workshop-effect {effect:g}…", flush=True)
        write_demo(size, dataset, seed=SEED, today=TODAY, workshop_effect=effect)
        loaded = read_and_validate(dataset, today=TODAY)
        if not loaded.ok:
            raise SystemExit(f"{dataset} does not validate: {loaded.errors[:3]}")
        engine = make_engine(f"sqlite:///{db}.part")
        load_dataset(engine, loaded, source="demo")
        engine.dispose()
        Path(f"{db}.part").rename(db)
    return f"sqlite:///{db}"


def _covers(interval: tuple[float, float], value: float) -> bool:
    return interval[0] <= value <= interval[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_planted")
    parser.add_argument("--sizes", nargs="+", default=["M", "L"])
    args = parser.parse_args(argv)

    from dashboard.analyses.effect import EffectOptions, analysed, compute_effect
    from dashboard.analyses.estimators import stabilised_weights, weighted_difference
    from dashboard.data import read_data
    from models.db import make_engine

    failed = False
    for size in args.sizes:
        frames = {}
        for effect in (1.0, 0.0):
            engine = make_engine(world(size, effect))
            frames[effect] = read_data(engine)
            engine.dispose()
        on, off = (compute_effect(frames[e]) for e in (1.0, 0.0))
        rows_on = analysed(frames[1.0], None, None, EffectOptions())
        rows_off = analysed(frames[0.0], None, None, EffectOptions())
        misses, intervals = 0, 0
        print(f"[{size}] {on.persons} persons at risk, {on.treated} regular attendees")
        print(f"  {'outcome':<26} {'truth':>6}  {'naive':>17}  {'ipw':>17}  {'aipw':>17}  covers truth (ipw aipw, naive)"
              "  null world: covers 0 (ipw aipw)")
        for effect, null in zip(on.outcomes, off.outcomes, strict=True):
            if effect.fit is None or null.fit is None:
                continue
            both = rows_on.select("pid", pl.col(effect.outcome).alias("on")).join(
                rows_off.select("pid", pl.col(effect.outcome).alias("off")), on="pid")
            picked = pl.DataFrame({"pid": effect.pids}).join(both, on="pid", how="left", maintain_order="left")
            individual = (picked["on"] - picked["off"]).to_numpy()
            # An exit can be observed in one world only (the levels reached change what follows them): the truth
            # is then taken over the persons observed in both.
            both_seen = ~np.isnan(individual)
            weights = stabilised_weights(effect.score, effect.treated)
            truth = weighted_difference(individual[both_seen], effect.treated[both_seen], weights[both_seen])
            fit, zero = effect.fit, null.fit
            cover = [_covers(fit.ipw_ci, truth), _covers(fit.aipw_ci, truth)]
            null_cover = [_covers(zero.ipw_ci, 0.0), _covers(zero.aipw_ci, 0.0)]
            naive_cover = _covers(fit.naive_ci, truth)
            intervals += 4
            misses += cover.count(False) + null_cover.count(False)

            def shown(value: float, interval: tuple[float, float]) -> str:
                return f"{value:+.3f} [{interval[0]:+.2f},{interval[1]:+.2f}]"

            print(f"  {effect.outcome:<26} {truth:+.3f}  {shown(fit.naive, fit.naive_ci)}  {shown(fit.ipw, fit.ipw_ci)}  "
                  f"{shown(fit.aipw, fit.aipw_ci)}  {'yes' if cover[0] else 'NO'} {'yes' if cover[1] else 'NO'}, "
                  f"{'yes' if naive_cover else 'no'}  {'yes' if null_cover[0] else 'NO'} {'yes' if null_cover[1] else 'NO'}")
            if effect.outcome in MAIN and (not all(cover) or not all(null_cover) or naive_cover):
                failed = True
        expected = 0.05 * intervals
        print(f"[{size}] adjusted intervals missing their target: {misses} of {intervals} "
              f"(about {expected:.1f} expected by chance at 95 %); main outcomes {', '.join(MAIN)}: "
              f"{'FAILED' if failed else 'recovered, naive biased, null covered'}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

