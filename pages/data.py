"""Données & définitions: what is loaded, the load history, every definition and the disclosure rules."""

import streamlit as st

from dashboard.definitions import disclosure_rules
from dashboard.disclosure import disclosure_mode
from dashboard.formatting import fmt_date, fmt_int
from dashboard.i18n import t
from dashboard.ui.context import page_context
from dashboard.ui.inventory import (
    changelog_entries,
    definition_entries,
    loads_table,
    rows_per_table,
    structure_list,
    warnings_table,
)

ctx = page_context("data")
if ctx is not None:
    lang, data = ctx.lang, ctx.data
    st.caption(t("data.filters_note", lang))

    st.subheader(t("data.loaded", lang))
    left, middle, right = st.columns([1, 1, 2])
    left.metric(t("data.structures", lang), fmt_int(data.structures.height, lang))
    middle.metric(t("data.persons", lang), fmt_int(data.persons.height, lang))
    right.metric(t("data.range", lang), f"{fmt_date(data.first_day, lang)} – {fmt_date(data.last_day, lang)}")
    col_tables, col_structures = st.columns([1, 2])
    col_tables.markdown(f"**{t('data.rows', lang)}**")
    col_tables.dataframe(rows_per_table(data, lang), hide_index=True)
    col_structures.markdown(f"**{t('data.structure_list', lang)}**")
    col_structures.dataframe(structure_list(data, lang), hide_index=True)

    st.subheader(t("data.loads", lang))
    loads = loads_table(data, lang)
    if loads.is_empty():
        st.info(t("data.no_loads", lang))
    else:
        st.dataframe(loads, hide_index=True)
        st.markdown(f"**{t('data.warnings', lang)}**")
        warnings = warnings_table(data, lang)
        if warnings.is_empty():
            st.success(t("data.no_warnings", lang))
        else:
            st.dataframe(warnings, hide_index=True)
        st.caption(t("data.warnings_detail", lang))

    st.subheader(t("data.definitions", lang))
    for title, text in definition_entries(lang):
        with st.expander(title):
            st.markdown(text)
    changelog = changelog_entries(lang)
    if changelog:
        st.subheader(t("data.changelog", lang))
        st.markdown("\n".join(f"- {line}" for line in changelog))

    st.subheader(t("data.disclosure", lang))
    st.info(t(f"data.mode.{disclosure_mode()}", lang))
    st.markdown(disclosure_rules(lang))

    st.subheader(t("data.dictionary", lang))
    st.markdown(t("data.dictionary.text", lang))
