"""Interface strings and code labels in French (default) or English.

Every string shown goes through ``t(key, lang)``; every code goes through
the ``code_labels`` table (``Data.labels``), never spelled in a page. An
unknown language falls back to French; an unknown key is an error (a test
checks that every key used exists in both languages).
"""

import importlib
import threading
import weakref
from functools import cache

import polars as pl

from dashboard.strings import STRINGS

LANGS = ("fr", "en")

# Metric column -> code list of its values (used to show labels instead of codes).
CODE_COLUMNS: dict[str, str] = {
    "source": "SOURCE",
    "program": "DISPOSITIF",
    "domain": "DOMAINE",
    "kind": "KIND",
    "pillar": "PILLAR",
    "category": "CATEGORIE_ATELIER",
    "facilitator": "INTERVENANT",
    "destination": "LOGEMENT_SORTIE",
    "situation": "EMPLOI_SORTIE",
    "decision": "DECISION",
    "sex": "SEXE",
    "age_band": "AGE_BAND",
    "modality": "MODALITE",
    "presence": "PRESENCE",
    "exit_reason": "MOTIF_SORTIE",
    "exit_housing": "LOGEMENT_SORTIE",
    "exit_employment": "EMPLOI_SORTIE",
    "type": "TYPE_STRUCTURE",
    "co_constructed": "CO_CONSTRUIT",
}
# Free-text columns where a metric writes INCONNU for a missing value.
FREE_TEXT_COLUMNS = ("territory",)
UNKNOWN_CODE = "INCONNU"

TOTAL_CODE = "TOTAL"


def lang_of(value: object) -> str:
    """``fr`` or ``en`` from any user input (URL, setting); French otherwise."""
    text = str(value or "").strip().lower()[:2]
    return text if text in LANGS else "fr"


@cache
def all_strings() -> dict[str, tuple[str, str]]:
    """The shell's strings merged with the pages' (``dashboard.strings_pages``, ``dashboard.strings_cohorts``)."""
    merged = dict(STRINGS)
    for module in ("dashboard.strings_pages", "dashboard.strings_cohorts"):
        try:
            extra = importlib.import_module(module)
        except ModuleNotFoundError:
            continue
        merged.update(getattr(extra, "STRINGS", {}))
    return merged


def t(key: str, lang: str, **kwargs: object) -> str:
    """The string ``key`` in ``lang`` with ``{placeholders}`` filled; KeyError if unknown."""
    fr, en = all_strings()[key]
    text = en if lang_of(lang) == "en" else fr
    return text.format(**kwargs) if kwargs else text


def has(key: str) -> bool:
    return key in all_strings()


def _label_field(lang: str) -> str:
    return "label_en" if lang_of(lang) == "en" else "label_fr"


def code_label(code_list: str, code: str | None, lang: str, labels: pl.DataFrame) -> str:
    """The label of ``code`` in ``code_list``; unknown or missing reads "Non renseigné"."""
    if code is None:
        return t("not_recorded", lang)
    if code == TOTAL_CODE:
        return t("total", lang)
    found = labels.filter((pl.col("code_list") == code_list) & (pl.col("code") == code))
    if found.is_empty():
        return t("not_recorded", lang)
    return str(found[_label_field(lang)][0])


# (id of a labels frame) -> {(code list, label field): code -> label}; a page asks the same lists on every run
# (filter bar, legends, image captions), and each lookup was a filter and a sort of the whole labels table.
_MAPS: dict[int, dict[tuple[str, str], dict[str, str]]] = {}
_MAPS_GUARD = threading.Lock()


def label_map(code_list: str, lang: str, labels: pl.DataFrame) -> dict[str, str]:
    """code -> label for one list, in display order (for select widgets); a new dict the caller may change."""
    field = _label_field(lang)
    with _MAPS_GUARD:
        maps = _MAPS.get(id(labels))
        if maps is None:
            maps = _MAPS[id(labels)] = {}
            weakref.finalize(labels, _MAPS.pop, id(labels), None)  # ids are reused once a frame is gone
        found = maps.get((code_list, field))
    if found is None:
        rows = labels.filter(pl.col("code_list") == code_list).sort("position")
        found = dict(zip(rows["code"].to_list(), rows[field].to_list(), strict=True))
        with _MAPS_GUARD:
            maps[(code_list, field)] = found
    return dict(found)


def label_column(frame: pl.DataFrame, column: str, code_list: str, lang: str, labels: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with the codes of ``column`` replaced by their labels, rows kept in order.

    ``TOTAL`` reads "Total"; a missing or unknown code reads "Non renseigné".
    """
    if column not in frame.columns:
        return frame
    mapping = labels.filter(pl.col("code_list") == code_list).select(
        pl.col("code").alias(column), pl.col(_label_field(lang)).alias("__label")
    )
    joined = frame.with_columns(pl.col(column).cast(pl.String)).join(mapping, on=column, how="left", maintain_order="left")
    label = (
        pl.when(pl.col(column) == TOTAL_CODE).then(pl.lit(t("total", lang)))
        .otherwise(pl.col("__label").fill_null(t("not_recorded", lang)))
    )
    return joined.with_columns(label.alias(column)).drop("__label")


def structure_names(structures: pl.DataFrame) -> dict[str, str]:
    """structure_id -> name (structures are organisations, never persons)."""
    return dict(zip(structures["structure_id"].to_list(), structures["name"].to_list(), strict=True))


def label_codes(frame: pl.DataFrame, lang: str, labels: pl.DataFrame, structures: pl.DataFrame | None = None) -> pl.DataFrame:
    """Every known code column of a metric frame turned into labels (see ``CODE_COLUMNS``).

    ``structure_id`` becomes the structure's name when ``structures`` is given;
    Boolean columns read Oui/Non.
    """
    out = frame
    for column, code_list in CODE_COLUMNS.items():
        if column in out.columns and out[column].dtype == pl.String:
            out = label_column(out, column, code_list, lang, labels)
    for column in FREE_TEXT_COLUMNS:
        if column in out.columns and out[column].dtype == pl.String:
            out = out.with_columns(
                pl.when(pl.col(column).is_null() | (pl.col(column) == UNKNOWN_CODE))
                .then(pl.lit(t("not_recorded", lang))).otherwise(pl.col(column)).alias(column)
            )
    if structures is not None and "structure_id" in out.columns:
        names = structures.select("structure_id", pl.col("name").alias("__name"))
        out = (
            out.join(names, on="structure_id", how="left", maintain_order="left")
            .with_columns(pl.coalesce("__name", "structure_id").alias("structure_id"))
            .drop("__name")
        )
    for column in out.columns:
        if out[column].dtype == pl.Boolean:
            out = out.with_columns(
                pl.when(pl.col(column)).then(pl.lit(t("yes", lang)))
                .when(pl.col(column).not_()).then(pl.lit(t("no", lang)))
                .otherwise(pl.lit(t("not_recorded", lang))).alias(column)
            )
    return out
