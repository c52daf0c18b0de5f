"""Besoins: the share of people in need by domain over time, practical and
strategic needs, the four pillars, and the distance travelled."""

import streamlit as st

from dashboard.charts import needs as charts
from dashboard.i18n import t
from dashboard.ui.context import page_context
from dashboard.ui.plot import plot, shown
from dashboard.ui.show import show_guard, show_table

ctx = page_context("needs")
if ctx is None:
    st.stop()
lang, labels, by = ctx.lang, ctx.data.labels, ctx.filters.by
over_time = shown("needs-over-time", ctx)
if show_guard(over_time.screen, ctx):
    st.stop()

st.subheader(t("needs.over_time", lang))
plot(charts.needs_heatmap, over_time, lang, labels, by, key="needs_heatmap")
plot(charts.need_lines, over_time, "domain", lang, labels, by, key="needs_domain_lines")

st.subheader(t("needs.kinds", lang))
by_kind = shown("needs-by-kind", ctx)
by_pillar = shown("needs-by-pillar", ctx)
left, right = st.columns(2)
with left:
    plot(charts.need_lines, by_kind, "kind", lang, labels, by, key="needs_kind_lines")
with right:
    plot(charts.need_lines, by_pillar, "pillar", lang, labels, by, key="needs_pillar_lines")

st.subheader(t("needs.distance", lang))
st.caption(t("needs.distance_help", lang))
distance = shown("distance-travelled", ctx)
if not show_guard(distance.screen, ctx):
    plot(charts.distance_travelled, distance, lang, labels, key="distance_travelled")

# Tables and their downloads are built on demand: the published version and the XLSX cost more than the charts.
if st.toggle(t("pages.tables", lang), key="show_tables"):
    for metric in (over_time, by_kind, by_pillar, distance):
        show_table(metric.screen, ctx, name=metric.name)
