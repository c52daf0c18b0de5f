"""Charts of the Ateliers page: cohort retention, attendance by category and
by workshop, persons per session, and comparisons of workshop kinds."""

import plotly.graph_objects as go
import polars as pl

from dashboard.charts.base import (
    Bar,
    Heatmap,
    Shown,
    Spec,
    data_label,
    data_ticks,
    finish,
    frame_labels,
    frame_readings,
    hidden_in,
    hint,
    is_empty,
    labelled,
    n_total,
    number,
    percent_suffix,
    period_axis,
    suppressed_markers,
    suppressed_name,
    with_flags,
)
from dashboard.charts.texts import text
from dashboard.charts.trends import Axis, stacked_bars
from dashboard.formatting import fmt_decimal, fmt_int, fmt_period, fmt_rate
from dashboard.theme import PALETTE, SUPPRESSED_COLOR

MAX_COHORTS = 24
RETENTION_SCALE = [[0.0, "#C6DBEF"], [1.0, "#08306B"]]
"""Blues that start visibly blue: 0 % is a colour, and the white of the background is left to future periods."""
TOP_WORKSHOPS = 15
GROUP_COUNTS = ["sessions", "persons", "presences", "attendance_rate"]


def cohort_heatmap(shown: Shown, lang: str, by: str) -> go.Figure | None:
    """Cohort × offset grid of retention (%). Future offsets are absent from the table, so they stay blank."""
    if is_empty(shown):
        return None
    frame = with_flags(shown, ["cohort_size", "persons_active", "retention"])
    every = sorted(frame["cohort"].unique().drop_nulls().to_list())
    cohorts = every[-MAX_COHORTS:]
    frame = frame.filter(pl.col("cohort").is_in(cohorts))
    offsets = list(range(int(number(frame["offset"].max())) + 1))
    sizes = frame.group_by("cohort").agg(
        pl.col("cohort_size").first(), pl.col("_hidden_cohort_size").any(),
        pl.col("_reading_cohort_size").drop_nulls().first(), pl.col("_k").first(),
    ).sort("cohort")
    size_of = {c: (s, h) for c, s, h, _, _ in sizes.iter_rows()}
    size_said = dict(zip(sizes["cohort"].to_list(), frame_labels(sizes, "cohort_size", lang), strict=True))
    names = [
        f"{fmt_period(c, lang)} (n = {size_said[c] if size_of[c][1] else fmt_int(size_of[c][0], lang)})" for c in cohorts
    ]
    z: list[list[float | None]] = []
    veil: list[list[float | None]] = []
    words: list[list[str]] = []
    for cohort in cohorts:
        rows = frame.filter(pl.col("cohort") == cohort)
        values = dict(zip(rows["offset"].to_list(), rows["retention"].to_list(), strict=True))
        # A cell shows retention: it reads as the retention does ("masqué" for a rate); as its count when only that is hidden.
        said = {o: r or a for o, a, r in zip(rows["offset"].to_list(), frame_labels(rows, "persons_active", lang),
                                              frame_labels(rows, "retention", lang), strict=True) if a or r}
        z.append([None if values.get(o) is None or o in said else values[o] * 100 for o in offsets])
        veil.append([1.0 if o in said else None for o in offsets])
        words.append([said.get(o) or "" for o in offsets])
    suffix = percent_suffix(lang)
    small = len(offsets) * len(cohorts) <= 400
    fig = Spec(Heatmap(
        x=offsets, y=names, z=z, colorscale=RETENTION_SCALE, zmin=0, zmax=100, xgap=1, ygap=1, hoverongaps=False,
        colorbar={"title": {"text": text("retention_scale", lang)}, "ticksuffix": suffix},
        texttemplate="%{z:.0f}" if small else None, textfont={"size": 10},
        hovertemplate="%{y}<br>+%{x}<br>%{z:.0f}" + suffix + "<extra></extra>",
    ))
    any_hidden = any(v for row in veil for v in row if v)
    fig.mark(hidden_in(frame, "cohort_size", "persons_active", "retention"))
    if any_hidden:
        fig.add_trace(Heatmap(
            x=offsets, y=names, z=veil, colorscale=[[0, SUPPRESSED_COLOR], [1, SUPPRESSED_COLOR]], showscale=False,
            text=words, texttemplate="%{text}", xgap=1, ygap=1,
            hoverongaps=False, hovertemplate="%{y}<br>+%{x}<br>%{text}<extra></extra>",
            name=suppressed_name(hidden_in(frame, "persons_active", "retention"), lang),
        ))
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=offsets)
    fig.update_yaxes(type="category", autorange="reversed")
    persons = sum(s for s, h in size_of.values() if s is not None and not h)
    unit = by if by in ("month", "quarter", "year") else "month"
    notes = [n_total(persons, "persons", lang), text("cohort_blank", lang)]
    if len(every) > len(cohorts):
        notes.append(text("cohort_latest", lang, shown=len(cohorts), all=len(every)))
    return finish(fig, title=text("cohorts", lang), n="<br>".join(notes), lang=lang, k=shown.k,
                  any_suppressed=any_hidden or any(h for _, h in size_of.values()),
                  x_title=text(f"offset_axis_{unit}", lang), y_title=text("cohort_axis", lang),
                  height=max(320, 150 + 24 * len(cohorts)))


def by_category(shown: Shown, lang: str, labels: pl.DataFrame, by: str) -> go.Figure | None:
    """Stacked bars of presences per period by workshop category."""
    if is_empty(shown):
        return None
    frame = with_flags(shown, GROUP_COUNTS)
    fig, hidden, total = stacked_bars(frame, category=Axis("category", "CATEGORIE_ATELIER"), value="presences", lang=lang,
                                      labels=labels)
    return finish(fig, title=text("by_category", lang), n=n_total(total, "presences", lang, hidden_left_out=hidden > 0),
                  lang=lang, k=shown.k,
                  any_suppressed=hidden > 0, hidden_share=hint(hidden, by), by=by,
                  x_title=period_axis(by, lang), y_title=text("presences_axis", lang))


def _per_workshop(shown: Shown) -> pl.DataFrame:
    """Visible presences and sessions per workshop over the whole selection, named without ambiguity."""
    frame = with_flags(shown, ["sessions", "presences"])
    totals = (
        frame.group_by("structure_id", "atelier_id").agg(
            pl.col("workshop").first(),
            pl.col("presences").fill_null(0).sum().alias("presences"),
            pl.when(pl.col("presences").is_not_null() & pl.col("sessions").is_not_null()).then(pl.col("presences"))
            .otherwise(0).sum().alias("_p"),
            pl.when(pl.col("presences").is_not_null() & pl.col("sessions").is_not_null()).then(pl.col("sessions"))
            .otherwise(0).sum().alias("_s"),
            (pl.col("_hidden_presences") | pl.col("_hidden_sessions")).any().alias("hidden"),
        )
        .with_columns(pl.when(pl.col("_s") > 0).then(pl.col("_p") / pl.col("_s")).alias("per_session"))
        .sort(["presences", "structure_id", "atelier_id"], descending=[True, False, False])
    )
    twice = pl.col("workshop").is_duplicated()
    return totals.with_columns(
        pl.when(twice).then(pl.format("{} ({})", pl.col("workshop"), pl.col("structure_id"))).otherwise(pl.col("workshop"))
        .fill_null(pl.col("atelier_id")).alias("name")
    )


def by_workshop(shown: Shown, lang: str) -> go.Figure | None:
    """Horizontal bars of presences per workshop (the largest fifteen)."""
    if is_empty(shown):
        return None
    totals = _per_workshop(shown)
    top = totals.head(TOP_WORKSHOPS).reverse()
    names = [data_label(n) for n in top["name"].to_list()]
    fig = Spec(Bar(
        x=top["presences"].to_list(), y=names, orientation="h", marker_color=PALETTE[0], showlegend=False,
        hovertemplate="%{y}<br>%{x:,.0f}<extra></extra>",
    ))
    fig.update_xaxes(tickformat=",d", rangemode="tozero")
    fig.update_yaxes(type="category")
    data_ticks(fig, "y", names)
    fig.mark(hidden_in(with_flags(shown, ["sessions", "presences"]), "sessions", "presences"))
    return finish(fig, title=text("by_workshop", lang), n=n_total(totals["presences"].sum(), "presences", lang), lang=lang,
                  k=shown.k, any_suppressed=bool(totals["hidden"].any()), x_title=text("presences_axis", lang),
                  y_title=text("workshop_axis", lang), height=max(320, 120 + 28 * top.height))


def per_session(shown: Shown, lang: str) -> go.Figure | None:
    """Mean people present per session, per workshop (presences / sessions over the visible cells); a workshop whose
    every cell is hidden is left out, and the note says figures are hidden."""
    if is_empty(shown):
        return None
    every = _per_workshop(shown)
    totals = every.filter(pl.col("per_session").is_not_null())
    if totals.is_empty():
        return None
    top = totals.head(TOP_WORKSHOPS).sort(["per_session", "name"])
    names = [data_label(n) for n in top["name"].to_list()]
    fig = Spec(Bar(
        x=top["per_session"].to_list(), y=names, orientation="h", marker_color=PALETTE[2], showlegend=False,
        text=[fmt_decimal(v, lang) for v in top["per_session"].to_list()],
        textposition="outside", cliponaxis=False, hovertemplate="%{y}<br>%{x:.1f}<extra></extra>",
    ))
    fig.update_xaxes(rangemode="tozero")
    fig.update_yaxes(type="category")
    data_ticks(fig, "y", names)
    fig.mark(hidden_in(with_flags(shown, ["sessions", "presences"]), "sessions", "presences"))
    return finish(fig, title=text("per_session", lang), n=n_total(top["_s"].sum(), "sessions", lang), lang=lang, k=shown.k,
                  any_suppressed=bool(every["hidden"].any()), x_title=text("per_session_axis", lang),
                  y_title=text("workshop_axis", lang), height=max(320, 120 + 28 * top.height))


def compare_groups(shown: Shown, group: str, lang: str, labels: pl.DataFrame) -> go.Figure | None:
    """Attendance rate per group (facilitator, or co-constructed or not), with sessions, people and presences in the hover."""
    if is_empty(shown):
        return None
    frame = with_flags(shown, GROUP_COUNTS).sort(group, nulls_last=True)
    if group == "co_constructed":
        names = [_design_label(v, lang) for v in frame[group].to_list()]
        title = "by_co_construction"
    else:
        names = labelled(frame[group].to_list(), "INTERVENANT", lang, labels)
        title = "by_facilitator"
    suffix = percent_suffix(lang)
    rates = [None if r is None else r * 100 for r in frame["attendance_rate"].to_list()]
    hover = [
        text("group_hover", lang, sessions=_count(s, ws, lang), persons=_count(p, wp, lang), presences=_count(c, wc, lang))
        for s, p, c, ws, wp, wc in zip(frame["sessions"].to_list(), frame["persons"].to_list(), frame["presences"].to_list(),
                                       frame_labels(frame, "sessions", lang), frame_labels(frame, "persons", lang),
                                       frame_labels(frame, "presences", lang), strict=True)
    ]
    fig = Spec(Bar(
        x=names, y=rates, marker_color=PALETTE[:len(names)] if len(names) <= len(PALETTE) else PALETTE[0],
        text=[fmt_rate(r / 100, lang) if r is not None else "" for r in rates], textposition="outside", cliponaxis=False,
        customdata=hover, hovertemplate="%{x}<br>%{y:.0f}" + suffix + "<br>%{customdata}<extra></extra>", showlegend=False,
    ))
    hidden = frame.filter(pl.col("_hidden_attendance_rate"))
    if hidden.height:
        hidden_names = [n for n, h in zip(names, frame["_hidden_attendance_rate"].to_list(), strict=True) if h]
        fig.add_trace(suppressed_markers(hidden_names, [0] * len(hidden_names), hidden_names,
                                         frame_readings(hidden, "attendance_rate"), lang))
    fig.update_yaxes(range=[0, 110], ticksuffix=suffix)
    fig.update_xaxes(type="category")
    any_hidden = bool(frame.select(pl.any_horizontal(pl.col("^_hidden_.*$"))).to_series().any())
    fig.mark(hidden_in(frame, *GROUP_COUNTS))
    return finish(fig, title=text(title, lang), n=n_total(frame["sessions"].fill_null(0).sum(), "sessions", lang), lang=lang,
                  k=shown.k, any_suppressed=any_hidden, x_title="", y_title=text("attendance_rate_axis", lang), height=360)


def _design_label(value: object, lang: str) -> str:
    """Co-designed or not, whether the column holds Booleans or OUI/NON codes."""
    answer = {"OUI": True, "TRUE": True, "NON": False, "FALSE": False}.get(str(value).upper()) if value is not None else None
    if isinstance(value, bool):
        answer = value
    return text("not_recorded", lang) if answer is None else text(f"co_constructed_{str(answer).lower()}", lang)


def _count(value: int | None, said: str | None, lang: str) -> str:
    """A count in the hover: as disclosure control reads it when hidden ("< k", "masqué")."""
    return said or fmt_int(value, lang)


def retention_bars(shown: Shown, level: str, lang: str, labels: pl.DataFrame) -> go.Figure | None:
    """Horizontal bars of the share of newcomers still coming 3 months on, per workshop (``level="workshop"``, the
    fifteen with most newcomers) or per category; hidden shares marked with their reading."""
    if is_empty(shown):
        return None
    frame = (
        with_flags(shown, ["newcomers", "returned", "retention"])
        .filter(pl.col("_hidden_newcomers") | (pl.col("newcomers") > 0))  # no newcomer in the range: nothing to say
        .sort(["newcomers", "retention"], descending=True, nulls_last=True).head(TOP_WORKSHOPS).reverse()
    )
    if frame.is_empty():
        return None
    if level == "workshop":
        twice = frame["workshop"].is_duplicated()
        names = [data_label(f"{w} ({s})" if d else (w or a)) for w, s, a, d in
                 zip(frame["workshop"], frame["structure_id"], frame["atelier_id"], twice, strict=True)]
    else:
        names = labelled(frame["category"].to_list(), "CATEGORIE_ATELIER", lang, labels)
    rates = [None if r is None else r * 100 for r in frame["retention"].to_list()]
    said = frame_labels(frame, "retention", lang)
    sizes = [w or fmt_int(n, lang) for n, w in zip(frame["newcomers"].to_list(), frame_labels(frame, "newcomers", lang),
                                                      strict=True)]
    fig = Spec(Bar(
        x=rates, y=names, orientation="h", marker_color=PALETTE[2], showlegend=False,
        text=[w or ("" if r is None else fmt_rate(r / 100, lang)) for r, w in zip(rates, said, strict=True)],
        textposition="outside", cliponaxis=False, customdata=sizes,
        hovertemplate="%{y}<br>%{text} · n = %{customdata}<extra></extra>",
    ))
    fig.update_xaxes(range=[0, 115], ticksuffix=percent_suffix(lang))
    fig.update_yaxes(type="category")
    data_ticks(fig, "y", names)
    fig.mark(hidden_in(frame, "newcomers", "retention"))
    total = float(shown.table["newcomers"].fill_null(0).sum())
    return finish(fig, title=text(f"retention_by_{level}", lang), n=n_total(total, "newcomers", lang), lang=lang,
                  k=shown.k, any_suppressed=bool(fig.hidden), x_title=text("retention_axis", lang), y_title="",
                  height=max(320, 120 + 28 * frame.height))
