"""What the "Données & définitions" page lists: tables, structures, loads, warnings.

Pure polars (no Streamlit): frames of strings ready to show, headings in
the reader's language.
"""

from typing import Any

import polars as pl

from dashboard.data import Data
from dashboard.formatting import fmt_datetime, fmt_int
from dashboard.i18n import label_column, t

TABLES = ("structures", "persons", "referrals", "support_periods", "assessments", "workshops", "sessions",
          "attendances", "milestones")


def rows_per_table(data: Data, lang: str) -> pl.DataFrame:
    return pl.DataFrame({
        t("data.table", lang): [t(f"data.t.{name}", lang) for name in TABLES],
        t("data.count", lang): [fmt_int(getattr(data, name).height, lang) for name in TABLES],
    })


def structure_list(data: Data, lang: str) -> pl.DataFrame:
    frame = label_column(data.structures.select("name", "type", "territory"), "type", "TYPE_STRUCTURE", lang, data.labels)
    return frame.rename({
        "name": t("data.col.name", lang), "type": t("data.col.type", lang), "territory": t("col.territory", lang),
    })


def _yes_no(value: Any, lang: str) -> str:
    return t("yes", lang) if value else t("no", lang)


def loads_table(data: Data, lang: str) -> pl.DataFrame:
    """One row per load, newest first, with its row counts and number of warnings."""
    counts = data.load_counts.group_by("load_id").agg(
        pl.col("inserted").sum(), pl.col("updated").sum(), pl.col("unchanged").sum(), pl.col("deleted").sum()
    ).sort("load_id")
    # The ETL stores a few warnings of each kind and one MORE_PROBLEMS row whose value counts the rest.
    weight = pl.when(pl.col("code") == "MORE_PROBLEMS").then(pl.col("value").cast(pl.Int64, strict=False)).otherwise(1)
    warnings = data.load_warnings.group_by("load_id").agg(weight.fill_null(0).sum().alias("warnings")).sort("load_id")
    loads = (
        data.loads.join(counts, left_on="id", right_on="load_id", how="left")
        .join(warnings, left_on="id", right_on="load_id", how="left")
        .sort("id", descending=True)
    )
    rows = []
    for row in loads.iter_rows(named=True):
        rows.append({
            t("data.load.id", lang): str(row["id"]),
            t("data.load.started_at", lang): fmt_datetime(row["started_at"], lang),
            t("data.load.finished_at", lang): fmt_datetime(row["finished_at"], lang),
            t("data.load.source", lang): row["source"],
            t("data.load.structures", lang): row["structures"],
            t("data.load.replace", lang): _yes_no(row["replace"], lang),
            t("data.load.pseudonymised", lang): _yes_no(row["pseudonymised"], lang),
            **{t(f"data.load.{c}", lang): fmt_int(row[c] or 0, lang) for c in ("inserted", "updated", "unchanged", "deleted")},
            t("data.load.warnings", lang): fmt_int(row["warnings"] or 0, lang),
        })
    return pl.DataFrame(rows) if rows else pl.DataFrame()


def load_label(data: Data, load_id: int, lang: str) -> str:
    """``N° 3 – 05/01/2026 09:30 – exports/tilleuls-2025`` for the load chooser."""
    row = data.loads.filter(pl.col("id") == load_id).row(0, named=True)
    return f"{t('data.load.id', lang)} {load_id} – {fmt_datetime(row['started_at'], lang)} – {row['source']}"


def warnings_table(data: Data, load_id: int, lang: str) -> pl.DataFrame:
    columns = ["table_name", "line", "column_name", "value", "code", "message"]
    frame = data.load_warnings.filter(pl.col("load_id") == load_id).sort("id").select(columns)
    return frame.with_columns(pl.col("line").cast(pl.String)).rename({c: t(f"data.warn.{c}", lang) for c in columns})


def definition_entries(lang: str) -> list[tuple[str, str]]:
    """(title, text) per figure, from ``dashboard.definitions``; the conventions first."""
    from dashboard.definitions import CONVENTIONS, DEFINITIONS, TITLES

    entries = [(t("data.conventions", lang), CONVENTIONS[lang])]
    for metric, texts in DEFINITIONS.items():
        title = TITLES.get(metric, {}).get(lang, metric)
        entries.append((f"{title} (`{metric}`)", texts[lang]))
    return entries


def changelog_entries(lang: str) -> list[str]:
    from dashboard.definitions import CHANGELOG

    return [f"**{t('data.version', lang)} {number}** ({day}) : {texts[lang]}" if lang == "fr"
            else f"**{t('data.version', lang)} {number}** ({day}): {texts[lang]}" for number, day, texts in CHANGELOG]
