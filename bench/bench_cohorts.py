"""Cohorts benchmark: the comparison page with four cohorts, recomputed from scratch.

The layouts a snapshot keeps (assessments by person and domain, PRESENT
attendances by person) are built once per data version, before timing, as
the app does at its first needs or cohorts page. Each run edits the cohorts (a different anchor range each time, so no cache
helps): membership, the gate's neighbour checks, ``cohort-outcomes`` and
``cohort-needs`` of four cohorts, through ``dashboard.compare.compare``, in
protected mode. Baseline, same run, same data: a bare polars pass over the
same rows (first referral per person in the range joined to their support
periods and assessments), the least any cohort figure must do. Target
(issue "Researchers"): under 1 s for four cohorts on L.

    python -m bench.bench_cohorts [--size L] [--runs 5] [--snapshot]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.bench_dashboard import _clear_raw_cache, demo_database  # noqa: E402

TARGET_S = 1.0


def _cohorts(year: int, month: int) -> list:
    from dashboard.cohorts import Cohort

    start, end = date(year, month, 1), date(year + 1, month, 1).replace(day=1)
    end = date.fromordinal(end.toordinal() - 1)
    return [
        Cohort(name="F", anchor="referral", start=start, end=end, sex="F"),
        Cohort(name="M", anchor="referral", start=start, end=end, sex="M"),
        Cohort(name="SIAO", anchor="referral", start=start, end=end, source="SIAO"),
        Cohort(name="Entrées", anchor="entry", start=start, end=end, need_pillar="LOGEMENT"),
    ]


def _baseline(data, start: date, end: date) -> None:
    first = (data.referrals.lazy().filter(pl.col("referral_date").is_between(start, end))
             .group_by("pid").agg(pl.col("referral_date").min()))
    exits = data.support_periods.lazy().join(first, on="pid").group_by("pid").agg(pl.col("exit_date").min())
    levels = data.assessments.lazy().join(first, on="pid").group_by("pid", "domain").agg(pl.col("level").last())
    pl.collect_all([exits, levels])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_cohorts")
    parser.add_argument("--size", default="L")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--snapshot", action="store_true",
                        help="map the on-disk snapshot (built first if missing) instead of reading the database")
    args = parser.parse_args(argv)
    os.environ.setdefault("PARCOURS_DISCLOSURE", "protected")

    from dashboard.cohorts.rows import present_days
    from dashboard.compare import compare
    from dashboard.data import read_data
    from dashboard.metrics.levels import by_domain
    from models.db import make_engine

    engine = make_engine(demo_database(args.size))
    if args.snapshot:  # what the app does: the on-disk snapshot, mapped (XL is 14 GB read from the database)
        from dashboard import snapshot

        snapshot.build(engine, snapshot.snapshot_root(engine))  # type: ignore[arg-type]
        data = snapshot.load(engine)
    else:
        data = read_data(engine)
    engine.dispose()
    started = time.perf_counter()
    by_domain(data)  # layouts built once per snapshot (the needs pages build the first one too)
    present_days(data)
    print(f"[{args.size}] snapshot layouts, once per data version: {time.perf_counter() - started:.2f} s (not counted)")
    year = (data.last_day.year if data.last_day else 2025) - 2
    times, bases = [], []
    for run in range(args.runs):
        cohorts = _cohorts(year, 1 + run % 12)
        _clear_raw_cache()
        started = time.perf_counter()
        result = compare(data, cohorts, published=False)
        times.append(time.perf_counter() - started)
        started = time.perf_counter()
        _baseline(data, cohorts[0].start, cohorts[0].end)
        bases.append(time.perf_counter() - started)
        assert not any(result.hidden(i) for i in range(len(cohorts)))
    spent, base = statistics.median(times), statistics.median(bases)
    print(f"[{args.size}] comparison of 4 cohorts, recomputed: median {spent * 1000:.0f} ms over {args.runs} runs "
          f"(max {max(times) * 1000:.0f} ms) | baseline bare polars pass {base * 1000:.0f} ms | ratio "
          f"{spent / base if base else float('inf'):.1f}× | {'OK' if spent < TARGET_S else 'OVER'} "
          f"(target < {TARGET_S:.0f} s)", flush=True)
    return 0 if spent < TARGET_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
