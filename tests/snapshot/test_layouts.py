"""The layouts built once per data version and mapped by every app process (``prebuilt.layout``): needs' levels,
workshops' integer frames, the overview's person-months. The same rows as each process would build, the figures
of the rows, read from the files, not copied."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from dashboard import prebuilt, rollups
from dashboard.catalogue import CATALOGUE
from dashboard.data import Data
from dashboard.filters import Filters
from dashboard.metrics import levels, overview, pathways, workshop_frames
from dashboard.metrics.common import SNAPSHOT_CACHE
from tests.snapshot.ranges import whole_period_ranges

NEEDS = ("needs-over-time", "needs-by-kind", "needs-by-pillar", "distance-travelled")
OTHERS = ("workshop-attendance", "workshop-by-category", "workshop-cohorts", "workshop-retention", "overview")


def _forget(data: Data) -> None:
    """Drop this process's layouts of ``data``: the next figure reads them again (mapped, or built from rows)."""
    for layout in levels.LAYOUTS:
        SNAPSHOT_CACHE.drop(data, ("levels", layout))
    workshop_frames.forget_frames(data)
    SNAPSHOT_CACHE.drop(data, ("overview", overview.PERSON_MONTHS))
    SNAPSHOT_CACHE.drop(data, ("pathways", pathways.EVERY))


def _built(data: Data, name: str) -> levels.Layout:
    """The layout as a process builds it from the rows (no folder: nothing mapped)."""
    folder = prebuilt.folder_of(data)
    rollups.detach(data)
    SNAPSHOT_CACHE.drop(data, ("levels", name))
    try:
        return levels.layout_of(data, name)
    finally:
        for layout in levels.LAYOUTS:
            SNAPSHOT_CACHE.drop(data, ("levels", layout))
        assert folder is not None
        prebuilt.set_folder(data, folder)


@pytest.mark.parametrize("name", levels.LAYOUTS)
def test_the_mapped_layout_is_the_layout_built_from_the_rows(mapped: tuple[Data, Path], name: str) -> None:
    data, _ = mapped
    found = prebuilt.layout(data, f"levels.{name}")
    assert found is not None
    built = _built(data, name)
    layout = levels.layout_of(data, name)
    assert layout.frame is found[0]  # the mapped frame itself, not a copy
    assert built.frame.height > 1000
    assert_frame_equal(layout.frame, built.frame, check_exact=True)
    assert (layout.domains, layout.groups) == (built.domains, built.groups)
    assert np.array_equal(layout.offsets, built.offsets)


def test_the_layout_file_is_mapped_not_copied(mapped: tuple[Data, Path]) -> None:
    """The layout's frame is the file's mapping: the file is mapped into this process while the frame lives (a copy
    read into memory would leave no mapping of it)."""
    data, version = mapped
    frame = levels.by_domain(data).frame
    path = next(version.glob(f"rollups-*/{prebuilt.layout_file('levels.domain')}")).resolve()
    maps = Path("/proc/self/maps").read_text(encoding="utf-8")
    assert frame.height > 1000 and str(path) in maps


def _figure_ranges(data: Data) -> list[Filters]:
    assert data.last_day is not None
    structure = (data.structures["structure_id"][0],)
    return [*whole_period_ranges(data)[:6], Filters(sexes=("F",)), Filters(structures=structure, by="quarter"),
            Filters(start=date(data.last_day.year - 1, 3, 17), end=data.last_day, age_bands=("26_44",))]


@pytest.mark.parametrize("metric", NEEDS + OTHERS)
def test_figures_from_the_mapped_layouts_are_those_of_the_rows(mapped: tuple[Data, Path], metric: str) -> None:
    data, _ = mapped
    compute = CATALOGUE[metric].compute
    rows = 0
    for filters in _figure_ranges(data):
        _forget(data)
        from_files = compute(data, filters)
        folder = prebuilt.folder_of(data)
        rollups.detach(data)
        _forget(data)
        try:
            from_rows = compute(data, filters)
        finally:
            _forget(data)
            assert folder is not None
            prebuilt.set_folder(data, folder)
        assert_frame_equal(from_files, from_rows, check_exact=True)
        rows += from_files.height
    assert rows > 8


@pytest.mark.parametrize("name", workshop_frames.STORED)
def test_the_mapped_workshop_frames_are_those_built_from_the_rows(mapped: tuple[Data, Path], name: str) -> None:
    data, _ = mapped
    found = prebuilt.layout(data, f"workshops.{name}")
    assert found is not None and found[0].height > 100
    folder = prebuilt.folder_of(data)
    rollups.detach(data)
    _forget(data)
    try:
        built = workshop_frames.stored_frames(data)[name]
    finally:
        _forget(data)
        assert folder is not None
        prebuilt.set_folder(data, folder)
    assert workshop_frames.stored_frames(data)[name] is found[0]
    assert_frame_equal(found[0], built, check_exact=True)


def test_the_mapped_person_months_are_those_built_from_the_rows(mapped: tuple[Data, Path]) -> None:
    data, _ = mapped
    _forget(data)
    found = overview.person_months(data)
    folder = prebuilt.folder_of(data)
    rollups.detach(data)
    _forget(data)
    try:
        built = overview.person_months(data)
    finally:
        _forget(data)
        assert folder is not None
        prebuilt.set_folder(data, folder)
    mapped_file = prebuilt.layout(data, overview.PERSON_MONTHS)
    assert mapped_file is not None and overview.person_months(data) is mapped_file[0]
    assert found.height > 100
    assert_frame_equal(found, built, check_exact=True)


def test_a_changed_layout_file_changes_the_figure(mapped: tuple[Data, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """The figures above are read from the files: every level raised by one in the mapped layout moves the needs."""
    data, _ = mapped
    original = prebuilt.layout
    found = original(data, "levels.domain")
    assert found is not None
    filters = whole_period_ranges(data)[0].with_(sexes=("F",))  # a person filter: computed from the layout
    before = CATALOGUE["needs-over-time"].compute(data, filters)
    raised = found[0].with_columns((pl.col("level") + 1).clip(upper_bound=5).cast(pl.Int8))
    monkeypatch.setattr(prebuilt, "layout", lambda d, name: (raised, found[1]) if name == "levels.domain" else original(d, name))
    SNAPSHOT_CACHE.drop(data, ("levels", "domain"))
    try:
        after = CATALOGUE["needs-over-time"].compute(data, filters)
    finally:
        SNAPSHOT_CACHE.drop(data, ("levels", "domain"))
    assert not after.equals(before)


def test_pathways_from_the_mapped_table_are_those_of_the_rows(mapped: tuple[Data, Path]) -> None:
    """The Sankey's rows (every support period as a pathway, mapped) give each filter's pathways as the rows do."""
    data, _ = mapped
    for filters in _figure_ranges(data):
        _forget(data)
        from_file = pathways.pathways(data, filters)
        assert pathways.every_pathway(data) is not None
        folder = prebuilt.folder_of(data)
        rollups.detach(data)
        _forget(data)
        try:
            from_rows = pathways.pathways(data, filters)
        finally:
            _forget(data)
            assert folder is not None
            prebuilt.set_folder(data, folder)
        assert_frame_equal(from_file, from_rows, check_exact=True)
    mapped_file = prebuilt.layout(data, pathways.EVERY)
    assert mapped_file is not None and mapped_file[0].height > 100
    assert pathways.every_pathway(data) is mapped_file[0]


def test_a_signed_in_persons_snapshot_never_reads_the_networks_layouts(mapped: tuple[Data, Path]) -> None:
    """A snapshot restricted to a person's structures (``restrict``) is a new ``Data`` without a folder: its layouts
    are built from its own rows, never mapped from the whole network's files (which hold every structure)."""
    from dashboard.accounts.access import Access
    from dashboard.data import restrict

    data, _ = mapped
    network = prebuilt.layout(data, "levels.domain")
    assert network is not None and network[0].height > 1000
    elsewhere = restrict(data, Access(structures=frozenset({"NO-SUCH-STRUCTURE"})))
    assert prebuilt.folder_of(elsewhere) is None and prebuilt.layout(elsewhere, "levels.domain") is None
    assert levels.by_domain(elsewhere).frame.height == 0
    assert overview.person_months(elsewhere).height == 0 and pathways.every_pathway(elsewhere).height == 0
    assert workshop_frames.stored_frames(elsewhere)["monthly"].height == 0
