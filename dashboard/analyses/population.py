"""Who an analysis is about, and what is known of each person at entry.

*Entry* is a person's first support period entry (``support_periods``, all
programs). The persons come from the page's filters (``selection``: the
structure, sex, age band, source and program filters, entries dated in the
filter's range) or from a members frame with ``pid`` (a cohort).

The covariates describe a person at entry: age band, sex, source of the
first referral, structure, program of the first support period, main resource, justice situation, priority area
(QPV) and the needs level of every life domain at entry: the earliest
assessment of the domain dated from ``ENTRY_BEFORE_DAYS`` before entry to
``ENTRY_AFTER_DAYS`` after it. A missing value is never guessed: codes read
``INCONNU`` and a missing level gets its own indicator.
"""

from datetime import timedelta

import numpy as np
import polars as pl
from scipy import sparse

from dashboard.data import Data
from dashboard.filters import Filters
from dashboard.metrics.common import UNKNOWN, selection

ENTRY_BEFORE_DAYS = 30
ENTRY_AFTER_DAYS = 60
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


def entry_levels(data: Data, people: pl.DataFrame) -> pl.DataFrame:
    """pid, domain, level: the earliest assessment of each domain in the entry window; sorted by pid, domain."""
    window = people.select("pid", "entry_date")
    return (
        data.assessments.lazy()
        .join(window.lazy(), on="pid", how="inner")
        .filter(
            pl.col("assessment_date") >= pl.col("entry_date") - timedelta(days=ENTRY_BEFORE_DAYS),
            pl.col("assessment_date") <= pl.col("entry_date") + timedelta(days=ENTRY_AFTER_DAYS),
        )
        .sort("pid", "domain", "assessment_date")
        .group_by("pid", "domain", maintain_order=True)
        .first()
        .select("pid", "domain", pl.col("level").cast(pl.Int64))
        .sort("pid", "domain")
        .collect()
    )


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
              on="pid", how="left")
        .join(first_source, on="pid", how="left")
        .with_columns(
            pl.when(qpv.is_null()).then(pl.lit(UNKNOWN)).when(qpv).then(pl.lit("OUI")).otherwise(pl.lit("NON")).alias("qpv"),
        )
        .with_columns(pl.col(c).cast(pl.String).fill_null(UNKNOWN) for c in CATEGORICAL)
        .select("pid", *CATEGORICAL)
        .collect()
    )
    domains = sorted(data.domain_readings["domain"].to_list())
    levels = entry_levels(data, people) if levels is None else levels
    wide = levels.pivot(on="domain", index="pid", values="level") if not levels.is_empty() else pl.DataFrame({"pid": []})
    columns = [pl.col(d).cast(pl.Float64).alias(f"{LEVEL_PREFIX}{d}") if d in wide.columns
               else pl.lit(None, dtype=pl.Float64).alias(f"{LEVEL_PREFIX}{d}") for d in domains]
    wide = wide.with_columns(pl.col("pid").cast(pl.UInt32)).select("pid", *columns)
    return frame.join(wide, on="pid", how="left", maintain_order="left")


def design(frame: pl.DataFrame, skip: tuple[str, ...] = ()) -> tuple[sparse.csr_matrix, list[str]]:
    """The covariates as numbers for the models and the balance table: one 0/1 column per code seen
    (``sex=F``), and per domain its level (``level:LOGEMENT``, the missing ones at ``NEUTRAL_LEVEL``) and a
    missing indicator (``missing:LOGEMENT``). Columns constant over ``frame`` are left out (they cannot
    differ between groups). Sparse (a federation has hundreds of structures, each person one of them).
    ``skip``: categorical covariates left out."""
    n = frame.height
    blocks: list[sparse.csr_matrix] = []
    names: list[str] = []
    for column in CATEGORICAL:
        if column in skip:
            continue
        codes = frame[column].unique().sort().to_list()
        if len(codes) < 2:
            continue
        index = frame[column].replace_strict(codes, list(range(len(codes))), return_dtype=pl.Int64).to_numpy()
        blocks.append(sparse.csr_matrix((np.ones(n), (np.arange(n), index)), shape=(n, len(codes))))
        names.extend(f"{column}={code}" for code in codes)
    dense, dense_names = [], []
    for column in frame.columns:
        if column.startswith(LEVEL_PREFIX):
            level = frame[column].to_numpy().astype(np.float64)
            missing = np.isnan(level)
            for values, name in ((np.where(missing, NEUTRAL_LEVEL, level), column),
                                 (missing.astype(np.float64), MISSING_PREFIX + column.removeprefix(LEVEL_PREFIX))):
                if n and values.std() > 0:
                    dense.append(values)
                    dense_names.append(name)
    if dense:
        blocks.append(sparse.csr_matrix(np.column_stack(dense)))
        names.extend(dense_names)
    if not blocks:
        return sparse.csr_matrix((n, 0)), []
    return sparse.hstack(blocks, format="csr"), names
