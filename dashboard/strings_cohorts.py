"""Interface strings of the cohorts page (comparison, saved cohorts): key -> (French, English)."""

STRINGS: dict[str, tuple[str, str]] = {
    "page.cohorts": ("Cohortes", "Cohorts"),
    "cohorts.intro": (
        "Une cohorte réunit les personnes choisies par un **événement d'ancrage** (une orientation, une entrée dans "
        "un dispositif ou une première présence en atelier) daté dans une période, et des critères. Les chiffres "
        "suivent chaque personne **à partir de sa propre date d'ancrage**, quel que soit le calendrier.",
        "A cohort gathers the persons chosen by an **anchor event** (a referral, an entry into a program or a first "
        "workshop attendance) dated in a range, and criteria. Figures follow each person **from their own anchor "
        "date**, whatever the calendar.",
    ),
    "cohorts.cohort": ("Cohorte {i}", "Cohort {i}"),
    "cohorts.name": ("Nom", "Name"),
    "cohorts.anchor": ("Ancrage", "Anchor"),
    "cohorts.anchor.referral": ("Orientation", "Referral"),
    "cohorts.anchor.entry": ("Entrée dans un dispositif", "Entry into a program"),
    "cohorts.anchor.workshop": ("Première présence en atelier", "First workshop attendance"),
    "cohorts.from": ("Ancrage du", "Anchored from"),
    "cohorts.to": ("au", "to"),
    "cohorts.months": ("Les dates sont ramenées à des mois entiers.", "Dates are widened to whole months."),
    "cohorts.any": ("Tous", "Any"),
    "cohorts.source": ("Source de l'orientation", "Referral source"),
    "cohorts.decision": ("Décision", "Decision"),
    "cohorts.program": ("Dispositif d'entrée", "Program entered"),
    "cohorts.category": ("Catégorie d'atelier", "Workshop category"),
    "cohorts.min_sessions": ("Présences au moins", "At least this many attendances"),
    "cohorts.sex": ("Sexe", "Sex"),
    "cohorts.age_band": ("Âge à l'ancrage", "Age at the anchor"),
    "cohorts.structure": ("Structure", "Structure"),
    "cohorts.resources": ("Ressources", "Resources"),
    "cohorts.justice": ("Situation judiciaire", "Justice situation"),
    "cohorts.qpv": ("Quartier prioritaire (QPV)", "Priority urban area (QPV)"),
    "cohorts.qpv_help": (
        "QPV : quartier prioritaire de la politique de la ville, où vit la personne.",
        "QPV: a priority urban area (quartier prioritaire de la politique de la ville) where the person lives.",
    ),
    "cohorts.yes": ("Oui", "Yes"),
    "cohorts.no": ("Non", "No"),
    "cohorts.need_domain": ("En besoin à l'entrée : domaine", "In need at entry: domain"),
    "cohorts.need_kind": ("En besoin à l'entrée : type", "In need at entry: kind"),
    "cohorts.need_pillar": ("En besoin à l'entrée : pilier", "In need at entry: pillar"),
    "cohorts.add": ("Ajouter une cohorte", "Add a cohort"),
    "cohorts.remove": ("Retirer la dernière cohorte", "Remove the last cohort"),
    "cohorts.horizon": ("Horizon (mois depuis l'ancrage)", "Horizon (months since the anchor)"),
    "cohorts.size": ("Personnes", "Persons"),
    "cohorts.hidden": (
        "Cohorte masquée : moins de {k} personnes, ou à moins de {k} personnes d'une cohorte voisine (un critère "
        "en moins) ; la publier permettrait de décrire ces quelques personnes par différence.",
        "Cohort hidden: fewer than {k} persons, or within {k} persons of a neighbouring cohort (one criterion "
        "less); publishing it would let those few persons be described by difference.",
    ),
    "cohorts.bad": ("Cohorte {i} : le critère « {field} » a une valeur inconnue ({value}).",
                    "Cohort {i}: the criterion '{field}' has an unknown value ({value})."),
    "cohorts.outcomes": ("Indicateurs, côte à côte", "Indicators, side by side"),
    "cohorts.outcomes_help": (
        "Part de chaque cohorte. Les indicateurs « dans l'horizon » ne comptent que les personnes suivies tout "
        "l'horizon depuis leur ancrage.",
        "Share of each cohort. Indicators \"within the horizon\" count only persons followed for the whole horizon "
        "since their anchor.",
    ),
    "cohorts.differences": ("Écarts avec la cohorte 1 et intervalles à 95 %",
                            "Differences from cohort 1 and 95 % intervals"),
    "cohorts.differences_help": (
        "Écart de part en points, avec l'intervalle de Newcombe (score hybride) à 95 %, calculé sur les chiffres "
        "publiés. Un intervalle qui contient 0 ne permet pas de conclure à une différence.",
        "Difference of shares in points, with Newcombe's hybrid score 95 % interval, computed on the published "
        "figures. An interval that contains 0 does not show a difference.",
    ),
    "cohorts.needs": ("Besoins depuis l'ancrage", "Needs since the anchor"),
    "cohorts.quarter": ("Trimestres depuis l'ancrage", "Quarters since the anchor"),
    "cohorts.share_in_need": ("Part en besoin", "Share in need"),
    "cohorts.time_to_exit": ("Durée avant la sortie", "Time to exit"),
    "cohorts.time_help": (
        "À partir de la première entrée en accompagnement depuis l'ancrage : part encore accompagnée (Kaplan–Meier) "
        "et part sortie vers un logement, les autres sorties (décès compris) étant concurrentes (Aalen–Johansen), "
        "avec leur intervalle à 95 %. Les accompagnements en cours sont censurés au dernier jour des données.",
        "From the first entry into support since the anchor: share still accompanied (Kaplan–Meier) and share "
        "exited to housing, other exits (death included) competing (Aalen–Johansen), with their 95 % band. "
        "Support periods still open are censored at the last day of data.",
    ),
    "cohorts.days": ("Jours depuis l'entrée", "Days since entry"),
    "cohorts.survival": ("Encore accompagnés", "Still accompanied"),
    "cohorts.cif_housing_positive": ("Sortis vers un logement", "Exited to housing"),
    "cohorts.saved": ("Cohortes enregistrées", "Saved cohorts"),
    "cohorts.open_saved": ("Ouvrir dans la cohorte {i}", "Open in cohort {i}"),
    "cohorts.save": ("Enregistrer la cohorte {i}", "Save cohort {i}"),
    "cohorts.saved_ok": ("Cohorte « {name} » enregistrée.", "Cohort '{name}' saved."),
    "cohorts.need_name": ("Donnez un nom à la cohorte pour l'enregistrer.", "Give the cohort a name to save it."),
    "cohorts.old_version": (
        "La cohorte « {name} » a été enregistrée sous la version {saved} des définitions (version actuelle : "
        "{current}) : ses chiffres peuvent différer.",
        "The cohort '{name}' was saved under version {saved} of the definitions (current: {current}): its figures "
        "may differ.",
    ),
    "cohorts.extracts": ("Extraits sûrs, une ligne par personne", "Safe extracts, one row per person"),
    "cohorts.extract": ("Extrait : {name} (Excel)", "Extract: {name} (Excel)"),
    "cohorts.extract_help": (
        "Une ligne par personne, identifiants tirés au hasard pour chaque extrait ; âge, période, territoire et "
        "structure généralisés jusqu'à ce que chaque combinaison réunisse au moins {k} personnes ; situation "
        "judiciaire et addictions seulement là où elles varient. Chaque extrait est inscrit au journal d'audit.",
        "One row per person, ids drawn at random for each extract; age, period, territory and structure "
        "generalised until every combination holds at least {k} persons; justice situation and addictions only "
        "where they vary. Every extract is written to the audit log.",
    ),
    "cohorts.link": ("Lien de cette comparaison", "Link to this comparison"),
    "indicator.members": ("Personnes de la cohorte", "Persons in the cohort"),
    "indicator.practical_need_at_entry": ("En besoin pratique à l'entrée", "In practical need at entry"),
    "indicator.strategic_need_at_entry": ("En besoin stratégique à l'entrée", "In strategic need at entry"),
    "indicator.strategic_improved": ("Progrès dans les domaines stratégiques", "Progress in the strategic domains"),
    "indicator.improved_logement": ("Progrès : pilier logement", "Progress: housing pillar"),
    "indicator.improved_emploi": ("Progrès : pilier emploi", "Progress: employment pillar"),
    "indicator.improved_sante": ("Progrès : pilier santé", "Progress: health pillar"),
    "indicator.improved_liens": ("Progrès : pilier liens", "Progress: bonds pillar"),
    "indicator.workshop": ("Venus en atelier dans l'horizon", "Attended a workshop within the horizon"),
    "indicator.exited": ("Sortis dans l'horizon", "Exited within the horizon"),
    "indicator.housing_positive": ("Sortie vers un logement dans l'horizon", "Exit to housing within the horizon"),
    "indicator.dynamic_exit": ("Sortie dynamique dans l'horizon", "Dynamic exit within the horizon"),
    "col.indicator": ("Indicateur", "Indicator"),
    "col.cohort": ("Cohorte", "Cohort"),
    "col.difference": ("Écart", "Difference"),
    "col.ci_low": ("Borne basse (95 %)", "Lower bound (95 %)"),
    "col.ci_high": ("Borne haute (95 %)", "Upper bound (95 %)"),
    "col.count": ("Effectif", "Count"),
    "col.rate": ("Part", "Share"),
    "col.interval": ("Intervalle à 95 %", "95 % interval"),
    "col.quarter": ("Trimestre depuis l'ancrage", "Quarter since the anchor"),
}
