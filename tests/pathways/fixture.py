"""Pathways worked out by hand (structure S1, every support period entered in 2025, k = 5 on screen).

Person   referral source   program                  how it ends (days after entry)
P01-P06  AS_SECTEUR        HEBERGEMENT_INSERTION    LOGEMENT_AUTONOME (60)
P07-P08  AS_SECTEUR        HEBERGEMENT_INSERTION    LOGEMENT_ACCOMPAGNE (60)
P09-P10  SIAO              HEBERGEMENT_INSERTION    LOGEMENT_AUTONOME (60)
P11      SIAO              HEBERGEMENT_INSERTION    LOGEMENT_AUTONOME (200)
P12-P14  SIAO              HEBERGEMENT_INSERTION    LOGEMENT_ACCOMPAGNE (200)
P15-P17  CCAS              HEBERGEMENT_INSERTION    LOGEMENT_AUTONOME (200)
P18-P19  SPONTANE          HEBERGEMENT_INSERTION    LOGEMENT_AUTONOME (200)
P20      ENTOURAGE         ACCUEIL_JOUR             NON_CONCERNE (10)
P01      AS_SECTEUR        HEBERGEMENT_INSERTION    LOGEMENT_AUTONOME (61; a second support period)

Sankey (rules of ``dashboard.pathway_disclosure``, exact mode, k = 5):
- round 1, nodes: sources CCAS (3), SPONTANE (2), ENTOURAGE (1) -> AUTRES; program ACCUEIL_JOUR (1) -> AUTRES;
  outcome NON_CONCERNE (1) -> AUTRES. Flows: AUTRES -> AUTRES (P20 alone, 1) stays under 5 once merged: P20's
  pathway is left out of the whole chart;
- round 2, without P20: AS_SECTEUR -> HI 8 persons (P01's two periods count once), SIAO -> HI 6,
  AUTRES -> HI 5 (CCAS 3 + SPONTANE 2, merged); HI -> LOGEMENT_AUTONOME 14 (P01-P06, P09-P11, P15-P19),
  HI -> LOGEMENT_ACCOMPAGNE 5 (P07, P08, P12-P14). Nothing else under 5: done.
Node totals: AS_SECTEUR 8, AUTRES 5, SIAO 6; HI 19; LOGEMENT_AUTONOME 14, LOGEMENT_ACCOMPAGNE 5. HI's total (19)
equals the sum of its flows in (8 + 5 + 6) and out (14 + 5): P20 is in no figure.

Time to exit, HEBERGEMENT_INSERTION (20 periods, every exit housing-positive): times 60 (x 10), 61 (P01's second),
200 (x 9). S(60) = 10/20 = 0.5, S(61) = 0.5 * 9/10 = 0.45, S(200) = 0: at days 30, 90, 180, 365, 730 the survival
is 1, 0.45, 0.45, 0, 0 with 20, 9, 9, 0, 0 still followed; ACCUEIL_JOUR (1 period) is hidden whole.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

ENTRY = date(2025, 1, 15)
GROUPS: list[tuple[range, str, str, str, int]] = [
    (range(1, 7), "AS_SECTEUR", "HEBERGEMENT_INSERTION", "LOGEMENT_AUTONOME", 60),
    (range(7, 9), "AS_SECTEUR", "HEBERGEMENT_INSERTION", "LOGEMENT_ACCOMPAGNE", 60),
    (range(9, 11), "SIAO", "HEBERGEMENT_INSERTION", "LOGEMENT_AUTONOME", 60),
    (range(11, 12), "SIAO", "HEBERGEMENT_INSERTION", "LOGEMENT_AUTONOME", 200),
    (range(12, 15), "SIAO", "HEBERGEMENT_INSERTION", "LOGEMENT_ACCOMPAGNE", 200),
    (range(15, 18), "CCAS", "HEBERGEMENT_INSERTION", "LOGEMENT_AUTONOME", 200),
    (range(18, 20), "SPONTANE", "HEBERGEMENT_INSERTION", "LOGEMENT_AUTONOME", 200),
    (range(20, 21), "ENTOURAGE", "ACCUEIL_JOUR", "NON_CONCERNE", 10),
]


def rows() -> dict[str, list[dict[str, Any]]]:
    referrals, supports = [], []
    for people, source, program, housing, days in GROUPS:
        for i in people:
            person = f"P{i:02d}"
            referrals.append({"referral_id": f"R{i}", "person_id": person, "referral_date": ENTRY - timedelta(days=5),
                              "source": source, "program": program, "decision": "ACCEPTEE",
                              "decision_date": ENTRY - timedelta(days=2)})
            supports.append({"support_id": f"A{i}", "person_id": person, "referral_id": f"R{i}", "program": program,
                             "entry_date": ENTRY, "exit_date": ENTRY + timedelta(days=days), "exit_reason": "ACCES_SOLUTION",
                             "exit_housing": housing})
    referrals.append({"referral_id": "R1b", "person_id": "P01", "referral_date": date(2025, 2, 20), "source": "AS_SECTEUR",
                      "program": "HEBERGEMENT_INSERTION", "decision": "ACCEPTEE", "decision_date": date(2025, 2, 25)})
    supports.append({"support_id": "A1b", "person_id": "P01", "referral_id": "R1b", "program": "HEBERGEMENT_INSERTION",
                     "entry_date": date(2025, 3, 1), "exit_date": date(2025, 3, 1) + timedelta(days=61),
                     "exit_reason": "ACCES_SOLUTION", "exit_housing": "LOGEMENT_AUTONOME"})
    persons = [{"person_id": f"P{i:02d}", "sex": "F" if i % 2 else "M", "birth_year": 1985} for i in range(1, 21)]
    return {"persons": persons, "referrals": referrals, "support_periods": supports}
