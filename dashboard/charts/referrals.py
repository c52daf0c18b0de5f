"""Charts of the Orientations page, from ``referrals-by-source`` and ``referrals-by-territory``."""

import plotly.graph_objects as go
import polars as pl

from dashboard.charts.base import (
    OTHERS,
    Bar,
    Shown,
    Spec,
    data_ticks,
    finish,
    frame_labels,
    frame_readings,
    group_others,
    hidden_in,
    hint,
    is_empty,
    labelled,
    n_total,
    number,
    period_axis,
    suppressed_markers,
    top_codes,
    with_flags,
)
from dashboard.charts.texts import text
from dashboard.charts.trends import Axis, rate_heatmap, stacked_bars
from dashboard.formatting import fmt_rate
from dashboard.theme import PALETTE, SUPPRESSED_COLOR

SOURCE = Axis("source", "SOURCE")
COUNTS = ["referrals", "accepted", "refused", "acceptance_rate", "median_days_to_decision"]


def _referral_total(frame: pl.DataFrame, column: str = "referrals") -> float:
    """The total over TOTAL rows when they are all visible, else the sum of visible source cells."""
    totals = frame.filter(pl.col("source") == "TOTAL")
    if totals.height and totals[column].null_count() == 0:
        return float(totals[column].sum())
    return float(frame.filter(pl.col("source") != "TOTAL")[column].fill_null(0).sum())


def referrals_over_time(shown: Shown, lang: str, labels: pl.DataFrame, by: str) -> go.Figure | None:
    """Stacked bars of referrals per period by source; a click on a bar gives its source code (``customdata``)."""
    if is_empty(shown):
        return None
    frame = with_flags(shown, COUNTS)
    fig, hidden, _ = stacked_bars(frame, category=SOURCE, value="referrals", lang=lang, labels=labels)
    return finish(fig, title=text("referrals_over_time", lang), n=n_total(_referral_total(frame), "referrals", lang),
                  lang=lang, k=shown.k, any_suppressed=hidden > 0, hidden_share=hint(hidden, by), by=by, x_title=period_axis(by, lang),
                  y_title=text("referrals_axis", lang))


def source_shares(shown: Shown, lang: str, labels: pl.DataFrame) -> go.Figure | None:
    """Horizontal bars: referrals per source over the whole selection, with each source's share.

    Sums the visible cells only (a hidden cell adds nothing), so the shares
    never reveal a suppressed figure: a source with hidden cells reads
    "≥ x %", one with only hidden cells reads "masqué". Pages pass yearly
    figures, whose cells are larger and so less often hidden.
    """
    if is_empty(shown):
        return None
    frame = with_flags(shown, COUNTS)
    grand = _referral_total(frame)
    frame = frame.filter(pl.col("source") != "TOTAL")
    keep = top_codes(frame, "source", "referrals", limit=10)
    grouped = group_others(frame, "source", keep)
    totals = (
        grouped.group_by("source").agg(pl.col("referrals").fill_null(0).sum().alias("n"), pl.col("_hidden_referrals").any().alias("h"))
        .sort(["n", "source"], descending=[False, True])
    )
    # "Others" always at the bottom of the list.
    totals = pl.concat([totals.filter(pl.col("source") == OTHERS), totals.filter(pl.col("source") != OTHERS)])
    if grand == 0:
        return None
    names = labelled(totals["source"].to_list(), "SOURCE", lang, labels)
    shares = [
        text("hidden_share", lang) if h and not n else ("≥ " if h else "") + fmt_rate(n / grand, lang)
        for n, h in totals.select("n", "h").iter_rows()
    ]
    fig = Spec(Bar(
        x=totals["n"].to_list(), y=names, orientation="h", text=shares, textposition="outside", cliponaxis=False,
        marker_color=[SUPPRESSED_COLOR if s == OTHERS else PALETTE[0] for s in totals["source"].to_list()],
        customdata=[s if s != OTHERS else "" for s in totals["source"].to_list()],
        hovertemplate="%{y}<br>%{x:,.0f} — %{text}<extra></extra>", name=text("referrals_axis", lang),
        showlegend=False,
    ))
    fig.update_xaxes(tickformat=",d", range=[0, max(1.0, number(totals["n"].max())) * 1.3])
    fig.update_yaxes(type="category")
    fig.mark(hidden_in(frame, "referrals"))
    return finish(fig, title=text("source_totals", lang), n=n_total(grand, "referrals", lang), lang=lang, k=shown.k,
                  any_suppressed=bool(totals["h"].any()), x_title=text("referrals_axis", lang), y_title="",
                  height=max(320, 80 + 30 * totals.height))


def acceptance_heatmap(shown: Shown, lang: str, labels: pl.DataFrame, by: str) -> go.Figure | None:
    """Source × period grid of the acceptance rate (accepted / (accepted + refused))."""
    if is_empty(shown):
        return None
    frame = with_flags(shown, COUNTS)
    if frame["acceptance_rate"].is_null().all() and not frame["_hidden_acceptance_rate"].any():
        return None
    fig, hidden = rate_heatmap(frame, category=SOURCE, value="acceptance_rate", lang=lang, labels=labels,
                               scale_title=text("acceptance_scale", lang))
    decided = _referral_total(frame, "accepted") + _referral_total(frame, "refused")
    return finish(fig, title=text("acceptance_heatmap", lang), n=n_total(decided, "decisions", lang), lang=lang, k=shown.k,
                  any_suppressed=hidden > 0, hidden_share=hint(hidden, by), by=by,
                  x_title=period_axis(by, lang), y_title="",
                  height=_grid_height(frame["source"].n_unique()))


def delay_heatmap(shown: Shown, lang: str, labels: pl.DataFrame, by: str) -> go.Figure | None:
    """Source × period grid of the median days from referral to decision."""
    if is_empty(shown):
        return None
    frame = with_flags(shown, COUNTS)
    if frame["median_days_to_decision"].is_null().all() and not frame["_hidden_median_days_to_decision"].any():
        return None
    fig, hidden = rate_heatmap(frame, category=SOURCE, value="median_days_to_decision", lang=lang, labels=labels,
                               scale_title=text("delay_scale", lang), percent=False)
    fig.data[0]["colorscale"] = "Oranges"
    return finish(fig, title=text("delay_heatmap", lang), n=n_total(_referral_total(frame), "referrals", lang), lang=lang,
                  k=shown.k, any_suppressed=hidden > 0, hidden_share=hint(hidden, by), by=by, x_title=period_axis(by, lang),
                  y_title="", height=_grid_height(frame["source"].n_unique()))


def territories(shown: Shown, lang: str, limit: int = 15) -> go.Figure | None:
    """Horizontal bars of referrals per territory (largest ``limit``), labelled with the priority-area share."""
    if is_empty(shown):
        return None
    frame = with_flags(shown, ["referrals", "persons", "priority_area_share"])
    frame = frame.sort(["referrals", "territory"], descending=[True, False], nulls_last=True).head(limit)
    frame = frame.reverse()
    names = labelled(frame["territory"].to_list(), None, lang, pl.DataFrame())
    # A hidden share says what it is about ("QPV : < 11"), not a bare "< 11" that reads as the bar's own count.
    shares = [
        text("priority_share", lang, share=said) if said else
        ("" if s is None else text("priority_share", lang, share=fmt_rate(s, lang)))
        for s, said in zip(frame["priority_area_share"].to_list(), frame_labels(frame, "priority_area_share", lang), strict=True)
    ]
    fig = Spec(Bar(
        x=frame["referrals"].to_list(), y=names, orientation="h", text=shares, textposition="outside", cliponaxis=False,
        marker_color=PALETTE[1], hovertemplate="%{y}<br>%{x:,.0f} — %{text}<extra></extra>", showlegend=False,
    ))
    hidden = frame.filter(pl.col("_hidden_referrals"))
    if hidden.height:
        hidden_names = labelled(hidden["territory"].to_list(), None, lang, pl.DataFrame())
        marks = suppressed_markers(hidden_names, [0] * hidden.height, hidden_names, frame_readings(hidden, "referrals"), lang,
                                   horizontal=True)
        fig.add_trace({**marks, "showlegend": False})
    fig.update_xaxes(tickformat=",d", range=[0, max(1.0, number(frame["referrals"].max())) * 1.35])
    fig.update_yaxes(type="category")
    data_ticks(fig, "y", names)  # territories are typed by the structures: shortened ticks, whole in the hover
    total = float(shown.table["referrals"].fill_null(0).sum())
    every = with_flags(shown, ["referrals", "priority_area_share"])
    any_hidden = bool(every.select(pl.col("_hidden_referrals") | pl.col("_hidden_priority_area_share")).to_series().any())
    fig.mark(hidden_in(every, "referrals", "priority_area_share"))
    said = f"{n_total(total, 'referrals', lang)}<br>{text('priority_note', lang)}"
    return finish(fig, title=text("territories", lang), n=said, lang=lang, k=shown.k,
                  any_suppressed=any_hidden, x_title=text("referrals_axis", lang), y_title=text("territory_axis", lang),
                  height=max(320, 60 + 30 * frame.height))


def _grid_height(rows: int) -> int:
    return max(300, 120 + 26 * rows)

