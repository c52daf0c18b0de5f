"""ETL benchmark: load the S, M, L demo datasets into fresh SQLite databases.

For each size, in child processes (so that peak memory is the child's own
``ru_maxrss``, read with ``os.wait4``):

1. ``python -m etl load DIR`` into an empty database: the whole command a
   user runs (read, validate, load, log), wall time and peak memory;
2. the same command again on the same database: every row unchanged;
3. the baseline: bare ``sqlite3.executemany`` of the same rows into tables
   created from the same SQLModel metadata (indexes included), with the
   same pragmas as ``models.db``, no validation, no comparison; only the
   inserts and the commit are timed.

Targets (DESIGN): L loads in at most 60 s with peak memory under 2 GB, at
most 3x the baseline, and re-loading unchanged takes at most as long as the
first load. Datasets are cached under ``data/bench/``.

    python -m bench.bench_etl [--sizes S,M,L]
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "data" / "bench"
DONE_MARK = ".complete"
MAX_SECONDS_L = 60.0
MAX_PEAK_MB = 2048.0
MAX_RATIO = 3.0
BATCH = 50_000
# The time targets are stated for L; on small sizes start-up costs dominate the ratio.
TARGET_SIZES = ("L",)


@dataclass
class Run:
    seconds: float
    cpu_seconds: float  # user + system: what the run costs whatever else the machine is doing
    peak_mb: float
    output: str


def dataset(size: str) -> Path:
    """The cached demo dataset of ``size``, generated once."""
    folder = CACHE / f"demo-{size}"
    if not (folder / DONE_MARK).exists():
        from etl.demo import write_demo

        print(f"[{size}] generating demo dataset into {folder.relative_to(ROOT)}…", flush=True)
        clock = time.perf_counter()
        write_demo(size, folder)
        (folder / DONE_MARK).write_text("", encoding="utf-8")
        print(f"[{size}] generated in {time.perf_counter() - clock:.1f} s", flush=True)
    return folder


def run_child(args: list[str], env: dict[str, str] | None = None) -> Run:
    """Run a Python child; wall time and its own peak resident memory."""
    clock = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, *args], cwd=ROOT, env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    output = child.stdout.read() if child.stdout else ""
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - clock
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise RuntimeError(f"{' '.join(args)} failed ({child.returncode}):\n{output}")
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, output)


def fresh_db(path: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def baseline(folder: Path, db: Path) -> dict[str, float]:
    """Child side of the baseline: bare executemany of the dataset's rows."""
    import polars as pl
    from sqlalchemy.dialects import sqlite as sqlite_dialect
    from sqlalchemy.schema import CreateIndex, CreateTable

    from models.contract import CONTRACT_TABLES, contract_columns, table_of

    dialect = sqlite_dialect.dialect()
    frames = {}
    for name in CONTRACT_TABLES:
        file = folder / f"{name}.csv"
        if not file.exists():
            continue
        columns = contract_columns(name)
        frame = pl.read_csv(file, infer_schema=False).rename({c.source: c.name for c in columns}, strict=False)
        bools = [c.name for c in columns if c.kind == "bool" and c.name in frame.columns]
        frame = frame.with_columns(pl.col(bools).str.to_uppercase().is_in(["OUI", "TRUE", "1", "O"]))
        defaults = {
            c.name: c.default.arg for c in table_of(name).columns if c.default is not None and c.name in frame.columns
        }
        frame = frame.with_columns(pl.col(col).fill_null(value) for col, value in defaults.items())
        frames[name] = frame.select(c.name for c in columns if c.name in frame.columns)
    con = sqlite3.connect(db)
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "temp_store=MEMORY", "cache_size=-200000"):
        con.execute(f"PRAGMA {pragma}")
    for name in frames:
        table = table_of(name)
        con.execute(str(CreateTable(table).compile(dialect=dialect)))
        for index in table.indexes:
            con.execute(str(CreateIndex(index).compile(dialect=dialect)))
    con.commit()
    rows = sum(f.height for f in frames.values())
    clock, cpu = time.perf_counter(), time.process_time()
    cursor = con.cursor()
    for name, frame in frames.items():
        sql = f"INSERT INTO {table_of(name).name} ({', '.join(frame.columns)}) VALUES ({', '.join('?' * frame.width)})"
        for start in range(0, frame.height, BATCH):
            cursor.executemany(sql, frame.slice(start, BATCH).iter_rows())
    con.commit()
    con.close()
    return {"rows": rows, "seconds": time.perf_counter() - clock, "cpu_seconds": time.process_time() - cpu}


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def bench_size(size: str, work: Path) -> bool:
    folder = dataset(size)
    db = fresh_db(work / f"bench-{size}.db")
    env = {"DATABASE_URL": f"sqlite:///{db}", "PARCOURS_LANG": "en"}
    first = run_child(["-m", "etl", "load", str(folder)], env)
    again = run_child(["-m", "etl", "load", str(folder)], env)
    base_db = fresh_db(work / f"baseline-{size}.db")
    base_run = run_child(["-m", "bench.bench_etl", "--baseline-child", str(folder), str(base_db)])
    base = json.loads(base_run.output.strip().splitlines()[-1])
    rows = int(base["rows"])
    ratio = first.seconds / base["seconds"]
    checks = {
        "re-load <= first load": again.seconds <= first.seconds,
        f"peak memory < {MAX_PEAK_MB:g} MB": max(first.peak_mb, again.peak_mb) < MAX_PEAK_MB,
    }
    if size in TARGET_SIZES:
        checks[f"first load <= {MAX_SECONDS_L:g} s"] = first.seconds <= MAX_SECONDS_L
        checks[f"ratio to baseline <= {MAX_RATIO:g}"] = ratio <= MAX_RATIO
    print(f"[{size}] rows {rows:,}")
    for label, run in (("first load", first), ("re-load", again)):
        print(
            f"[{size}] {label:<12} {run.seconds:7.1f} s  {rows / run.seconds:10,.0f} rows/s  "
            f"cpu {run.cpu_seconds:6.1f} s  peak {run.peak_mb:6.0f} MB"
        )
    print(
        f"[{size}] {'baseline':<12} {base['seconds']:7.1f} s  {rows / base['seconds']:10,.0f} rows/s  "
        f"cpu {base['cpu_seconds']:6.1f} s  (bare sqlite3.executemany, inserts only)"
    )
    print(f"[{size}] machine load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"[{size}] ratio first load / baseline: {ratio:.2f}" + ("" if size in TARGET_SIZES else " (informative)"))
    for label, ok in checks.items():
        print(f"[{size}] {verdict(ok)} {label}")
    for path in (db, base_db):
        fresh_db(path)
    return all(checks.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_etl", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="S,M,L", help="comma-separated demo sizes (default S,M,L)")
    parser.add_argument("--baseline-child", nargs=2, metavar=("DATASET", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.baseline_child:
        print(json.dumps(baseline(Path(args.baseline_child[0]), Path(args.baseline_child[1]))))
        return 0
    sizes = [s.strip().upper() for s in args.sizes.split(",") if s.strip()]
    work = CACHE / "db"
    results = {size: bench_size(size, work) for size in sizes}
    print("ETL benchmark:", ", ".join(f"{size} {verdict(ok)}" for size, ok in results.items()))
    return 0 if all(results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
