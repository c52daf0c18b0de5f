"""Files that leave the application: CSV and XLSX of the PUBLISHED figures.

A download is recomputed with ``published=True`` (threshold
``PARCOURS_MIN_CELL_PUBLISHED``), never taken from the screen version:
anything that leaves the app is published.

The page buttons give files for people (``table_file``): the CSV in the
reader's conventions (``;`` and decimal commas in French, ``,`` and dots in
English, UTF-8 with a byte-order mark), headings in the reader's language,
every code column followed by its label, a hidden cell reading ``< 11`` or
"masqué" as on screen; the XLSX with counts as whole numbers and rates as
percentages (number formats), and the provenance sheet
(``dashboard.provenance``) in the workbook (as ``#`` lines heading the CSV).
See ``dashboard.spreadsheets`` for the cell rules.

``with_labels``, ``csv_bytes`` and ``xlsx_bytes`` write the machine form
(definitions' column names, codes, comma-separated, hidden cells empty),
the command line's form.
"""

import io
from datetime import date, datetime

import polars as pl
import xlsxwriter

from dashboard.catalogue import CATALOGUE
from dashboard.data import Data
from dashboard.disclosure import MASKED, SMALL, Protected, disclosure_mode, thresholds
from dashboard.filters import Filters
from dashboard.i18n import CODE_COLUMNS, has, label_column, structure_names, t
from dashboard.metrics import public_columns
from dashboard.provenance import Provenance, gather, provenance_rows, selection_of
from dashboard.safe_text import csv_cell
from dashboard.spreadsheets import Col, Kind, Sheet
from dashboard.spreadsheets import csv_bytes as sheet_csv
from dashboard.spreadsheets import xlsx_bytes as sheet_xlsx

FILE_FORMATS = ("csv", "xlsx")
Selection = tuple[tuple[str, str], ...]
"""(parameter, value) pairs as in links (``dashboard.provenance.selection_of``)."""
_KINDS: dict[str, Kind] = {"period": "period", "code": "text", "text": "text", "figure": "text", "index": "int",
                           "persons": "int", "events": "int", "sessions": "int", "median": "int", "n": "int",
                           "rate": "rate", "probability": "rate", "mean": "decimal", "per_unit": "decimal"}
HEADINGS: dict[str, tuple[str, str]] = {
    "n": ("Effectif (n)", "Number (n)"),
    "code": ("{heading} (code)", "{heading} (code)"),
    "structure_name": ("Structure", "Structure"),
}


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


def _heading(name: str, lang: str) -> str:
    side = 0 if lang == "fr" else 1
    if name in HEADINGS:
        return HEADINGS[name][side]
    return t(f"col.{name}", lang) if has(f"col.{name}") else name


def _column(protected: Protected, frame: pl.DataFrame, name: str, lang: str) -> Col:
    """How a column of the labelled table is headed and written."""
    side = 0 if lang == "fr" else 1
    if name.endswith("_label") and name[: -len("_label")] in frame.columns:
        return Col(name, _heading(name[: -len("_label")], lang))
    if f"{name}_label" in frame.columns or (name == "structure_id" and "structure_name" in frame.columns):
        return Col(name, HEADINGS["code"][side].format(heading=_heading(name, lang)))
    figure = CATALOGUE.get(protected.metric)
    kind = figure.kind(name) if figure else None
    if kind in ("value", "change"):
        rates = figure.rates if figure else frozenset()
        rows: tuple[Kind, ...] = tuple("rate" if f in rates else "int" for f in frame["figure"].to_list())
        return Col(name, _heading(name, lang), "int", kinds=rows)
    if kind in _KINDS:
        return Col(name, _heading(name, lang), _KINDS[kind])
    dtype = frame[name].dtype
    return Col(name, _heading(name, lang), "int" if dtype.is_integer() else "decimal" if dtype.is_float() else "text")


def table_sheet(protected: Protected, lang: str, labels: pl.DataFrame, structures: pl.DataFrame) -> Sheet:
    """The published table as a sheet for people: labels beside codes, headings and hidden cells in ``lang``."""
    frame = with_labels(protected.table.select(public_columns(protected.table)), lang, labels, structures)
    row_k = list(protected.row_k) or [protected.k] * frame.height
    hidden: dict[str, list[str | None]] = {}
    for name in protected.cells.columns:
        if name in frame.columns:
            readings = protected.cells[name].to_list()
            hidden[name] = [t("suppressed.cell", lang, k=k) if r == SMALL else t("suppressed.masked", lang)
                            if r == MASKED else None for r, k in zip(readings, row_k, strict=True)]
    columns = tuple(_column(protected, frame, name, lang) for name in frame.columns)
    title = CATALOGUE[protected.metric].title.get(lang) if protected.metric in CATALOGUE else None
    return Sheet(name=title or protected.metric or "table", frame=frame, columns=columns, hidden=hidden)


def table_provenance(protected: Protected, data: Data, filters: Filters, lang: str, files: pl.DataFrame,
                     made_at: datetime | None = None, selection: Selection | None = None) -> Provenance:
    """Where a downloaded table comes from: the figure, the filters (or ``selection``, e.g. a cohort's link
    parameters), the data, the rules."""
    figure = CATALOGUE.get(protected.metric)
    title = figure.title.get(lang, protected.metric) if figure else protected.metric
    chosen = selection if selection is not None else selection_of(filters.to_query() | {"by": filters.by})
    return gather(data, what=f"{title} ({protected.metric})", selection=chosen, files=files, k=protected.k,
                  k_screen=thresholds(False)[0], mode=protected.mode or disclosure_mode(), made_at=made_at)


def table_file(protected: Protected, data: Data, filters: Filters, lang: str, fmt: str, files: pl.DataFrame,
               made_at: datetime | None = None, selection: Selection | None = None) -> bytes:
    """The published table as ``csv`` or ``xlsx`` bytes for people, with its provenance."""
    sheet = table_sheet(protected, lang, data.labels, data.structures)
    rows = provenance_rows(table_provenance(protected, data, filters, lang, files, made_at, selection), lang)
    if fmt == "csv":
        return sheet_csv(sheet, lang, rows)
    if fmt == "xlsx":
        return sheet_xlsx(sheet, lang, rows)
    raise ValueError(f"format {fmt!r}: expected one of {', '.join(FILE_FORMATS)}")
