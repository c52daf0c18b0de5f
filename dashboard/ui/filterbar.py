"""The sidebar filter bar shared by every page, kept in the URL both ways.

State lives in one session dictionary (``_STORE``), not in the widgets:
Streamlit forgets a widget's value when another page is shown, so each run
sets the widgets from the store before drawing them, and their ``on_change``
callbacks (which run before the rerun) write the user's changes back. At
the start of a session the store is read from the URL (``st.query_params``);
every run rewrites the URL from the store, so a link opens the same view
with the same figures. The language is in the URL (``lang``) when it is not
the default one (``PARCOURS_LANG``).

Default period (when the URL and the user set none): the overview shows the
last 12 whole months before the last day of data; the other pages show
three calendar years (from 1 January, so that quarters and years are whole;
or from the first day of data if later) up to the end of the last whole
period. Default granularity (until the user picks one): the finest whose
cells are mostly shown (``default_granularity``). Once the user picks a
period it applies to every page and enters the URL as ``from``/``to``.

Dates are on whole periods of the granularity (``dashboard.periods.snap_range``):
the dates a user or a link asks for (kept in the store as ``asked``) are
first brought back into the data's range (``_clamp_asked``: a link to year
9999 or 0001 opens on the data's last or first whole period), then widened
to whole months, quarters or years, and the widgets, the URL and the
figures use the widened range; a caption says so when it changed the dates
asked for. The default overview range is the last 12 months of whole periods.
"""

from collections.abc import Callable
from datetime import date, timedelta

import streamlit as st

from dashboard.charts.base import number
from dashboard.data import Data
from dashboard.disclosure import figures
from dashboard.filters import AGE_BANDS, GRANULARITIES, Filters, Granularity
from dashboard.formatting import fmt_date
from dashboard.i18n import label_map, lang_of, structure_names, t
from dashboard.metrics.common import PerSnapshot
from dashboard.periods import last_whole_periods, period_bounds, snap_range
from models.settings import get_setting

_STORE = "_parcours_state"
_LIST_FIELDS: dict[str, str | None] = {
    "structures": None,  # labelled by structure name
    "programs": "DISPOSITIF",
    "sources": "SOURCE",
    "sexes": "SEXE",
    "age_bands": "AGE_BAND",
}
LANG_WIDGET = "w_lang"
TREND_YEARS = 3


def _query_dict() -> dict[str, list[str]]:
    params = st.query_params
    return {key: params.get_all(key) for key in params}


def _store() -> dict:
    """The session's filter state, read from the URL on first use."""
    if _STORE not in st.session_state:
        query = _query_dict()
        filters = Filters.from_query(query)
        lang_param = query.get("lang")
        lang = lang_of(lang_param[0] if lang_param else get_setting("PARCOURS_LANG"))
        st.session_state[_STORE] = {
            "lang": lang,
            "filters": filters,
            "asked": (filters.start, filters.end),
            "period_set": bool(filters.start or filters.end),
            "by_set": "by" in query,
        }
    return st.session_state[_STORE]


def current_lang() -> str:
    """The language of this run: the switch if already drawn, else the URL or setting."""
    if LANG_WIDGET in st.session_state:
        return "en" if st.session_state[LANG_WIDGET] else "fr"
    return _store()["lang"]


def default_period(page_key: str, data: Data, by: Granularity = "month") -> tuple[date, date]:
    """The overview: the last 12 months of whole periods; the trend pages: from 1 January two years before to the
    end of the last whole period of ``by`` (a period the data covers only in part would open as a row of hidden
    cells); data shorter than one whole period runs to its last day."""
    last = data.last_day or date.today()
    first = data.first_day or last
    if page_key == "overview":
        return last_whole_periods(last, by, 12)
    period_first, period_last = period_bounds(last, by)
    end = last if last == period_last else period_first - timedelta(days=1)
    start = max(first, date(end.year - TREND_YEARS + 1, 1, 1))
    return (start, end) if start <= end else (max(first, date(last.year - TREND_YEARS + 1, 1, 1)), last)


_FINER: tuple[Granularity, ...] = ("month", "quarter")
MOSTLY_SHOWN = 1 / 3
"""The hidden share from which a chart advises a coarser grouping (``dashboard.charts.base.finish``)."""


def hidden_share(data: Data, filters: Filters) -> float:
    """The share of hidden cells among the referrals per source and period (1.0 when nothing can be shown)."""
    try:
        shown = figures("referrals-by-source", data, filters, published=False)
    except ValueError:  # a selection the gate refuses: as good as hidden
        return 1.0
    if shown.too_small or shown.table.is_empty():
        return 1.0
    sources = shown.table["source"] != "TOTAL"
    hidden = shown.suppressed.filter(sources)["referrals"]
    return number(hidden.mean()) if hidden.len() else 1.0


# A pure function of the snapshot and the selection: shared by every session (a new visitor's first run asked
# the gate for up to three granularities before drawing anything).
_GRANULARITIES = PerSnapshot(size=64)


def default_granularity(page_key: str, data: Data, filters: Filters, asked: tuple[date | None, date | None]) -> Granularity:
    """The finest granularity whose referrals per source and period are mostly shown (under a third hidden) over
    the period the page opens on; the year when none is. Remembered per data snapshot and selection."""
    # As the filter bar will read them: codes a link names but the data does not know are dropped, one value kept.
    chosen = filters.with_(**{field: tuple(v for v in getattr(filters, field) if v in _options(field, data, "fr")[1])[:1]
                              for field in _LIST_FIELDS})
    key = (page_key, asked, chosen.with_(by="month", start=None, end=None))
    return _GRANULARITIES.get(data, key, lambda: _finest_shown(page_key, data, key[2], asked))


def _finest_shown(page_key: str, data: Data, chosen: Filters, asked: tuple[date | None, date | None]) -> Granularity:
    lowest, highest = data.first_day or date.min, data.last_day or date.max
    inside = [None if day is None else min(max(day, lowest), highest) for day in asked]  # a link may ask 9999
    for by in _FINER:
        first, last = default_period(page_key, data, by)
        start, end = snap_range(inside[0] or first, inside[1] or last, by)
        if start and end and start > end:  # one end asked for, beyond the default other end (as ``_whole_period``)
            start, end = snap_range(inside[0] or end, inside[1] or start, by)
        if hidden_share(data, chosen.with_(by=by, start=start, end=end)) < MOSTLY_SHOWN:
            return by
    return "year"


def _assert_widget(key: str, value: object) -> None:
    st.session_state[key] = value


def set_filters(**changes: object) -> bool:
    """Change filters from a page (e.g. a click on a chart); True if anything changed.

    The caller reruns (``st.rerun()``): the filter bar and the URL then show
    the new selection. Setting ``start``/``end`` fixes the period for every page.
    """
    store = _store()
    before: Filters = store["filters"]
    after = before.with_(**changes)
    if after == before:
        return False
    store["filters"] = after
    if "start" in changes or "end" in changes:
        store["asked"] = (after.start, after.end)
        store["period_set"] = True
    return True


def _on_lang() -> None:
    _store()["lang"] = "en" if st.session_state[LANG_WIDGET] else "fr"


def _on_period() -> None:
    store = _store()
    start, end = st.session_state["w_from"], st.session_state["w_to"]
    if start and end and start > end:
        start, end = end, start
    store["filters"] = store["filters"].with_(start=start, end=end)
    store["asked"] = (start, end)
    store["period_set"] = True


def _on_field(field: str) -> None:
    store = _store()
    value = st.session_state[f"w_{field}"]
    store["filters"] = store["filters"].with_(**{field: value if field == "by" else tuple(sorted(value))})
    if field == "by":
        store["by_set"] = True


def chart_key(name: str) -> str:
    """The key of a chart that can be clicked: a new one after each click and each reset, so that Streamlit forgets
    the chart's selection (a faded chart that filters nothing)."""
    return f"{name}_{_store().get('round', 0)}"


def forget_selections() -> None:
    """Every clickable chart drawn next gets a fresh key (``chart_key``), without its former selection."""
    store = _store()
    store["round"] = store.get("round", 0) + 1


def _on_reset() -> None:
    store = _store()
    forget_selections()
    store["filters"] = Filters()
    store["asked"] = (None, None)
    store["period_set"] = False
    store["by_set"] = False


def language_switch() -> str:
    """The FR/EN switch at the top of the sidebar; returns the language of this run."""
    store = _store()
    _assert_widget(LANG_WIDGET, store["lang"] == "en")
    st.sidebar.toggle(t("lang.switch", store["lang"]), key=LANG_WIDGET, help=t("lang.help", store["lang"]), on_change=_on_lang)
    return store["lang"]


def _options(field: str, data: Data, lang: str) -> tuple[list[str], dict[str, str]]:
    if field == "structures":
        names = structure_names(data.structures)
        return sorted(names, key=lambda sid: (names[sid].lower(), sid)), names
    if field == "age_bands":
        return list(AGE_BANDS), label_map("AGE_BAND", lang, data.labels)
    labels = label_map(_LIST_FIELDS[field] or "", lang, data.labels)
    return list(labels), labels


def _whole_period(store: dict, filters: Filters, default: tuple[date, date]) -> tuple[Filters, date, date, bool]:
    """On whole periods of ``filters.by``: the filters to store (the dates asked for, or none),
    the page's range (the default where none was asked) and whether the dates asked for were widened."""
    asked: tuple[date | None, date | None] = store["asked"] if store["period_set"] else (None, None)
    chosen = filters.with_(start=asked[0], end=asked[1]).snapped()
    start, end = snap_range(chosen.start or default[0], chosen.end or default[1], filters.by)
    if start and end and start > end:  # one end asked for, beyond the default other end: that end's whole period
        start, end = snap_range(chosen.start or end, chosen.end or start, filters.by)
    widened = any(day is not None and day != whole for day, whole in zip(asked, (chosen.start, chosen.end), strict=True))
    return chosen, start or default[0], end or default[1], widened


def _clamp_asked(store: dict, data: Data, default: tuple[date, date], by: Granularity) -> None:
    """Bring the dates asked for back into the data's range (or the default period's, if wider), on whole periods.

    A link may ask for any date (``?to=9999-12-31``, ``?from=0001-01-01``): beyond the data there is nothing to
    show, and near the ends of the calendar the whole periods or the previous range could not even be written.
    """
    lowest = period_bounds(min(d for d in (data.first_day, default[0]) if d), by)[0]
    highest = period_bounds(max(d for d in (data.last_day, default[1]) if d), by)[1]

    def clamped(day: date | None, after_last: date, before_first: date) -> date | None:
        # A date inside the range stays as asked (the granularity may change later: whole periods follow it).
        return day if day is None or lowest <= day <= highest else after_last if day > highest else before_first

    # A start beyond the last period opens on the last period, an end before the first on the first.
    start, end = store["asked"]
    store["asked"] = (clamped(start, period_bounds(highest, by)[0], lowest),
                      clamped(end, highest, period_bounds(lowest, by)[1]))


def _label_of(labels: dict[str, str]) -> Callable[[str], str]:
    """A select widget's ``format_func``: the code's label, the code itself when it has none."""
    return lambda code: labels.get(code, code)


_WIDENED = {"month": "filters.snapped.month", "quarter": "filters.snapped.quarter", "year": "filters.snapped.year"}


def filter_bar(page_key: str, data: Data, lang: str) -> Filters:
    """Draw the filters in the sidebar and return the page's effective filters (dates always set, on whole periods)."""
    store = _store()
    filters: Filters = store["filters"]
    if not store["by_set"]:
        asked = store["asked"] if store["period_set"] else (None, None)
        filters = filters.with_(by=default_granularity(page_key, data, filters, asked))
    default_start, default_end = default_period(page_key, data, filters.by)
    _clamp_asked(store, data, (default_start, default_end), filters.by)
    filters, start, end, widened = _whole_period(store, filters, (default_start, default_end))
    bar = st.sidebar
    bar.header(t("filters.header", lang))

    lowest = min(d for d in (data.first_day, start, default_start) if d)
    highest = max(d for d in (data.last_day, end, default_end) if d)
    _assert_widget("w_from", start)
    _assert_widget("w_to", end)
    bar.date_input(t("filters.from", lang), key="w_from", min_value=lowest, max_value=highest,
                   format="DD/MM/YYYY", on_change=_on_period)
    bar.date_input(t("filters.to", lang), key="w_to", min_value=lowest, max_value=highest,
                   format="DD/MM/YYYY", on_change=_on_period)

    _assert_widget("w_by", filters.by)
    bar.selectbox(t("filters.by", lang), GRANULARITIES, key="w_by", format_func=lambda g: t(f"filters.by.{g}", lang),
                  on_change=_on_field, args=("by",))
    if widened:
        bar.caption(t(_WIDENED[filters.by], lang, start=fmt_date(start, lang), end=fmt_date(end, lang)))

    narrowed = False
    for field in _LIST_FIELDS:
        options, labels = _options(field, data, lang)
        known = tuple(v for v in getattr(filters, field) if v in labels)  # unknown codes in a link are dropped
        # One value per filter (or all): unions of values could be differenced and averaged (see disclosure).
        narrowed |= len(known) > 1
        known = known[:1]
        filters = filters.with_(**{field: known})
        _assert_widget(f"w_{field}", list(known))
        bar.multiselect(
            t(f"filters.{field}", lang), options, key=f"w_{field}", max_selections=1,
            format_func=_label_of(labels),
            placeholder=t(f"filters.all.{field}", lang), on_change=_on_field, args=(field,),
            # No "Select all" (English, and pointless with one value); typing "SPIP" and Enter picks SPIP only
            # ("fuzzy" matching would select SPIP and "Santé", "Select 2 matches").
            select_all=False, filter_mode="contains",
        )
    if narrowed:
        bar.caption(t("filters.one_value", lang))

    store["filters"] = filters
    bar.button(t("filters.reset", lang), key="w_reset", on_click=_on_reset)
    bar.caption(t("filters.link", lang))
    _write_url(filters, store["lang"], store["by_set"])
    return filters.with_(start=start, end=end)


def _write_url(filters: Filters, lang: str, by_set: bool) -> None:
    wanted: dict[str, str | list[str]] = dict(filters.to_query())
    if by_set:  # a chosen granularity goes into the link even when it is the month
        wanted["by"] = filters.by
    else:
        wanted.pop("by", None)
    if lang != lang_of(get_setting("PARCOURS_LANG")):
        wanted["lang"] = lang
    current = {key: (values[0] if len(values) == 1 and not isinstance(wanted.get(key), list) else values)
               for key, values in _query_dict().items()}
    if current != wanted:
        st.query_params.from_dict(wanted)
