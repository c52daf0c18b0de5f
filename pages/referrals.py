"""Orientations: where referrals come from, what is decided and how fast, and where people live."""

import streamlit as st

from dashboard.charts import referrals as charts
from dashboard.charts.base import clicked, picked_code
from dashboard.i18n import t
from dashboard.ui.context import page_context
from dashboard.ui.filterbar import chart_key, forget_selections, set_filters
from dashboard.ui.plot import plot, shown
from dashboard.ui.show import show_guard, show_table

ctx = page_context("referrals")
if ctx is None:
    st.stop()
lang, labels, by = ctx.lang, ctx.data.labels, ctx.filters.by
by_source = shown("referrals-by-source", ctx)
if show_guard(by_source.screen, ctx):
    st.stop()

# A click on a source filters the page; any click (a "< 5" marker, "Others") then gets a fresh chart key, which
# forgets the selection: no chart stays faded without a filter behind it.
st.caption(t("pages.click_source", lang))
event = plot(charts.referrals_over_time, by_source, lang, labels, by, key=chart_key("referrals_over_time"),
             name="referrals_over_time", on_select="rerun")
yearly = by_source if by == "year" else shown("referrals-by-source", ctx, ctx.filters.with_(by="year"))
left, right = st.columns(2)
with left:
    shares_event = plot(charts.source_shares, yearly, lang, labels, key=chart_key("source_shares"), name="source_shares",
                        on_select="rerun")
if clicked(event) or clicked(shares_event):
    source = picked_code(event) or picked_code(shares_event)
    if source:
        set_filters(sources=(source,))
    forget_selections()
    st.rerun()

st.caption(t("referrals.n_differ", lang))

st.subheader(t("referrals.decisions", lang))
plot(charts.acceptance_heatmap, by_source, lang, labels, by, key="acceptance_heatmap")
plot(charts.delay_heatmap, by_source, lang, labels, by, key="delay_heatmap")

by_territory = shown("referrals-by-territory", ctx)
with right:
    if not show_guard(by_territory.screen, ctx):
        plot(charts.territories, by_territory, lang, key="territories")

# Tables and their downloads are built on demand: the published version and the XLSX cost more than the charts.
if st.toggle(t("pages.tables", lang), key="show_tables"):
    for metric in (by_source, by_territory):
        show_table(metric.screen, ctx, name=metric.name)
