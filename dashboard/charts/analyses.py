"""Charts of the Analyses page: love plot, overlap of propensity scores, sizes and profiles of the types.

Builders take the tables of ``dashboard.analyses`` after disclosure control
(``effect.balance_table``, ``effect.overlap_table``,
``typology_tables.typology_tables``) and return None when there is nothing
to draw. Every label from the data (a structure id in a covariate, a label)
is shortened and escaped (``dashboard.safe_text``).
"""

import plotly.graph_objects as go
import polars as pl

from dashboard.analyses.effect import MAX_ABS_SMD
from dashboard.formatting import PLOTLY_SEPARATORS
from dashboard.i18n import code_label, t
from dashboard.safe_text import markup_escaped, short_label
from dashboard.theme import PALETTE, SEQUENTIAL, TEMPLATE_NAME

LOVE_TOP = 25
"""Covariates shown in the love plot: the most unbalanced before weighting."""


def _layout(fig: go.Figure, title: str, lang: str, height: int) -> go.Figure:
    fig.update_layout(template=TEMPLATE_NAME, title=markup_escaped(title), height=height, separators=PLOTLY_SEPARATORS[lang],
                      margin={"l": 10, "r": 10, "t": 90, "b": 40},
                      legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0, "xanchor": "left"})
    return fig


# Covariate -> (code list of its values, French word, English word).
_COVARIATES = {
    "age_band": ("AGE_BAND", "âge", "age"), "sex": ("SEXE", "sexe", "sex"), "source": ("SOURCE", "orienté par", "referred by"),
    "structure_id": (None, "structure", "structure"), "program": ("DISPOSITIF", "dispositif", "program"),
    "resources": ("RESSOURCES", "ressources", "resources"), "justice": ("JUSTICE", "justice", "justice"),
    "qpv": (None, "QPV", "QPV"),
}


def covariate_label(name: str, lang: str, labels: pl.DataFrame) -> str:
    """``level:LOGEMENT`` -> "niveau : Logement"; ``sex=F`` -> "sexe : Femme"; a structure id (from the data) is
    shortened and escaped."""
    colon = " : " if lang == "fr" else ": "
    if name.startswith(("level:", "missing:")):
        kind, domain = name.split(":", 1)
        word = {"level": ("niveau", "level"), "missing": ("non évalué", "not assessed")}[kind][lang == "en"]
        return short_label(f"{word}{colon}{code_label('DOMAINE', domain, lang, labels)}")
    column, _, code = name.partition("=")
    code_list, fr, en = _COVARIATES.get(column, (None, column, column))
    shown = code_label(code_list, code, lang, labels) if code_list and code != "INCONNU" else code
    if code == "INCONNU":
        shown = t("not_recorded", lang)
    return short_label(f"{en if lang == 'en' else fr}{colon}{shown}")


def love_plot(balance: pl.DataFrame, lang: str, labels: pl.DataFrame) -> go.Figure | None:
    """Standardised mean differences before and after weighting, the ``LOVE_TOP`` most unbalanced before."""
    if balance.is_empty():
        return None
    rows = balance.head(LOVE_TOP).reverse()
    names = [covariate_label(n, lang, labels) for n in rows["covariate"]]
    fig = go.Figure()
    for column, colour, word in (("smd_before", PALETTE[1], "analyses.before"), ("smd_after", PALETTE[0], "analyses.after")):
        fig.add_trace(go.Scatter(x=rows[column].to_list(), y=names, mode="markers", name=t(word, lang),
                                 marker={"color": colour, "size": 9, "symbol": "circle" if column == "smd_after" else "x"}))
    for edge in (-MAX_ABS_SMD, MAX_ABS_SMD):
        fig.add_vline(x=edge, line_dash="dot", line_color="#777777")
    fig.update_xaxes(title=t("analyses.smd_axis", lang), zeroline=True)
    return _layout(fig, t("analyses.love", lang), lang, height=160 + 22 * rows.height)


def overlap_chart(overlap: pl.DataFrame, lang: str) -> go.Figure | None:
    """Persons per propensity bin, regular attendees above the axis and the others below (hidden bins left out)."""
    if overlap.is_empty() or overlap["persons"].drop_nulls().sum() == 0:
        return None
    fig = go.Figure()
    for group, colour, word, sign in ((True, PALETTE[0], "analyses.regular", 1), (False, PALETTE[1], "analyses.others", -1)):
        rows = overlap.filter(pl.col("treated") == group)
        fig.add_trace(go.Bar(x=(rows["bin_low"] + 0.025).to_list(),
                             y=[None if v is None else sign * v for v in rows["persons"].to_list()],
                             name=t(word, lang), marker_color=colour, width=0.048,
                             customdata=rows["persons"].to_list(), hovertemplate="%{x:.2f}: %{customdata}<extra></extra>"))
    fig.update_layout(barmode="relative")
    fig.update_xaxes(title=t("analyses.score", lang), range=[0, 1])
    fig.update_yaxes(title=t("analyses.persons_axis", lang))
    return _layout(fig, t("analyses.overlap", lang), lang, height=380)


def type_sizes(sizes: pl.DataFrame, lang: str) -> go.Figure | None:
    """Persons by type (hidden sizes left out)."""
    if sizes.is_empty():
        return None
    rows = sizes.reverse()
    names = [short_label(f"{i}. {n}", 60) for i, n in zip(rows["type"], rows["name"], strict=True)]
    fig = go.Figure(go.Bar(x=rows["persons"].to_list(), y=names, orientation="h", marker_color=PALETTE[0],
                           hovertemplate="%{x}<extra></extra>"))
    fig.update_xaxes(title=t("analyses.persons_axis", lang))
    return _layout(fig, t("analyses.type_sizes", lang), lang, height=140 + 40 * rows.height)


def type_profiles(profile: pl.DataFrame, lang: str, labels: pl.DataFrame) -> go.Figure | None:
    """Mean level at entry by type (rows) and domain (columns); hidden cells blank."""
    if profile.is_empty() or profile["mean_level"].drop_nulls().is_empty():
        return None
    domains = [d for d in profile["domain"].unique(maintain_order=True).to_list()
               if profile.filter(pl.col("domain") == d)["mean_level"].drop_nulls().len()]
    types = profile.select("type", "name").unique(maintain_order=True).sort("type")
    z = [[profile.filter((pl.col("type") == ty) & (pl.col("domain") == d))["mean_level"].item() for d in domains]
         for ty in types["type"]]
    fig = go.Figure(go.Heatmap(z=z, x=[short_label(code_label("DOMAINE", d, lang, labels)) for d in domains],
                               y=[short_label(f"{i}. {n}", 60) for i, n in zip(types["type"], types["name"], strict=True)],
                               zmin=1, zmax=5, colorscale=SEQUENTIAL[::-1], texttemplate="%{z:.1f}",
                               hovertemplate="%{y}<br>%{x}: %{z:.1f}<extra></extra>"))
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, t("analyses.type_profiles", lang), lang, height=200 + 45 * types.height)
