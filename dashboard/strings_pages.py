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
    "referrals.n_differ": (
        "Les n diffèrent un peu d'un graphique à l'autre : chaque chiffre est perturbé à part pour protéger les "
        "personnes (un total n'est plus exactement la somme de ses parties), les chiffres masqués n'entrent pas dans "
        "les sommes, et la part de chaque source se calcule sur des années entières.",
        "The n differ a little from one chart to another: each figure is perturbed on its own to protect people (a "
        "total is no longer exactly the sum of its parts), hidden figures are left out of sums, and each source's "
        "share is computed over whole years.",
    ),
    "needs.over_time": ("Besoins au fil du temps", "Needs over time"),
    "needs.kinds": ("Besoins pratiques et stratégiques, quatre piliers", "Practical and strategic needs, four pillars"),
    "needs.distance": ("Évolution individuelle (distance parcourue)", "Individual change (distance travelled)"),
    "needs.distance_help": (
        "Personnes évaluées au moins deux fois dans un domaine sur la période : première et dernière évaluation comparées.",
        "People assessed at least twice in a domain over the period: first and latest assessment compared.",
    ),
    "workshops.keeps": ("Quels ateliers gardent les participants ?", "Which workshops keep people?"),
    "workshops.keeps_help": (
        "Parmi les personnes venues pour la première fois à un atelier (ou à une catégorie) pendant la période, la "
        "part encore présente 3 mois ou plus après leur arrivée ; les arrivées des 3 derniers mois de données ne "
        "comptent pas encore.",
        "Of the people who first came to a workshop (or a category) in the period, the share still attending 3 "
        "months or more after arriving; arrivals in the last 3 months of data do not count yet.",
    ),
    "workshops.retention": ("Rétention par cohorte", "Retention by cohort"),
    "workshops.retention_help": (
        "Chaque ligne regroupe les personnes venues pour la première fois au cours de la même période (mois, "
        "trimestre ou année selon le regroupement) ; chaque case donne la part encore présente 1, 2, 3… périodes "
        "plus tard. Les cases des périodes pas encore écoulées restent blanches ; 0 % est bleu clair.",
        "Each row groups the people who first came in the same period (month, quarter or year, as grouped); each "
        "cell gives the share still attending 1, 2, 3… periods later. Cells of periods not over yet stay white; "
        "0% is light blue.",
    ),
    "workshops.attendance": ("Fréquentation", "Attendance"),
    "workshops.kinds": ("Intervenants et co-construction", "Facilitators and co-design"),
    "exits.destinations": ("Situation à la sortie", "Situation at exit"),
    "exits.rates": ("Taux de sorties positives et durée de séjour", "Positive exit rates and length of stay"),
    # Qualité des données (pages/quality.py, dashboard/quality.py)
    "page.quality": ("Qualité des données", "Data quality"),
    "quality.intro": (
        "Dans l'esprit des outils de qualité des données HUD HMIS : complétude, cohérence et délais de saisie, "
        "par structure et par chargement. La page ne montre que des nombres, perturbés et masqués sous le seuil "
        "comme partout ailleurs ; la liste des lignes concernées s'obtient en ligne de commande : "
        "`python -m etl quality --structure S`.",
        "In the spirit of the HUD HMIS data-quality tools: completeness, consistency and timeliness, per structure "
        "and per load. The page shows numbers only, perturbed and hidden under the threshold as everywhere else; "
        "the list of the rows concerned comes from the command line: `python -m etl quality --structure S`.",
    ),
    "quality.filters_note": (
        "Seul le filtre des structures s'applique à cette page : la qualité se juge sur toutes les données.",
        "Only the structures filter applies to this page: quality is judged on all the data.",
    ),
    "quality.view": ("Données examinées", "Data examined"),
    "quality.now": ("La base aujourd'hui", "The database today"),
    "quality.load_n": ("Chargement n° {n} du {day}", "Load #{n} of {day}"),
    "quality.scores": ("Score par structure", "Score per structure"),
    "quality.score_help": (
        "Score = 100 × (0,4 complétude + 0,4 cohérence + 0,2 délais), arrondi à 5 points. Complétude : 1 − la "
        "moyenne, sur les colonnes attendues, de (manquantes + ½ inconnues) / attendues ; cohérence : 1 − la "
        "moyenne, sur les règles, de la part des lignes signalées ; délais : part des lignes arrivées au plus "
        "{days} jours après leur événement, à partir du deuxième chargement de la structure (le premier apporte "
        "son historique). Une partie sans rien à juger est laissée de côté. Note : A ≥ 90, B ≥ 75, C ≥ 50, D "
        "en dessous. Pas de score pour une structure de moins de {k} personnes.",
        "Score = 100 × (0.4 completeness + 0.4 consistency + 0.2 timeliness), rounded to 5 points. Completeness: "
        "1 − the mean, over the expected columns, of (missing + ½ unknown) / expected; consistency: 1 − the mean, "
        "over the rules, of the share of rows flagged; timeliness: share of the rows that arrived at most {days} "
        "days after their event, from the structure's second load on (the first brings its history). A part with "
        "nothing to judge is left out. Band: A ≥ 90, B ≥ 75, C ≥ 50, D below. No score for a structure of fewer "
        "than {k} persons.",
    ),
    "quality.completeness": ("Complétude par colonne", "Completeness per column"),
    "quality.completeness_help": (
        "« Manquante » : la case est vide, rien n'a été saisi. « Inconnue » : la case dit « Inconnu » ou « Non "
        "renseigné » ; c'est une réponse, comptée à part. Une colonne n'est jugée que là où une valeur est "
        "attendue (les colonnes de sortie une fois la personne sortie, la date de décision une fois la décision "
        "prise). Comptes de personnes pour les personnes, d'orientations et d'accompagnements sinon.",
        "“Missing”: the cell is empty, nothing was recorded. “Unknown”: the cell says “Unknown” or “Not recorded”; "
        "that is an answer, counted apart. A column is judged only where a value is expected (the exit columns "
        "once the person has left, the decision date once a decision is taken). Counts of persons for persons, "
        "of referrals and support periods otherwise.",
    ),
    "quality.consistency": ("Cohérence", "Consistency"),
    "quality.consistency_help": (
        "Orientations en attente : toujours « En attente » plus de {days} jours avant le {day} (dernier jour des "
        "données). Les évaluations après la sortie sont comptées en personnes.",
        "Pending referrals: still “Pending” more than {days} days before {day} (the data's last day). "
        "Assessments after exit are counted in persons.",
    ),
    "quality.trends": ("Évolution au fil des chargements", "Trend over loads"),
    "quality.trends_help": (
        "Chaque chargement mesure l'export qu'il a lu. Parts arrondies à 5 points, affichées quand l'export compte "
        "au moins {k} personnes pour la sélection.",
        "Each load measures the export it read. Shares rounded to 5 points, shown when the export holds at least "
        "{k} persons for the selection.",
    ),
    "quality.no_loads": ("Aucun chargement mesuré pour cette sélection.", "No load measured for this selection."),
    "quality.load_note": (
        "Chargement choisi : parts seulement, arrondies à 5 points, affichées à partir de {k} lignes examinées.",
        "Chosen load: shares only, rounded to 5 points, shown from {k} rows judged.",
    ),
    "quality.rule.OVERLAPPING_SUPPORT": ("Accompagnements qui se chevauchent (même personne, même dispositif)",
                                         "Overlapping support periods (same person, same program)"),
    "quality.rule.EXIT_WITHOUT_DESTINATION": ("Sorties sans situation de logement", "Exits without a housing destination"),
    "quality.rule.REFERRAL_PENDING": ("Orientations en attente depuis des mois", "Referrals pending for months"),
    "quality.rule.ASSESSMENT_AFTER_EXIT": ("Évaluations après la dernière sortie", "Assessments after the last exit"),
    "quality.rule.WORKSHOP_WITHOUT_SESSION": ("Ateliers sans aucune séance", "Workshops without any session"),
    "quality.col.column": ("Colonne", "Column"),
    "quality.col.expected": ("Attendues", "Expected"),
    "quality.col.missing": ("Manquantes", "Missing"),
    "quality.col.missing_share": ("% manquantes", "% missing"),
    "quality.col.unknown": ("Inconnues", "Unknown"),
    "quality.col.unknown_share": ("% inconnues", "% unknown"),
    "quality.col.rule": ("Règle", "Rule"),
    "quality.col.judged": ("Examinées", "Judged"),
    "quality.col.flagged": ("Signalées", "Flagged"),
    "quality.col.flagged_share": ("% signalées", "% flagged"),
    "quality.col.structure": ("Structure", "Structure"),
    "quality.col.score": ("Score", "Score"),
    "quality.col.band": ("Note", "Band"),
    "quality.col.completeness": ("Complétude", "Completeness"),
    "quality.col.consistency": ("Cohérence", "Consistency"),
    "quality.col.timeliness": ("Délais", "Timeliness"),
    "quality.col.load": ("Chargement", "Load"),
    "quality.load_short": ("n° {n} · {day}", "#{n} · {day}"),
    # --- Importer (pages/load.py, dashboard/importing.py)
    "page.load": ("Importer", "Import"),
    "load.intro": (
        "Déposez l'export de votre structure au format du dictionnaire des données : un classeur .xlsx (une feuille "
        "par table), un .zip de fichiers CSV, ou les fichiers CSV eux-mêmes (personnes.csv, orientations.csv, …). "
        "Les fichiers sont d'abord vérifiés sans rien écrire ; rien n'est chargé avant votre confirmation.",
        "Drop your structure's export in the format of the data dictionary: an .xlsx workbook (one sheet per table), "
        "a .zip of CSV files, or the CSV files themselves (personnes.csv, orientations.csv, …). The files are "
        "checked first without writing anything; nothing is loaded until you confirm.",
    ),
    "load.files": ("Fichiers à importer", "Files to import"),
    "load.structure": ("Structure (si les fichiers n'ont pas de colonne structure_id)",
                       "Structure (when the files have no structure_id column)"),
    "load.replace": ("Remplacer les données de ces structures", "Replace these structures' data"),
    "load.replace_help": (
        "Supprime de la base les lignes de ces structures que ces fichiers ne contiennent plus ; la vérification "
        "montre combien de lignes seraient supprimées avant toute confirmation.",
        "Deletes from the database the rows of these structures that these files no longer hold; the check shows "
        "how many rows would be deleted before you confirm.",
    ),
    "load.pseudonymise": ("Pseudonymiser les personne_id (clé du serveur)", "Pseudonymise personne_id (server key)"),
    "load.phase.read": ("Lecture et vérification des fichiers…", "Reading and checking the files…"),
    "load.phase.compare": ("Comparaison avec la base : {done} / {total} lignes",
                           "Comparing with the database: {done} / {total} rows"),
    "load.phase.write": ("Écriture : {done} / {total} lignes", "Writing: {done} / {total} rows"),
    "load.bad.kind": ("Fichier refusé : {names}. Seuls les fichiers .xlsx, .zip et .csv sont acceptés.",
                      "File refused: {names}. Only .xlsx, .zip and .csv files are accepted."),
    "load.bad.mix": ("Déposez un seul classeur .xlsx, un seul .zip, ou des fichiers CSV, sans les mélanger ({names}).",
                     "Drop one .xlsx workbook, one .zip, or CSV files, without mixing them ({names})."),
    "load.bad.twice": ("Deux fichiers portent le même nom : {names}.", "Two files have the same name: {names}."),
    "load.invalid": (
        "{n} erreur(s) : rien n'a été chargé, la base est inchangée. Corrigez l'export et déposez-le à nouveau.",
        "{n} error(s): nothing was loaded, the database is unchanged. Correct the export and drop it again.",
    ),
    "load.checked": (
        "Vérification réussie : voici ce que le chargement ferait. Rien n'est écrit avant votre confirmation.",
        "Check passed: this is what the load would do. Nothing is written until you confirm.",
    ),
    "load.warnings": (
        "{n} avertissement(s) : ils n'empêchent pas le chargement et seront enregistrés avec lui.",
        "{n} warning(s): they do not stop the load and will be stored with it.",
    ),
    "load.warnings_stored": (
        "{n} avertissement(s), enregistré(s) avec ce chargement.",
        "{n} warning(s), stored with this load.",
    ),
    "load.refused": (
        "Votre compte ne permet pas de charger des données pour : {names}. Seuls un administrateur ou le personnel "
        "de ces structures le peuvent ; rien n'a été écrit.",
        "Your account may not load data for: {names}. Only an administrator or these structures' staff may; "
        "nothing was written.",
    ),
    "load.problems": ("Erreurs et avertissements", "Errors and warnings"),
    "load.download": ("Télécharger la liste (CSV)", "Download the list (CSV)"),
    "load.summary": ("Lignes par table", "Rows per table"),
    "load.structures": ("Structures ({n}) : {names}", "Structures ({n}): {names}"),
    "load.confirm": ("Charger dans la base", "Load into the database"),
    "load.done": (
        "Chargement n° {id} terminé : toutes les pages montrent maintenant ces données.",
        "Load #{id} finished: every page now shows this data.",
    ),
    "load.go": ("Voir la vue d'ensemble", "Open the overview"),
    "load.failed": (
        "Le chargement n'a pas pu s'exécuter ; rien n'a été écrit. Si cela persiste, transmettez la référence {ref} "
        "à l'administrateur du tableau de bord.",
        "The load could not run; nothing was written. If it persists, give the reference {ref} to the "
        "dashboard's administrator.",
    ),
    "load.ignored": ("Fichiers ignorés (aucune table du dictionnaire ne porte ce nom) : {names}.",
                     "Files ignored (no table of the dictionary has that name): {names}."),
    "load.kind.error": ("Erreur", "Error"),
    "load.kind.warning": ("Avertissement", "Warning"),
    "load.col.kind": ("Type", "Kind"),
    "load.col.file": ("Fichier", "File"),
    "load.col.line": ("Ligne", "Line"),
    "load.col.column": ("Colonne", "Column"),
    "load.col.value": ("Valeur", "Value"),
    "load.col.reason": ("Motif", "Reason"),
    "load.col.table": ("Table", "Table"),
    "load.col.inserted": ("Insérées", "Inserted"),
    "load.col.updated": ("Mises à jour", "Updated"),
    "load.col.unchanged": ("Inchangées", "Unchanged"),
    "load.col.deleted": ("Supprimées", "Deleted"),
}

# The Analyses page's words live beside its modules (dashboard/analyses/strings.py).
from dashboard.analyses.strings import STRINGS as _ANALYSES  # noqa: E402

STRINGS.update(_ANALYSES)

# The Parcours et durées page's words (dashboard/strings_pathways.py).
from dashboard.strings_pathways import STRINGS as _PATHWAYS  # noqa: E402

STRINGS.update(_PATHWAYS)
