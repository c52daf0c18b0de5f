"""Referrals (``orientations``) and support periods (``accompagnements``).

Referral dates follow the seasonal calendar; each one either brings a new
person (their first contact) or comes back for a person who arrived
recently. Accepted referrals open a support period a few days after the
decision, in the program asked for.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from etl.demo import profiles as pr
from etl.demo.effects import (
    CHRS_SPIP_SHARE,
    DECISION_DELAY_MEAN_DAYS,
    DECISION_PROBABILITIES,
    FIRST_REFERRAL_ACCEPTED_BOOST,
    NO_PATHWAY_RATE,
    OPEN_OVER_3_YEARS,
    PENDING_OVER_90_RATE,
    REFERRALS_PER_PERSON,
)
from etl.demo.sampling import blank, choose, code_column, date_column, id_column, seasonal_days
from etl.demo.structures import StructurePlan

DECISIONS = ("ACCEPTEE", "REFUSEE", "SANS_SUITE", "EN_ATTENTE")
PENDING = 3


@dataclass
class Arrivals:
    """Referral days and persons, persons numbered by first contact."""

    first_day: np.ndarray  # per person
    referral_day: np.ndarray
    referral_person: np.ndarray
    is_first: np.ndarray
    has_referral: np.ndarray  # per person


def arrivals(plan: StructurePlan, rng: np.random.Generator, first: int, last: int) -> Arrivals:
    n = plan.n_persons
    no_pathway = min(n - 1, max(1, round(NO_PATHWAY_RATE * n)))
    referred = n - no_pathway
    years = (last - first + 1) / 365.25
    if plan.referrals_per_year is None:
        count = max(referred, round(referred * REFERRALS_PER_PERSON[plan.kind]))
    else:
        count = max(referred, round(plan.referrals_per_year * years))
    days = seasonal_days(rng, count, first, last)
    is_new = np.zeros(count, dtype=bool)
    is_new[0] = True
    is_new[1 + rng.choice(count - 1, size=referred - 1, replace=False)] = True
    arrived = np.cumsum(is_new)
    per_year = referred / max(1.0, years)
    back = np.floor(rng.exponential(per_year, count)).astype(np.int64)
    person = np.where(is_new, arrived - 1, np.maximum(arrived - 1 - back, 0))
    lone_days = seasonal_days(rng, no_pathway, first, max(first, last - 30))
    all_first = np.concatenate([days[is_new], lone_days])
    order = np.argsort(all_first, kind="stable")
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    has_referral = np.zeros(n, dtype=bool)
    has_referral[rank[:referred]] = True
    return Arrivals(all_first[order], days, rank[person], is_new, has_referral)


@dataclass
class Referrals:
    person: np.ndarray
    day: np.ndarray
    source: np.ndarray
    program: np.ndarray
    decision: np.ndarray
    decision_day: np.ndarray  # -1 when pending
    frame: pl.DataFrame


def referral_sources(plan: StructurePlan, rng: np.random.Generator, count: int) -> np.ndarray:
    p = np.array(pr.SOURCES_P[plan.kind])
    if plan.kind == "CHRS":
        p = p * (1 - CHRS_SPIP_SHARE) / (p.sum() - p[pr.SPIP])
        p[pr.SPIP] = CHRS_SPIP_SHARE
    return choose(rng, p, count)


def make_referrals(plan: StructurePlan, rng: np.random.Generator, arr: Arrivals, source: np.ndarray, last: int) -> Referrals:
    count = len(arr.referral_day)
    program = choose(rng, pr.PROGRAMS_P[plan.kind], count)
    accept, refuse, drop = DECISION_PROBABILITIES[plan.kind]
    p = np.tile([accept, refuse, drop], (count, 1))
    p[arr.is_first] = [accept + FIRST_REFERRAL_ACCEPTED_BOOST, refuse - FIRST_REFERRAL_ACCEPTED_BOOST, drop]
    decision = choose(rng, np.clip(p, 0.0, 1.0), count)
    delay = np.round(rng.gamma(2.0, DECISION_DELAY_MEAN_DAYS[plan.kind] / 2.0, count)).astype(np.int64)
    decision_day = arr.referral_day + delay
    late = decision_day > last
    old = np.flatnonzero(~arr.is_first & (arr.referral_day < last - 120))
    if len(old):
        stuck = rng.choice(old, size=min(len(old), max(1, round(PENDING_OVER_90_RATE * count))), replace=False)
        late[stuck] = True
    decision[late] = PENDING
    decision_day[late] = -1
    written_decision = np.where(late & (rng.random(count) < 0.5), -1, decision)
    frame = pl.DataFrame(
        [
            pl.Series("structure_id", [plan.structure_id] * count, dtype=pl.String),
            id_column("orientation_id", f"{plan.structure_id}-O", np.arange(1, count + 1)),
            id_column("personne_id", f"{plan.structure_id}-P", arr.referral_person + 1),
            date_column("date_orientation", arr.referral_day),
            code_column("source", source, pr.SOURCES),
            code_column("dispositif", blank(rng, program, pr.PROGRAM_MISSING), pr.PROGRAMS),
            code_column("decision", written_decision, DECISIONS),
            date_column("date_decision", np.maximum(decision_day, 0), late),
        ]
    )
    return Referrals(arr.referral_person, arr.referral_day, source, program, decision, decision_day, frame)


@dataclass
class Supports:
    """Support periods, sorted by entry; exit_day is -1 while in progress."""

    person: np.ndarray
    referral: np.ndarray  # referral index (row in Referrals)
    program: np.ndarray
    entry: np.ndarray
    exit: np.ndarray

    @property
    def closed(self) -> np.ndarray:
        return self.exit >= 0

    def spans(self, persons: int, last: int) -> tuple[np.ndarray, np.ndarray]:
        """Per person, first entry and last exit (``last`` while in progress); -1 for people never supported."""
        start = np.full(persons, np.iinfo(np.int64).max, dtype=np.int64)
        end = np.full(persons, -1, dtype=np.int64)
        np.minimum.at(start, self.person, self.entry)
        np.maximum.at(end, self.person, np.where(self.closed, self.exit, last))
        start[end < 0] = -1
        return start, end


def make_supports(plan: StructurePlan, rng: np.random.Generator, ref: Referrals, last: int) -> Supports:
    accepted = np.flatnonzero(ref.decision == 0)
    entry = ref.decision_day[accepted] + rng.integers(0, 22, len(accepted))
    keep = entry <= last
    accepted, entry = accepted[keep], entry[keep]
    order = np.argsort(entry, kind="stable")
    accepted, entry = accepted[order], entry[order]
    program = ref.program[accepted]
    median = np.asarray(pr.STAY_MEDIAN_DAYS)[program]
    stay = np.maximum(1, np.round(median * rng.lognormal(0.0, 0.6, len(entry)))).astype(np.int64)
    exit_day = entry + stay
    exit_day[exit_day > last] = -1
    long_ago = np.flatnonzero(entry < last - 3 * 365 - 30)
    if len(long_ago):
        exit_day[rng.choice(long_ago, size=min(len(long_ago), OPEN_OVER_3_YEARS), replace=False)] = -1
    return Supports(ref.person[accepted], accepted, program, entry, exit_day)
