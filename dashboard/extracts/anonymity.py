"""k-anonymity and l-diversity for a person-level extract: generalise, suppress, blank, re-identify with random ids.

The method is full-domain generalisation with a suppression limit, as in
ARX or Samarati's: one level per quasi-identifier for the whole extract
(``dashboard.extracts.hierarchy``), chosen among the 54 combinations
(3 x 2 x 3 x 3 levels) as the one that loses least while suppressing at
most ``SUPPRESSION_LIMIT`` of the members:

1. for every combination of levels, the records are generalised and
   grouped by their published quasi-identifiers; the records of classes
   under k would be suppressed;
2. the combinations suppressing at most the limit are kept; the one with
   the smallest loss (the sum over quasi-identifiers of level / top level)
   wins, then the one suppressing fewest, then the preference order of the
   hierarchies (sex kept finest first, the period generalised first);
3. the records of classes under k are suppressed (their number is
   reported); every class left holds at least k persons;
4. l-diversity: in each class, a sensitive attribute (justice situation,
   addictions need) is shown only when the class holds at least l distinct
   known values of it (unknown values do not count); otherwise it is
   blanked for the whole class;
5. rows are sorted by their content and get random ids (``secrets``),
   drawn for this extract only, never derived from the records' ids.

When even publishing no quasi-identifier leaves fewer than k persons (a
cohort under k), every record is suppressed. ``check`` verifies the result
independently of how it was made; ``anonymise`` refuses to return an
extract that fails it.

Why not a library: the maintained Python ones (``anjana`` 1.2.3 and
``pycanon`` 1.3.6, CSIC) pin ``numpy==2.0.2`` and ``pandas`` while the
project runs numpy 2.4 and polars; ``pycanon`` also brings scipy,
reportlab, pyreadstat and typer. The search here is small (54 nodes) and
written on polars in a few lines, with its own independent checker.
"""

import secrets
from dataclasses import dataclass
from fractions import Fraction
from itertools import product

import polars as pl

from dashboard.extracts.hierarchy import HIERARCHIES, QI_COLUMNS, min_levels
from dashboard.extracts.records import PILLAR_COLUMNS

SUPPRESSION_LIMIT = Fraction(5, 100)
"""At most 5 % of the members suppressed rather than generalising further."""
L_DIVERSITY = 2
SENSITIVE = ("justice", "addictions")
UNKNOWN = ("NR", "INCONNU")
OUTCOMES = ("program", "exit_group", "months_to_exit", *PILLAR_COLUMNS.values())
EXTRACT_COLUMNS = ("id", "anchor_period", "sex", "age_band", "territory", "structure", *OUTCOMES, *SENSITIVE)
assert set(EXTRACT_COLUMNS[1:6]) == set(QI_COLUMNS)
ID_BYTES = 6


class ExtractCheckError(AssertionError):
    """An extract that is not k-anonymous or not l-diverse (a bug: never published)."""


@dataclass(frozen=True)
class Extract:
    """A safe extract. ``rows`` has ``EXTRACT_COLUMNS`` (blanked sensitive cells empty); ``blanked`` says, per
    row and sensitive column, which cells l-diversity blanked; ``levels`` the level name chosen per hierarchy."""

    rows: pl.DataFrame
    blanked: pl.DataFrame
    levels: dict[str, str]
    members: int
    suppressed: int
    k: int
    l: int  # noqa: E741 (the l of l-diversity)


def generalised(records: pl.DataFrame, levels: tuple[int, ...]) -> pl.DataFrame:
    """The records with their quasi-identifiers at ``levels`` (one per hierarchy, in ``HIERARCHIES`` order)."""
    return records.with_columns(e for h, level in zip(HIERARCHIES, levels, strict=True) for e in h.at(level))


def _small(k: int) -> pl.Expr:
    """A record whose class (same published quasi-identifiers) holds fewer than k records."""
    return pl.len().over(list(QI_COLUMNS)) < k


def _suppressed_at(records: pl.DataFrame, levels: tuple[int, ...], k: int) -> int:
    sizes = generalised(records, levels).group_by(list(QI_COLUMNS)).len()
    return int(sizes.filter(pl.col("len") < k)["len"].sum())


def choose_levels(records: pl.DataFrame, k: int, floors: tuple[int, ...],
                  limit: Fraction = SUPPRESSION_LIMIT) -> tuple[int, ...]:
    """The combination of levels to publish (see the module's steps 1 and 2)."""
    budget = int(limit * records.height)
    ranges = [range(floor, h.top + 1) for h, floor in zip(HIERARCHIES, floors, strict=True)]
    best: tuple[Fraction, int, tuple[int, ...]] | None = None
    for levels in product(*ranges):
        loss = sum((Fraction(level, h.top) for h, level in zip(HIERARCHIES, levels, strict=True)), Fraction(0))
        if best is not None and loss > best[0]:
            continue
        small = _suppressed_at(records, levels, k)
        if small <= budget and (best is None or (loss, small, levels) < best):
            best = (loss, small, levels)
    return best[2] if best else tuple(h.top for h in HIERARCHIES)


def _random_ids(count: int) -> list[str]:
    ids: set[str] = set()
    ordered: list[str] = []
    while len(ordered) < count:
        candidate = secrets.token_hex(ID_BYTES)
        if candidate not in ids:
            ids.add(candidate)
            ordered.append(candidate)
    return ordered


def anonymise(records: pl.DataFrame, *, k: int, structures: int, l: int = L_DIVERSITY,  # noqa: E741
              floors: tuple[int, ...] | None = None, limit: Fraction = SUPPRESSION_LIMIT) -> Extract:
    """The safe extract of ``records`` (``dashboard.extracts.records.person_records``) for threshold ``k``.

    ``structures`` is the size of the network (the structure is published only in a large enough one);
    ``floors`` overrides the finest level per hierarchy (tests)."""
    floors = floors if floors is not None else min_levels(structures)
    levels = choose_levels(records, k, floors, limit)
    published = generalised(records, levels).filter(~_small(k))
    suppressed = records.height - published.height
    classes = list(QI_COLUMNS)
    blank = {f"_blank_{name}": (pl.col(name).filter(~pl.col(name).is_in(UNKNOWN)).drop_nulls().n_unique().over(classes)
                                < l) for name in SENSITIVE}
    published = published.with_columns(**blank).with_columns(
        pl.when(pl.col(f"_blank_{name}")).then(None).otherwise(pl.col(name)).alias(name) for name in SENSITIVE
    )
    content = [c for c in EXTRACT_COLUMNS if c != "id"] + [f"_blank_{name}" for name in SENSITIVE]
    published = published.select(content).sort(content, nulls_last=True)
    rows = published.select(pl.Series("id", _random_ids(published.height), dtype=pl.String),
                            *[c for c in EXTRACT_COLUMNS if c != "id"])
    blanked = published.select(pl.col(f"_blank_{name}").alias(name) for name in SENSITIVE)
    extract = Extract(rows=rows, blanked=blanked, members=records.height, suppressed=suppressed, k=k, l=l,
                      levels={h.name: h.levels[level] for h, level in zip(HIERARCHIES, levels, strict=True)})
    problems = check(extract)
    if problems:
        raise ExtractCheckError("; ".join(problems))
    return extract


def check(extract: Extract) -> list[str]:
    """What is wrong with an extract (empty when nothing): a class under k, a sensitive attribute shown in a class
    with fewer than l distinct known values, a repeated id."""
    rows = extract.rows
    problems: list[str] = []
    if rows.is_empty():
        return problems
    sizes = rows.group_by(list(QI_COLUMNS)).len()
    if (sizes["len"] < extract.k).any():
        problems.append(f"{int((sizes['len'] < extract.k).sum())} class(es) under k = {extract.k}")
    for name in SENSITIVE:
        shown = rows.with_columns(extract.blanked[name].alias("_blank")).filter(~pl.col("_blank"))
        diversity = shown.group_by(list(QI_COLUMNS)).agg(
            pl.col(name).filter(~pl.col(name).is_in(UNKNOWN)).drop_nulls().n_unique().alias("_l"))
        if (diversity["_l"] < extract.l).any():
            problems.append(f"{name} shown in a class with fewer than l = {extract.l} values")
    if rows["id"].n_unique() != rows.height:
        problems.append("repeated ids")
    return problems


__all__ = ["EXTRACT_COLUMNS", "Extract", "ExtractCheckError", "L_DIVERSITY", "OUTCOMES", "SENSITIVE",
           "SUPPRESSION_LIMIT", "anonymise", "check", "choose_levels", "generalised"]
