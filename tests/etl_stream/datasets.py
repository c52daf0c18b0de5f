"""Generated datasets for the streaming tests: the demo's size S, copied under new
structure ids to make it as large as needed, and a second version of it
(values changed, rows gone) to load over the first."""

from __future__ import annotations

from pathlib import Path

import polars as pl

TABLE_FILES = ("structures", "personnes", "orientations", "accompagnements", "evaluations", "ateliers", "seances",
               "participations", "jalons")


def _read(folder: Path, table: str) -> pl.DataFrame:
    return pl.read_csv(folder / f"{table}.csv", infer_schema=False)


def copied(source: Path, copies: int, out: Path) -> Path:
    """``copies`` copies of the dataset at ``source``, copy i under structure ids suffixed ``-i``."""
    out.mkdir(parents=True, exist_ok=True)
    for table in TABLE_FILES:
        frame = _read(source, table)
        pl.concat(
            frame.with_columns(pl.col("structure_id") + f"-{i}") for i in range(copies)
        ).write_csv(out / f"{table}.csv")
    return out


def second_version(source: Path, out: Path) -> Path:
    """The dataset at ``source`` a month later: 10 persons' territory changed, the last
    100 assessments gone, everything else as it was."""
    out.mkdir(parents=True, exist_ok=True)
    for table in TABLE_FILES:
        frame = _read(source, table)
        if table == "personnes":
            frame = frame.with_columns(
                pl.when(pl.int_range(pl.len()) < 10).then(pl.lit("Nouveau quartier")).otherwise(pl.col("territoire"))
                .alias("territoire")
            )
        if table == "evaluations":
            frame = frame.head(frame.height - 100)
        frame.write_csv(out / f"{table}.csv")
    return out


def rows_of(folder: Path) -> dict[str, int]:
    return {table: _read(folder, table).height for table in TABLE_FILES}
