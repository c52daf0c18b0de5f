"""Cohortes: two to four cohorts anchored on an event, followed from their anchor and compared side by side."""

import streamlit as st

from dashboard.charts import cohorts as charts
from dashboard.i18n import t
from dashboard.metrics.cohorts import INDICATORS
from dashboard.ui.cohort_form import cohort_editors
from dashboard.ui.cohort_view import (
    HORIZONS,
    comparison,
    comparison_downloads,
    extract_buttons,
    outcomes_table,
    saved_cohorts,
    sizes,
)
from dashboard.ui.context import page_context
from dashboard.ui.show import show_chart

ctx = page_context("cohorts", with_filters=False)
if ctx is None:
    st.stop()
lang = ctx.lang
st.markdown(t("cohorts.intro", lang))
cohorts = cohort_editors(ctx.data, lang)
saved_cohorts(ctx, cohorts)
if len(cohorts) < 2:
    st.stop()
horizon = st.segmented_control(t("cohorts.horizon", lang), HORIZONS, default=12, key="horizon") or 12
result = comparison(ctx, cohorts, horizon)
sizes(result, ctx)

st.subheader(t("cohorts.outcomes", lang))
st.caption(t("cohorts.outcomes_help", lang))
shares = [i for i in INDICATORS if i != "members"]
show_chart(charts.outcome_bars(result, lang, shares), ctx, key="cohort_outcomes", n=None)
st.subheader(t("cohorts.differences", lang))
st.caption(t("cohorts.differences_help", lang))
show_chart(charts.difference_dots(result, lang, shares), ctx, key="cohort_differences", n=None)
st.dataframe(outcomes_table(result, ctx), hide_index=True, width="stretch")
comparison_downloads(ctx, cohorts, horizon)

st.subheader(t("cohorts.needs", lang))
show_chart(charts.needs_lines(result, lang, ctx.data.labels), ctx, key="cohort_needs", n=None)

st.subheader(t("cohorts.time_to_exit", lang))
st.caption(t("cohorts.time_help", lang))
left, right = st.columns(2)
with left:
    show_chart(charts.time_lines(result, lang, "survival"), ctx, key="cohort_survival", n=None)
with right:
    show_chart(charts.time_lines(result, lang, "cif_housing_positive"), ctx, key="cohort_housing", n=None)

st.subheader(t("cohorts.extracts", lang))
extract_buttons(ctx, cohorts)
