"""Each warning rule, with exact counts on one hand-checked fixture (today = 2025-06-30)."""

from pathlib import Path

from tests.etl_read.fixtures import check, where

PERSONS = (
    "structure_id,personne_id,annee_naissance\n"
    "S1,P1,1980\n"  # 44 at first contact: fine
    "S1,P2,2012\n"  # 12 at first referral (2024): implausible
    "S1,P3,1920\n"  # 103 at first support period (2023): implausible
    "S1,P4,2015\n"  # no contact at all: not judged on age, without activity
    "S1,P5,\n"  # without activity
    "S1,P6,2008\n"  # 17 at referral (2025) but 14 at the earlier support period (2022): implausible
)
REFERRALS = (
    "structure_id,orientation_id,personne_id,date_orientation,source,decision\n"
    "S1,O1,P1,2024-01-10,SPIP,ACCEPTEE\n"
    "S1,O2,P2,2024-02-01,CCAS,EN_ATTENTE\n"  # pending 515 days
    "S1,O3,P6,2025-01-01,CCAS,\n"  # pending (empty decision) 180 days
    "S1,O4,P1,2025-04-01,CCAS,en attente\n"  # pending exactly 90 days: not over 90
    "S1,O5,P1,2025-03-31,CCAS,EN_ATTENTE\n"  # pending 91 days
)
SUPPORTS = (
    "structure_id,accompagnement_id,personne_id,dispositif,date_entree,date_sortie,motif_sortie\n"
    "S1,A1,P1,SOINS,2024-01-21,2024-05-01,OBJECTIF_ATTEINT\n"
    "S1,A2,P3,SOINS,2023-01-01,2024-01-01,\n"  # exit without reason
    "S1,A3,P6,SOINS,2022-03-01,,\n"  # open for more than 3 years
    "S1,A4,P1,SOINS,2022-06-30,,\n"  # open exactly 3 years: not over
    "S1,A5,P1,SOINS,2022-06-29,,\n"  # open 3 years and a day
    "S1,A6,P2,SOINS,2024-02-10,2024-03-01,\n"  # exit without reason
)


def test_every_warning_rule(tmp_path: Path) -> None:
    dataset = check(tmp_path, {"personnes.csv": PERSONS, "orientations.csv": REFERRALS, "accompagnements.csv": SUPPORTS})
    assert dataset.ok, dataset.errors
    assert where(dataset.warnings) == [
        ("personnes", 3, "annee_naissance", "2012", "AGE_IMPLAUSIBLE"),
        ("personnes", 4, "annee_naissance", "1920", "AGE_IMPLAUSIBLE"),
        ("personnes", 7, "annee_naissance", "2008", "AGE_IMPLAUSIBLE"),
        ("personnes", 5, "personne_id", "P4", "PERSON_WITHOUT_ACTIVITY"),
        ("personnes", 6, "personne_id", "P5", "PERSON_WITHOUT_ACTIVITY"),
        ("orientations", 3, "date_orientation", "2024-02-01", "REFERRAL_PENDING_90D"),
        ("orientations", 4, "date_orientation", "2025-01-01", "REFERRAL_PENDING_90D"),
        ("orientations", 6, "date_orientation", "2025-03-31", "REFERRAL_PENDING_90D"),
        ("accompagnements", 3, "motif_sortie", None, "EXIT_WITHOUT_REASON"),
        ("accompagnements", 7, "motif_sortie", None, "EXIT_WITHOUT_REASON"),
        ("accompagnements", 4, "date_entree", "2022-03-01", "SUPPORT_OPEN_3Y"),
        ("accompagnements", 6, "date_entree", "2022-06-29", "SUPPORT_OPEN_3Y"),
    ]
    assert dataset.warnings[0].message == (
        "personnes.csv, ligne 3, colonne annee_naissance : âge au premier contact inférieur à 16 ans ou supérieur "
        "à 100 ans (année de naissance « 2012 »)."
    )


def test_ages_at_the_bounds_are_plausible(tmp_path: Path) -> None:
    persons = "structure_id,personne_id,annee_naissance\nS1,P1,2008\nS1,P2,1924\n"
    dataset = check(tmp_path, {"personnes.csv": persons})
    assert dataset.ok and dataset.warnings == []


def test_warnings_in_english(tmp_path: Path) -> None:
    dataset = check(tmp_path, {"accompagnements.csv": SUPPORTS.replace("S1,P3", "S1,P2").splitlines()[0] + "\n"
                               + "S1,A9,P1,SOINS,2024-01-21,2024-05-01,\n"}, lang="en")
    assert [p.message for p in dataset.warnings] == [
        "accompagnements.csv, line 2, column motif_sortie: exit without motif_sortie."
    ]
