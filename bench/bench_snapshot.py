"""Snapshot benchmark: cold start of an app process from the on-disk snapshot against reading the database.

Each measurement is a fresh Python process (a cold start, as after ``make serve``): it gets its ``Data``
either with ``read_data`` (the whole database into polars, what every process did before) or with
``dashboard.snapshot.load`` (the Arrow files of the data version, memory-mapped), then computes the
overview figure (which touches the rows). The snapshot is built once beforehand (not counted: one process
does it per data version). Reported: seconds to the data and to the first figure, resident memory
(``RssAnon``: the process's own; ``RssFile``: mapped file pages, shared through the page cache; ``Pss``: the
fair share of shared pages), and the ratios against the database read measured in the same run. With
``--processes N`` it also starts N snapshot processes together and reports their memory side by side; with
``--pages``, after each has computed every trend page for the whole network and for one sex (a person filter).
Targets (issue "National scale", on XL): cold start under 10 s, one process under 4 GB, three under 6 GB.

    python -m bench.bench_snapshot [--size M] [--processes 3] [--pages]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.bench_dashboard import demo_database  # noqa: E402

# One cold process: its data, then the overview figure, then its memory; waits on stdin when told to hold.
CHILD = """
import json, sys, time
started = time.perf_counter()
sys.path.insert(0, {root!r})
from datetime import date
from models.db import make_engine
from dashboard.disclosure import figures
from dashboard.filters import Filters
from dashboard.data import read_data
from dashboard import snapshot
engine = make_engine({url!r})
imported = time.perf_counter() - started
data = read_data(engine) if {how!r} == "database" else snapshot.load(engine)
ready = time.perf_counter() - started
from dashboard import shared_figures
shared_figures.detach(data)  # the first figure computed, not read from what an earlier process stored
last = data.last_day or date(2025, 12, 31)
figures("overview", data, Filters(by="year", start=date(last.year - 2, 1, 1), end=last), published=False)
first = time.perf_counter() - started
paged = 0.0
if {pages!r}:  # every trend page, whole network then one sex, each figure computed by this process
    from dashboard import rollups
    from bench.bench_dashboard import PAGES, filter_changes
    rollups.wait(data)
    changes = filter_changes(data)
    for filters in (changes[0], changes[2]):
        for page in PAGES:
            page.work(data, filters)
    paged = time.perf_counter() - started - first
def memory():
    status = dict(line.split(":", 1) for line in open("/proc/self/status"))
    rollup = dict(line.split(":", 1) for line in open("/proc/self/smaps_rollup").read().splitlines()[1:])
    kib = lambda text: int(text.split()[0])
    return {{"rss": kib(status["VmRSS"]), "anon": kib(status["RssAnon"]), "file": kib(status["RssFile"]),
            "pss": kib(rollup["Pss"])}}
print(json.dumps({{"imported": imported, "ready": ready, "first": first, "paged": paged, **memory()}}), flush=True)
if {hold!r}:
    sys.stdin.readline()
    print(json.dumps(memory()), flush=True)
"""


def _child(url: str, how: str, hold: bool = False, pages: bool = False) -> subprocess.Popen:
    code = CHILD.format(root=str(ROOT), url=url, how=how, hold=hold, pages=pages)
    return subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONHASHSEED": "0"}, cwd=ROOT)


def _run(url: str, how: str) -> dict:
    out, _ = _child(url, how).communicate(timeout=3600)
    return json.loads(out.splitlines()[-1])


def _mb(kib: int) -> str:
    return f"{kib / 1024:,.0f} MB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_snapshot")
    parser.add_argument("--size", default="M", help="demo size (data/bench/dashboard-<size>.db, built if missing)")
    parser.add_argument("--processes", type=int, default=0, help="also start this many snapshot processes together")
    parser.add_argument("--pages", action="store_true",
                        help="the processes started together first compute every trend page (whole network, then "
                             "one sex: a person filter), each on its own (figures store detached): memory after use")
    args = parser.parse_args(argv)
    os.environ.setdefault("PARCOURS_DISCLOSURE", "protected")
    url = demo_database(args.size)
    from dashboard import snapshot
    from models.db import make_engine

    engine = make_engine(url)
    started = time.perf_counter()
    snapshot.build(engine, snapshot.snapshot_root(engine))  # type: ignore[arg-type]
    print(f"[{args.size}] snapshot present (built or checked in {time.perf_counter() - started:.1f} s, not counted)")
    engine.dispose()

    base = _run(url, "database")
    disk = _run(url, "snapshot")
    for name, row in (("database read", base), ("snapshot mapped", disk)):
        print(f"[{args.size}] cold start, {name:15}: imports {row['imported']:5.2f} s, data "
              f"{row['ready'] - row['imported']:6.2f} s, first figure at {row['first']:6.2f} s | "
              f"RSS {_mb(row['rss'])} (own {_mb(row['anon'])}, mapped {_mb(row['file'])}), PSS {_mb(row['pss'])}")
    data_ratio = (disk["ready"] - disk["imported"]) / (base["ready"] - base["imported"])
    print(f"[{args.size}] ratios snapshot / database: data {data_ratio:.3f}×, whole cold start to the first figure "
          f"{disk['first'] / base['first']:.2f}×, own memory {disk['anon'] / base['anon']:.2f}×", flush=True)

    if args.processes:
        children = [_child(url, "snapshot", hold=True, pages=args.pages) for _ in range(args.processes)]
        firsts = [json.loads(c.stdout.readline()) for c in children]  # type: ignore[union-attr]
        held = []
        for child in children:  # every process has started and computed: measure them all together
            child.stdin.write("\n")  # type: ignore[union-attr]
            child.stdin.flush()  # type: ignore[union-attr]
            held.append(json.loads(child.stdout.readline()))  # type: ignore[union-attr]
        for child in children:
            child.wait(60)
        rss, pss, anon = (sum(m[key] for m in held) for key in ("rss", "pss", "anon"))
        print(f"[{args.size}] {args.processes} snapshot processes together: RSS sum {_mb(rss)} (counts shared pages "
              f"{args.processes}×), PSS sum {_mb(pss)} (shared pages once), own memory sum {_mb(anon)}; "
              f"slowest first figure {max(f['first'] for f in firsts):.2f} s"
              + (f", every page twice in {max(f['paged'] for f in firsts):.1f} s" if args.pages else "")
              + f"; largest RSS {_mb(max(m['rss'] for m in held))} | against "
              f"{args.processes}× the database read: {_mb(args.processes * base['rss'])}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
