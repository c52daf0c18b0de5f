"""The board report from the app: "Rapport (PDF)" and "Présentation (PowerPoint)" in the sidebar, under the filters.

Both report on the page's current filters: the period is the filter's range
and it is compared with the range of equal length just before it
(``dashboard.periods.previous_range``), at the publication threshold like
every file that leaves the app. The file is made only when a button is
clicked (Streamlit calls the function then, outside the page's run), through
``dashboard.report.report_bytes``; a page pays nothing for reports nobody
asks for, and ``dashboard.report`` (python-pptx, the PDF renderer) is
imported only then.

A report that cannot be made gives no traceback: Streamlit says in a word
that the file could not be generated, the server log has the detail, and
from the next run on a caption under the buttons says it in the reader's
language (the buttons stay, to try again).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable
from datetime import date

import streamlit as st

from dashboard.accounts.audit import REPORT
from dashboard.data import Data
from dashboard.filters import Filters
from dashboard.formatting import fmt_date
from dashboard.i18n import t
from dashboard.periods import previous_range
from dashboard.ui.auth import recorder
from dashboard.ui.downloads import file_stem

FORMATS: dict[str, tuple[str, str, str]] = {
    # format -> (label key, extension, MIME type)
    "pdf": ("report.pdf", "pdf", "application/pdf"),
    "pptx": ("report.pptx", "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
}
OUTCOMES = "_report_outcomes"
"""Session state: (format, filters, data, lang) of a click whose report failed."""
FAILED = "failed"

_log = logging.getLogger(__name__)


def compare_range(start: date, end: date) -> tuple[date, date]:
    """The period the report compares with: the range of equal length just before [start, end]."""
    return previous_range(start, end)


def report_maker(data: Data, filters: Filters, compare: tuple[date, date], lang: str, fmt: str,
                 outcomes: dict[Hashable, str], memo: Hashable) -> Callable[[], bytes]:
    """What a button calls on a click, outside the page's run (so no Streamlit call in it)."""

    def make() -> bytes:
        try:
            from dashboard.report import report_bytes  # heavy (renderers): only when a report is asked for

            content = report_bytes(data, filters, compare, lang, fmt)
        except Exception:
            outcomes[memo] = FAILED
            _log.exception("board report (%s) failed", fmt)
            raise RuntimeError(f"report ({fmt}) failed") from None  # the detail stays in the server log
        outcomes.pop(memo, None)
        return content

    return make


def _audited(make: Callable[[], bytes], data: Data, filters, compare: tuple[date, date], fmt: str,  # noqa: ANN001
             lang: str) -> Callable[[], bytes]:
    """``make``, writing an audit row (who, structures, period, format) once the report is made."""
    structures = list(filters.structures) or data.structures["structure_id"].to_list()
    note = recorder(REPORT, structures, format=fmt, start=filters.start, end=filters.end, compare=list(compare),
                    lang=lang, filters=filters.to_query())

    def audited() -> bytes:
        content = make()
        note()
        return content

    return audited


def report_buttons(data: Data, filters: Filters, lang: str, published_k: int) -> None:
    """The two report buttons at the bottom of the sidebar, for ``filters`` (dates set, on whole periods)."""
    start, end = filters.start, filters.end
    if start is None or end is None:
        return
    compare = compare_range(start, end)
    outcomes: dict[Hashable, str] = st.session_state.setdefault(OUTCOMES, {})
    if len(outcomes) > 64:
        outcomes.clear()
    bar = st.sidebar
    bar.divider()
    bar.subheader(t("report.header", lang))
    help_text = t("report.help", lang, start=fmt_date(start, lang), end=fmt_date(end, lang),
                  prev_start=fmt_date(compare[0], lang), prev_end=fmt_date(compare[1], lang), k=published_k)
    failed = False
    for fmt, (label, extension, mime) in FORMATS.items():
        memo = (fmt, filters, id(data), lang)
        failed = failed or outcomes.get(memo) == FAILED
        bar.download_button(
            t(label, lang), _audited(report_maker(data, filters, compare, lang, fmt, outcomes, memo), data, filters,
                                     compare, fmt, lang),
            file_name=f"{file_stem('rapport' if lang == 'fr' else 'report', start, end)}.{extension}", mime=mime,
            key=f"report_{fmt}", help=help_text, on_click="ignore", width="stretch",
            icon=":material/picture_as_pdf:" if fmt == "pdf" else ":material/slideshow:",
        )
    if failed:
        bar.caption(t("report.failed", lang))


__all__ = ["FORMATS", "OUTCOMES", "compare_range", "report_buttons", "report_maker"]
