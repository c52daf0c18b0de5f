"""Ateliers: who keeps coming (cohort retention), attendance by workshop and
category, people per session, facilitators and co-designed workshops."""

import streamlit as st

from dashboard.charts import workshops as charts
from dashboard.disclosure import figures
from dashboard.i18n import t
from dashboard.ui.context import page_context
from dashboard.ui.show import show_chart, show_guard, show_table

ctx = page_context("workshops")
if ctx is None:
    st.stop()
lang, labels, by = ctx.lang, ctx.data.labels, ctx.filters.by
attendance = figures("workshop-attendance", ctx.data, ctx.filters, published=False)
if show_guard(attendance, ctx):
    st.stop()

st.subheader(t("workshops.retention", lang))
st.caption(t("workshops.retention_help", lang))
cohorts = figures("workshop-cohorts", ctx.data, ctx.filters, published=False)
if not show_guard(cohorts, ctx):
    show_chart(charts.cohort_heatmap(cohorts, lang, by), ctx, key="workshop_cohorts", n=None)

st.subheader(t("workshops.attendance", lang))
by_category = figures("workshop-by-category", ctx.data, ctx.filters, published=False)
show_chart(charts.by_category(by_category, lang, labels, by), ctx, key="workshop_by_category", n=None)
left, right = st.columns(2)
with left:
    show_chart(charts.by_workshop(attendance, lang), ctx, key="workshop_presences", n=None)
with right:
    show_chart(charts.per_session(attendance, lang), ctx, key="workshop_per_session", n=None)

st.subheader(t("workshops.kinds", lang))
by_facilitator = figures("workshop-by-facilitator", ctx.data, ctx.filters, published=False)
by_design = figures("workshop-by-co-construction", ctx.data, ctx.filters, published=False)
left, right = st.columns(2)
with left:
    show_chart(charts.compare_groups(by_facilitator, "facilitator", lang, labels), ctx, key="workshop_facilitators", n=None)
with right:
    show_chart(charts.compare_groups(by_design, "co_constructed", lang, labels), ctx, key="workshop_co_design", n=None)

# Tables and their downloads are built on demand: the published version and the XLSX cost more than the charts.
if st.toggle(t("pages.tables", lang), key="show_tables"):
    for name, protected in (("workshop-cohorts", cohorts), ("workshop-attendance", attendance),
                            ("workshop-by-category", by_category), ("workshop-by-facilitator", by_facilitator),
                            ("workshop-by-co-construction", by_design)):
        show_table(protected, ctx, name=name)
