"""Analyses benchmark: seconds for the two analyses of the Analyses page on the demo databases M and L.

For each size: ``read_data`` once (not counted: the app does it once per data
version), then, with every person of the data (the widest selection, slower
than the page's default period):
- effect: ``compute_effect`` (persons at risk, covariates, 12 outcomes, three
  propensity models, IPW and AIPW with 200 bootstrap resamples) and its
  published table;
- typology: ``compute_typology`` (k-means for k = 2..6, silhouettes, 8 bootstrap
  refits) and its published tables;
- cached: the same two calls through the per-snapshot cache the page uses
  (a filter change back to a selection already seen).
Each is run ``REPEATS`` times on a copy of the snapshot (cold for every
per-snapshot cache, the assessments layout included) and the median run is
reported with the range. Target: both analyses under 5 s on L. The CPU time of the process is printed too: on a shared machine the
wall time also counts the waits for a core.

    python -m bench.bench_analyses [--sizes M L]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import time

from bench.bench_dashboard import demo_database

TARGET_SECONDS = 5.0
REPEATS = 3


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_analyses")
    parser.add_argument("--sizes", nargs="+", default=["M", "L"])
    args = parser.parse_args(argv)
    os.environ.setdefault("PARCOURS_DISCLOSURE", "protected")

    from dashboard.analyses.effect import analyse_effect, compute_effect, effect_table
    from dashboard.analyses.typology import compute_typology, typology
    from dashboard.analyses.typology_tables import typology_tables
    from dashboard.data import read_data
    from dashboard.filters import Filters
    from models.db import make_engine

    worst = 0.0
    for size in args.sizes:
        engine = make_engine(demo_database(size))
        started = time.perf_counter()
        data = read_data(engine)
        engine.dispose()
        read = time.perf_counter() - started
        filters = Filters()
        runs = []
        for _ in range(REPEATS):
            # A copy of the snapshot is a new snapshot for every per-snapshot cache: each run starts cold,
            # layouts of the assessments included (the trend pages share them, but the Analyses page may come first).
            fresh = dataclasses.replace(data)
            started, cpu = time.perf_counter(), time.process_time()
            effect = compute_effect(fresh, filters)
            effect_table(effect, 11, False, 50)
            effect_seconds = time.perf_counter() - started
            started = time.perf_counter()
            types = compute_typology(fresh, filters)
            typology_tables(types, fresh, filters, None, "fr", 5, 11, False)
            runs.append((effect_seconds + time.perf_counter() - started, effect_seconds,
                         time.perf_counter() - started, time.process_time() - cpu))
        total, effect_seconds, typology_seconds, cpu = sorted(runs)[len(runs) // 2]  # the median run
        analyse_effect(data, filters)
        typology(data, filters)
        started = time.perf_counter()
        analyse_effect(data, filters)
        typology(data, filters)
        cached = time.perf_counter() - started
        worst = max(worst, total) if size == "L" else worst
        print(f"[{size}] read_data {read:.2f} s (not counted) | {effect.persons} persons at risk, {len(types.pids)} typed | "
              f"median of {REPEATS} cold runs: effect {effect_seconds:.2f} s | typology {typology_seconds:.2f} s | "
              f"both {total:.2f} s (runs {min(r[0] for r in runs):.2f} to {max(r[0] for r in runs):.2f} s) | "
              f"(CPU time of the process {cpu:.2f} s) | cached {cached * 1000:.1f} ms | {'OK' if total < TARGET_SECONDS else 'OVER'} "
              f"(target < {TARGET_SECONDS:.0f} s)", flush=True)
    return 0 if worst < TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
