"""Board report benchmark: seconds to build and typeset the PDF report on the demo databases M and L.

For each size: ``read_data`` once (the app does it once per data version,
not timed in the report), then, in protected mode, raw tables recomputed:
- baseline: ``figures("overview", ...)`` alone for the same period;
- report: ``build_report`` (every published figure of the report) plus
  ``render_pdf`` (charts exported as SVG by the persistent Kaleido while the
  next sections are computed, then typst),
  the browser already started (its first start, 3 to 11 s, is printed apart).
The ratio report / baseline is printed. Target: under 10 s on L.

    python -m bench.bench_report [--sizes M L] [--period 2025]
"""

from __future__ import annotations

import argparse
import os
import time

from bench.bench_dashboard import _clear_raw_cache, demo_database

TARGET_SECONDS = 10.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_report")
    parser.add_argument("--sizes", nargs="+", default=["M", "L"])
    parser.add_argument("--period", default=None, help="year (default: the last whole year of the data)")
    args = parser.parse_args(argv)
    os.environ.setdefault("PARCOURS_DISCLOSURE", "protected")

    from dashboard.charts.png import svg_bytes
    from dashboard.data import read_data
    from dashboard.disclosure import figures
    from dashboard.filters import Filters
    from dashboard.report.charts import lines
    from dashboard.report.content import build_report, parse_period
    from dashboard.report.pdf import ChartExports, render_pdf
    from models.db import make_engine

    started = time.perf_counter()
    svg_bytes(lines({"a": [0.1, 0.2]}, ["1", "2"], "warm-up", "fr", percent=True))  # type: ignore[arg-type]
    print(f"Kaleido first start (once per process): {time.perf_counter() - started:.2f} s", flush=True)
    worst = 0.0
    for size in args.sizes:
        engine = make_engine(demo_database(size))
        started = time.perf_counter()
        data = read_data(engine)
        engine.dispose()
        read = time.perf_counter() - started
        year = args.period or str((data.last_day.year - 1) if data.last_day else 2025)
        span = parse_period(year)
        filters = Filters(start=span.start, end=span.end)
        _clear_raw_cache()
        started = time.perf_counter()
        figures("overview", data, filters, published=True)
        baseline = time.perf_counter() - started
        _clear_raw_cache()
        started = time.perf_counter()
        exports = ChartExports()
        report = build_report(data, filters, None, "fr", on_chart=exports)
        built = time.perf_counter() - started
        pdf = render_pdf(report, exports)
        total = time.perf_counter() - started
        worst = max(worst, total) if size == "L" else worst
        print(f"[{size}] period {year}: read_data {read:.2f} s (not counted) | baseline figures('overview') "
              f"{baseline:.2f} s | build_report {built:.2f} s | build + PDF {total:.2f} s ({len(pdf) // 1024} KiB) | "
              f"ratio report / baseline {total / baseline if baseline else float('inf'):.1f} | "
              f"{'OK' if total < TARGET_SECONDS else 'OVER'} (target < {TARGET_SECONDS:.0f} s)", flush=True)
    return 0 if worst < TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
