"""Parcours et durées: where people come from, which program they enter and how it ends (a Sankey), and how long
support periods last until a housing or another exit (Kaplan–Meier, Aalen–Johansen), by program."""

import polars as pl
import streamlit as st

from dashboard.charts.pathways import node_name, sankey
from dashboard.charts.time_to_exit import time_to_exit_curves
from dashboard.i18n import t
from dashboard.metrics.pathways import STAGES
from dashboard.pathway_disclosure import ProtectedPathways, protected_pathways
from dashboard.ui.context import page_context
from dashboard.ui.downloads import csv_bytes, file_stem
from dashboard.ui.plot import plot, shown
from dashboard.ui.show import show_chart, show_guard, show_table

ctx = page_context("pathways")
if ctx is None:
    st.stop()
lang, labels = ctx.lang, ctx.data.labels
durations = shown("time-to-exit", ctx, bands=True)
if show_guard(durations.screen, ctx):
    st.stop()


def flows_table(pathways: ProtectedPathways) -> pl.DataFrame:
    """The chart's flows with their ends named in the reader's language."""
    rows = [(node_name(STAGES[stage - 1][0], origin, lang, labels), node_name(STAGES[stage - 1][1], target, lang, labels),
             persons) for stage, origin, target, persons in pathways.flows.iter_rows()]
    names = [t("col.flow_from", lang), t("col.flow_to", lang), t("col.flow_persons", lang)]
    return pl.DataFrame(rows, schema={names[0]: pl.String, names[1]: pl.String, names[2]: pl.Int64}, orient="row")


st.subheader(t("pathways.flows", lang))
st.caption(t("pathways.flows_help", lang))
flows = protected_pathways(ctx.data, ctx.filters, published=False)
show_chart(sankey(flows, lang, labels), ctx, key="pathways_sankey", n=None, name="pathways",
           published=lambda: sankey(protected_pathways(ctx.data, ctx.filters, published=True), lang, labels))

st.subheader(t("pathways.time_to_exit", lang))
st.caption(t("pathways.time_help", lang))
left, right = st.columns(2)
with left:
    plot(time_to_exit_curves, durations, "survival", lang, labels, key="tte_survival")
with right:
    plot(time_to_exit_curves, durations, "cif_housing_positive", lang, labels, key="tte_housing")
plot(time_to_exit_curves, durations, "cif_other_exit", lang, labels, key="tte_other")

# Tables and downloads on demand: the published versions cost a second computation.
if st.toggle(t("pages.tables", lang), key="show_tables"):
    columns = {name: "" for name in ("program", "day", "at_risk", "survival", "cif_housing_positive", "cif_other_exit")}
    show_table(durations.screen, ctx, name="time-to-exit", columns=columns)
    st.markdown(f"**{t('pathways.flows_table', lang)}**")
    st.dataframe(flows_table(flows), hide_index=True, width="stretch")
    st.download_button(
        t("pathways.download_flows", lang), file_name=f"{file_stem('pathways', ctx.filters.start, ctx.filters.end)}.csv",
        data=lambda: csv_bytes(flows_table(protected_pathways(ctx.data, ctx.filters, published=True))),
        mime="text/csv", key="csv_pathways", help=t("table.download_help", lang, k=ctx.published_k), on_click="ignore",
    )
