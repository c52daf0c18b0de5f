"""A safe extract as a file: CSV or XLSX (``dashboard.spreadsheets``) with its provenance sheet.

Cells hold codes (as in the data dictionary, the same in both languages,
so that extracts compare); headings are in the reader's language; the
anchor half-year reads ``S1 2023`` in French, ``H1 2023`` in English; a
sensitive attribute blanked by l-diversity reads "masqué" / "hidden"; a
quasi-identifier generalised away is empty. The provenance sheet adds to
the usual rows the cohort's size, the records suppressed, the level
published for each quasi-identifier, k and l, and that the ids are random.
"""

from collections.abc import Sequence

import polars as pl

from dashboard.extracts.anonymity import EXTRACT_COLUMNS, Extract
from dashboard.extracts.hierarchy import HIERARCHIES, LEVEL_WORDS, period_text
from dashboard.i18n import t
from dashboard.provenance import Provenance, provenance_rows
from dashboard.spreadsheets import Col, Kind, Sheet, csv_bytes, xlsx_bytes

FORMATS = ("csv", "xlsx")
HEADINGS: dict[str, tuple[str, str]] = {
    "id": ("Identifiant (propre à cet extrait)", "Id (this extract only)"),
    "anchor_period": ("Période d'ancrage", "Anchor period"),
    "sex": ("Sexe", "Sex"),
    "age_band": ("Tranche d'âge à l'ancrage", "Age band at anchor"),
    "territory": ("Territoire de la structure", "Structure's territory"),
    "structure": ("Structure", "Structure"),
    "program": ("Dispositif suivi", "Program followed"),
    "exit_group": ("Sortie : groupe de destination", "Exit: destination group"),
    "months_to_exit": ("Mois de l'ancrage à la sortie", "Months from anchor to exit"),
    "need_logement": ("Besoin à l'entrée : logement", "Need at entry: housing"),
    "need_emploi": ("Besoin à l'entrée : emploi", "Need at entry: employment"),
    "need_sante": ("Besoin à l'entrée : santé (hors addictions)", "Need at entry: health (addictions excluded)"),
    "need_liens": ("Besoin à l'entrée : liens sociaux", "Need at entry: social bonds"),
    "justice": ("Situation judiciaire", "Justice situation"),
    "addictions": ("Besoin à l'entrée : addictions", "Need at entry: addictions"),
}
ORDER = EXTRACT_COLUMNS
WORDS: dict[str, tuple[str, str]] = {
    "what": ("Extrait individuel protégé : {name}", "Protected person-level extract: {name}"),
    "members": ("Personnes de la cohorte", "Persons in the cohort"),
    "suppressed": ("Personnes retirées (non généralisables à {k})", "Persons removed (could not be generalised to {k})"),
    "rows": ("Lignes de l'extrait", "Rows in the extract"),
    "level": ("Publié pour « {qi} »", "Published for '{qi}'"),
    "k": ("k-anonymat", "k-anonymity"),
    "k_value": ("chaque combinaison des quasi-identifiants publiés compte au moins {k} personnes",
                "every combination of the published quasi-identifiers holds at least {k} persons"),
    "l": ("l-diversité", "l-diversity"),
    "l_value": ("situation judiciaire et addictions montrées seulement quand leur classe compte au moins {l} valeurs "
                "connues distinctes ({blanked} cellule(s) masquée(s))",
                "justice situation and addictions shown only where their class holds at least {l} distinct known "
                "values ({blanked} cell(s) hidden)"),
    "method": ("Méthode", "Method"),
    "method_value": ("lignes exactes, non perturbées, aux quasi-identifiants généralisés (k-anonymat) ; le mode de "
                     "protection ci-dessus vaut pour les chiffres agrégés",
                     "exact rows, not perturbed, with generalised quasi-identifiers (k-anonymity); the disclosure mode "
                     "above applies to aggregate figures"),
    "ids": ("Identifiants", "Ids"),
    "ids_value": ("tirés au hasard pour cet extrait seulement ; sans lien avec les identifiants des données",
                  "drawn at random for this extract only; unrelated to the data's ids"),
}


def _word(key: str, lang: str, **values: object) -> str:
    text = WORDS[key][0 if lang == "fr" else 1]
    return text.format(**values) if values else text


def extract_notes(extract: Extract, lang: str) -> tuple[tuple[str, str], ...]:
    """The extract's own provenance rows (after the common ones)."""
    side = 0 if lang == "fr" else 1
    blanked = int(sum(int(extract.blanked[c].sum()) for c in extract.blanked.columns)) if extract.rows.height else 0
    return (
        (_word("members", lang), str(extract.members)),
        (_word("suppressed", lang, k=extract.k), str(extract.suppressed)),
        (_word("rows", lang), str(extract.rows.height)),
        *((_word("level", lang, qi=LEVEL_WORDS[h.name][side]), LEVEL_WORDS[extract.levels[h.name]][side])
          for h in HIERARCHIES),
        (_word("method", lang), _word("method_value", lang)),
        (_word("k", lang), _word("k_value", lang, k=extract.k)),
        (_word("l", lang), _word("l_value", lang, l=extract.l, blanked=blanked)),
        (_word("ids", lang), _word("ids_value", lang)),
    )


def extract_what(name: str, lang: str) -> str:
    return _word("what", lang, name=name)


def extract_sheet(extract: Extract, lang: str) -> Sheet:
    side = 0 if lang == "fr" else 1
    rows = extract.rows.with_columns(
        pl.col("anchor_period").map_elements(lambda code: period_text(code, lang), return_dtype=pl.String))
    kinds: dict[str, Kind] = {"months_to_exit": "int"}
    columns = tuple(Col(name, HEADINGS[name][side], kinds.get(name, "text")) for name in ORDER)
    masked = t("suppressed.masked", lang)
    hidden = {name: [masked if b else None for b in extract.blanked[name].to_list()] for name in extract.blanked.columns}
    return Sheet(name="extrait" if lang == "fr" else "extract", frame=rows, columns=columns, hidden=hidden)


def extract_bytes(extract: Extract, fmt: str, lang: str, provenance: Provenance | Sequence[tuple[str, str]]) -> bytes:
    """The extract as ``csv`` or ``xlsx`` bytes, with the provenance (a ``Provenance`` or its rows)."""
    rows = provenance_rows(provenance, lang) if isinstance(provenance, Provenance) else list(provenance)
    sheet = extract_sheet(extract, lang)
    if fmt == "csv":
        return csv_bytes(sheet, lang, rows)
    if fmt == "xlsx":
        return xlsx_bytes(sheet, lang, rows)
    raise ValueError(f"format {fmt!r}: expected one of {', '.join(FORMATS)}")


__all__ = ["FORMATS", "HEADINGS", "ORDER", "extract_bytes", "extract_notes", "extract_sheet", "extract_what"]
