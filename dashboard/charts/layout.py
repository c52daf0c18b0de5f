"""Layout rules every chart gets from ``dashboard.charts.base.finish``, on a figure still held as plain dicts
(``data``: the traces, ``layout``): whole-number ticks for small counts, room for long legends and subtitles,
and the y-axis title read horizontally above the plot."""

import plotly.graph_objects as go

LEGEND_ROW = 20
"""Layout pixels of a legend row."""
SUBTITLE_LINE = 18
"""Layout pixels of a subtitle line."""
Y_TITLE_ROOM = 20
"""Layout pixels above the plot for the y-axis title (``y_title_note``)."""


LEGEND_CHARS = 22
"""Characters of a legend entry that fit in half a phone's width (two entries a row)."""


def legend_room(data: list[dict], layout: dict, subtitle_lines: int) -> None:
    """A legend of more than four entries two to a row, whatever the screen (a phone would give each entry its own
    row and squeeze the plot to nothing), and the height grown by its rows beyond two and by the subtitle's lines
    beyond three, so that the plot keeps its height."""
    entries = sum(1 for trace in data if trace.get("showlegend") is not False and trace.get("name"))
    rows = -(-entries // 2) if entries > 4 else 0
    if rows:
        # Half a phone's width holds about 22 characters (Plotly does not wrap legend text): with a longer name,
        # one entry a row rather than a name running under its neighbour.
        long_names = any(len(str(trace.get("name") or "")) > LEGEND_CHARS for trace in data)
        layout.setdefault("legend", {}).update(entrywidth=1 if long_names else 0.5, entrywidthmode="fraction")
        rows = entries if long_names else rows
    extra = LEGEND_ROW * max(0, rows - 2) + SUBTITLE_LINE * max(0, subtitle_lines - 3)
    if extra:
        layout["height"] = int(layout.get("height") or 450) + extra


def y_title_note(text: str) -> dict:
    """The y-axis title as an annotation above the plot's top-left corner: a vertical title runs into the subtitle
    once a phone squeezes the plot."""
    return {"text": text, "name": "y_title", "xref": "paper", "yref": "paper", "x": 0, "y": 1, "xanchor": "left",
            "yanchor": "bottom", "yshift": 4, "showarrow": False, "align": "left", "font": {"size": 12}}


def y_title_of(fig: go.Figure) -> str | None:
    """The y-axis title ``finish`` wrote (None when the chart has none)."""
    return next((a.text for a in fig.layout.annotations if a.name == "y_title"), None)


def _numbers(values: object) -> list[float]:
    return [float(v) for v in (values if isinstance(values, list | tuple) else []) if isinstance(v, int | float)]


def axis_top(data: list[dict], layout: dict, axis: str) -> float:
    """The largest value drawn along ``axis`` ("x" or "y") by the bars and lines of a figure: stacked bars add up."""
    stacked = layout.get("barmode") == "stack"
    per_category: dict[object, float] = {}
    top = 0.0
    for trace in data:
        markers_only = trace.get("type") == "scatter" and "lines" not in str(trace.get("mode", "lines"))
        if trace.get("type") not in ("bar", "scatter") or markers_only:  # the "< k" markers sit at 0
            continue
        along = trace.get("x" if axis == "y" else "y") or []
        values = trace.get(axis) or []
        if stacked and trace.get("type") == "bar":
            for where, value in zip(along, values, strict=False):
                if isinstance(value, int | float):
                    per_category[where] = per_category.get(where, 0.0) + float(value)
        else:
            top = max([top, *_numbers(values)])
    return max([top, *per_category.values()])


def whole_ticks(data: list[dict], layout: dict) -> None:
    """Count axes (``tickformat`` ``,d``) under 10 tick every whole number: Plotly would put ticks at 0.2, 0.4...
    and the integer format would read them "0 0 0 1 1 1"."""
    for axis in ("x", "y"):
        props = layout.get(f"{axis}axis") or {}
        if props.get("tickformat") == ",d" and axis_top(data, layout, axis) < 10:
            props["dtick"] = 1


__all__ = ["LEGEND_ROW", "Y_TITLE_ROOM", "axis_top", "legend_room", "whole_ticks", "y_title_note", "y_title_of"]
