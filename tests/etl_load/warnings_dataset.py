"""Two real loads whose warnings carry distinctive row-level values, for the
tests that check where those values may appear (the operator's command
line) and where they never may (the dashboard).

Load 1, structure CS1, from ``<tmp>/srv-secret-exports-4471/tilleuls``:

- 620 persons; ``ZQX-7731`` on line 619 of personnes.csv has no referral
  and no support period: 1 PERSON_WITHOUT_ACTIVITY;
- ``P-0005`` born in 1911 and ``P-0006`` born in 2015, first contact in
  2022: 2 AGE_IMPLAUSIBLE;
- every other person has one accepted referral on 2022-01-10; P-0001..P-0003
  have a second one still pending since 2023-03-17, 2023-04-20 and
  2023-05-25: 3 REFERRAL_PENDING_90D;
- P-0001..P-0060 left on 2022-06-30 without motif_sortie: 60
  EXIT_WITHOUT_REASON (50 stored, then one MORE_PROBLEMS row counting 10);
- P-0061 and P-0062 entered on 2022-02-01 and never left: 2 SUPPORT_OPEN_3Y.

Load 2, structure CS2, from ``<tmp>/srv-secret-exports-4471/arc-en-ciel``:
``ZQX-9042`` (line 4) without activity, two exits without reason.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from etl.dataset import read_and_validate
from etl.load import load_dataset

SECRET_DIR = "srv-secret-exports-4471"
PERSON_ID = "ZQX-7731"
PERSON_LINE = 619
BIRTH_YEAR = "1911"
PENDING_DATE = "2023-03-17"
LATEST_PERSON_ID = "ZQX-9042"

# kind -> true count, per load (hand-computed from the description above).
COUNTS = {
    1: {"EXIT_WITHOUT_REASON": 60, "REFERRAL_PENDING_90D": 3, "AGE_IMPLAUSIBLE": 2, "SUPPORT_OPEN_3Y": 2,
        "PERSON_WITHOUT_ACTIVITY": 1},
    2: {"EXIT_WITHOUT_REASON": 2, "PERSON_WITHOUT_ACTIVITY": 1},
}

_PERSON_HEAD = "structure_id;personne_id;sexe;annee_naissance\n"
_REFERRAL_HEAD = "structure_id,orientation_id,personne_id,date_orientation,source,decision,date_decision\n"
_SUPPORT_HEAD = "structure_id,accompagnement_id,personne_id,orientation_id,dispositif,date_entree,date_sortie,motif_sortie\n"


def _write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (folder / name).write_text(content, encoding="utf-8")
    return folder


def _first(root: Path) -> Path:
    people = [f"P-{i:04d}" for i in range(1, 618)] + [PERSON_ID] + [f"P-{i:04d}" for i in range(618, 620)]
    assert people.index(PERSON_ID) + 2 == PERSON_LINE
    born = {"P-0005": BIRTH_YEAR, "P-0006": "2015"}
    persons = "".join(f"CS1;{p};F;{born.get(p, '1980')}\n" for p in people)
    active = [p for p in people if p != PERSON_ID]
    referrals = [f"CS1,O-{p},{p},2022-01-10,SIAO,ACCEPTEE,2022-01-15\n" for p in active]
    pending = (PENDING_DATE, "2023-04-20", "2023-05-25")
    referrals += [f"CS1,OP-{i},P-000{i},{day},SIAO,EN_ATTENTE,\n" for i, day in enumerate(pending, start=1)]
    supports = [f"CS1,A-{p},{p},O-{p},HEBERGEMENT_INSERTION,2022-01-21,2022-06-30,\n" for p in active[:60]]
    supports += [f"CS1,A-{p},{p},O-{p},HEBERGEMENT_INSERTION,2022-02-01,,\n" for p in active[60:62]]
    return _write(root / SECRET_DIR / "tilleuls", {
        "personnes.csv": _PERSON_HEAD + persons,
        "orientations.csv": _REFERRAL_HEAD + "".join(referrals),
        "accompagnements.csv": _SUPPORT_HEAD + "".join(supports),
    })


def _second(root: Path) -> Path:
    return _write(root / SECRET_DIR / "arc-en-ciel", {
        "personnes.csv": _PERSON_HEAD + f"CS2;Q-1;M;1975\nCS2;Q-2;F;1990\nCS2;{LATEST_PERSON_ID};M;1982\n",
        "orientations.csv": _REFERRAL_HEAD + "CS2,R1,Q-1,2024-02-01,SPIP,ACCEPTEE,2024-02-05\n"
                                             "CS2,R2,Q-2,2024-03-01,SPIP,ACCEPTEE,2024-03-04\n",
        "accompagnements.csv": _SUPPORT_HEAD + "CS2,B1,Q-1,R1,HEBERGEMENT_INSERTION,2024-02-06,2024-08-01,\n"
                                               "CS2,B2,Q-2,R2,HEBERGEMENT_INSERTION,2024-03-05,2024-09-01,\n",
    })


def load_both(engine: Engine, root: Path) -> None:
    """Validate and load both datasets (loads 1 and 2), as ``python -m etl load`` does."""
    for folder in (_first(root), _second(root)):
        dataset = read_and_validate(folder)
        assert dataset.ok, dataset.errors[:3]
        load_dataset(engine, dataset, source=str(folder))
