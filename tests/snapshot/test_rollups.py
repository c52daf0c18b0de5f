"""Whole-network figures read from the tables built with the snapshot (``dashboard.rollups``) are the figures
computed from the rows, to the cell, for every range of whole periods; anything else is computed from the rows."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from dashboard import prebuilt, rollups
from dashboard.catalogue import CATALOGUE
from dashboard.data import Data
from dashboard.disclosure import _PROTECTED, _RAW, figures
from dashboard.filters import Filters
from tests.snapshot.ranges import whole_period_ranges

PER_PERIOD = rollups.per_period()


def test_the_tables_are_written_with_the_snapshot(mapped: tuple[Data, Path]) -> None:
    _, version = mapped
    folder = version / rollups.folder_name()
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted([*(f"{m}.{by}.arrow" for m in PER_PERIOD for by in ("month", "quarter", "year")),
                            *(prebuilt.range_file(name) for name in rollups.RANGE_TABLES),
                            *(prebuilt.layout_file(f"levels.{name}") for name in ("domain", "kind", "pillar")),
                            *(prebuilt.layout_file(f"workshops.{name}")
                              for name in ("sessions", "session_months", "monthly", "totals")),
                            prebuilt.layout_file("overview.person-months"), prebuilt.layout_file("pathways.every")])
    assert set(PER_PERIOD) == {
        "referrals-by-source", "needs-over-time", "needs-by-kind", "needs-by-pillar", "workshop-cohorts",
        "workshop-attendance", "workshop-by-category", "exits", "exits-by-housing", "exits-by-employment",
    }


@pytest.mark.parametrize("metric", PER_PERIOD)
def test_a_rollup_gives_the_figure_of_the_rows_to_the_cell(mapped: tuple[Data, Path], metric: str) -> None:
    data, _ = mapped
    checked = 0
    for filters in whole_period_ranges(data):
        rolled = rollups.answer(metric, data, filters, {})
        assert rolled is not None, filters
        computed = CATALOGUE[metric].compute(data, filters)
        assert_frame_equal(rolled, computed, check_exact=True)
        checked += rolled.height
    assert checked > 50  # real rows were compared, not empty tables


def test_the_published_figure_is_the_same_from_the_rollup(mapped: tuple[Data, Path],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    data, version = mapped
    monkeypatch.setenv("PARCOURS_DISCLOSURE", "protected")
    filters = whole_period_ranges(data)[3]
    answers = []
    for attached in (True, False):
        _RAW._slots.clear()
        _PROTECTED._slots.clear()
        if not attached:
            rollups.detach(data)
        answers.append(figures("needs-over-time", data, filters, published=True).table)
    rollups.attach(data, version)
    assert answers[0].height > 5
    assert_frame_equal(answers[0], answers[1], check_exact=True)


@pytest.mark.parametrize("change", [
    {"structures": ("S01",)}, {"sexes": ("F",)}, {"sources": ("SPIP",)}, {"programs": ("ATELIERS",)},
    {"age_bands": ("26_44",)}, {"start": None}, {"end": None}, {"start": date(2024, 1, 15)},
    {"start": date(1990, 1, 1)}, {"end": date(2099, 12, 31)},
], ids=["structure", "sex", "source", "program", "age", "open-start", "open-end", "mid-period", "before", "after"])
def test_anything_but_the_whole_network_on_whole_periods_is_computed_from_the_rows(
        mapped: tuple[Data, Path], change: dict[str, object]) -> None:
    data, _ = mapped
    base = whole_period_ranges(data)[0]
    assert rollups.answer("exits", data, base, {}) is not None
    assert rollups.answer("exits", data, base.with_(**change), {}) is None
    assert rollups.answer("exits", data, base, {"workshops": ("A1",)}) is None
    assert rollups.answer("distance-travelled", data, base, {}) is None  # over the range, not by period


def test_new_code_builds_its_own_tables_and_a_removed_version_stays_removed(
        mapped: tuple[Data, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new release builds its own tables and removes the previous release's, and what a build that died left
    half written (they would pile up: 2.5 GB each on XL); a version removed meanwhile is not recreated."""
    data, version = mapped
    before = rollups.folder_name()
    names = sorted(p.name for p in (version / before).iterdir())
    dead = version / ".rollups-0badbeef"
    dead.mkdir()
    (dead / "overview.month.arrow").write_bytes(b"half")
    monkeypatch.setattr(rollups, "code_fingerprint", lambda: "f" * 64)  # what a new release's sources give
    assert rollups.folder_name() == "rollups-" + "f" * 16
    rollups.attach(data, version, wait=False)
    rollups.wait(data)
    assert (version / rollups.folder_name()).is_dir()
    assert not (version / before).exists() and not dead.exists()
    assert sorted(p.name for p in (version / rollups.folder_name()).iterdir()) == names
    gone = tmp_path / "removed-version"
    rollups.attach(data, gone)  # the lock cannot be taken in a folder that no longer exists
    assert not gone.exists()
    assert rollups.answer("exits", data, whole_period_ranges(data)[0], {}) is None  # computed from the rows
    rollups.attach(data, version)
    assert rollups.answer("exits", data, whole_period_ranges(data)[0], {}) is not None


def test_no_metric_reads_a_setting() -> None:
    """The tables are named after the code alone: a raw figure must not depend on any setting."""
    root = Path(__file__).resolve().parents[2] / "dashboard"
    sources = [*(root / "metrics").glob("*.py"), *(root / "catalogue").glob("*.py"), root / "selection.py",
               root / "periods.py", root / "filters.py", root / "rollups.py"]
    for path in sources:
        text = path.read_text(encoding="utf-8")
        for word in ("get_setting", "server_setting", "os.environ", "getenv", "st.secrets"):
            assert word not in text, f"{path.name} reads a setting ({word})"


@pytest.mark.parametrize("change", [{}, {"structures": ("S01",)}, {"sexes": ("F",)}, {"by": "quarter"}, {"by": "year"}],
                         ids=["network", "structure", "sex", "quarter", "year"])
def test_the_overview_counts_attendances_from_person_months_as_from_the_attendances(
        mapped: tuple[Data, Path], change: dict[str, object], monkeypatch: pytest.MonkeyPatch) -> None:
    from dashboard.metrics import overview as module

    data, _ = mapped
    assert data.last_day is not None
    shown = []
    for filters in (Filters(**change), Filters(start=date(2023, 3, 1), end=date(2024, 2, 29), **change)):  # type: ignore[arg-type]
        filters = filters.snapped()
        months = module.overview(data, filters)
        with monkeypatch.context() as patch:
            patch.setattr(module, "_whole_months", lambda *_: None)  # the attendances themselves
            rows = module.overview(data, filters)
        assert_frame_equal(months, rows, check_exact=True)
        shown.append(months.filter(pl.col("figure") == "workshop_participants")["value"].item())
    assert min(shown) > 5  # persons were counted, not an empty range
    assert module.person_months(data)["present"].sum() == (data.attendances["presence"] == "PRESENT").sum()
