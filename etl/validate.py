"""Validation of a whole dataset: read, guard anonymity, stage, then check
keys, references, date order and ranges across the staged tables.

Tables are validated one after the other in contract order (parents before
children), chunk by chunk, and each staged chunk is spilled to disk
(``etl.spill``) for the load: memory holds one chunk plus, per table, what
the checks across chunks and tables need, never the rows themselves: a
64-bit hash and the line of each row's key (duplicate keys; equal keys
have equal hashes, and the few rows sharing a hash are then compared
exactly, read back from disk), the hashes of the parents' keys
(references), and the person columns the warnings need.

Every check is a polars expression over whole columns; only failing rows
become ``Problem`` objects (at most ``MAX_PROBLEMS_PER_KIND`` per table,
column and kind, plus a count of the rest, over all chunks: ``etl.collect``).
"""

import traceback
from datetime import date
from pathlib import Path

import polars as pl

from etl import anonymity
from etl.budgets import Budgets
from etl.collect import Problems
from etl.dataset import Problem, SourceFile, ValidatedDataset
from etl.messages import Where, problem
from etl.read import LINE, Reader, Source, open_dataset
from etl.spill import StagedTables
from etl.stage import problems_where, stage_table
from etl.warnings_rules import PERSON_COLUMNS, first_contacts, person_warnings, row_warnings
from etl.warnings_rules import contacts as contacts_of
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


def _row_checks(table: str, frame: pl.DataFrame, file: str, today: date, lang: str) -> list[Problem]:
    where: Where = {"table": table, "file": file}
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


def _key_hash(columns: list[str]) -> pl.Expr:
    return pl.struct(columns).hash().alias("_hash")


class _Parents:
    """Hashes of (structure_id, id) of each parent table, for the references of its children."""

    def __init__(self) -> None:
        self.hashes: dict[str, list[pl.Series]] = {}
        self.placed: dict[str, bool] = {}  # some row has a structure_id (else NO_STRUCTURE said it all)
        self.done: dict[str, pl.Series] = {}

    def add(self, table: str, frame: pl.DataFrame) -> None:
        sources = {source for (_, source), parent in REFERENCES.items() if parent == table}
        for source in sorted(sources):
            ref = project_name(table, source)
            known = frame.select(pl.col("structure_id"), pl.col(ref).alias("_ref")).drop_nulls()
            self.hashes.setdefault(f"{table}.{source}", []).append(known.select(_key_hash(["structure_id", "_ref"]))
                                                                     .to_series())
        if sources:
            self.placed[table] = self.placed.get(table, False) or frame["structure_id"].null_count() < frame.height

    def commit(self, table: str) -> None:
        for name in [n for n in self.hashes if n.startswith(table + ".")]:
            every = pl.concat(self.hashes.pop(name), rechunk=True).sort()
            self.done[name] = every.filter(every.ne_missing(every.shift(1)))

    def known(self, parent: str, source: str) -> pl.Series | None:
        return self.done.get(f"{parent}.{source}")


class _Run:
    """The state of one validation across tables."""

    def __init__(self, structure: str | None, lang: str, today: date) -> None:
        self.structure, self.lang, self.today = structure, lang, today
        self.errors = Problems(lang)
        self.warnings = Problems(lang)
        self.parents = _Parents()
        self.staged = StagedTables()
        self.files: dict[str, str] = {}
        self.structures: set[str] = set()
        self.referring: set[tuple[str, str]] = set()  # (child, column) with a reference given
        self.persons: pl.DataFrame | None = None
        self.contacts: list[pl.DataFrame] = []


def _references(run: _Run, table: str, frame: pl.DataFrame, file: str, failed: set[str], errors: Problems,
                referring: set[tuple[str, str]]) -> None:
    """Rows of this chunk referring to a row absent from the parent table (``failed``:
    tables that could not be read, already reported)."""
    for index, ((child, source), parent) in enumerate(REFERENCES.items()):
        if child != table or parent in failed:
            continue
        ref = project_name(child, source)
        given = frame.filter(pl.col(ref).is_not_null() & pl.col("structure_id").is_not_null())
        if given.height == 0:
            continue
        referring.add((child, source))
        known = run.parents.known(parent, source)
        if known is None or not run.parents.placed.get(parent, False):
            continue  # no parent table (said once at the end), or NO_STRUCTURE said the parents cannot be placed
        # Named as on the parents' side: a struct's hash covers its field names.
        orphan = ~pl.struct(pl.col("structure_id"), pl.col(ref).alias("_ref")).hash().is_in(known.implode())
        suspects = given.filter(orphan)
        errors.add(
            problems_where(suspects.sort(LINE), pl.lit(True), "MISSING_REFERENCE", run.lang, table=child, file=file,
                           column=source, value=pl.col(ref)),
            (2, index),
        )


def _duplicates(run: _Run, table: str, hashes: list[pl.Series], file: str) -> list[Problem]:
    """Duplicate keys of a whole table, from the key hashes of its chunks."""
    if not hashes:
        return []
    # Sorted, equal hashes are neighbours: a sort costs a copy, a hash table several.
    every = pl.concat(hashes, rechunk=True).sort()
    hashes.clear()
    shared = every.filter(every == every.shift(1))
    del every
    if shared.len() == 0:
        return []
    keys = key_columns(table)
    parts = [
        chunk.filter(_key_hash(keys).is_in(shared.implode())) for chunk in run.staged.chunks(table)
    ]
    return _duplicate_keys(table, pl.concat(parts), file, run.lang)


def _table(run: _Run, reader: Reader, source: Source, failed: set[str], position: int) -> None:
    """Validate one source chunk by chunk; what it found counts only if it was read to the end."""
    table, file, lang = source.table, source.file, run.lang
    errors, warnings = Problems(lang), Problems(lang)
    keys = key_columns(table)
    complete = pl.all_horizontal(pl.col(keys).is_not_null())
    hashes: list[pl.Series] = []
    structures: set[str] = set()
    referring: set[tuple[str, str]] = set()
    persons: list[pl.DataFrame] = []
    contacts: list[pl.DataFrame] = []
    for raw in reader.stream(source):
        errors.add(anonymity.check(raw, lang), (0, position, 0), cap=1)
        frame, problems = stage_table(raw, run.structure, lang)
        del raw
        errors.add(problems, (0, position, 1))
        errors.add(_row_checks(table, frame, file, run.today, lang), (1, position, 1))
        hashes.append(frame.filter(complete).select(_key_hash(keys)).to_series())
        run.parents.add(table, frame)
        _references(run, table, frame, file, failed, errors, referring)
        warnings.add(row_warnings(table, frame, file, run.today, lang), (position,))
        if table == "personnes":
            persons.append(frame.select(PERSON_COLUMNS))
        if (found := contacts_of(table, frame)) is not None:
            contacts.append(found)
        structures.update(frame["structure_id"].drop_nulls().unique().to_list())
        run.staged.append(table, frame)
    if source.failed:
        run.staged.discard(table)
        run.parents.hashes = {k: v for k, v in run.parents.hashes.items() if not k.startswith(table + ".")}
        return
    run.parents.commit(table)
    run.files[table] = file
    errors.add(_duplicates(run, table, hashes, file), (1, position, 0))
    run.errors.merge(errors)
    run.warnings.merge(warnings)
    run.structures |= structures
    run.referring |= referring
    if persons:
        run.persons = pl.concat(persons)
    if contacts:
        run.contacts.append(first_contacts(contacts))


def _validate(path: Path, structure: str | None, lang: str, today: date, budgets: Budgets) -> ValidatedDataset:
    reader = open_dataset(path, lang, budgets)
    run = _Run(structure, lang, today)
    order = list(CONTRACT_TABLES)
    try:
        for source in sorted(reader.sources, key=lambda s: order.index(s.table)):
            failed = {p.table for p in reader.result.problems}
            _table(run, reader, source, failed, order.index(source.table))
    finally:
        reader.close()
    failed = {p.table for p in reader.result.problems}
    if "" not in failed:  # "" is the dataset itself: nothing could be read
        for table in REQUIRED_TABLES:
            if table not in run.staged and table not in failed:
                run.errors.add([problem("MISSING_TABLE", lang, table=table, file=path.name)], (0, len(order)))
    for index, ((child, column), parent) in enumerate(REFERENCES.items()):
        if (child, column) in run.referring and parent not in run.staged and parent not in failed:
            run.errors.add([problem("MISSING_TABLE", lang, table=parent, file=run.files[child], column=column)],
                           (2, index))
    if run.persons is not None:
        run.warnings.add(person_warnings(run.persons, first_contacts(run.contacts), run.files["personnes"], lang),
                         (order.index("personnes"),))
    files = sorted(
        (SourceFile(s.file, s.table, s.sha256, s.rows) for s in reader.sources if not s.failed and s.table in run.staged),
        key=lambda f: order.index(f.table),
    )
    return ValidatedDataset(
        tables=run.staged, files=files, errors=reader.result.problems + run.errors.listed(),
        warnings=run.warnings.listed(), structures=sorted(run.structures),
    )


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
