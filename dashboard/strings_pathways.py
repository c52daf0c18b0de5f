"""Interface strings of the page Parcours et durées (``pages/pathways.py``): key -> (French, English), merged by
``dashboard.i18n`` through ``dashboard.strings_pages``."""

STRINGS: dict[str, tuple[str, str]] = {
    "page.pathways": ("Parcours et durées", "Pathways and time to exit"),
    "pathways.flows": ("D'où viennent les personnes, où elles vont", "Where people come from, where they go"),
    "pathways.flows_help": (
        "Chaque accompagnement entré dans la période : l'orientation à laquelle il répond, son dispositif, puis sa "
        "fin (situation de logement à la sortie, décès, ou toujours accompagné au dernier jour des données). "
        "Largeur d'un flux : les personnes qui l'ont suivi, chacune une fois.",
        "Each support period entered in the range: the referral it answers, its program, then how it ended "
        "(housing situation at exit, death, or still accompanied on the last day of data). A flow's width: the "
        "people who took it, each once.",
    ),
    "pathways.time_to_exit": ("Combien de temps avant la sortie", "How long until the exit"),
    "pathways.time_help": (
        "Accompagnements entrés dans la période, suivis jusqu'au dernier jour des données (même après la période) : "
        "part encore accompagnée (Kaplan–Meier), part sortie vers un logement et part sortie autrement, décès compris "
        "(incidences cumulées, risques concurrents) ; les trois font 100 %.",
        "Support periods entered in the range, followed to the last day of data (even after the range): share still "
        "accompanied (Kaplan–Meier), share gone to housing and share gone otherwise, death included (cumulative "
        "incidences, competing risks); the three add up to 100 %.",
    ),
    "pathways.flows_table": ("Flux du schéma", "Flows of the chart"),
    "pathways.download_flows": ("Télécharger les flux (CSV)", "Download the flows (CSV)"),
    "col.day": ("Jour", "Day"),
    "col.at_risk": ("Encore suivis", "Still followed"),
    "col.survival": ("Encore accompagnés", "Still accompanied"),
    "col.cif_housing_positive": ("Sortis vers un logement", "Left to housing"),
    "col.cif_other_exit": ("Sortis autrement", "Left otherwise"),
    "col.flow_from": ("De", "From"),
    "col.flow_to": ("Vers", "To"),
    "col.flow_persons": ("Personnes", "People"),
}
