"""The figures store: raw figure tables computed once per snapshot version, read by every other process.

What matters: a figure read from the store is the computed one to the cell (so every process publishes the
same values); one computation per figure across threads and processes; a key that changes with the settings
and the code; nothing stored for keys that are not plain values, past the size cap, or for a version that a
newer load removed (which must stay removed).
"""

from __future__ import annotations

import gc
import multiprocessing
import threading
import time
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from dashboard import shared_figures, snapshot
from dashboard.catalogue import CATALOGUE
from dashboard.cohorts.definition import Cohort
from dashboard.data import data_version, read_data
from dashboard.disclosure import figures, raw_figures
from dashboard.filters import Filters
from models.db import get_engine

SELECTION = Filters(by="quarter", start=date(2023, 1, 1), end=date(2024, 12, 31), sexes=("F",))
COHORT = Cohort(name="2023", anchor="referral", start=date(2023, 1, 1), end=date(2023, 12, 31))


def _options(metric: str) -> dict[str, object]:
    return {"cohort": COHORT} if metric.startswith("cohort-") else {}


def _stored(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.arrow"))


def _table() -> pl.DataFrame:
    return pl.DataFrame({"period": [date(2024, 1, 1), date(2024, 2, 1)], "code": ["A", "TOTAL"],
                         "n": pl.Series([7, 12], dtype=pl.Int64)})


def test_every_figure_read_from_the_store_is_the_computed_one(demo_s_url: str, snapshot_dir: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARCOURS_DISCLOSURE", "protected")
    engine = get_engine(demo_s_url)
    database = read_data(engine)
    first = snapshot.load(engine)
    folder = shared_figures.folder_of(first)
    assert folder == snapshot.snapshot_root(engine) / data_version(engine) / shared_figures.FIGURES  # type: ignore[operator]
    for metric in CATALOGUE:
        raw_figures(metric, first, SELECTION, **_options(metric))
    assert len(_stored(folder)) == len(CATALOGUE)
    for metric in CATALOGUE:  # the gate asks some more (the figure a note compares with)
        for published in (False, True):
            figures(metric, first, SELECTION, published=published, **_options(metric))
    # A second mapping of the same version, as another process has: every raw table comes from the files.
    second = snapshot.load(engine)
    assert second is not first and shared_figures.folder_of(second) == folder
    stamps = {p: p.stat().st_mtime_ns for p in _stored(folder)}
    for metric in CATALOGUE:
        for published in (False, True):
            expected = figures(metric, database, SELECTION, published=published, **_options(metric))
            got = figures(metric, second, SELECTION, published=published, **_options(metric))
            assert_frame_equal(got.table, expected.table, check_exact=True)
            assert_frame_equal(got.cells, expected.cells, check_exact=True)
        assert_frame_equal(raw_figures(metric, second, SELECTION, **_options(metric)),
                           CATALOGUE[metric].compute(database, SELECTION, **_options(metric)), check_exact=True)
    assert {p: p.stat().st_mtime_ns for p in _stored(folder)} == stamps  # read, never written again


def test_one_computation_across_threads(tmp_path: Path) -> None:
    data = type("Snapshot", (), {})()
    shared_figures.attach(data, tmp_path / "v1" / shared_figures.FIGURES)
    (tmp_path / "v1").mkdir()
    calls: list[int] = []

    def compute() -> pl.DataFrame:
        calls.append(1)
        time.sleep(0.3)  # long enough for every thread to be waiting on the lock
        return _table()

    results: list[pl.DataFrame] = []
    threads = [threading.Thread(target=lambda: results.append(shared_figures.shared(data, ("m", 1), compute)))
               for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1 and len(results) == 4
    for result in results:
        assert_frame_equal(result, _table(), check_exact=True)


def _child(folder: str, marks: str, out: str) -> None:
    data = type("Snapshot", (), {})()
    shared_figures.attach(data, Path(folder))

    def compute() -> pl.DataFrame:
        with open(marks, "a") as handle:
            handle.write("computed\n")
        time.sleep(0.5)
        return _table()

    shared_figures.shared(data, ("m", 2), compute).write_csv(out)


def test_one_computation_across_processes(tmp_path: Path) -> None:
    (tmp_path / "v1").mkdir()
    folder = tmp_path / "v1" / shared_figures.FIGURES
    marks = tmp_path / "marks"
    context = multiprocessing.get_context("spawn")
    children = [context.Process(target=_child, args=(str(folder), str(marks), str(tmp_path / f"out{i}.csv")))
                for i in range(3)]
    for child in children:
        child.start()
    for child in children:
        child.join(60)
        assert child.exitcode == 0
    assert marks.read_text() == "computed\n"
    expected = _table().write_csv()
    assert [(tmp_path / f"out{i}.csv").read_text() for i in range(3)] == [expected] * 3


def test_the_key_follows_settings_and_code(monkeypatch: pytest.MonkeyPatch) -> None:
    key = ("referrals", Filters(by="year"), ())
    base = shared_figures.key_digest(key)
    assert base is not None and base == shared_figures.key_digest(("referrals", Filters(by="year"), ()))
    assert shared_figures.key_digest(("referrals", Filters(by="month"), ())) != base
    assert shared_figures.key_digest(("referrals", Filters(by="year", sexes=("F",)), ())) != base
    assert shared_figures.key_digest(("referrals", Filters(by="year"), (("by", "source"),))) != base
    monkeypatch.setenv("PARCOURS_MIN_CELL", "7")
    assert shared_figures.key_digest(key) != base
    monkeypatch.delenv("PARCOURS_MIN_CELL")
    assert shared_figures.key_digest(key) == base
    monkeypatch.setattr(shared_figures, "code_fingerprint", lambda: "another release")
    assert shared_figures.key_digest(key) != base
    # A secret never goes into a file name: the snapshot folder already depends on it.
    monkeypatch.setenv("PARCOURS_PSEUDONYM_KEY", "a secret")
    assert "PARCOURS_PSEUDONYM_KEY" in shared_figures.SECRET_SETTINGS


def test_keys_that_are_not_plain_values_are_not_stored(tmp_path: Path) -> None:
    (tmp_path / "v1").mkdir()
    folder = tmp_path / "v1" / shared_figures.FIGURES
    data = type("Snapshot", (), {})()
    shared_figures.attach(data, folder)
    calls: list[int] = []

    def compute() -> pl.DataFrame:
        calls.append(1)
        return _table()

    members = frozenset({1, 2, 3})  # a member set: not a plain value
    assert shared_figures.key_digest(("time-to-exit", Filters(), (("members", members),))) is None
    for _ in range(2):
        assert_frame_equal(shared_figures.shared(data, ("m", members), compute), _table())
    assert len(calls) == 2 and not folder.exists()


def test_a_removed_version_stays_removed(tmp_path: Path) -> None:
    """A process still mapping a version that a newer load cleaned computes its figures itself."""
    folder = tmp_path / "gone" / shared_figures.FIGURES
    data = type("Snapshot", (), {})()
    shared_figures.attach(data, folder / "scope-x")
    assert_frame_equal(shared_figures.shared(data, ("m", 3), _table), _table())
    assert not (tmp_path / "gone").exists()


def test_nothing_is_stored_past_the_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "v1").mkdir()
    folder = tmp_path / "v1" / shared_figures.FIGURES
    data = type("Snapshot", (), {})()
    shared_figures.attach(data, folder)
    monkeypatch.setattr(shared_figures, "MAX_STORE_BYTES", _table().estimated_size() * 3 // 2)
    assert_frame_equal(shared_figures.shared(data, ("m", 4), _table), _table())
    assert len(_stored(folder)) == 1
    assert_frame_equal(shared_figures.shared(data, ("m", 5), _table), _table())
    assert len(_stored(folder)) == 1  # the second would pass the cap


def test_a_scope_has_its_own_folder_and_unattached_data_none(tmp_path: Path) -> None:
    (tmp_path / "v1").mkdir()
    whole, part, other, loose = (type("Snapshot", (), {})() for _ in range(4))
    shared_figures.attach(whole, tmp_path / "v1" / shared_figures.FIGURES)
    shared_figures.attach_scoped(whole, part, (("S01",), (), ("S01",)))
    shared_figures.attach_scoped(whole, other, (("S02",), (), ("S02",)))
    paths = [shared_figures.folder_of(d) for d in (whole, part, other)]
    assert paths[1] is not None and paths[1].parent == paths[0] and paths[1].name.startswith("scope-")
    assert paths[1] != paths[2]
    assert shared_figures.folder_of(loose) is None
    shared_figures.attach_scoped(loose, part, ("S03",))  # a whole without a store gives its parts none
    assert shared_figures.folder_of(part) == paths[1]


def test_a_snapshot_gone_leaves_no_folder_behind_its_id(tmp_path: Path) -> None:
    """Python reuses ids: a new object must never find the folder of a dead snapshot."""
    data = type("Snapshot", (), {})()
    shared_figures.attach(data, tmp_path / shared_figures.FIGURES)
    number = id(data)
    del data
    gc.collect()
    assert number not in shared_figures._FOLDERS


def test_a_detached_snapshot_computes_every_time(tmp_path: Path) -> None:
    """What the benchmarks use to time the computation itself."""
    (tmp_path / "v1").mkdir()
    data = type("Snapshot", (), {})()
    shared_figures.attach(data, tmp_path / "v1" / shared_figures.FIGURES)
    shared_figures.shared(data, ("m", 6), _table)
    shared_figures.detach(data)
    calls: list[int] = []

    def compute() -> pl.DataFrame:
        calls.append(1)
        return _table()

    shared_figures.shared(data, ("m", 6), compute)
    assert shared_figures.folder_of(data) is None and calls == [1]
