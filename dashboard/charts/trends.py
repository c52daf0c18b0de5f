"""Generic figures over periods: stacked bars of counts, lines of rates and
heatmaps of rates, each with suppressed cells marked and codes as labels."""

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from dashboard.charts.base import (
    OTHERS,
    TOP_N,
    Heatmap,
    Spec,
    code_order,
    colours,
    data_ticks,
    frame_labels,
    frame_readings,
    group_others,
    labelled,
    number,
    percent_suffix,
    period_markers,
    period_ticks,
    periods_shown,
    shown_label,
    suppressed_name,
    top_codes,
)
from dashboard.theme import SUPPRESSED_COLOR


@dataclass(frozen=True)
class Axis:
    """Where a figure's categories come from: a column and its code list (None: free text)."""

    column: str
    code_list: str | None


def _hover_count(lang: str) -> str:
    return "%{fullData.name}<br>%{x}<br>%{y:,.0f}<extra></extra>"


def _legend(name: str, category: Axis, hovertemplate: str) -> dict:
    """A trace's name: a label from the data (no code list) is shortened in the legend and whole in the hover."""
    short = shown_label(name) if category.code_list is None else name
    if short == name:
        return {"name": name, "hovertemplate": hovertemplate}
    return {"name": short, "meta": name, "hovertemplate": hovertemplate.replace("%{fullData.name}", "%{meta}")}


def stacked_bars(
    frame: pl.DataFrame,
    *,
    category: Axis,
    value: str,
    lang: str,
    labels: pl.DataFrame,
    top: int = TOP_N,
) -> tuple[Spec, float, float]:
    """Counts per period stacked by category: the ``top`` largest categories, the rest summed as "Others".

    ``frame`` (from ``with_flags``) has ``period``, the category column, ``value`` and its flags.
    Returns the figure (its hidden cells marked for the note), the part of the cells that are hidden, and the
    visible total.
    Each bar carries its category code as ``customdata`` so a click can filter on it.
    """
    hidden = f"_hidden_{value}"
    frame = frame.filter(pl.col(category.column).is_null() | (pl.col(category.column) != "TOTAL"))
    periods = sorted(frame["period"].unique().drop_nulls().to_list())
    x = periods_shown(periods, lang)
    keep = top_codes(frame, category.column, value, top)
    order = code_order(category.code_list, labels) if category.code_list else {}
    keep.sort(key=lambda c: (order.get(c, len(order)) if c is not None else len(order) + 1, c or ""))
    grouped = group_others(frame, category.column, keep)
    fig = Spec()
    codes = keep + ([OTHERS] if grouped[category.column].eq(OTHERS).any() else [])
    names = labelled(codes, category.code_list, lang, labels)
    palette = colours(len(codes))
    for i, (code, name) in enumerate(zip(codes, names, strict=True)):
        rows = grouped.filter(pl.col(category.column).is_null() if code is None else pl.col(category.column) == code)
        per_period = rows.group_by("period").agg(
            pl.col(value).sum().alias("v"), pl.col(value).is_not_null().any().alias("seen")
        ).sort("period")
        values = dict(zip(per_period["period"].to_list(), per_period["v"].to_list(), strict=True))
        seen = dict(zip(per_period["period"].to_list(), per_period["seen"].to_list(), strict=True))
        y = [values.get(p) if seen.get(p) else None for p in periods]
        fig.add_bar(
            x=x, y=y, marker_color=SUPPRESSED_COLOR if code == OTHERS else palette[i],
            customdata=[code if code != OTHERS else ""] * len(x), **_legend(name, category, _hover_count(lang)),
        )
    fig.mark(frame_readings(frame, value))
    cells = frame.filter(pl.col(hidden)).select("period", category.column, f"_reading_{value}", "_k")
    cells = cells.filter(pl.col(category.column).is_in([c for c in keep if c is not None]))
    if cells.height:
        fig.add_trace(period_markers(cells, category.column, value, dict(zip(periods, x, strict=True)), category.code_list,
                                     lang, labels))
    fig.update_layout(barmode="stack", bargap=0.15, height=500)
    period_ticks(fig, x)
    fig.update_yaxes(tickformat=",d", rangemode="tozero")
    total = frame[value].fill_null(0).sum()
    return fig, _share(frame[hidden]), float(total)


def rate_lines(
    frame: pl.DataFrame,
    *,
    category: Axis,
    rate: str,
    lang: str,
    labels: pl.DataFrame,
    order: Sequence[str | None] | None = None,
    emphasise: str | None = "TOTAL",
) -> tuple[Spec, float]:
    """One line per category of a rate (0–1, drawn as %); gaps where hidden, with a marker saying how it reads."""
    hidden = f"_hidden_{rate}"
    periods = sorted(frame["period"].unique().drop_nulls().to_list())
    x = periods_shown(periods, lang)
    index = dict(zip(periods, x, strict=True))
    codes = list(order) if order is not None else sorted(frame[category.column].unique().to_list(), key=lambda c: (c is None, c))
    names = labelled(codes, category.code_list, lang, labels)
    palette = colours(len(codes))
    suffix = percent_suffix(lang)
    fig = Spec()
    for i, (code, name) in enumerate(zip(codes, names, strict=True)):
        rows = frame.filter(pl.col(category.column).is_null() if code is None else pl.col(category.column) == code).sort("period")
        values = dict(zip(rows["period"].to_list(), rows[rate].to_list(), strict=True))
        y = [None if values.get(p) is None else values[p] * 100 for p in periods]
        strong = code == emphasise
        fig.add_scatter(
            x=x, y=y, mode="lines+markers", connectgaps=False,
            line={"width": 4 if strong else 2, "color": "#333333" if strong else palette[i]},
            marker={"size": 5}, customdata=[code or ""] * len(x),
            **_legend(name, category, "%{fullData.name}<br>%{x}<br>%{y:.0f}" + suffix + "<extra></extra>"),
        )
    fig.mark(frame_readings(frame, rate))
    cells = frame.filter(pl.col(hidden)).filter(pl.col(category.column).is_in([c for c in codes if c is not None]))
    if cells.height:  # one small tick on the axis per period with hidden cells (its hover says which): no text
        marks = period_markers(cells, category.column, rate, index, category.code_list, lang, labels)
        marks.pop("text", None)
        fig.add_trace({**marks, "mode": "markers", "marker": {**marks["marker"], "symbol": "line-ns-open", "size": 7}})
    period_ticks(fig, x)
    fig.update_yaxes(range=[0, 105], ticksuffix=suffix, tickformat=".0f")
    return fig, _share(frame[hidden])


def rate_heatmap(
    frame: pl.DataFrame,
    *,
    category: Axis,
    value: str,
    lang: str,
    labels: pl.DataFrame,
    scale_title: str,
    percent: bool = True,
    order: Sequence[str | None] | None = None,
) -> tuple[Spec, float]:
    """Category × period grid of ``value`` (a rate drawn as %, or a number); hidden cells grey, each saying how it
    reads ("< k" with its row's k, or "masqué")."""
    hidden = f"_hidden_{value}"
    periods = sorted(frame["period"].unique().drop_nulls().to_list())
    x = periods_shown(periods, lang)
    codes = list(order) if order is not None else _by_code_order(frame[category.column].unique().to_list(), category, labels)
    names = labelled(codes, category.code_list, lang, labels)
    z: list[list[float | None]] = []
    veil: list[list[float | None]] = []
    words: list[list[str]] = []
    for code in codes:
        rows = frame.filter(pl.col(category.column).is_null() if code is None else pl.col(category.column) == code)
        values = dict(zip(rows["period"].to_list(), rows[value].to_list(), strict=True))
        said = {p: w for p, h, w in zip(rows["period"].to_list(), rows[hidden].to_list(), frame_labels(rows, value, lang),
                                        strict=True) if h}
        z.append([None if values.get(p) is None else values[p] * (100 if percent else 1) for p in periods])
        veil.append([1.0 if p in said else None for p in periods])
        words.append([said.get(p) or "" for p in periods])
    suffix = percent_suffix(lang) if percent else ""
    small = len(x) * len(names) <= 150
    fig = Spec(Heatmap(
        x=x, y=names, z=z, colorscale="Blues", texttemplate="%{z:.0f}" if small else None, textfont={"size": 10},
        zmin=0, zmax=100 if percent else None, xgap=1, ygap=1,
        colorbar={"title": {"text": scale_title}, "ticksuffix": suffix},
        hovertemplate="%{y}<br>%{x}<br>%{z:.0f}" + suffix + "<extra></extra>", hoverongaps=False,
    ))
    hidden_cells = sum(1 for row in veil for v in row if v is not None)
    if hidden_cells:
        shown_codes = frame.filter(pl.col(category.column).is_in([c for c in codes if c is not None])
                                   | (pl.col(category.column).is_null() if None in codes else pl.lit(False)))
        fig.mark(frame_readings(shown_codes, value))
        fig.add_trace(Heatmap(
            x=x, y=names, z=veil, colorscale=[[0, SUPPRESSED_COLOR], [1, SUPPRESSED_COLOR]], showscale=False,
            text=words, texttemplate="%{text}", xgap=1, ygap=1,
            hovertemplate="%{y}<br>%{x}<br>%{text}<extra></extra>", hoverongaps=False,
            name=suppressed_name(fig.hidden, lang),
        ))
    period_ticks(fig, x)
    fig.update_yaxes(type="category", autorange="reversed")
    if category.code_list is None:
        data_ticks(fig, "y", names)
    return fig, hidden_cells / max(1, sum(1 for row in z for v in row if v is not None) + hidden_cells)


def _share(flags: pl.Series) -> float:
    """The part of the cells that are hidden (0 when none is)."""
    return number(flags.fill_null(False).mean()) if flags.len() else 0.0


def _by_code_order(codes: list[str | None], category: Axis, labels: pl.DataFrame) -> list[str | None]:
    order = code_order(category.code_list, labels) if category.code_list else {}
    last = len(order)
    return sorted(codes, key=lambda c: (c == "TOTAL", c is None, order.get(c, last) if c else last, c or ""))
