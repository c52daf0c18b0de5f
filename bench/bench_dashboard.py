"""Dashboard benchmark: how fast each page answers a filter change.

1. Cold start: ``read_data`` of the whole database (what the app does once
   per data version).
2. Warm, in-process, per page: the figures (``dashboard.disclosure.figures``,
   every rule included) and the charts the page draws, after a filter
   change: each run uses a different filter (period, granularity, sex, age
   band, source, program, structures), and the median is reported. The
   calls mirror those of ``pages/*.py``; keep them in step.
   The time inside ``figures()`` (metrics and disclosure control) is
   printed apart from the rest (chart builders, and for the overview its
   monthly trends).
   Each filter change is timed twice, with cell-key perturbation (the
   default, protected mode) and without (exact mode), raw tables recomputed
   both times: the ratio perturbed/exact is the cost of disclosure control v2.
3. Baseline, same run, same rows: a bare polars ``group_by(month, code).len()``
   over the table the page reads (referrals, assessments, attendances,
   support periods), over the same filters; the ratio page / baseline is printed.
4. In a real browser (Playwright driving Debian's Chromium): the app runs
   on the same database; after one visit that loads the data, the time
   from navigation to every chart of a page drawn, median of three visits.

Targets (DESIGN, issue 14): under 300 ms to recompute a page on its slowest run over the whole network (three
ranges and granularities) and one structure, every figure recomputed (person filters are reported apart, for
information); under 2 s in the browser. The whole network's figures by period are read from the tables built
once per data version (``dashboard.rollups``), which the benchmark waits for, as a deployment has them.

    python -m bench.bench_dashboard --db sqlite:///data/bench/db/demo-L.db [--runs 8] [--no-browser]
    python -m bench.bench_dashboard --size M     # builds data/bench/dashboard-M.db from the demo if needed
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from dashboard.charts import exits as exit_charts  # noqa: E402
from dashboard.charts import needs as need_charts  # noqa: E402
from dashboard.charts import referrals as referral_charts  # noqa: E402
from dashboard.charts import workshops as workshop_charts  # noqa: E402
from dashboard.charts.pathways import sankey  # noqa: E402
from dashboard.charts.time_to_exit import time_to_exit_curves  # noqa: E402
from dashboard.data import Data, read_data  # noqa: E402
from dashboard.disclosure import figures  # noqa: E402
from dashboard.filters import Filters  # noqa: E402
from dashboard.periods import in_range, period_label  # noqa: E402

TARGET_RECOMPUTE_MS = 300.0
TARGET_TIME_TO_EXIT_MS = 500.0
"""The time-to-exit figure alone (issue 8): every rule and the confidence bands, raw table recomputed."""
TARGET_BROWSER_S = 2.0
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--disable-quic", "--no-first-run",
]
LANG = "fr"


_FIGURES_SECONDS = [0.0]  # time spent in figures() during the current page run (the rest is charts)


def _f(data: Data, filters: Filters, name: str, **changes: object) -> object:
    clock = time.perf_counter()
    try:
        return figures(name, data, filters.with_(**changes) if changes else filters, published=False)
    finally:
        _FIGURES_SECONDS[0] += time.perf_counter() - clock


def referrals_page(data: Data, filters: Filters) -> list[object]:
    labels, by = data.labels, filters.by
    by_source = _f(data, filters, "referrals-by-source")
    yearly = by_source if by == "year" else _f(data, filters, "referrals-by-source", by="year")
    territory = _f(data, filters, "referrals-by-territory")
    return [
        referral_charts.referrals_over_time(by_source, LANG, labels, by),  # type: ignore[arg-type]
        referral_charts.source_shares(yearly, LANG, labels),  # type: ignore[arg-type]
        referral_charts.acceptance_heatmap(by_source, LANG, labels, by),  # type: ignore[arg-type]
        referral_charts.delay_heatmap(by_source, LANG, labels, by),  # type: ignore[arg-type]
        referral_charts.territories(territory, LANG),  # type: ignore[arg-type]
    ]


def needs_page(data: Data, filters: Filters) -> list[object]:
    labels, by = data.labels, filters.by
    over_time = _f(data, filters, "needs-over-time")
    return [
        need_charts.needs_heatmap(over_time, LANG, labels, by),  # type: ignore[arg-type]
        need_charts.need_lines(over_time, "domain", LANG, labels, by),  # type: ignore[arg-type]
        need_charts.need_lines(_f(data, filters, "needs-by-kind"), "kind", LANG, labels, by),  # type: ignore[arg-type]
        need_charts.need_lines(_f(data, filters, "needs-by-pillar"), "pillar", LANG, labels, by),  # type: ignore[arg-type]
        need_charts.distance_travelled(_f(data, filters, "distance-travelled"), LANG, labels),  # type: ignore[arg-type]
    ]


def workshops_page(data: Data, filters: Filters) -> list[object]:
    labels, by = data.labels, filters.by
    attendance = _f(data, filters, "workshop-attendance")
    return [
        workshop_charts.cohort_heatmap(_f(data, filters, "workshop-cohorts"), LANG, by),  # type: ignore[arg-type]
        workshop_charts.by_category(_f(data, filters, "workshop-by-category"), LANG, labels, by),  # type: ignore[arg-type]
        workshop_charts.by_workshop(attendance, LANG),  # type: ignore[arg-type]
        workshop_charts.per_session(attendance, LANG),  # type: ignore[arg-type]
        workshop_charts.compare_groups(_f(data, filters, "workshop-by-facilitator"), "facilitator", LANG, labels),  # type: ignore[arg-type]
        workshop_charts.compare_groups(_f(data, filters, "workshop-by-co-construction"), "co_constructed", LANG, labels),  # type: ignore[arg-type]
    ]


def exits_page(data: Data, filters: Filters) -> list[object]:
    labels, by = data.labels, filters.by
    exits = _f(data, filters, "exits")
    return [
        exit_charts.exits_by(_f(data, filters, "exits-by-housing"), "housing", LANG, labels, by),  # type: ignore[arg-type]
        exit_charts.exits_by(_f(data, filters, "exits-by-employment"), "employment", LANG, labels, by),  # type: ignore[arg-type]
        exit_charts.exit_rate_lines(exits, "housing_positive_rate", LANG, labels, by),  # type: ignore[arg-type]
        exit_charts.exit_rate_lines(exits, "dynamic_exit_rate", LANG, labels, by),  # type: ignore[arg-type]
        exit_charts.median_stay(exits, LANG, by),  # type: ignore[arg-type]
    ]


def pathways_page(data: Data, filters: Filters) -> list[object]:
    from dashboard.pathway_disclosure import protected_pathways

    clock = time.perf_counter()
    durations = figures("time-to-exit", data, filters, published=False, bands=True)
    flows = protected_pathways(data, filters, published=False)
    _FIGURES_SECONDS[0] += time.perf_counter() - clock
    return [
        sankey(flows, LANG, data.labels),
        *(time_to_exit_curves(durations, estimate, LANG, data.labels)  # type: ignore[arg-type]
          for estimate in ("survival", "cif_housing_positive", "cif_other_exit")),
    ]


def bench_time_to_exit(data: Data, runs: int) -> tuple[list[float], list[float]]:
    """Milliseconds of ``figures("time-to-exit", ..., bands=True)`` per filter change (protected mode, every rule,
    raw table recomputed): wall clock, and the process's CPU time (a steadier reading on a shared machine). The
    first call, which imports lifelines (~2 s, once per process), is left out, and so are the selection gates the
    page's other figures share (warmed by one figure per filter)."""
    changes = filter_changes(data)
    figures("time-to-exit", data, changes[-1], published=False, bands=True)
    for filters in changes:
        figures("exits", data, filters, published=False)
    wall, cpu = [], []
    for i in range(runs):
        _clear_raw_cache()
        clock, used = time.perf_counter(), time.process_time()
        figures("time-to-exit", data, changes[i % len(changes)], published=False, bands=True)
        wall.append(1000 * (time.perf_counter() - clock))
        cpu.append(1000 * (time.process_time() - used))
    return wall, cpu


def overview_page(data: Data, filters: Filters) -> list[object]:
    from dashboard.ui.context import PageContext
    from dashboard.ui.overview import denominators, monthly_trends

    protected = _f(data, filters, "overview")
    ctx = PageContext(lang=LANG, data=data, filters=filters, published_k=11, screen_k=5, page="overview")
    return [protected, monthly_trends(ctx), denominators(protected)]


@dataclass(frozen=True)
class Page:
    key: str
    work: Callable[[Data, Filters], list[object]]
    table: str  # the Data frame its baseline counts
    date: str
    code: str
    charts: int  # charts drawn in the browser (0: wait for the key figures instead)


PAGES = [
    Page("overview", overview_page, "support_periods", "entry_date", "program", 0),
    Page("referrals", referrals_page, "referrals", "referral_date", "source", 5),
    Page("needs", needs_page, "assessments", "assessment_date", "domain", 5),
    Page("workshops", workshops_page, "attendances", "session_date", "presence", 6),
    Page("exits", exits_page, "support_periods", "exit_date", "program", 5),
    Page("pathways", pathways_page, "support_periods", "entry_date", "program", 3),  # the Sankey has no cartesian axes
]


def baseline(data: Data, page: Page, filters: Filters) -> pl.DataFrame:
    """The least any page must do: count its rows in the period by month and code."""
    frame: pl.DataFrame = getattr(data, page.table)
    return (
        frame.lazy().filter(in_range(page.date, filters))
        .group_by(period_label(page.date, "month").alias("period"), page.code).len()
        .sort("period", page.code).collect()
    )


def months_back(last: date, months: int) -> date:
    index = last.year * 12 + last.month - 1 - (months - 1)
    return date(index // 12, index % 12 + 1, 1)


def filter_changes(data: Data) -> list[Filters]:
    """One filter per run, each different from the one before (what a director clicks through)."""
    last = data.last_day or date.today()
    three_years = Filters(start=months_back(last, 36), end=last)
    structures = tuple(data.structures["structure_id"].head(1).to_list())  # one value per filter
    return [
        three_years,
        three_years.with_(by="quarter"),
        three_years.with_(sexes=("F",)),
        Filters(start=months_back(last, 24), end=last, age_bands=("26_44",)),
        three_years.with_(sources=("AS_SECTEUR",)),
        three_years.with_(programs=("HEBERGEMENT_INSERTION",), by="quarter"),
        three_years.with_(structures=structures),
        Filters(start=data.first_day, end=last, by="year"),
    ]


def timed(call: Callable[[], object]) -> float:
    clock = time.perf_counter()
    call()
    return time.perf_counter() - clock


def _clear_raw_cache() -> None:
    """Forget the raw metric tables and the answers built on them, so that each mode computes its figures from
    scratch (the figures store of the snapshot is detached once it is loaded: see ``main``)."""
    from dashboard import disclosure

    disclosure._RAW._slots.clear()
    disclosure._PROTECTED._slots.clear()


def _in_mode(mode: str, call: Callable[[], object]) -> float:
    os.environ["PARCOURS_DISCLOSURE"] = mode
    _clear_raw_cache()
    return timed(call)


def bench_in_process(data: Data, runs: int, changes: list[Filters] | None = None
                     ) -> list[tuple[str, float, float, float, float, float]]:
    """(page, median ms of the whole page, of its figures() calls, of the baseline, of the page in exact mode,
    slowest run of the whole page: the p95 bound of so few runs), each run with another filter.

    Overview's monthly trends call figures() themselves: their time counts as the page's, not as figures().
    The same filter change is timed with perturbation (protected, the default) and without (exact, version 1's
    arithmetic), raw tables recomputed each time, so that the ratio is the cost of perturbation.
    """
    changes = changes or filter_changes(data)
    results = []
    previous = os.environ.get("PARCOURS_DISCLOSURE")
    try:
        for page in PAGES:
            page.work(data, changes[-1])  # warm: first call pays imports and polars' thread pool start
            spent, in_figures, base, exact = [], [], [], []
            for i in range(runs):
                filters = changes[i % len(changes)]
                _in_mode("exact", lambda f=filters, p=page: p.work(data, f))  # warms the selection both modes share
                exact.append(_in_mode("exact", lambda f=filters, p=page: p.work(data, f)))
                _FIGURES_SECONDS[0] = 0.0
                spent.append(_in_mode("protected", lambda f=filters, p=page: p.work(data, f)))
                in_figures.append(_FIGURES_SECONDS[0])
                base.append(timed(lambda f=filters, p=page: baseline(data, p, f)))
            results.append((page.key, 1000 * statistics.median(spent), 1000 * statistics.median(in_figures),
                            1000 * statistics.median(base), 1000 * statistics.median(exact), 1000 * max(spent)))
    finally:
        if previous is None:
            os.environ.pop("PARCOURS_DISCLOSURE", None)
        else:
            os.environ["PARCOURS_DISCLOSURE"] = previous
    return results


# --- Browser ----------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_app(url: str) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "app.py"), "--server.headless", "true",
        "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, "DATABASE_URL": url}, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return process, base
        except OSError:
            time.sleep(0.25)
    process.terminate()
    raise RuntimeError(f"streamlit did not start on {base}")


def _wait_drawn(tab, page: Page, timeout_ms: int) -> None:  # type: ignore[no-untyped-def]
    if page.charts:
        tab.wait_for_function(
            "n => [...document.querySelectorAll('[data-testid=\"stPlotlyChart\"] .js-plotly-plot')]"
            ".filter(p => p.querySelector('.main-svg .cartesianlayer .subplot')).length >= n",
            arg=page.charts, timeout=timeout_ms,
        )
    else:
        tab.wait_for_selector('[data-testid="stMetric"]', timeout=timeout_ms)


def bench_browser(url: str, visits: int = 3) -> tuple[float, list[tuple[str, float]]]:
    """(seconds of the first visit, which loads the data; [(page, median seconds until its charts are drawn)])."""
    from playwright.sync_api import sync_playwright

    process, base = _start_app(url)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            tab = context.new_page()
            clock = time.perf_counter()
            tab.goto(f"{base}/overview")
            _wait_drawn(tab, PAGES[0], 600_000)
            first = time.perf_counter() - clock
            results = []
            for page in PAGES:
                times = []
                for _ in range(visits):
                    tab.goto("about:blank")
                    clock = time.perf_counter()
                    tab.goto(f"{base}/{page.key}")
                    _wait_drawn(tab, page, 120_000)
                    times.append(time.perf_counter() - clock)
                results.append((page.key, statistics.median(times)))
            browser.close()
    finally:
        process.terminate()
        process.wait(10)
    return first, results


# --- Database and report -----------------------------------------------------


def demo_database(size: str) -> str:
    """A SQLite database of the demo dataset of ``size`` under data/bench/, built once."""
    from etl.demo import write_demo
    from etl.load import load_dataset
    from etl.validate import read_and_validate
    from models.db import make_engine

    folder = ROOT / "data" / "bench"
    db = folder / f"dashboard-{size}.db"
    if db.exists():
        return f"sqlite:///{db}"
    dataset_dir = folder / f"demo-{size}"  # shared with bench.bench_etl, which marks it complete
    if not (dataset_dir / ".complete").exists():
        print(f"[{size}] writing the demo dataset into {dataset_dir.relative_to(ROOT)}…", flush=True)
        write_demo(size, dataset_dir)
        (dataset_dir / ".complete").write_text("", encoding="utf-8")
    print(f"[{size}] loading the demo dataset into {db.relative_to(ROOT)}…", flush=True)
    dataset = read_and_validate(dataset_dir)
    if not dataset.ok:
        raise SystemExit(f"the demo dataset {dataset_dir} does not validate: {dataset.errors[:3]}")
    engine = make_engine(f"sqlite:///{db}.part")
    load_dataset(engine, dataset, source=str(dataset_dir))
    engine.dispose()
    Path(f"{db}.part").rename(db)
    return f"sqlite:///{db}"


def verdict(value: float, target: float) -> str:
    return f"{'PASS' if value <= target else 'FAIL'}  {value / target:5.2f}× target"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="database URL (default: the demo of --size under data/bench/)")
    parser.add_argument("--size", default="L", help="demo size used when --db is not given (S, M, L)")
    parser.add_argument("--runs", type=int, default=8, help="filter changes per page (median reported)")
    parser.add_argument("--no-browser", action="store_true", help="skip the browser measurements")
    parser.add_argument("--snapshot", action="store_true",
                        help="read the on-disk snapshot (built first if missing, not counted), not the database")
    args = parser.parse_args(argv)
    url = args.db or demo_database(args.size)

    from dashboard import rollups, shared_figures, snapshot
    from models.db import make_engine

    engine = make_engine(url)
    if args.snapshot:
        snapshot.build(engine, snapshot.snapshot_root(engine))  # type: ignore[arg-type]
    clock = time.perf_counter()
    data = snapshot.load(engine) if args.snapshot else read_data(engine)
    shared_figures.detach(data)  # pages recomputed, not read from what an earlier run stored
    cold = time.perf_counter() - clock
    clock = time.perf_counter()
    rollups.wait(data)  # the tables built once per data version (not a cache of the figures asked below)
    built = time.perf_counter() - clock
    rows = sum(getattr(data, name).height for name in ("persons", "referrals", "support_periods", "assessments",
                                                          "attendances", "sessions", "milestones"))
    print(f"database: {url}\nrows read: {rows:,}   persons: {data.persons.height:,}")
    print(f"cold start ({'snapshot mapped' if args.snapshot else 'read_data'}): {cold:.2f} s")
    print(f"rollups (dashboard.rollups, once per data version and release): "
          f"{'built in ' + format(built, '.1f') + ' s' if built > 0.05 else 'present'}\n")
    changes = filter_changes(data)
    failed = False
    for title, chosen, judged in (
        ("whole network (three ranges and granularities) and one structure: the target, on the slowest run",
         [f for f in changes if not f.person_level], True),
        ("person filters (sex, age band, source, program): for information", [f for f in changes if f.person_level], False),
    ):
        print(f"{title}\n{'page':<10} {'page':>8} {'figures':>10} {'charts':>9} {'baseline':>10} {'ratio':>7} "
              f"{'exact':>9} {'perturbed/exact':>16} {'slowest':>9}   target {TARGET_RECOMPUTE_MS:.0f} ms")
        for key, spent, in_figures, base, exact, slowest in bench_in_process(data, args.runs, chosen):
            failed |= judged and slowest > TARGET_RECOMPUTE_MS
            print(f"{key:<10} {spent:5.0f} ms {in_figures:7.0f} ms {spent - in_figures:6.0f} ms {base:7.1f} ms "
                  f"{spent / max(base, 1e-3):6.0f}× {exact:6.0f} ms {spent / max(exact, 1e-3):15.2f}× {slowest:6.0f} ms   "
                  f"{verdict(slowest, TARGET_RECOMPUTE_MS) if judged else ''}")
        print()
    tte, tte_cpu = bench_time_to_exit(data, args.runs)
    failed |= statistics.median(tte) > TARGET_TIME_TO_EXIT_MS
    print(f"\ntime-to-exit (figures, bands): median {statistics.median(tte):.0f} ms, max {max(tte):.0f} ms "
          f"(CPU median {statistics.median(tte_cpu):.0f} ms)   target {TARGET_TIME_TO_EXIT_MS:.0f} ms   "
          f"{verdict(statistics.median(tte), TARGET_TIME_TO_EXIT_MS)}")
    if not args.no_browser:
        first, visits = bench_browser(url)
        print(f"\nbrowser: first visit (starts the session, loads the data): {first:.2f} s")
        print(f"{'page':<10} {'charts drawn':>13}   target {TARGET_BROWSER_S:.0f} s")
        for key, seconds in visits:
            failed |= seconds > TARGET_BROWSER_S
            print(f"{key:<10} {seconds:11.2f} s   {verdict(seconds, TARGET_BROWSER_S)}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
