"""Charts of the cohorts page: indicators side by side, differences with their intervals, needs since the anchor.

Cohort names are typed by users: they reach the charts shortened and
escaped (``dashboard.safe_text.short_label``), like any text from the data.
A hidden share is not drawn; its place reads "< k" or "masqué" as in the
tables.
"""

from collections.abc import Sequence

import plotly.graph_objects as go
import polars as pl

from dashboard.charts.base import reading_text
from dashboard.compare import Comparison
from dashboard.formatting import PLOTLY_SEPARATORS
from dashboard.i18n import label_map, t
from dashboard.safe_text import short_label
from dashboard.theme import PALETTE, TEMPLATE_NAME

NAME_LIMIT = 28


def wrapped(label: str, width: int = 20) -> str:
    """A label on lines of about ``width`` characters (``<br>``), so that a phone keeps room for the bars."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def cohort_names(comparison: Comparison, lang: str) -> list[str]:
    """Each cohort's name for legends, or "Cohorte i" when it has none (escaped, shortened)."""
    return [short_label(c.name, NAME_LIMIT) if c.name.strip() else t("cohorts.cohort", lang, i=i)
            for i, c in enumerate(comparison.cohorts, start=1)]


def _layout(fig: go.Figure, lang: str, height: int, **axes: object) -> go.Figure:
    fig.update_layout(template=TEMPLATE_NAME, height=height, separators=PLOTLY_SEPARATORS[lang],
                      margin={"l": 10, "r": 10, "t": 30, "b": 10},
                      legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0}, **axes)
    return fig


def _readings(comparison: Comparison, index: int, column: str) -> dict[str, tuple[str | None, int]]:
    protected = comparison.protected[index]
    table, cells = protected.table, protected.cells
    if protected.too_small:
        return {}
    ks = list(protected.row_k) or [protected.k] * table.height
    return {ind: (cells[column][r], ks[r]) for r, ind in enumerate(table["indicator"].to_list())}


def outcome_bars(comparison: Comparison, lang: str, indicators: Sequence[str]) -> go.Figure | None:
    """Horizontal bars: one group per indicator, one bar per cohort (its share in %)."""
    names = cohort_names(comparison, lang)
    labels = [wrapped(t(f"indicator.{i}", lang)) for i in indicators]
    fig = go.Figure()
    drawn = False
    for index, name in enumerate(names):
        rows = comparison.outcomes.filter(pl.col("cohort") == index + 1)
        values = dict(zip(rows["indicator"].to_list(), rows["rate"].to_list(), strict=True))
        readings = _readings(comparison, index, "rate")
        x = [values.get(i) for i in indicators]
        words = [reading_text(readings.get(i, (None, 0))[0], readings.get(i, (None, 0))[1], lang) or ""
                 for i in indicators]
        drawn = drawn or any(v is not None for v in x)
        fig.add_trace(go.Bar(
            y=labels, x=[None if v is None else v * 100 for v in x], name=name, orientation="h",
            marker_color=PALETTE[index % len(PALETTE)],
            text=[w if v is None else f"{v * 100:.0f} %" for v, w in zip(x, words, strict=True)],
            textposition="outside", cliponaxis=False,
            hovertemplate="%{y}<br>" + name.replace("%", "%%") + " : %{x:.0f} %<extra></extra>",
        ))
    if not drawn:
        return None
    fig = _layout(fig, lang, 120 + 60 * len(indicators) * max(1, len(names) // 2), barmode="group")
    fig.update_xaxes(range=[0, 112], ticksuffix=" %", title=None)
    fig.update_yaxes(autorange="reversed", automargin=True)
    return fig


def difference_dots(comparison: Comparison, lang: str, indicators: Sequence[str]) -> go.Figure | None:
    """Each cohort after the first: its difference to cohort 1 in points, with the 95 % interval."""
    names = cohort_names(comparison, lang)
    labels = {i: wrapped(t(f"indicator.{i}", lang)) for i in indicators}
    fig = go.Figure()
    drawn = False
    for index in range(1, len(names)):
        rows = comparison.outcomes.filter(pl.col("cohort") == index + 1, pl.col("indicator").is_in(list(indicators)),
                                          pl.col("difference").is_not_null())
        if rows.is_empty():
            continue
        drawn = True
        diff = [d * 100 for d in rows["difference"].to_list()]
        fig.add_trace(go.Scatter(
            x=diff, y=[labels[i] for i in rows["indicator"].to_list()], mode="markers",
            name=f"{names[index]} − {names[0]}", marker={"size": 11, "color": PALETTE[index % len(PALETTE)]},
            error_x={"type": "data", "symmetric": False,
                     "array": [h * 100 - d for h, d in zip(rows["ci_high"].to_list(), diff, strict=True)],
                     "arrayminus": [d - lo * 100 for lo, d in zip(rows["ci_low"].to_list(), diff, strict=True)]},
            hovertemplate="%{y}<br>%{x:+.0f} pts<extra></extra>",
        ))
    if not drawn:
        return None
    fig.add_vline(x=0, line_width=1, line_color="#555")
    fig = _layout(fig, lang, 140 + 45 * len(indicators))
    fig.update_xaxes(title=t("col.difference", lang) + " (pts)", zeroline=False)
    fig.update_yaxes(autorange="reversed", automargin=True)
    return fig


def needs_lines(comparison: Comparison, lang: str, labels: pl.DataFrame) -> go.Figure | None:
    """Share in need per quarter since the anchor: one line per cohort, solid for practical needs, dotted for
    strategic ones; a quarter whose share is hidden leaves a gap."""
    names = cohort_names(comparison, lang)
    kinds = label_map("KIND", lang, labels) or {"PRATIQUE": "PRATIQUE", "STRATEGIQUE": "STRATEGIQUE"}
    fig = go.Figure()
    drawn = False
    for index, name in enumerate(names):
        for kind, dash in (("PRATIQUE", "solid"), ("STRATEGIQUE", "dot")):
            rows = comparison.needs.filter(pl.col("cohort") == index + 1, pl.col("kind") == kind).sort("quarter")
            y = [None if v is None else v * 100 for v in rows["share_in_need"].to_list()]
            if all(v is None for v in y):
                continue
            drawn = True
            fig.add_trace(go.Scatter(
                x=rows["quarter"].to_list(), y=y, mode="lines+markers", name=f"{name} · {kinds.get(kind, kind)}",
                line={"color": PALETTE[index % len(PALETTE)], "dash": dash}, connectgaps=False,
            ))
    if not drawn:
        return None
    fig = _layout(fig, lang, 380)
    fig.update_xaxes(title=t("cohorts.quarter", lang), dtick=1, rangemode="tozero")
    fig.update_yaxes(title=t("cohorts.share_in_need", lang), ticksuffix=" %", range=[0, 105])
    return fig


START = {"survival": 1.0, "cif_housing_positive": 0.0}


def _rgba(colour: str, alpha: float) -> str:
    red, green, blue = (int(colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({red},{green},{blue},{alpha})"


def time_lines(comparison: Comparison, lang: str, estimate: str) -> go.Figure | None:
    """``survival`` (still accompanied) or ``cif_housing_positive`` (exited to housing) at 30, 90, 180, 365 and
    730 days after the first entry from the anchor, one line per cohort with its 95 % band; day 0 is the start
    (everyone accompanied, nobody exited). A day whose value is hidden leaves a gap."""
    names = cohort_names(comparison, lang)
    fig = go.Figure()
    drawn = False
    for index, protected in enumerate(comparison.time_to_exit):
        table = protected.table
        if protected.too_small or table.is_empty():
            continue
        days = [0, *table["day"].to_list()]
        values = [START[estimate], *table[estimate].to_list()]
        if all(v is None for v in values[1:]):
            continue
        drawn = True
        colour = PALETTE[index % len(PALETTE)]
        low = [START[estimate], *table[f"{estimate}_low"].to_list()]
        high = [START[estimate], *table[f"{estimate}_high"].to_list()]
        fig.add_trace(go.Scatter(x=days + days[::-1], y=[v * 100 if v is not None else None for v in high + low[::-1]],
                                 fill="toself", fillcolor=_rgba(colour, 0.15), line={"width": 0}, hoverinfo="skip",
                                 showlegend=False))
        fig.add_trace(go.Scatter(x=days, y=[v * 100 if v is not None else None for v in values], mode="lines+markers",
                                 name=names[index], line={"color": colour}, connectgaps=False,
                                 hovertemplate="%{x} j : %{y:.0f} %<extra></extra>" if lang == "fr"
                                 else "day %{x}: %{y:.0f}%<extra></extra>"))
    if not drawn:
        return None
    fig = _layout(fig, lang, 360)
    fig.update_xaxes(title=t("cohorts.days", lang), tickvals=[0, 90, 180, 365, 730])
    fig.update_yaxes(title=t(f"cohorts.{estimate}", lang), ticksuffix=" %", range=[0, 102])
    return fig
