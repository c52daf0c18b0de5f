"""Staging: a raw text table becomes a typed frame with the project's column
names, and every cell that cannot be typed becomes a problem.

A staged frame holds every model column (missing optional ones as nulls)
with the model's dtype, plus ``_line``. Unknown columns are dropped here;
the anonymity guard has looked at them before.
"""

from dataclasses import dataclass

import polars as pl

from etl.dataset import Problem
from etl.messages import Where, problem
from etl.normalise import (
    blank_to_null,
    bool_mapping,
    code_mapping,
    date_formats,
    needs_trim,
    parse_date,
    parse_int,
)
from etl.read import LINE, RawTable
from models.contract import ContractColumn, contract_columns
from models.reference import codes

MAX_PROBLEMS_PER_KIND = 50
MAX_ID_CHARS = 64  # identifiers: columns named ..._id
MAX_TEXT_CHARS = 200  # other free text: names, territories
# Unicode bidirectional controls: embeddings and overrides (U+202A-U+202E), isolates (U+2066-U+2069),
# marks (U+200E, U+200F, U+061C). They reorder a label on screen, so no text field may hold one.
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_BIDI_PATTERN = r"[\x{061C}\x{200E}\x{200F}\x{202A}-\x{202E}\x{2066}-\x{2069}]"
DTYPES: dict[str, pl.DataType] = {
    "str": pl.String(),
    "code": pl.String(),
    "int": pl.Int64(),
    "date": pl.Date(),
    "bool": pl.Boolean(),
}
_BAD = {"int": "BAD_NUMBER", "date": "BAD_DATE", "bool": "BAD_BOOLEAN", "code": "UNKNOWN_CODE"}
_PARSED = "__parsed_"


def problems_where(
    frame: pl.DataFrame,
    mask: pl.Expr,
    code: str,
    lang: str,
    *,
    table: str,
    file: str,
    column: str | None,
    value: pl.Expr | None = None,
    count: int | None = None,
) -> list[Problem]:
    """One problem per row matching ``mask`` (line order), at most
    ``MAX_PROBLEMS_PER_KIND`` of them plus one saying how many were left out."""
    hits = frame.filter(mask)
    total = hits.height if count is None else count
    if total == 0:
        return []
    shown_value = pl.lit(None, pl.String) if value is None else value.cast(pl.String)
    shown = hits.head(MAX_PROBLEMS_PER_KIND).select(pl.col(LINE), shown_value.alias("_value"))
    found = [
        problem(code, lang, table=table, file=file, line=line, column=column, value=text)
        for line, text in shown.iter_rows()
    ]
    if total > MAX_PROBLEMS_PER_KIND:
        more = total - MAX_PROBLEMS_PER_KIND
        found.append(problem("MORE_PROBLEMS", lang, table=table, file=file, column=column, value=more))
    return found


@dataclass
class _Check:
    mask: pl.Expr
    code: str
    column: str


def max_chars(source: str) -> int:
    """The longest value a free-text column (kind ``str``) may hold, in characters."""
    return MAX_ID_CHARS if source.endswith("_id") else MAX_TEXT_CHARS


def _typed(column: ContractColumn, frame: pl.DataFrame) -> pl.Expr:
    """The typed expression of a trimmed column."""
    source = column.source
    if column.kind == "int":
        decimals = bool(frame[source].str.contains(".", literal=True).any())
        return parse_int(source, decimals)
    if column.kind == "date":
        return parse_date(source, date_formats(frame[source]))
    if column.kind == "bool":
        mapping = bool_mapping(frame[source])
        return pl.col(source).replace_strict(mapping["raw"], mapping["parsed"], default=None, return_dtype=pl.Boolean)
    if column.kind == "code":
        mapping = code_mapping(frame[source], codes(column.codes or ""))
        return pl.col(source).replace_strict(mapping["raw"], mapping["code"], default=None, return_dtype=pl.String)
    return pl.col(source)


def _trimmed(frame: pl.DataFrame, sources: list[str]) -> pl.DataFrame:
    """The frame with surrounding blanks removed and blank cells null, in the
    given columns; columns already clean are kept as they are (no copy)."""
    present = [s for s in sources if s in frame.columns]
    if not present or frame.height == 0:
        return frame
    padded = frame.select([needs_trim(s).alias(s) for s in present]).row(0, named=True)
    dirty = [s for s, flag in padded.items() if flag]
    return frame.with_columns([blank_to_null(s).alias(s) for s in dirty]) if dirty else frame


def stage_table(raw: RawTable, structure: str | None, lang: str = "fr") -> tuple[pl.DataFrame, list[Problem]]:
    """The typed frame of a raw table and the problems found while typing it."""
    where: Where = {"table": raw.table, "file": raw.file}
    problems: list[Problem] = []
    parsed: list[pl.Expr] = []
    checks: list[_Check] = []
    columns = contract_columns(raw.table)
    frame = _trimmed(raw.frame, [c.source for c in columns])
    for column in columns:
        source, dtype = column.source, DTYPES[column.kind]
        target = _PARSED + column.name
        if source not in frame.columns:
            if source == "structure_id" and structure:
                parsed.append(pl.lit(structure, pl.String).alias(target))
                continue
            if source == "structure_id":
                problems.append(problem("NO_STRUCTURE", lang, **where, column=source))
            elif column.required:
                problems.append(problem("MISSING_COLUMN", lang, **where, column=source))
            default = "EN_ATTENTE" if column.name == "decision" else None
            parsed.append(pl.lit(default, dtype).alias(target))
            continue
        given = pl.col(source).is_not_null()
        checks.append(_Check(given & pl.col(source).str.contains(_BIDI_PATTERN), "BIDI_CONTROL", source))
        if column.kind == "str":
            checks.append(_Check(given & (pl.col(source).str.len_chars() > max_chars(source)), "TEXT_TOO_LONG", source))
        typed = _typed(column, frame)
        if column.kind in _BAD:
            checks.append(_Check(given & typed.is_null(), _BAD[column.kind], source))
        if source == "structure_id" and structure:
            checks.append(_Check(given & (pl.col(source) != structure), "STRUCTURE_MISMATCH", source))
            typed = pl.coalesce(typed, pl.lit(structure, pl.String))
        elif column.required:
            checks.append(_Check(~given, "MISSING_VALUE", source))
        if column.name == "decision":
            typed = pl.when(given).then(typed).otherwise(pl.lit("EN_ATTENTE"))
        parsed.append(typed.cast(dtype).alias(target))

    work = frame.with_columns(parsed) if parsed else frame
    if checks:
        counts = work.select([c.mask.sum().alias(str(i)) for i, c in enumerate(checks)]).row(0)
        for check, count in zip(checks, counts, strict=True):
            if count:
                problems.extend(
                    problems_where(
                        work, check.mask, check.code, lang, **where,
                        column=check.column, value=pl.col(check.column), count=count,
                    )
                )
    staged = work.select(
        *[pl.col(_PARSED + c.name).cast(DTYPES[c.kind]).alias(c.name) for c in columns],
        pl.col(LINE),
    )
    return staged, problems
