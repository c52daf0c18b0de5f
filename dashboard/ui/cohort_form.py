"""The cohort editors of the cohorts page, kept in the URL both ways (``c1_anchor=referral&c1_from=...``).

Each cohort is edited in its own column with widgets keyed ``c{i}_{field}``;
at the start of a session the cohorts are read from the URL (or default to
two cohorts that show what the page does), and every run writes them back,
so a link reopens the same comparison. Codes are picked from their labels,
one value or "any" per criterion, like the page filters.
"""

from datetime import date, timedelta

import streamlit as st

from dashboard.cohorts import ANCHORS, Cohort, CohortError
from dashboard.cohorts.definition import CRITERIA, KINDS, PILLARS, SESSION_STEPS
from dashboard.compare import MAX_COHORTS
from dashboard.data import Data
from dashboard.filters import AGE_BANDS
from dashboard.i18n import label_map, lang_of, structure_names, t
from models.settings import get_setting

_STORE = "_parcours_cohorts"
_COUNT = "_parcours_cohort_count"
_PERSON = ("sex", "age_band", "structure", "resources", "justice")
_NEEDS = ("need_domain", "need_kind", "need_pillar")
_BY_ANCHOR = {"referral": ("source", "decision"), "entry": ("program",), "workshop": ("category",)}


def _prefix(i: int) -> str:
    return f"c{i}_"


def defaults(data: Data) -> list[Cohort]:
    """Two cohorts of the year before the last year of data (mostly followed for a year): women and men referred
    that year."""
    year = ((data.last_day or date.today()) - timedelta(days=365)).year
    start, end = date(year, 1, 1), date(year, 12, 31)
    return [Cohort(name=f"F {year}", anchor="referral", start=start, end=end, sex="F"),
            Cohort(name=f"M {year}", anchor="referral", start=start, end=end, sex="M")]


def _from_url(data: Data) -> list[Cohort]:
    query = {key: st.query_params.get_all(key) for key in st.query_params}
    found = []
    for i in range(1, MAX_COHORTS + 1):
        cohort = Cohort.from_query(query, _prefix(i))
        if cohort is None:
            break
        found.append(cohort)
    return found if len(found) >= 2 else defaults(data)


ANY = ""
"""The "any" choice of a select (None would show Streamlit's empty placeholder instead of its label)."""


def _choices(field: str, data: Data, lang: str) -> dict[str, str]:
    """"" ("any") first, then code -> label."""
    listed, _ = CRITERIA[field]
    if field == "structure":
        labels = structure_names(data.structures)
    elif field == "age_band":
        labels = label_map("AGE_BAND", lang, data.labels) or {b: b for b in AGE_BANDS}
    elif field == "need_kind":
        labels = label_map("KIND", lang, data.labels) or {k: k for k in KINDS}
    elif field == "need_pillar":
        labels = label_map("PILLAR", lang, data.labels) or {p: p for p in PILLARS}
    else:
        labels = label_map(str(listed), lang, data.labels)
    return {ANY: t("cohorts.any", lang), **labels}


def _select(field: str, cohort: Cohort, i: int, data: Data, lang: str) -> str | None:
    options = _choices(field, data, lang)
    value = getattr(cohort, field)
    key = f"{_prefix(i)}{field}"
    if key not in st.session_state or st.session_state[key] not in options:
        st.session_state[key] = value if value in options else ANY
    chosen = st.selectbox(t(f"cohorts.{field}", lang), list(options), key=key, format_func=lambda v: options[v])
    return chosen or None


def _clamped(day: date | None, low: date | None, high: date | None) -> date | None:
    """A link's date brought into the data's range (year 1 or 9999 in a hand-edited link opens on the data)."""
    if day is None or low is None or high is None:
        return day
    return min(max(day, low), high)


def _editor(i: int, cohort: Cohort, data: Data, lang: str) -> Cohort:
    p = _prefix(i)
    low, high = data.first_day, data.last_day
    for field, value in (("name", cohort.name), ("anchor", cohort.anchor), ("start", _clamped(cohort.start, low, high)),
                         ("end", _clamped(cohort.end, low, high)), ("min_sessions", cohort.min_sessions),
                         ("qpv", ANY if cohort.priority_area is None else ("1" if cohort.priority_area else "0"))):
        st.session_state.setdefault(p + field, value)
    name = st.text_input(t("cohorts.name", lang), key=p + "name", max_chars=80)
    anchor = st.selectbox(t("cohorts.anchor", lang), list(ANCHORS), key=p + "anchor",
                          format_func=lambda a: t(f"cohorts.anchor.{a}", lang))
    left, right = st.columns(2)
    start = left.date_input(t("cohorts.from", lang), key=p + "start", min_value=low, max_value=high,
                            format="DD/MM/YYYY")
    end = right.date_input(t("cohorts.to", lang), key=p + "end", min_value=low, max_value=high, format="DD/MM/YYYY")
    values: dict[str, object] = {"name": name, "anchor": anchor, "start": start, "end": end}
    for field in _BY_ANCHOR[anchor]:
        values[field] = _select(field, cohort, i, data, lang)
    if anchor == "workshop":
        if st.session_state.get(p + "min_sessions") not in SESSION_STEPS:
            st.session_state[p + "min_sessions"] = 1
        values["min_sessions"] = st.selectbox(t("cohorts.min_sessions", lang), SESSION_STEPS, key=p + "min_sessions")
    with st.expander(t("cohorts.sex", lang) + ", " + t("cohorts.age_band", lang).lower() + "…"):
        for field in _PERSON:
            values[field] = _select(field, cohort, i, data, lang)
        qpv = {ANY: t("cohorts.any", lang), "1": t("cohorts.yes", lang), "0": t("cohorts.no", lang)}
        picked = st.selectbox(t("cohorts.qpv", lang), list(qpv), key=p + "qpv", format_func=lambda v: qpv[v],
                              help=t("cohorts.qpv_help", lang))
        values["priority_area"] = {"1": True, "0": False}.get(picked)
        for field in _NEEDS:
            values[field] = _select(field, cohort, i, data, lang)
    return Cohort(**values)  # type: ignore[arg-type]


def cohort_editors(data: Data, lang: str) -> list[Cohort]:
    """Draw the editors (2 to 4 columns) and return the valid cohorts; errors are shown, never raised."""
    if _STORE not in st.session_state:
        st.session_state[_STORE] = _from_url(data)
        st.session_state[_COUNT] = len(st.session_state[_STORE])
    start = st.session_state[_STORE]
    count = st.session_state[_COUNT]
    cohorts = []
    structures = data.structures["structure_id"].to_list()
    for i, column in enumerate(st.columns(count), start=1):
        with column:
            st.markdown(f"**{t('cohorts.cohort', lang, i=i)}**")
            seed = start[i - 1] if i <= len(start) else start[-1].with_(name="")
            cohort = _editor(i, seed, data, lang)
            try:
                cohorts.append(cohort.validated(structures))
            except CohortError as exc:
                st.error(t("cohorts.bad", lang, i=i, field=exc.field, value=str(exc.value)[:40]))
    st.caption(t("cohorts.months", lang))
    add, remove, _ = st.columns([1, 1, 3])
    if add.button(t("cohorts.add", lang), disabled=count >= MAX_COHORTS):
        st.session_state[_STORE] = cohorts + [cohorts[-1].with_(name="")] if cohorts else start
        st.session_state[_COUNT] = count + 1
        st.rerun()
    if remove.button(t("cohorts.remove", lang), disabled=count <= 2):
        st.session_state[_COUNT] = count - 1
        st.rerun()
    _write_url(cohorts, lang)
    return cohorts


def open_in(i: int, cohort: Cohort) -> None:
    """Put ``cohort`` in editor ``i`` (a saved cohort opened), then rerun."""
    stored = list(st.session_state[_STORE])
    while len(stored) < i:
        stored.append(cohort)
    stored[i - 1] = cohort
    st.session_state[_STORE] = stored
    for key in [k for k in st.session_state if str(k).startswith(_prefix(i))]:
        del st.session_state[key]
    st.rerun()


def _write_url(cohorts: list[Cohort], lang: str) -> None:
    wanted: dict[str, str] = {}
    for i, cohort in enumerate(cohorts, start=1):
        wanted.update(cohort.to_query(_prefix(i)))
    if lang != lang_of(get_setting("PARCOURS_LANG")):
        wanted["lang"] = lang
    current = {key: st.query_params.get(key) for key in st.query_params}
    if current != wanted:
        st.query_params.from_dict(wanted)
