"""Messages of the ``python -m etl`` command line, in French and English."""

from __future__ import annotations

_MESSAGES: dict[str, tuple[str, str]] = {
    "invalid": (
        "Le jeu de données contient {n} erreur(s) : rien n'a été chargé, la base est inchangée.",
        "The dataset has {n} error(s): nothing was loaded, the database is unchanged.",
    ),
    "demo_written": ("Jeu de démonstration écrit dans {out} ({rows} lignes) :", "Demo dataset written to {out} ({rows} rows):"),
    "demo_generating": (
        "Base vide : génération du jeu de démonstration {size} dans {out}…",
        "Empty database: generating the {size} demo dataset into {out}…",
    ),
    "already_loaded": (
        "La base contient déjà des données : rien n'est chargé.",
        "The database already holds data: nothing is loaded.",
    ),
    "bad_domain": ("Domaine inconnu : {value!r} (attendu : {choices}).", "Unknown domain: {value!r} (expected: {choices})."),
    "domain_changed": ("Domaine {domain} : {old} → {new}.", "Domain {domain}: {old} → {new}."),
    "dict_ok": ("{path} est à jour.", "{path} is up to date."),
    "dict_stale": (
        "{path} n'est plus à jour : lancez « python -m etl dictionary ».",
        "{path} is out of date: run `python -m etl dictionary`.",
    ),
    "dict_written": ("{path} écrit.", "{path} written."),
    "status_structures": ("Structures : {n} ({names})", "Structures: {n} ({names})"),
    "status_persons": ("Personnes : {n}. Lignes par table :", "Persons: {n}. Rows per table:"),
    "status_no_load": ("Aucun chargement enregistré.", "No load recorded."),
    "status_load": (
        "Chargement n° {id} le {at} UTC : {source} (structures {structures}), {warnings} avertissement(s)",
        "Load #{id} on {at} UTC: {source} (structures {structures}), {warnings} warning(s)",
    ),
    "status_no_load_warnings": (
        "Aucun chargement enregistré : il n'y a pas d'avertissement à afficher.",
        "No load recorded: there are no warnings to show.",
    ),
    "status_unknown_load": (
        "Chargement n° {id} inconnu (derniers chargements enregistrés : {known}).",
        "Unknown load #{id} (latest loads recorded: {known}).",
    ),
    "status_bad_load": (
        "--load attend un numéro de chargement (nombre entier positif), pas « {value} ».",
        "--load expects a load number (a positive whole number), not “{value}”.",
    ),
    "status_load_alone": (
        "--load ne s'emploie qu'avec --warnings : python -m etl status --warnings --load N.",
        "--load only goes with --warnings: python -m etl status --warnings --load N.",
    ),
    "database": (
        "Erreur de base de données, rien n'a été écrit : {detail}",
        "Database error, nothing was written: {detail}",
    ),
    "failed": ("Échec : {detail}", "Failed: {detail}"),
    "interrupted": ("Interrompu : rien n'a été écrit.", "Interrupted: nothing was written."),
    "unexpected": (
        "Erreur inattendue ({detail}). Rien n'a été écrit. PARCOURS_DEBUG=1 affiche le détail.",
        "Unexpected error ({detail}). Nothing was written. PARCOURS_DEBUG=1 shows the details.",
    ),
}


def say(key: str, lang: str, **values: object) -> str:
    fr, en = _MESSAGES[key]
    return (en if lang == "en" else fr).format(**values)
