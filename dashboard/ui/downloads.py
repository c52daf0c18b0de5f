"""Files that leave the application: CSV and XLSX of the PUBLISHED figures.

A download is recomputed with ``published=True`` (threshold
``PARCOURS_MIN_CELL_PUBLISHED``), never taken from the screen version:
anything that leaves the app is published. Suppressed cells are empty.
Columns keep the definitions' names and codes (as on the command line) so
that files from different languages and dates compare; each code column is
followed by a ``<column>_label`` column in the reader's language.
"""

import io
from datetime import date

import polars as pl
import xlsxwriter

from dashboard.i18n import CODE_COLUMNS, label_column, structure_names, t
from dashboard.metrics import public_columns
from dashboard.safe_text import csv_cell


def with_labels(frame: pl.DataFrame, lang: str, labels: pl.DataFrame, structures: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with a ``<column>_label`` column after every code column."""
    order: list[str] = []
    out = frame
    for column in frame.columns:
        order.append(column)
        code_list = CODE_COLUMNS.get(column)
        if code_list and frame[column].dtype == pl.String:
            labelled = label_column(frame.select(column), column, code_list, lang, labels)[column]
            out = out.with_columns(labelled.alias(f"{column}_label"))
            order.append(f"{column}_label")
        elif column == "structure_id":
            names = structure_names(structures)
            out = out.with_columns(pl.col(column).replace_strict(names, default=None, return_dtype=pl.String).alias("structure_name"))
            order.append("structure_name")
        elif column == "figure":
            out = out.with_columns(pl.col(column).map_elements(lambda f: _figure_label(f, lang), return_dtype=pl.String)
                                   .alias("figure_label"))
            order.append("figure_label")
    return out.select(order)


def _figure_label(figure: str, lang: str) -> str:
    try:
        return t(f"figure.{figure}", lang)
    except KeyError:
        return figure


def csv_bytes(frame: pl.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel opens accents correctly; text cells that a spreadsheet would
    run as a formula (``=...``, ``+...``, ``-...``, ``@...``) start with ``'`` (``dashboard.safe_text.csv_cell``),
    numbers stay numbers."""
    public = frame.select(public_columns(frame))
    return b"\xef\xbb\xbf" + public.with_columns(_neutralised(public[c]) for c in public.columns
                                                   if _is_text(public[c].dtype)).write_csv().encode("utf-8")


def _is_text(dtype: pl.DataType) -> bool:
    return dtype == pl.String or isinstance(dtype, pl.Categorical | pl.Enum)


def _neutralised(column: pl.Series) -> pl.Series:
    return pl.Series(column.name, [None if v is None else csv_cell(v) for v in column.cast(pl.String).to_list()],
                     dtype=pl.String)


def xlsx_bytes(frame: pl.DataFrame, sheet: str) -> bytes:
    """One sheet; every text cell is stored as a string, never as a formula or a link, whatever it starts with."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"strings_to_formulas": False, "strings_to_urls": False,
                                            "strings_to_numbers": False})
    frame.select(public_columns(frame)).write_excel(workbook, worksheet=sheet[:31], autofit=True)
    workbook.close()
    return buffer.getvalue()


def file_stem(name: str, start: date | None, end: date | None) -> str:
    """``parcours_referrals-by-source_2024-01-01_2024-12-31``."""
    parts = ["parcours", name]
    if start:
        parts.append(start.isoformat())
    if end:
        parts.append(end.isoformat())
    return "_".join(parts)
