"""What every page starts with: the print style, language, filters, the report buttons and the data snapshot."""

import logging
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from dashboard.accounts.access import PUBLISHED
from dashboard.data import Data
from dashboard.disclosure import thresholds as disclosure_thresholds
from dashboard.filters import Filters
from dashboard.formatting import fmt_date, fmt_period
from dashboard.i18n import t
from dashboard.periods import data_cut_periods
from dashboard.ui.auth import require_page
from dashboard.ui.cache import load_data
from dashboard.ui.filterbar import current_lang, filter_bar, language_switch
from dashboard.ui.report_button import report_buttons

PAGE_KEYS = ("overview", "referrals", "needs", "workshops", "exits", "pathways", "data", "load", "quality", "cohorts", "analyses")
# Pages whose charts run period by period (the overview compares whole ranges).
TREND_PAGES = ("referrals", "needs", "workshops", "exits")
PRINT_CSS = Path(__file__).with_name("print.css")
"""``@media print`` rules: printing a page (Ctrl+P) gives a clean A4, without the sidebar and the toolbar."""
PRINT_JS = Path(__file__).with_name("print.js")
"""Scales each chart to the printed width just before printing (Plotly does not redraw for the page)."""


@dataclass(frozen=True)
class PageContext:
    lang: str
    data: Data
    filters: Filters
    published_k: int
    screen_k: int
    page: str = ""


def thresholds() -> tuple[int, int]:
    """(on-screen k, published k) from the settings, as disclosure control reads them."""
    return disclosure_thresholds(False)


def page_context(page_key: str, *, with_filters: bool = True) -> PageContext | None:
    """Draw the page title, the language switch and the filter bar; load the data.

    Returns None (after a plain message) when the database cannot be read
    or holds no data yet: the page then stops. Under the filters, the
    sidebar offers the board report of the page's filters (PDF, PowerPoint).
    """
    st.html(PRINT_CSS)  # a style only: Streamlit adds it to the page without taking room
    lang = language_switch()
    st.title(t(f"page.{page_key}", lang))
    scope = require_page(page_key, lang)  # a page its roles do not open stops here, whatever the URL
    try:
        data = load_data(scope)
    except Exception as exc:  # a broken URL or an unreachable server: say so, no traceback
        # The message may hold the URL, a file path or a query: the detail goes to the server log only.
        logging.getLogger(__name__).exception("cannot read the database")
        st.error(t("db.error", lang, error=type(exc).__name__))
        return None
    if data.empty:
        st.info(t("db.empty", lang))
        if scope.may_open("load"):  # a page the navigation does not hold cannot be linked to
            st.page_link("../pages/load.py", label=t("page.load", lang), icon=":material/upload_file:")
        return None
    try:
        screen_k, published_k = thresholds()
        if data.access is not None and data.access.level(()) == PUBLISHED:
            screen_k = published_k  # the person sees published figures on screen too (dashboard.accounts.access)
    except ValueError as exc:  # ThresholdError: a threshold setting that is not a whole number
        st.error(str(exc))
        return None
    filters = filter_bar(page_key, data, lang) if with_filters else Filters(start=data.first_day, end=data.last_day)
    report_buttons(data, filters, lang, published_k)
    st.sidebar.html(f"<script>{PRINT_JS.read_text()}</script>", unsafe_allow_javascript=True, width="content")
    if page_key in TREND_PAGES and filters.start and filters.end:
        for period, first, last in data_cut_periods(filters.start, filters.end, data.last_day, filters.by):
            st.caption(t("period.partial", lang, period=fmt_period(period, lang), first=fmt_date(first, lang),
                         last=fmt_date(last, lang)))
    return PageContext(lang=lang, data=data, filters=filters, published_k=published_k, screen_k=screen_k, page=page_key)


__all__ = ["PAGE_KEYS", "PageContext", "current_lang", "page_context", "thresholds"]
