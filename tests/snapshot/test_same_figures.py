"""Every figure of the catalogue is the same, to the cell, from the on-disk snapshot and from the database.

Both the exact mode and the protected mode (cell-key perturbation: the record keys must travel with the rows
for the noise to be the same), on screen and at the published level.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from polars.testing import assert_frame_equal

from dashboard import rollups, snapshot
from dashboard.catalogue import CATALOGUE
from dashboard.cohorts.definition import Cohort
from dashboard.data import Data, read_data
from dashboard.disclosure import figures
from dashboard.filters import Filters
from models.db import get_engine

SELECTIONS = [
    Filters(by="year", start=date(2018, 1, 1), end=date(2025, 12, 31)),
    Filters(by="quarter", start=date(2024, 1, 1), end=date(2024, 12, 31), sexes=("F",)),
]
COHORT = Cohort(name="2023", anchor="referral", start=date(2023, 1, 1), end=date(2023, 12, 31))


def _options(metric: str) -> dict[str, object]:
    """The cohort figures need a cohort (the others take none)."""
    return {"cohort": COHORT} if metric.startswith("cohort-") else {}


@pytest.fixture(scope="module")
def both(demo_s_url: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Data, Data]:
    folder = tmp_path_factory.mktemp("snapshots")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PARCOURS_SNAPSHOT_DIR", str(folder))
        engine = get_engine(demo_s_url)
        from_disk = snapshot.load(engine)
        root = snapshot.snapshot_root(engine)
    assert root is not None and [p.name for p in root.iterdir() if not p.name.startswith(".")] != []
    return read_data(engine), from_disk


def test_every_frame_is_identical_with_its_record_keys(both: tuple[Data, Data]) -> None:
    database, disk = both
    for name in snapshot.FRAMES:
        assert_frame_equal(getattr(disk, name), getattr(database, name), check_exact=True)
    assert {"pid", "pk", "first_contact", "age", "age_band"} <= set(disk.persons.columns)
    assert {"pk", "ek"} <= set(disk.attendances.columns) and disk.attendances["ek"].n_unique() > 100


@pytest.mark.parametrize("mode", ["exact", "protected"])
@pytest.mark.parametrize("published", [False, True], ids=["screen", "published"])
@pytest.mark.parametrize("metric", list(CATALOGUE))
def test_the_figure_is_the_same_to_the_cell(both: tuple[Data, Data], metric: str, mode: str, published: bool,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARCOURS_DISCLOSURE", mode)
    database, disk = both
    for filters in SELECTIONS:
        expected = figures(metric, database, filters, published=published, **_options(metric))
        got = figures(metric, disk, filters, published=published, **_options(metric))
        assert got.mode == mode and got.too_small == expected.too_small, (metric, filters)
        assert_frame_equal(got.table, expected.table, check_exact=True)
        assert_frame_equal(got.cells, expected.cells, check_exact=True)
        assert (got.k, got.row_k, got.notes) == (expected.k, expected.row_k, expected.notes)


def test_the_fixture_has_figures_worth_comparing(both: tuple[Data, Data], monkeypatch: pytest.MonkeyPatch) -> None:
    """Most figures show something and the noise changes some of them, so the comparison above does test both."""
    database, _ = both
    shown = noisy = 0
    for metric in CATALOGUE:
        monkeypatch.setenv("PARCOURS_DISCLOSURE", "exact")
        exact = figures(metric, database, SELECTIONS[0], published=False, **_options(metric))
        monkeypatch.setenv("PARCOURS_DISCLOSURE", "protected")
        protected = figures(metric, database, SELECTIONS[0], published=False, **_options(metric))
        shown += not exact.too_small and exact.table.height > 0
        noisy += not exact.table.equals(protected.table)
    assert shown >= len(CATALOGUE) // 2 and noisy > 0, (shown, noisy)


def test_the_snapshot_folder_is_named_by_the_data_version(demo_s_url: str, snapshot_dir: Path) -> None:
    from dashboard.data import data_version

    engine = get_engine(demo_s_url)
    rollups.wait(snapshot.load(engine))
    root = snapshot.snapshot_root(engine)
    assert root is not None and root.parent == snapshot_dir
    assert sorted(p.name for p in root.iterdir()) == [snapshot.LOCK, data_version(engine)]
    version = root / data_version(engine)
    assert sorted(p.name for p in version.iterdir()) == sorted(
        [*(f"{n}.arrow" for n in snapshot.FRAMES), rollups.LOCK, rollups.folder_name()])
    for folder in (snapshot_dir, root, version, version / rollups.folder_name()):  # personal data: the owner only
        assert folder.stat().st_mode & 0o777 == 0o700, folder
