"""Milestones (``jalons``) tied to the pathway: papers and rights early in the
support, access to housing or work just before the matching exit,
collective initiatives for people in co-constructed workshops."""

from __future__ import annotations

import numpy as np
import polars as pl

from etl.demo import profiles as pr
from etl.demo.exits import EMPLOYMENT, HOUSING
from etl.demo.pathways import Supports
from etl.demo.people import Persons
from etl.demo.sampling import date_column, id_column
from etl.demo.structures import StructurePlan
from etl.demo.workshops import Attendance
from models.reference import codes

JALONS = tuple(codes("JALON"))
# type -> (probability by kind CS/CHRS/CPAS, days after the start of support: low, high)
EARLY = {
    "DOMICILIATION": ({"CS": 0.08, "CHRS": 0.45, "CPAS": 0.15}, (3, 60)),
    "PIECE_IDENTITE": ({"CS": 0.10, "CHRS": 0.30, "CPAS": 0.12}, (10, 120)),
    "OUVERTURE_DROITS": ({"CS": 0.30, "CHRS": 0.40, "CPAS": 0.40}, (15, 150)),
    "ACCES_SOINS": ({"CS": 0.08, "CHRS": 0.25, "CPAS": 0.10}, (15, 200)),
    "ENTREE_FORMATION": ({"CS": 0.05, "CHRS": 0.06, "CPAS": 0.05}, (60, 400)),
    "RENOUEMENT_FAMILIAL": ({"CS": 0.04, "CHRS": 0.08, "CPAS": 0.04}, (90, 500)),
    "AUTRE": ({"CS": 0.02, "CHRS": 0.02, "CPAS": 0.02}, (1, 300)),
}
REGULAR_EXTRA = {"ENTREE_FORMATION": 0.08, "RENOUEMENT_FAMILIAL": 0.05}
COLLECTIVE_P = (0.35, 0.02)  # regular attendees of a co-constructed workshop, others
EXIT_MILESTONE_P = 0.9  # ACCES_LOGEMENT / ACCES_EMPLOI recorded for a matching exit


def make_milestones(
    plan: StructurePlan,
    rng: np.random.Generator,
    persons: Persons,
    supports: Supports,
    att: Attendance,
    housing: np.ndarray,
    employment: np.ndarray,
    last: int,
) -> pl.DataFrame:
    n = len(persons.first_day)
    start, _ = supports.spans(n, last)
    supported = np.flatnonzero(start >= 0)
    people, days, kinds = [], [], []
    for name, (p_kind, (low, high)) in EARLY.items():
        p = p_kind[plan.kind] + REGULAR_EXTRA.get(name, 0.0) * att.regular[supported]
        if name == "OUVERTURE_DROITS":
            p = p + 0.25 * (persons.resources[supported] == 0)
        if name == "ACCES_SOINS":
            cared = np.zeros(n, dtype=bool)
            cared[supports.person[supports.program == pr.PROGRAMS.index("SOINS")]] = True
            p = p + 0.5 * cared[supported]
        hit = supported[rng.random(len(supported)) < p]
        people.append(hit)
        days.append(start[hit] + rng.integers(low, high + 1, len(hit)))
        kinds.append(np.full(len(hit), JALONS.index(name)))
    collective = supported[
        rng.random(len(supported)) < np.where(att.regular[supported] & att.co_constructed[supported], *COLLECTIVE_P)
    ]
    people.append(collective)
    days.append(np.maximum(att.window_start[collective], start[collective]) + rng.integers(30, 240, len(collective)))
    kinds.append(np.full(len(collective), JALONS.index("INITIATIVE_COLLECTIVE")))
    for name, values, table in (
        ("ACCES_LOGEMENT", housing, (HOUSING.index("LOGEMENT_AUTONOME"), HOUSING.index("LOGEMENT_ACCOMPAGNE"))),
        ("ACCES_EMPLOI", employment, (EMPLOYMENT.index("EMPLOI_DURABLE"), EMPLOYMENT.index("EMPLOI_TRANSITION"))),
    ):
        hit = np.flatnonzero(np.isin(values, table) & (rng.random(len(values)) < EXIT_MILESTONE_P))
        people.append(supports.person[hit])
        days.append(np.maximum(supports.exit[hit] - rng.integers(0, 31, len(hit)), supports.entry[hit]))
        kinds.append(np.full(len(hit), JALONS.index(name)))
    person, day, kind = np.concatenate(people), np.concatenate(days), np.concatenate(kinds)
    keep = day <= last
    person, day, kind = person[keep], day[keep], kind[keep]
    order = np.lexsort((kind, day, person))
    person, day, kind = person[order], day[order], kind[order]
    unique = np.ones(len(person), dtype=bool)
    unique[1:] = (np.diff(person) != 0) | (np.diff(day) != 0) | (np.diff(kind) != 0)
    person, day, kind = person[unique], day[unique], kind[unique]
    return pl.DataFrame(
        [
            pl.Series("structure_id", [plan.structure_id] * len(person), dtype=pl.String),
            id_column("personne_id", f"{plan.structure_id}-P", person + 1),
            date_column("date_jalon", day),
            pl.Series("type", np.asarray(JALONS)[kind], dtype=pl.String),
        ]
    )
