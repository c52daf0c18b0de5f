"""The pathways Sankey: referral source -> program -> situation at the end (``dashboard.pathway_disclosure``).

Three columns of nodes, a flow's width its persons (published figures:
perturbed, every flow at or over k); merged small flows go to the
"Autres ..." node of their column. Node labels are short (a phone is 390 px
wide); the hover gives each node's full name and its persons, each flow
its two ends and its persons.
"""

from collections.abc import Sequence

import plotly.graph_objects as go
import plotly.io as pio
import polars as pl

from dashboard.charts.base import label_map
from dashboard.charts.texts import text
from dashboard.formatting import PLOTLY_SEPARATORS, fmt_int
from dashboard.metrics.common import UNKNOWN
from dashboard.metrics.exits import DEATH, HOUSING_POSITIVE
from dashboard.metrics.pathways import COLUMNS, IN_PROGRESS
from dashboard.pathway_disclosure import OTHERS, ProtectedPathways
from dashboard.safe_text import markup_escaped, shortened
from dashboard.theme import PALETTE, SUPPRESSED_COLOR, TEMPLATE_NAME

CODE_LISTS = {"source": "SOURCE", "program": "DISPOSITIF", "outcome": "LOGEMENT_SORTIE"}
_SPECIAL = {("outcome", IN_PROGRESS): "in_progress", ("outcome", DEATH): "death", ("source", UNKNOWN): "not_recorded",
            ("outcome", UNKNOWN): "not_recorded"}
_LABEL_LIMIT = 16
_COLUMN_COLOURS = {"source": PALETTE[4], "program": PALETTE[0]}
_HOUSING = PALETTE[2]
_IN_PROGRESS_COLOUR = PALETTE[1]


def node_name(column: str, code: str, lang: str, labels: pl.DataFrame) -> str:
    """A node's full name in the reader's language (plain text)."""
    if code == OTHERS:
        return text(f"others_{column}", lang)
    if (column, code) in _SPECIAL:
        return text(_SPECIAL[(column, code)], lang)
    return label_map(CODE_LISTS[column], lang, labels).get(code, code)


def _node_colour(column: str, code: str) -> str:
    if column != "outcome":
        return _COLUMN_COLOURS[column]
    if code in HOUSING_POSITIVE:
        return _HOUSING
    if code == IN_PROGRESS:
        return _IN_PROGRESS_COLOUR
    return SUPPRESSED_COLOR if code == OTHERS else "#6B7280"


def _rgba(colour: str, alpha: float) -> str:
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"


def _persons(n: int | None, k: int, lang: str) -> str:
    return f"< {k}" if n is None else f"{fmt_int(n, lang)} {text('unit_persons', lang)}"


def _ordered_nodes(pathways: ProtectedPathways) -> list[tuple[str, str]]:
    """(column, code) of every node, column by column, largest first, "Autres" last (a stable layout)."""
    nodes = pathways.nodes.with_columns((pl.col("node") == OTHERS).alias("_last"))
    order: list[tuple[str, str]] = []
    for column in COLUMNS:
        rows = nodes.filter(pl.col("column") == column).sort(["_last", "persons", "node"], descending=[False, True, False],
                                                              nulls_last=True)
        order += [(column, code) for code in rows["node"].to_list()]
    return order


def sankey(pathways: ProtectedPathways, lang: str, labels: pl.DataFrame, *, height: int = 640) -> go.Figure | None:
    """The Sankey of ``pathways``; None when there is nothing to draw (too small or no pathway)."""
    if pathways.too_small or pathways.flows.is_empty():
        return None
    nodes = _ordered_nodes(pathways)
    index = {node: i for i, node in enumerate(nodes)}
    totals = {(c, n): p for c, n, p in pathways.nodes.iter_rows()}
    names = [node_name(column, code, lang, labels) for column, code in nodes]
    origins = {1: "source", 2: "program"}
    targets = {1: "program", 2: "outcome"}
    source, target, value, colour, hover = [], [], [], [], []
    for stage, origin, destination, persons in pathways.flows.iter_rows():
        start, end = (origins[stage], origin), (targets[stage], destination)
        source.append(index[start])
        target.append(index[end])
        value.append(persons)
        colour.append(_rgba(_node_colour(*end) if stage == 2 else _COLUMN_COLOURS["source"], 0.35))
        hover.append(f"{markup_escaped(names[index[start]])} → {markup_escaped(names[index[end]])}<br>"
                     f"{_persons(persons, pathways.k, lang)}")
    node_hover = [f"{markup_escaped(name)}<br>{_persons(totals.get(node), pathways.k, lang)}"
                  for name, node in zip(names, nodes, strict=True)]
    trace = {
        "type": "sankey", "arrangement": "snap", "valueformat": ",d",
        "node": {"label": [markup_escaped(shortened(name, _LABEL_LIMIT)) for name in names], "pad": 10, "thickness": 14,
                 "color": [_node_colour(*node) for node in nodes], "customdata": node_hover,
                 "hovertemplate": "%{customdata}<extra></extra>", "line": {"width": 0}},
        "link": {"source": source, "target": target, "value": value, "color": colour, "customdata": hover,
                 "hovertemplate": "%{customdata}<extra></extra>"},
        "textfont": {"size": 10},
    }
    notes = [text("pathways_once", lang)]
    if pathways.merged:
        notes.append(text("pathways_merged", lang, k=pathways.k))
    if pathways.left_out:
        notes.append(text("pathways_left_out", lang))
    layout = {
        "template": pio.templates[TEMPLATE_NAME],
        "title": {"text": text("pathways_title", lang), "subtitle": {"text": "<br>".join(notes)}, "x": 0, "xanchor": "left"},
        "separators": PLOTLY_SEPARATORS["en" if lang == "en" else "fr"],
        "margin": {"t": 66 + 18 * len(notes), "l": 10, "r": 10, "b": 10},
        "height": height,
        "hoverlabel": {"namelength": -1},
    }
    return go.Figure({"data": [trace], "layout": layout})


def column_titles(lang: str) -> Sequence[str]:
    """The three columns' headings, left to right (for a caption under the chart)."""
    return [text(f"pathways_column_{column}", lang) for column in COLUMNS]


__all__ = ["column_titles", "node_name", "sankey"]
