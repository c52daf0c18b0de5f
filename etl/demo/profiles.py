"""Who each kind of structure accompanies and how: the realism parameters
(not effects to recover, see ``effects.py`` for those).

Each distribution is a tuple of probabilities over the code list named next
to it, in that list's order as given here.
"""

from __future__ import annotations

SEX = ("F", "M", "AUTRE")
SEX_P = {"CS": (0.65, 0.34, 0.01), "CHRS": (0.21, 0.78, 0.01), "CPAS": (0.55, 0.44, 0.01)}
# Age at first contact: normal (mean, sd), clipped to [18, 85].
AGE = {"CS": (42.0, 13.0), "CHRS": (36.0, 10.0), "CPAS": (45.0, 14.0)}
HOUSEHOLD = ("PERSONNE_SEULE", "PARENT_ISOLE", "COUPLE_SANS_ENFANT", "COUPLE_AVEC_ENFANTS", "AUTRE")
HOUSEHOLD_P = {
    "CS": (0.35, 0.30, 0.08, 0.22, 0.05),
    "CHRS": (0.72, 0.12, 0.05, 0.06, 0.05),
    "CPAS": (0.45, 0.25, 0.10, 0.15, 0.05),
}
PARENTS = (1, 3)  # household indices with children
RESOURCES = ("SANS_RESSOURCES", "RSA", "AAH", "ASS", "ARE", "SALAIRE", "RETRAITE_PENSION", "AUTRE")
RESOURCES_P = {
    "CS": (0.10, 0.35, 0.07, 0.04, 0.10, 0.18, 0.08, 0.08),
    "CHRS": (0.40, 0.30, 0.08, 0.04, 0.06, 0.05, 0.02, 0.05),
    "CPAS": (0.15, 0.40, 0.08, 0.04, 0.08, 0.10, 0.08, 0.07),
    "BE": (0.15, 0.0, 0.0, 0.0, 0.12, 0.10, 0.08, 0.55),  # Belgian CPAS: revenu d'intégration is AUTRE
}
NATIONALITY = ("FRANCAISE", "UE", "HORS_UE")
NATIONALITY_P = {"CS": (0.55, 0.07, 0.38), "CHRS": (0.70, 0.06, 0.24), "CPAS": (0.62, 0.08, 0.30), "BE": (0.04, 0.62, 0.34)}
FRENCH = ("COURANTE", "PARTIELLE", "AUCUNE")
FRENCH_P = {"FRANCAISE": (0.96, 0.04, 0.0), "UE": (0.60, 0.30, 0.10), "HORS_UE": (0.35, 0.40, 0.25)}
FRENCH_P_BE_UE = (0.80, 0.15, 0.05)  # in a French-speaking Belgian commune, most EU nationals are Belgian
JUSTICE = ("AUCUNE", "SORTANT_DETENTION", "SOUS_MAIN_JUSTICE")
JUSTICE_P_SPIP = (0.0, 0.65, 0.35)
JUSTICE_P_OTHER = {"CS": (0.96, 0.01, 0.03), "CHRS": (0.82, 0.08, 0.10), "CPAS": (0.95, 0.02, 0.03)}
QPV_P = {"CS": 0.72, "CHRS": 0.35, "CPAS": 0.45}
OWN_AREA_P = 0.75  # persons living in the structure's own area; the others in a neighbouring one
VULNERABILITY_SHIFT = {"CS": -0.2, "CHRS": 0.4, "CPAS": 0.0}

SOURCES = (
    "AS_SECTEUR",
    "REFERENT_RSA",
    "CCAS",
    "SPIP",
    "FRANCE_TRAVAIL",
    "MISSION_LOCALE",
    "SIAO",
    "SANTE",
    "BAILLEUR",
    "ASSOCIATION",
    "SERVICE_INTERNE",
    "ENTOURAGE",
    "SPONTANE",
    "AUTRE",
)
SPIP = 3
SOURCES_P = {
    "CS": (0.36, 0.24, 0.06, 0.0, 0.04, 0.03, 0.0, 0.01, 0.02, 0.03, 0.10, 0.05, 0.05, 0.01),
    "CHRS": (0.04, 0.02, 0.01, 0.60, 0.02, 0.01, 0.16, 0.06, 0.0, 0.04, 0.02, 0.0, 0.01, 0.01),
    "CPAS": (0.15, 0.10, 0.0, 0.01, 0.08, 0.05, 0.03, 0.04, 0.04, 0.06, 0.18, 0.10, 0.14, 0.02),
}
PROGRAMS = (
    "ACCUEIL_JOUR",
    "HEBERGEMENT_URGENCE",
    "HEBERGEMENT_INSERTION",
    "LOGEMENT_ACCOMPAGNE",
    "SOINS",
    "ACCOMPAGNEMENT_SOCIAL",
    "ATELIERS",
    "CHANTIER_INSERTION",
    "ACCOMPAGNEMENT_EMPLOI",
    "AUTRE",
)
PROGRAMS_P = {
    "CS": (0.0, 0.0, 0.0, 0.0, 0.0, 0.35, 0.45, 0.0, 0.15, 0.05),
    "CHRS": (0.0, 0.05, 0.35, 0.15, 0.08, 0.10, 0.0, 0.15, 0.12, 0.0),
    "CPAS": (0.08, 0.0, 0.0, 0.05, 0.0, 0.45, 0.25, 0.0, 0.12, 0.05),
}
PROGRAM_MISSING = 0.04  # referrals without dispositif
# Stay length: log-normal with this median in days (sd of the log 0.6).
STAY_MEDIAN_DAYS = (90, 45, 270, 540, 180, 300, 200, 365, 240, 150)
HOUSING_PROGRAMS = frozenset({1, 2, 3})
SUPPORT_WITHOUT_REFERRAL_ID = 0.03  # support periods whose orientation_id was not exported

# Assessment grid (domains assessed) by kind, and how far each domain sits from BASE_LEVEL at entry.
ALL_DOMAINS = (
    "ALIMENTATION",
    "LOGEMENT",
    "HYGIENE",
    "DROITS_PAPIERS",
    "SANTE_PHYSIQUE",
    "RESSOURCES_BUDGET",
    "MOBILITE",
    "JUSTICE",
    "SANTE_MENTALE",
    "ADDICTIONS",
    "EMPLOI_FORMATION",
    "LANGUE_FRANCAISE",
    "NUMERIQUE",
    "LIENS_SOCIAUX_FAMILIAUX",
    "ESTIME_DE_SOI",
    "PARENTALITE",
    "PROJET_DE_VIE",
)
GRID = {
    "CS": (
        "DROITS_PAPIERS",
        "RESSOURCES_BUDGET",
        "MOBILITE",
        "SANTE_MENTALE",
        "EMPLOI_FORMATION",
        "LANGUE_FRANCAISE",
        "NUMERIQUE",
        "LIENS_SOCIAUX_FAMILIAUX",
        "ESTIME_DE_SOI",
        "PARENTALITE",
    ),
    "CHRS": ALL_DOMAINS,
    "CPAS": (
        "ALIMENTATION",
        "LOGEMENT",
        "RESSOURCES_BUDGET",
        "EMPLOI_FORMATION",
        "LANGUE_FRANCAISE",
        "NUMERIQUE",
        "LIENS_SOCIAUX_FAMILIAUX",
        "ESTIME_DE_SOI",
        "PARENTALITE",
    ),
}
DOMAIN_OFFSET = {
    "CS": {"RESSOURCES_BUDGET": -0.5, "NUMERIQUE": -0.6, "LIENS_SOCIAUX_FAMILIAUX": -0.5, "EMPLOI_FORMATION": -0.6},
    "CHRS": {
        "LOGEMENT": -1.4,
        "ALIMENTATION": -0.4,
        "HYGIENE": -0.2,
        "DROITS_PAPIERS": -0.8,
        "RESSOURCES_BUDGET": -1.0,
        "ADDICTIONS": -0.6,
        "SANTE_MENTALE": -0.7,
        "EMPLOI_FORMATION": -1.0,
        "ESTIME_DE_SOI": -0.6,
        "PROJET_DE_VIE": -0.6,
        "LIENS_SOCIAUX_FAMILIAUX": -0.5,
    },
    "CPAS": {"RESSOURCES_BUDGET": -1.0, "ALIMENTATION": -0.6, "LOGEMENT": -0.5, "EMPLOI_FORMATION": -0.8},
}
# Entry level of LANGUE_FRANCAISE follows the command of French, that of JUSTICE the situation.
FRENCH_LEVEL = (4.4, 2.3, 1.3)
JUSTICE_LEVEL = (4.6, 1.8, 2.4)

# Workshop enrolment: who joins, how many workshops, for how long.
ENROL_P = {"CS": 0.45, "CHRS": 0.35, "CPAS": 0.40}  # persons supported outside the ATELIERS program
EXTRA_WORKSHOPS_MEAN = {"CS": 0.9, "CHRS": 0.4, "CPAS": 0.7}  # Poisson, beyond the first
ENROL_MEDIAN_DAYS = 210
FLE_WEIGHT = {"COURANTE": 0.05, "PARTIELLE": 6.0, "AUCUNE": 10.0}
