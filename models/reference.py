"""Reference data: every code list of the contract with French and English
labels, and the default reading of each life domain (kind and pillar).

Seeded into ``code_labels`` and ``domain_readings`` when the database is
created; the tables, not these constants, are what the dashboard reads, so a
structure can relabel or re-classify without touching code.
"""

# code list -> [(code, label_fr, label_en)], in display order
CODE_LISTS: dict[str, list[tuple[str, str, str]]] = {
    "TYPE_STRUCTURE": [
        ("CENTRE_SOCIAL", "Centre social", "Social centre"),
        ("CHRS", "CHRS", "Shelter (CHRS)"),
        ("CHU", "Hébergement d'urgence (CHU)", "Emergency shelter (CHU)"),
        ("ACCUEIL_JOUR", "Accueil de jour", "Day centre"),
        ("ASSOCIATION_INSERTION", "Association d'insertion", "Reintegration association"),
        ("CPAS", "CPAS", "Public social-action centre (CPAS)"),
        ("CCAS", "CCAS", "Municipal social-action centre (CCAS)"),
        ("SIAE", "Structure d'insertion par l'activité économique", "Work-integration enterprise (SIAE)"),
        ("AUTRE", "Autre", "Other"),
    ],
    "SEXE": [
        ("F", "Femme", "Woman"),
        ("M", "Homme", "Man"),
        ("AUTRE", "Autre", "Other"),
        ("NR", "Non renseigné", "Not recorded"),
    ],
    "COMPOSITION": [
        ("PERSONNE_SEULE", "Personne seule", "Single person"),
        ("PARENT_ISOLE", "Parent isolé", "Single parent"),
        ("COUPLE_SANS_ENFANT", "Couple sans enfant", "Couple without children"),
        ("COUPLE_AVEC_ENFANTS", "Couple avec enfants", "Couple with children"),
        ("AUTRE", "Autre", "Other"),
        ("NR", "Non renseigné", "Not recorded"),
    ],
    "RESSOURCES": [
        ("SANS_RESSOURCES", "Sans ressources", "No income"),
        ("RSA", "RSA", "Minimum income (RSA)"),
        ("AAH", "AAH", "Disability allowance (AAH)"),
        ("ASS", "ASS", "Solidarity allowance (ASS)"),
        ("ARE", "Allocation chômage (ARE)", "Unemployment benefit (ARE)"),
        ("SALAIRE", "Salaire", "Wages"),
        ("RETRAITE_PENSION", "Retraite, pension", "Retirement, pension"),
        ("AUTRE", "Autre", "Other"),
        ("NR", "Non renseigné", "Not recorded"),
    ],
    "NATIONALITE": [
        ("FRANCAISE", "Française", "French"),
        ("UE", "Union européenne", "European Union"),
        ("HORS_UE", "Hors Union européenne", "Outside the EU"),
        ("NR", "Non renseigné", "Not recorded"),
    ],
    "MAITRISE": [
        ("COURANTE", "Courante", "Fluent"),
        ("PARTIELLE", "Partielle", "Partial"),
        ("AUCUNE", "Aucune", "None"),
        ("NR", "Non renseigné", "Not recorded"),
    ],
    "JUSTICE": [
        ("AUCUNE", "Aucune", "None"),
        ("SORTANT_DETENTION", "Sortant de détention", "Leaving prison"),
        ("SOUS_MAIN_JUSTICE", "Sous main de justice", "Under judicial supervision"),
        ("NR", "Non renseigné", "Not recorded"),
    ],
    "SOURCE": [
        ("AS_SECTEUR", "Assistant·e social·e de secteur", "Sector social worker"),
        ("REFERENT_RSA", "Référent RSA", "RSA referent"),
        ("CCAS", "CCAS", "Municipal social-action centre (CCAS)"),
        ("SPIP", "SPIP (probation)", "Probation service (SPIP)"),
        ("FRANCE_TRAVAIL", "France Travail", "France Travail (employment service)"),
        ("MISSION_LOCALE", "Mission locale", "Youth employment office"),
        ("SIAO", "SIAO / 115", "Housing helpline (SIAO / 115)"),
        ("SANTE", "Santé (CMP, CSAPA, hôpital, PASS)", "Health services"),
        ("BAILLEUR", "Bailleur social", "Social landlord"),
        ("ASSOCIATION", "Autre association", "Another association"),
        ("SERVICE_INTERNE", "Service interne", "Internal service"),
        ("ENTOURAGE", "Entourage", "Family and friends"),
        ("SPONTANE", "Démarche spontanée", "Came by themselves"),
        ("AUTRE", "Autre", "Other"),
    ],
    "DISPOSITIF": [
        ("ACCUEIL_JOUR", "Accueil de jour", "Day centre"),
        ("HEBERGEMENT_URGENCE", "Hébergement d'urgence", "Emergency shelter"),
        ("HEBERGEMENT_INSERTION", "Hébergement d'insertion", "Transitional housing"),
        ("LOGEMENT_ACCOMPAGNE", "Logement accompagné", "Supported housing"),
        ("SOINS", "Soins", "Care"),
        ("ACCOMPAGNEMENT_SOCIAL", "Accompagnement social", "Social support"),
        ("ATELIERS", "Ateliers", "Workshops"),
        ("CHANTIER_INSERTION", "Chantier d'insertion", "Work-integration project"),
        ("ACCOMPAGNEMENT_EMPLOI", "Accompagnement vers l'emploi", "Employment support"),
        ("AUTRE", "Autre", "Other"),
    ],
    "DECISION": [
        ("ACCEPTEE", "Acceptée", "Accepted"),
        ("REFUSEE", "Refusée", "Refused"),
        ("EN_ATTENTE", "En attente", "Pending"),
        ("SANS_SUITE", "Sans suite", "Not followed up"),
    ],
    "MOTIF_SORTIE": [
        ("OBJECTIF_ATTEINT", "Objectif atteint", "Goal reached"),
        ("ACCES_SOLUTION", "Accès à une solution", "Found a solution"),
        ("REORIENTATION", "Réorientation", "Referred elsewhere"),
        ("DEPART_VOLONTAIRE", "Départ volontaire", "Left voluntarily"),
        ("NON_ADHESION", "Non-adhésion", "Disengaged"),
        ("EXCLUSION", "Exclusion", "Excluded"),
        ("FIN_PRISE_EN_CHARGE", "Fin de prise en charge", "End of funding"),
        ("INCARCERATION", "Incarcération", "Imprisoned"),
        ("HOSPITALISATION", "Hospitalisation", "Hospitalised"),
        ("DECES", "Décès", "Death"),
        ("AUTRE", "Autre", "Other"),
        ("INCONNU", "Inconnu", "Unknown"),
    ],
    "LOGEMENT_SORTIE": [
        ("LOGEMENT_AUTONOME", "Logement autonome", "Independent housing"),
        ("LOGEMENT_ACCOMPAGNE", "Logement accompagné", "Supported housing"),
        ("HEBERGEMENT_INSERTION", "Hébergement d'insertion", "Transitional housing"),
        ("HEBERGEMENT_URGENCE", "Hébergement d'urgence", "Emergency shelter"),
        ("TIERS", "Hébergé par un tiers", "Staying with others"),
        ("SOINS", "Structure de soins", "Care facility"),
        ("DETENTION", "Détention", "Prison"),
        ("RUE", "Rue", "Street"),
        ("INCONNU", "Inconnu", "Unknown"),
        ("NON_CONCERNE", "Non concerné", "Not applicable"),
    ],
    "EMPLOI_SORTIE": [
        ("EMPLOI_DURABLE", "Emploi durable", "Lasting employment"),
        ("EMPLOI_TRANSITION", "Emploi de transition", "Transitional employment"),
        ("SORTIE_POSITIVE", "Sortie positive (formation, SIAE)", "Positive exit (training, SIAE)"),
        ("RECHERCHE_EMPLOI", "En recherche d'emploi", "Looking for work"),
        ("INACTIF", "Inactif", "Inactive"),
        ("INCONNU", "Inconnu", "Unknown"),
        ("NON_CONCERNE", "Non concerné", "Not applicable"),
    ],
    "DOMAINE": [
        ("ALIMENTATION", "Alimentation", "Food"),
        ("LOGEMENT", "Logement", "Housing"),
        ("HYGIENE", "Hygiène", "Hygiene"),
        ("DROITS_PAPIERS", "Droits et papiers", "Rights and papers"),
        ("SANTE_PHYSIQUE", "Santé physique", "Physical health"),
        ("RESSOURCES_BUDGET", "Ressources et budget", "Income and budget"),
        ("MOBILITE", "Mobilité", "Mobility"),
        ("JUSTICE", "Justice", "Justice"),
        ("SANTE_MENTALE", "Santé mentale", "Mental health"),
        ("ADDICTIONS", "Addictions", "Addictions"),
        ("EMPLOI_FORMATION", "Emploi et formation", "Employment and training"),
        ("LANGUE_FRANCAISE", "Langue française", "French language"),
        ("NUMERIQUE", "Numérique", "Digital skills"),
        ("LIENS_SOCIAUX_FAMILIAUX", "Liens sociaux et familiaux", "Social and family bonds"),
        ("ESTIME_DE_SOI", "Estime de soi", "Self-esteem"),
        ("PARENTALITE", "Parentalité", "Parenting"),
        ("PROJET_DE_VIE", "Projet de vie", "Life project"),
    ],
    "CATEGORIE_ATELIER": [
        ("EXPRESSION", "Expression (théâtre, radio, arts...)", "Expression (theatre, radio, arts...)"),
        ("LANGUE_SAVOIRS", "Langue et savoirs de base", "Language and basic skills"),
        ("NUMERIQUE", "Numérique", "Digital"),
        ("BIEN_ETRE", "Bien-être", "Well-being"),
        ("VIE_QUOTIDIENNE", "Vie quotidienne", "Daily life"),
        ("EMPLOI", "Emploi", "Employment"),
        ("CULTURE_SORTIES", "Culture et sorties", "Culture and outings"),
        ("TECHNIQUE", "Technique", "Technical"),
        ("AUTRE", "Autre", "Other"),
    ],
    "MODALITE": [
        ("COLLECTIF", "Collectif", "Group"),
        ("INDIVIDUEL", "Individuel", "Individual"),
    ],
    "INTERVENANT": [
        ("INTERNE", "Interne", "Internal staff"),
        ("EXTERNE", "Externe", "External professional"),
    ],
    "PRESENCE": [
        ("PRESENT", "Présent", "Present"),
        ("ABSENT", "Absent", "Absent"),
        ("EXCUSE", "Excusé", "Excused"),
    ],
    "JALON": [
        ("OUVERTURE_DROITS", "Ouverture de droits", "Benefits opened"),
        ("DOMICILIATION", "Domiciliation", "Postal address obtained"),
        ("PIECE_IDENTITE", "Pièce d'identité", "Identity document"),
        ("ACCES_SOINS", "Accès aux soins", "Access to care"),
        ("ENTREE_FORMATION", "Entrée en formation", "Started training"),
        ("ACCES_EMPLOI", "Accès à l'emploi", "Found work"),
        ("ACCES_LOGEMENT", "Accès au logement", "Found housing"),
        ("RENOUEMENT_FAMILIAL", "Renouement familial", "Family ties renewed"),
        ("INITIATIVE_COLLECTIVE", "Initiative collective", "Collective initiative"),
        ("AUTRE", "Autre", "Other"),
    ],
    # Not contract codes, but labelled through the same table.
    "KIND": [
        ("PRATIQUE", "Besoins pratiques", "Practical needs"),
        ("STRATEGIQUE", "Besoins stratégiques", "Strategic needs"),
    ],
    "AGE_BAND": [
        ("MOINS_26", "Moins de 26 ans", "Under 26"),
        ("26_44", "26–44 ans", "26–44"),
        ("45_59", "45–59 ans", "45–59"),
        ("60_PLUS", "60 ans et plus", "60 and over"),
        ("INCONNU", "Âge inconnu", "Age unknown"),
    ],
    "CO_CONSTRUIT": [
        ("OUI", "Oui", "Yes"),
        ("NON", "Non", "No"),
        ("INCONNU", "Non renseigné", "Not recorded"),
    ],
    "PILLAR": [
        ("LOGEMENT", "Logement", "Housing"),
        ("EMPLOI", "Emploi", "Employment"),
        ("SANTE", "Santé", "Health"),
        ("LIENS", "Liens sociaux et familiaux", "Social and family bonds"),
    ],
}

# Lists that only label things and are not valid values in input files.
LABEL_ONLY_LISTS = frozenset({"KIND", "PILLAR", "AGE_BAND", "CO_CONSTRUIT"})

# domain -> (kind, pillar): the contract's default reading.
DEFAULT_DOMAIN_READINGS: dict[str, tuple[str, str | None]] = {
    "ALIMENTATION": ("PRATIQUE", None),
    "LOGEMENT": ("PRATIQUE", "LOGEMENT"),
    "HYGIENE": ("PRATIQUE", None),
    "DROITS_PAPIERS": ("PRATIQUE", None),
    "SANTE_PHYSIQUE": ("PRATIQUE", "SANTE"),
    "RESSOURCES_BUDGET": ("PRATIQUE", None),
    "MOBILITE": ("PRATIQUE", None),
    "JUSTICE": ("PRATIQUE", None),
    "SANTE_MENTALE": ("STRATEGIQUE", "SANTE"),
    "ADDICTIONS": ("STRATEGIQUE", "SANTE"),
    "EMPLOI_FORMATION": ("STRATEGIQUE", "EMPLOI"),
    "LANGUE_FRANCAISE": ("STRATEGIQUE", "EMPLOI"),
    "NUMERIQUE": ("STRATEGIQUE", "EMPLOI"),
    "LIENS_SOCIAUX_FAMILIAUX": ("STRATEGIQUE", "LIENS"),
    "ESTIME_DE_SOI": ("STRATEGIQUE", "LIENS"),
    "PARENTALITE": ("STRATEGIQUE", "LIENS"),
    "PROJET_DE_VIE": ("STRATEGIQUE", None),
}

# Sensitive categories: published thresholds apply everywhere (metrics.md).
SENSITIVE_SOURCES = frozenset({"SPIP", "SANTE"})
SENSITIVE_DOMAINS = frozenset({"JUSTICE", "ADDICTIONS"})


def codes(code_list: str) -> list[str]:
    """The valid codes of a list, in display order."""
    return [code for code, _, _ in CODE_LISTS[code_list]]
