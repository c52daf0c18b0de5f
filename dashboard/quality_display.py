"""The data-quality tables as strings in the reader's language (pure: no Streamlit).

Counts and shares come from ``dashboard.quality`` after the gate; a hidden
cell reads "< k" or "masqué" like everywhere else; a column without an
"unknown" code shows an en dash in the unknown columns.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from dashboard.formatting import MISSING, PLOTLY_SEPARATORS, fmt_date, fmt_int, fmt_rate
from dashboard.i18n import t
from dashboard.quality import Gated
from models import quality
from models.contract import CONTRACT_TABLES, contract_columns

_CONTRACT = {model.__tablename__: name for name, model in CONTRACT_TABLES.items()}  # type: ignore[attr-defined]
_HAS_UNKNOWN = {c.name: c.has_unknown for c in quality.COMPLETENESS}


def table_label(table: str, lang: str) -> str:
    return t(f"data.t.{'sessions' if table == 'workshop_sessions' else table}", lang)


def column_label(measure: str, lang: str) -> str:
    """``persons.sex`` -> "Personnes · Sexe": the contract's own description, up to its first aside."""
    table, column = measure.split(".", 1)
    found = next((c for c in contract_columns(_CONTRACT[table]) if c.name == column), None)
    text = (found.description_fr if lang != "en" else found.description) if found else column
    for stop in (" (", ";", ","):
        text = text.split(stop)[0]
    return f"{table_label(table, lang)} · {text.rstrip('.')}"


def rule_label(code: str, lang: str) -> str:
    return t(f"quality.rule.{code}", lang)


def _cell(value: object, reading: str | None, k: int, lang: str, rate: bool) -> str:
    if reading == "small":
        return t("suppressed.cell", lang, k=k)
    if reading == "masked":
        return t("suppressed.masked", lang)
    return fmt_rate(value, lang) if rate else fmt_int(value, lang)


def _column(gated: Gated, name: str, lang: str, rate: bool) -> list[str]:
    return [_cell(v, r, k, lang, rate)
            for v, r, k in zip(gated.table[name], gated.cells[name], gated.row_k, strict=True)]


def completeness_frame(gated: Gated, lang: str) -> pl.DataFrame:
    measures = gated.table["measure"].to_list()
    unknown, unknown_share = _column(gated, "unknown", lang, False), _column(gated, "unknown_share", lang, True)
    applies = [_HAS_UNKNOWN.get(m, False) for m in measures]
    return pl.DataFrame({
        t("quality.col.column", lang): [column_label(m, lang) for m in measures],
        t("quality.col.expected", lang): _column(gated, "expected", lang, False),
        t("quality.col.missing", lang): _column(gated, "missing", lang, False),
        t("quality.col.missing_share", lang): _column(gated, "missing_share", lang, True),
        t("quality.col.unknown", lang): [u if a else MISSING for u, a in zip(unknown, applies, strict=True)],
        t("quality.col.unknown_share", lang): [u if a else MISSING for u, a in zip(unknown_share, applies, strict=True)],
    })


def consistency_frame(gated: Gated, lang: str) -> pl.DataFrame:
    codes = gated.table["measure"].to_list()
    return pl.DataFrame({
        t("quality.col.rule", lang): [rule_label(c, lang) for c in codes],
        t("quality.col.judged", lang): _column(gated, "judged", lang, False),
        t("quality.col.flagged", lang): _column(gated, "flagged", lang, False),
        t("quality.col.flagged_share", lang): _column(gated, "flagged_share", lang, True),
    })


def load_frames(shares: pl.DataFrame, lang: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """One load's shares: (completeness per column, consistency per rule), shares only."""
    def share(family: str, name: str) -> str:
        found = shares.filter((pl.col("family") == family) & (pl.col("name") == name))["share"]
        return fmt_rate(found[0], lang) if found.len() and found[0] is not None else MISSING

    names = [c.name for c in quality.COMPLETENESS if not shares.filter(pl.col("name") == c.name).is_empty()]
    columns = pl.DataFrame({
        t("quality.col.column", lang): [column_label(n, lang) for n in names],
        t("quality.col.missing_share", lang): [share("missing", n) for n in names],
        t("quality.col.unknown_share", lang): [share("unknown", n) if _HAS_UNKNOWN[n] else MISSING for n in names],
    }, schema={t(f"quality.col.{c}", lang): pl.String for c in ("column", "missing_share", "unknown_share")})
    codes = [r.code for r in quality.CONSISTENCY if not shares.filter(pl.col("name") == r.code).is_empty()]
    rules = pl.DataFrame({
        t("quality.col.rule", lang): [rule_label(c, lang) for c in codes],
        t("quality.col.flagged_share", lang): [share("rule", c) for c in codes],
    }, schema={t(f"quality.col.{c}", lang): pl.String for c in ("rule", "flagged_share")})
    return columns, rules


_PARTS = ("completeness", "consistency", "timeliness")


def scores_frame(scores: pl.DataFrame, lang: str) -> pl.DataFrame:
    """Structure, score with its band ("75 · B"), the three parts: five columns, readable on a phone."""
    return pl.DataFrame({
        t("quality.col.structure", lang): scores["name"].to_list(),
        t("quality.col.score", lang): [f"{fmt_int(v, lang)} · {b}" if b else MISSING
                                       for v, b in zip(scores["score"], scores["band"], strict=True)],
        **{t(f"quality.col.{p}", lang): [fmt_rate(v, lang) for v in scores[p]] for p in _PARTS},
    }, schema={t(f"quality.col.{c}", lang): pl.String for c in ("structure", "score", *_PARTS)})


def trends_frame(trends: pl.DataFrame, lang: str) -> pl.DataFrame:
    """Load ("n° 2 · 05/01/2025"), score with its band, the three parts."""
    loads = [t("quality.load_short", lang, n=n, day=fmt_date(d, lang) if d is not None else MISSING)
             for n, d in zip(trends["load_id"], trends["loaded_at"], strict=True)]
    return pl.DataFrame({
        t("quality.col.load", lang): loads,
        t("quality.col.score", lang): [f"{fmt_int(v, lang)} · {b}" if b else MISSING
                                       for v, b in zip(trends["score"], trends["band"], strict=True)],
        **{t(f"quality.col.{p}", lang): [fmt_rate(v, lang) for v in trends[p]] for p in _PARTS},
    }, schema={t(f"quality.col.{c}", lang): pl.String for c in ("load", "score", *_PARTS)})


def trends_chart(trends: pl.DataFrame, lang: str) -> go.Figure | None:
    """Score and parts (0 to 100) per load; hidden loads left out; None with fewer than two loads to draw."""
    shown = trends.filter(pl.col("score").is_not_null())
    if shown.height < 2:
        return None
    x = [t("quality.load_short", lang, n=n, day="").rstrip(" ·") for n in shown["load_id"]]
    fig = go.Figure()
    fig.add_scatter(x=x, y=shown["score"].to_list(), name=t("quality.col.score", lang), mode="lines+markers",
                    line={"width": 3})
    for part, dash in zip(_PARTS, ("dot", "dash", "dashdot"), strict=True):
        values = [None if v is None else round(v * 100) for v in shown[part]]
        fig.add_scatter(x=x, y=values, name=t(f"quality.col.{part}", lang), mode="lines+markers",
                        line={"dash": dash, "width": 2})
    # The legend above the plot: below it, it runs into the axis labels on a phone.
    fig.update_layout(height=340, margin={"l": 40, "r": 10, "t": 60, "b": 30}, yaxis={"range": [0, 105]},
                      xaxis={"type": "category"}, legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
                      separators=PLOTLY_SEPARATORS.get(lang, ", "))
    return fig
