"""Ateliers: who keeps coming (cohort retention), attendance by workshop and
category, people per session, facilitators and co-designed workshops."""

import streamlit as st

from dashboard.charts import workshops as charts
from dashboard.i18n import t
from dashboard.ui.context import page_context
from dashboard.ui.plot import plot, shown
from dashboard.ui.show import show_guard, show_table

ctx = page_context("workshops")
if ctx is None:
    st.stop()
lang, labels, by = ctx.lang, ctx.data.labels, ctx.filters.by
attendance = shown("workshop-attendance", ctx)
if show_guard(attendance.screen, ctx):
    st.stop()

st.subheader(t("workshops.keeps", lang))
st.caption(t("workshops.keeps_help", lang))
kept = shown("workshop-retention", ctx)
kept_by_category = shown("workshop-retention-by-category", ctx)
left, right = st.columns(2)
with left:
    plot(charts.retention_bars, kept, "workshop", lang, labels, key="workshop_retention")
with right:
    plot(charts.retention_bars, kept_by_category, "category", lang, labels, key="workshop_retention_by_category")

st.subheader(t("workshops.retention", lang))
st.caption(t("workshops.retention_help", lang))
cohorts = shown("workshop-cohorts", ctx)
if not show_guard(cohorts.screen, ctx):
    plot(charts.cohort_heatmap, cohorts, lang, by, key="workshop_cohorts")

st.subheader(t("workshops.attendance", lang))
by_category = shown("workshop-by-category", ctx)
plot(charts.by_category, by_category, lang, labels, by, key="workshop_by_category")
left, right = st.columns(2)
with left:
    plot(charts.by_workshop, attendance, lang, key="workshop_presences")
with right:
    plot(charts.per_session, attendance, lang, key="workshop_per_session")

st.subheader(t("workshops.kinds", lang))
by_facilitator = shown("workshop-by-facilitator", ctx)
by_design = shown("workshop-by-co-construction", ctx)
left, right = st.columns(2)
with left:
    plot(charts.compare_groups, by_facilitator, "facilitator", lang, labels, key="workshop_facilitators")
with right:
    plot(charts.compare_groups, by_design, "co_constructed", lang, labels, key="workshop_co_design")

# Tables and their downloads are built on demand: the published version and the XLSX cost more than the charts.
if st.toggle(t("pages.tables", lang), key="show_tables"):
    for metric in (cohorts, attendance, by_category, by_facilitator, by_design, kept, kept_by_category):
        show_table(metric.screen, ctx, name=metric.name)
