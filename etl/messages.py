"""Every problem the read side reports, worded in French (default) and English.

A message is rebuilt from the problem's fields alone (table, file, line,
column, value, code), so ``format_problem`` can word a problem in either
language whatever language it was first produced in.
"""

from collections.abc import Callable
from typing import TypedDict

from etl.dataset import Problem
from etl.terminal import printable
from models.contract import CONTRACT_TABLES, contract_columns
from models.reference import codes

MAX_VALUE_CHARS = 80
LANGS = ("fr", "en")

Reason = Callable[[Problem], str]


def _q(value: str | None, lang: str) -> str:
    return f"« {value} »" if lang == "fr" else f"“{value}”"


def _column_codes(table: str, column: str | None) -> tuple[str | None, list[str]]:
    if table in CONTRACT_TABLES:
        for col in contract_columns(table):
            if col.source == column and col.codes:
                return col.codes, codes(col.codes)
    return None, []


def _unknown_code(p: Problem, lang: str) -> str:
    code_list, valid = _column_codes(p.table, p.column)
    shown = ", ".join(valid[:6]) + (", …" if len(valid) > 6 else "")
    if lang == "fr":
        return f"{_q(p.value, lang)} n'est pas un code de la liste {code_list} (codes valides : {shown})."
    return f"{_q(p.value, lang)} is not a code of list {code_list} (valid codes: {shown})."


def _key_names(table: str) -> str:
    from models.contract import key_columns

    if table not in CONTRACT_TABLES:
        return ""
    by_name = {c.name: c.source for c in contract_columns(table)}
    return ", ".join(by_name[k] for k in key_columns(table))


def _missing_reference(p: Problem, lang: str) -> str:
    from etl.validate import REFERENCES

    target = next((parent for (child, col), parent in REFERENCES.items() if child == p.table and col == p.column), "?")
    if lang == "fr":
        return f"{_q(p.value, lang)} n'existe pas dans la table {target} de la même structure."
    return f"{_q(p.value, lang)} does not exist in table {target} of the same structure."


def _date_order(p: Problem, lang: str) -> str:
    from etl.validate import DATE_ORDER

    earlier = next((a for (t, a, b) in DATE_ORDER if t == p.table and b == p.column), "?")
    if lang == "fr":
        return f"{_q(p.value, lang)} est antérieure à {earlier} de la même ligne."
    return f"{_q(p.value, lang)} is before {earlier} on the same line."


_RANGES = {
    "annee_naissance": ("doit être comprise entre 1900 et l'année en cours", "must be between 1900 and the current year"),
    "niveau": ("doit être compris entre 1 et 5", "must be between 1 and 5"),
    "duree_minutes": ("doit être supérieure à 0", "must be above 0"),
}


def _out_of_range(p: Problem, lang: str) -> str:
    fr, en = _RANGES.get(p.column or "", ("est hors des valeurs admises", "is out of range"))
    return f"{_q(p.value, lang)} {fr if lang == 'fr' else en}."


def identifier_kind(masked: str | None, lang: str) -> str:
    """What a masked value (see ``etl.anonymity.mask``) looked like."""
    text = masked or ""
    if "@" in text:
        return "une adresse e-mail" if lang == "fr" else "an e-mail address"
    if len(text.replace(" ", "")) in (13, 15) and text[:1] in "12":
        return "un numéro de sécurité sociale (NIR)" if lang == "fr" else "a social-security number (NIR)"
    return "un numéro de téléphone" if lang == "fr" else "a phone number"


def _direct_identifier(p: Problem, lang: str) -> str:
    if p.line is None:
        if lang == "fr":
            return (
                "cette colonne désigne une donnée directement identifiante (nom, prénom, date de naissance, adresse, "
                "téléphone, e-mail, NIR) : retirez-la du fichier ; rien n'a été chargé."
            )
        return (
            "this column names directly identifying data (name, first name, birth date, address, phone, e-mail, "
            "NIR): remove it from the file; nothing was loaded."
        )
    kind = identifier_kind(p.value, lang)
    if lang == "fr":
        return f"une valeur ressemble à {kind} ({_q(p.value, lang)}, masquée) : c'est interdit ; rien n'a été chargé."
    return f"a value looks like {kind} ({_q(p.value, lang)}, masked): this is forbidden; nothing was loaded."


def _fixed(fr: str, en: str) -> Callable[[Problem, str], str]:
    return lambda p, lang: (fr if lang == "fr" else en).format(v=_q(p.value, lang), t=p.table, n=p.value, k=_key_names(p.table))


_UNREADABLE_WHY = {
    "binary content": "contenu binaire",
    "header line too long": "ligne d'en-tête démesurée",
    "malformed CSV": "CSV mal formé, guillemets non refermés ?",
    "unknown encoding": "encodage inconnu",
    "invalid Parquet file": "Parquet invalide",
    "corrupted zip": "zip corrompu",
    "corrupted workbook": "classeur corrompu",
    "unreadable sheet": "feuille illisible",
    "not found": "introuvable",
    "too large": "trop volumineux",
    "not a folder, .zip, .xlsx, .csv or .parquet": "ni dossier, ni .zip, .xlsx, .csv ou .parquet",
}


def _unreadable(p: Problem, lang: str) -> str:
    why = _UNREADABLE_WHY.get(p.value or "", p.value) if lang == "fr" else p.value
    if lang == "fr":
        return (
            f"fichier illisible ({why}) : il doit s'agir d'un CSV (UTF-8 ou Windows-1252), d'un Parquet, "
            "d'un zip ou d'un classeur .xlsx valide."
        )
    return f"unreadable file ({why}): expected a CSV (UTF-8 or Windows-1252), a Parquet file, a zip or a valid .xlsx workbook."


def _bidi_control(p: Problem, lang: str) -> str:
    if lang == "fr":
        return (
            f"{_q(p.value, lang)} contient un caractère de contrôle bidirectionnel Unicode (U+202A–U+202E, "
            "U+2066–U+2069, U+200E, U+200F ou U+061C, montré ici échappé) : il inverserait l'ordre du texte à "
            "l'écran ; retirez-le de l'export."
        )
    return (
        f"{_q(p.value, lang)} holds a Unicode bidirectional control character (U+202A–U+202E, U+2066–U+2069, "
        "U+200E, U+200F or U+061C, shown escaped here): it would reorder the text on screen; remove it from "
        "the export."
    )


def _text_too_long(p: Problem, lang: str) -> str:
    from etl.stage import max_chars

    limit = max_chars(p.column or "")
    if lang == "fr":
        return f"{_q(p.value, lang)} dépasse {limit} caractères, la longueur maximale de cette colonne."
    return f"{_q(p.value, lang)} is longer than {limit} characters, the most this column allows."


_BUDGETS = {
    "PARCOURS_MAX_MEMBER_BYTES": ("plus de {n} octets une fois décompressé", "over {n} bytes once expanded"),
    "PARCOURS_MAX_RATIO": (
        "taux de compression supérieur à {n} (bombe de décompression ?)",
        "compression ratio over {n} (a decompression bomb?)",
    ),
    "PARCOURS_MAX_ROWS": ("plus de {n} lignes", "over {n} rows"),
    "PARCOURS_MAX_LINE_BYTES": ("une ligne de plus de {n} octets", "a line over {n} bytes"),
}


def _too_large(p: Problem, lang: str) -> str:
    setting, _, limit = (p.value or "").partition("=")
    fr, en = _BUDGETS.get(setting, ("hors budget", "over budget"))
    what = (fr if lang == "fr" else en).format(n=limit)
    if lang == "fr":
        return (
            f"fichier refusé avant d'être lu en entier : {what}. Aucun export réel n'atteint cette limite ; "
            f"si celui-ci est authentique, relevez {setting}."
        )
    return f"file refused before being read whole: {what}. No real export reaches this limit; if this one is genuine, raise {setting}."


def _symlink(p: Problem, lang: str) -> str:
    if lang == "fr":
        return (
            f"lien symbolique vers {_q(p.value, lang)} : un lien qui sort du dossier du jeu de données, ou tout "
            "lien dans un zip, n'est pas suivi ; mettez le fichier lui-même dans le jeu de données."
        )
    return (
        f"symbolic link to {_q(p.value, lang)}: a link leaving the dataset's folder, or any link inside a zip, "
        "is not followed; put the file itself in the dataset."
    )


def _missing_table(p: Problem, lang: str) -> str:
    if p.column:
        if lang == "fr":
            return f"la table {p.table} est absente alors que ce fichier y fait référence."
        return f"table {p.table} is missing although this file refers to it."
    if lang == "fr":
        return f"la table obligatoire {p.table} est absente (fichier {p.table}.csv ou feuille {p.table} attendu)."
    return f"required table {p.table} is missing (expected a file {p.table}.csv or a sheet {p.table})."


_REASONS: dict[str, Callable[[Problem, str], str]] = {
    "MISSING_TABLE": _missing_table,
    "DUPLICATE_TABLE": _fixed(
        "un autre fichier contient déjà la table {t} ({v}) : n'en gardez qu'un.",
        "another file already holds table {t} ({v}): keep only one.",
    ),
    "MISSING_COLUMN": _fixed("colonne obligatoire absente de l'en-tête.", "required column missing from the header."),
    "DUPLICATE_COLUMN": _fixed("la colonne apparaît plusieurs fois dans l'en-tête.", "the column appears twice in the header."),
    "UNREADABLE_FILE": _unreadable,
    "EMPTY_FILE": _fixed("le fichier est vide (pas même une ligne d'en-tête).", "the file is empty (not even a header line)."),
    "NO_STRUCTURE": _fixed(
        "pas de colonne structure_id et aucune structure indiquée pour le chargement (--structure).",
        "no structure_id column and no structure named for the load (--structure).",
    ),
    "STRUCTURE_MISMATCH": _fixed(
        "{v} n'est pas la structure indiquée pour le chargement.", "{v} is not the structure named for the load."
    ),
    "BAD_DATE": _fixed(
        "{v} n'est pas une date valide (AAAA-MM-JJ ou JJ/MM/AAAA).", "{v} is not a valid date (YYYY-MM-DD or DD/MM/YYYY)."
    ),
    "BAD_NUMBER": _fixed("{v} n'est pas un nombre entier.", "{v} is not a whole number."),
    "BAD_BOOLEAN": _fixed(
        "{v} n'est pas une valeur oui/non (OUI/NON, VRAI/FAUX, 1/0, O/N).",
        "{v} is not a yes/no value (OUI/NON, TRUE/FALSE, 1/0, O/N).",
    ),
    "UNKNOWN_CODE": _unknown_code,
    "MISSING_VALUE": _fixed("valeur obligatoire manquante.", "required value missing."),
    "DUPLICATE_KEY": _fixed(
        "la clé {v} apparaît plus d'une fois (clé : {k}).", "key {v} appears more than once (key: {k})."
    ),
    "MISSING_REFERENCE": _missing_reference,
    "DATE_ORDER": _date_order,
    "FUTURE_DATE": _fixed("{v} est postérieure à la date du chargement.", "{v} is after the day of the load."),
    "OUT_OF_RANGE": _out_of_range,
    "DIRECT_IDENTIFIER": _direct_identifier,
    "BIDI_CONTROL": _bidi_control,
    "TEXT_TOO_LONG": _text_too_long,
    "TOO_LARGE": _too_large,
    "SYMLINK": _symlink,
    "MORE_PROBLEMS": _fixed(
        "… et {n} autres problèmes du même type dans cette colonne, non détaillés.",
        "… and {n} more problems of the same kind in this column, not listed.",
    ),
    "INTERNAL_ERROR": _fixed(
        "erreur inattendue ({n}) ; rien n'a été chargé, merci de la signaler.",
        "unexpected error ({n}); nothing was loaded, please report it.",
    ),
    "AGE_IMPLAUSIBLE": _fixed(
        "âge au premier contact inférieur à 16 ans ou supérieur à 100 ans (année de naissance {v}).",
        "age at first contact under 16 or over 100 (year of birth {v}).",
    ),
    "EXIT_WITHOUT_REASON": _fixed("sortie sans motif_sortie.", "exit without motif_sortie."),
    "REFERRAL_PENDING_90D": _fixed(
        "orientation reçue le {v}, toujours en attente de décision après plus de 90 jours.",
        "referral received on {v}, still pending after more than 90 days.",
    ),
    "PERSON_WITHOUT_ACTIVITY": _fixed(
        "la personne {v} n'a ni orientation ni accompagnement.", "person {v} has no referral and no support period."
    ),
    "SUPPORT_OPEN_3Y": _fixed(
        "accompagnement commencé le {v}, toujours en cours après plus de 3 ans.",
        "support period started on {v}, still open after more than 3 years.",
    ),
}


def _location(p: Problem, lang: str) -> str:
    parts = [p.file] if p.file else []
    if p.line is not None:
        parts.append(f"ligne {p.line}" if lang == "fr" else f"line {p.line}")
    if p.column:
        parts.append(f"colonne {p.column}" if lang == "fr" else f"column {p.column}")
    return ", ".join(parts)


def problem_reason(p: Problem, lang: str = "fr") -> str:
    """Why the problem is one, without where it is (file, line, column), in ``lang`` (fr or en)."""
    lang = lang if lang in LANGS else "fr"
    reason_of = _REASONS.get(p.code)
    return reason_of(p, lang) if reason_of else p.message


def format_problem(p: Problem, lang: str = "fr") -> str:
    """The problem as one sentence, with where it is, in ``lang`` (fr or en)."""
    lang = lang if lang in LANGS else "fr"
    reason = problem_reason(p, lang)
    where = _location(p, lang)
    if not where:
        return reason[:1].upper() + reason[1:]
    return f"{where} : {reason}" if lang == "fr" else f"{where}: {reason}"


def truncate(value: object) -> str | None:
    if value is None:
        return None
    text = str(value)
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"


_ESCAPED = frozenset({"BIDI_CONTROL", "SYMLINK"})


class Where(TypedDict):
    """Where problems of one file are: its table and file name (``problem(..., **where)``)."""

    table: str
    file: str


def problem(
    code: str,
    lang: str,
    *,
    table: str,
    file: str,
    line: int | None = None,
    column: str | None = None,
    value: object = None,
) -> Problem:
    """A problem with its message worded in ``lang``.

    The value of a ``BIDI_CONTROL`` or ``SYMLINK`` problem is kept escaped
    (``etl.terminal.printable``): the control characters it reports never
    reach a screen.
    """
    if code in _ESCAPED and value is not None:
        value = printable(value)
    bare = Problem(table=table, file=file, line=line, column=column, value=truncate(value), code=code, message="")
    return Problem(**{**bare.__dict__, "message": format_problem(bare, lang)})
