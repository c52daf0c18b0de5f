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

from dataclasses import dataclass

import polars as pl

from dashboard.data import Data
from dashboard.filters import Filters


@dataclass(frozen=True)
class Selection:
    """The rows left by the non-date filters; same columns as ``Data``."""

    persons: pl.DataFrame
    referrals: pl.DataFrame
    support_periods: pl.DataFrame
    assessments: pl.DataFrame
    attendances: pl.DataFrame
    sessions: pl.DataFrame
    workshops: pl.DataFrame
    milestones: pl.DataFrame


def _in(column: str, values: tuple[str, ...]) -> pl.Expr:
    return pl.col(column).is_in(list(values)) if values else pl.lit(True)


def select_rows(data: Data, filters: Filters) -> Selection:
    """Apply structure, person-level, source and program filters."""
    in_structures = _in("structure_id", filters.structures)
    persons = data.persons.filter(in_structures, _in("sex", filters.sexes), _in("age_band", filters.age_bands))
    if filters.sources:
        referred = data.referrals.filter(_in("source", filters.sources))["pid"].unique()
        persons = persons.filter(pl.col("pid").is_in(referred.implode()))
    if filters.programs:
        supported = data.support_periods.filter(_in("program", filters.programs))["pid"].unique()
        asked = data.referrals.filter(_in("program", filters.programs))["pid"].unique()
        persons = persons.filter(pl.col("pid").is_in(pl.concat([supported, asked]).implode()))

    restricted = filters.person_level or bool(filters.structures)
    pids = persons["pid"].implode()

    def of_persons(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.filter(pl.col("pid").is_in(pids)) if restricted else frame

    referrals = of_persons(data.referrals).filter(_in("source", filters.sources), _in("program", filters.programs))
    supports = of_persons(data.support_periods).filter(_in("program", filters.programs))
    return Selection(
        persons=persons,
        referrals=referrals,
        support_periods=supports,
        assessments=of_persons(data.assessments),
        attendances=of_persons(data.attendances),
        sessions=data.sessions.filter(in_structures),
        workshops=data.workshops.filter(in_structures),
        milestones=of_persons(data.milestones),
    )
