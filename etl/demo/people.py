"""The ``personnes`` table: who is accompanied, with realistic gaps."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from etl.demo import profiles as pr
from etl.demo.effects import IMPLAUSIBLE_AGE_RATE, PERSON_MISSING
from etl.demo.sampling import blank, choose, code_column, id_column, int_column, years_of
from etl.demo.structures import StructurePlan

NR = -2  # index meaning the "NR" (non renseigné) code


@dataclass
class Persons:
    """True attributes (before gaps are applied) that drive the rest of the pathway."""

    ids: pl.Series
    first_day: np.ndarray
    vulnerability: np.ndarray
    age: np.ndarray
    household: np.ndarray
    resources: np.ndarray
    french: np.ndarray  # index in profiles.FRENCH
    justice: np.ndarray  # index in profiles.JUSTICE
    frame: pl.DataFrame


def _recorded(rng: np.random.Generator, column: str, index: np.ndarray, codes: tuple[str, ...]) -> pl.Series:
    """The column as exported: some cells empty, some NR."""
    empty, not_recorded = PERSON_MISSING[column]
    values = blank(rng, index, not_recorded, NR)
    values = blank(rng, values, empty)
    values = np.where(values == NR, len(codes), values)
    return code_column(column, values, (*codes, "NR"))


def make_persons(plan: StructurePlan, rng: np.random.Generator, first_day: np.ndarray, spip_first: np.ndarray) -> Persons:
    """Persons of a structure, given their first-contact day and whether the SPIP referred them first."""
    n, kind = len(first_day), plan.kind
    money_kind = "BE" if plan.belgian else kind
    vulnerability = rng.normal(pr.VULNERABILITY_SHIFT[kind], 1.0, n)
    mean_age, sd_age = pr.AGE[kind]
    age = np.clip(np.round(rng.normal(mean_age, sd_age, n)), 18, 85).astype(np.int64)
    sex = choose(rng, pr.SEX_P[kind], n)
    household = choose(rng, pr.HOUSEHOLD_P[kind], n)
    resources = choose(rng, pr.RESOURCES_P[money_kind], n)
    retired = pr.RESOURCES.index("RETRAITE_PENSION")
    resources[(resources == retired) & (age < 58)] = pr.RESOURCES.index("AAH")
    nationality = choose(rng, pr.NATIONALITY_P[money_kind], n)
    french_p = np.array([pr.FRENCH_P[code] for code in pr.NATIONALITY])
    if plan.belgian:
        french_p[1] = pr.FRENCH_P_BE_UE
    french = choose(rng, french_p[nationality], n)
    justice_p = np.where(spip_first[:, None], np.array(pr.JUSTICE_P_SPIP), np.array(pr.JUSTICE_P_OTHER[kind]))
    justice = choose(rng, justice_p, n)
    vulnerability += 0.3 * (resources == 0) + 0.2 * (french == 2) + 0.3 * (justice == 1)

    birth_year = years_of(first_day) - age
    odd = rng.choice(n, size=min(n, max(1, round(IMPLAUSIBLE_AGE_RATE * n))), replace=False)
    odd_age = np.where(rng.random(len(odd)) < 0.5, rng.integers(6, 15, len(odd)), rng.integers(102, 106, len(odd)))
    birth_year[odd] = years_of(first_day[odd]) - odd_age
    birth_missing = rng.random(n) < PERSON_MISSING["annee_naissance"][0]
    birth_missing[odd] = False

    area = np.where(rng.random(n) < pr.OWN_AREA_P, 0, rng.integers(1, len(plan.person_territories), n))
    area = blank(rng, area, PERSON_MISSING["territoire"][0])
    qpv_share = 0.0 if plan.belgian else pr.QPV_P[kind]
    qpv = np.where(rng.random(n) < qpv_share, 0, 1)
    qpv = -np.ones(n, dtype=np.int64) if plan.belgian else blank(rng, qpv, PERSON_MISSING["qpv"][0])

    ids = id_column("personne_id", f"{plan.structure_id}-P", np.arange(1, n + 1))
    frame = pl.DataFrame(
        [
            pl.Series("structure_id", [plan.structure_id] * n, dtype=pl.String),
            ids,
            _recorded(rng, "sexe", sex, pr.SEX),
            int_column("annee_naissance", birth_year, birth_missing),
            _recorded(rng, "composition_familiale", household, pr.HOUSEHOLD),
            _recorded(rng, "ressources", resources, pr.RESOURCES),
            _recorded(rng, "nationalite", nationality, pr.NATIONALITY),
            _recorded(rng, "maitrise_francais", french, pr.FRENCH),
            _recorded(rng, "situation_justice", justice, pr.JUSTICE),
            code_column("territoire", area, plan.person_territories),
            code_column("qpv", qpv, ("OUI", "NON")),
        ]
    )
    return Persons(ids, first_day, vulnerability, age, household, resources, french, justice, frame)
