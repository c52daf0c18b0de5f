"""Orientations: where referrals come from, what is decided and how fast, and where people live."""

import streamlit as st

from dashboard.charts import referrals as charts
from dashboard.charts.base import picked_code
from dashboard.disclosure import figures
from dashboard.i18n import t
from dashboard.ui.context import page_context
from dashboard.ui.filterbar import set_filters
from dashboard.ui.show import show_chart, show_guard, show_table

CLICKS = "_referrals_clicks"

ctx = page_context("referrals")
if ctx is None:
    st.stop()
lang, labels, by = ctx.lang, ctx.data.labels, ctx.filters.by
by_source = figures("referrals-by-source", ctx.data, ctx.filters, published=False)
if show_guard(by_source, ctx):
    st.stop()

# A click on a source filters the page; a fresh chart key each time forgets the old selection.
clicks = st.session_state.setdefault(CLICKS, 0)
st.caption(t("pages.click_source", lang))
event = show_chart(charts.referrals_over_time(by_source, lang, labels, by), ctx, key=f"referrals_over_time_{clicks}",
                   n=None, on_select="rerun")
yearly = by_source if by == "year" else figures("referrals-by-source", ctx.data, ctx.filters.with_(by="year"), published=False)
left, right = st.columns(2)
with left:
    shares_event = show_chart(charts.source_shares(yearly, lang, labels), ctx, key=f"source_shares_{clicks}", n=None,
                              on_select="rerun")
source = picked_code(event) or picked_code(shares_event)
if source:  # even when unchanged: the new key drops the selection, which would otherwise come back after a reset
    set_filters(sources=(source,))
    st.session_state[CLICKS] = clicks + 1
    st.rerun()

st.subheader(t("referrals.decisions", lang))
show_chart(charts.acceptance_heatmap(by_source, lang, labels, by), ctx, key="acceptance_heatmap", n=None)
show_chart(charts.delay_heatmap(by_source, lang, labels, by), ctx, key="delay_heatmap", n=None)

by_territory = figures("referrals-by-territory", ctx.data, ctx.filters, published=False)
with right:
    if not show_guard(by_territory, ctx):
        show_chart(charts.territories(by_territory, lang), ctx, key="territories", n=None)

# Tables and their downloads are built on demand: the published version and the XLSX cost more than the charts.
if st.toggle(t("pages.tables", lang), key="show_tables"):
    show_table(by_source, ctx, name="referrals-by-source")
    show_table(by_territory, ctx, name="referrals-by-territory")
