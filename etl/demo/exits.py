"""How support periods end: ``motif_sortie``, ``logement_sortie`` and
``emploi_sortie``, driven by the program and by the improvement of needs
reached at exit (sizes in ``effects.py``)."""

from __future__ import annotations

import numpy as np
import polars as pl

from etl.demo import profiles as pr
from etl.demo.effects import (
    DEATH,
    DYNAMIC_SPLIT,
    EMPLOYMENT_LOGIT,
    EMPLOYMENT_SCORE_SLOPE,
    EXIT_DESTINATION_MISSING,
    EXIT_WITHOUT_MOTIF_RATE,
    HOUSING_LOGIT,
    HOUSING_SCORE_SLOPE,
    MOTIF_POSITIVE_LOGIT,
    SCORE_GAIN,
    SCORE_VULNERABILITY,
    UNKNOWN_MOTIF,
)
from etl.demo.pathways import Supports
from etl.demo.people import Persons
from etl.demo.sampling import blank, choose, code_column, date_column, id_column, sigmoid
from etl.demo.structures import StructurePlan
from models.reference import codes

MOTIFS = tuple(codes("MOTIF_SORTIE"))
HOUSING = tuple(codes("LOGEMENT_SORTIE"))
EMPLOYMENT = tuple(codes("EMPLOI_SORTIE"))
_M = {c: i for i, c in enumerate(MOTIFS)}
_H = {c: i for i, c in enumerate(HOUSING)}
_E = {c: i for i, c in enumerate(EMPLOYMENT)}
POSITIVE_MOTIFS = ((_M["OBJECTIF_ATTEINT"], 0.5), (_M["ACCES_SOLUTION"], 0.5))
NEUTRAL_MOTIFS = ((_M["FIN_PRISE_EN_CHARGE"], 0.5), (_M["REORIENTATION"], 0.4), (_M["AUTRE"], 0.1))
NEGATIVE_MOTIFS = (
    (_M["DEPART_VOLONTAIRE"], 0.35),
    (_M["NON_ADHESION"], 0.3),
    (_M["EXCLUSION"], 0.12),
    (_M["INCARCERATION"], 0.13),
    (_M["HOSPITALISATION"], 0.10),
)
HOUSING_OTHER = (
    (_H["HEBERGEMENT_INSERTION"], 0.2),
    (_H["HEBERGEMENT_URGENCE"], 0.2),
    (_H["TIERS"], 0.25),
    (_H["RUE"], 0.1),
    (_H["SOINS"], 0.05),
    (_H["DETENTION"], 0.05),
    (_H["INCONNU"], 0.15),
)
NOT_DYNAMIC = ((_E["RECHERCHE_EMPLOI"], 0.5), (_E["INACTIF"], 0.25), (_E["INCONNU"], 0.15), (_E["NON_CONCERNE"], 0.10))


def _pick(rng: np.random.Generator, options: tuple[tuple[int, float], ...], n: int) -> np.ndarray:
    values = np.array([v for v, _ in options])
    return values[choose(rng, [p for _, p in options], n)]


def _motifs(rng: np.random.Generator, kind: str, score: np.ndarray, justice: np.ndarray) -> np.ndarray:
    n = len(score)
    positive = rng.random(n) < sigmoid(MOTIF_POSITIVE_LOGIT + score)
    negative = ~positive & (rng.random(n) < sigmoid(-0.3 - 0.8 * score))
    motif = np.where(positive, _pick(rng, POSITIVE_MOTIFS, n), _pick(rng, NEUTRAL_MOTIFS, n))
    motif = np.where(negative, _pick(rng, NEGATIVE_MOTIFS, n), motif)
    motif[(motif == _M["INCARCERATION"]) & (justice == 0)] = _M["DEPART_VOLONTAIRE"]
    motif[rng.random(n) < UNKNOWN_MOTIF] = _M["INCONNU"]
    motif[rng.random(n) < DEATH[kind]] = _M["DECES"]
    return motif


def _housing(
    rng: np.random.Generator, plan: StructurePlan, program: np.ndarray, score: np.ndarray, motif: np.ndarray, justice: np.ndarray
) -> np.ndarray:
    n = len(score)
    logit = np.full(n, np.nan)
    for name, value in HOUSING_LOGIT.items():
        if name in pr.PROGRAMS:
            logit[program == pr.PROGRAMS.index(name)] = value
    concerned = ~np.isnan(logit) | (plan.kind == "CHRS")
    logit = np.where(np.isnan(logit), HOUSING_LOGIT["OTHER_CHRS"], logit)
    positive = rng.random(n) < sigmoid(logit + HOUSING_SCORE_SLOPE * score)
    autonomous = rng.random(n) < np.where(program == pr.PROGRAMS.index("LOGEMENT_ACCOMPAGNE"), 0.7, 0.55)
    other = _pick(rng, HOUSING_OTHER, n)
    other[(other == _H["DETENTION"]) & (justice == 0)] = _H["TIERS"]
    housing = np.where(positive, np.where(autonomous, _H["LOGEMENT_AUTONOME"], _H["LOGEMENT_ACCOMPAGNE"]), other)
    not_concerned = np.where(rng.random(n) < 0.9, _H["NON_CONCERNE"], _H["INCONNU"])
    housing = np.where(concerned, housing, not_concerned)
    housing[motif == _M["INCARCERATION"]] = _H["DETENTION"]
    housing[motif == _M["HOSPITALISATION"]] = _H["SOINS"]
    housing[motif == _M["INCONNU"]] = _H["INCONNU"]
    return housing


def _employment(rng: np.random.Generator, program: np.ndarray, score: np.ndarray, retired: np.ndarray) -> np.ndarray:
    n = len(score)
    group = np.where(
        program == pr.PROGRAMS.index("CHANTIER_INSERTION"),
        0,
        np.where(program == pr.PROGRAMS.index("ACCOMPAGNEMENT_EMPLOI"), 1, 2),
    )
    names = ("CHANTIER_INSERTION", "ACCOMPAGNEMENT_EMPLOI", "OTHER")
    logit = np.array([EMPLOYMENT_LOGIT[g] for g in names])[group]
    dynamic = rng.random(n) < sigmoid(logit + EMPLOYMENT_SCORE_SLOPE * score)
    split = np.array([DYNAMIC_SPLIT[g] for g in names])[group]
    kinds = np.array([_E["EMPLOI_DURABLE"], _E["EMPLOI_TRANSITION"], _E["SORTIE_POSITIVE"]])[choose(rng, split, n)]
    employment = np.where(dynamic, kinds, _pick(rng, NOT_DYNAMIC, n))
    employment[retired] = _E["NON_CONCERNE"]
    return employment


def make_exits(
    plan: StructurePlan, rng: np.random.Generator, persons: Persons, supports: Supports, exit_gain: np.ndarray
) -> tuple[pl.DataFrame, np.ndarray, np.ndarray, np.ndarray]:
    """The ``accompagnements`` frame and the true motif, housing and employment exit codes (-1: in progress)."""
    n = len(supports.entry)
    person = supports.person
    score = SCORE_GAIN * exit_gain + SCORE_VULNERABILITY * persons.vulnerability[person] + rng.normal(0.0, 1.0, n)
    justice = persons.justice[person]
    motif = _motifs(rng, plan.kind, score, justice)
    housing = _housing(rng, plan, supports.program, score, motif, justice)
    retired = (persons.age[person] >= 62) | (persons.resources[person] == pr.RESOURCES.index("RETRAITE_PENSION"))
    employment = _employment(rng, supports.program, score, retired)
    dead = motif == _M["DECES"]
    housing[dead] = _H["NON_CONCERNE"]
    employment[dead] = _E["NON_CONCERNE"]
    running = ~supports.closed
    for values in (motif, housing, employment):
        values[running] = -1
    written_motif = motif.copy()
    closed = np.flatnonzero(supports.closed)
    if len(closed):
        gaps = rng.choice(closed, size=min(len(closed), max(1, round(EXIT_WITHOUT_MOTIF_RATE * len(closed)))), replace=False)
        written_motif[gaps] = -1
    referral = np.where(rng.random(n) < pr.SUPPORT_WITHOUT_REFERRAL_ID, -1, supports.referral)
    sid = plan.structure_id
    referral_ids = id_column("orientation_id", f"{sid}-O", np.maximum(referral, 0) + 1)
    frame = pl.DataFrame(
        [
            pl.Series("structure_id", [sid] * n, dtype=pl.String),
            id_column("accompagnement_id", f"{sid}-A", np.arange(1, n + 1)),
            id_column("personne_id", f"{sid}-P", person + 1),
            pl.select(pl.when(pl.lit(pl.Series(referral >= 0))).then(pl.lit(referral_ids))).to_series().alias("orientation_id"),
            code_column("dispositif", supports.program, pr.PROGRAMS),
            date_column("date_entree", supports.entry),
            date_column("date_sortie", np.maximum(supports.exit, 0), running),
            code_column("motif_sortie", written_motif, MOTIFS),
            code_column("logement_sortie", blank(rng, housing, EXIT_DESTINATION_MISSING), HOUSING),
            code_column("emploi_sortie", blank(rng, employment, EXIT_DESTINATION_MISSING), EMPLOYMENT),
        ]
    )
    return frame, motif, housing, employment
