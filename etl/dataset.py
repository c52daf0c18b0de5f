"""What the read side of the ETL hands to the load: staged frames and problems.

``read_and_validate`` lives in ``etl.validate``; it is re-exported here so
that callers need only this module.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

if TYPE_CHECKING:
    from etl.budgets import Budgets


@dataclass(frozen=True)
class Problem:
    """An error (the load fails) or a warning (the load goes on)."""

    table: str  # contract table name, e.g. "orientations"
    file: str  # file as read: "orientations.csv", "export.xlsx!orientations", "data.zip!personnes.csv"
    line: int | None  # header is line 1, first data row line 2; xlsx: sheet row number
    column: str | None  # contract (French) column name
    value: str | None  # offending value as read, truncated
    code: str  # machine code, e.g. BAD_DATE, UNKNOWN_CODE, AGE_IMPLAUSIBLE
    message: str  # human sentence in the requested language


@dataclass(frozen=True)
class SourceFile:
    """One file (or workbook sheet) read for a table."""

    name: str
    table: str
    sha256: str
    rows: int


@dataclass
class ValidatedDataset:
    """Staged frames keyed by contract table name, in contract load order.

    ``read_and_validate`` hands them spilled to disk (``etl.spill.StagedTables``):
    stream them with ``etl.spill.table_chunks``; ``tables[name]`` reads one whole.
    """

    tables: Mapping[str, pl.DataFrame]
    files: list[SourceFile]
    errors: list[Problem]
    warnings: list[Problem]
    structures: list[str]

    @property
    def ok(self) -> bool:
        return not self.errors


def read_and_validate(
    path: Path,
    *,
    structure: str | None = None,
    lang: str = "fr",
    today: date | None = None,
    budgets: Budgets | None = None,
) -> ValidatedDataset:
    """Read the dataset at ``path``, stage and validate it; never raises on bad input
    (``ValueError`` for a budget setting that is not a positive number)."""
    from etl.validate import read_and_validate as run

    return run(Path(path), structure=structure, lang=lang, today=today, budgets=budgets)
