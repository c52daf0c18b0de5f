"""The two sections of the Analyses page (Streamlit): the adjusted effect of regular workshop attendance and
the typologies of needs at entry. The computations are ``dashboard.analyses`` (kept per data snapshot and
filters); this module only lays them out, with the disclosure rules of every page."""

from dataclasses import dataclass
from typing import Any

import pandas as pd
import polars as pl
import streamlit as st

from dashboard.analyses.effect import (
    EffectAnalysis,
    EffectOptions,
    analyse_effect,
    balance_table,
    effect_table,
    min_ess,
    overlap_table,
)
from dashboard.analyses.exposure import DEFAULT_MIN_SESSIONS, DEFAULT_MONTHS, Exposure
from dashboard.analyses.typology import typology
from dashboard.analyses.typology_tables import typology_tables
from dashboard.charts import analyses as charts
from dashboard.cohorts import Cohort, CohortError, cohort_gate, members
from dashboard.disclosure import close_to_another, disclosure_mode, persons_selected
from dashboard.filters import Filters
from dashboard.formatting import fmt_decimal, fmt_int, fmt_rate
from dashboard.i18n import code_label, t
from dashboard.ui.context import PageContext
from dashboard.ui.show import show_chart


def outcome_label(name: str, lang: str, labels: pl.DataFrame) -> str:
    if name.startswith("distance_"):
        group, horizon = name.removeprefix("distance_").rsplit("_", 1)
        months = horizon.removesuffix("m")
        if group == "strategic":
            return t("analyses.outcome.strategic", lang, h=months)
        return t("analyses.outcome.pillar", lang, h=months, pillar=code_label("PILLAR", group.upper(), lang, labels))
    return t(f"analyses.outcome.{name}", lang)


@dataclass(frozen=True)
class Chosen:
    """The persons of the page: the filters' selection, or the first cohort of the link (``c1_…``)."""

    filters: Filters | None
    members: pl.DataFrame | None
    too_small: bool


def cohort_in_link() -> Cohort | None:
    """The first cohort of the link (``c1_anchor=…``, as the Cohorts page writes it), read before the filter bar
    (which would rewrite the link without it): with a cohort, the page draws no filter bar and the link stays."""
    return Cohort.from_query({key: st.query_params.get_all(key) for key in st.query_params}, prefix="c1_")


def chosen(ctx: PageContext, cohort: Cohort | None) -> Chosen:
    """The cohort's members when the link carries a valid cohort (its gate is the cohorts': under k persons, or
    within k of a neighbouring cohort); otherwise the filters' selection and the rule of every figure (fewer than
    k persons, or within k of a neighbouring selection: nothing)."""
    if cohort is not None:
        try:
            cohort = cohort.validated(ctx.data.structures["structure_id"].to_list())
        except CohortError:
            cohort = None
    if cohort is not None:
        k = ctx.published_k if cohort.sensitive else ctx.screen_k
        st.caption(t("analyses.cohort", ctx.lang))
        return Chosen(None, members(ctx.data, cohort), cohort_gate(ctx.data, cohort, k))
    filters = ctx.filters.snapped()
    small = 0 < persons_selected(ctx.data, filters, ctx.screen_k) < ctx.screen_k \
        or close_to_another(ctx.data, filters, ctx.screen_k)
    return Chosen(filters, None, small)


def _estimate(row: dict[str, Any], lang: str) -> str:
    if row["estimate"] is None:
        return t("analyses.not_interpretable", lang) if row["n_treated"] is not None else "–"
    low, high = (fmt_decimal(row[c], lang, 2) for c in ("ci_low", "ci_high"))
    sep = " ; " if lang == "fr" else ", "
    return f"{fmt_decimal(row['estimate'], lang, 2)} [{low}{sep}{high}]"


def estimates_frame(table: pl.DataFrame, ctx: PageContext) -> pd.DataFrame:
    """One row per outcome: raw difference, IPW, AIPW with intervals, group sizes, effective size, balance."""
    lang, rows = ctx.lang, []
    for outcome in table["outcome"].unique(maintain_order=True).to_list():
        by = {r["estimator"]: r for r in table.filter(pl.col("outcome") == outcome).to_dicts()}
        hidden = by["naive"]["n_treated"] is None
        small = t("analyses.hidden", lang, k=ctx.screen_k)
        rows.append({
            t("analyses.col_outcome", lang): outcome_label(outcome, lang, ctx.data.labels),
            t("analyses.col_naive", lang): small if hidden else _estimate(by["naive"], lang),
            t("analyses.col_ipw", lang): small if hidden else _estimate(by["ipw"], lang),
            t("analyses.col_aipw", lang): small if hidden else _estimate(by["aipw"], lang),
            t("analyses.col_groups", lang): small if hidden else
            f"{fmt_int(by['naive']['n_treated'], lang)} / {fmt_int(by['naive']['n_control'], lang)}",
            t("analyses.col_ess", lang): "–" if hidden else fmt_int(by["ipw"]["ess"], lang),
            t("analyses.col_smd", lang): "–" if hidden else fmt_decimal(by["ipw"]["max_abs_smd_after"], lang, 3),
        })
    return pd.DataFrame(rows)


def _diagnostics(analysis: EffectAnalysis, ctx: PageContext) -> None:
    lang, exact = ctx.lang, disclosure_mode() == "exact"
    shown = [e for e in analysis.outcomes if e.fit is not None and min(e.fit.n_treated, e.fit.n_control) >= ctx.screen_k]
    if not shown:
        return
    st.markdown(f"**{t('analyses.diagnostics', lang)}**")
    labels = {e.outcome: outcome_label(e.outcome, lang, ctx.data.labels) for e in shown}
    chosen = st.selectbox(t("analyses.col_outcome", lang), list(labels), format_func=labels.__getitem__, key="an_outcome")
    effect = next(e for e in shown if e.outcome == chosen)
    publishable = effect.fit is not None and min(effect.fit.n_treated, effect.fit.n_control) >= ctx.published_k
    left, right = st.columns(2)
    with left:
        show_chart(charts.love_plot(balance_table(effect), lang, ctx.data.labels), ctx, key="an_love", n=None,
                   published=(lambda: charts.love_plot(balance_table(effect), lang, ctx.data.labels)) if publishable else None)
    with right:
        show_chart(charts.overlap_chart(overlap_table(effect, ctx.screen_k, exact), lang), ctx, key="an_overlap", n=None,
                   published=(lambda: charts.overlap_chart(overlap_table(effect, ctx.published_k, exact), lang))
                   if publishable else None)


def effect_section(ctx: PageContext, chosen: Chosen) -> None:
    lang = ctx.lang
    st.subheader(t("analyses.effect", lang))
    st.caption(t("analyses.effect_caption", lang))
    left, right = st.columns(2)
    sessions = int(left.number_input(t("analyses.sessions", lang), 1, 20, DEFAULT_MIN_SESSIONS, key="an_sessions"))
    months = int(right.number_input(t("analyses.months", lang), 1, 12, DEFAULT_MONTHS, key="an_months"))
    if chosen.too_small:
        st.info(t("analyses.too_small", lang, k=ctx.screen_k))
        return
    analysis = analyse_effect(ctx.data, chosen.filters, chosen.members, EffectOptions(exposure=Exposure(sessions, months)))
    table = effect_table(analysis, ctx.screen_k, disclosure_mode() == "exact", min_ess())
    if table.is_empty() or table["n_treated"].drop_nulls().is_empty():
        st.info(t("analyses.too_small", lang, k=ctx.screen_k))
        return
    st.dataframe(estimates_frame(table, ctx), hide_index=True, width="stretch")
    if not table.filter(pl.col("estimator") == "ipw")["interpretable"].any():
        st.caption(t("analyses.none_interpretable", lang, ess=min_ess()))
    _diagnostics(analysis, ctx)
    with st.expander(t("analyses.method", lang)):
        st.markdown(t("analyses.method_text", lang, ess=min_ess()))


def typology_section(ctx: PageContext, chosen: Chosen) -> None:
    lang, filters, people = ctx.lang, chosen.filters, chosen.members
    st.subheader(t("analyses.types", lang))
    if chosen.too_small:
        st.info(t("analyses.too_small", lang, k=ctx.screen_k))
        return
    result = typology(ctx.data, filters, people)
    exact = disclosure_mode() == "exact"
    tables = typology_tables(result, ctx.data, filters, people, lang, ctx.screen_k, ctx.published_k, exact)
    if tables["sizes"].is_empty() or not result.silhouettes:
        st.info(t("analyses.no_types", lang))
        return
    stability = sum(result.stability) / len(result.stability) if result.stability else None
    st.caption(t("analyses.types_caption", lang, k=tables["sizes"].height, kp=ctx.published_k,
                 silhouette=fmt_decimal(result.silhouettes.get(result.k), lang, 2), stability=fmt_decimal(stability, lang, 2)))

    def published() -> dict[str, pl.DataFrame]:
        return typology_tables(result, ctx.data, filters, people, lang, ctx.published_k, ctx.published_k, exact)

    show_chart(charts.type_sizes(tables["sizes"], lang), ctx, key="an_sizes", n=None,
               published=lambda: charts.type_sizes(published()["sizes"], lang))
    show_chart(charts.type_profiles(tables["profile"], lang, ctx.data.labels), ctx, key="an_profiles", n=None,
               published=lambda: charts.type_profiles(published()["profile"], lang, ctx.data.labels))
    st.markdown(f"**{t('analyses.type_evolution', lang)}**")
    small, masked = t("analyses.hidden", lang, k=ctx.screen_k), t("suppressed.masked", lang)
    rows = [{
        t("analyses.col_type", lang): f"{r['type']}. {r['name']}",
        t("analyses.col_persons", lang): small if r["persons"] is None else fmt_int(r["persons"], lang),
        t("analyses.col_regular", lang): masked if r["regular_share"] is None else fmt_rate(r["regular_share"], lang),
        t("analyses.col_distance", lang): masked if r["mean_distance_12m"] is None else fmt_decimal(r["mean_distance_12m"], lang),
        t("analyses.col_housing", lang): masked if r["housing_positive_rate"] is None else fmt_rate(r["housing_positive_rate"], lang),
        t("analyses.col_dynamic", lang): masked if r["dynamic_exit_rate"] is None else fmt_rate(r["dynamic_exit_rate"], lang),
    } for r in tables["evolution"].to_dicts()]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
