"""Shared by the demo tests: the fixed day the datasets end, and a reader."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl

from models.contract import CONTRACT_TABLES

TODAY = date(2026, 3, 15)


def read_tables(folder: Path) -> dict[str, pl.DataFrame]:
    """Every CSV of a demo folder, all columns as text, as a loader sees them."""
    return {t: pl.read_csv(folder / f"{t}.csv", infer_schema=False) for t in CONTRACT_TABLES}
