"""Sorties: where people go when they leave (housing, work), positive exit
rates by program, and the median length of stay."""

import streamlit as st

from dashboard.charts import exits as charts
from dashboard.i18n import t
from dashboard.ui.context import page_context
from dashboard.ui.plot import plot, shown
from dashboard.ui.show import show_guard, show_table

ctx = page_context("exits")
if ctx is None:
    st.stop()
lang, labels, by = ctx.lang, ctx.data.labels, ctx.filters.by
exits = shown("exits", ctx)
if show_guard(exits.screen, ctx):
    st.stop()

st.subheader(t("exits.destinations", lang))
by_housing = shown("exits-by-housing", ctx)
by_employment = shown("exits-by-employment", ctx)
plot(charts.exits_by, by_housing, "housing", lang, labels, by, key="exits_by_housing")
plot(charts.exits_by, by_employment, "employment", lang, labels, by, key="exits_by_employment")

st.subheader(t("exits.rates", lang))
left, right = st.columns(2)
with left:
    plot(charts.exit_rate_lines, exits, "housing_positive_rate", lang, labels, by, key="housing_rate")
with right:
    plot(charts.exit_rate_lines, exits, "dynamic_exit_rate", lang, labels, by, key="dynamic_rate")
plot(charts.median_stay, exits, lang, by, key="median_stay")

# Tables and their downloads are built on demand: the published version and the XLSX cost more than the charts.
if st.toggle(t("pages.tables", lang), key="show_tables"):
    for metric in (exits, by_housing, by_employment):
        show_table(metric.screen, ctx, name=metric.name)
