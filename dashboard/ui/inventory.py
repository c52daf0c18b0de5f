"""What the "Données & définitions" page lists: tables, structures, loads, warnings.

Pure polars (no Streamlit): frames of strings ready to show, headings in
the reader's language. No row-level value ever leaves this module: no
person id, line, value, date of an event or path of a dataset; warnings
are counted per load and per kind (the detail is the operator's, on the
command line: ``python -m etl status --warnings``).
"""

from typing import Any

import polars as pl

from dashboard.data import Data
from dashboard.formatting import fmt_datetime, fmt_int
from dashboard.i18n import label_column, t

TABLES = ("structures", "persons", "referrals", "support_periods", "assessments", "workshops", "sessions",
          "attendances", "milestones")
# The kinds of warning the ETL raises (etl/warnings_rules.py); any other code is counted as OTHER.
WARNING_KINDS = ("AGE_IMPLAUSIBLE", "EXIT_WITHOUT_REASON", "REFERRAL_PENDING_90D", "PERSON_WITHOUT_ACTIVITY",
                 "SUPPORT_OPEN_3Y")
OTHER = "OTHER"
MORE_PROBLEMS = "MORE_PROBLEMS"


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


def warning_counts(load_warnings: pl.DataFrame) -> pl.DataFrame:
    """(load_id, kind, warnings): the true number of warnings per load and kind.

    The ETL stores a few warnings of each kind, then one MORE_PROBLEMS row
    whose value counts the rest of the kind it follows. A kind outside
    ``WARNING_KINDS`` (or a count with no kind before it) reads ``OTHER``.
    """
    more = pl.col("code") == MORE_PROBLEMS
    return (
        load_warnings.sort("id")
        .with_columns(
            kind=pl.when(more).then(None).otherwise(pl.col("code")).forward_fill().over("load_id"),
            n=pl.when(more).then(pl.col("value").cast(pl.Int64, strict=False).fill_null(0)).otherwise(1),
        )
        .with_columns(kind=pl.when(pl.col("kind").is_in(WARNING_KINDS)).then(pl.col("kind")).otherwise(pl.lit(OTHER)))
        .group_by("load_id", "kind")
        .agg(pl.col("n").sum().alias("warnings"))
        .sort("load_id", "kind")
    )


def loads_table(data: Data, lang: str) -> pl.DataFrame:
    """One row per load, newest first, with its row counts and true number of warnings."""
    counts = data.load_counts.group_by("load_id").agg(
        pl.col("inserted").sum(), pl.col("updated").sum(), pl.col("unchanged").sum(), pl.col("deleted").sum()
    ).sort("load_id")
    warnings = warning_counts(data.load_warnings).group_by("load_id").agg(pl.col("warnings").sum()).sort("load_id")
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
            t("data.load.structures", lang): row["structures"],
            t("data.load.replace", lang): _yes_no(row["replace"], lang),
            t("data.load.pseudonymised", lang): _yes_no(row["pseudonymised"], lang),
            **{t(f"data.load.{c}", lang): fmt_int(row[c] or 0, lang) for c in ("inserted", "updated", "unchanged", "deleted")},
            t("data.load.warnings", lang): fmt_int(row["warnings"] or 0, lang),
        })
    return pl.DataFrame(rows) if rows else pl.DataFrame()


def warnings_table(data: Data, lang: str) -> pl.DataFrame:
    """One row per load and kind of warning, newest load first, most frequent kind first:
    load number, load date, kind in words, count. Empty when no load raised a warning."""
    counts = warning_counts(data.load_warnings)
    started = dict(zip(data.loads["id"].to_list(), data.loads["started_at"].to_list(), strict=True))
    rows = [
        {
            t("data.load.id", lang): str(row["load_id"]),
            t("data.warn.load_date", lang): fmt_datetime(started.get(row["load_id"]), lang),
            t("data.warn.kind", lang): t(f"data.warn.kind.{row['kind']}", lang),
            t("data.warn.count", lang): fmt_int(row["warnings"], lang),
        }
        for row in counts.sort(["load_id", "warnings", "kind"], descending=[True, True, False]).iter_rows(named=True)
    ]
    return pl.DataFrame(rows) if rows else pl.DataFrame()


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
