"""Needs assessments (``evaluations``): levels 1-5 in the structure's grid of
life domains, at entry and every 3 to 6 months while the person is supported.

Levels come from a latent level per person and domain that starts lower for
more vulnerable people and rises over time, faster for regular workshop
attendees in the domains their workshops work on (sizes in ``effects.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from etl.demo import profiles as pr
from etl.demo.effects import (
    ASSESSMENT_INTERVAL_DAYS,
    BASE_LEVEL,
    BASE_LEVEL_NOISE_SD,
    GAIN_CAP,
    LEVEL_NOISE_SD,
    MAX_ASSESSMENTS,
    NATURAL_GAIN_PER_QUARTER,
    NEUTRAL_LEVEL,
    REGULAR_GAIN_STRATEGIC,
    REGULAR_GAIN_TARGET,
    SKIPPED_DOMAIN,
    VULNERABILITY_GAIN_SLOPE,
    VULNERABILITY_LEVEL_SLOPE,
)
from etl.demo.pathways import Supports
from etl.demo.people import Persons
from etl.demo.sampling import date_column, id_column, int_column
from etl.demo.structures import StructurePlan
from etl.demo.workshops import Attendance
from models.reference import DEFAULT_DOMAIN_READINGS

QUARTER_DAYS = 91.3
STRATEGIC = np.array([DEFAULT_DOMAIN_READINGS[d][0] == "STRATEGIQUE" for d in pr.ALL_DOMAINS])


@dataclass
class Needs:
    frame: pl.DataFrame
    first_assessment: np.ndarray  # per person, -1 if never assessed
    exit_gain: np.ndarray  # per support period: mean improvement of the latent level reached at exit


@dataclass
class Entry:
    """Every assessment's date and random parts, drawn before attendance: attendance follows what staff record
    at entry (``standing``), so the entry levels have to exist first. The levels after entry add the gains,
    which depend on attendance (``make_needs``)."""

    domains: np.ndarray  # the structure's grid, as indices of ``pr.ALL_DOMAINS``
    first: np.ndarray  # per person: day of the first assessment, -1 if never assessed
    person: np.ndarray  # per assessment
    day: np.ndarray  # per assessment
    base: np.ndarray  # (persons, grid): latent level at entry
    noise: np.ndarray  # (assessments, grid): spread of each assessment around the latent level
    keep: np.ndarray  # (assessments, grid): False where the domain was left unassessed
    standing: np.ndarray  # per person: mean over the grid of (recorded entry level - NEUTRAL_LEVEL), skipped at 0


def assess_entry(plan: StructurePlan, rng: np.random.Generator, persons: Persons, supports: Supports, last: int) -> Entry:
    n = len(persons.first_day)
    span_start, span_end = supports.spans(n, last)
    people = np.flatnonzero(span_end >= 0)
    first = np.full(n, -1, dtype=np.int64)
    first[people] = span_start[people] + rng.integers(0, 15, len(people))
    low, high = ASSESSMENT_INTERVAL_DAYS
    gaps = rng.integers(low, high + 1, (len(people), MAX_ASSESSMENTS - 1))
    days = first[people, None] + np.concatenate([np.zeros((len(people), 1), dtype=np.int64), np.cumsum(gaps, axis=1)], axis=1)
    valid = days <= np.minimum(np.maximum(span_end[people], first[people]), last)[:, None]
    first[people[~valid[:, 0]]] = -1
    e_person = np.repeat(people, valid.sum(axis=1))
    e_day = days[valid]

    domains = np.array([pr.ALL_DOMAINS.index(d) for d in pr.GRID[plan.kind]])
    g = len(domains)
    offsets = np.array([pr.DOMAIN_OFFSET[plan.kind].get(pr.ALL_DOMAINS[d], 0.0) for d in domains])
    base = BASE_LEVEL + offsets[None, :] + VULNERABILITY_LEVEL_SLOPE * persons.vulnerability[:, None]
    base = base + rng.normal(0.0, BASE_LEVEL_NOISE_SD, (n, g))
    for domain, levels, index in (
        ("LANGUE_FRANCAISE", pr.FRENCH_LEVEL, persons.french),
        ("JUSTICE", pr.JUSTICE_LEVEL, persons.justice),
    ):
        hits = np.flatnonzero(domains == pr.ALL_DOMAINS.index(domain))
        if len(hits):
            base[:, hits[0]] = np.asarray(levels)[index] + rng.normal(0.0, 0.3, n)
    noise = rng.normal(0.0, LEVEL_NOISE_SD, (len(e_day), g))
    keep = rng.random(noise.shape) >= SKIPPED_DOMAIN
    parenting = np.flatnonzero(domains == pr.ALL_DOMAINS.index("PARENTALITE"))
    if len(parenting):
        keep[:, parenting[0]] &= np.isin(persons.household[e_person], pr.PARENTS)
    # A person's first row is their entry assessment (rows run by person, then date); nothing has been gained yet.
    head = np.flatnonzero(np.r_[True, e_person[1:] != e_person[:-1]]) if len(e_person) else np.zeros(0, np.int64)
    recorded = np.clip(np.round(base[e_person[head]] + noise[head]), 1, 5) - NEUTRAL_LEVEL
    standing = np.zeros(n)
    standing[e_person[head]] = np.where(keep[head], recorded, 0.0).mean(axis=1)
    return Entry(domains, first, e_person, e_day, base, noise, keep, standing)


class _Model:
    """The latent level of each person in each domain of the grid."""

    def __init__(self, persons: Persons, entry: Entry, att: Attendance, workshop_effect: float = 1.0):
        self.domains = entry.domains
        self.base = entry.base
        self.first = entry.first
        self.rate = np.maximum(0.0, NATURAL_GAIN_PER_QUARTER + VULNERABILITY_GAIN_SLOPE * persons.vulnerability)
        self.att = att
        # ``workshop_effect`` scales the planted effect (0: a world where workshops change nothing); the random
        # draws are the same whatever it is, so two worlds differ only by the effect.
        self.bonus = (
            np.where(att.targets[:, self.domains], REGULAR_GAIN_TARGET, np.where(STRATEGIC[self.domains], REGULAR_GAIN_STRATEGIC, 0.0))
            * att.regular[:, None]
            * workshop_effect
        )

    def gain(self, person: np.ndarray, day: np.ndarray) -> np.ndarray:
        """(rows, grid) improvement of the latent level on ``day``."""
        start = self.first[person]
        quarters = np.maximum(day - start, 0) / QUARTER_DAYS
        in_workshops = (
            np.clip(np.minimum(day, self.att.window_end[person]) - np.maximum(start, self.att.window_start[person]), 0, None)
            / QUARTER_DAYS
        )
        total = (self.rate[person] * quarters)[:, None] + in_workshops[:, None] * self.bonus[person]
        return np.minimum(total, GAIN_CAP)


def make_needs(
    plan: StructurePlan,
    persons: Persons,
    supports: Supports,
    att: Attendance,
    entry: Entry,
    last: int,
    workshop_effect: float = 1.0,
) -> Needs:
    model = _Model(persons, entry, att, workshop_effect)
    e_person, e_day, keep = entry.person, entry.day, entry.keep
    latent = model.base[e_person] + model.gain(e_person, e_day) + entry.noise
    level = np.clip(np.round(latent), 1, 5).astype(np.int64)
    rows_person = np.broadcast_to(e_person[:, None], level.shape)[keep]
    rows_day = np.broadcast_to(e_day[:, None], level.shape)[keep]
    rows_domain = np.broadcast_to(model.domains[None, :], level.shape)[keep]
    frame = pl.DataFrame(
        [
            pl.Series("structure_id", [plan.structure_id] * len(rows_day), dtype=pl.String),
            id_column("personne_id", f"{plan.structure_id}-P", rows_person + 1),
            date_column("date_evaluation", rows_day),
            pl.Series("domaine", np.asarray(pr.ALL_DOMAINS)[rows_domain], dtype=pl.String),
            int_column("niveau", level[keep]),
        ]
    )
    exit_day = np.where(supports.closed, supports.exit, last)
    assessed = entry.first[supports.person] >= 0
    exit_gain = np.where(assessed, model.gain(supports.person, exit_day).mean(axis=1), 0.0)
    return Needs(frame, entry.first, exit_gain)
