"""The report's sections after the key figures (referrals, needs, workshops, exits, avoided costs), from published figures only."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from dashboard.charts.base import reading_text
from dashboard.data import Data
from dashboard.disclosure import Protected, figures
from dashboard.filters import Filters, Granularity
from dashboard.formatting import NBSP, fmt_int, fmt_period, fmt_rate
from dashboard.i18n import label_map
from dashboard.report import charts
from dashboard.report.costs import UnitCost, avoided_costs
from dashboard.report.model import Costs, KeyFigure, Section
from dashboard.report.span import Span
from dashboard.report.stability import verdict
from dashboard.report.words import DYNAMIC_EMPLOYMENT, W, _cell
from models.reference import codes


class _Figures:
    """Published figures for the report's filters (one gate: ``figures(..., published=True)``)."""

    def __init__(self, data: Data, filters: Filters) -> None:
        self.data = data
        self.filters = filters

    def get(self, metric: str, start: date, end: date, by: Granularity) -> Protected:
        return figures(metric, self.data, self.filters.with_(start=start, end=end, by=by), published=True)


def _total_row(p: Protected, column: str, code: str = "TOTAL") -> int | None:
    if column not in p.table.columns:
        return None
    rows = [i for i, value in enumerate(p.table[column].to_list()) if value == code]
    return rows[0] if rows else None


def _value(p: Protected, column: str, row: int | None) -> float | None:
    if row is None or p.too_small:
        return None
    reading, _ = p.reading(column, row)
    value = p.table[column][row]
    return None if reading is not None or value is None else float(value)


def _series(p: Protected, key: str | None, code: str | None, column: str, periods: Sequence[str]) -> tuple[float | None, ...]:
    """One published value per period (None when hidden or absent)."""
    if p.too_small or p.table.is_empty():
        return tuple(None for _ in periods)
    values: dict[str, float | None] = {}
    for i, period in enumerate(p.table["period"].to_list()):
        if key is not None and p.table[key][i] != code:
            continue
        values[period] = _value(p, column, i)
    return tuple(values.get(period) for period in periods)


def _period_labels(span: Span, by: Granularity) -> tuple[str, ...]:
    from dashboard.periods import label_of, period_bounds

    labels, day = [], span.start
    while day <= span.end:
        labels.append(label_of(day, by))
        day = period_bounds(day, by)[1] + timedelta(days=1)
    return tuple(labels)


def _short_labels(labels: Sequence[str], lang: str) -> list[str]:
    """Period labels for an axis: without the year when they all share it (it is in the report's period)."""
    shown = [fmt_period(x, lang) for x in labels]
    years = {x[:4] for x in labels}
    if len(years) == 1:
        year = next(iter(years))
        shown = [x.replace(f" {year}", "") for x in shown]
    return shown



def _codes_labels(data: Data, code_list: str, lang: str) -> dict[str, str]:
    names = label_map(code_list, lang, data.labels)
    names.setdefault("INCONNU", "Non renseigné" if lang == "fr" else "Not recorded")
    names.setdefault("TOTAL", "Total")
    return names


def _referrals(f: _Figures, span: Span, compare: Span, lang: str, k: int) -> Section:
    words = W[lang]
    names = _codes_labels(f.data, "SOURCE", lang)
    by = span.whole_by
    now = f.get("referrals-by-source", span.start, span.end, by)
    before = f.get("referrals-by-source", compare.start, compare.end, compare_by(compare))
    # five years of shares, ending with the report's period
    five = f.get("referrals-by-source", date(span.end.year - 4, 1, 1), span.end, "year")
    several = now.table["period"].n_unique() > 1 if not now.too_small else False
    rows, headings = [], [words["h_source"], words["h_referrals"], words["h_share"], words["h_acceptance"], words["h_delay"]]
    if several:
        headings.insert(0, words["h_period_col"])
    totals: dict[str, float | None] = {}
    if not now.too_small:
        for i, period in enumerate(now.table["period"].to_list()):
            if now.table["source"][i] == "TOTAL":
                totals[period] = _value(now, "referrals", i)
        order = sorted(range(now.table.height), key=lambda i: (now.table["period"][i], now.table["source"][i] == "TOTAL",
                                                                -(_value(now, "referrals", i) or 0)))
        for i in order:
            source, period = now.table["source"][i], now.table["period"][i]
            count = _value(now, "referrals", i)
            total = totals.get(period)
            share = fmt_rate(count / total, lang) if count is not None and total and source != "TOTAL" else "–"
            row = [names.get(source, source), _cell(now, "referrals", i, lang), share,
                   _cell(now, "acceptance_rate", i, lang), _cell(now, "median_days_to_decision", i, lang)]
            if several:
                row.insert(0, fmt_period(period, lang))
            rows.append(tuple(row))
    t_now, t_before = _total_row(now, "source"), _total_row(before, "source")
    rate, rate_prev = _value(now, "acceptance_rate", t_now), _value(before, "acceptance_rate", t_before)
    decided = (_value(now, "accepted", t_now) or 0) + (_value(now, "refused", t_now) or 0)
    decided_prev = (_value(before, "accepted", t_before) or 0) + (_value(before, "refused", t_before) or 0)
    rate_verdict = verdict(rate, rate_prev, is_rate=True, n=decided or None, n_previous=decided_prev or None)
    visible = [(now.table["source"][i], _value(now, "referrals", i)) for i in range(now.table.height)
               if not now.too_small and now.table["source"][i] != "TOTAL" and _value(now, "referrals", i) is not None]
    visible_total = sum(v for _, v in visible if v)
    top = max(visible, key=lambda x: x[1] or 0) if visible else None
    total_text = _cell(now, "referrals", t_now, lang) if t_now is not None else "–"
    paragraph = words["ref_para"].format(
        referrals=total_text, top=names.get(top[0], top[0]) if top else "–",
        top_share=fmt_rate(top[1] / visible_total, lang) if top and top[1] is not None and visible_total else "–",
        rate=_rate_or_hidden(now, "acceptance_rate", t_now, lang), rate_verdict=words[rate_verdict],
        rate_prev=_rate_or_hidden(before, "acceptance_rate", t_before, lang),
        delay=_cell(now, "median_days_to_decision", t_now, lang) if t_now is not None else "–",
        delay_prev=_cell(before, "median_days_to_decision", t_before, lang) if t_before is not None else "–",
    )
    chart = charts.source_shares(five, names, words["ref_shares_title"], lang)
    sentences = tuple(s.strip() + ("" if s.strip().endswith(".") else ".") for s in paragraph.split(". ")[:3])
    return Section(key="referrals", title=words["s_referrals"], paragraph=paragraph, sentences=sentences,
                   charts=tuple(c for c in (chart,) if c is not None),
                   tables=((words["ref_table"], tuple(headings), tuple(rows)),))


def compare_by(span: Span) -> Granularity:
    return span.whole_by


def _rate_or_hidden(p: Protected, column: str, row: int | None, lang: str) -> str:
    return "–" if row is None or p.too_small else _cell(p, column, row, lang)


def _needs(f: _Figures, span: Span, compare: Span, lang: str, k: int) -> Section:
    words = W[lang]
    by = span.whole_by
    kinds = _codes_labels(f.data, "KIND", lang)
    pillars = _codes_labels(f.data, "PILLAR", lang)
    domains = _codes_labels(f.data, "DOMAINE", lang)
    series_by = span.series_by
    labels = _period_labels(span, series_by)
    by_kind = f.get("needs-by-kind", span.start, span.end, series_by)
    kind_now = f.get("needs-by-kind", span.start, span.end, by)
    kind_series = {code: _series(by_kind, "kind", code, "share_in_need", labels) for code in ("PRATIQUE", "STRATEGIQUE")}
    chart_kind = charts.lines({kinds[c]: s for c, s in kind_series.items()}, _short_labels(labels, lang),
                              words["needs_kind_title"], lang, percent=True)
    pillar_now = f.get("needs-by-pillar", span.start, span.end, by)
    pillar_before = f.get("needs-by-pillar", compare.start, compare.end, compare_by(compare))
    rows = []
    best = None
    if not pillar_now.too_small:
        order = {c: i for i, c in enumerate(codes("PILLAR"))} if _has_list("PILLAR") else {}
        for i in sorted(range(pillar_now.table.height), key=lambda i: (pillar_now.table["period"][i],
                                                                        order.get(pillar_now.table["pillar"][i], 99))):
            code = pillar_now.table["pillar"][i]
            j = _total_row(pillar_before, "pillar", code)
            share = _value(pillar_now, "share_in_need", i)
            if share is not None and (best is None or share > best[1]):
                best = (code, share)
            rows.append((pillars.get(code, code), _cell(pillar_now, "persons_assessed", i, lang),
                         _cell(pillar_now, "persons_in_need", i, lang), _cell(pillar_now, "share_in_need", i, lang),
                         _rate_or_hidden(pillar_before, "share_in_need", j, lang),
                         _cell(pillar_now, "mean_level", i, lang)))
    distance = f.get("distance-travelled", span.start, span.end, by)
    d_rows, top_domain = [], None
    if not distance.too_small:
        for i in sorted(range(distance.table.height), key=lambda i: -(_value(distance, "share_improved", i) or -1)):
            code = distance.table["domain"][i]
            share = _value(distance, "share_improved", i)
            if share is not None and top_domain is None:
                top_domain = (code, share)
            d_rows.append((domains.get(code, code), _cell(distance, "persons", i, lang), _cell(distance, "improved", i, lang),
                           _cell(distance, "share_improved", i, lang), _cell(distance, "worsened", i, lang),
                           _cell(distance, "mean_change", i, lang)))
    chart_distance = charts.distance(distance, domains, words, lang)
    kinds_text = ", ".join(
        f"{kinds[c].lower() if lang == 'fr' else kinds[c]} "
        f"{_rate_or_hidden(kind_now, 'share_in_need', _total_row(kind_now, 'kind', c), lang)}"
        for c in ("PRATIQUE", "STRATEGIQUE"))
    # "improved in at least one domain" is not published: the paragraph cites the domain figures only
    improved = _domain_range(distance, lang)
    paragraph = words["needs_para"].format(
        kinds=kinds_text, top_pillar=(pillars.get(best[0], best[0]).lower() if lang == "fr" else pillars.get(best[0], best[0]))
        if best else "–", top_share=fmt_rate(best[1], lang) if best else "–", improved=improved,
        top_domain=(domains.get(top_domain[0], top_domain[0]).lower() if lang == "fr" else domains.get(top_domain[0], top_domain[0]))
        if top_domain else "–", top_domain_share=fmt_rate(top_domain[1], lang) if top_domain else "–")
    sentences = tuple(s.strip() + ("" if s.strip().endswith(".") else ".") for s in paragraph.split(". ")[:3])
    tables = ((words["needs_pillar_table"], (words["h_pillar"], words["h_assessed"], words["h_in_need"],
                                             words["h_share_need"], words["h_share_prev"], words["h_mean"]), tuple(rows)),
              (words["distance_table"], (words["h_domain"], words["h_persons"], words["h_improved"], words["h_share"],
                                         words["h_worsened"], words["h_mean_change"]), tuple(d_rows)))
    return Section(key="needs", title=words["s_needs"], paragraph=paragraph, sentences=sentences,
                   charts=tuple(c for c in (chart_kind, chart_distance) if c is not None), tables=tables)


def _has_list(code_list: str) -> bool:
    try:
        return bool(codes(code_list))
    except Exception:  # noqa: BLE001  (label-only lists may not be in the reference codes)
        return False


def _domain_range(distance: Protected, lang: str) -> str:
    """"de 22 % à 28 %": the range of the published shares of persons improved, per domain."""
    shares = [s for s in (_value(distance, "share_improved", i) for i in range(distance.table.height)) if s is not None] \
        if not distance.too_small else []
    if not shares:
        return "–"
    low, high = min(shares), max(shares)
    if low == high:
        return fmt_rate(low, lang)
    return (f"de {fmt_rate(low, lang)} à {fmt_rate(high, lang)}" if lang == "fr"
            else f"from {fmt_rate(low, lang)} to {fmt_rate(high, lang)}")


def _workshops(f: _Figures, span: Span, lang: str, keyfigs: Sequence[KeyFigure], k: int) -> Section:
    words = W[lang]
    by = span.whole_by
    key = {x.figure: x for x in keyfigs}
    cats = _codes_labels(f.data, "CATEGORIE_ATELIER", lang)
    by_cat = f.get("workshop-by-category", span.start, span.end, by)
    chart_cat = charts.category_bars(by_cat, cats, words["work_cat_title"], lang)
    cohort_by = span.cohort_by
    cohorts = f.get("workshop-cohorts", span.start, span.end, cohort_by)
    offsets = sorted(set(cohorts.table["offset"].to_list())) if not cohorts.too_small and cohorts.table.height else []
    offsets = [o for o in offsets if o > 0][:4]
    c_rows, retention_text = [], words["retention_none"]
    if offsets:
        for cohort in sorted(set(cohorts.table["cohort"].to_list())):
            idx = [i for i in range(cohorts.table.height) if cohorts.table["cohort"][i] == cohort]
            size_row = next((i for i in idx if cohorts.table["offset"][i] == 0), idx[0])
            cells = []
            for o in offsets:
                i = next((i for i in idx if cohorts.table["offset"][i] == o), None)
                cells.append("–" if i is None else _cell(cohorts, "retention", i, lang))
            c_rows.append((fmt_period(cohort, lang), _cell(cohorts, "cohort_size", size_row, lang), *cells))
        first = [i for i in range(cohorts.table.height) if cohorts.table["offset"][i] == 1
                 and _value(cohorts, "retention", i) is not None]
        if first:
            i = first[0]
            retention_text = words["retention"].format(cohort=fmt_period(cohorts.table["cohort"][i], lang),
                                                      share=fmt_rate(_value(cohorts, "retention", i), lang))
    co = f.get("workshop-by-co-construction", span.start, span.end, by)
    fac = f.get("workshop-by-facilitator", span.start, span.end, by)
    co_names = _codes_labels(f.data, "CO_CONSTRUIT", lang)
    fac_names = _codes_labels(f.data, "INTERVENANT", lang)

    def small_table(p: Protected, column: str, names: dict[str, str]) -> tuple[tuple[str, ...], ...]:
        if p.too_small:
            return ()
        return tuple((names.get(p.table[column][i], p.table[column][i]), _cell(p, "sessions", i, lang),
                      _cell(p, "persons", i, lang), _cell(p, "presences", i, lang), _cell(p, "attendance_rate", i, lang),
                      _cell(p, "mean_persons_per_session", i, lang)) for i in range(p.table.height))

    yes, no = _total_row(co, "co_constructed", "OUI"), _total_row(co, "co_constructed", "NON")
    ext = _total_row(fac, "facilitator", "EXTERNE")
    participants, attendance = key.get("workshop_participants"), key.get("attendance_rate")
    paragraph = words["work_para"].format(
        participants=participants.text_value if participants else "–",
        participants_verdict=participants.text_verdict if participants else "–",
        attendance=attendance.text_value if attendance else "–",
        attendance_verdict=attendance.text_verdict if attendance else "–", retention=retention_text,
        co_persons=_rate_or_hidden(co, "persons", yes, lang), co_rate=_rate_or_hidden(co, "attendance_rate", yes, lang),
        non_co_rate=_rate_or_hidden(co, "attendance_rate", no, lang),
        ext_sessions=_rate_or_hidden(fac, "sessions", ext, lang))
    head = (words["h_sessions"], words["h_persons"], words["h_presences"], words["h_attendance"], words["h_per_session"])
    offset_heads = tuple(f"+{o}" for o in offsets)
    tables = []
    if c_rows:
        tables.append((words["work_cohorts"], (words["h_cohort"], words["h_size"], *offset_heads), tuple(c_rows)))
    tables.append((words["work_co"], (words["h_co"], *head), small_table(co, "co_constructed", co_names)))
    tables.append((words["work_fac"], (words["h_facilitator"], *head), small_table(fac, "facilitator", fac_names)))
    sentences = tuple(s.strip() + ("" if s.strip().endswith(".") else ".") for s in paragraph.split(". ")[:3])
    return Section(key="workshops", title=words["s_workshops"], paragraph=paragraph, sentences=sentences,
                   charts=tuple(c for c in (chart_cat,) if c is not None), tables=tuple(tables))


def _exits(f: _Figures, span: Span, compare: Span, lang: str, keyfigs: Sequence[KeyFigure],
           k: int) -> tuple[Section, Protected, Protected]:
    words = W[lang]
    by = span.whole_by
    key = {x.figure: x for x in keyfigs}
    programs = _codes_labels(f.data, "DISPOSITIF", lang)
    dests = _codes_labels(f.data, "LOGEMENT_SORTIE", lang)
    now = f.get("exits", span.start, span.end, by)
    several = not now.too_small and now.table["period"].n_unique() > 1
    rows = []
    if not now.too_small:
        order = sorted(range(now.table.height), key=lambda i: (now.table["period"][i], now.table["program"][i] == "TOTAL",
                                                                -(_value(now, "exits", i) or 0)))
        for i in order:
            row = [programs.get(now.table["program"][i], now.table["program"][i]), _cell(now, "exits", i, lang),
                   _cell(now, "housing_positive_rate", i, lang), _cell(now, "dynamic_exit_rate", i, lang),
                   _cell(now, "median_stay_days", i, lang)]
            if several:
                row.insert(0, fmt_period(now.table["period"][i], lang))
            rows.append(tuple(row))
    headings = [words["h_program"], words["h_exits"], words["h_housing"], words["h_dynamic"], words["h_stay"]]
    if several:
        headings.insert(0, words["h_period_col"])
    housing = f.get("exits-by-housing", span.start, span.end, by)
    chart = charts.destination_bars(housing, dests, words["exits_dest_title"], lang)
    employment = f.get("exits-by-employment", span.start, span.end, by)
    total = _total_row(now, "program")
    xs, hr, dr = key.get("exits"), key.get("housing_positive_rate"), key.get("dynamic_exit_rate")
    paragraph = words["exits_para"].format(
        exits=xs.text_value if xs else "–", exits_verdict=xs.text_verdict if xs else "–",
        housing=hr.text_value if hr else "–", housing_verdict=hr.text_verdict if hr else "–",
        housing_prev=hr.text_previous if hr else "–", dynamic=dr.text_value if dr else "–",
        dynamic_verdict=dr.text_verdict if dr else "–", dynamic_prev=dr.text_previous if dr else "–",
        stay=_rate_or_hidden(now, "median_stay_days", total, lang) if not several else "–")
    sentences = tuple(s.strip() + ("" if s.strip().endswith(".") else ".") for s in paragraph.split(". ")[:3])
    section = Section(key="exits", title=words["s_exits"], paragraph=paragraph, sentences=sentences,
                      charts=tuple(c for c in (chart,) if c is not None),
                      tables=((words["exits_table"], tuple(headings), tuple(rows)),))
    return section, now, employment


def _summed(p: Protected, key: str, keep: Sequence[str], column: str, lang: str, k: int) -> tuple[float | None, str]:
    """The sum of published cells of rows whose ``key`` is in ``keep``; None (hidden) when any of them is hidden."""
    if p.too_small:
        return None, "–"
    total, seen = 0.0, False
    for i in range(p.table.height):
        if p.table[key][i] in keep:
            value = _value(p, column, i)
            reading, _ = p.reading(column, i)
            if reading is not None:
                return None, (reading_text(reading, k, lang) or "–").replace(" ", NBSP)
            total += value or 0
            seen = True
    return (total, fmt_int(total, lang)) if seen else (0.0, fmt_int(0, lang))


def _costs(exits: Protected, employment: Protected, lang: str, k: int, unit_costs: dict[str, UnitCost] | None,
           file_name: str | None) -> Costs:
    counts = {
        "housing_exit": _summed(exits, "program", ["TOTAL"], "housing_positive", lang, k),
        "employment_exit": _summed(employment, "situation", list(DYNAMIC_EMPLOYMENT), "exits", lang, k),
    }
    return avoided_costs(counts, lang, k, unit_costs, file_name)
