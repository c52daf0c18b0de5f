"""The comparison of cohorts as a file (CSV in the reader's conventions, or XLSX), with its provenance.

The published comparison (``dashboard.compare.compare(..., published=True)``)
as a sheet: indicator and cohort in words, persons and count as whole
numbers, shares and differences as rates, the 95 % interval's bounds; a
hidden cell says why ("< 11", "masqué"). The provenance names every cohort
by its link parameters (``c1_anchor=...``), the data version, the
definitions version and the thresholds.
"""

from datetime import datetime

import polars as pl

from dashboard.compare import Comparison
from dashboard.data import Data
from dashboard.disclosure import MASKED, SMALL, disclosure_mode, thresholds
from dashboard.i18n import t
from dashboard.provenance import gather, provenance_rows
from dashboard.spreadsheets import Col, Sheet
from dashboard.spreadsheets import csv_bytes as sheet_csv
from dashboard.spreadsheets import xlsx_bytes as sheet_xlsx

COLUMNS = (("indicator", "text"), ("cohort", "text"), ("persons", "int"), ("count", "int"), ("rate", "rate"),
           ("difference", "rate"), ("ci_low", "rate"), ("ci_high", "rate"))


def _name(result: Comparison, index: int, lang: str) -> str:
    name = result.cohorts[index - 1].name.strip()
    return name or t("cohorts.cohort", lang, i=index)


def comparison_sheet(result: Comparison, lang: str) -> Sheet:
    frame = result.outcomes.with_columns(
        pl.col("indicator").map_elements(lambda i: t(f"indicator.{i}", lang), return_dtype=pl.String),
        pl.col("cohort").map_elements(lambda i: _name(result, i, lang), return_dtype=pl.String),
    )
    hidden: dict[str, list[str | None]] = {name: [] for name in ("persons", "count", "rate")}
    for row in result.outcomes.iter_rows(named=True):
        protected = result.protected[row["cohort"] - 1]
        for name in hidden:
            if protected.too_small:
                hidden[name].append(t("suppressed.masked", lang))
                continue
            position = protected.table["indicator"].to_list().index(row["indicator"])
            reading = protected.cells[name][position]
            k = protected.row_k[position] if protected.row_k else protected.k
            hidden[name].append(t("suppressed.cell", lang, k=k) if reading == SMALL else
                                t("suppressed.masked", lang) if reading == MASKED else None)
    headings = {"ci_low": t("col.ci_low", lang), "ci_high": t("col.ci_high", lang)}
    columns = tuple(Col(name, headings.get(name) or t(f"col.{name}", lang), kind) for name, kind in COLUMNS)  # type: ignore[arg-type]
    return Sheet(name=t("cohorts.outcomes", lang), frame=frame, columns=columns, hidden=hidden)


def comparison_file(result: Comparison, data: Data, lang: str, fmt: str, files: pl.DataFrame,
                    made_at: datetime | None = None) -> bytes:
    """``csv`` or ``xlsx`` bytes of the published comparison with its provenance sheet."""
    selection = tuple((key, value) for i, c in enumerate(result.cohorts, start=1)
                      for key, value in c.to_query(f"c{i}_").items())
    k = result.protected[0].k
    provenance = gather(data, what=t("cohorts.outcomes", lang), selection=selection, files=files, k=k,
                        k_screen=thresholds(False)[0], mode=disclosure_mode(), made_at=made_at)
    sheet = comparison_sheet(result, lang)
    rows = provenance_rows(provenance, lang)
    if fmt == "csv":
        return sheet_csv(sheet, lang, rows)
    if fmt == "xlsx":
        return sheet_xlsx(sheet, lang, rows)
    raise ValueError(f"format {fmt!r}: csv or xlsx")
