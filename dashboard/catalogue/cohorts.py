"""Cohorts (Cohortes): figures about one cohort, in time since each person's anchor."""

from dashboard.catalogue.base import Column, Figure, code, persons, rate
from dashboard.metrics.cohorts import cohort_needs, cohort_outcomes

COHORT_OUTCOMES = Figure(
    name="cohort-outcomes",
    compute=cohort_outcomes,
    columns=(
        code("indicator", None), persons("persons"), persons("count"), rate("rate", "count", "persons"),
    ),
    title={"fr": "Indicateurs de la cohorte", "en": "Cohort indicators"},
    definition={
        "fr": (
            "Une ligne par indicateur : `members`, la taille de la cohorte ; puis chaque indicateur en part de "
            "personnes de la cohorte (`count` parmi `persons`, la part `rate`) : "
            "`practical_need_at_entry` et `strategic_need_at_entry` : en besoin (niveau 1 ou 2) dans au moins un "
            "domaine pratique / stratégique à l'entrée (dernière évaluation de 180 jours avant l'ancrage à 30 jours "
            "après), parmi les personnes évaluées ; `strategic_improved` : personnes dont l'écart moyen (dernier "
            "niveau − niveau d'entrée) dans les domaines stratégiques est positif, sur une évaluation faite au moins "
            "3 mois après l'ancrage et dans l'horizon ; `improved_logement`, `improved_emploi`, `improved_sante`, "
            "`improved_liens` : de même dans les domaines de chaque pilier ; `workshop` : au moins une présence en atelier dans "
            "l'horizon ; `exited`, `housing_positive`, `dynamic_exit` : une sortie (décès exclus), une sortie vers "
            "un logement autonome ou accompagné, une sortie dynamique dans l'horizon. L'horizon (12 mois par "
            "défaut) part de la date d'ancrage de chaque personne ; seules comptent pour ces indicateurs les "
            "personnes suivies tout l'horizon (ancrage + horizon avant le dernier jour des données)."
        ),
        "en": (
            "One row per indicator: `members`, the cohort's size; then each indicator as a share of the cohort's "
            "persons (`count` among `persons`, the share `rate`): "
            "`practical_need_at_entry` and `strategic_need_at_entry`: in need (level 1 or 2) in at least one "
            "practical / strategic domain at entry (latest assessment from 180 days before the anchor to 30 days "
            "after), among those assessed; `strategic_improved`: persons whose mean change (latest level − entry "
            "level) over the strategic domains is above 0, on an assessment made at least 3 months after the "
            "anchor and within the horizon; `improved_logement`, `improved_emploi`, `improved_sante`, `improved_liens`: "
            "likewise over the domains of each pillar; `workshop`: at least one workshop attendance within the horizon; "
            "`exited`, `housing_positive`, `dynamic_exit`: an exit (deaths left out), an exit to independent or "
            "supported housing, a dynamic exit within the horizon. The horizon (12 months by default) runs from "
            "each person's anchor date; only persons followed for the whole horizon (anchor + horizon before the "
            "last day of data) count for these indicators."
        ),
    },
)
COHORT_NEEDS = Figure(
    name="cohort-needs",
    compute=cohort_needs,
    columns=(
        Column("quarter", "index"), code("kind", "KIND"), persons("persons_assessed"), persons("persons_in_need"),
        rate("share_in_need", "persons_in_need", "persons_assessed"),
    ),
    title={"fr": "Besoins depuis l'ancrage", "en": "Needs since the anchor"},
    definition={
        "fr": (
            "Par trimestre depuis la date d'ancrage de chaque personne (`quarter` 0 = les trois premiers mois, "
            "évaluations d'entrée comprises) et par type de besoin : `persons_assessed`, personnes évaluées ; "
            "`persons_in_need`, personnes en besoin (niveau 1 ou 2 à la dernière évaluation du trimestre dans au "
            "moins un domaine du type) ; `share_in_need`, leur part."
        ),
        "en": (
            "Per quarter since each person's anchor date (`quarter` 0 = the first three months, entry assessments "
            "included) and kind of need: `persons_assessed`, persons assessed; `persons_in_need`, persons in need "
            "(level 1 or 2 at the quarter's latest assessment in at least one domain of the kind); `share_in_need`, "
            "their share."
        ),
    },
)

FIGURES = (COHORT_OUTCOMES, COHORT_NEEDS)
