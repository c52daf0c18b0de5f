"""Showing figures: tables, charts and the "too small / no data" guard.

Every cell on screen is a string in the reader's language: codes as labels,
numbers formatted (``1 234``, ``12 %``), periods as ``mars 2024``, hidden
cells as ``< k``. Downloads are the published version (see ``downloads``).
"""

import json
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import polars as pl
import streamlit as st

from dashboard.catalogue import CATALOGUE
from dashboard.disclosure import Protected, figures
from dashboard.formatting import fmt_decimal, fmt_int, fmt_period, fmt_points, fmt_rate, fmt_signed_int
from dashboard.i18n import has, label_codes, t
from dashboard.provenance import snapshot_files
from dashboard.ui.context import PageContext
from dashboard.ui.downloads import file_stem, table_file
from dashboard.ui.export import PublishedFigure, chart_title, png_button
from dashboard.ui.kpi import kpi_cards

_FORMATS = {"period": "period", "code": "text", "text": "text", "figure": "text", "index": "int", "persons": "int",
            "events": "int", "sessions": "int", "rate": "rate", "probability": "rate", "mean": "mean", "per_unit": "mean",
            "median": "median", "n": "int"}


def column_kind(metric: str, name: str, dtype: pl.DataType) -> str:
    """How a column is formatted (period, rate, mean, median, int, decimal or text), from its declared kind;
    a column nobody declared is read from its type."""
    figure = CATALOGUE.get(metric)
    kind = figure.kind(name) if figure else None
    if kind in _FORMATS:
        return _FORMATS[kind]
    if dtype.is_integer():
        return "int"
    if dtype.is_float():
        return "decimal"
    return "text"


def format_value(value: Any, kind: str, lang: str) -> str:
    if kind == "period":
        return fmt_period(value, lang)
    if kind == "rate":
        return fmt_rate(value, lang)
    if kind == "mean":
        return fmt_decimal(value, lang, 1)
    if kind == "median":
        return fmt_int(value, lang)
    if kind == "int":
        return fmt_int(value, lang)
    if kind == "decimal":
        return fmt_decimal(value, lang, 1)
    return "" if value is None else str(value)


def format_figure(figure: str, column: str, value: Any, lang: str) -> str:
    """A cell of the overview table: rates in %, their change in points; counts as integers."""
    rate = figure in CATALOGUE["overview"].rates
    if column == "change":
        return fmt_points(value, lang, 1) if rate else fmt_signed_int(value, lang)
    return fmt_rate(value, lang) if rate else fmt_int(value, lang)


def display_frame(protected: Protected, ctx: PageContext, columns: dict[str, str] | None = None) -> pl.DataFrame:
    """The table as strings in the reader's language, headings translated; each hidden cell reads as disclosure
    control says: ``< k`` (with its row's k) for a small count, "masqué" for any other hidden figure."""
    table: pl.DataFrame = protected.table
    suppressed: pl.DataFrame = protected.suppressed
    lang = ctx.lang
    shown = list(columns) if columns else [c for c in table.columns if not c.startswith("_")]
    row_k = list(protected.row_k) or [protected.k] * table.height  # disclosure control knows each row's threshold
    labelled = label_codes(table.select(shown), lang, ctx.data.labels, ctx.data.structures)
    out: dict[str, list[str]] = {}
    for name in shown:
        hidden = suppressed[name].to_list() if name in suppressed.columns else [False] * table.height
        if "figure" in table.columns and name in ("value", "previous", "change"):
            cells = [format_figure(f, name, v, lang) for f, v in zip(table["figure"], table[name], strict=True)]
        elif name == "figure":
            cells = [t(f"figure.{f}", lang) if has(f"figure.{f}") else f for f in table["figure"]]
        else:
            kind = column_kind(protected.metric, name, table[name].dtype)
            source = labelled if kind == "text" else table
            cells = [format_value(v, kind, lang) for v in source[name].to_list()]
        small = protected.primary[name].to_list() if name in protected.cells.columns else hidden
        cells = [
            (t("suppressed.cell", lang, k=k) if s else t("suppressed.masked", lang)) if h else c
            for c, h, s, k in zip(cells, hidden, small, row_k, strict=True)
        ]
        heading = (columns or {}).get(name) or (t(f"col.{name}", lang) if has(f"col.{name}") else name)
        out[heading] = cells
    return pl.DataFrame(out, schema={h: pl.String for h in out})


_NUMERIC = ("int", "rate", "mean", "median", "decimal")


def sort_keys(protected: Protected, name: str, kind: str) -> list[float | str | None]:
    """What a column sorts by when its heading is clicked: the value itself for numbers, a hidden cell ("< k",
    "masqué") below every value (last from the largest down), the period label (``2024-03``) for periods. The
    browser gets nothing the screen does not already say."""
    table = protected.table
    if kind == "period":
        return [None if v is None else str(v) for v in table[name].to_list()]
    hidden = protected.suppressed[name].to_list() if name in protected.cells.columns else [False] * table.height
    return [float("-inf") if h else (None if v is None else float(v)) for v, h in zip(table[name].to_list(), hidden, strict=True)]


def sortable_table(protected: Protected, ctx: PageContext, columns: dict[str, str] | None = None) -> Any:
    """``display_frame`` as a pandas Styler whose cells show the words of the screen and sort by ``sort_keys``:
    numbers by value ("< 5, 10, 11, 104", not as text "< 5, 10, 104, 11"), the hidden ones last from the largest
    down, periods in time order. The key table of the overview (one figure a row) keeps its own order."""
    shown = display_frame(protected, ctx, columns)
    table = protected.table
    if "figure" in table.columns:
        return shown
    names = list(columns) if columns else [c for c in table.columns if not c.startswith("_")]
    keyed: dict[str, list[Any]] = {}
    said: dict[str, dict[Any, str]] = {}
    for name, heading in zip(names, shown.columns, strict=True):
        kind = column_kind(protected.metric, name, table[name].dtype)
        words = shown[heading].to_list()
        if kind in _NUMERIC or kind == "period":
            keyed[heading] = sort_keys(protected, name, kind)
            said[heading] = dict(zip(keyed[heading], words, strict=True))  # a None key: how a missing value reads
        else:
            keyed[heading] = words
    frame = pd.DataFrame(keyed)
    return frame.style.format({h: (lambda v, m=m: m.get(None if pd.isna(v) else v, "")) for h, m in said.items()})


def disclosure_notes(protected: Protected, ctx: PageContext) -> list[str]:
    """Plain sentences saying why cells are hidden (empty when none is)."""
    suppressed: pl.DataFrame = protected.suppressed
    any_hidden = bool(suppressed.height) and any(
        bool(suppressed[c].any()) for c in suppressed.columns if suppressed[c].dtype == pl.Boolean
    )
    if not any_hidden:
        return []
    k = protected.k
    lines = [t("suppressed.note", ctx.lang, k=k)]
    for note in getattr(protected, "notes", ()):
        key = f"suppressed.{note}"
        if note != "TOO_SMALL" and has(key):
            lines.append(t(key, ctx.lang, k=k, k_minus=k - 1, k_published=ctx.published_k))
    return lines


def show_guard(protected: Protected, ctx: PageContext) -> bool:
    """Say plainly when there is nothing to show; True when the caller must stop."""
    if getattr(protected, "too_small", False):
        st.warning(t("guard.too_small", ctx.lang, k=protected.k))
        return True
    if protected.blank:
        st.info(t("guard.empty", ctx.lang))
        return True
    return False


def show_table(protected: Protected, ctx: PageContext, *, name: str, columns: dict[str, str] | None = None,
               published: Protected | None = None) -> None:
    """A table with labels, formatted numbers, ``< k`` cells, a note and CSV/XLSX downloads.

    ``name`` is the metric's name in ``dashboard.metrics.METRICS``: the
    downloads recompute it with the published threshold (or take
    ``published`` if the page already has it). ``columns`` optionally picks
    the columns to show, in order, with their headings (column -> heading;
    an empty heading means the default one).
    """
    if show_guard(protected, ctx):
        return
    st.dataframe(sortable_table(protected, ctx, columns), hide_index=True, width="stretch")
    for line in disclosure_notes(protected, ctx):
        st.caption(line)
    download_buttons(name, ctx, published=published)


def download_buttons(name: str, ctx: PageContext, *, published: Protected | None = None) -> None:
    """CSV and XLSX of the published figures of metric ``name``.

    The files are made only when a button is clicked (Streamlit calls the
    function then), so a page pays nothing for downloads nobody asks for.
    When the published version is too small, the file holds the headings only.
    """
    memo: dict[str, Protected] = {}

    def file(fmt: str) -> bytes:  # the published figures, in the reader's conventions, with their provenance
        if "shown" not in memo:
            memo["shown"] = published if published is not None else figures(name, ctx.data, ctx.filters, published=True)
        return table_file(memo["shown"], ctx.data, ctx.filters, ctx.lang, fmt, snapshot_files(ctx.data))

    stem = file_stem(name, ctx.filters.start, ctx.filters.end)
    help_text = t("table.download_help", ctx.lang, k=ctx.published_k)
    left, right, _ = st.columns([1, 1, 3])
    left.download_button(t("table.download_csv", ctx.lang), lambda: file("csv"), file_name=f"{stem}.csv",
                         mime="text/csv", key=f"csv_{name}", help=help_text, on_click="ignore")
    right.download_button(t("table.download_xlsx", ctx.lang), lambda: file("xlsx"), file_name=f"{stem}.xlsx",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          key=f"xlsx_{name}", help=help_text, on_click="ignore")


PLOTLY_FR = Path(__file__).with_name("plotly-locale-fr.json")
"""Plotly's own French (toolbar tooltips, dates), from ``plotly.js-locales`` (MIT): Streamlit bundles Plotly
without its locales, so each chart's config carries it."""


@cache
def _french() -> dict[str, Any]:
    locale = json.loads(PLOTLY_FR.read_text(encoding="utf-8"))
    return {"dictionary": locale["dictionary"], "format": locale["format"]}


def plotly_locale(lang: str) -> dict[str, Any]:
    """The ``locale`` of a Plotly config, with its definitions (``locales``) when Plotly does not know it."""
    return {"locale": "fr", "locales": {"fr": _french()}} if lang == "fr" else {"locale": "en"}


def show_chart(fig: Any, ctx: PageContext, *, key: str, n: int | None, on_select: Any = None,
               published: PublishedFigure | None = None, name: str | None = None) -> object:
    """A Plotly chart, an ``n = …`` caption and a PNG button for its published version.

    ``published`` builds the same chart from the published figures (same
    filters, same options); it is called only when the PNG button is
    clicked, and the image is drawn on the server (``dashboard.ui.export``).
    Without it there is no PNG button. The browser's own image export
    (camera icon) is removed: it would save the screen version. ``name``
    is the chart's stable name for the file (defaults to ``key``).

    Returns the selection event when ``on_select`` is given ("rerun" or a
    callback), else None. A ``None`` figure means "nothing to draw": the
    page says there is no data instead of an empty chart.
    """
    if fig is None:
        st.info(t("guard.empty", ctx.lang))
        return None
    config = {
        "displaylogo": False,
        "modeBarButtonsToRemove": ["toImage", "lasso2d", "select2d"] if on_select is None else ["toImage"],
        **plotly_locale(ctx.lang),
    }
    kwargs: dict[str, Any] = {"key": key, "config": config, "width": "stretch", "theme": None}
    if on_select is not None:
        kwargs["on_select"] = on_select
    event = st.plotly_chart(fig, **kwargs)
    if n is not None:
        st.caption(t("chart.n", ctx.lang, n=fmt_int(n, ctx.lang)))
    if published is not None:
        png_button(ctx, key=key, name=name or key, published=published, title=chart_title(fig))
    return event if on_select is not None else None


__all__ = ["display_frame", "sortable_table", "download_buttons", "kpi_cards", "show_chart", "show_guard", "show_table"]
