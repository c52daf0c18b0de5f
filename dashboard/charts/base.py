"""What every chart shares: titles with their n, numbers in the reader's
format, codes shown as labels, suppressed cells marked, and the rule that a
chart with nothing to show is not drawn (builders return ``None`` and the page
says there is no data).

Builders take the output of disclosure control (``dashboard.disclosure.Protected``):
``table`` holds the public figures with hidden cells null, ``cells`` says how
each hidden cell reads: "< k" with its row's k (``row_k``) for a small count,
"masqué" for any other hidden figure (a rate, mean, median or count of events
whose persons are under k; it may be large). Charts say exactly what the
tables say: ``reading_text`` is the one place a hidden cell gets its words.
"""

from collections.abc import Iterable, Sequence
from decimal import Decimal
from html import unescape
from typing import Protocol

import plotly.graph_objects as go
import plotly.io as pio
import polars as pl

from dashboard.charts.layout import Y_TITLE_ROOM, legend_room, whole_ticks, y_title_note
from dashboard.charts.texts import text
from dashboard.disclosure import MASKED, SMALL
from dashboard.formatting import PLOTLY_SEPARATORS, fmt_int, fmt_period
from dashboard.safe_text import markup_escaped, short_label
from dashboard.theme import PALETTE, SUPPRESSED_COLOR, TEMPLATE_NAME

TOP_N = 7
"""Most categories a stacked or coloured chart shows before grouping the rest as "Others"."""

OTHERS = "__OTHERS__"

Reading = tuple[str, int]
"""How one hidden cell reads: (``SMALL`` or ``MASKED``, its row's k)."""


class Shown(Protocol):
    """The public side of ``dashboard.disclosure.Protected``."""

    @property
    def table(self) -> pl.DataFrame: ...
    @property
    def cells(self) -> pl.DataFrame: ...
    @property
    def suppressed(self) -> pl.DataFrame: ...
    @property
    def k(self) -> int: ...
    @property
    def row_k(self) -> tuple[int, ...]: ...


def reading_text(reading: str | None, k: int, lang: str) -> str | None:
    """The words of one cell as disclosure control reads it: "< k" (its row's k) for a small count, "masqué" /
    "hidden" for any other hidden figure, None for a cell that shows its value."""
    if reading is None:
        return None
    return f"< {k}" if reading == SMALL else text("hidden_share", lang)


def row_ks(shown: Shown) -> list[int]:
    """Each row's threshold (the screen k when disclosure control gave none)."""
    height = shown.table.height
    row_k = list(getattr(shown, "row_k", ()) or ())
    return row_k if len(row_k) == height else [shown.k] * height


def cell_readings(shown: Shown, column: str) -> list[str | None]:
    """``None``, ``SMALL`` or ``MASKED`` per row of ``column``."""
    cells = getattr(shown, "cells", None)
    if cells is not None and column in cells.columns and cells.height == shown.table.height:
        return cells[column].to_list()
    if column in shown.suppressed.columns:  # no per-cell reading: a hidden cell can only be said to be hidden
        return [MASKED if h else None for h in shown.suppressed[column].fill_null(False).to_list()]
    return [None] * shown.table.height


def hidden_labels(shown: Shown, column: str, lang: str) -> list[str | None]:
    """``reading_text`` for every row of ``column``: None where the value shows."""
    return [reading_text(r, k, lang) for r, k in zip(cell_readings(shown, column), row_ks(shown), strict=True)]


def frame_readings(frame: pl.DataFrame, column: str) -> list[tuple[str | None, int]]:
    """(reading, row's k) per row of a ``with_flags`` frame."""
    return list(zip(frame[f"_reading_{column}"].to_list(), frame["_k"].to_list(), strict=True))


def frame_labels(frame: pl.DataFrame, column: str, lang: str) -> list[str | None]:
    """``reading_text`` per row of a ``with_flags`` frame (after any filtering or sorting of its rows)."""
    return [reading_text(r, k, lang) for r, k in frame_readings(frame, column)]


def hidden_in(frame: pl.DataFrame, *columns: str) -> set[Reading]:
    """The distinct readings of the hidden cells of ``columns`` in a ``with_flags`` frame (in polars: a table of
    workshops by month has hundreds of thousands of rows on XL)."""
    found: set[Reading] = set()
    for c in columns:
        if f"_reading_{c}" in frame.columns:
            pairs = frame.lazy().filter(pl.col(f"_reading_{c}").is_not_null()).select(f"_reading_{c}", "_k").unique()
            found |= {(r, int(k)) for r, k in pairs.collect().iter_rows()}
    return found


def suppressed_note(readings: Iterable[Reading], k: int, lang: str) -> str:
    """The subtitle line that explains the grey cells, naming only the readings the chart shows."""
    found = {(r, int(rk)) for r, rk in readings if r}
    small = sorted(rk for r, rk in found if r == SMALL)
    masked = sorted({rk for r, rk in found if r != SMALL})
    if not found:
        small = [k]
    if not masked and len(small) == 1:
        return text("suppressed_note", lang, k=small[0])
    parts = [text("suppressed_note_head", lang)]
    parts += [text("suppressed_note_small", lang, k=rk) for rk in small]
    if masked:
        ks = f" {text('or', lang)} ".join(str(rk) for rk in masked)
        parts.append(text("suppressed_note_masked", lang, k=ks))
    return text("note_separator", lang).join(parts)


def suppressed_name(readings: Iterable[tuple[str | None, int]], lang: str) -> str:
    """The name of a trace of hidden cells: "Masqué (< k)" only when every one of them reads "< k" with that k."""
    found = {(r, int(k)) for r, k in readings if r}
    if len(found) == 1:
        reading, k = next(iter(found))
        if reading == SMALL:
            return text("suppressed_trace", lang, k=k)
    return text("suppressed_trace_any", lang)


def is_empty(shown: Shown | None) -> bool:
    return shown is None or getattr(shown, "too_small", False) or shown.table.is_empty()


def label_map(code_list: str, lang: str, labels: pl.DataFrame) -> dict[str, str]:
    """code -> label for one code list, from the ``code_labels`` table."""
    column = "label_en" if lang == "en" else "label_fr"
    rows = labels.filter(pl.col("code_list") == code_list).sort("position")
    return dict(zip(rows["code"].to_list(), rows[column].to_list(), strict=True))


def code_order(code_list: str, labels: pl.DataFrame) -> dict[str, int]:
    rows = labels.filter(pl.col("code_list") == code_list).sort("position")
    return {code: i for i, code in enumerate(rows["code"].to_list())}


def labelled(codes: Sequence[str | None], code_list: str | None, lang: str, labels: pl.DataFrame) -> list[str]:
    """Codes as labels; missing codes, and codes the list does not know (``INCONNU`` from a metric), read
    "Non renseigné"; free text (``code_list`` None) stays as written, but for a metric's ``INCONNU``: its markup
    escaped (``data_label``), whole (ticks and legends shorten it: ``shown_label``, ``data_ticks``)."""
    names = label_map(code_list, lang, labels) if code_list else {}
    out = []
    for code in codes:
        if code is None:
            out.append(text("not_recorded", lang))
        elif code == OTHERS:
            out.append(text("others", lang))
        elif code == "TOTAL":
            out.append(text("total", lang))
        elif not code_list:
            out.append(text("not_recorded", lang) if code == "INCONNU" else data_label(code))  # free text: a metric's INCONNU
        else:
            out.append(names.get(code, text("not_recorded", lang)))
    return out


def data_label(value: object) -> str:
    """Text from the data (a name, a territory, an id) as Plotly must receive it: ``<``, ``>`` and ``&`` escaped, so
    that ``<a href=...>``, ``<span style=...>`` or ``<br>`` show as written instead of being interpreted."""
    return markup_escaped(str(value))


def shown_label(label: str) -> str:
    """A label of ``labelled`` or ``data_label`` as a tick or a legend shows it: at most
    ``dashboard.safe_text.LABEL_LIMIT`` characters then "…" (counted on the text as read, never cut inside an
    escape); the whole label stays in the hover."""
    return short_label(unescape(label))


def data_ticks(fig: "Spec", axis: str, names: Sequence[str]) -> None:
    """A category axis (``"x"`` or ``"y"``) whose categories are labels from the data: each tick shows its
    ``shown_label``, the category itself keeps the whole (escaped) label, which the hover shows."""
    ticks = [shown_label(n) for n in names]
    if ticks != list(names):
        (fig.update_xaxes if axis == "x" else fig.update_yaxes)(tickmode="array", tickvals=list(names), ticktext=ticks)


def periods_shown(periods: Sequence[str], lang: str) -> list[str]:
    return [fmt_period(p, lang) for p in periods]


def period_axis(by: str, lang: str) -> str:
    return text(f"axis_{by}" if by in ("month", "quarter", "year") else "axis_month", lang)


def granularity(periods: Sequence[str]) -> str:
    """month, quarter or year, read from the period labels themselves."""
    sample = next((p for p in periods if p), "")
    if "-Q" in sample:
        return "quarter"
    return "month" if "-" in sample else "year"


def number(value: object) -> float:
    """A number from polars (``sum``, ``max``... of a numeric column: int, float or Decimal), 0 for None."""
    return float(value) if isinstance(value, int | float | Decimal) else 0.0


def percent_suffix(lang: str) -> str:
    return "\u00a0%" if lang == "fr" else "%"


def n_total(n: object, unit: str, lang: str, *, hidden_left_out: bool = False) -> str:
    """``n = 1 234 sorties``; ``hidden_left_out``: the n only adds up the cells shown, say so."""
    key = "n_visible" if hidden_left_out else "n_total"
    return text(key, lang, n=fmt_int(number(n), lang), unit=text(f"unit_{unit}", lang))


def n_range(values: Sequence[int | float | None], unit: str, cell: str, lang: str) -> str:
    """``n = 12 à 140 personnes évaluées par mois``; a single n when they are all equal."""
    known = [v for v in values if v is not None]
    if not known:
        return n_total(0, unit, lang)
    lo, hi = min(known), max(known)
    if lo == hi:
        return n_total(lo, unit, lang)
    return text("n_range", lang, lo=fmt_int(lo, lang), hi=fmt_int(hi, lang), unit=text(f"unit_{unit}", lang),
                cell=text(f"cell_{cell}", lang))


class Spec:
    """A figure under construction, as plain dicts.

    ``finish`` validates it into a ``go.Figure`` in one pass: Plotly's
    incremental calls (``add_trace``, ``update_layout``...) parse and check
    property paths on every call, about ten times slower for the same figure.
    The methods mirror the few ``go.Figure`` ones the builders use.
    """

    def __init__(self, traces: dict | list[dict] | None = None) -> None:
        self.data: list[dict] = [traces] if isinstance(traces, dict) else list(traces or [])
        self.layout: dict = {}
        self.hidden: set[Reading] = set()
        """The readings of the hidden cells behind the figure: ``finish`` explains exactly these."""

    def mark(self, readings: Iterable[tuple[str | None, int]]) -> None:
        """Record hidden cells (``None`` readings are ignored) for the subtitle note."""
        self.hidden.update((r, int(k)) for r, k in readings if r)

    def add_trace(self, trace: dict) -> None:
        self.data.append(trace)

    def add_bar(self, **properties: object) -> None:
        self.data.append(Bar(**properties))

    def add_scatter(self, **properties: object) -> None:
        self.data.append(Scatter(**properties))

    def update_layout(self, **properties: object) -> None:
        _merge(self.layout, _nested(properties))

    def update_xaxes(self, **properties: object) -> None:
        _merge(self.layout.setdefault("xaxis", {}), _nested(properties))

    def update_yaxes(self, **properties: object) -> None:
        _merge(self.layout.setdefault("yaxis", {}), _nested(properties))


_COMPOUND = ("marker", "title", "line", "textfont")


def _nested(properties: dict) -> dict:
    """``marker_color=...`` as ``{"marker": {"color": ...}}`` (Plotly's "magic underscores", for the names we use)."""
    out: dict = {}
    for key, value in properties.items():
        head, _, rest = key.partition("_")
        if rest and head in _COMPOUND:
            _merge(out, {head: {rest: value}})
        else:
            _merge(out, {key: value})
    return out


def _merge(into: dict, new: dict) -> dict:
    for key, value in new.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value
    return into


def Bar(**properties: object) -> dict:  # noqa: N802  (named like the Plotly trace it stands for)
    return {"type": "bar", **_nested(properties)}


def Scatter(**properties: object) -> dict:  # noqa: N802
    return {"type": "scatter", **_nested(properties)}


def Heatmap(**properties: object) -> dict:  # noqa: N802
    return {"type": "heatmap", **_nested(properties)}


def period_ticks(fig: Spec, x: list[str], most: int = 8) -> None:
    """A category axis of periods labelled at most ``most`` times, evenly, so that labels stay horizontal and whole."""
    step = max(1, -(-len(x) // most))
    shown = x[::step]
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=x, tickmode="array", tickvals=shown,
                     ticktext=shown, tickangle=0 if len(shown) <= 6 else -30)


def period_markers(cells: pl.DataFrame, column: str, value: str, index: dict[str, str], code_list: str | None, lang: str,
                   labels: pl.DataFrame) -> dict:
    """One marker per period that has hidden cells of ``value`` (a ``with_flags`` frame): its text gives their
    readings ("< 11", "< 5", "masqué"), its hover lists the hidden categories with each one's reading."""
    names = labelled(cells[column].to_list(), code_list, lang, labels)
    readings = frame_readings(cells, value)
    per_period: dict[str, dict[tuple[bool, int], list[str]]] = {}
    for period, name, (reading, k) in zip(cells["period"].to_list(), names, readings, strict=True):
        per_period.setdefault(period, {}).setdefault((reading != SMALL, int(k)), []).append(name)
    periods = sorted(per_period)
    said = [  # per period: (words, names) with "< k" first, smallest k first, then "masqué"
        [(reading_text(MASKED if masked else SMALL, k, lang) or "", group) for (masked, k), group in sorted(per_period[p].items())]
        for p in periods
    ]
    marks = _markers(
        [index[p] for p in periods], [0] * len(periods),
        [", ".join(dict.fromkeys(words for words, _ in groups)) for groups in said],
        ["<br>".join(_hover(", ".join(group), words, lang) for words, group in groups) for groups in said],
        suppressed_name(readings, lang),
    )
    if len(periods) > 12:
        marks = {**marks, "mode": "markers"}
        marks.pop("text")
    return marks


def colours(count: int) -> list[str]:
    return [PALETTE[i % len(PALETTE)] for i in range(count)]


def top_codes(frame: pl.DataFrame, column: str, value: str, limit: int = TOP_N) -> list[str | None]:
    """The ``limit`` codes with the largest total of ``value``; ties by code, for stable colours."""
    totals = (
        frame.group_by(column).agg(pl.col(value).fill_null(0).sum().alias("_total"))
        .sort(["_total", column], descending=[True, False], nulls_last=True)
    )
    return totals[column].to_list()[:limit]


def group_others(frame: pl.DataFrame, column: str, keep: list[str | None]) -> pl.DataFrame:
    """Codes outside ``keep`` renamed ``OTHERS`` (their visible values are then summed by the caller)."""
    return frame.with_columns(
        pl.when(pl.col(column).is_in([c for c in keep if c is not None]) | (pl.col(column).is_null() & (None in keep)))
        .then(pl.col(column)).otherwise(pl.lit(OTHERS)).alias(column)
    )


def with_flags(shown: Shown, columns: Sequence[str]) -> pl.DataFrame:
    """The public table with, per column, a Boolean ``_hidden_<col>`` (True where that cell is hidden) and its
    reading ``_reading_<col>`` (``SMALL``, ``MASKED`` or null); ``_k`` is each row's threshold."""
    extra = [pl.Series("_k", row_ks(shown), dtype=pl.Int64)]
    for c in dict.fromkeys(columns):
        reading = _reading_series(shown, c).alias(f"_reading_{c}")
        extra += [reading, reading.is_not_null().alias(f"_hidden_{c}")]
    return shown.table.with_columns(extra)


def _reading_series(shown: Shown, column: str) -> pl.Series:
    """``cell_readings`` as a Series, taken as it is from the answer's cells when it has them."""
    cells = getattr(shown, "cells", None)
    if cells is not None and column in cells.columns and cells.height == shown.table.height:
        return cells[column].cast(pl.String)
    return pl.Series(column, cell_readings(shown, column), dtype=pl.String)


def hint(hidden_share: float, by: str) -> float:
    """The hidden share that ``finish`` should act on: none when already grouped by year (nothing coarser to suggest)."""
    return 0.0 if by == "year" else hidden_share


def finish(
    fig: Spec,
    *,
    title: str,
    n: str,
    lang: str,
    k: int,
    any_suppressed: bool,
    readings: Iterable[Reading] = (),
    x_title: str | None = None,
    y_title: str | None = None,
    height: int | None = None,
    hidden_share: float = 0.0,
    by: str = "month",
) -> go.Figure:
    """Title with the n (and the suppression note when cells are hidden), axes, number format, legend below.

    ``hidden_share`` is the part of the cells that are hidden: from a third
    on, the subtitle suggests a coarser grouping. The note names the readings
    of the hidden cells (``fig.hidden`` and ``readings``): "< k" with each k
    met, "masqué" when a figure is hidden for its persons behind it.
    """
    subtitle = n
    if any_suppressed or hidden_share:
        subtitle = f"{n}<br>{suppressed_note(fig.hidden | set(readings), k, lang)}"
    if hidden_share >= 1 / 3:
        subtitle = f"{subtitle}<br>{text('mostly_hidden' if by == 'month' else 'mostly_hidden_by_year', lang)}"
    lines = subtitle.count("<br>") + 1  # a long subtitle runs a little over 18 pixels a line: the y-title keeps clear
    fig.update_layout(
        # Explicit: importing Streamlit makes its own template Plotly's default.
        template=pio.templates[TEMPLATE_NAME],
        title={"text": title, "subtitle": {"text": subtitle}, "x": 0, "xanchor": "left"},
        separators=PLOTLY_SEPARATORS["en" if lang == "en" else "fr"],
        legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "xanchor": "left", "x": 0,
                "title": None, "traceorder": "normal"},
        margin={"t": 66 + 20 * lines + (Y_TITLE_ROOM + 6 * max(0, lines - 1) if y_title else 0), "l": 10, "r": 10, "b": 10},
        hoverlabel={"namelength": -1},
    )
    if height:
        fig.update_layout(height=height)
    legend_room(fig.data, fig.layout, subtitle.count("<br>") + 1)
    if x_title is not None:
        fig.update_xaxes(title_text=x_title, automargin=True)
    if y_title:  # read horizontally above the plot: a vertical title runs into the subtitle once a phone squeezes the plot
        fig.layout.setdefault("annotations", []).append(y_title_note(y_title))
    whole_ticks(fig.data, fig.layout)
    return go.Figure({"data": fig.data, "layout": fig.layout})


def suppressed_markers(
    x: Sequence[object], y: Sequence[object], names: list[str], readings: Sequence[tuple[str | None, int]], lang: str, *,
    horizontal: bool = False,
) -> dict:
    """Grey crosses where a figure was hidden, so that a gap never reads as zero; each says how its cell reads
    (``readings``: one (reading, row's k) per marker)."""
    labels = [reading_text(r, k, lang) or "" for r, k in readings]
    hover = [_hover(name, label, lang) for name, label in zip(names, labels, strict=True)]
    return _markers(x, y, labels, hover, suppressed_name(readings, lang), horizontal=horizontal)


def _hover(name: str, label: str, lang: str) -> str:
    return f"{name} : {label}" if lang == "fr" else f"{name}: {label}"


def _markers(x: Sequence[object], y: Sequence[object], labels: list[str], hover: list[str], name: str, *,
             horizontal: bool = False) -> dict:
    return Scatter(
        x=y if horizontal else x,
        y=x if horizontal else y,
        mode="markers+text",
        marker={"symbol": "x-thin-open", "size": 9, "color": SUPPRESSED_COLOR, "line": {"width": 2, "color": SUPPRESSED_COLOR}},
        text=labels,
        textposition="middle right" if horizontal else "top center",
        textfont={"color": SUPPRESSED_COLOR, "size": 10},
        hovertext=hover,
        hoverinfo="text",
        name=name,
        showlegend=False,
    )


def _points(event: object) -> list:
    selection = getattr(event, "selection", None) or (event.get("selection") if isinstance(event, dict) else None)
    return list((selection or {}).get("points") or [])


def clicked(event: object) -> bool:
    """Whether a chart selection event holds any point (a bar, a "< k" marker, "Others"...)."""
    return bool(_points(event))


def picked_code(event: object) -> str | None:
    """The code carried by the first clicked bar or point of a chart selection event (``customdata``)."""
    for point in _points(event):
        data = point.get("customdata")
        if isinstance(data, list):
            data = data[0] if data else None
        if isinstance(data, str) and data and data != OTHERS:
            return data
    return None
