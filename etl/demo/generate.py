"""One structure's whole dataset, generated in memory from its own random
stream, so that a dataset can be written one structure at a time and every
structure is the same whatever the size of the batch around it."""

from __future__ import annotations

import numpy as np
import polars as pl

from etl.demo.exits import make_exits
from etl.demo.milestones import make_milestones
from etl.demo.needs import assess_entry, make_needs
from etl.demo.pathways import arrivals, make_referrals, make_supports, referral_sources
from etl.demo.people import make_persons
from etl.demo.profiles import SPIP
from etl.demo.structures import StructurePlan
from etl.demo.workshops import make_workshops

TABLES = (
    "structures",
    "personnes",
    "orientations",
    "accompagnements",
    "evaluations",
    "ateliers",
    "seances",
    "participations",
    "jalons",
)


def generate_structure(
    plan: StructurePlan, seed: int, first: int, last: int, workshop_effect: float = 1.0
) -> dict[str, pl.DataFrame]:
    """Every contract table for one structure, rows sorted by their ids.

    ``workshop_effect`` scales the planted workshop effect (``etl.demo.needs``): 1 is the demo, 0 a world with
    the same persons, pathways and attendance where workshops change nothing.
    """
    rng = np.random.default_rng([seed, 2, plan.index])
    arr = arrivals(plan, rng, first, last)
    source = referral_sources(plan, rng, len(arr.referral_day))
    spip_first = np.zeros(plan.n_persons, dtype=bool)
    spip_first[arr.referral_person[arr.is_first]] = source[arr.is_first] == SPIP
    persons = make_persons(plan, rng, arr.first_day, spip_first)
    referrals = make_referrals(plan, rng, arr, source, last)
    supports = make_supports(plan, rng, referrals, last)
    entry = assess_entry(plan, rng, persons, supports, last)
    attendance = make_workshops(plan, rng, persons, supports, first, last, entry.standing)
    needs = make_needs(plan, persons, supports, attendance, entry, last, workshop_effect)
    support_frame, _, housing, employment = make_exits(plan, rng, persons, supports, needs.exit_gain)
    milestones = make_milestones(plan, rng, persons, supports, attendance, housing, employment, last)
    structure = pl.DataFrame(
        {"structure_id": [plan.structure_id], "nom": [plan.name], "type": [plan.type_code], "territoire": [plan.territory]}
    )
    return {
        "structures": structure,
        "personnes": persons.frame,
        "orientations": referrals.frame,
        "accompagnements": support_frame,
        "evaluations": needs.frame,
        **attendance.frames,
        "jalons": milestones,
    }
