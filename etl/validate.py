"""Validation of a whole dataset: read, guard anonymity, stage, then check
keys, references, date order and ranges across the staged tables.

Every check is a polars expression over whole columns; only failing rows
become ``Problem`` objects (at most ``MAX_PROBLEMS_PER_KIND`` per table,
column and kind, plus a count of the rest).
"""

import traceback
from datetime import date
from pathlib import Path

import polars as pl

from etl import anonymity
from etl.budgets import Budgets
from etl.dataset import Problem, ValidatedDataset
from etl.messages import problem
from etl.read import LINE, read_dataset
from etl.stage import problems_where, stage_table
from etl.warnings_rules import dataset_warnings
from models.contract import CONTRACT_TABLES, REQUIRED_TABLES, contract_columns, key_columns

# (child table, contract column) -> parent table; matched on (structure_id, that id).
REFERENCES: dict[tuple[str, str], str] = {
    ("orientations", "personne_id"): "personnes",
    ("accompagnements", "personne_id"): "personnes",
    ("accompagnements", "orientation_id"): "orientations",
    ("evaluations", "personne_id"): "personnes",
    ("participations", "personne_id"): "personnes",
    ("jalons", "personne_id"): "personnes",
    ("seances", "atelier_id"): "ateliers",
    ("participations", "seance_id"): "seances",
}
# (table, earlier date column, later date column): the later one may not come first.
DATE_ORDER = (
    ("orientations", "date_orientation", "date_decision"),
    ("accompagnements", "date_entree", "date_sortie"),
)


def project_name(table: str, source: str) -> str:
    """The project column name of a contract column."""
    return next(c.name for c in contract_columns(table) if c.source == source)


def _source_names(table: str) -> dict[str, str]:
    return {c.name: c.source for c in contract_columns(table)}


def _duplicate_keys(table: str, frame: pl.DataFrame, file: str, lang: str) -> list[Problem]:
    keys = key_columns(table)
    complete = pl.all_horizontal(pl.col(keys).is_not_null())
    # Equal keys have equal hashes: the exact test runs on the few rows sharing a hash.
    shared = frame.filter(complete & pl.struct(keys).hash().is_duplicated())
    if shared.height == 0:
        return []
    repeated = pl.struct(keys).is_duplicated() & ~pl.struct(keys).is_first_distinct()
    shown = pl.concat_str([pl.col(k).cast(pl.String) for k in keys], separator=" | ")
    column = ", ".join(_source_names(table)[k] for k in keys if k != "structure_id") or "structure_id"
    return problems_where(shared, repeated, "DUPLICATE_KEY", lang, table=table, file=file, column=column, value=shown)


def _missing_references(
    tables: dict[str, pl.DataFrame], files: dict[str, str], failed: set[str], lang: str
) -> list[Problem]:
    """Rows referring to a row absent from the parent table (``failed``: tables
    that could not be read, already reported)."""
    problems: list[Problem] = []
    for (child, source), parent in REFERENCES.items():
        if child not in tables or parent in failed:
            continue
        frame, file = tables[child], files[child]
        ref = project_name(child, source)
        given = frame.filter(pl.col(ref).is_not_null() & pl.col("structure_id").is_not_null())
        if given.height == 0:
            continue
        if parent not in tables:
            problems.append(problem("MISSING_TABLE", lang, table=parent, file=file, column=source))
            continue
        parents = tables[parent]
        if parents.height and parents["structure_id"].null_count() == parents.height:
            continue  # NO_STRUCTURE already said the parent rows cannot be placed
        known = parents.select("structure_id", pl.col(project_name(parent, source)).alias(ref)).drop_nulls()
        # Hashes first (cheap on millions of rows), then the exact test on the rows whose hash is unknown.
        known_hashes = known.select(pl.struct("structure_id", ref).hash()).to_series().implode()
        suspects = given.filter(~pl.struct("structure_id", ref).hash().is_in(known_hashes))
        orphans = suspects.join(known.unique(), on=["structure_id", ref], how="anti").sort(LINE)
        problems.extend(
            problems_where(orphans, pl.lit(True), "MISSING_REFERENCE", lang, table=child, file=file,
                           column=source, value=pl.col(ref))
        )
    return problems


def _row_checks(table: str, frame: pl.DataFrame, file: str, today: date, lang: str) -> list[Problem]:
    where = {"table": table, "file": file}
    names = {c.source: c.name for c in contract_columns(table)}
    problems: list[Problem] = []
    for t, earlier, later in DATE_ORDER:
        if t == table:
            before = pl.col(names[later]) < pl.col(names[earlier])
            problems += problems_where(frame, before, "DATE_ORDER", lang, **where, column=later, value=pl.col(names[later]))
    for column in contract_columns(table):
        if column.kind == "date":
            future = pl.col(column.name) > pl.lit(today)
            problems += problems_where(
                frame, future, "FUTURE_DATE", lang, **where, column=column.source, value=pl.col(column.name)
            )
    ranges = {"annee_naissance": (1900, today.year), "niveau": (1, 5), "duree_minutes": (1, None)}
    for source, (low, high) in ranges.items():
        if source in names:
            value = pl.col(names[source])
            outside = (value < low) if high is None else ~value.is_between(low, high)
            problems += problems_where(frame, outside, "OUT_OF_RANGE", lang, **where, column=source, value=value)
    return problems


def _validate(path: Path, structure: str | None, lang: str, today: date, budgets: Budgets) -> ValidatedDataset:
    read = read_dataset(path, lang, budgets)
    errors = list(read.problems)
    staged: dict[str, pl.DataFrame] = {}
    files: dict[str, str] = {}
    order = list(CONTRACT_TABLES)
    read.tables.sort(key=lambda r: order.index(r.table), reverse=True)
    while read.tables:  # popped so that each raw frame is freed once staged
        raw = read.tables.pop()
        errors += anonymity.check(raw, lang)
        frame, problems = stage_table(raw, structure, lang)
        errors += problems
        staged[raw.table], files[raw.table] = frame, raw.file
        del raw
    failed = {p.table for p in read.problems}
    if "" not in failed:  # "" is the dataset itself: nothing could be read
        for table in REQUIRED_TABLES:
            if table not in staged and table not in failed:
                errors.append(problem("MISSING_TABLE", lang, table=table, file=path.name))
    for table, frame in staged.items():
        errors += _duplicate_keys(table, frame, files[table], lang)
        errors += _row_checks(table, frame, files[table], today, lang)
    errors += _missing_references(staged, files, failed, lang)
    ordered = {t: staged[t] for t in CONTRACT_TABLES if t in staged}
    ids = [f["structure_id"] for f in ordered.values()]
    structures = sorted(pl.concat(ids).drop_nulls().unique().to_list()) if ids else []
    warnings = dataset_warnings(ordered, files, today, lang)
    files_in_order = sorted(read.files, key=lambda f: order.index(f.table))
    return ValidatedDataset(tables=ordered, files=files_in_order, errors=errors, warnings=warnings, structures=structures)


def read_and_validate(
    path: Path,
    *,
    structure: str | None = None,
    lang: str = "fr",
    today: date | None = None,
    budgets: Budgets | None = None,
) -> ValidatedDataset:
    """Read, stage and validate the dataset at ``path``.

    Never raises on bad input: whatever is wrong is in ``errors``. An
    unexpected failure is reported as an ``INTERNAL_ERROR`` problem. A
    budget setting that is not a positive number raises ``ValueError``
    (configuration, not data).
    """
    path = Path(path)
    structure = structure.strip() if structure and structure.strip() else None
    budgets = budgets or Budgets.from_settings()
    try:
        return _validate(path, structure, lang, today or date.today(), budgets)
    except Exception as error:
        where = traceback.extract_tb(error.__traceback__)[-1]
        detail = f"{type(error).__name__} @ {Path(where.filename).name}:{where.lineno}"
        failure = problem("INTERNAL_ERROR", lang, table="", file=path.name, value=detail)
        return ValidatedDataset(tables={}, files=[], errors=[failure], warnings=[], structures=[])
