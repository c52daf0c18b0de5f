"""Applying the non-date filters: which persons and which rows are selected.

Dates are not applied here: each figure has its own date (referral date,
exit date, assessment date, session date) and some need the previous period
too, so metrics apply the period themselves (see ``dashboard.periods``).

How each filter reads (documented for users in the definitions):
- structures: rows of those structures only;
- sex, age band: persons with that sex / age band at first contact;
- referral source: referrals from that source; for every other figure,
  persons with at least one referral from that source;
- program: referrals asking for it and support periods in it; for every
  other figure (needs, workshops), persons with at least one support period
  in that program or a referral asking for it.
"""

import weakref
from functools import cached_property

import polars as pl

from dashboard.data import Data
from dashboard.filters import Filters


def _in(column: str, values: tuple[str, ...]) -> pl.Expr:
    return pl.col(column).is_in(list(values)) if values else pl.lit(True)


class Selection:
    """The rows left by the non-date filters; same columns as ``Data``.

    Each table is filtered when a figure first reads it, then kept: a page reads a few of them, and a person
    filter's copy of every table would take gigabytes per process on a national network (half the rows of size XL
    for one sex: 2.5 GB).
    """

    def __init__(self, data: Data, filters: Filters) -> None:
        # A weak reference: selections are cached per snapshot (``metrics.common.selection``), and a strong one
        # would keep a replaced snapshot alive through its own cache.
        self._snapshot, self._filters = weakref.ref(data), filters
        self._restricted = filters.person_level or bool(filters.structures)

    @property
    def _data(self) -> Data:
        data = self._snapshot()
        if data is None:
            raise RuntimeError("the snapshot of this selection is gone")
        return data

    def _of_persons(self, frame: pl.DataFrame) -> pl.DataFrame:
        return frame.filter(pl.col("pid").is_in(self._pids)) if self._restricted else frame

    @cached_property
    def persons(self) -> pl.DataFrame:
        data, filters = self._data, self._filters
        persons = data.persons.filter(_in("structure_id", filters.structures), _in("sex", filters.sexes),
                                      _in("age_band", filters.age_bands))
        if filters.sources:
            referred = data.referrals.filter(_in("source", filters.sources))["pid"].unique()
            persons = persons.filter(pl.col("pid").is_in(referred.implode()))
        if filters.programs:
            supported = data.support_periods.filter(_in("program", filters.programs))["pid"].unique()
            asked = data.referrals.filter(_in("program", filters.programs))["pid"].unique()
            persons = persons.filter(pl.col("pid").is_in(pl.concat([supported, asked]).implode()))
        return persons

    @cached_property
    def _pids(self) -> pl.Series:
        return self.persons["pid"].implode()

    @cached_property
    def referrals(self) -> pl.DataFrame:
        return self._of_persons(self._data.referrals).filter(_in("source", self._filters.sources),
                                                             _in("program", self._filters.programs))

    @cached_property
    def support_periods(self) -> pl.DataFrame:
        return self._of_persons(self._data.support_periods).filter(_in("program", self._filters.programs))

    @cached_property
    def assessments(self) -> pl.DataFrame:
        return self._of_persons(self._data.assessments)

    @cached_property
    def attendances(self) -> pl.DataFrame:
        return self._of_persons(self._data.attendances)

    @cached_property
    def sessions(self) -> pl.DataFrame:
        return self._data.sessions.filter(_in("structure_id", self._filters.structures))

    @cached_property
    def workshops(self) -> pl.DataFrame:
        return self._data.workshops.filter(_in("structure_id", self._filters.structures))

    @cached_property
    def milestones(self) -> pl.DataFrame:
        return self._of_persons(self._data.milestones)

    def scan(self, table: str) -> pl.LazyFrame:
        """The selected rows of a table of persons' records (``assessments``, ``attendances``, ``milestones``) as a
        query over the snapshot's rows, nothing copied: for a figure that reads them once (a count of persons),
        where keeping a filtered copy would cost more memory than the query."""
        if table not in ("assessments", "attendances", "milestones"):
            raise ValueError(f"not a table of persons' records: {table}")
        if table in self.__dict__:  # already copied by another figure
            return getattr(self, table).lazy()
        rows = getattr(self._data, table).lazy()
        return rows.filter(pl.col("pid").is_in(self._pids)) if self._restricted else rows


def select_rows(data: Data, filters: Filters) -> Selection:
    """Apply structure, person-level, source and program filters (each table when it is first read)."""
    return Selection(data, filters)
