"""Every interface string of the shell, the shared components and the
overview and data pages: key -> (French, English).

Pages of other subjects may add their own strings in
``dashboard/strings_pages.py`` (same shape); ``dashboard.i18n`` merges both
and a test checks that every key used through ``t()`` exists in both
languages. Placeholders use ``str.format`` names, e.g. ``{k}``.
"""

STRINGS: dict[str, tuple[str, str]] = {
    # --- App and navigation
    "app.title": ("Parcours", "Parcours"),
    "app.subtitle": ("Tableau de bord des parcours d'insertion", "Dashboard of reintegration pathways"),
    "page.overview": ("Vue d'ensemble", "Overview"),
    "page.referrals": ("Orientations", "Referrals"),
    "page.needs": ("Besoins", "Needs"),
    "page.workshops": ("Ateliers", "Workshops"),
    "page.exits": ("Sorties", "Exits"),
    "page.data": ("Données & définitions", "Data & definitions"),
    "lang.switch": ("English", "English"),
    "lang.help": ("Afficher l'interface en anglais", "Show the interface in English"),
    # --- Empty database
    "period.partial": (
        "Période incomplète : {period} ne couvre que du {first} au {last} ; ses chiffres ne se comparent pas "
        "directement aux autres périodes.",
        "Incomplete period: {period} only covers {first} to {last}; its figures do not compare directly with "
        "the other periods.",
    ),
    "db.empty": (
        "La base de données est vide : aucune donnée n'a encore été chargée. Déposez l'export de votre structure "
        "(.xlsx, .zip ou fichiers CSV) sur la page **Importer**, ou chargez-le avec `python -m etl load DOSSIER`.",
        "The database is empty: no data has been loaded yet. Drop your structure's export (.xlsx, .zip or CSV "
        "files) on the **Import** page, or load it with `python -m etl load FOLDER`.",
    ),
    "db.error": (
        "Impossible de lire la base de données ({error}) : vérifiez le réglage DATABASE_URL ; le détail est dans "
        "le journal du serveur.",
        "Cannot read the database ({error}): check the DATABASE_URL setting; the details are in the server log.",
    ),
    # --- Filter bar
    "filters.header": ("Filtres", "Filters"),
    "filters.from": ("Du", "From"),
    "filters.to": ("Au", "To"),
    "filters.by": ("Regrouper par", "Group by"),
    "filters.by.month": ("Mois", "Month"),
    "filters.by.quarter": ("Trimestre", "Quarter"),
    "filters.by.year": ("Année", "Year"),
    "filters.structures": ("Structures", "Structures"),
    "filters.programs": ("Dispositif", "Program"),
    "filters.sources": ("Origine de l'orientation", "Referral source"),
    "filters.sexes": ("Sexe", "Sex"),
    "filters.age_bands": ("Tranche d'âge", "Age band"),
    "filters.all.structures": ("Toutes les structures", "All structures"),
    "filters.all.programs": ("Tous les dispositifs", "All programs"),
    "filters.all.sources": ("Toutes les origines", "All sources"),
    "filters.all.sexes": ("Tous les sexes", "All"),
    "filters.all.age_bands": ("Tous les âges", "All ages"),
    "filters.reset": ("Réinitialiser les filtres", "Reset filters"),
    "filters.period_default": (
        "Période par défaut : {start} – {end}",
        "Default period: {start} – {end}",
    ),
    "filters.period": ("Période : {start} – {end}", "Period: {start} – {end}"),
    "filters.snapped.month": (
        "Les dates sont arrondies aux mois entiers : du {start} au {end}.",
        "Dates are rounded to whole months: from {start} to {end}.",
    ),
    "filters.snapped.quarter": (
        "Les dates sont arrondies aux trimestres entiers : du {start} au {end}.",
        "Dates are rounded to whole quarters: from {start} to {end}.",
    ),
    "filters.snapped.year": (
        "Les dates sont arrondies aux années entières : du {start} au {end}.",
        "Dates are rounded to whole years: from {start} to {end}.",
    ),
    "filters.link": (
        "Le lien de cette page garde les filtres : copiez l'adresse pour partager la même vue.",
        "This page's link keeps the filters: copy the address to share the same view.",
    ),
    # --- Guards and disclosure
    "guard.too_small": (
        "La sélection est trop petite pour afficher des chiffres (moins de {k} personnes).",
        "The selection is too small to show any figures (fewer than {k} persons).",
    ),
    "guard.empty": (
        "Aucune donnée pour cette sélection. Élargissez la période ou retirez des filtres.",
        "No data for this selection. Widen the period or remove filters.",
    ),
    "suppressed.cell": ("< {k}", "< {k}"),
    "suppressed.masked": ("masqué", "hidden"),
    "suppressed.note": (
        "Les chiffres sont légèrement perturbés pour protéger les personnes (un total peut différer de la somme de ses "
        "parties). « < {k} » : moins de {k} personnes ; « masqué » : un taux, une moyenne ou un effectif d'événements "
        "dont les personnes derrière sont moins de {k}.",
        "Figures are slightly perturbed to protect persons (a total may differ from the sum of its parts). "
        "\"< {k}\": fewer than {k} persons; \"hidden\": a rate, a mean or a count of events with fewer than {k} persons "
        "behind it.",
    ),
    "suppressed.PRIMARY": (
        "Petits effectifs : après perturbation, les nombres de personnes entre 1 et {k_minus} ne sont pas affichés.",
        "Small counts: after perturbation, numbers of persons from 1 to {k_minus} are not shown.",
    ),
    "suppressed.MASKED": (
        "Un taux, une moyenne ou une médiane n'est affiché que si son effectif atteint le seuil ; un nombre "
        "d'événements (orientations, sorties, présences) que si les personnes concernées l'atteignent.",
        "A rate, mean or median is shown only when its n reaches the threshold; a count of events (referrals, exits, "
        "attendances) only when the persons behind it do.",
    ),
    "suppressed.SENSITIVE": (
        "Catégories sensibles (SPIP, santé, justice, addictions), et toute sélection qui retient une source sensible ou "
        "n'écarte que des sources sensibles : le seuil de publication ({k_published}) s'applique.",
        "Sensitive categories (probation, health, justice, addictions), and any selection that keeps a sensitive source "
        "or leaves out only sensitive ones: the publication threshold ({k_published}) applies.",
    ),
    "filters.one_value": (
        "Un seul choix par filtre (ou tous) : le lien en proposait plusieurs, seul le premier est gardé. Comparer des "
        "unions de groupes permettrait de retrouver des personnes.",
        "One choice per filter (or all): the link had several, only the first is kept. Comparing unions of groups "
        "would let persons be worked out.",
    ),
    "data.mode.protected": (
        "Mode en vigueur : protégé. Les chiffres sont perturbés (méthode des clés de cellule) et les petits effectifs "
        "masqués.",
        "Mode in force: protected. Figures are perturbed (cell-key method) and small counts hidden.",
    ),
    "data.mode.exact": (
        "Mode en vigueur : exact (réservé aux responsables des données). Les chiffres ne sont pas perturbés ; les "
        "seuils et les masquages s'appliquent.",
        "Mode in force: exact (for data stewards). Figures are not perturbed; thresholds and hiding still apply.",
    ),
    "suppressed.TOO_SMALL": ("Sélection trop petite.", "Selection too small."),
    # --- Tables, charts and downloads
    "table.download_csv": ("Télécharger (CSV)", "Download (CSV)"),
    "table.download_xlsx": ("Télécharger (Excel)", "Download (Excel)"),
    "table.download_help": (
        "Version publiable : les nombres inférieurs à {k} sont retirés (cases vides).",
        "Publishable version: numbers below {k} are removed (empty cells).",
    ),
    "table.label_suffix": ("libellé", "label"),
    "chart.n": ("n = {n}", "n = {n}"),
    "chart.png": ("PNG", "PNG"),
    "chart.png_period": ("Période : {start} – {end}, par {by}", "Period: {start} – {end}, by {by}"),
    "chart.png_filters": ("Filtres : {filters}", "Filters: {filters}"),
    "chart.png_no_filter": ("Filtres : aucun (toutes les structures)", "Filters: none (every structure)"),
    "chart.png_published": ("Chiffres publiés (seuil {k}), Parcours", "Published figures (threshold {k}), Parcours"),
    "chart.png_help": (
        "Image PNG de la version publiable : les nombres inférieurs à {k} sont masqués, comme dans les tableaux "
        "téléchargés. Elle est dessinée sur le serveur au clic (la première peut prendre quelques secondes).",
        "PNG image of the publishable version: numbers below {k} are hidden, as in the downloaded tables. It is "
        "drawn on the server when you click (the first one may take a few seconds).",
    ),
    "chart.png_unavailable": ("PNG indisponible", "PNG unavailable"),
    "chart.png_no_kaleido": (
        "L'export PNG n'est pas disponible : le paquet kaleido n'est pas installé sur le serveur.",
        "PNG export is not available: the kaleido package is not installed on the server.",
    ),
    "chart.png_no_browser": (
        "L'export PNG n'est pas disponible : le serveur ne trouve pas le navigateur Chromium (installez-le ou "
        "indiquez son chemin dans BROWSER_PATH).",
        "PNG export is not available: the server cannot find the Chromium browser (install it or set its path in "
        "BROWSER_PATH).",
    ),
    "chart.png_start_failed": (
        "L'export PNG n'est pas disponible : le navigateur Chromium du serveur n'a pas démarré. Réessayez dans une "
        "minute ; le détail est dans le journal du serveur.",
        "PNG export is not available: the server's Chromium browser did not start. Try again in a minute; the "
        "details are in the server log.",
    ),
    "chart.png_failed": (
        "Le dernier export PNG de ce graphique a échoué : réessayez. Le détail est dans le journal du serveur.",
        "The last PNG export of this chart failed: try again. The details are in the server log.",
    ),
    "chart.png_nothing_label": ("PNG : rien à publier", "PNG: nothing to publish"),
    "chart.png_nothing": (
        "Rien à publier : au seuil de publication, tous les nombres de ce graphique (inférieurs à {k}) sont masqués.",
        "Nothing to publish: at the publication threshold, every number of this chart (below {k}) is hidden.",
    ),
    "total": ("Total", "Total"),
    "not_recorded": ("Non renseigné", "Not recorded"),
    "yes": ("Oui", "Yes"),
    "no": ("Non", "No"),
    # --- Column headings (metric columns as in the definitions)
    "col.period": ("Période", "Period"),
    "col.source": ("Origine", "Source"),
    "col.referrals": ("Orientations", "Referrals"),
    "col.accepted": ("Acceptées", "Accepted"),
    "col.refused": ("Refusées", "Refused"),
    "col.acceptance_rate": ("Taux d'acceptation", "Acceptance rate"),
    "col.median_days_to_decision": ("Délai médian de décision (jours)", "Median days to decision"),
    "col.domain": ("Domaine", "Domain"),
    "col.kind": ("Type de besoin", "Kind of need"),
    "col.pillar": ("Pilier", "Pillar"),
    "col.persons_assessed": ("Personnes évaluées", "Persons assessed"),
    "col.persons_in_need": ("Personnes en besoin", "Persons in need"),
    "col.share_in_need": ("Part en besoin", "Share in need"),
    "col.mean_level": ("Niveau moyen (1–5)", "Mean level (1–5)"),
    "col.persons": ("Personnes", "Persons"),
    "col.improved": ("En progrès", "Improved"),
    "col.stable": ("Stables", "Stable"),
    "col.worsened": ("En recul", "Worsened"),
    "col.share_improved": ("Part en progrès", "Share improved"),
    "col.mean_change": ("Évolution moyenne (niveaux)", "Mean change (levels)"),
    "col.cohort": ("Cohorte", "Cohort"),
    "col.offset": ("Décalage (périodes)", "Offset (periods)"),
    "col.cohort_size": ("Taille de la cohorte", "Cohort size"),
    "col.persons_active": ("Personnes actives", "Active persons"),
    "col.newcomers": ("Nouveaux participants", "Newcomers"),
    "col.returned": ("Encore présents après 3 mois", "Still attending after 3 months"),
    "col.retention": ("Rétention", "Retention"),
    "col.structure_id": ("Structure", "Structure"),
    "col.atelier_id": ("Atelier (code)", "Workshop (id)"),
    "col.workshop": ("Atelier", "Workshop"),
    "col.category": ("Catégorie", "Category"),
    "col.facilitator": ("Intervenant", "Facilitator"),
    "col.co_constructed": ("Co-construit", "Co-designed"),
    "col.sessions": ("Séances", "Sessions"),
    "col.presences": ("Présences", "Presences"),
    "col.attendance_rate": ("Taux de présence", "Attendance rate"),
    "col.mean_persons_per_session": ("Personnes par séance", "Persons per session"),
    "col.program": ("Dispositif", "Program"),
    "col.exits": ("Sorties", "Exits"),
    "col.housing_positive": ("Sorties vers un logement", "Exits to housing"),
    "col.housing_positive_rate": ("Taux de sortie vers un logement", "Rate of exits to housing"),
    "col.dynamic_exits": ("Sorties dynamiques", "Dynamic exits"),
    "col.dynamic_exit_rate": ("Taux de sorties dynamiques", "Dynamic exit rate"),
    "col.median_stay_days": ("Durée médiane (jours)", "Median stay (days)"),
    "col.territory": ("Territoire", "Territory"),
    "col.priority_area_share": ("Part en QPV", "Share in priority areas"),
    "col.destination": ("Logement à la sortie", "Housing at exit"),
    "col.situation": ("Emploi à la sortie", "Employment at exit"),
    "col.figure": ("Indicateur", "Figure"),
    "col.value": ("Valeur", "Value"),
    "col.previous": ("Période précédente", "Previous period"),
    "col.change": ("Évolution", "Change"),
    # --- Overview figures
    "figure.persons_accompanied": ("Personnes accompagnées", "Persons supported"),
    "figure.new_persons": ("Nouvelles personnes", "New persons"),
    "figure.referrals": ("Orientations reçues", "Referrals received"),
    "figure.exits": ("Sorties", "Exits"),
    "figure.housing_positive_rate": ("Sorties vers un logement", "Exits to housing"),
    "figure.dynamic_exit_rate": ("Sorties dynamiques", "Dynamic exits"),
    "figure.workshop_participants": ("Personnes venues en atelier", "Persons attending workshops"),
    "figure.attendance_rate": ("Taux de présence en atelier", "Workshop attendance rate"),
    "figure.help.persons_accompanied": (
        "Personnes ayant au moins un accompagnement qui chevauche la période.",
        "Persons with at least one support period overlapping the period.",
    ),
    "figure.help.new_persons": (
        "Personnes dont la première orientation ou le premier accompagnement tombe dans la période.",
        "Persons whose first referral or support period falls in the period.",
    ),
    "figure.help.referrals": ("Orientations reçues dans la période.", "Referrals received in the period."),
    "figure.help.exits": (
        "Accompagnements terminés dans la période (hors décès).",
        "Support periods ended in the period (deaths excluded).",
    ),
    "figure.help.housing_positive_rate": (
        "Part des sorties vers un logement autonome ou accompagné (hors « non concerné »).",
        "Share of exits to independent or supported housing (\"not applicable\" left out).",
    ),
    "figure.help.dynamic_exit_rate": (
        "Part des sorties vers l'emploi durable, de transition ou une sortie positive (hors « non concerné »).",
        "Share of exits to lasting or transitional work or a positive exit (\"not applicable\" left out).",
    ),
    "figure.help.workshop_participants": (
        "Personnes présentes au moins une fois à une séance d'atelier.",
        "Persons present at least once at a workshop session.",
    ),
    "figure.help.attendance_rate": (
        "Présences / (présences + absences + excusés) aux séances d'atelier.",
        "Presences / (presences + absences + excused) at workshop sessions.",
    ),
    # --- Overview page
    "overview.intro": (
        "Chiffres clés du {start} au {end}, comparés à la période précédente de même durée ({prev_start} – {prev_end}).",
        "Key figures from {start} to {end}, compared with the previous period of equal length ({prev_start} – {prev_end}).",
    ),
    "overview.previous": ("Période précédente : {value}", "Previous period: {value}"),
    "overview.trend": (
        "Courbes : orientations, sorties et taux de sortie de chaque mois de la période (mois masqués et mois "
        "incomplets omis).",
        "Lines: referrals, exits and exit rates of each month of the period (hidden and incomplete months left out).",
    ),
    "overview.trends_header": ("Tendances", "Trends"),
    "overview.n": ("n = {n}", "n = {n}"),
    "overview.table": ("Tableau des chiffres clés", "Key figures table"),
    # --- Board report (sidebar buttons) and its slides
    "report.header": ("Rapport du conseil", "Board report"),
    "report.pdf": ("Rapport (PDF)", "Report (PDF)"),
    "report.pptx": ("Présentation (PowerPoint)", "Presentation (PowerPoint)"),
    "report.help": (
        "Chiffres clés du {start} au {end} comparés au {prev_start} – {prev_end}, pour les filtres choisis, au seuil "
        "de publication (moins de {k} personnes : masqué). Le fichier est préparé au clic (quelques secondes).",
        "Key figures from {start} to {end} compared with {prev_start} – {prev_end}, for the chosen filters, at the "
        "publication threshold (under {k} persons: hidden). The file is prepared when you click (a few seconds).",
    ),
    "report.failed": (
        "La préparation du rapport a échoué. Réessayez ; si l'échec se répète, l'administrateur trouvera le "
        "détail dans le journal du serveur.",
        "The report could not be prepared. Try again; if it keeps failing, the administrator will find the "
        "detail in the server log.",
    ),
    "slides.key_figures": ("Chiffres clés", "Key figures"),
    "slides.key_figures_more": ("Chiffres clés (suite)", "Key figures (continued)"),
    "slides.col.figure": ("Indicateur", "Figure"),
    "slides.col.value": ("Période", "Period"),
    "slides.col.previous": ("Précédente", "Previous"),
    "slides.col.change": ("Évolution", "Change"),
    "slides.col.verdict": ("Lecture", "Reading"),
    "slides.verdict.up": ("en hausse", "up"),
    "slides.verdict.down": ("en baisse", "down"),
    "slides.verdict.stable": ("stable", "stable"),
    "slides.verdict.hidden": ("masqué", "hidden"),
    "slides.verdict.new": ("nouveau", "new"),
    "slides.col.change_percent": ("En %", "In %"),
    "slides.costs": ("Coûts sociaux évités", "Avoided social costs"),
    "slides.costs.col.outcome": ("Sortie", "Outcome"),
    "slides.costs.col.count": ("Nombre", "Count"),
    "slides.costs.col.unit": ("Coût unitaire", "Unit cost"),
    "slides.costs.col.range": ("Fourchette", "Range"),
    "slides.costs.assumptions": ("Hypothèses", "Assumptions"),
    "slides.notes": ("À savoir", "Notes"),
    "slides.no_chart": ("Graphique indisponible sur ce serveur.", "Chart unavailable on this server."),
    # --- Data page
    "data.loaded": ("Ce qui est chargé", "What is loaded"),
    "data.structures": ("Structures", "Structures"),
    "data.persons": ("Personnes", "Persons"),
    "data.range": ("Période couverte", "Period covered"),
    "data.rows": ("Lignes par table", "Rows per table"),
    "data.table": ("Table", "Table"),
    "data.count": ("Lignes", "Rows"),
    "data.t.structures": ("Structures", "Structures"),
    "data.t.persons": ("Personnes", "Persons"),
    "data.t.referrals": ("Orientations", "Referrals"),
    "data.t.support_periods": ("Accompagnements", "Support periods"),
    "data.t.assessments": ("Évaluations", "Assessments"),
    "data.t.workshops": ("Ateliers", "Workshops"),
    "data.t.sessions": ("Séances d'atelier", "Workshop sessions"),
    "data.t.attendances": ("Présences attendues", "Expected attendances"),
    "data.t.milestones": ("Jalons", "Milestones"),
    "data.structure_list": ("Structures chargées", "Structures loaded"),
    "data.col.name": ("Nom", "Name"),
    "data.col.type": ("Type", "Type"),
    "data.loads": ("Historique des chargements", "Load history"),
    "data.no_loads": ("Aucun chargement enregistré.", "No load recorded."),
    "data.load.id": ("N°", "No."),
    "data.load.started_at": ("Début", "Started"),
    "data.load.finished_at": ("Fin", "Finished"),
    "data.load.structures": ("Structures", "Structures"),
    "data.load.replace": ("Remplacement", "Replace"),
    "data.load.pseudonymised": ("Pseudonymisé", "Pseudonymised"),
    "data.load.inserted": ("Ajoutées", "Inserted"),
    "data.load.updated": ("Modifiées", "Updated"),
    "data.load.unchanged": ("Inchangées", "Unchanged"),
    "data.load.deleted": ("Supprimées", "Deleted"),
    "data.load.warnings": ("Avertissements", "Warnings"),
    "data.warnings": ("Avertissements par chargement", "Warnings per load"),
    "data.no_warnings": ("Aucun chargement n'a produit d'avertissement.", "No load raised a warning."),
    "data.warnings_detail": (
        "Seuls les nombres d'avertissements par type sont affichés ici, jamais le détail (personne, ligne, valeur, "
        "date). L'exploitant le consulte sur le serveur avec `python -m etl status --warnings` "
        "(`--load N` pour un autre chargement que le dernier).",
        "Only the number of warnings of each kind is shown here, never the detail (person, line, value, date). "
        "The operator reads it on the server with `python -m etl status --warnings` (`--load N` for a load other "
        "than the latest).",
    ),
    "data.warn.load_date": ("Date du chargement", "Load date"),
    "data.warn.kind": ("Type d'avertissement", "Kind of warning"),
    "data.warn.count": ("Nombre", "Count"),
    "data.warn.kind.AGE_IMPLAUSIBLE": ("Âge improbable au premier contact", "Implausible age at first contact"),
    "data.warn.kind.EXIT_WITHOUT_REASON": ("Sortie sans motif", "Exit without a reason"),
    "data.warn.kind.REFERRAL_PENDING_90D": (
        "Orientation en attente depuis plus de 90 jours", "Referral pending for over 90 days",
    ),
    "data.warn.kind.PERSON_WITHOUT_ACTIVITY": (
        "Personne sans orientation ni accompagnement", "Person with no referral and no support period",
    ),
    "data.warn.kind.SUPPORT_OPEN_3Y": ("Accompagnement ouvert depuis plus de 3 ans", "Support period open for over 3 years"),
    "data.warn.kind.OTHER": ("Autre avertissement", "Other warning"),
    "data.definitions": ("Définitions des indicateurs", "Definitions of the figures"),
    "data.conventions": ("Conventions communes", "Common conventions"),
    "data.version": ("Version", "Version"),
    "data.changelog": ("Historique des définitions", "Changelog of definitions"),
    "data.disclosure": ("Règles de protection des personnes", "Rules that protect persons"),
    "data.dictionary": ("Dictionnaire des données", "Data dictionary"),
    "data.dictionary.text": (
        "Le dictionnaire des données (chaque table, chaque colonne, chaque liste de codes) est dans "
        "`docs/data-dictionary.md` du dépôt.",
        "The data dictionary (every table, column and code list) is in `docs/data-dictionary.md` in the repository.",
    ),
    "data.filters_note": (
        "Les chiffres de cette page ne dépendent pas des filtres.",
        "The figures on this page do not depend on the filters.",
    ),
}

# Sign-in, accounts and audit (dashboard/strings_accounts.py).
from dashboard.strings_accounts import STRINGS as _ACCOUNTS  # noqa: E402

STRINGS.update(_ACCOUNTS)
