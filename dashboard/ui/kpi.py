"""Key-figure cards of the overview: value, previous period, change, trend, n.

Counts change in signed units and in percent of the previous value
(``+234 (+23 %)``; no percent when the previous value is 0), with neutral
(grey) arrows: more referrals is neither good nor bad. Rates change in
percentage points only, green when up.
A hidden value reads ``< k`` and has no change; a hidden month leaves a gap
in the trend (the sparkline skips it).
"""

from datetime import date, timedelta
from typing import Any, Literal

import polars as pl
import streamlit as st

from dashboard.catalogue import CATALOGUE
from dashboard.formatting import NBSP, fmt_decimal, fmt_int, fmt_points, fmt_rate, fmt_signed_int
from dashboard.i18n import has, t
from dashboard.periods import last_whole_months
from dashboard.ui.context import PageContext

RATE_FIGURES = CATALOGUE["overview"].rates
CARDS_PER_ROW = 4
CARD_HEIGHT = 210


POINT_DIGITS = 1


def _arrow(change: float | None, rate: bool) -> Literal["up", "down", "off"]:
    """The arrow of the change as shown: none when it rounds to 0 (Streamlit would draw an up arrow)."""
    if change is None:
        return "off"
    shown = round(change * 100, POINT_DIGITS) if rate else round(change)
    if shown == 0:
        return "off"
    return "up" if shown > 0 else "down"


def fmt_change_percent(value: Any, previous: Any, lang: str) -> str | None:
    """The relative change of a count as shown on a card, signed: ``+23 %`` (whole percent, one decimal
    under 1 % so that a small change does not read ``+0 %``); None when the previous value is 0 or missing."""
    if value is None or previous is None or previous <= 0:
        return None
    share = (float(value) - float(previous)) / float(previous) * 100
    digits = 0 if round(abs(share)) >= 1 or share == 0 else 1
    number = fmt_decimal(abs(share), lang, digits)
    sign = "" if number.strip("0,.") == "" else ("+" if share > 0 else "-")
    return f"{sign}{number}{NBSP}%" if lang == "fr" else f"{sign}{number}%"


def delta_text(value: Any, previous: Any, change: Any, rate: bool, lang: str) -> str:
    """The change as a card shows it: points for a rate (``+5,0 pt``), units and percent for a count (``+234 (+23 %)``)."""
    if rate:
        return fmt_points(change, lang, POINT_DIGITS)
    percent = fmt_change_percent(value, previous, lang)
    units = fmt_signed_int(change, lang)
    return f"{units} ({percent})" if percent else units


def _cell(protected: Any, row: int, column: str) -> tuple[Any, bool]:
    table: pl.DataFrame = protected.table
    suppressed: pl.DataFrame | None = getattr(protected, "suppressed", None)
    hidden = bool(suppressed is not None and column in suppressed.columns and suppressed[column][row])
    return table[column][row], hidden


def card_texts(protected: Any, row: int, ctx: PageContext, n: int | None = None) -> dict[str, str | None]:
    """What one card shows, as strings: label, value, delta, previous, n (None where nothing is shown)."""
    lang = ctx.lang
    figure = protected.table["figure"][row]
    rate = figure in RATE_FIGURES
    k = protected.row_k[row] if getattr(protected, "row_k", ()) else getattr(protected, "k", ctx.screen_k)
    value, value_hidden = _cell(protected, row, "value")
    previous, previous_hidden = _cell(protected, row, "previous")
    change, change_hidden = _cell(protected, row, "change")

    def shown(x: Any, hidden: bool, column: str) -> str:
        if hidden:
            reading = protected.cells[column][row] if hasattr(protected, "cells") else "small"
            return t("suppressed.cell", lang, k=k) if reading == "small" else t("suppressed.masked", lang)
        return fmt_rate(x, lang) if rate else fmt_int(x, lang)

    delta = None
    if not (value_hidden or previous_hidden or change_hidden) and change is not None:
        delta = delta_text(value, previous, change, rate, lang)
    return {
        "label": t(f"figure.{figure}", lang) if has(f"figure.{figure}") else figure,
        "help": t(f"figure.help.{figure}", lang) if has(f"figure.help.{figure}") else None,
        "value": shown(value, value_hidden, "value"),
        "delta": delta,
        "previous": t("overview.previous", lang, value=shown(previous, previous_hidden, "previous")),
        "n": t("overview.n", lang, n=fmt_int(n, lang)) if n is not None and not value_hidden else None,
    }


def kpi_cards(protected: Any, ctx: PageContext, trends: dict[str, list[float | None]] | None = None,
              denominators: dict[str, int] | None = None) -> None:
    """One card per figure, four per row; ``trends`` adds a monthly sparkline per figure."""
    if isinstance(protected, pl.DataFrame):
        protected = _Plain(protected)
    table: pl.DataFrame = protected.table
    series = {
        row: [v * 100 if figure in RATE_FIGURES else v for v in (trends or {}).get(figure, []) if v is not None]
        for row, figure in enumerate(table["figure"].to_list())
    }
    for cards in card_rows(series):
        # Rows never mix cards with and without a sparkline: a fixed height for the first (their charts line up),
        # none for the others (a card without a chart would show an empty chart area). Sparklines share the width.
        charted = len(series[cards[0]]) >= 2
        height: int | Literal["content"] = CARD_HEIGHT if charted else "content"
        for row, column in zip(cards, st.columns(len(cards) if charted else CARDS_PER_ROW), strict=False):
            figure = table["figure"][row]
            rate = figure in RATE_FIGURES
            n = (denominators or {}).get(figure) if rate else None  # a count is its own n
            texts = card_texts(protected, row, ctx, n)
            with column:
                change, _ = _cell(protected, row, "change")
                arrow = _arrow(change, rate)
                st.metric(
                    texts["label"] or "", texts["value"], texts["delta"],
                    delta_color="normal" if rate and arrow != "off" else "off", help=texts["help"], border=True, height=height,
                    chart_data=series[row] if len(series[row]) >= 2 else None, chart_type="line",
                    delta_arrow=arrow,
                )
                st.caption(" · ".join(x for x in (texts["previous"], texts["n"]) if x))


def card_rows(series: dict[int, list[Any]]) -> list[list[int]]:
    """The table's rows as rows of cards, ``CARDS_PER_ROW`` at most: those with a sparkline (two points or more)
    first, in their order, then the others, never both in one row."""
    charted = [row for row in series if len(series[row]) >= 2]
    plain = [row for row in series if len(series[row]) < 2]
    return [group[i:i + CARDS_PER_ROW] for group in (charted, plain) for i in range(0, len(group), CARDS_PER_ROW)]


class _Plain:
    """A bare table (no suppression information) shown as is."""

    def __init__(self, table: pl.DataFrame) -> None:
        self.table = table
        self.suppressed = table.select(pl.lit(False).alias(c) for c in table.columns)
        self.k = 0


def whole_months(last_day: date, months: int = 24) -> list[tuple[date, date]]:
    """The ``months`` whole calendar months ending at or before ``last_day``, oldest first."""
    end = last_whole_months(last_day, 1)[1]
    ranges = []
    for back in range(months - 1, -1, -1):
        index = end.year * 12 + end.month - 1 - back
        start = date(index // 12, index % 12 + 1, 1)
        following = date((index + 1) // 12, (index + 1) % 12 + 1, 1)
        ranges.append((start, following - timedelta(days=1)))
    return ranges


def range_months(start: date, end: date, last_day: date | None = None) -> list[tuple[date, date]]:
    """The calendar months of [start, end], oldest first, cut after the last whole month of data
    (``last_day``): a month the data only partly covers, or not at all, would read as a drop."""
    if last_day is not None:
        end = min(end, last_whole_months(last_day, 1)[1])
    ranges = []
    index = start.year * 12 + start.month - 1
    while True:
        first = date(index // 12, index % 12 + 1, 1)
        if first > end:
            break
        following = date((index + 1) // 12, (index + 1) % 12 + 1, 1)
        ranges.append((first, following - timedelta(days=1)))
        index += 1
    return ranges
