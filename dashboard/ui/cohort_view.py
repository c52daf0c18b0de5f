"""The cohorts page's pieces: sizes, the comparison table, saved cohorts and the downloads.

Every figure comes from ``dashboard.compare.compare`` (the gate's published
cells per cohort); hidden cells read "< k" or "masqué" as everywhere else.
"""

import polars as pl
import streamlit as st

from dashboard.charts.base import reading_text
from dashboard.charts.cohorts import cohort_names
from dashboard.cohorts import Cohort, cohort_gate
from dashboard.cohorts.store import save, saved
from dashboard.compare import Comparison, compare
from dashboard.compare_files import comparison_file
from dashboard.definitions import VERSION
from dashboard.disclosure import Protected
from dashboard.extracts import cohort_extract_bytes
from dashboard.formatting import fmt_int, fmt_points, fmt_rate
from dashboard.i18n import t
from dashboard.metrics.common import PerSnapshot
from dashboard.provenance import snapshot_files
from dashboard.ui.auth import recorder
from dashboard.ui.cohort_form import open_in
from dashboard.ui.context import PageContext
from models.db import get_engine

HORIZONS = (6, 12, 24)


_COMPARISONS = PerSnapshot(size=16)
"""Comparisons per snapshot (forgotten with it): a rerun of the page with the same cohorts costs nothing."""


def comparison(ctx: PageContext, cohorts: list[Cohort], horizon: int, *, published: bool = False) -> Comparison:
    key = (tuple(cohorts), published, horizon)
    return _COMPARISONS.get(ctx.data, key, lambda: compare(ctx.data, cohorts, published=published, horizon=horizon))


def sizes(result: Comparison, ctx: PageContext) -> None:
    """One metric per cohort: its (perturbed) size, or why it is hidden."""
    names = cohort_names(result, ctx.lang)
    for index, column in enumerate(st.columns(len(names))):
        protected = result.protected[index]
        if protected.too_small:
            column.metric(names[index], "—")
            column.caption(t("cohorts.hidden", ctx.lang, k=protected.k))
            continue
        members = protected.table.filter(pl.col("indicator") == "members")["persons"].to_list()
        column.metric(names[index], fmt_int(members[0], ctx.lang) if members and members[0] is not None else "—",
                      help=t("cohorts.size", ctx.lang))


def outcomes_table(result: Comparison, ctx: PageContext) -> pl.DataFrame:
    """The comparison as strings: one row per indicator and cohort; hidden cells in words."""
    lang, names = ctx.lang, cohort_names(result, ctx.lang)
    rows: dict[str, list[str]] = {t(f"col.{c}", lang): [] for c in
                                  ("indicator", "cohort", "persons", "count", "rate", "difference", "interval")}
    for row in result.outcomes.iter_rows(named=True):
        protected = result.protected[row["cohort"] - 1]
        position = None if protected.too_small else protected.table["indicator"].to_list().index(row["indicator"])

        def cell(column: str, text: str, protected: Protected = protected, position: int | None = position) -> str:
            if position is None:
                return t("suppressed.masked", lang)
            k = protected.row_k[position] if protected.row_k else protected.k
            return reading_text(protected.cells[column][position], k, lang) or text

        difference = "" if row["difference"] is None else fmt_points(row["difference"], lang)
        interval = "" if row["ci_low"] is None else \
            f"[{fmt_points(row['ci_low'], lang)} ; {fmt_points(row['ci_high'], lang)}]"
        values = [
            t(f"indicator.{row['indicator']}", lang), names[row["cohort"] - 1],
            cell("persons", fmt_int(row["persons"], lang)), cell("count", fmt_int(row["count"], lang)),
            "" if row["indicator"] == "members" else cell("rate", fmt_rate(row["rate"], lang)), difference, interval,
        ]
        for key, value in zip(rows, values, strict=True):
            rows[key].append(value)
    return pl.DataFrame(rows, schema={key: pl.String for key in rows})


def comparison_downloads(ctx: PageContext, cohorts: list[Cohort], horizon: int) -> None:
    """CSV and XLSX of the published comparison (threshold for what leaves the app), made when clicked."""
    def file(fmt: str) -> bytes:
        published = comparison(ctx, cohorts, horizon, published=True)
        return comparison_file(published, ctx.data, ctx.lang, fmt, snapshot_files(ctx.data))

    help_text = t("table.download_help", ctx.lang, k=ctx.published_k)
    stem = "comparaison-cohortes" if ctx.lang == "fr" else "cohort-comparison"
    left, right, _ = st.columns([1, 1, 3])
    left.download_button(t("table.download_csv", ctx.lang), lambda: file("csv"), file_name=f"{stem}.csv",
                         mime="text/csv", key="csv_comparison", help=help_text, on_click="ignore")
    right.download_button(t("table.download_xlsx", ctx.lang), lambda: file("xlsx"), file_name=f"{stem}.xlsx",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          key="xlsx_comparison", help=help_text, on_click="ignore")


def extract_buttons(ctx: PageContext, cohorts: list[Cohort]) -> None:
    """One safe person-level extract per cohort (``dashboard.extracts``: k-anonymity at the published k,
    l-diversity, random ids), made when clicked and recorded in the audit log with the cohort's definition. A
    cohort the gate hides at the published threshold has no extract."""
    st.caption(t("cohorts.extract_help", ctx.lang, k=ctx.published_k))
    names = [c.name.strip() or t("cohorts.cohort", ctx.lang, i=i) for i, c in enumerate(cohorts, start=1)]
    known = ctx.data.structures["structure_id"].to_list()
    for i, (column, cohort) in enumerate(zip(st.columns(len(cohorts)), cohorts, strict=True), start=1):
        hidden = cohort_gate(ctx.data, cohort.validated(known), ctx.published_k)
        audit = recorder("extract", [cohort.structure] if cohort.structure else [], cohort=cohort.to_query())

        def made(cohort: Cohort = cohort, audit=audit) -> bytes:  # type: ignore[no-untyped-def]
            content = cohort_extract_bytes(ctx.data, cohort, "xlsx", ctx.lang) or b""
            audit()
            return content

        column.download_button(t("cohorts.extract", ctx.lang, name=names[i - 1]), made, disabled=hidden,
                               file_name=f"extrait-cohorte-{i}.xlsx" if ctx.lang == "fr" else f"cohort-{i}-extract.xlsx",
                               mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                               key=f"extract_{i}", on_click="ignore",
                               help=t("cohorts.hidden", ctx.lang, k=ctx.published_k) if hidden else None)


def saved_cohorts(ctx: PageContext, cohorts: list[Cohort]) -> None:
    """In the sidebar: open a saved cohort in one of the editors, save an edited one."""
    lang = ctx.lang
    engine = get_engine()
    bar = st.sidebar.container(border=True)
    bar.markdown(f"**{t('cohorts.saved', lang)}**")
    found = saved(engine)
    if found:
        names = [s.name for s in found]
        chosen = bar.selectbox(t("cohorts.saved", lang), names, label_visibility="collapsed", key="saved_pick")
        target = bar.radio(t("cohorts.open_saved", lang, i=""), list(range(1, len(cohorts) + 1)), horizontal=True,
                           key="saved_target", format_func=lambda i: str(i))
        if bar.button(t("cohorts.open_saved", lang, i=target), key="saved_open"):
            entry = found[names.index(chosen)]
            if entry.definitions_version != VERSION:
                st.session_state["_cohort_warning"] = t("cohorts.old_version", lang, name=entry.name,
                                                        saved=entry.definitions_version, current=VERSION)
            open_in(int(target), entry.cohort)
    for i, cohort in enumerate(cohorts, start=1):
        if bar.button(t("cohorts.save", lang, i=i), key=f"save_{i}"):
            if not cohort.name.strip():
                bar.warning(t("cohorts.need_name", lang))
            else:
                save(engine, cohort, VERSION)
                st.session_state["_cohort_saved"] = t("cohorts.saved_ok", lang, name=cohort.name)
                st.rerun()  # the list above shows the new cohort at once
    done = st.session_state.pop("_cohort_saved", None)
    if done:
        bar.success(done)
    warning = st.session_state.pop("_cohort_warning", None)
    if warning:
        st.warning(warning)
