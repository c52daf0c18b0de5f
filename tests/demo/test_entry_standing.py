"""Attendance in the demo follows what staff record at entry: the standing that drives it is the mean, over the
structure's grid, of (level written in the entry assessment - 3), a domain left unassessed counting as 3.

Recomputed here from the ``evaluations`` rows the generator writes, not from its internal arrays."""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

from etl.demo.effects import START_YEAR
from etl.demo.needs import assess_entry, make_needs
from etl.demo.pathways import arrivals, make_referrals, make_supports, referral_sources
from etl.demo.people import make_persons
from etl.demo.profiles import SPIP
from etl.demo.sampling import day_number
from etl.demo.structures import plan_network
from etl.demo.workshops import make_workshops


def test_the_standing_behind_attendance_is_the_recorded_entry_assessment() -> None:
    plan = plan_network("S", 42)[0]
    first, last = day_number(date(START_YEAR, 1, 1)), day_number(date(2026, 3, 15))
    rng = np.random.default_rng([42, 2, plan.index])  # the generator's own stream (etl.demo.generate)
    arr = arrivals(plan, rng, first, last)
    source = referral_sources(plan, rng, len(arr.referral_day))
    spip_first = np.zeros(plan.n_persons, dtype=bool)
    spip_first[arr.referral_person[arr.is_first]] = source[arr.is_first] == SPIP
    persons = make_persons(plan, rng, arr.first_day, spip_first)
    supports = make_supports(plan, rng, make_referrals(plan, rng, arr, source, last), last)
    entry = assess_entry(plan, rng, persons, supports, last)
    attendance = make_workshops(plan, rng, persons, supports, first, last, entry.standing)
    rows = make_needs(plan, persons, supports, attendance, entry, last).frame

    grid = len(entry.domains)
    written = rows.with_columns(
        person=pl.col("personne_id").str.extract(r"(\d+)$").cast(pl.Int64) - 1,
        day=pl.col("date_evaluation"),
    )
    at_entry = written.filter(pl.col("day") == pl.col("day").min().over("person"))
    expected = at_entry.group_by("person").agg(((pl.col("niveau").cast(pl.Int64) - 3).sum() / grid).alias("standing"))
    expected = expected.sort("person")
    persons_assessed = expected["person"].to_numpy()
    assert len(persons_assessed) > 100
    assert np.allclose(entry.standing[persons_assessed], expected["standing"].to_numpy())
    # Persons never assessed stand at 0 (neutral), like a missing level in the analyses' covariates.
    never = np.setdiff1d(np.arange(len(entry.standing)), persons_assessed)
    assert (entry.standing[never] == 0).all()
    assert entry.standing[persons_assessed].std() > 0.3  # the standing varies: it can drive attendance
