"""A small hand-built network for the data-quality rules, with every count worked out by hand.

Structure S1 (CHRS, Lyon), persons P01..P12; the data's last day is 2024-12-31 (session SE1), so a referral
is pending for months when still EN_ATTENTE and received before 2024-10-02 (90 days earlier).

Persons: every column filled (household PERSONNE_SEULE, resources RSA, ...) except
- sex: P09 and P11 NR (unknown), P10 and P12 empty (missing); the others F or M;
- birth_year: P01 empty (missing).

Support periods (HEBERGEMENT_INSERTION unless said), exits with all three exit columns filled unless said:
- A1 P01 2024-01-01..2024-06-01, A2 P01 2024-06-01..open: a transfer on the day, no overlap;
- A3 P02 2024-01-01..open, A4 P02 2024-03-01..2024-04-01: overlap (both flagged);
- A5 P03 2024-02-01..2024-02-01 (exit on the day of entry: covers that day), A6 P03 2024-02-01..2024-05-01:
  overlap (both flagged);
- A7 P04 2024-01-01..2024-03-01 ACCOMPAGNEMENT_SOCIAL, A8 P04 2024-02-01..open ATELIERS: two programs, no overlap;
- A9 P05 2024-01-01..2024-03-01: reason INCONNU, housing empty, employment INCONNU (exit without destination);
- A10 P06 2024-01-01..2024-02-01: reason empty, housing INCONNU (an answer: not flagged), employment empty.
  7 exits; overlap 4 of 10; exits without destination 1 of 7;
  exit_reason / exit_housing / exit_employment: 7 expected, 1 missing, 1 unknown each.

Referrals (HEBERGEMENT_INSERTION unless said):
- R1 P01 2024-01-10 ACCEPTEE decided 2024-01-20; R2 P02 2024-10-01 EN_ATTENTE (91 days: pending);
- R3 P03 2024-10-02 EN_ATTENTE (exactly 90 days: not pending); R4 P04 2024-05-01 REFUSEE, no decision date;
- R5 P05 2024-03-01 EN_ATTENTE (pending); R6 P06 2024-03-01 SANS_SUITE decided 2024-03-05, no program.
  program: 6 expected, 1 missing; decision_date: 3 expected (decided), 1 missing; pending 2 of 6.

Assessments (6 rows, 5 persons):
- P01 2024-07-01 (A2 still open: not judged); P04 2024-04-01 (A8 open: not judged);
- P06 2024-02-01 (the day of the last exit: not after), P06 2024-03-01 (after: flagged);
- P05 2024-03-02 (after A9's exit: flagged); P07 2024-05-01 (no support period: not judged).
  Assessments after exit: 2 rows of 6, 2 persons of 5.

Workshops: W1 (all filled) with SE1 2024-12-31 (60 min) and SE2 2024-06-01 (no duration); W2 with nothing but
its name and category, and no session. modality / facilitator / co_constructed: 2 expected, 1 missing;
duration: 2 expected, 1 missing; workshops without session: 1 of 2.

S2 "Petit accueil" has 3 persons (Q1..Q3) and nothing else: too few to show.
"""

from __future__ import annotations

from datetime import date
from typing import Any

LAST_DAY = date(2024, 12, 31)
FILLED = {"household": "PERSONNE_SEULE", "resources": "RSA", "nationality": "FRANCAISE", "french_level": "COURANTE",
          "justice": "AUCUNE", "territory": "Lyon", "priority_area": False}
SEX = {9: "NR", 10: None, 11: "NR", 12: None}
DONE = {"exit_reason": "ACCES_SOLUTION", "exit_housing": "LOGEMENT_AUTONOME", "exit_employment": "EMPLOI_DURABLE"}


def _person(i: int) -> dict[str, Any]:
    return {"person_id": f"P{i:02d}", "sex": SEX.get(i, "F" if i % 2 else "M"),
            "birth_year": None if i == 1 else 1980, **FILLED}


def _support(sid: str, person: int, entry: str, exit_: str | None = None, program: str = "HEBERGEMENT_INSERTION",
             **exit_columns: str | None) -> dict[str, Any]:
    row: dict[str, Any] = {"support_id": sid, "person_id": f"P{person:02d}", "program": program, "entry_date": entry,
                           "exit_date": exit_}
    if exit_ is not None:
        row |= DONE | exit_columns
    return row


def rows() -> dict[str, list[dict[str, Any]]]:
    supports = [
        _support("A1", 1, "2024-01-01", "2024-06-01"), _support("A2", 1, "2024-06-01"),
        _support("A3", 2, "2024-01-01"), _support("A4", 2, "2024-03-01", "2024-04-01"),
        _support("A5", 3, "2024-02-01", "2024-02-01"), _support("A6", 3, "2024-02-01", "2024-05-01"),
        _support("A7", 4, "2024-01-01", "2024-03-01", "ACCOMPAGNEMENT_SOCIAL"),
        _support("A8", 4, "2024-02-01", None, "ATELIERS"),
        _support("A9", 5, "2024-01-01", "2024-03-01", exit_reason="INCONNU", exit_housing=None,
                 exit_employment="INCONNU"),
        _support("A10", 6, "2024-01-01", "2024-02-01", exit_reason=None, exit_housing="INCONNU", exit_employment=None),
    ]
    referral = {"source": "AS_SECTEUR", "program": "HEBERGEMENT_INSERTION"}
    referrals = [
        {**referral, "referral_id": "R1", "person_id": "P01", "referral_date": "2024-01-10", "decision": "ACCEPTEE",
         "decision_date": "2024-01-20"},
        {**referral, "referral_id": "R2", "person_id": "P02", "referral_date": "2024-10-01", "decision": "EN_ATTENTE"},
        {**referral, "referral_id": "R3", "person_id": "P03", "referral_date": "2024-10-02", "decision": "EN_ATTENTE"},
        {**referral, "referral_id": "R4", "person_id": "P04", "referral_date": "2024-05-01", "decision": "REFUSEE"},
        {**referral, "referral_id": "R5", "person_id": "P05", "referral_date": "2024-03-01", "decision": "EN_ATTENTE"},
        {**referral, "referral_id": "R6", "person_id": "P06", "referral_date": "2024-03-01", "decision": "SANS_SUITE",
         "decision_date": "2024-03-05", "program": None},
    ]
    assessments = [
        {"person_id": p, "assessment_date": d, "domain": domain, "level": 3}
        for p, d, domain in (("P01", "2024-07-01", "LOGEMENT"), ("P04", "2024-04-01", "LOGEMENT"),
                             ("P06", "2024-02-01", "LOGEMENT"), ("P06", "2024-03-01", "LOGEMENT"),
                             ("P05", "2024-03-02", "EMPLOI_FORMATION"), ("P07", "2024-05-01", "LOGEMENT"))
    ]
    return {
        "structures": [{"structure_id": "S1", "name": "Foyer Les Tilleuls", "type": "CHRS", "territory": "Lyon"},
                       {"structure_id": "S2", "name": "Petit accueil", "type": "CCAS", "territory": "Bron"}],
        "persons": [_person(i) for i in range(1, 13)]
        + [{"structure_id": "S2", "person_id": f"Q{i}", **FILLED, "sex": "F", "birth_year": 1970} for i in (1, 2, 3)],
        "referrals": referrals,
        "support_periods": supports,
        "assessments": assessments,
        "workshops": [{"workshop_id": "W1", "name": "Couture", "category": "EXPRESSION", "modality": "COLLECTIF",
                       "facilitator": "INTERNE", "co_constructed": True},
                      {"workshop_id": "W2", "name": "Vide", "category": "AUTRE"}],
        "sessions": [{"session_id": "SE1", "workshop_id": "W1", "session_date": "2024-12-31", "duration_minutes": 60},
                     {"session_id": "SE2", "workshop_id": "W1", "session_date": "2024-06-01"}],
    }


# Hand-computed: (expected, missing, unknown) per column of S1, in models.quality.COMPLETENESS order.
COLUMNS_S1 = {
    "structures.type": (1, 0, 0), "structures.territory": (1, 0, 0),
    "persons.sex": (12, 2, 2), "persons.birth_year": (12, 1, 0),
    **{f"persons.{c}": (12, 0, 0) for c in ("household", "resources", "nationality", "french_level", "justice",
                                             "territory", "priority_area")},
    "referrals.program": (6, 1, 0), "referrals.decision_date": (3, 1, 0),
    "support_periods.exit_reason": (7, 1, 1), "support_periods.exit_housing": (7, 1, 1),
    "support_periods.exit_employment": (7, 1, 1),
    "workshops.modality": (2, 1, 0), "workshops.facilitator": (2, 1, 0), "workshops.co_constructed": (2, 1, 0),
    "workshop_sessions.duration_minutes": (2, 1, 0),
}
# (judged, flagged) rows per rule of S1.
RULES_S1 = {"OVERLAPPING_SUPPORT": (10, 4), "EXIT_WITHOUT_DESTINATION": (7, 1), "REFERRAL_PENDING": (6, 2),
            "ASSESSMENT_AFTER_EXIT": (6, 2), "WORKSHOP_WITHOUT_SESSION": (2, 1)}
# C = 1 - mean gap over the 20 columns: gaps 3/12 (sex), 1/12, 1/6, 1/3, 3 x 1.5/7, 4 x 1/2, the rest 0.
COMPLETENESS_S1 = 1 - (3 / 12 + 1 / 12 + 1 / 6 + 1 / 3 + 3 * 1.5 / 7 + 4 * 0.5) / 20
# K = 1 - mean share over the 5 rules.
CONSISTENCY_S1 = 1 - (4 / 10 + 1 / 7 + 2 / 6 + 2 / 6 + 1 / 2) / 5
# No timeliness (no load): score = 100 (0.4 C + 0.4 K) / 0.8.
SCORE_S1 = 100 * (COMPLETENESS_S1 + CONSISTENCY_S1) / 2
