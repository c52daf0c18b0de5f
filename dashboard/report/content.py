"""The board report's content, built from published figures only (``figures(..., published=True)``).

Every number in the report is a cell of a published table (perturbed in
protected mode, hidden under the published threshold k) or a sum of
published cells; nothing is read from rows. Hidden cells read "< k" or
"masqué" and are never estimated.


The words live in ``dashboard.report.words``, the stability rule in
``dashboard.report.stability``, the period in ``dashboard.report.span`` and
the sections in ``dashboard.report.sections``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from typing import Any

from dashboard.data import Data
from dashboard.definitions import VERSION
from dashboard.disclosure import disclosure_mode, thresholds
from dashboard.filters import Filters, Granularity
from dashboard.formatting import NBSP, fmt_decimal, fmt_period, fmt_points
from dashboard.report.costs import UnitCost
from dashboard.report.model import Footer, KeyFigure, Report, Section
from dashboard.report.sections import _costs, _exits, _Figures, _needs, _period_labels, _referrals, _total_row, _value, _workshops
from dashboard.report.span import Span, default_compare, parse_period
from dashboard.report.stability import perturbation_variance, verdict
from dashboard.report.words import (
    COUNT_RULE,
    RATE_RULE,
    RATES,
    ReportError,
    W,
    _count_text,
    _label,
    _rate_text,
    _signed_int,
    _signed_percent,
    date_words,
    range_words,
)


def _structures_text(data: Data, filters: Filters, lang: str) -> str:
    names = dict(zip(data.structures["structure_id"].to_list(), data.structures["name"].to_list(), strict=True))
    if filters.structures:
        return ", ".join(names.get(s, s) for s in filters.structures)
    if len(names) == 1:
        return next(iter(names.values()))
    return W[lang]["network"].format(n=len(names))


def _footer(data: Data, lang: str) -> Footer:
    mode = disclosure_mode()
    loads = data.loads
    number = load_day = None
    if loads.height:
        last = loads.sort("id").row(-1, named=True)
        number = int(last["id"])
        finished = last.get("finished_at") or last.get("started_at")
        load_day = finished.date() if finished is not None and hasattr(finished, "date") else None
    words = W[lang]
    mode_text = words[f"mode_{mode}"]
    text = (words["footer"].format(version=VERSION, load=number, load_date=date_words(load_day, lang) if load_day else "–",
                                   mode=mode_text)
            if number is not None else words["footer_noload"].format(version=VERSION, mode=mode_text))
    return Footer(definitions_version=VERSION, load_number=number, load_date=load_day, disclosure_mode=mode, text=text)


def _overview_series(f: _Figures, span: Span, by: Granularity,
                     labels: Sequence[str]) -> dict[str, tuple[float | None, ...]]:
    """Each key figure per period of the span (the overview of each month or quarter, published): the sparklines."""
    from dashboard.periods import period_bounds

    values: dict[str, list[float | None]] = {}
    day = span.start
    for index, _ in enumerate(labels):
        first, last = period_bounds(day, by)
        p = f.get("overview", first, last, "month")
        for i, name in enumerate([] if p.too_small else p.table["figure"].to_list()):
            values.setdefault(name, [None] * len(labels))[index] = _value(p, "value", i)
        day = last + timedelta(days=1)
    return {name: tuple(v) for name, v in values.items()}


def _key_figures(f: _Figures, span: Span, compare: Span, lang: str, k: int, variance: float) -> tuple[KeyFigure, ...]:
    words = W[lang]
    main = f.get("overview", span.start, span.end, "month")
    default = compare == default_compare(span)
    other = f.get("overview", compare.start, compare.end, "month")
    by = span.series_by
    labels = _period_labels(span, by)
    series = _overview_series(f, span, by, labels)
    out = []
    for i, name in enumerate(main.table["figure"].to_list() if not main.too_small else []):
        is_rate = name in RATES
        value = _value(main, "value", i)
        j = _total_row(other, "figure", name)
        previous = _value(main, "previous", i) if default else _value(other, "value", j)
        n = _value(main, "n", i)
        n_prev = _value(other, "n", j)
        change = None if value is None or previous is None else round(value - previous, 2 if is_rate else 0)
        if default and change is not None and _value(main, "change", i) is not None:
            change = _value(main, "change", i)
        change_percent = (change / previous) if change is not None and previous else None
        v = verdict(value, previous, is_rate=is_rate, n=n, n_previous=n_prev, variance=variance)
        fmt = _rate_text if is_rate else _count_text
        reading_value, _ = main.reading("value", i)
        reading_previous = main.reading("previous", i)[0] if default else (other.reading("value", j)[0] if j is not None else None)
        text_change = "–" if change is None else (fmt_points(change, lang) if is_rate else _signed_int(change, lang))
        if is_rate and change is not None and lang == "fr":
            text_change = text_change.replace(f"{NBSP}pt", f"{NBSP}pt" if abs(change) <= 0.015 else f"{NBSP}pts")
        out.append(KeyFigure(
            figure=name, label=_label(name, lang), is_rate=is_rate, value=value, previous=previous, change=change,
            change_percent=None if is_rate else change_percent, verdict=v,
            text_value=fmt(value, reading_value, k, lang), text_previous=fmt(previous, reading_previous, k, lang),
            text_change=text_change,
            text_change_percent="–" if is_rate or change_percent is None else _signed_percent(change_percent, lang),
            series=series.get(name, ()), series_labels=tuple(fmt_period(x, lang) for x in labels) if name in series else (),
            text_verdict=words[v],
        ))
    return tuple(out)


def _key_paragraph(figs: Sequence[KeyFigure], lang: str) -> tuple[str, tuple[str, ...]]:
    words = W[lang]
    moved = [words["moved"].format(label=x.label, verdict=words[x.verdict], value=x.text_value, previous=x.text_previous,
                                   change=x.text_change) for x in figs if x.verdict in ("up", "down", "new")]
    kept = [x.label.lower() if lang == "fr" else x.label for x in figs if x.verdict == "stable"]
    hidden = [x.label for x in figs if x.verdict == "hidden"]
    moved_text = "; ".join(moved) if moved else words["key_none_moved"]
    kept_text = (words["key_kept_intro"] + ", ".join(kept)) if kept else words["key_all_moved"]
    hidden_text = words["key_hidden"].format(items=", ".join(hidden)) if hidden else ""
    paragraph = f"{moved_text}. {kept_text}. {hidden_text}".strip()
    sentences = tuple(s for s in (moved[0] + "." if moved else words["key_none_moved"] + ".",
                                  kept_text + ".", hidden_text) if s)
    return paragraph, sentences[:3]



def build_report(data: Data, filters: Filters, compare: Span | Filters | tuple[date, date] | None = None,
                 lang: str = "fr", *, unit_costs: dict[str, UnitCost] | None = None,
                 costs_file: str | None = None, on_chart: Callable[[Any], None] | None = None) -> Report:
    """The report for ``filters`` (its ``start``..``end`` is the period; structures and person filters apply to
    every figure), compared with ``compare`` (default: the previous period of equal length).

    ``on_chart`` is called with each chart as soon as its section is built (``dashboard.report.pdf.ChartExports``
    starts exporting it while the next sections are computed)."""
    lang = lang if lang in W else "fr"
    if filters.start is None or filters.end is None:
        last = data.last_day
        if last is None:
            raise ReportError("aucune donnée chargée" if lang == "fr" else "no data loaded")
        filters = filters.with_(start=date(last.year - 1, 1, 1), end=date(last.year - 1, 12, 31)) if filters.start is None \
            else filters.with_(end=last)
    snapped = filters.with_(by="month").snapped()
    span = Span(snapped.start, snapped.end)  # type: ignore[arg-type]
    if isinstance(compare, Filters):
        whole = compare.with_(by="month").snapped()
        compare = Span(whole.start or span.start, whole.end or span.end)
    elif isinstance(compare, tuple):
        compare = Span(*compare)
    compare = compare or default_compare(span)
    words = W[lang]
    k = thresholds(True)[0]
    variance = perturbation_variance()
    f = _Figures(data, snapped)
    last_day = data.last_day
    if last_day is None or span.start > last_day:
        raise ReportError(words["after_data"].format(last=date_words(last_day, lang) if last_day else "–"))
    # the needs figures (the slowest to compute cold) in a second thread: polars releases the GIL while it works,
    # and the metric caches are shared under a lock (``PerSnapshot``)
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="report-needs")
    needs_future = pool.submit(_needs, f, span, compare, lang, k)
    pool.shutdown(wait=False)
    keyfigs = _key_figures(f, span, compare, lang, k, variance)
    rule = words["rule"].format(v=fmt_decimal(variance, lang, 1), count_rule=COUNT_RULE, rate_rule=RATE_RULE,
                                exact=words["exact_v"] if disclosure_mode() == "exact" else "")
    notes = [words["k_note"].format(k=k), rule]
    if span.end > last_day:
        notes.insert(0, words["cut"].format(last=date_words(last_day, lang)))
    header = {
        "lang": lang, "title": words["title"], "structures": _structures_text(data, filters, lang),
        "period": range_words(span.start, span.end, lang), "footer": _footer(data, lang), "k": k,
        "compared_with": words["compared"].format(period=range_words(compare.start, compare.end, lang)),
        "headings": (words["h_figure"], words["h_value"], words["h_previous"], words["h_change"], words["h_percent"],
                     words["h_verdict"], words["h_trend"]),
    }
    if not keyfigs:  # a selection too small to publish anything: say so, and nothing else
        needs_future.cancel()
        message = words["too_small"].format(k=k)
        section = Section(key="key_figures", title=words["s_key"], paragraph=message, sentences=(message,))
        return Report(key_figures=(), sections=(section,), costs=None, notes=tuple(notes), **header)  # type: ignore[arg-type]
    key_paragraph, key_sentences = _key_paragraph(keyfigs, lang)
    key_section = Section(key="key_figures", title=words["s_key"], paragraph=key_paragraph, sentences=key_sentences)

    def built(section: Section) -> Section:
        if on_chart is not None:
            for chart in section.charts:
                on_chart(chart)
        return section

    referrals = built(_referrals(f, span, compare, lang, k))
    exits_section, exits_table, employment = _exits(f, span, compare, lang, keyfigs, k)
    built(exits_section)
    workshops = built(_workshops(f, span, lang, keyfigs, k))
    needs = built(needs_future.result())
    sections = (key_section, referrals, needs, workshops, exits_section)
    costs = _costs(exits_table, employment, lang, k, unit_costs, costs_file)
    return Report(key_figures=keyfigs, sections=sections, costs=costs, notes=tuple(notes), **header)  # type: ignore[arg-type]


__all__ = ["ReportError", "Span", "build_report", "date_words", "default_compare", "parse_period", "range_words",
           "verdict"]
