"""Charts of the Besoins page: needs over time (grid and lines), by kind and
pillar, and the distance travelled between first and latest assessment."""

import plotly.graph_objects as go
import polars as pl

from dashboard.charts.base import (
    Bar,
    Shown,
    Spec,
    code_order,
    finish,
    frame_readings,
    hidden_in,
    hint,
    is_empty,
    labelled,
    n_range,
    percent_suffix,
    period_axis,
    suppressed_markers,
    with_flags,
)
from dashboard.charts.texts import text
from dashboard.charts.trends import Axis, rate_heatmap, rate_lines
from dashboard.theme import DIVERGING

STABLE_COLOR = "#E6D3A3"
"""Sand, not grey: grey means a hidden figure on every chart."""

NEED_COLUMNS = ["persons_assessed", "persons_in_need", "share_in_need", "mean_level"]
GROUPS = {
    "domain": (Axis("domain", "DOMAINE"), "needs_by_domain"),
    "kind": (Axis("kind", "KIND"), "needs_by_kind"),
    "pillar": (Axis("pillar", "PILLAR"), "needs_by_pillar"),
}
TOP_DOMAINS = 6


def _usable(shown: Shown | None, rate: str) -> bool:
    if is_empty(shown):
        return False
    assert shown is not None
    hidden = shown.suppressed[rate].any() if rate in shown.suppressed.columns else False
    return bool(shown.table[rate].is_not_null().any() or hidden)


def needs_heatmap(shown: Shown, lang: str, labels: pl.DataFrame, by: str) -> go.Figure | None:
    """Domain × period grid of the share of assessed people in need."""
    if not _usable(shown, "share_in_need"):
        return None
    frame = with_flags(shown, NEED_COLUMNS)
    fig, hidden = rate_heatmap(frame, category=GROUPS["domain"][0], value="share_in_need", lang=lang, labels=labels,
                               scale_title=text("in_need_scale", lang))
    domains = frame["domain"].n_unique()
    return finish(fig, title=text("needs_heatmap", lang),
                  n=n_range(frame["persons_assessed"].to_list(), "persons_assessed", "cell", lang), lang=lang, k=shown.k,
                  any_suppressed=hidden > 0, hidden_share=hint(hidden, by), by=by,
                  x_title=period_axis(by, lang), y_title=text("domain_axis", lang),
                  height=max(320, 130 + 26 * domains))


def need_lines(shown: Shown, group: str, lang: str, labels: pl.DataFrame, by: str) -> go.Figure | None:
    """Share in need over time, one line per kind, pillar, or (most assessed) domain."""
    if not _usable(shown, "share_in_need"):
        return None
    category, title = GROUPS[group]
    frame = with_flags(shown, NEED_COLUMNS)
    if group == "domain":
        volume = (frame.group_by("domain").agg(pl.col("persons_assessed").fill_null(0).sum().alias("_v"))
                  .sort(["_v", "domain"], descending=[True, False]))
        keep = volume["domain"].head(TOP_DOMAINS).to_list()
        frame = frame.filter(pl.col("domain").is_in(keep))
    order = code_order(category.code_list or "", labels)
    codes = sorted(frame[category.column].unique().drop_nulls().to_list(), key=lambda c: (order.get(c, len(order)), c))
    fig, hidden = rate_lines(frame, category=category, rate="share_in_need", lang=lang, labels=labels, order=codes)
    cell = {"domain": "domain", "kind": "group", "pillar": "group"}[group]
    return finish(fig, title=text(title, lang),
                  n=n_range(frame["persons_assessed"].to_list(), "persons_assessed", cell, lang),
                  lang=lang, k=shown.k, any_suppressed=hidden > 0, hidden_share=hint(hidden, by), by=by, x_title=period_axis(by, lang),
                  y_title=text("in_need_axis", lang))


def distance_travelled(shown: Shown, lang: str, labels: pl.DataFrame) -> go.Figure | None:
    """Diverging stacked bars per domain: worsened to the left, improved to the right, stable split around zero.

    Bars are shares of the people assessed at least twice in the domain; a
    hidden count leaves its segment out and shows "< k" instead.
    """
    if is_empty(shown):
        return None
    frame = with_flags(shown, ["persons", "improved", "stable", "worsened"])
    frame = frame.filter(pl.col("persons").is_not_null() | pl.col("_hidden_persons"))
    if frame.is_empty():
        return None
    order = code_order("DOMAINE", labels)
    frame = frame.with_columns(
        pl.col("domain").replace_strict(order, default=len(order), return_dtype=pl.Int64).alias("_order")
    ).sort("_order", descending=True)
    names = labelled(frame["domain"].to_list(), "DOMAINE", lang, labels)

    def share(column: str) -> list[float | None]:
        return [
            None if (v is None or not p) else 100 * v / p
            for v, p in zip(frame[column].to_list(), frame["persons"].to_list(), strict=True)
        ]

    improved, stable, worsened = share("improved"), share("stable"), share("worsened")
    half = [None if s is None else s / 2 for s in stable]
    suffix = percent_suffix(lang)
    counts = {c: frame[c].to_list() for c in ("improved", "stable", "worsened")}
    worst, _, _, _, best = DIVERGING

    def bar(x: list[float | None], name: str, colour: str, column: str, legend: bool = True) -> dict:
        return Bar(
            y=names, x=x, name=name, orientation="h", marker_color=colour, legendgroup=name, showlegend=legend,
            customdata=[[abs(v) * (2 if column == "stable" else 1) if v is not None else None, n]
                        for v, n in zip(x, counts[column], strict=True)],
            hovertemplate="%{y}<br>" + name + " : %{customdata[0]:.0f}" + suffix + " (%{customdata[1]:,.0f})<extra></extra>",
        )

    fig = Spec([
        bar([None if v is None else -v for v in worsened], text("worsened", lang), worst, "worsened"),
        bar([None if v is None else -v for v in half], text("stable", lang), STABLE_COLOR, "stable"),
        bar(half, text("stable", lang), STABLE_COLOR, "stable", legend=False),
        bar(improved, text("improved", lang), best, "improved"),
    ])
    hidden_names, hidden_x, hidden_readings = [], [], []
    for column, sign in (("worsened", -1), ("improved", 1)):
        for name, h, reading in zip(names, frame[f"_hidden_{column}"].to_list(), frame_readings(frame, column), strict=True):
            if h:
                hidden_names.append(name)
                hidden_x.append(sign * 2)
                hidden_readings.append(reading)
    any_hidden = bool(hidden_names) or bool(frame["_hidden_persons"].any() or frame["_hidden_stable"].any())
    fig.mark(hidden_in(frame, "persons", "improved", "stable", "worsened"))
    if hidden_names:
        fig.add_trace(suppressed_markers(hidden_names, hidden_x, hidden_names, hidden_readings, lang, horizontal=True))
    fig.update_layout(barmode="relative", bargap=0.25)
    fig.update_xaxes(range=[-104, 104], tickvals=[-100, -50, 0, 50, 100], ticktext=[f"100{suffix}", f"50{suffix}", "0",
                     f"50{suffix}", f"100{suffix}"], zeroline=True, zerolinecolor="#555555", zerolinewidth=1)
    fig.update_yaxes(type="category")
    n = n_range(frame["persons"].to_list(), "persons", "domain", lang)
    return finish(fig, title=text("distance", lang), n=n, lang=lang, k=shown.k, any_suppressed=any_hidden,
                  x_title=text("distance_axis", lang), y_title="", height=max(320, 140 + 28 * frame.height))

