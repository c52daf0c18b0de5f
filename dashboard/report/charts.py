"""The board report's charts: Plotly figures drawn from published tables only, readable in black and white.

Every bar carries a pattern and a direct label, every line its own dash and
marker with its name at its end, so that a photocopy or a projector loses
nothing. Hidden cells are left out (a bar is not drawn), never estimated.
Sizes are for the A4 text width (``dashboard.charts.png.WIDTH`` layout px).
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from dashboard.disclosure import Protected
from dashboard.formatting import PLOTLY_SEPARATORS, fmt_int, fmt_rate
from dashboard.safe_text import short_label

FONT = "DejaVu Sans, sans-serif"
"""A font typst finds on the server (the SVG's text is typeset by typst)."""
INK = "#1F2937"
FILLS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999"]
"""Okabe–Ito colours for lines (told apart on paper by their dash and marker)."""
STACK = ["#08306B", "#2171B5", "#6BAED6", "#C6DBEF", "#F2F2F2", "#9E9E9E"]
"""Stacked parts: one hue, steps of lightness (a photocopy keeps the order), each part labelled."""
STACK_TEXT = ["white", "white", "#1F2937", "#1F2937", "#1F2937", "#1F2937"]
DASHES = ["solid", "dash", "dot", "dashdot"]
SYMBOLS = ["circle", "square", "diamond", "triangle-up"]
TOP = 6


def _layout(fig: go.Figure, title: str, lang: str, height: int, **extra: object) -> go.Figure:
    layout: dict[str, object] = {
        "title": {"text": title, "x": 0, "xanchor": "left", "font": {"size": 15}},
        "font": {"family": FONT, "size": 12, "color": INK}, "separators": PLOTLY_SEPARATORS.get(lang, ", "),
        "paper_bgcolor": "white", "plot_bgcolor": "white", "height": height, "width": 700,
        "margin": {"l": 10, "r": 20, "t": 50, "b": 40}, "showlegend": False,
    }
    fig.update_layout(**(layout | extra))
    fig.update_xaxes(gridcolor="#E5E7EB", linecolor="#9CA3AF", automargin=True)
    fig.update_yaxes(gridcolor="#E5E7EB", linecolor="#9CA3AF", automargin=True)
    return fig


def _name(names: dict[str, str], code: str) -> str:
    """A code's label; a code the list does not know is text from the data: escaped and shortened for Plotly."""
    return names[code] if code in names else short_label(str(code))


def _value(p: Protected, column: str, row: int) -> float | None:
    reading, _ = p.reading(column, row)
    value = p.table[column][row]
    return None if reading is not None or value is None else float(value)


def source_shares(p: Protected, names: dict[str, str], title: str, lang: str) -> go.Figure | None:
    """100 % stacked bars, one per year: the share of each of the largest sources among the referrals whose
    source is published (hidden cells left out), the others grouped."""
    if p.too_small or p.table.is_empty():
        return None
    periods = sorted(set(p.table["period"].to_list()))
    totals: dict[str, float] = {}
    counts: dict[str, dict[str, float]] = {}
    for i in range(p.table.height):
        source, period = p.table["source"][i], p.table["period"][i]
        value = _value(p, "referrals", i)
        if source == "TOTAL" or value is None:
            continue
        counts.setdefault(source, {})[period] = value
        totals[period] = totals.get(period, 0) + value
    if not counts:
        return None
    ranked = sorted(counts, key=lambda s: -sum(counts[s].values()))
    keep, rest = ranked[:TOP - 1], ranked[TOP - 1:]
    groups = [(_name(names, s), [counts[s].get(y, 0) for y in periods]) for s in keep]
    if rest:
        groups.append(("Autres" if lang == "fr" else "Others", [sum(counts[s].get(y, 0) for s in rest) for y in periods]))
    fig = go.Figure()
    for n, (name, values) in enumerate(groups):
        shares = [v / totals[y] if totals.get(y) else None for v, y in zip(values, periods, strict=True)]
        fig.add_bar(
            y=periods, x=shares, name=name, orientation="h",
            marker={"color": STACK[n % len(STACK)], "line": {"color": "#1F2937", "width": 0.6}},
            text=[fmt_rate(s, lang) if s is not None and s >= 0.05 else "" for s in shares], textposition="inside",
            insidetextanchor="middle", textfont={"color": STACK_TEXT[n % len(STACK)], "size": 11},
        )
    # plot area 320 - 40 - 100 = 180 px: the legend starts 0.22 x 180 = 40 px under the axis, below its ticks
    _layout(fig, title, lang, 320, barmode="stack", showlegend=True,
            legend={"orientation": "h", "y": -0.22, "yanchor": "top", "x": 0, "font": {"size": 11}, "traceorder": "normal"},
            margin={"l": 10, "r": 20, "t": 40, "b": 100})
    fig.update_xaxes(tickformat=".0%", range=[0, 1])
    fig.update_yaxes(autorange="reversed", type="category")
    return fig


def lines(series: dict[str, Sequence[float | None]], x: Sequence[str], title: str, lang: str, *,
          percent: bool) -> go.Figure | None:
    """One line per series, each with its own dash and marker and its name written at its last point."""
    if not any(v is not None for values in series.values() for v in values):
        return None
    fig = go.Figure()
    for n, (name, values) in enumerate(series.items()):
        fig.add_scatter(x=list(x), y=list(values), mode="lines+markers", name=name,
                        line={"color": FILLS[n % len(FILLS)], "dash": DASHES[n % len(DASHES)], "width": 2.5},
                        marker={"symbol": SYMBOLS[n % len(SYMBOLS)], "size": 8, "color": FILLS[n % len(FILLS)]},
                        connectgaps=False)
        last = max((i for i, v in enumerate(values) if v is not None), default=None)
        if last is not None:
            others = [o for m, v in enumerate(series.values()) if m != n and len(v) > last
                      for o in (v[last],) if o is not None]
            current = values[last]
            above = not others or (current is not None and current >= max(others))
            fig.add_annotation(x=x[last], y=values[last], text=fmt_rate(values[last], lang),
                               showarrow=False, xanchor="left", xshift=10, yanchor="bottom" if above else "top",
                               yshift=2 if above else -2, font={"size": 11, "color": INK})
    # the legend shows each line's dash and marker (readable on paper); the last value is written at its end
    _layout(fig, title, lang, 290, margin={"l": 10, "r": 50, "t": 75, "b": 40}, showlegend=True,
            legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0, "font": {"size": 11}})
    fig.update_xaxes(tickangle=0, tickfont={"size": 11})
    if percent:
        fig.update_yaxes(tickformat=".0%", rangemode="tozero")
    fig.update_xaxes(type="category")
    return fig


def _hbars(labels: list[str], values: list[float], title: str, lang: str, *, percent: bool = False) -> go.Figure:
    fig = go.Figure()
    fig.add_bar(y=labels, x=values, orientation="h",
                marker={"color": STACK[1]},
                text=[fmt_rate(v, lang) if percent else fmt_int(v, lang) for v in values], textposition="outside",
                cliponaxis=False, textfont={"size": 11, "color": INK})
    _layout(fig, title, lang, 60 + 26 * len(labels) + 40)
    fig.update_xaxes(showticklabels=False, showgrid=False, range=[0, max(values) * 1.18 if values else 1])
    fig.update_yaxes(autorange="reversed")
    return fig


def category_bars(p: Protected, names: dict[str, str], title: str, lang: str) -> go.Figure | None:
    """Persons present at least once, per workshop category (published cells only; hidden ones left out)."""
    if p.too_small or p.table.is_empty():
        return None
    rows = [(_name(names, p.table["category"][i]), _value(p, "persons", i))
            for i in range(p.table.height) if p.table["period"][i] == max(p.table["period"].to_list())]
    shown = sorted([(n, v) for n, v in rows if v is not None], key=lambda r: -r[1])
    if not shown:
        return None
    return _hbars([n for n, _ in shown], [v for _, v in shown], title, lang)


def destination_bars(p: Protected, names: dict[str, str], title: str, lang: str) -> go.Figure | None:
    """Exits by housing situation at exit (published cells only; hidden ones left out)."""
    if p.too_small or p.table.is_empty():
        return None
    totals: dict[str, float] = {}
    for i in range(p.table.height):
        value = _value(p, "exits", i)
        if value is not None and p.table["destination"][i] != "TOTAL":
            name = _name(names, p.table["destination"][i])
            totals[name] = totals.get(name, 0) + value
    rows = sorted([(n, v) for n, v in totals.items() if v > 0], key=lambda r: -r[1])
    if not rows:
        return None
    return _hbars([n for n, _ in rows], [v for _, v in rows], title, lang)


def distance(p: Protected, domains: dict[str, str], words: dict[str, str], lang: str) -> go.Figure | None:
    """Per domain, the shares of persons improved / stable / worsened (published counts over published persons)."""
    if p.too_small or p.table.is_empty():
        return None
    rows = []
    for i in range(p.table.height):
        n = _value(p, "persons", i)
        parts = [_value(p, c, i) for c in ("improved", "stable", "worsened")]
        if n and all(v is not None for v in parts):
            total = sum(parts)  # type: ignore[arg-type]
            rows.append((_name(domains, p.table["domain"][i]), [v / total for v in parts]))  # type: ignore[operator]
    if not rows:
        return None
    rows.sort(key=lambda r: -r[1][0])
    fig = go.Figure()
    for n, key in enumerate(("improved", "stable_level", "worsened")):
        shares = [r[1][n] for r in rows]
        fig.add_bar(y=[r[0] for r in rows], x=shares, name=words[key], orientation="h",
                    marker={"color": ["#08306B", "#F2F2F2", "#9E9E9E"][n], "line": {"color": INK, "width": 0.6}},
                    text=[fmt_rate(s, lang) if s >= 0.05 else "" for s in shares], textposition="inside",
                    insidetextanchor="middle", textfont={"color": ["white", INK, INK][n], "size": 11})
    _layout(fig, words["distance_title"], lang, 110 + 24 * len(rows) + 30, barmode="stack", showlegend=True,
            legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0, "font": {"size": 11}, "traceorder": "normal"},
            margin={"l": 10, "r": 20, "t": 80, "b": 30})
    fig.update_xaxes(tickformat=".0%", range=[0, 1])
    fig.update_yaxes(autorange="reversed")
    return fig
