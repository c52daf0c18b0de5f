"""Capacity benchmark: simultaneous browser sessions through the proxy against several app processes.

``scripts/serve.sh`` starts ``--replicas`` Streamlit processes and nginx (sticky sessions) on 127.0.0.1, on the
demo database of ``--size`` (its on-disk snapshot, tables by period and layouts built beforehand, not counted).
Then:

1. the first page after the start: one browser session opens the overview through the proxy (target on L:
   under 3 s);
2. ``--sessions`` sessions at once (one headless Chromium, one context each), each visiting the five trend
   pages and changing one filter on each (the grouping: month, quarter, year), so ``2 x 5`` steps per session;
   a step ends when its charts are drawn (or its figures shown). Each page is opened by its address (a page
   load: a new Streamlit session per page, the worst case) or, with ``--navigation links``, by the sidebar's
   link after the first (one session per visitor, as a user clicks).

Reported: steps served, errors, latency p50 / p95 / max, **app CPU-seconds per step** (the CPU time of every app
process and nginx over the run, divided by the steps: what capacity planning needs, unlike latency, which on a
2-core machine also measures the browser), the CPU taken by the client (Chromium and this script) beside it,
and the app processes' memory (PSS: shared pages counted once) at the start and end of the run (flat memory: no leak per session).
Targets (issue "National scale"): under 0.1 CPU-s per step on L, 0.3 on XL; first page under 3 s on L.

Sessions sign in as ``PARCOURS_TEST_ROLE=administrator`` (set for the served processes only): the figures are
about serving pages, not about password hashing.

With ``--minutes M``, users keep coming for M minutes (each slot starts a new visitor when its last one ends) and
the app processes' memory is sampled every 30 s: it must stay flat (under 10 % growth after the first third).

The figures store (``dashboard.shared_figures``) starts empty unless ``--store warm``: the first page and the CPU
per step then include computing every figure once, as after a new load.

    python -m bench.bench_capacity [--size L] [--sessions 20] [--replicas 3] [--minutes 10] [--store cold|warm]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.bench_dashboard import CHROMIUM, CHROMIUM_ARGS, demo_database  # noqa: E402

PAGES = {"overview": 0, "referrals": 5, "needs": 5, "workshops": 6, "exits": 5}  # page -> charts to wait for
TITLES = {"overview": "Vue d'ensemble", "referrals": "Orientations", "needs": "Besoins", "workshops": "Ateliers",
          "exits": "Sorties"}
GROUPINGS = ("Trimestre", "Année", "Mois")
CPU_TARGET = {"L": 0.1, "XL": 0.3}
FIRST_PAGE_TARGET = 3.0
DRAWN = (
    "n => n === 0 ? !!document.querySelector('[data-testid=\"stMetric\"]') :"
    " [...document.querySelectorAll('[data-testid=\"stPlotlyChart\"] .js-plotly-plot')]"
    ".filter(p => p.querySelector('.main-svg')).length >= n"
)
IDLE = "() => !document.querySelector('[data-testid=\"stStatusWidgetRunningIcon\"]')"


def _ports(count: int) -> int:
    """The first of ``count + 1`` consecutive free ports (the apps, then the proxy)."""
    for first in range(20_000, 40_000, 50):
        free = True
        for port in range(first, first + count + 1):
            with socket.socket() as sock:
                try:
                    sock.bind(("127.0.0.1", port))
                except OSError:
                    free = False
                    break
        if free:
            return first
    raise RuntimeError("no free ports")


def _wait_healthy(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.25)
    raise RuntimeError(f"{url} did not answer")


def _server_processes(serve: subprocess.Popen) -> list[psutil.Process]:
    """The app processes and nginx under serve.sh (not the shell itself)."""
    return [p for p in psutil.Process(serve.pid).children(recursive=True) if p.is_running()]


def _cpu(processes: list[psutil.Process]) -> float:
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


def _rss(processes: list[psutil.Process]) -> float:
    """The app processes' proportional set size in MB: the snapshot's mapped pages, shared by every process, are
    counted once (their resident sizes would count them once per process)."""
    total = 0
    for process in processes:
        try:
            if "dashboard/app.py" in " ".join(process.cmdline()):  # the app processes, not nginx
                total += process.memory_full_info().pss
        except psutil.NoSuchProcess:
            pass
    return total / 2**20


async def _step(tab, action, charts: int, latencies: list[float], errors: list[str]) -> None:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    try:
        await action()
        await tab.wait_for_function(DRAWN, arg=charts, timeout=180_000)
        await tab.wait_for_function(IDLE, timeout=180_000)
        if await tab.locator('[data-testid="stException"]').count():
            errors.append(f"exception shown on {tab.url}")
        latencies.append(time.perf_counter() - started)
    except Exception as error:  # noqa: BLE001  # a failed step is counted and reported, the run goes on
        errors.append(f"{tab.url}: {type(error).__name__}: {str(error)[:120]}")


async def _click_link(tab, page: str) -> None:  # type: ignore[no-untyped-def]
    """In-app navigation, as a user does: the sidebar link, the same websocket session. Done when the new page's
    run is over (its title shown, nothing running), so that the charts waited for next are the new page's."""
    await tab.locator('[data-testid="stSidebarNav"] a').filter(has_text=TITLES[page]).first.click()
    await tab.locator("h1").filter(has_text=TITLES[page]).first.wait_for(timeout=180_000)
    await asyncio.sleep(0.3)
    await tab.wait_for_function(IDLE, timeout=180_000)


async def _session(browser, base: str, index: int, latencies: list[float], errors: list[str],  # type: ignore[no-untyped-def]
                   navigation: str = "urls") -> int:
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = await context.new_page()
    # 20 Chromium contexts on 2 cores starve the client: a slow step is measured as slow, not failed.
    tab.set_default_timeout(180_000)
    tab.set_default_navigation_timeout(180_000)
    steps = 0
    try:
        for number, (page, charts) in enumerate(PAGES.items()):
            if number and navigation == "links":
                await _step(tab, lambda page=page: _click_link(tab, page), charts, latencies, errors)
            else:
                await _step(tab, lambda page=page: tab.goto(f"{base}/{page}"), charts, latencies, errors)

            async def change() -> None:
                box = tab.locator('[data-testid="stSelectbox"]').filter(has_text="Regrouper par")
                shown = (await box.inner_text()).replace("Regrouper par", "")
                target = next(g for g in GROUPINGS[index % 3:] + GROUPINGS[:index % 3] if g not in shown)
                await box.get_by_role("combobox").click()
                await tab.keyboard.type(target)
                await tab.keyboard.press("Enter")
                await asyncio.sleep(0.3)  # the rerun starts: wait for its charts, not the old ones

            await _step(tab, change, charts, latencies, errors)
            steps += 2
    finally:
        await context.close()
    return steps


async def _sessions_until(browser, base: str, index: int, deadline: float, latencies: list[float],  # type: ignore[no-untyped-def]
                          errors: list[str], navigation: str) -> int:
    """One simulated user after another in the same slot (a new browser context each: a new visitor), until
    ``deadline``; at least one."""
    steps = await _session(browser, base, index, latencies, errors, navigation)
    while time.perf_counter() < deadline:
        steps += await _session(browser, base, index, latencies, errors, navigation)
    return steps


async def _sample_memory(servers: list[psutil.Process], every: float, samples: list[tuple[float, float]]) -> None:
    started = time.perf_counter()
    while True:
        samples.append((time.perf_counter() - started, _rss(servers)))
        await asyncio.sleep(every)


async def _run(base: str, sessions: int, minutes: float = 0.0, servers: list[psutil.Process] | None = None,
               memory: list[tuple[float, float]] | None = None,
               navigation: str = "urls") -> tuple[float, int, list[float], list[str], float]:
    """The first page, then ``sessions`` users at once (for ``minutes``, users keep coming: each slot starts a new
    one when its last ends); ``memory`` receives (seconds, MB) of ``servers`` every 30 s meanwhile."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        first: list[float] = []
        first_errors: list[str] = []
        context = await browser.new_context(viewport={"width": 1400, "height": 1000})
        tab = await context.new_page()
        await _step(tab, lambda: tab.goto(f"{base}/overview"), 0, first, first_errors)
        await context.close()
        latencies: list[float] = []
        errors: list[str] = list(first_errors)
        client = psutil.Process()
        client_before = _cpu([client, *client.children(recursive=True)])
        sampler = asyncio.create_task(_sample_memory(servers, 30.0, memory)) if servers and memory is not None else None
        deadline = time.perf_counter() + 60 * minutes
        steps = await asyncio.gather(*(_sessions_until(browser, base, i, deadline, latencies, errors, navigation)
                                       for i in range(sessions)))
        if sampler is not None:
            sampler.cancel()
        client_cpu = _cpu([client, *client.children(recursive=True)]) - client_before
        await browser.close()
    # The first page counts as a step served: the app's CPU for it (each process's cold start) is in the total.
    return (first[0] if first else float("nan")), 1 + sum(steps), first + latencies, errors, client_cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_capacity")
    parser.add_argument("--size", default="L")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--replicas", type=int, default=3)
    parser.add_argument("--store", choices=("cold", "warm"), default="cold",
                        help="cold: the figures store of the snapshot is emptied first (as after a new load); "
                             "warm: what earlier runs stored is kept (as after a restart)")
    parser.add_argument("--navigation", choices=("urls", "links"), default="urls",
                        help="urls: each page opened by its address (a new session per page, the worst case); "
                             "links: by the sidebar's links, as a user clicks (one session per visitor)")
    parser.add_argument("--minutes", type=float, default=0.0,
                        help="keep users coming for this long (memory sampled every 30 s); 0: one user per slot")
    args = parser.parse_args(argv)
    url = demo_database(args.size)
    snapshots = ROOT / "data" / "bench" / "snapshots"
    env = {**os.environ, "DATABASE_URL": url, "PARCOURS_SNAPSHOT_DIR": str(snapshots), "PARCOURS_LANG": "fr",
           "PARCOURS_TEST_ROLE": "administrator", "PARCOURS_DISCLOSURE": os.environ.get("PARCOURS_DISCLOSURE", "protected")}
    from dashboard import snapshot
    from models.db import make_engine

    os.environ["PARCOURS_SNAPSHOT_DIR"] = str(snapshots)
    from dashboard.shared_figures import FIGURES

    engine = make_engine(url)
    root = snapshot.snapshot_root(engine)
    version = snapshot.build(engine, root)  # type: ignore[arg-type]
    # Its tables by period and layouts too (once per data version and release, as a deployment has them), so that
    # the first page does not share the two cores with their build.
    from dashboard import rollups

    rollups.wait(snapshot.load(engine, version))
    engine.dispose()
    if args.store == "cold":
        shutil.rmtree(root / version / FIGURES, ignore_errors=True)  # type: ignore[operator]

    first_port = _ports(args.replicas)
    env.update(REPLICAS=str(args.replicas), PORT=str(first_port), PROXY_PORT=str(first_port + args.replicas),
               PYTHON=sys.executable)
    serve = subprocess.Popen(["bash", str(ROOT / "scripts" / "serve.sh")], cwd=ROOT, env=env, start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{first_port + args.replicas}"
    try:
        for port in range(first_port, first_port + args.replicas):
            _wait_healthy(f"http://127.0.0.1:{port}/_stcore/health", 120)
        _wait_healthy(f"{base}/_stcore/health", 30)
        servers = _server_processes(serve)
        memory_before = _rss(servers)
        cpu_before = _cpu(servers)
        started = time.perf_counter()
        memory: list[tuple[float, float]] = []
        first, steps, latencies, errors, client_cpu = asyncio.run(_run(base, args.sessions, args.minutes, servers, memory,
                                                                         args.navigation))
        wall = time.perf_counter() - started
        app_cpu = _cpu(servers) - cpu_before
        memory_after = _rss(servers)
    finally:
        os.killpg(serve.pid, signal.SIGTERM)
        try:
            serve.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(serve.pid, signal.SIGKILL)

    per_step = app_cpu / max(steps, 1)
    ordered = sorted(latencies) or [float("nan")]
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    name = (f"[{args.size}, {args.sessions} sessions, {args.replicas} processes, {args.store} figures store, "
            f"pages by {args.navigation}]")
    print(f"{name} first page after the start {first:.2f} s (target < {FIRST_PAGE_TARGET:.0f} s on L)")
    print(f"{name} {len(latencies)} of {steps} steps served in {wall:.0f} s, {len(errors)} errors | latency p50 "
          f"{statistics.median(ordered):.2f} s, p95 {p95:.2f} s, max {ordered[-1]:.2f} s")
    print(f"{name} app CPU {app_cpu:.1f} s = {per_step:.3f} CPU-s per step (target < {CPU_TARGET.get(args.size, 0.3)}) | "
          f"client CPU {client_cpu:.1f} s ({client_cpu / max(app_cpu, 1e-9):.1f}x the app's) on "
          f"{psutil.cpu_count()} cores")
    print(f"{name} app processes' memory (PSS) {memory_before:.0f} MB -> {memory_after:.0f} MB", flush=True)
    flat = True
    if args.minutes and len(memory) >= 4:
        # Flat: after the first third (caches filling), the memory (PSS) grows by under 10 %.
        settled = memory[len(memory) // 3][1]
        flat = memory[-1][1] <= 1.1 * settled
        series = ", ".join(f"{t / 60:.0f} min {mb:.0f}" for t, mb in memory[:: max(1, len(memory) // 10)])
        print(f"{name} memory over {memory[-1][0] / 60:.1f} min (MB): {series}; last {memory[-1][1]:.0f}, "
              f"after the first third {settled:.0f}: {'flat' if flat else 'GROWING'}", flush=True)
    for error in errors[:5]:
        print(f"  error: {error}")
    ok = flat and not errors and per_step < CPU_TARGET.get(args.size, 0.3) and (args.size != "L" or first < FIRST_PAGE_TARGET)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
