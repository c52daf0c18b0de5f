"""Vue d'ensemble: the key figures of the period, compared with the one before, with monthly trends."""

import streamlit as st

from dashboard.disclosure import figures
from dashboard.formatting import fmt_date
from dashboard.i18n import t
from dashboard.periods import previous_range
from dashboard.ui.context import page_context
from dashboard.ui.overview import denominators, monthly_trends
from dashboard.ui.show import kpi_cards, show_guard, show_table

ctx = page_context("overview")
if ctx is not None:
    start, end = ctx.filters.start, ctx.filters.end
    prev_start, prev_end = previous_range(start, end)
    protected = figures("overview", ctx.data, ctx.filters, published=False)
    if not show_guard(protected, ctx):
        st.caption(t("overview.intro", ctx.lang, start=fmt_date(start, ctx.lang), end=fmt_date(end, ctx.lang),
                     prev_start=fmt_date(prev_start, ctx.lang), prev_end=fmt_date(prev_end, ctx.lang)))
        st.caption(t("overview.trend", ctx.lang))
        kpi_cards(protected, ctx, monthly_trends(ctx), denominators(protected))
        with st.expander(t("overview.table", ctx.lang)):
            show_table(protected, ctx, name="overview")
