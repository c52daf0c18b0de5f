"""Who an analysis is about, and what is known of each person at entry.

*Entry* is a person's first support period entry (``support_periods``, all
programs). The persons come from the page's filters (``selection``: the
structure, sex, age band, source and program filters, entries dated in the
filter's range) or from a members frame with ``pid`` (a cohort).

The covariates describe a person at entry: age band, sex, source of the
first referral, structure, program of the first support period, main resource, justice situation, priority area
(QPV) and the needs level of every life domain at entry: the earliest
assessment of the domain dated from ``ENTRY_BEFORE_DAYS`` before entry to
``ENTRY_AFTER_DAYS`` after it (``levels``). A missing value is never guessed: codes read
``INCONNU`` and a missing level gets its own indicator.
"""

import numpy as np
import polars as pl
from scipy import sparse

from dashboard.analyses.levels import by_person, domain_levels
from dashboard.data import Data
from dashboard.filters import Filters
from dashboard.metrics.common import UNKNOWN, PerSnapshot, selection

CATEGORICAL = ("age_band", "sex", "source", "structure_id", "program", "resources", "justice", "qpv")
LEVEL_PREFIX = "level:"
MISSING_PREFIX = "missing:"
NEUTRAL_LEVEL = 3.0
"""A missing level is written as this middle level, and its indicator says it is missing (the model learns both)."""


def entries(data: Data, filters: Filters | None = None, members: pl.DataFrame | None = None) -> pl.DataFrame:
    """One row per person of the set with a support period: pid, pk, structure_id, entry_date and the first
    support period's program, exit_date, exit_reason, exit_housing, exit_employment; sorted by pid.

    ``filters``: the persons ``selection`` keeps, with an entry dated in the filter's range.
    ``members``: only these ``pid`` (a cohort); both may be given.
    """
    first = (
        data.support_periods.lazy()
        .sort("pid", "entry_date", "support_id")
        .group_by("pid", maintain_order=True)
        .first()
        .select("pid", "entry_date", "program", "exit_date", "exit_reason", "exit_housing", "exit_employment")
    )
    persons = data.persons.lazy().select("pid", "pk", "structure_id")
    if filters is not None:
        persons = persons.filter(pl.col("pid").is_in(selection(data, filters).persons["pid"].implode()))
    if members is not None:
        persons = persons.filter(pl.col("pid").is_in(members["pid"].cast(pl.UInt32).implode()))
    frame = persons.join(first, on="pid", how="inner")
    if filters is not None and filters.start:
        frame = frame.filter(pl.col("entry_date") >= filters.start)
    if filters is not None and filters.end:
        frame = frame.filter(pl.col("entry_date") <= filters.end)
    return frame.sort("pid").collect()


_LEVELS = PerSnapshot(size=8)


def levels_of_entries(data: Data, filters: Filters | None, members: pl.DataFrame | None,
                      horizons: tuple[int, ...], everyone: pl.DataFrame | None = None) -> pl.DataFrame:
    """``levels.domain_levels`` of every person of ``entries(data, filters, members)`` (``everyone``, when the
    caller has it), kept per snapshot: the effect analysis (a subset: those at risk of exposure) and the
    typologies read the same frame."""
    member_key = None if members is None else members["pid"].sort().to_numpy().tobytes()
    return _LEVELS.get(data, ("levels", filters, member_key, horizons), lambda: domain_levels(
        data, entries(data, filters, members) if everyone is None else everyone, horizons))


def entry_levels(data: Data, people: pl.DataFrame) -> pl.DataFrame:
    """pid, domain, level: the earliest assessment of each domain in the entry window; sorted by pid, domain."""
    return domain_levels(data, people).filter(pl.col("level").is_not_null()).select("pid", "domain", "level")


def covariates(data: Data, people: pl.DataFrame, levels: pl.DataFrame | None = None) -> pl.DataFrame:
    """pid, the categorical covariates (text, ``INCONNU`` when missing; ``program`` is the first support period's)
    and ``level:<DOMAIN>`` (null when missing), one row per person of ``people`` (``entries``), in its order.
    ``levels``: ``entry_levels(data, people)`` when already computed."""
    first_source = (
        data.referrals.lazy()
        .sort("pid", "referral_date", "referral_id")
        .group_by("pid", maintain_order=True)
        .first()
        .select("pid", "source")
    )
    qpv = pl.col("priority_area")
    frame = (
        people.lazy().select("pid", "program")
        .join(data.persons.lazy().select("pid", "structure_id", "age_band", "sex", "resources", "justice", "priority_area"),
              on="pid", how="left", maintain_order="left")
        .join(first_source, on="pid", how="left", maintain_order="left")
        .with_columns(
            pl.when(qpv.is_null()).then(pl.lit(UNKNOWN)).when(qpv).then(pl.lit("OUI")).otherwise(pl.lit("NON")).alias("qpv"),
        )
        .with_columns(pl.col(c).cast(pl.String).fill_null(UNKNOWN) for c in CATEGORICAL)
        .select("pid", *CATEGORICAL)
        .collect()
    )
    domains = sorted(data.domain_readings["domain"].to_list())
    levels = entry_levels(data, people) if levels is None else levels
    matrix = by_person(levels, people, "level", domains)
    return frame.with_columns(pl.Series(f"{LEVEL_PREFIX}{d}", matrix[:, i]).fill_nan(None)
                              for i, d in enumerate(domains))


def design(frame: pl.DataFrame, skip: tuple[str, ...] = ()) -> tuple[sparse.csr_matrix, list[str]]:
    """The covariates as numbers for the models and the balance table: one 0/1 column per code seen
    (``sex=F``), and per domain its level (``level:LOGEMENT``, the missing ones at ``NEUTRAL_LEVEL``) and a
    missing indicator (``missing:LOGEMENT``). Columns constant over ``frame`` are left out (they cannot
    differ between groups). Sparse (a federation has hundreds of structures, each person one of them).
    ``skip``: categorical covariates left out."""
    n = frame.height
    names: list[str] = []
    indices: list[np.ndarray] = []  # per column of the matrix's rows: the column index of each person's value
    values: list[np.ndarray] = []
    for column in CATEGORICAL:
        if column in skip:
            continue
        codes = frame[column].unique().sort().to_list()
        if len(codes) < 2:
            continue
        indices.append(frame[column].cast(pl.Enum(codes)).to_physical().to_numpy().astype(np.int64) + len(names))
        values.append(np.ones(n))
        names.extend(f"{column}={code}" for code in codes)
    for column in frame.columns:
        if column.startswith(LEVEL_PREFIX):
            level = frame[column].to_numpy().astype(np.float64)
            missing = np.isnan(level)
            for value, name in ((np.where(missing, NEUTRAL_LEVEL, level), column),
                                (missing.astype(np.float64), MISSING_PREFIX + column.removeprefix(LEVEL_PREFIX))):
                if n and value.std() > 0:
                    indices.append(np.full(n, len(names), dtype=np.int64))
                    values.append(value)
                    names.append(name)
    if not indices:
        return sparse.csr_matrix((n, 0)), []
    # Every row holds one entry per code covariate and per level column, in increasing column order: the matrix
    # is written directly in CSR form (zeros of the missing indicators then dropped).
    width = len(indices)
    # (vstack then transpose: column_stack of many long columns writes strided and is 6 times slower here)
    matrix = sparse.csr_matrix((np.vstack(values).T.ravel(), np.vstack(indices).T.ravel(),
                                np.arange(0, n * width + 1, width)), shape=(n, len(names)))
    matrix.eliminate_zeros()
    return matrix, names
