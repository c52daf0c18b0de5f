"""Charts of the Sorties page: exits by housing and employment situation,
exit rates by program, and the median length of stay."""

import plotly.graph_objects as go
import polars as pl

from dashboard.charts.base import (
    Bar,
    Shown,
    Spec,
    finish,
    frame_readings,
    hint,
    is_empty,
    n_total,
    period_axis,
    period_ticks,
    periods_shown,
    suppressed_markers,
    with_flags,
)
from dashboard.charts.texts import text
from dashboard.charts.trends import Axis, rate_lines, stacked_bars
from dashboard.theme import PALETTE

BREAKDOWNS = {
    "housing": (Axis("destination", "LOGEMENT_SORTIE"), "exits_by_housing"),
    "employment": (Axis("situation", "EMPLOI_SORTIE"), "exits_by_employment"),
}
RATES = {"housing_positive_rate": "housing_rate", "dynamic_exit_rate": "dynamic_rate"}
EXIT_COLUMNS = ["exits", "housing_positive", "housing_positive_rate", "dynamic_exits", "dynamic_exit_rate", "median_stay_days"]
TOP_PROGRAMS = 4


def _total_exits(frame: pl.DataFrame) -> float:
    totals = frame.filter(pl.col("program") == "TOTAL")
    source = totals if totals.height else frame
    return float(source["exits"].fill_null(0).sum())


def exits_by(shown: Shown, kind: str, lang: str, labels: pl.DataFrame, by: str) -> go.Figure | None:
    """Stacked bars of exits per period by housing destination (``kind="housing"``) or employment situation."""
    if is_empty(shown):
        return None
    category, title = BREAKDOWNS[kind]
    frame = with_flags(shown, ["exits"])
    fig, hidden, total = stacked_bars(frame, category=category, value="exits", lang=lang, labels=labels)
    return finish(fig, title=text(title, lang), n=n_total(total, "exits", lang, hidden_left_out=hidden > 0), lang=lang, k=shown.k,
                  any_suppressed=hidden > 0, hidden_share=hint(hidden, by), by=by,
                  x_title=period_axis(by, lang), y_title=text("exits_axis", lang))


def exit_rate_lines(shown: Shown, rate: str, lang: str, labels: pl.DataFrame, by: str) -> go.Figure | None:
    """One line per program (the four with most exits) and a bold line for all programs together."""
    if is_empty(shown):
        return None
    frame = with_flags(shown, EXIT_COLUMNS)
    if frame[rate].is_null().all() and not frame[f"_hidden_{rate}"].any():
        return None
    volume = (frame.filter(pl.col("program") != "TOTAL").group_by("program")
              .agg(pl.col("exits").fill_null(0).sum().alias("_v")).sort(["_v", "program"], descending=[True, False]))
    programs = volume["program"].head(TOP_PROGRAMS).to_list()
    order = ["TOTAL", *programs] if frame["program"].eq("TOTAL").any() else programs
    frame = frame.filter(pl.col("program").is_in(order))
    fig, hidden = rate_lines(frame, category=Axis("program", "DISPOSITIF"), rate=rate, lang=lang, labels=labels, order=order)
    # Drawn at half width: a legend of one column under the plot and a fixed height keep the plot area tall; the
    # ticks say "%", so no y-title competes with the subtitle.
    said = n_total(_total_exits(frame), "exits", lang)
    if rate == "dynamic_exit_rate":  # a term of the trade: said where it appears
        said = f"{said}<br>{text('dynamic_note', lang)}"
    done = finish(fig, title=text(RATES[rate], lang), n=said, lang=lang, k=shown.k,
                  any_suppressed=hidden > 0, hidden_share=hint(hidden, by), by=by, x_title=period_axis(by, lang),
                  height=420 + 20 * len(order))
    return done.update_layout(legend={"orientation": "v", "font": {"size": 11}})


def median_stay(shown: Shown, lang: str, by: str) -> go.Figure | None:
    """Bars of the median length of stay (days) of all programs' exits, per period."""
    if is_empty(shown):
        return None
    frame = with_flags(shown, EXIT_COLUMNS).filter(pl.col("program") == "TOTAL").sort("period")
    if frame.is_empty() or (frame["median_stay_days"].is_null().all() and not frame["_hidden_median_stay_days"].any()):
        return None
    x = periods_shown(frame["period"].to_list(), lang)
    fig = Spec(Bar(
        x=x, y=frame["median_stay_days"].to_list(), marker_color=PALETTE[4], showlegend=False,
        customdata=frame["exits"].to_list(), hovertemplate="%{x}<br>%{y:,.0f} j · n = %{customdata:,.0f}<extra></extra>"
        if lang != "en" else "%{x}<br>%{y:,.0f} days · n = %{customdata:,.0f}<extra></extra>",
    ))
    hidden = frame.filter(pl.col("_hidden_median_stay_days"))
    if hidden.height:
        marks = periods_shown(hidden["period"].to_list(), lang)
        readings = frame_readings(hidden, "median_stay_days")
        fig.add_trace(suppressed_markers(marks, [0] * len(marks), marks, readings, lang))
        fig.mark(readings)
    period_ticks(fig, x)
    fig.update_yaxes(tickformat=",d", rangemode="tozero")
    return finish(fig, title=text("median_stay", lang), n=n_total(_total_exits(frame), "exits", lang), lang=lang, k=shown.k,
                  any_suppressed=bool(hidden.height),
                  x_title=period_axis(by, lang), y_title=text("stay_axis", lang))
