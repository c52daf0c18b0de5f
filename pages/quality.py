"""Qualité des données: completeness, consistency and timeliness per structure and per load, and a score.

Counts only, through the gate (``dashboard.quality``); the rows behind them
are the operator's, on the command line (``python -m etl quality``).
"""

import streamlit as st

from dashboard import quality
from dashboard import quality_display as show
from dashboard.formatting import fmt_date
from dashboard.i18n import t
from dashboard.ui.context import page_context

ctx = page_context("quality")
if ctx is None:
    st.stop()
lang, data = ctx.lang, ctx.data
st.caption(t("quality.intro", lang))
st.caption(t("quality.filters_note", lang))
log = quality.load_quality(data)
choice = ctx.filters.structures[0] if ctx.filters.structures else None  # the filter bar keeps one or all
k, k_published, exact = quality.level(data, choice)

st.subheader(t("quality.scores", lang))
scores = quality.scores(data, log, k=k)
st.table(show.scores_frame(scores if choice is None else scores.filter(scores["structure_id"] == choice), lang),
             hide_index=True, border="horizontal")
st.caption(t("quality.score_help", lang, days=quality.ON_TIME_DAYS, k=k))

loads = log.filter(log["structure_id"] == choice) if choice else log
load_ids = sorted(set(loads["load_id"].to_list()), reverse=True)
dates = dict(data.loads.select("id", "finished_at").iter_rows())
view = st.selectbox(t("quality.view", lang), [None, *load_ids], key="quality_view",
                    format_func=lambda n: t("quality.now", lang) if n is None
                    else t("quality.load_n", lang, n=n, day=fmt_date(dates.get(n), lang)))

if view is None:
    columns = quality.completeness(data, choice, k=k, k_published=k_published, exact=exact)
    if columns.too_small:
        st.warning(t("guard.too_small", lang, k=k))
        st.stop()
    rules = quality.consistency(data, choice, k=k, k_published=k_published, exact=exact)
    completeness, consistency = show.completeness_frame(columns, lang), show.consistency_frame(rules, lang)
else:
    st.caption(t("quality.load_note", lang, k=k_published))
    shares = quality.load_shares(log, view, choice, k_published=k_published)
    completeness, consistency = show.load_frames(shares, lang)

st.subheader(t("quality.completeness", lang))
st.table(completeness, hide_index=True, border="horizontal")
st.caption(t("quality.completeness_help", lang))

st.subheader(t("quality.consistency", lang))
st.table(consistency, hide_index=True, border="horizontal")
st.caption(t("quality.consistency_help", lang, days=quality.PENDING_DAYS, day=fmt_date(data.last_day, lang)))

st.subheader(t("quality.trends", lang))
trends = quality.trends(data, log, choice, k_published=k_published)
if trends.is_empty():
    st.info(t("quality.no_loads", lang))
else:
    chart = show.trends_chart(trends, lang)
    if chart is not None:
        st.plotly_chart(chart, config={"displayModeBar": False}, key="quality_trend")
    st.table(show.trends_frame(trends, lang), hide_index=True, border="horizontal")
    st.caption(t("quality.trends_help", lang, k=k_published))
