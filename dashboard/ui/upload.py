"""The import page's parts: the check (dry run) once per set of files and options, the confirmed load,
the progress bar and what they report. The work itself is in ``dashboard.importing`` (no Streamlit)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from dashboard.formatting import fmt_int
from dashboard.i18n import t
from dashboard.importing import (
    BadUploads,
    Outcome,
    Progress,
    check_uploads,
    literal,
    problem_count,
    problems_csv,
    problems_table,
    run_load,
    structure_list,
    summary_table,
)
from dashboard.ui import auth

CHECKED = "load_checked"  # session state: (key, Outcome) of the last dry run
LOADED = "load_loaded"  # session state: (key, Outcome) of the last load
WRAPPED_ROW = 72  # pixels: three lines of text


@dataclass(frozen=True)
class Options:
    structure: str = ""
    replace: bool = False
    pseudonymise: bool = False


def files_key(files: Sequence[Any], options: Options) -> tuple[object, ...]:
    """The same uploads with the same options: a new drop, even of the same files, is checked again."""
    return tuple((getattr(f, "file_id", ""), f.name, getattr(f, "size", 0)) for f in files) + (options,)


def progress_bar(lang: str, dry_run: bool) -> tuple[Any, Progress]:
    bar = st.progress(0.0, text=t("load.phase.read", lang))

    def update(phase: str, done: int, total: int) -> None:
        if phase not in ("compare", "write"):
            bar.progress(0.0, text=t("load.phase.read", lang))
            return
        phase = "compare" if dry_run else phase  # a check writes into a transaction it rolls back: it compares
        share = min(done / total, 1.0) if total else 1.0
        bar.progress(share, text=t(f"load.phase.{phase}", lang, done=fmt_int(done, lang), total=fmt_int(total, lang)))

    return bar, update


def _run(files: Sequence[Any], options: Options, lang: str, *, dry_run: bool) -> Outcome:
    bar, update = progress_bar(lang, dry_run)
    outcome = run_load(files, lang=lang, dry_run=dry_run, structure=options.structure, replace=options.replace,
                       pseudonymise=options.pseudonymise, progress=update)
    bar.empty()
    return outcome


def acceptable(files: Sequence[Any], lang: str) -> bool:
    """Whether the uploads make one dataset; if not, say why."""
    try:
        check_uploads([f.name for f in files])
    except BadUploads as error:
        st.error(t(f"load.bad.{error.key}", lang, names=literal(", ".join(error.names))))
        return False
    return True


def checked(files: Sequence[Any], options: Options, lang: str) -> Outcome:
    """The dry run of these uploads, run once per set of files, options and language."""
    key = (files_key(files, options), lang)
    kept = st.session_state.get(CHECKED)
    if kept is None or kept[0] != key:
        st.session_state[CHECKED] = (key, _run(files, options, lang, dry_run=True))
    return st.session_state[CHECKED][1]


def permitted(outcome: Outcome, lang: str) -> bool:
    """Whether the signed-in person may load for every structure of the dataset (administrators: any; staff:
    theirs); if not, say for which ones."""
    scope = auth.current_scope()
    refused = [s for s in outcome.structures if scope is None or not scope.may_load(s)]
    if refused:
        st.error(t("load.refused", lang, names=literal(", ".join(refused))))
    return not refused


def loaded(files: Sequence[Any], options: Options) -> Outcome | None:
    kept = st.session_state.get(LOADED)
    return kept[1] if kept is not None and kept[0] == files_key(files, options) else None


def load(files: Sequence[Any], options: Options, lang: str) -> None:
    """The confirmed load, then a fresh run that shows its outcome (the pages read the new data version)."""
    outcome = _run(files, options, lang, dry_run=False)
    st.session_state[LOADED] = (files_key(files, options), outcome)
    if outcome.load_id is not None:
        try:
            auth.record("load", outcome.structures, load=outcome.load_id, files=[f.name for f in files],
                        replace=options.replace)
        except Exception:  # the load is committed: the page must still say so; the log keeps the failure
            logging.getLogger(__name__).exception("load %s done, but its audit row could not be written", outcome.load_id)
    st.rerun()


def show(outcome: Outcome, lang: str, *, done: bool = False) -> None:
    """Errors (nothing written), or the counts of the check or of the load; then every problem, downloadable."""
    if outcome.failure:
        st.error(t("load.failed", lang, ref=outcome.failure))
        return
    if outcome.ignored:
        st.warning(t("load.ignored", lang, names=literal(", ".join(outcome.ignored))))
    if outcome.errors:
        st.error(t("load.invalid", lang, n=fmt_int(problem_count(outcome.errors), lang)))
    elif done:
        st.success(t("load.done", lang, id=outcome.load_id))
        st.page_link("../pages/overview.py", label=t("load.go", lang), icon=":material/dashboard:")
    else:
        st.success(t("load.checked", lang))
    if outcome.ok:
        st.subheader(t("load.summary", lang))
        st.caption(t("load.structures", lang, n=fmt_int(len(outcome.structures), lang),
                     names=literal(structure_list(outcome.structures))))
        summary = summary_table(outcome, lang)
        st.dataframe(summary, hide_index=True, column_config={name: st.column_config.NumberColumn(format="localized")
                                                              for name in summary.columns[1:]})
    if outcome.errors or outcome.warnings:
        st.subheader(t("load.problems", lang))
        if not outcome.errors:
            st.info(t("load.warnings_stored" if done else "load.warnings", lang,
                      n=fmt_int(problem_count(outcome.warnings), lang)))
        table = problems_table(outcome, lang)
        line, reason = table.columns[2], table.columns[5]  # the others size to their content
        # Rows over 4 rem high let Streamlit's grid wrap a long reason instead of cutting it.
        st.dataframe(table, hide_index=True, row_height=WRAPPED_ROW,
                     column_config={line: st.column_config.NumberColumn(width="small"),
                                    reason: st.column_config.TextColumn(width="large")})
        st.download_button(t("load.download", lang), problems_csv(table), file_name="parcours-import-problemes.csv",
                           mime="text/csv", on_click="ignore", icon=":material/download:")
