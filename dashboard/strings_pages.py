"""Interface strings of the four analysis pages (Orientations, Besoins,
Ateliers, Sorties): key -> (French, English), merged by ``dashboard.i18n``."""

STRINGS: dict[str, tuple[str, str]] = {
    "pages.click_source": (
        "Cliquez sur une barre pour limiter la page à cette source ; retirez-la dans les filtres à gauche.",
        "Click a bar to limit the page to that source; remove it in the filters on the left.",
    ),
    "pages.tables": ("Afficher les tableaux détaillés et les téléchargements (CSV, Excel)",
                     "Show the detailed tables and downloads (CSV, Excel)"),
    "referrals.decisions": ("Décisions", "Decisions"),
    "needs.over_time": ("Besoins au fil du temps", "Needs over time"),
    "needs.kinds": ("Besoins pratiques et stratégiques, quatre piliers", "Practical and strategic needs, four pillars"),
    "needs.distance": ("Évolution individuelle (distance parcourue)", "Individual change (distance travelled)"),
    "needs.distance_help": (
        "Personnes évaluées au moins deux fois dans un domaine sur la période : première et dernière évaluation comparées.",
        "People assessed at least twice in a domain over the period: first and latest assessment compared.",
    ),
    "workshops.retention": ("Rétention par cohorte", "Retention by cohort"),
    "workshops.retention_help": (
        "Chaque ligne regroupe les personnes venues pour la première fois au cours de la même période (mois, "
        "trimestre ou année selon le regroupement) ; chaque case donne la part encore présente k périodes plus tard. "
        "Les cases futures sont laissées vides.",
        "Each row groups the people who first came in the same period (month, quarter or year, as grouped); each "
        "cell gives the share still attending k periods later. Future cells are left blank.",
    ),
    "workshops.attendance": ("Fréquentation", "Attendance"),
    "workshops.kinds": ("Intervenants et co-construction", "Facilitators and co-design"),
    "exits.destinations": ("Situation à la sortie", "Situation at exit"),
    "exits.rates": ("Taux de sorties positives et durée de séjour", "Positive exit rates and length of stay"),
}
