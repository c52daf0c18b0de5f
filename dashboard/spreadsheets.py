"""Files a spreadsheet opens as its reader expects: CSV in the reader's conventions, XLSX with number formats.

A French Excel reads a CSV with ``;`` between cells and ``,`` as the decimal
mark; an English one ``,`` and ``.``. Both get UTF-8 with a byte-order mark
(without it Excel reads accents as Windows-1252) and ``\\r\\n`` line ends
(RFC 4180). Headings are in the reader's language.

What a cell holds, by its column's kind:

- ``int``: a whole number (``1234``; no thousands separator, which Excel
  would read as text);
- ``rate``: a share between 0 and 1, two decimals in CSV (``0,43``, the
  command line's number in the reader's marks); a number formatted
  ``0 %`` in XLSX (shows ``43 %``);
- ``decimal``: ``digits`` decimals (``2,5``); XLSX ``#,##0.0``;
- ``period``: a period label in words (``T1 2024``), as text;
- ``text``: text from the data, neutralised in CSV (``dashboard.safe_text.csv_cell``)
  and always stored as a string in XLSX (never a formula, a link or a number).

A hidden cell holds the text disclosure control gives it (``< 11``,
``masqué``), never its value. The provenance (``dashboard.provenance``)
heads a CSV as ``#`` lines (``pandas.read_csv(comment="#")`` and R's
``comment.char`` skip them) and is the workbook's second sheet.

No Streamlit here: the app, the command line and the extracts share it.
"""

from __future__ import annotations

import io
import math
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, Literal

import polars as pl
import xlsxwriter

from dashboard.formatting import fmt_period
from dashboard.safe_text import csv_cell

Kind = Literal["text", "int", "rate", "decimal", "period"]
SEPARATOR = {"fr": ";", "en": ","}
DECIMAL_MARK = {"fr": ",", "en": "."}
BOM = b"\xef\xbb\xbf"
LINE_END = "\r\n"
RATE_DIGITS = 2
XLSX_FORMATS: dict[str, str] = {"int": "#,##0", "rate": "0%", "decimal": "#,##0.0"}
"""Excel shows ``#,##0`` as ``1 234`` in French and ``1,234`` in English: the file holds the number only."""
SHEET_NAME_LIMIT = 31
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_SPECIAL = {separator: re.compile(f'[{re.escape(separator)}"\n\r]') for separator in set(SEPARATOR.values())}


@dataclass(frozen=True)
class Col:
    """One column: its machine ``name`` (in ``Sheet.frame``), its ``heading`` in the reader's language, its kind.

    ``kinds`` overrides the kind row by row (the overview mixes counts and rates in one column)."""

    name: str
    heading: str
    kind: Kind = "text"
    digits: int = 1
    kinds: tuple[Kind, ...] | None = None

    def kind_at(self, row: int) -> Kind:
        return self.kinds[row] if self.kinds is not None else self.kind


@dataclass(frozen=True)
class Sheet:
    """A table to write: ``frame`` holds the values, ``hidden`` per column the text of each hidden cell (None
    where the value shows)."""

    name: str
    frame: pl.DataFrame
    columns: tuple[Col, ...]
    hidden: dict[str, list[str | None]] = field(default_factory=dict)


Provenance = Sequence[tuple[str, str]]
"""(label, value) rows in the reader's language (``dashboard.provenance.provenance_rows``)."""


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number_text(value: Any, kind: Kind, lang: str, digits: int = 1) -> str:
    """A number as a CSV cell in the reader's marks; "" when missing."""
    if _missing(value):
        return ""
    places = 0 if kind == "int" else RATE_DIGITS if kind == "rate" else digits
    # Half away from zero on the shortest decimal form (2.25 -> 2.3), as the screens round (dashboard.formatting).
    rounded = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{rounded:f}"
    if text.startswith("-") and rounded == 0:
        text = text[1:]  # -0.0 reads as a negative number to nobody's benefit
    return text.replace(".", DECIMAL_MARK.get(lang, "."))


def cell_text(value: Any, kind: Kind, lang: str, digits: int = 1) -> str:
    """A value as a CSV cell: numbers in the reader's marks, periods in words, text neutralised."""
    if _missing(value):
        return ""
    if kind in ("int", "rate", "decimal"):
        return number_text(value, kind, lang, digits)
    if kind == "period":
        return csv_cell(fmt_period(str(value), lang))
    if isinstance(value, bool):
        return "true" if value else "false"
    return csv_cell(str(value))


def csv_line(cells: Sequence[str], lang: str) -> str:
    """One line: a cell holding the separator, a quote, a line feed or a carriage return is quoted (a lone
    ``\\r`` left bare would start a new row in a spreadsheet)."""
    separator = SEPARATOR.get(lang, ",")
    special = _SPECIAL[separator]
    return separator.join(
        '"' + cell.replace('"', '""') + '"' if special.search(cell) else cell for cell in cells
    ) + LINE_END


def csv_bytes(sheet: Sheet, lang: str, provenance: Provenance = ()) -> bytes:
    """The sheet as CSV in the reader's conventions, the provenance first as ``#`` lines, then the table."""
    out = io.StringIO()
    for label, value in provenance:
        out.write(csv_line([csv_cell(f"# {label}"), csv_cell(value)], lang))
    out.write(csv_line([csv_cell(c.heading) for c in sheet.columns], lang))
    values = [sheet.frame[c.name].to_list() for c in sheet.columns]
    hidden = [sheet.hidden.get(c.name) for c in sheet.columns]
    for row in range(sheet.frame.height):
        cells = []
        for column, cells_of, hidden_of in zip(sheet.columns, values, hidden, strict=True):
            shown = hidden_of[row] if hidden_of is not None else None
            cells.append(shown if shown is not None
                         else cell_text(cells_of[row], column.kind_at(row), lang, column.digits))
        out.write(csv_line(cells, lang))
    return BOM + out.getvalue().encode("utf-8")


def sheet_name(name: str) -> str:
    """A name Excel accepts: at most 31 characters, none of ``[]:*?/\\``."""
    return _SHEET_FORBIDDEN.sub("_", name)[:SHEET_NAME_LIMIT] or "data"


def xlsx_bytes(sheet: Sheet, lang: str, provenance: Provenance = (), provenance_title: str = "Provenance") -> bytes:
    """A workbook: the table (numbers with formats, text as strings, header frozen) and the provenance sheet."""
    buffer = io.BytesIO()
    # constant_memory: rows go straight to disk, so a 100 000-row extract stays small in memory.
    workbook = xlsxwriter.Workbook(buffer, {"strings_to_formulas": False, "strings_to_urls": False,
                                            "strings_to_numbers": False, "constant_memory": True,
                                            "in_memory": True})
    bold = workbook.add_format({"bold": True})
    hidden_format = workbook.add_format({"italic": True, "font_color": "#616161", "align": "right"})
    formats = {kind: workbook.add_format({"num_format": code}) for kind, code in XLSX_FORMATS.items()}
    _table(workbook.add_worksheet(sheet_name(sheet.name)), sheet, lang, bold, formats, hidden_format)
    notes = workbook.add_worksheet(sheet_name(provenance_title))
    notes.set_column(0, 0, 34)
    notes.set_column(1, 1, 90)
    for row, (label, value) in enumerate(provenance):
        notes.write_string(row, 0, label, bold)
        notes.write_string(row, 1, value)
    workbook.close()
    return buffer.getvalue()


def _table(worksheet: Any, sheet: Sheet, lang: str, bold: Any, formats: dict[str, Any], hidden_format: Any) -> None:
    for index, column in enumerate(sheet.columns):
        worksheet.set_column(index, index, min(max(len(column.heading) + 2, 10), 48))
    worksheet.freeze_panes(1, 0)
    for index, column in enumerate(sheet.columns):
        worksheet.write_string(0, index, column.heading, bold)
    values = [sheet.frame[c.name].to_list() for c in sheet.columns]
    hidden = [sheet.hidden.get(c.name) for c in sheet.columns]
    for row in range(sheet.frame.height):
        for index, (column, cells_of, hidden_of) in enumerate(zip(sheet.columns, values, hidden, strict=True)):
            shown = hidden_of[row] if hidden_of is not None else None
            value, kind = cells_of[row], column.kind_at(row)
            if shown is not None:
                worksheet.write_string(row + 1, index, shown, hidden_format)
            elif _missing(value):
                continue
            elif kind in formats:
                number = float(round(float(value))) if kind == "int" else float(value)
                worksheet.write_number(row + 1, index, number, formats[kind])
            elif kind == "period":
                worksheet.write_string(row + 1, index, fmt_period(str(value), lang))
            else:
                worksheet.write_string(row + 1, index, str(value))


def write_whole(path: Path, content: bytes) -> None:
    """``content`` into ``path``, whole or not at all: a temporary file beside it, then renamed."""
    handle, temporary = tempfile.mkstemp(prefix=".parcours-", suffix=path.suffix, dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


__all__ = ["BOM", "Col", "Kind", "Provenance", "Sheet", "cell_text", "csv_bytes", "csv_line", "number_text",
           "sheet_name", "write_whole", "xlsx_bytes"]
