"""What every page starts with: language, filters and the data snapshot."""

import logging
from dataclasses import dataclass

import streamlit as st

from dashboard.data import Data
from dashboard.disclosure import thresholds as disclosure_thresholds
from dashboard.filters import Filters
from dashboard.formatting import fmt_date, fmt_period
from dashboard.i18n import t
from dashboard.periods import data_cut_periods
from dashboard.ui.cache import load_data
from dashboard.ui.filterbar import current_lang, filter_bar, language_switch

PAGE_KEYS = ("overview", "referrals", "needs", "workshops", "exits", "data")
# Pages whose charts run period by period (the overview compares whole ranges).
TREND_PAGES = ("referrals", "needs", "workshops", "exits")


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
    or holds no data yet: the page then stops.
    """
    lang = language_switch()
    st.title(t(f"page.{page_key}", lang))
    try:
        data = load_data()
    except Exception as exc:  # a broken URL or an unreachable server: say so, no traceback
        # The message may hold the URL, a file path or a query: the detail goes to the server log only.
        logging.getLogger(__name__).exception("cannot read the database")
        st.error(t("db.error", lang, error=type(exc).__name__))
        return None
    if data.empty:
        st.info(t("db.empty", lang))
        return None
    try:
        screen_k, published_k = thresholds()
    except ValueError as exc:  # ThresholdError: a threshold setting that is not a whole number
        st.error(str(exc))
        return None
    filters = filter_bar(page_key, data, lang) if with_filters else Filters(start=data.first_day, end=data.last_day)
    if page_key in TREND_PAGES and filters.start and filters.end:
        for period, first, last in data_cut_periods(filters.start, filters.end, data.last_day, filters.by):
            st.caption(t("period.partial", lang, period=fmt_period(period, lang), first=fmt_date(first, lang),
                         last=fmt_date(last, lang)))
    return PageContext(lang=lang, data=data, filters=filters, published_k=published_k, screen_k=screen_k, page=page_key)


__all__ = ["PAGE_KEYS", "PageContext", "current_lang", "page_context", "thresholds"]
