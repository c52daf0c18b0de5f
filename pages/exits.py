"""Sorties: where people go when they leave (housing, work), positive exit
rates by program, and the median length of stay."""

import streamlit as st

from dashboard.charts import exits as charts
from dashboard.disclosure import figures
from dashboard.i18n import t
from dashboard.ui.context import page_context
from dashboard.ui.show import show_chart, show_guard, show_table

ctx = page_context("exits")
if ctx is None:
    st.stop()
lang, labels, by = ctx.lang, ctx.data.labels, ctx.filters.by
exits = figures("exits", ctx.data, ctx.filters, published=False)
if show_guard(exits, ctx):
    st.stop()

st.subheader(t("exits.destinations", lang))
by_housing = figures("exits-by-housing", ctx.data, ctx.filters, published=False)
by_employment = figures("exits-by-employment", ctx.data, ctx.filters, published=False)
show_chart(charts.exits_by(by_housing, "housing", lang, labels, by), ctx, key="exits_by_housing", n=None)
show_chart(charts.exits_by(by_employment, "employment", lang, labels, by), ctx, key="exits_by_employment", n=None)

st.subheader(t("exits.rates", lang))
left, right = st.columns(2)
with left:
    show_chart(charts.exit_rate_lines(exits, "housing_positive_rate", lang, labels, by), ctx, key="housing_rate", n=None)
with right:
    show_chart(charts.exit_rate_lines(exits, "dynamic_exit_rate", lang, labels, by), ctx, key="dynamic_rate", n=None)
show_chart(charts.median_stay(exits, lang, by), ctx, key="median_stay", n=None)

# Tables and their downloads are built on demand: the published version and the XLSX cost more than the charts.
if st.toggle(t("pages.tables", lang), key="show_tables"):
    for name, protected in (("exits", exits), ("exits-by-housing", by_housing), ("exits-by-employment", by_employment)):
        show_table(protected, ctx, name=name)
