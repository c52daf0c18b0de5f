"""Analyses: the adjusted effect of regular workshop attendance (an observational estimate under assumptions,
with its diagnostics) and the kinds of situations people arrive in (typologies of needs at entry)."""

import streamlit as st

from dashboard.i18n import t
from dashboard.ui.analyses import chosen, cohort_in_link, effect_section, typology_section
from dashboard.ui.context import page_context

cohort = cohort_in_link()  # a cohort's link replaces the filters (no filter bar, the link stays as given)
ctx = page_context("analyses", with_filters=cohort is None)
if ctx is None:
    st.stop()
st.caption(t("analyses.intro", ctx.lang))
persons = chosen(ctx, cohort)
effect_section(ctx, persons)
typology_section(ctx, persons)
