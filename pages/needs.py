"""Besoins: the share of people in need by domain over time, practical and
strategic needs, the four pillars, and the distance travelled."""

import streamlit as st

from dashboard.charts import needs as charts
from dashboard.disclosure import figures
from dashboard.i18n import t
from dashboard.ui.context import page_context
from dashboard.ui.show import show_chart, show_guard, show_table

ctx = page_context("needs")
if ctx is None:
    st.stop()
lang, labels, by = ctx.lang, ctx.data.labels, ctx.filters.by
over_time = figures("needs-over-time", ctx.data, ctx.filters, published=False)
if show_guard(over_time, ctx):
    st.stop()

st.subheader(t("needs.over_time", lang))
show_chart(charts.needs_heatmap(over_time, lang, labels, by), ctx, key="needs_heatmap", n=None)
show_chart(charts.need_lines(over_time, "domain", lang, labels, by), ctx, key="needs_domain_lines", n=None)

st.subheader(t("needs.kinds", lang))
by_kind = figures("needs-by-kind", ctx.data, ctx.filters, published=False)
by_pillar = figures("needs-by-pillar", ctx.data, ctx.filters, published=False)
left, right = st.columns(2)
with left:
    show_chart(charts.need_lines(by_kind, "kind", lang, labels, by), ctx, key="needs_kind_lines", n=None)
with right:
    show_chart(charts.need_lines(by_pillar, "pillar", lang, labels, by), ctx, key="needs_pillar_lines", n=None)

st.subheader(t("needs.distance", lang))
st.caption(t("needs.distance_help", lang))
distance = figures("distance-travelled", ctx.data, ctx.filters, published=False)
if not show_guard(distance, ctx):
    show_chart(charts.distance_travelled(distance, lang, labels), ctx, key="distance_travelled", n=None)

# Tables and their downloads are built on demand: the published version and the XLSX cost more than the charts.
if st.toggle(t("pages.tables", lang), key="show_tables"):
    for name, protected in (("needs-over-time", over_time), ("needs-by-kind", by_kind), ("needs-by-pillar", by_pillar),
                            ("distance-travelled", distance)):
        show_table(protected, ctx, name=name)
