"""Normalisation of what people type: header names, code values, booleans,
dates and integers, so that the spellings real exports use all mean the same.

Text rules work on distinct values (few in a real column) in Python; the
per-row work is a polars expression or a join, never a Python loop over rows.
"""

import re
import unicodedata

import polars as pl

_SEPARATORS = re.compile(r"[\s\-']+")

TRUE_WORDS = frozenset({"OUI", "O", "TRUE", "VRAI", "1", "1.0", "YES", "Y"})
FALSE_WORDS = frozenset({"NON", "N", "FALSE", "FAUX", "0", "0.0", "NO"})

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
_INTEGER = r"^[+-]?\d+(?:\.0*)?$"
_TIMESTAMP = r"^(\d{4}-\d{2}-\d{2})[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$"


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def header_key(header: str | None) -> str:
    """``' Date Orientation '`` -> ``'date_orientation'``: case, accents,
    surrounding spaces ignored; inner spaces and hyphens read as underscores."""
    if header is None:
        return ""
    text = strip_accents(header.replace("\ufeff", "")).strip().lower()
    return _SEPARATORS.sub("_", text)


def code_key(value: str) -> str:
    """``' acceptée '`` -> ``'ACCEPTEE'``; ``'Objectif atteint'`` -> ``'OBJECTIF_ATTEINT'``."""
    return _SEPARATORS.sub("_", strip_accents(value).strip().upper())


def code_mapping(values: pl.Series, valid: list[str]) -> pl.DataFrame:
    """Distinct raw values of a column -> their contract code (null if unknown)."""
    known = set(valid)
    distinct = values.drop_nulls().unique().to_list()
    mapped = [key if (key := code_key(raw)) in known else None for raw in distinct]
    return pl.DataFrame({"raw": distinct, "code": mapped}, schema={"raw": pl.String, "code": pl.String})


def bool_mapping(values: pl.Series) -> pl.DataFrame:
    distinct = values.drop_nulls().unique().to_list()
    parsed: list[bool | None] = []
    for raw in distinct:
        key = code_key(raw)
        parsed.append(True if key in TRUE_WORDS else False if key in FALSE_WORDS else None)
    return pl.DataFrame({"raw": distinct, "parsed": parsed}, schema={"raw": pl.String, "parsed": pl.Boolean})


def blank_to_null(column: str) -> pl.Expr:
    """Trimmed text, with empty cells as null."""
    text = pl.col(column).str.strip_chars()
    return pl.when(text == "").then(None).otherwise(text)


def needs_trim(column: str) -> pl.Expr:
    """Whether any value of the column has surrounding blanks or is empty (one bool).

    Cheaper than trimming: most exports have clean cells, and then the
    column is used as read, without a copy.
    """
    text = pl.col(column)
    padded = pl.any_horizontal(
        text.str.starts_with(" "), text.str.ends_with(" "), text.str.starts_with("\t"), text.str.ends_with("\t"),
        text == "",
    )
    return padded.any()


def parse_date(column: str, formats: tuple[str, ...] = DATE_FORMATS) -> pl.Expr:
    """Dates of an already trimmed column, trying ``formats`` in turn."""
    text = pl.col(column)
    parsed = [text.str.to_date(fmt, strict=False) for fmt in formats]
    return parsed[0] if len(parsed) == 1 else pl.coalesce(parsed)


def date_formats(values: pl.Series) -> tuple[str, ...]:
    """Only the formats a column uses, so that a clean column is parsed once."""
    slashes = values.str.contains("/", literal=True).sum()
    if slashes == 0:
        return DATE_FORMATS[:1]
    if slashes == values.len() - values.null_count():
        return DATE_FORMATS[1:]
    return DATE_FORMATS


def parse_int(column: str, decimals: bool = True) -> pl.Expr:
    """Integers of an already trimmed column; with ``decimals``, ``1985.0`` (Excel)
    is accepted too. Anything else is null."""
    text = pl.col(column)
    if not decimals:
        return text.cast(pl.Int64, strict=False)
    whole = text.str.replace(r"\.0*$", "")
    return pl.when(text.str.contains(_INTEGER)).then(whole.cast(pl.Int64, strict=False)).otherwise(None)


def drop_time_of_day(column: str) -> pl.Expr:
    """``2024-01-05 00:00:00`` (an Excel or Parquet date cell) -> ``2024-01-05``."""
    text = pl.col(column)
    return pl.when(text.str.contains(_TIMESTAMP)).then(text.str.extract(_TIMESTAMP, 1)).otherwise(text)
