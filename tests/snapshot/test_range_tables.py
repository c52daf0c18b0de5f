"""Figures over a range read from the tables of counts per month and previous month (``range_persons``), built
once per data version: the counts of the rows, to the cell, whatever the range; a hand example of the method."""

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
from dashboard.metrics import range_persons
from tests.snapshot.ranges import whole_period_ranges

# The figure each range table answers (``rollups.RANGE_TABLES``).
ANSWERED = {
    "overview": "overview", "referrals-by-territory": "referrals-by-territory",
    "workshop-by-facilitator": "workshop-by-facilitator", "workshop-by-co-construction": "workshop-by-co-construction",
    "time-to-exit": "time-to-exit",
}


def _events(*rows: tuple[int, int, int, int]) -> pl.LazyFrame:
    m, pid, pk, ek = zip(*rows, strict=True)
    return pl.LazyFrame({"m": m, "pid": pid, "pk": pk, "ek": ek},
                        schema={"m": pl.Int32, "pid": pl.UInt32, "pk": pl.Int64, "ek": pl.Int64})


# (month, person, person key, event key): person 1 in months 0, 1, 3; person 2 twice in month 1, then 3;
# person 3 in month 2. Person keys 4000 + 100 + 40 add up past KEY_RANGE (4096).
HAND = _events((0, 1, 4000, 1), (1, 1, 4000, 2), (3, 1, 4000, 4), (1, 2, 100, 8), (1, 2, 100, 16), (3, 2, 100, 32),
               (2, 3, 40, 64))


def test_the_table_holds_each_persons_months_with_the_month_before() -> None:
    table = range_persons.build({"a": HAND})
    assert table.select("m", "prev", "events", "ek", "persons", "pk").rows() == [
        (0, -1, 1, 1, 1, 4000),  # person 1's first month
        (1, -1, 2, 24, 1, 100),  # person 2's first month, two events summed
        (1, 0, 1, 2, 1, 4000),  # person 1 again, last seen in month 0
        (2, -1, 1, 64, 1, 40),
        (3, 1, 2, 36, 2, 4100),  # persons 1 and 2, both last seen in month 1
    ]
    assert table["c"].unique().to_list() == ["a"]


@pytest.mark.parametrize(("first", "last", "expected"), [
    (0, 3, (7, 127, 3, (4000 + 100 + 40) % 4096)),
    (1, 1, (3, 26, 2, 4100 % 4096)),  # persons 1 and 2
    (1, 2, (4, 90, 3, 4140 % 4096)),  # persons 1, 2 and 3
    (2, 3, (3, 100, 3, 4140 % 4096)),  # person 3 in month 2, persons 1 and 2 in month 3: three persons
    (3, 3, (2, 36, 2, 4100 % 4096)),
    (4, 9, (0, 0, 0, 0)),  # nothing there
    (-(2**31), 2**31 - 1, (7, 127, 3, 4140 % 4096)),  # open ends (``whole_months``)
])
def test_a_range_counts_its_events_and_each_person_once(first: int, last: int,
                                                        expected: tuple[int, int, int, int]) -> None:
    counted = range_persons.in_range(range_persons.build({"a": HAND}), first, last)
    assert counted.select("events", "_ck", "persons", "_pk").row(0) == expected


def test_each_group_has_its_own_previous_month() -> None:
    rows = HAND.with_columns(pl.when(pl.col("m") == 3).then(pl.lit("y")).otherwise(pl.lit("x")).alias("g"))
    counted = range_persons.in_range(range_persons.build({"a": rows}, ["g"]), 1, 3, ["g", "c"])
    # In x: persons 1 and 2 (month 1) and 3 (month 2); in y, month 3: persons 1 and 2, new to y.
    assert counted.select("g", "events", "persons").rows() == [("x", 4, 3), ("y", 2, 2)]


def test_whole_months_reads_the_filters_dates() -> None:
    assert range_persons.whole_months(Filters(start=date(2024, 2, 1), end=date(2024, 4, 30))) == (24289, 24291)
    assert range_persons.whole_months(Filters(end=date(2024, 1, 31))) == (-(2**31), 24288)
    assert range_persons.whole_months(Filters(start=date(2024, 2, 1))) == (24289, 2**31 - 1)
    assert range_persons.whole_months(Filters(start=date(2024, 2, 2))) is None
    assert range_persons.whole_months(Filters(end=date(2024, 2, 28))) is None  # 2024 is a leap year


def _ranges(data: Data) -> list[Filters]:
    """Whole periods, open ends, ranges before and after the data, a year of months across two years."""
    assert data.last_day is not None
    year = data.last_day.year
    return [*whole_period_ranges(data), Filters(), Filters(start=date(year - 1, 1, 1)), Filters(end=date(year - 1, 6, 30)),
            Filters(start=date(1990, 1, 1), end=date(1991, 12, 31)), Filters(start=date(year - 2, 7, 1), end=date(year - 1, 6, 30))]


def _from_rows(data: Data, version: Path, compute: object) -> pl.DataFrame:
    folder = prebuilt.folder_of(data)
    rollups.detach(data)
    try:
        return compute()  # type: ignore[operator]
    finally:
        assert folder is not None
        prebuilt.set_folder(data, folder)


@pytest.mark.parametrize("table", list(ANSWERED))
def test_a_figure_over_a_range_from_its_table_is_the_figure_of_the_rows(mapped: tuple[Data, Path], table: str) -> None:
    data, version = mapped
    assert prebuilt.range_table(data, table) is not None
    metric = CATALOGUE[ANSWERED[table]]
    counted = 0
    for filters in _ranges(data):
        from_table = metric.compute(data, filters)
        from_rows = _from_rows(data, version, lambda f=filters: metric.compute(data, f))
        assert_frame_equal(from_table, from_rows, check_exact=True)
        counted += from_table.height
    assert counted >= 20  # real rows were compared (co-construction has two rows a range)


@pytest.mark.parametrize("table", list(ANSWERED))
def test_the_figure_is_read_from_its_table(mapped: tuple[Data, Path], table: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparison above compares two paths: a table with one count changed changes the whole network's figure
    (so the table is read), not a structure's (computed from the rows)."""
    data, _ = mapped
    original = prebuilt.range_table(data, table)
    assert original is not None
    changed = original.with_columns(pl.col("events") + 1, pl.col("persons") + 1)
    read = prebuilt.range_table
    monkeypatch.setattr(prebuilt, "range_table",
                        lambda d, name: changed if name == table and prebuilt.folder_of(d) is not None else read(d, name))
    network = whole_period_ranges(data)[0]
    structure = network.with_(structures=(data.structures["structure_id"][0],))
    metric = CATALOGUE[ANSWERED[table]]
    assert not metric.compute(data, network).equals(_from_rows(data, mapped[1], lambda: metric.compute(data, network)))
    assert metric.compute(data, structure).equals(_from_rows(data, mapped[1], lambda: metric.compute(data, structure)))


def test_the_published_figures_are_the_same_from_the_tables(mapped: tuple[Data, Path],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    data, version = mapped
    monkeypatch.setenv("PARCOURS_DISCLOSURE", "protected")
    filters = whole_period_ranges(data)[3]
    for metric in ANSWERED.values():
        answers = []
        for attached in (True, False):
            _RAW._slots.clear()
            _PROTECTED._slots.clear()
            compute = lambda m=metric: figures(m, data, filters, published=True).table  # noqa: E731
            answers.append(compute() if attached else _from_rows(data, version, compute))
        assert answers[0].height >= 1 and answers[0].select(pl.exclude(pl.String)).sum_horizontal().sum() > 0, metric
        assert_frame_equal(answers[0], answers[1], check_exact=True)


def test_an_open_support_period_is_counted_from_the_rows_past_the_last_year_of_data(mapped: tuple[Data, Path]) -> None:
    """The overview's table counts open periods up to December of the last year of data; a range ending later
    (a link may ask for it) is counted from the rows, and gives the same figure as the range ending in December."""
    data, _ = mapped
    assert data.last_day is not None
    year = data.last_day.year
    inside = CATALOGUE["overview"].compute(data, Filters(start=date(year, 1, 1), end=date(year, 12, 31)))
    beyond = CATALOGUE["overview"].compute(data, Filters(start=date(year, 1, 1), end=date(year + 1, 1, 31)))
    accompanied = pl.col("figure") == "persons_accompanied"
    assert inside.filter(accompanied)["value"].item() > 0
    assert inside.filter(accompanied)["value"].item() == beyond.filter(accompanied)["value"].item()


def test_time_to_exit_with_its_bands_from_the_tables_is_the_figure_of_the_rows(mapped: tuple[Data, Path]) -> None:
    """Estimates, bands, persons at risk and group sizes over any range, from the two tables (persons by kind, and
    subjects per program, entry month, time and event), to the last bit of every float."""
    data, version = mapped
    metric = CATALOGUE["time-to-exit"]
    compared = 0
    for filters in _ranges(data):
        from_tables = metric.compute(data, filters, bands=True)
        assert_frame_equal(from_tables, _from_rows(data, version, lambda f=filters: metric.compute(data, f, bands=True)),
                           check_exact=True)
        compared += from_tables.filter(pl.col("at_risk") > 0).height
    assert compared >= 50


def test_time_to_exit_estimates_are_fitted_on_the_times_table(mapped: tuple[Data, Path],
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Every subject of the times table turned into a housing exit (on day 10 at the earliest) moves the estimates
    (so the table is read), not the persons at risk (read from the other table),
    and the figure for a structure is still that of the rows; other days than ``DAYS`` are computed from the rows."""
    data, version = mapped
    original = prebuilt.range_table(data, "time-to-exit-times")
    assert original is not None
    changed = original.with_columns(pl.col("time").clip(lower_bound=10), pl.lit(1, pl.Int8).alias("event"))
    read = prebuilt.range_table
    monkeypatch.setattr(prebuilt, "range_table", lambda d, name: changed if name == "time-to-exit-times"
                        and prebuilt.folder_of(d) is not None else read(d, name))
    network = whole_period_ranges(data)[0]
    metric = CATALOGUE["time-to-exit"]
    rows = _from_rows(data, version, lambda: metric.compute(data, network))
    read_from_table = metric.compute(data, network)
    assert read_from_table["at_risk"].equals(rows["at_risk"])  # persons at risk come from the other table
    assert not read_from_table["survival"].equals(rows["survival"])
    structure = network.with_(structures=(data.structures["structure_id"][0],))
    assert metric.compute(data, structure).equals(_from_rows(data, version, lambda: metric.compute(data, structure)))
    days = (7, 45)
    assert metric.compute(data, network, days=days).equals(
        _from_rows(data, version, lambda: metric.compute(data, network, days=days)))
