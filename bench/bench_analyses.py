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
Target: both analyses under 5 s on L. The CPU time of the process is printed too: on a shared machine the
wall time also counts the waits for a core.

    python -m bench.bench_analyses [--sizes M L]
"""

from __future__ import annotations

import argparse
import os
import time

from bench.bench_dashboard import demo_database

TARGET_SECONDS = 5.0


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
        started, cpu = time.perf_counter(), time.process_time()
        effect = compute_effect(data, filters)
        effect_table(effect, 11, False, 50)
        effect_seconds = time.perf_counter() - started
        started = time.perf_counter()
        types = compute_typology(data, filters)
        typology_tables(types, data, filters, None, "fr", 5, 11, False)
        typology_seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu
        analyse_effect(data, filters)
        typology(data, filters)
        started = time.perf_counter()
        analyse_effect(data, filters)
        typology(data, filters)
        cached = time.perf_counter() - started
        total = effect_seconds + typology_seconds
        worst = max(worst, total) if size == "L" else worst
        print(f"[{size}] read_data {read:.2f} s (not counted) | {effect.persons} persons at risk, {len(types.pids)} typed | "
              f"effect {effect_seconds:.2f} s | typology {typology_seconds:.2f} s | both {total:.2f} s | "
              f"(CPU time of the process {cpu:.2f} s) | cached {cached * 1000:.1f} ms | {'OK' if total < TARGET_SECONDS else 'OVER'} "
              f"(target < {TARGET_SECONDS:.0f} s)", flush=True)
    return 0 if worst < TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
