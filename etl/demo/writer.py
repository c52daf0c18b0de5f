"""Writing demo tables in the contract's file formats, one structure batch at a time.

CSV and Parquet files are appended to batch by batch, so that only one
structure (plus a Parquet row-group buffer) is ever held in memory; the
XLSX workbook needs every table at once and is only offered for small sizes.
Dates are ``YYYY-MM-DD`` (text in CSV and XLSX, date columns in Parquet);
booleans are ``OUI``/``NON``.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import IO

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from models.contract import contract_columns

WORKBOOK = "parcours-demo.xlsx"
ROW_GROUP_ROWS = 1_000_000
XLSX_MAX_ROWS = 1_048_575
_TYPES = {"date": pl.Date, "int": pl.Int32}


def contract_frame(table: str, frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with exactly the contract's columns, in contract order and types."""
    return frame.select(pl.col(c.source).cast(_TYPES.get(c.kind, pl.String)) for c in contract_columns(table))


class DemoWriter:
    """Appends frames to ``out/<table>.<fmt>`` (or collects them for one workbook)."""

    def __init__(self, out: Path, fmt: str) -> None:
        self.out, self.fmt = out, fmt
        self.counts: dict[str, int] = {}
        self._csv: dict[str, IO[bytes]] = {}
        self._parquet: dict[str, pq.ParquetWriter] = {}
        self._pending: dict[str, list[pl.DataFrame]] = {}

    def __enter__(self) -> DemoWriter:
        self.out.mkdir(parents=True, exist_ok=True)
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        try:
            if error is None:
                for table in list(self._pending):
                    self._flush(table)
                if self.fmt == "xlsx":
                    self._write_workbook()
        finally:
            for handle in self._csv.values():
                handle.close()
            for writer in self._parquet.values():
                writer.close()

    def write(self, table: str, frame: pl.DataFrame) -> None:
        frame = contract_frame(table, frame)
        self.counts[table] = self.counts.get(table, 0) + frame.height
        if self.fmt == "csv":
            first = table not in self._csv
            if first:
                self._csv[table] = open(self.out / f"{table}.csv", "wb")  # noqa: SIM115
            frame.write_csv(self._csv[table], include_header=first)
            return
        self._pending.setdefault(table, []).append(frame)
        if self.fmt == "parquet" and sum(f.height for f in self._pending[table]) >= ROW_GROUP_ROWS:
            self._flush(table)

    def _flush(self, table: str) -> None:
        if self.fmt != "parquet" or not self._pending.get(table):
            return
        data = pl.concat(self._pending.pop(table)).to_arrow()
        if table not in self._parquet:
            schema = pa.schema([field.with_type(_arrow_type(field.type)) for field in data.schema])
            self._parquet[table] = pq.ParquetWriter(self.out / f"{table}.parquet", schema, compression="zstd")
        writer = self._parquet[table]
        writer.write_table(data.cast(writer.schema), row_group_size=ROW_GROUP_ROWS)

    def _write_workbook(self) -> None:
        """One sheet per table, streamed row by row (xlsxwriter's constant-memory mode)."""
        from xlsxwriter import Workbook

        with Workbook(self.out / WORKBOOK, {"constant_memory": True}) as workbook:
            workbook.set_properties({"created": datetime(2018, 1, 1), "title": "Parcours - jeu de démonstration"})
            for table, frames in self._pending.items():
                frame = pl.concat(frames)
                if frame.height > XLSX_MAX_ROWS:
                    raise ValueError(f"{table} : {frame.height} lignes, plus qu'une feuille Excel ne peut en contenir")
                dates = [c for c, dtype in frame.schema.items() if dtype == pl.Date]
                frame = frame.with_columns(pl.col(dates).dt.to_string("%Y-%m-%d"))
                sheet = workbook.add_worksheet(table)
                sheet.write_row(0, 0, frame.columns)
                for number, row in enumerate(frame.iter_rows(), start=1):
                    sheet.write_row(number, 0, row)


def _arrow_type(kind: pa.DataType) -> pa.DataType:
    return pa.string() if pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_string_view(kind) else kind
