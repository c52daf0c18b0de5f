"""Workshops (``ateliers``), their weekly sessions (``seances``) and who was
expected at each (``participations``).

A person joins one or more distinct workshops of their structure for a few
months inside their support; they are expected at every session held in that
window and come with a personal regularity that rises with the levels
recorded at their entry assessment (the planted confounding, see
``effects.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from etl.demo import profiles as pr
from etl.demo.effects import (
    ATTENDANCE_INTERCEPT,
    ATTENDANCE_PERSON_SD,
    ATTENDANCE_STANDING_SLOPE,
    EXCUSED_SHARE_OF_MISSED,
    REGULAR_MIN_SESSIONS,
    REGULAR_MIN_SHARE,
    SESSION_CANCELLED,
    SUMMER_CLOSURE,
    WINTER_CLOSURE,
    WORKSHOP_TARGETS,
)
from etl.demo.pathways import Supports
from etl.demo.people import Persons
from etl.demo.sampling import code_column, date_column, id_column, int_column, sigmoid
from etl.demo.structures import StructurePlan

PRESENCE = ("PRESENT", "ABSENT", "EXCUSE")
CO_CONSTRUCTED_P = {"CS": 0.15, "CHRS": 0.10, "CPAS": 0.85}
CORE_WORKSHOPS = 5  # a structure's first workshops run from 2018 to today; the others may start late or stop
_KEY = 1 << 20  # session sort key: workshop * _KEY + day


@dataclass
class Attendance:
    """What each person's workshop attendance was, for the needs model."""

    expected: np.ndarray  # sessions expected, per person
    present: np.ndarray
    regular: np.ndarray
    window_start: np.ndarray  # first and last day in workshops (-1 if none)
    window_end: np.ndarray
    targets: np.ndarray  # (persons, domains) bool: domains their workshops work on
    co_constructed: np.ndarray  # took part in a co-constructed workshop
    frames: dict[str, pl.DataFrame]


def _closed(days: np.ndarray) -> np.ndarray:
    """Days falling in the summer or winter closure."""
    d = days.astype("datetime64[D]")
    month_start = d.astype("datetime64[M]")
    month = month_start.astype(np.int64) % 12 + 1
    key = month * 100 + (d - month_start.astype("datetime64[D]")).astype(np.int64) + 1
    closed = np.zeros(len(days), dtype=bool)
    for (m0, d0), (m1, d1) in (SUMMER_CLOSURE, WINTER_CLOSURE):
        low, high = m0 * 100 + d0, m1 * 100 + d1
        closed |= ((key >= low) & (key <= high)) if low <= high else ((key >= low) | (key <= high))
    return closed


def _sessions(
    plan: StructurePlan, rng: np.random.Generator, first: int, last: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Sessions (workshop, day) sorted by workshop then day, and each workshop's first and last day."""
    count = len(plan.workshops)
    core = np.arange(count) < CORE_WORKSHOPS
    start = np.where(core | (rng.random(count) < 0.6), first, rng.integers(first, max(first + 1, last - 180), count))
    end = np.where(core | (rng.random(count) < 0.8), last, 0)
    stopped = end == 0
    end[stopped] = np.minimum(last, start[stopped] + rng.integers(180, 1500, int(stopped.sum())))
    weekday = rng.integers(0, 5, count)
    workshop, day = [], []
    for j in range(count):
        d0 = start[j] + (weekday[j] - (start[j] + 3)) % 7
        days = np.arange(d0, end[j] + 1, 7)
        days = days[~_closed(days) & (rng.random(len(days)) >= SESSION_CANCELLED)]
        workshop.append(np.full(len(days), j))
        day.append(days)
    return np.concatenate(workshop), np.concatenate(day), start, end


def _ateliers(plan: StructurePlan, rng: np.random.Generator) -> tuple[pl.DataFrame, np.ndarray]:
    """The ``ateliers`` frame and which workshops are co-constructed."""
    count, sid = len(plan.workshops), plan.structure_id
    co_built = rng.random(count) < CO_CONSTRUCTED_P[plan.kind]
    facilitator = np.array([["INTERNE", "EXTERNE"].index(w.facilitator) for w in plan.workshops])
    facilitator[rng.random(count) < 0.05] = -1
    frame = pl.DataFrame(
        [
            pl.Series("structure_id", [sid] * count, dtype=pl.String),
            id_column("atelier_id", f"{sid}-AT", np.arange(1, count + 1), 2),
            pl.Series("nom", [w.name for w in plan.workshops], dtype=pl.String),
            pl.Series("categorie", [w.category for w in plan.workshops], dtype=pl.String),
            pl.Series("modalite", [w.modality for w in plan.workshops], dtype=pl.String),
            code_column("intervenant", facilitator, ("INTERNE", "EXTERNE")),
            code_column("co_construit", np.where(co_built, 0, 1), ("OUI", "NON")),
        ]
    )
    return frame, co_built


def _enrolments(
    plan: StructurePlan,
    rng: np.random.Generator,
    persons: Persons,
    supports: Supports,
    w_start: np.ndarray,
    w_end: np.ndarray,
    last: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Who joins which (distinct) workshops, from when to when: person, workshop, first day, last day."""
    n, count, kind = len(persons.first_day), len(plan.workshops), plan.kind
    span_start, span_end = supports.spans(n, last)
    in_workshops = np.zeros(n, dtype=bool)
    in_workshops[supports.person[supports.program == pr.PROGRAMS.index("ATELIERS")]] = True
    people = np.flatnonzero((span_end >= 0) & (in_workshops | (rng.random(n) < pr.ENROL_P[kind])))
    k = np.minimum(1 + rng.poisson(pr.EXTRA_WORKSHOPS_MEAN[kind], len(people)) + in_workshops[people], count)
    weight = np.ones((len(people), count))
    for j, w in enumerate(plan.workshops):
        if w.name == "FLE":
            weight[:, j] = np.array([pr.FLE_WEIGHT[c] for c in pr.FRENCH])[persons.french[people]]
    overlap = (w_start[None, :] <= span_end[people, None]) & (w_end[None, :] >= span_start[people, None])
    score = np.where(overlap, np.log(weight + 1e-12) + rng.gumbel(size=weight.shape), -np.inf)
    ranked = np.argsort(-score, axis=1, kind="stable")
    chosen = (np.arange(count)[None, :] < k[:, None]) & np.isfinite(np.take_along_axis(score, ranked, axis=1))
    e_person = np.repeat(people, chosen.sum(axis=1))
    e_workshop = ranked[chosen]
    p_start, p_end = span_start[e_person], span_end[e_person]
    e_start = p_start + np.floor(rng.random(len(e_person)) * np.minimum(90, p_end - p_start + 1)).astype(np.int64)
    e_start = np.maximum(e_start, w_start[e_workshop])
    length = np.round(pr.ENROL_MEDIAN_DAYS * rng.lognormal(0.0, 0.7, len(e_person))).astype(np.int64)
    e_end = np.minimum.reduce([e_start + length, p_end, w_end[e_workshop]])
    return e_person, e_workshop, e_start, e_end


def make_workshops(
    plan: StructurePlan,
    rng: np.random.Generator,
    persons: Persons,
    supports: Supports,
    first: int,
    last: int,
    standing: np.ndarray,
) -> Attendance:
    """``standing``: per person, how they stood at entry (``etl.demo.needs.Entry``); regularity follows it."""
    n, sid = len(persons.first_day), plan.structure_id
    ateliers, co_built = _ateliers(plan, rng)
    s_workshop, s_day, w_start, w_end = _sessions(plan, rng, first, last)
    by_date = np.lexsort((s_workshop, s_day))
    session_number = np.empty(len(s_day), dtype=np.int64)
    session_number[by_date] = np.arange(1, len(s_day) + 1)
    minutes = np.array([w.minutes for w in plan.workshops])[s_workshop]
    minutes = minutes + np.where(rng.random(len(s_day)) < 0.1, rng.choice([-30, 30], len(s_day)), 0)
    seances = pl.DataFrame(
        [
            pl.Series("structure_id", [sid] * len(s_day), dtype=pl.String),
            id_column("seance_id", f"{sid}-SE", session_number[by_date]),
            id_column("atelier_id", f"{sid}-AT", s_workshop[by_date] + 1, 2),
            date_column("date_seance", s_day[by_date]),
            int_column("duree_minutes", minutes[by_date], rng.random(len(s_day)) < 0.05),
        ]
    )
    e_person, e_workshop, e_start, e_end = _enrolments(plan, rng, persons, supports, w_start, w_end, last)
    # Sessions each enrolment expects the person at.
    keys = s_workshop.astype(np.int64) * _KEY + s_day
    lo = np.searchsorted(keys, e_workshop * _KEY + e_start, side="left")
    hi = np.searchsorted(keys, e_workshop * _KEY + e_end, side="right")
    sizes = np.maximum(hi - lo, 0)
    total = int(sizes.sum())
    row_enrol = np.repeat(np.arange(len(e_person)), sizes)
    row_session = lo[row_enrol] + np.arange(total) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    row_person = e_person[row_enrol]
    propensity = sigmoid(
        ATTENDANCE_INTERCEPT + ATTENDANCE_STANDING_SLOPE * standing + rng.normal(0.0, ATTENDANCE_PERSON_SD, n)
    )
    present = rng.random(total) < propensity[row_person]
    presence = np.where(present, 0, np.where(rng.random(total) < EXCUSED_SHARE_OF_MISSED, 2, 1))
    order = np.lexsort((row_person, session_number[row_session]))
    participations = pl.DataFrame(
        [
            pl.Series("structure_id", [sid] * total, dtype=pl.String),
            id_column("seance_id", f"{sid}-SE", session_number[row_session][order]),
            id_column("personne_id", f"{sid}-P", row_person[order] + 1),
            code_column("presence", presence[order], PRESENCE),
        ]
    )

    expected = np.bincount(row_person, minlength=n)
    attended = np.bincount(row_person, weights=present, minlength=n)
    regular = (expected >= REGULAR_MIN_SESSIONS) & (attended >= REGULAR_MIN_SHARE * np.maximum(expected, 1))
    active = sizes > 0
    window_start = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    window_end = np.full(n, -1, dtype=np.int64)
    np.minimum.at(window_start, e_person[active], e_start[active])
    np.maximum.at(window_end, e_person[active], e_end[active])
    window_start[window_end < 0] = -1
    targets = np.zeros((n, len(pr.ALL_DOMAINS)), dtype=bool)
    co_constructed = np.zeros(n, dtype=bool)
    for j, w in enumerate(plan.workshops):
        members = e_person[active & (e_workshop == j)]
        for domain in WORKSHOP_TARGETS[w.category]:
            targets[members, pr.ALL_DOMAINS.index(domain)] = True
        if co_built[j]:
            co_constructed[members] = True
    frames = {"ateliers": ateliers, "seances": seances, "participations": participations}
    return Attendance(expected, attended, regular, window_start, window_end, targets, co_constructed, frames)
