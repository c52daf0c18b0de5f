"""Time to exit curves: one step curve per program (or cohort) with its 95 % band, for one estimate.

The figures exist at days 30, 90, 180, 365 and 730 only (disclosure: never
the exit dates): each curve starts at day 0 (everyone accompanied, nobody
out yet) and steps at those days (a value holds until the next day shown);
a day hidden by disclosure control is a gap with a grey cross, never a
zero. The six groups with the most periods followed at day 30 are drawn.
"""

import plotly.graph_objects as go
import polars as pl

from dashboard.charts.base import (
    Scatter,
    Shown,
    Spec,
    finish,
    frame_readings,
    is_empty,
    labelled,
    shown_label,
    suppressed_markers,
    with_flags,
)
from dashboard.charts.texts import text
from dashboard.formatting import fmt_int
from dashboard.metrics.time_to_exit import DAYS
from dashboard.theme import PALETTE

TOP_GROUPS = 6
START = {"survival": 1.0, "cif_housing_positive": 0.0, "cif_other_exit": 0.0}


def _rgba(colour: str, alpha: float) -> str:
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"


def _groups(frame: pl.DataFrame, group: str, estimate: str) -> list[str]:
    """The groups with a value to draw, most followed at day 30 first (a group hidden whole has no line: the
    subtitle's note says figures are hidden, the table says which)."""
    drawn = frame.group_by(group).agg(pl.col(estimate).is_not_null().any().alias("_any")).filter("_any")[group]
    first = frame.filter(pl.col("day") == DAYS[0], pl.col(group).is_in(drawn.implode()))
    return first.sort(["at_risk", group], descending=[True, False], nulls_last=True)[group].to_list()[:TOP_GROUPS]


def _highest(frame: pl.DataFrame, estimate: str) -> float:
    column = f"{estimate}_high" if f"{estimate}_high" in frame.columns else estimate
    value = frame[column].max()
    return float(value) if value is not None else 1.0  # type: ignore[arg-type]


def time_to_exit_curves(shown: Shown, estimate: str, lang: str, labels: pl.DataFrame) -> go.Figure | None:
    """Step curves of ``estimate`` (``survival``, ``cif_housing_positive`` or ``cif_other_exit``) with bands."""
    if is_empty(shown):
        return None
    group = "program" if "program" in shown.table.columns else "cohort"
    bands = f"{estimate}_low" in shown.table.columns
    frame = with_flags(shown, [estimate, "at_risk"]).sort([group, "day"])
    chosen = _groups(frame, group, estimate)
    if not chosen:
        return None
    whole = frame.filter(~pl.col(group).is_in(chosen) & pl.col(f"_hidden_{estimate}"))
    names = labelled(chosen, "DISPOSITIF" if group == "program" else None, lang, labels)
    fig = Spec()
    hidden_x: list[object] = []
    hidden_y: list[object] = []
    hidden_names: list[str] = []
    hidden_readings: list[tuple[str | None, int]] = []
    for position, (code, name) in enumerate(zip(chosen, names, strict=True)):
        rows = frame.filter(pl.col(group) == code)
        colour = PALETTE[position % len(PALETTE)]
        x = [0, *rows["day"].to_list()]
        y = [START[estimate], *rows[estimate].to_list()]
        # The name travels in customdata, never in the template: a cohort's name is the user's text.
        at_risk = [[name, ""], *([name, text("tte_at_risk", lang, n=fmt_int(n, lang)) if n is not None else ""]
                                 for n in rows["at_risk"])]
        if bands:
            low = [START[estimate], *rows[f"{estimate}_low"].to_list()]
            high = [START[estimate], *rows[f"{estimate}_high"].to_list()]
            fig.add_trace(Scatter(x=x, y=high, mode="lines", line={"width": 0, "shape": "hv"}, hoverinfo="skip",
                                  showlegend=False, legendgroup=name, connectgaps=False))
            fig.add_trace(Scatter(x=x, y=low, mode="lines", line={"width": 0, "shape": "hv"}, fill="tonexty",
                                  fillcolor=_rgba(colour, 0.15), hoverinfo="skip", showlegend=False, legendgroup=name,
                                  connectgaps=False))
        fig.add_trace(Scatter(
            x=x, y=y, name=shown_label(name), mode="lines+markers", line={"color": colour, "width": 2.5, "shape": "hv"},
            marker={"size": 6}, legendgroup=name, connectgaps=False, customdata=at_risk,
            hovertemplate="%{customdata[0]}<br>" + ("%{x} j" if lang != "en" else "day %{x}")
            + " · %{y:.0%}<br>%{customdata[1]}<extra></extra>",
        ))
        gone = rows.filter(pl.col(f"_hidden_{estimate}"))
        hidden_x += gone["day"].to_list()
        hidden_y += [0] * gone.height
        hidden_names += [f"{name}, {day}" for day in gone["day"].to_list()]
        hidden_readings += frame_readings(gone, estimate)
    if hidden_x:
        fig.add_trace(suppressed_markers(hidden_x, hidden_y, hidden_names, hidden_readings, lang))
        fig.mark(hidden_readings)
    fig.mark(frame_readings(whole, estimate))
    ticks = [0, *DAYS[1:]]  # day 30 is drawn, not labelled: too close to 0 on a phone
    fig.update_xaxes(tickmode="array", tickvals=ticks, ticktext=[str(d) for d in ticks], range=[-15, max(DAYS) + 45])
    top = 1.0 if estimate == "survival" else min(1.0, max(_highest(frame, estimate), 0.05) * 1.15)
    fig.update_yaxes(tickformat=".0%", range=[0, top * 1.02])
    return finish(fig, title=text(f"tte_{estimate}", lang), n=text("tte_note", lang) if bands else "", lang=lang,
                  k=shown.k, any_suppressed=bool(hidden_x) or bool(whole.height), x_title=text("days_axis", lang),
                  y_title=text("probability_axis", lang), height=420)


__all__ = ["time_to_exit_curves"]
