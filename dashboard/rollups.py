"""Figures by period for the whole network, built once per snapshot version: the pre-aggregated tables.

Most figures of the trend pages are made of rows that each describe one period (a month, quarter or year)
and depend only on the records dated in that period: referrals by source, needs over time, exits, workshop
attendance... (``Figure.by_period`` names the column that holds the period). Filters always fall on whole
periods (``Filters.snapped``), so for the whole network (no list filter) the figure of any range is the rows of
the periods in that range, taken from the figure computed once over the whole span of the data.

Those whole-span tables are computed from the rows once per data version, for every such figure and
granularity, as soon as the snapshot of a new load is mapped (``dashboard.snapshot.load``; in a background thread,
so that pages answer from the rows meanwhile), and stored in
``<snapshot>/<version>/rollups-<fingerprint>/<figure>.<granularity>.arrow``. Each row keeps its exact counts,
distinct persons and cell keys (the sums of record keys): they are the same rows the figure computes, so the
perturbation and the thresholds applied on top give the same published values, to the cell
(``tests/snapshot/test_rollups.py``). Distinct persons are counted exactly, per row, from the records when the
table is built; they are never added across periods (a person seen in two months is one person in the quarter),
which is why each granularity has its own table.

The fingerprint is the code's (``shared_figures.code_fingerprint``): a raw figure depends on the rows and the
code only, never on a setting (thresholds and perturbation are applied on top; a test checks that no metric
reads a setting). A new release finds no table of its own and builds one, under a file lock: one process
builds, the others wait and read. A filtered selection (a structure, a sex, a source...) or a range outside the
data's span is computed from the rows, as before.
"""

import fcntl
import shutil
import threading
import uuid
import weakref
from datetime import date, timedelta
from pathlib import Path

import polars as pl

from dashboard import prebuilt
from dashboard.catalogue import CATALOGUE
from dashboard.data import Data
from dashboard.filters import GRANULARITIES, Filters, Granularity
from dashboard.metrics import levels, overview, pathways, workshop_frames
from dashboard.metrics.common import SNAPSHOT_CACHE
from dashboard.metrics.overview import range_table as overview_range_table
from dashboard.metrics.referrals import territory_table
from dashboard.metrics.time_to_exit import range_table as time_to_exit_table
from dashboard.metrics.time_to_exit import times_table as time_to_exit_times
from dashboard.metrics.workshops import group_table
from dashboard.periods import label_of, period_bounds
from dashboard.shared_figures import code_fingerprint

PREFIX = "rollups-"
LOCK = ".rollups.lock"

_BUILDERS: dict[int, threading.Thread] = {}
_GUARD = threading.Lock()


RANGE_TABLES = {
    "overview": overview_range_table, "referrals-by-territory": territory_table,
    "workshop-by-facilitator": lambda data: group_table(data, "facilitator"),
    "workshop-by-co-construction": lambda data: group_table(data, "co_constructed"),
    "time-to-exit": time_to_exit_table, "time-to-exit-times": time_to_exit_times,
}
"""Tables of counts per month and previous month (``dashboard.metrics.range_persons``), by the name their metric
reads them under (``prebuilt.range_table``)."""


def per_period() -> list[str]:
    """The figures that can be read from a rollup (``Figure.by_period`` is set)."""
    return [name for name, figure in CATALOGUE.items() if figure.by_period]


def folder_name() -> str:
    """``rollups-`` and a fingerprint of the code (a new release builds new tables)."""
    return PREFIX + code_fingerprint()[:16]


def span(data: Data, by: Granularity) -> Filters | None:
    """The whole span of the data in whole periods of ``by`` (None for empty data)."""
    first, last = data.first_day, data.last_day
    if first is None or last is None:
        return None
    return Filters(start=first, end=max(first, last), by=by).snapped()


def write(data: Data, version: Path) -> None:
    """Every rollup of ``data`` into ``version``'s rollup folder (written aside, then renamed into place)."""
    target = version / folder_name()
    if target.is_dir():
        return
    _clean(version, keep=target.name)
    temporary = version / f".{PREFIX}{uuid.uuid4().hex[:8]}"
    temporary.mkdir(mode=0o700)
    try:
        for by in GRANULARITIES:
            whole = span(data, by)  # type: ignore[arg-type]
            if whole is None:
                continue
            for metric in per_period():
                table = CATALOGUE[metric].compute(data, whole)
                # Sorted by period (their order within a period kept): a range is one slice (``answer``).
                _write(table.sort(CATALOGUE[metric].by_period, maintain_order=True), temporary / f"{metric}.{by}.arrow")
        for name, build in RANGE_TABLES.items():
            _write(build(data), temporary / prebuilt.range_file(name))
        _write_layouts(data, temporary)
        temporary.rename(target)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def _clean(version: Path, keep: str) -> None:
    """Remove what other builds left in ``version`` (called under the lock, before a build): the half-written
    folders of builds that died, and the tables of other code (a release before this one: with the layouts, 2.5 GB
    on XL). A process of that release still running maps its layouts (the files live on while mapped) and
    computes the rest from the rows."""
    for folder in version.iterdir():
        if folder.is_dir() and folder.name != keep and folder.name.lstrip(".").startswith(PREFIX):
            shutil.rmtree(folder, ignore_errors=True)


def _write_layouts(data: Data, folder: Path) -> None:
    """The large layouts metrics derive from the rows once per snapshot, to be mapped by every process
    (``prebuilt.layout``). This process built them in memory to write them: it drops its copies, and maps the
    files like every other process once they are in place."""
    for name in levels.LAYOUTS:
        frame, codes = levels.stored(levels.layout_of(data, name))
        prebuilt.write_arrow(frame, folder / prebuilt.layout_file(f"levels.{name}"), codes)
    for name, frame in workshop_frames.stored_frames(data).items():
        prebuilt.write_arrow(frame, folder / prebuilt.layout_file(f"workshops.{name}"))
    prebuilt.write_arrow(overview.person_months(data), folder / prebuilt.layout_file(overview.PERSON_MONTHS))
    prebuilt.write_arrow(pathways.every_pathway(data), folder / prebuilt.layout_file(pathways.EVERY))
    for name in levels.LAYOUTS:
        SNAPSHOT_CACHE.drop(data, ("levels", name))
    workshop_frames.forget_frames(data)
    SNAPSHOT_CACHE.drop(data, ("overview", overview.PERSON_MONTHS))
    SNAPSHOT_CACHE.drop(data, ("pathways", pathways.EVERY))


def _write(table: pl.DataFrame, path: Path) -> None:
    table.write_ipc(path, compression="uncompressed", compat_level=pl.CompatLevel.newest())


def attach(data: Data, version: Path, *, wait: bool = True) -> None:
    """Answer ``data``'s whole-network figures from ``version``'s rollups, building them first when this code
    has none (one process builds, under a lock; a version removed meanwhile is left alone). Without ``wait``,
    a missing build runs in a background thread and pages are answered from the rows until it is done."""
    target = version / folder_name()
    if not target.is_dir() and not wait:
        builder = threading.Thread(target=attach, args=(data, version), name="parcours-rollups", daemon=True)
        with _GUARD:
            _BUILDERS[id(data)] = builder
        builder.start()
        return
    if not target.is_dir():
        try:
            with (version / LOCK).open("a") as handle:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX)  # released on close, even if the process dies
                write(data, version)
        except OSError:  # the version was cleaned by a newer load, or the disk refuses: compute from the rows
            detach(data)
            return
    prebuilt.set_folder(data, target)
    weakref.finalize(data, _forget, id(data), target)


def wait(data: Data) -> None:
    """Until ``data``'s rollups are built (benchmarks and tests that measure or check them)."""
    with _GUARD:
        builder = _BUILDERS.get(id(data))
    if builder is not None:
        builder.join()


def detach(data: Data) -> None:
    """``data``'s figures are computed from the rows (benchmarks that measure the rows' path)."""
    prebuilt.drop(id(data))


def _forget(key: int, folder: Path) -> None:
    with _GUARD:
        _BUILDERS.pop(key, None)
    prebuilt.drop(key, folder)


def _labels(start: date, end: date, by: Granularity) -> list[str]:
    labels, day = [], start
    while day <= end:
        labels.append(label_of(day, by))
        day = period_bounds(day, by)[1] + timedelta(days=1)
    return labels


def answer(metric: str, data: Data, filters: Filters, options: dict[str, object]) -> pl.DataFrame | None:
    """``metric``'s raw table for ``filters`` read from a rollup; None when it must be computed from the rows
    (no rollup for this figure or snapshot, a list filter, an option, an open date, dates not on whole periods or
    outside the data's span). Open dates are left to the rows: without a start, a figure reads records dated
    before the first referral or entry (an assessment, a session), which the rollup's span leaves out."""
    figure = CATALOGUE.get(metric)
    if figure is None or not figure.by_period or prebuilt.folder_of(data) is None or options or filters.structures \
            or filters.person_level or filters != filters.snapped():
        return None
    whole = span(data, filters.by)
    start, end = filters.start, filters.end
    if whole is None or whole.start is None or whole.end is None or start is None or end is None:
        return None
    if start < whole.start or end > whole.end or start > end:
        return None
    table = prebuilt.table(data, f"{metric}.{filters.by}.arrow")
    if table is None:
        return None
    labels, periods = _labels(start, end, filters.by), table[figure.by_period]
    # Labels sort as their periods do (2024-03, 2024-Q1, 2024): the range's rows are one slice of the sorted table.
    low, high = periods.search_sorted(labels[0], "left"), periods.search_sorted(labels[-1], "right")
    return table.slice(low, high - low)
