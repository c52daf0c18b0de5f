"""Words of the Analyses page and charts: key -> (French, English), merged into ``dashboard.strings_pages``."""

STRINGS: dict[str, tuple[str, str]] = {
    "analyses.intro": (
        "Deux analyses sur les personnes de la sélection (filtres à gauche), comptées à leur première entrée en "
        "accompagnement dans la période : l'effet ajusté de la participation régulière aux ateliers, et les grands "
        "types de situations à l'entrée.",
        "Two analyses of the persons of the selection (filters on the left), counted at their first support entry "
        "in the period: the adjusted effect of regular workshop attendance, and the main kinds of situations at entry.",
    ),
    "analyses.cohort": (
        "Personnes de la cohorte du lien (paramètres c1_…, comme les écrit la page Cohortes) : les filtres de gauche "
        "ne s'appliquent pas.",
        "Persons of the link's cohort (c1_… parameters, as the Cohorts page writes them): the filters on the left do "
        "not apply.",
    ),
    "analyses.effect": ("Participation régulière aux ateliers : estimation ajustée",
                        "Regular workshop attendance: adjusted estimate"),
    "analyses.effect_caption": (
        "Estimation observationnelle sous hypothèses : les personnes qui viennent régulièrement ne sont pas comparables "
        "aux autres (elles sont en moyenne moins vulnérables) ; l'estimation compare des groupes repondérés pour se "
        "ressembler à l'entrée. Elle ne prouve pas que les ateliers causent l'évolution observée.",
        "An observational estimate under assumptions: people who attend regularly are not like the others (they are "
        "less vulnerable on average); the estimate compares groups reweighted to look alike at entry. It does not "
        "prove that the workshops cause the change observed.",
    ),
    "analyses.sessions": ("Séances « présent » au moins", "PRESENT sessions at least"),
    "analyses.months": ("dans les premiers mois après l'entrée", "in the first months after entry"),
    "analyses.too_small": ("Trop peu de personnes dans la sélection pour cette analyse (moins de {k} par groupe).",
                           "Too few persons in the selection for this analysis (fewer than {k} per group)."),
    "analyses.col_outcome": ("Résultat", "Outcome"),
    "analyses.col_naive": ("Écart brut", "Raw difference"),
    "analyses.col_ipw": ("Ajusté (IPW)", "Adjusted (IPW)"),
    "analyses.col_aipw": ("Ajusté (AIPW)", "Adjusted (AIPW)"),
    "analyses.col_groups": ("Régulières / autres", "Regular / others"),
    "analyses.col_ess": ("Effectif effectif", "Effective size"),
    "analyses.col_smd": ("Déséquilibre max. après", "Largest imbalance after"),
    "analyses.not_interpretable": ("non interprétable", "not interpretable"),
    "analyses.hidden": ("< {k}", "< {k}"),
    "analyses.none_interpretable": (
        "Aucune estimation ajustée n'est interprétable ici : après pondération, une caractéristique au moins reste "
        "déséquilibrée (différence standardisée au-delà de 0,1, voir les diagnostics) ou un groupe pèse moins de {ess} "
        "personnes. Élargissez la période ou la sélection.",
        "No adjusted estimate is interpretable here: after weighting, at least one characteristic stays unbalanced "
        "(standardised difference beyond 0.1, see the diagnostics) or a group weighs less than {ess} persons. Widen "
        "the period or the selection.",
    ),
    "analyses.diagnostics": ("Diagnostics du résultat", "Diagnostics of the outcome"),
    "analyses.love": ("Équilibre avant et après pondération", "Balance before and after weighting"),
    "analyses.smd_axis": ("différence standardisée", "standardised difference"),
    "analyses.before": ("avant", "before"),
    "analyses.after": ("après", "after"),
    "analyses.overlap": ("Recouvrement des scores de propension", "Overlap of propensity scores"),
    "analyses.score": ("score de propension", "propensity score"),
    "analyses.regular": ("régulières", "regular"),
    "analyses.others": ("autres", "others"),
    "analyses.persons_axis": ("personnes", "persons"),
    "analyses.method": ("Méthode, hypothèses et limites", "Method, assumptions and limits"),
    "analyses.method_text": (
        "**Exposition** : au moins N séances « présent » dans les M premiers mois après la première entrée en "
        "accompagnement ; seules les personnes encore accompagnées à M mois comptent (sinon partir tôt ferait passer "
        "pour non-participant). **Résultats** : distance parcourue (niveau à 6 ou 12 mois moins niveau à l'entrée) "
        "dans les domaines stratégiques et par pilier ; sortie vers le logement ; sortie dynamique (emploi, formation). "
        "**Ajustement** : score de propension par régression logistique (âge, sexe, source, structure, dispositif, "
        "ressources, justice, QPV, niveaux à l'entrée par domaine avec indicateurs de valeur manquante) ; poids "
        "inverses stabilisés après exclusion des scores hors de [0,05 ; 0,95] ; second estimateur doublement robuste "
        "(AIPW) ; intervalles à 95 % par bootstrap (200 tirages, graine fixe). **Lecture** : une estimation n'est "
        "donnée que si toutes les différences standardisées après pondération sont sous 0,1 et si l'effectif "
        "effectif de chaque groupe atteint {ess}. **Hypothèses** : aucun facteur de confusion non mesuré (une "
        "vulnérabilité que les niveaux à l'entrée ne montrent pas fausserait l'estimation), recouvrement (chacun "
        "aurait pu venir ou non), résultats manquants au hasard une fois ces caractéristiques connues (les personnes "
        "encore évaluées à 6 ou 12 mois). Ce qui les briserait : une orientation vers les ateliers décidée sur des "
        "critères non enregistrés, des sorties précoces liées à la participation, des évaluations plus fréquentes "
        "pour les participants.",
        "**Exposure**: at least N PRESENT sessions in the first M months after the first support entry; only persons "
        "still supported at M months count (otherwise leaving early would pass for not attending). **Outcomes**: "
        "distance travelled (level at 6 or 12 months minus level at entry) in the strategic domains and by pillar; "
        "exit to housing; dynamic exit (work, training). **Adjustment**: propensity score from a logistic regression "
        "(age, sex, source, structure, program, resources, justice, QPV, levels at entry by domain with missing-value "
        "indicators); stabilised inverse weights after leaving out scores outside [0.05, 0.95]; a second, doubly "
        "robust estimator (AIPW); 95 % intervals by bootstrap (200 draws, fixed seed). **Reading**: an estimate is "
        "given only when every standardised difference after weighting is under 0.1 and the effective size of each "
        "group reaches {ess}. **Assumptions**: no unmeasured confounding (a vulnerability the levels at entry do not "
        "show would bias the estimate), overlap (anyone could have attended or not), outcomes missing at random once "
        "these characteristics are known (people still assessed at 6 or 12 months). What would break them: referral "
        "to workshops on criteria not recorded, early exits linked to attendance, more frequent assessments for "
        "attendees.",
    ),
    "analyses.types": ("Types de situations à l'entrée", "Kinds of situations at entry"),
    "analyses.types_caption": (
        "{k} types (k-means sur les niveaux à l'entrée, k choisi par la silhouette : {silhouette}) ; stabilité par "
        "bootstrap (indice de Rand ajusté, 1 = mêmes types) : {stability}. Types de moins de {kp} personnes "
        "fusionnés avec le plus proche.",
        "{k} types (k-means on the levels at entry, k chosen by silhouette: {silhouette}); stability by bootstrap "
        "(adjusted Rand index, 1 = the same types): {stability}. Types of fewer than {kp} persons merged into the "
        "nearest.",
    ),
    "analyses.type_sizes": ("Personnes par type", "Persons by type"),
    "analyses.type_profiles": ("Profil des types : niveau moyen à l'entrée par domaine (1 crise – 5 autonomie)",
                               "Profile of the types: mean level at entry by domain (1 crisis – 5 autonomous)"),
    "analyses.type_evolution": ("Évolution par type", "How each type evolves"),
    "analyses.col_type": ("Type", "Type"),
    "analyses.col_persons": ("Personnes", "Persons"),
    "analyses.col_regular": ("Part de participants réguliers", "Share of regular attendees"),
    "analyses.col_distance": ("Distance parcourue à 12 mois (stratégique)", "Distance travelled at 12 months (strategic)"),
    "analyses.col_housing": ("Sorties vers le logement", "Exits to housing"),
    "analyses.col_dynamic": ("Sorties dynamiques", "Dynamic exits"),
    "analyses.no_types": ("Trop peu de personnes évaluées à l'entrée pour dégager des types.",
                          "Too few persons assessed at entry to find types."),
    "analyses.outcome.strategic": ("Distance parcourue, domaines stratégiques, {h} mois",
                                   "Distance travelled, strategic domains, {h} months"),
    "analyses.outcome.pillar": ("Distance parcourue, pilier {pillar}, {h} mois", "Distance travelled, {pillar} pillar, {h} months"),
    "analyses.outcome.exit_housing_positive": ("Sortie vers le logement (part)", "Exit to housing (share)"),
    "analyses.outcome.exit_dynamic": ("Sortie dynamique (part)", "Dynamic exit (share)"),
    "page.analyses": ("Analyses", "Analyses"),
}
