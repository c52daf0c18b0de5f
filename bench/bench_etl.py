"""ETL benchmark: load the S, M, L demo datasets into fresh SQLite and PostgreSQL databases.

For each size and database, in child processes (so that peak memory is the
child's own ``ru_maxrss``, read with ``os.wait4``):

1. ``python -m etl load DIR`` into an empty database: the whole command a
   user runs (read, validate, load, log), wall time and peak memory;
2. the same command again on the same database: every row unchanged (on a
   table holding rows the load goes through its staging table);
3. the baseline, measured in the same run: the same rows written bare into
   tables created from the same SQLModel metadata (indexes included), no
   validation, no comparison; only the writes and the commit are timed.
   SQLite: ``sqlite3.executemany`` with the pragmas of ``models.db``;
   PostgreSQL: ``COPY ... FROM STDIN`` (psycopg 3, CSV written by polars),
   what the load itself uses.

Targets (issue 14): peak memory under 2 GB at every size; on L, the first
load at most 1.5x its baseline on each database (the whole command against
bare writes), within 60 s on SQLite; re-loading unchanged takes at most as
long as the first load. Datasets are cached under ``data/bench/``; the
PostgreSQL server is the test suite's (``tests/pg.py``), skipped with
``--no-postgres``.

    python -m bench.bench_etl [--sizes S,M,L] [--no-postgres]
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
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "data" / "bench"
DONE_MARK = ".complete"
MAX_SECONDS_L = 60.0
MAX_PEAK_MB = 2048.0
MAX_RATIO = 1.5
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


def _frames(folder: Path) -> dict[str, pl.DataFrame]:
    """The dataset's rows as the tables take them (bools parsed, defaults filled), from the CSV files."""
    import polars as pl

    from models.contract import CONTRACT_TABLES, contract_columns, table_of

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
    return frames


def baseline(folder: Path, db: str) -> dict[str, float]:
    """Child side of the baseline: bare writes of the dataset's rows (``db``: a SQLite path or a PostgreSQL URL)."""
    frames = _frames(folder)
    rows = sum(f.height for f in frames.values())
    timed = _postgres_baseline(frames, db) if db.startswith("postgresql") else _sqlite_baseline(frames, Path(db))
    return {"rows": rows, **timed}


def _sqlite_baseline(frames: dict[str, pl.DataFrame], db: Path) -> dict[str, float]:
    from sqlalchemy.dialects import sqlite as sqlite_dialect
    from sqlalchemy.schema import CreateIndex, CreateTable

    from models.contract import table_of

    dialect = sqlite_dialect.dialect()
    con = sqlite3.connect(db)
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "temp_store=MEMORY", "cache_size=-200000"):
        con.execute(f"PRAGMA {pragma}")
    for name in frames:
        table = table_of(name)
        con.execute(str(CreateTable(table).compile(dialect=dialect)))
        for index in table.indexes:
            con.execute(str(CreateIndex(index).compile(dialect=dialect)))
    con.commit()
    clock, cpu = time.perf_counter(), time.process_time()
    cursor = con.cursor()
    for name, frame in frames.items():
        sql = f"INSERT INTO {table_of(name).name} ({', '.join(frame.columns)}) VALUES ({', '.join('?' * frame.width)})"
        for start in range(0, frame.height, BATCH):
            cursor.executemany(sql, frame.slice(start, BATCH).iter_rows())
    con.commit()
    con.close()
    return {"seconds": time.perf_counter() - clock, "cpu_seconds": time.process_time() - cpu}


def _postgres_baseline(frames: dict[str, pl.DataFrame], url: str) -> dict[str, float]:
    import psycopg
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    from models.contract import table_of

    engine = create_engine(url)
    for name in frames:
        table_of(name).create(engine)  # indexes included
    engine.dispose()
    libpq = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(libpq) as con:
        clock, cpu = time.perf_counter(), time.process_time()
        with con.cursor() as cursor:
            for name, frame in frames.items():
                columns = ", ".join(frame.columns)
                with cursor.copy(f"COPY {table_of(name).name} ({columns}) FROM STDIN (FORMAT csv)") as copy:
                    for start in range(0, frame.height, BATCH):
                        copy.write(frame.slice(start, BATCH).write_csv(include_header=False))
        con.commit()
    return {"seconds": time.perf_counter() - clock, "cpu_seconds": time.process_time() - cpu}


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


@dataclass
class Target:
    """One database to load into: its URL for the load, and where the baseline writes."""

    name: str
    url: str
    baseline_db: str
    drop: list[str]


def _sqlite(size: str, work: Path) -> Target:
    db, base = fresh_db(work / f"bench-{size}.db"), fresh_db(work / f"baseline-{size}.db")
    return Target("sqlite", f"sqlite:///{db}", str(base), [str(db), str(base)])


def _postgres(size: str) -> Target:
    from tests import pg

    db, base = pg.create_database(f"parcours_bench_{size.lower()}"), pg.create_database(f"parcours_base_{size.lower()}")
    return Target("postgres", db, base, [db, base])


def _cleanup(target: Target) -> None:
    if target.name == "sqlite":
        for path in target.drop:
            fresh_db(Path(path))
        return
    from tests import pg

    for url in target.drop:
        for attempt in range(10):  # autovacuum may still be on the new tables: it cannot be forced off
            try:
                pg.drop_database(url)
                break
            except Exception:
                if attempt == 9:
                    raise
                time.sleep(2)


def bench_size(size: str, target: Target) -> bool:
    folder = dataset(size)
    tag = f"[{size} {target.name}]"
    env = {"DATABASE_URL": target.url, "PARCOURS_LANG": "en"}
    first = run_child(["-m", "etl", "load", str(folder)], env)
    again = run_child(["-m", "etl", "load", str(folder)], env)
    base_run = run_child(["-m", "bench.bench_etl", "--baseline-child", str(folder), target.baseline_db])
    base = json.loads(base_run.output.strip().splitlines()[-1])
    rows = int(base["rows"])
    ratio = first.seconds / base["seconds"]
    checks = {
        "re-load <= first load": again.seconds <= first.seconds,
        f"peak memory < {MAX_PEAK_MB:g} MB": max(first.peak_mb, again.peak_mb) < MAX_PEAK_MB,
    }
    if size in TARGET_SIZES:
        if target.name == "sqlite":
            checks[f"first load <= {MAX_SECONDS_L:g} s"] = first.seconds <= MAX_SECONDS_L
        checks[f"ratio to baseline <= {MAX_RATIO:g}"] = ratio <= MAX_RATIO
    what = "bare sqlite3.executemany" if target.name == "sqlite" else "bare COPY FROM STDIN"
    print(f"{tag} rows {rows:,}")
    for label, run in (("first load", first), ("re-load", again)):
        print(
            f"{tag} {label:<12} {run.seconds:7.1f} s  {rows / run.seconds:10,.0f} rows/s  "
            f"cpu {run.cpu_seconds:6.1f} s  peak {run.peak_mb:6.0f} MB"
        )
    print(
        f"{tag} {'baseline':<12} {base['seconds']:7.1f} s  {rows / base['seconds']:10,.0f} rows/s  "
        f"cpu {base['cpu_seconds']:6.1f} s  ({what}, writes only)"
    )
    print(f"{tag} machine load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{tag} ratio first load / baseline: {ratio:.2f}" + ("" if size in TARGET_SIZES else " (informative)"))
    if target.name == "sqlite":  # all of SQLite's work is in the process: CPU time, which a busy machine does not blur
        print(f"{tag} cpu ratio first load / baseline: {first.cpu_seconds / max(base['cpu_seconds'], 1e-9):.2f}")
    for label, ok in checks.items():
        print(f"{tag} {verdict(ok)} {label}")
    return all(checks.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_etl", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="S,M,L", help="comma-separated demo sizes (default S,M,L)")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--baseline-child", nargs=2, metavar=("DATASET", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.baseline_child:
        print(json.dumps(baseline(Path(args.baseline_child[0]), args.baseline_child[1])))
        return 0
    sizes = [s.strip().upper() for s in args.sizes.split(",") if s.strip()]
    work = CACHE / "db"
    results: dict[str, bool] = {}
    for size in sizes:
        for backend in ("sqlite",) if args.no_postgres else ("sqlite", "postgres"):
            target = _sqlite(size, work) if backend == "sqlite" else _postgres(size)
            try:
                results[f"{size} {target.name}"] = bench_size(size, target)
            finally:
                _cleanup(target)
    print("ETL benchmark:", ", ".join(f"{label} {verdict(ok)}" for label, ok in results.items()))
    return 0 if all(results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
