"""Disclosure control of the pathways Sankey (``dashboard.metrics.pathways``).

The Sankey is not a catalogue table: merging a small flow into "autres"
needs the persons behind it (a merged flow counts its persons once, with the
cell key of their union), and which flows are small is known only after
perturbation, at the threshold of the version asked (screen or published).
So it has its own gate, built from the same pieces as
``dashboard.disclosure.figures``: whole periods, one value per filter, the
small-selection and neighbouring-selection rules, ``thresholds()``, the
cell-key ``perturb`` with the same p-table and record keys (the same
persons always get the same noise), and the published k for sensitive
sources.

First, for readability, each column keeps its ``MOST`` largest nodes (by
perturbed persons) and the others join "AUTRES". Then the rules, in order,
repeated until nothing changes:
1. a node (source, program or outcome) whose perturbed persons are under k
   is merged into that column's "AUTRES" node;
2. a flow whose perturbed persons are under k is merged: source -> program
   into "AUTRES" sources -> program, program -> outcome into program ->
   "AUTRES" outcomes; the merged flow is counted again (its persons once)
   and perturbed with its own cell key;
3. a merged flow still under k is **left out with its pathways**: those
   pathways leave the whole chart, node totals included, and rules 1-2
   run again on what is left.
Every figure shown (flows and node totals) is then counted over the same
pathways, so no total holds a hidden flow that "total minus the flows shown"
would give back; the chart says that small flows were left out, never how
many persons. A source flow (and source node) holding a pathway from a
sensitive source (SPIP, health services) uses the published k, and so does
everything when the filter picks a sensitive source.
"""

from dataclasses import dataclass

import numpy as np
import polars as pl

from dashboard.data import Data
from dashboard.disclosure import (
    LIST_FIELDS,
    SelectionError,
    answer_settings,
    close_to_another,
    disclosure_mode,
    persons_selected,
    sensitive_selection,
    thresholds,
)
from dashboard.filters import Filters
from dashboard.metrics.common import PerSnapshot, person_count
from dashboard.metrics.pathways import COLUMNS, pathways
from dashboard.perturbation import perturb, ptable
from models.reference import SENSITIVE_SOURCES

OTHERS = "AUTRES"
MOST = 8
"""Nodes a column shows at most before the rest join "AUTRES" (readable at 390 px)."""
"""The merged node of a column ("Autres sources", "Autres dispositifs", "Autres situations" on the chart)."""


@dataclass(frozen=True)
class ProtectedPathways:
    """The Sankey's published figures.

    ``flows``: ``stage`` (1: source -> program, 2: program -> outcome), ``origin``, ``target``, ``persons``
    (perturbed unless exact), every flow at or over its k. ``nodes``: ``column`` (source, program, outcome),
    ``node``, ``persons`` (null when under k: it reads "< k") for the nodes of the flows shown. ``merged``: some
    flows or nodes were merged into ``OTHERS``; ``left_out``: some small flows could not be shown even merged.
    """

    flows: pl.DataFrame
    nodes: pl.DataFrame
    k: int
    too_small: bool
    mode: str
    merged: bool = False
    left_out: bool = False


_OTHERS = pl.lit(OTHERS).cast(pl.Categorical)
_FLOWS = {"stage": pl.Int8, "origin": pl.String, "target": pl.String, "persons": pl.Int64}
_NODES = {"column": pl.String, "node": pl.String, "persons": pl.Int64}


def _counted(frame: pl.DataFrame, keys: list[str], k_column: str, exact: bool) -> pl.DataFrame:
    """Per ``keys``: distinct persons, perturbed (unless ``exact``), and ``_k``, the largest k of their pathways."""
    counts = (frame.group_by(keys).agg(*person_count("persons"), pl.col(k_column).max().alias("_k"))
              .with_columns(pl.col(keys).cast(pl.String)).sort(keys))  # codes sorted as text
    raw = counts["persons"].to_numpy().astype(np.int64)
    shown = raw if exact else perturb(raw, counts["_ck_persons"].to_numpy().astype(np.int64), ptable())
    return counts.with_columns(pl.Series("persons", shown, dtype=pl.Int64))


def _merge_small(frame: pl.DataFrame, keys: list[str], relabel: str, k_column: str,
                 exact: bool) -> tuple[pl.DataFrame, bool]:
    """Pathways whose group of ``keys`` is under its k get ``OTHERS`` in ``relabel``."""
    counts = _counted(frame, keys, k_column, exact)
    small = counts.filter(pl.col("persons") < pl.col("_k")).select(pl.col(keys).cast(pl.Categorical)).with_columns(
        pl.lit(True).alias("_small"))
    if small.is_empty():
        return frame, False
    marked = frame.join(small, on=keys, how="left", maintain_order="left")
    relabelled = marked.with_columns(
        pl.when(pl.col("_small").fill_null(False)).then(_OTHERS).otherwise(pl.col(relabel)).alias(relabel)
    ).drop("_small")
    return relabelled, True


# (column of the pathways, its label once merged, the k column of its rows)
_NODE_LABELS = (("source", "origin1", "_k_source"), ("program", "program", "_k_other"), ("outcome", "target2", "_k_other"))
# (flow keys, the label merged into "AUTRES", the k column)
_FLOW_LABELS = ((["origin1", "program"], "origin1", "_k_source"), (["program", "target2"], "target2", "_k_other"))


def _one_round(rows: pl.DataFrame, exact: bool) -> tuple[pl.DataFrame, pl.Series, bool]:
    """Rules 1 and 2 on ``rows``; returns the labelled pathways, the ``_row`` of those rule 3 leaves out, and
    whether anything was merged."""
    work = rows.with_columns(pl.col("source").alias("origin1"), pl.col("outcome").alias("target2"))
    merged = False
    for _, label, k_column in _NODE_LABELS:
        work, changed = _merge_small(work, [label], label, k_column, exact)
        merged |= changed
    dropped: list[pl.Series] = []
    for keys, relabel, k_column in _FLOW_LABELS:
        work, changed = _merge_small(work, keys, relabel, k_column, exact)
        merged |= changed
        gone = _counted(work, keys, k_column, exact).filter(pl.col("persons") < pl.col("_k")).select(
            pl.col(keys).cast(pl.Categorical))
        dropped.append(work.join(gone, on=keys, how="semi")["_row"])
    return work, pl.concat(dropped).unique(), merged


def _largest(rows: pl.DataFrame, most: int, exact: bool) -> tuple[pl.DataFrame, bool]:
    """Rule 0, for a chart that stays readable on a phone: in each column, the nodes after the ``most`` largest
    (perturbed persons; ties by code) join "AUTRES"."""
    merged = False
    for column, _, k_column in _NODE_LABELS:
        counts = _counted(rows, [column], k_column, exact).sort(["persons", column], descending=[True, False])
        kept = counts[column].head(most).to_list()
        if counts.height > most:
            rows = rows.with_columns(pl.when(pl.col(column).cast(pl.String).is_in(kept)).then(pl.col(column))
                                     .otherwise(_OTHERS).alias(column))
            merged = True
    return rows, merged


def _protect(rows: pl.DataFrame, k: int, k_sensitive: int, sensitive_all: bool, exact: bool,
             most: int) -> tuple[pl.DataFrame, pl.DataFrame, bool, bool]:
    # Codes as categoricals: the fifteen or so group-bys below run on integers (a second less on XL).
    rows = rows.with_columns(pl.col(COLUMNS).cast(pl.Categorical)).with_row_index("_row").with_columns(
        pl.when(pl.col("source").cast(pl.String).is_in(sorted(SENSITIVE_SOURCES)) | pl.lit(sensitive_all))
        .then(pl.lit(k_sensitive)).otherwise(pl.lit(k)).alias("_k_source"),
        pl.lit(k_sensitive if sensitive_all else k).alias("_k_other"),
    )
    rows, merged = _largest(rows, most, exact)
    left_out = False
    while True:
        work, dropped, changed = _one_round(rows, exact)
        merged |= changed
        if dropped.is_empty():
            break
        left_out = True
        rows = rows.filter(~pl.col("_row").is_in(dropped.implode()))
    if work.is_empty():
        return pl.DataFrame(schema=_FLOWS), pl.DataFrame(schema=_NODES), merged, left_out
    flows = pl.concat([
        _counted(work, keys, k_column, exact).select(
            pl.lit(stage, pl.Int8).alias("stage"), pl.col(keys[0]).alias("origin"), pl.col(keys[1]).alias("target"),
            "persons")
        for stage, (keys, _, k_column) in enumerate(_FLOW_LABELS, start=1)
    ])
    nodes = pl.concat([
        _counted(work, [label], k_column, exact).select(
            pl.lit(column).alias("column"), pl.col(label).alias("node"),
            pl.when(pl.col("persons") >= pl.col("_k")).then(pl.col("persons")).alias("persons"))
        for column, label, k_column in _NODE_LABELS
    ])
    return flows.cast(_FLOWS), nodes.cast(_NODES), merged, left_out  # type: ignore[arg-type]


def protected_pathways(data: Data, filters: Filters, *, published: bool, most: int = MOST) -> ProtectedPathways:
    """The Sankey of ``filters`` (on whole periods) with every rule applied, at most ``most`` nodes a column
    before "AUTRES"; see the module's docstring."""
    filters = filters.snapped()
    several = [field for field in LIST_FIELDS if len(getattr(filters, field)) > 1]
    if several:
        raise SelectionError(f"one value per filter: {', '.join(several)}")
    mode = disclosure_mode()
    access = getattr(data, "access", None)
    if access is not None:  # a signed-in person's snapshot: its scope sets the level, as in figures()
        published, mode = access.disclosure(filters.structures, published, mode)
    k, k_published = thresholds(published)
    # As ``figures``: the page asks again on every rerun; every input of the answer is in the key.
    key = (filters, most, answer_settings(mode, k, k_published))
    return _ANSWERS.get(data, key, lambda: _answer(data, filters, mode, k, k_published, most))


_ANSWERS = PerSnapshot(size=32)


def _answer(data: Data, filters: Filters, mode: str, k: int, k_published: int, most: int) -> ProtectedPathways:
    sensitive_all = sensitive_selection(filters)
    k_rows = k_published if sensitive_all else k
    if 0 < persons_selected(data, filters, enough=k_rows) < k_rows or close_to_another(data, filters, k_rows):
        return ProtectedPathways(pl.DataFrame(schema=_FLOWS), pl.DataFrame(schema=_NODES), k_rows, True, mode)
    flows, nodes, merged, left_out = _protect(pathways(data, filters), k, k_published, sensitive_all, mode == "exact", most)
    return ProtectedPathways(flows, nodes, k_rows, False, mode, merged, left_out)


__all__ = ["OTHERS", "ProtectedPathways", "protected_pathways"]
