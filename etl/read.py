"""Reading a dataset into raw string frames, one per contract table.

A dataset is a folder of ``.csv``/``.parquet`` files, a ``.zip`` of them (at
its root or in a sub-folder), one ``.xlsx`` workbook with a sheet per table,
or a single ``.csv``/``.parquet`` file. Everything is read as text (no type
inference); staging types it. Bad input becomes a ``Problem``, never an
exception.

Line numbers: the header is line 1 and the first data row line 2. A quoted
value spanning several lines counts as one line, so lines after it are
numbered by row, not by physical line. In a workbook, a line is the sheet
row number.

Tables are read as a stream of chunks (``open_dataset`` then
``Reader.stream``): a CSV through polars' batched reader, a Parquet file
batch by batch, a zip member extracted to a temporary file first; only a
workbook sheet is read whole (a sheet holds at most about a million rows)
and then cut. ``read_dataset`` gathers the chunks into whole tables.

Hostile input is refused early, as a problem, before it is read whole:
paths are literal (a ``[`` or ``*`` in a folder name is never a pattern),
a symbolic link leaving the dataset's folder (or any link inside a zip) is
not followed, and the ``Budgets`` (expanded size and compression ratio of a
zip or workbook member, rows per table, length of a CSV line) bound what a
file may cost; a real export never reaches them.
"""

import hashlib
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import polars as pl

from etl import spill
from etl.budgets import Budgets, OverBudget, extract_member, is_link, parquet_within_budget, within_budget
from etl.dataset import Problem, SourceFile
from etl.formats import EmptyFile, Unreadable, csv_frames, file_facts, parquet_frames, sheet_origins
from etl.messages import problem
from etl.normalise import drop_time_of_day, header_key
from models.contract import CONTRACT_TABLES, contract_columns

LINE = "_line"
DATA_SUFFIXES = (".csv", ".parquet")


@dataclass
class RawTable:
    """One table as read: text columns named by normalised header, plus ``_line``."""

    table: str
    file: str
    frame: pl.DataFrame
    headers: dict[str, str] = field(default_factory=dict)  # normalised key -> header as written
    duplicates: list[str] = field(default_factory=list)  # normalised headers written more than once


@dataclass
class ReadResult:
    tables: list[RawTable] = field(default_factory=list)
    files: list[SourceFile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def table_for(name: str) -> str | None:
    """The contract table a file or sheet name stands for (``Évaluations.CSV`` -> ``evaluations``)."""
    key = header_key(PurePosixPath(name).stem if "." in name else name)
    return key if key in CONTRACT_TABLES else None


@dataclass
class _Header:
    renames: list[pl.Expr]
    names: dict[str, str]  # normalised key -> header as written
    duplicates: list[str]


def _header(frame: pl.DataFrame, timestamps: bool) -> _Header:
    """Column names from the header row (the frame's first row)."""
    header = [None if v is None else str(v) for v in frame.row(0)]
    names: dict[str, str] = {}
    duplicates: list[str] = []
    renames: list[pl.Expr] = []
    for position, (source, written) in enumerate(zip(frame.columns, header, strict=True)):
        key = header_key(written)
        if not key:
            key = f"_unnamed_{position + 1}"
        elif key.startswith("_"):
            key = f"_column_{position + 1}{key}"  # never a contract column; must not clash with _line
        if key in names:
            duplicates.append(key)
            key = f"_duplicate_{position + 1}_{key}"
        names[key] = (written or "").strip()
        expr = pl.col(source).cast(pl.String)
        renames.append(drop_time_of_day(source).alias(key) if timestamps else expr.alias(key))
    return _Header(renames, names, duplicates)


def _body(rows: pl.DataFrame, header: _Header, first_line: int) -> pl.DataFrame:
    """Rows named by header, numbered from ``first_line``, blank rows dropped."""
    body = rows.select(
        *header.renames, pl.int_range(first_line, first_line + rows.height, dtype=pl.Int64).alias(LINE)
    )
    blank = pl.all_horizontal(pl.exclude(LINE).is_null())
    if header.renames and body.select(blank.any()).item():
        body = body.filter(~blank)
    # Contiguous once here: polars' eager operations would otherwise copy a
    # many-chunk frame on every select, one table-sized copy per check.
    return body.rechunk()


@dataclass
class Source:
    """One file (or sheet) to read for a table; read it with ``Reader.stream``."""

    table: str
    file: str
    frames: Callable[["Source"], Iterator[pl.DataFrame]]  # header row first
    first_line: int = 1  # line of the header row
    timestamps: bool = False  # cells may be date-times (Parquet, workbooks)
    sha256: str = ""
    rows: int = 0
    failed: bool = False


class Reader:
    """Finds the sources of a dataset, then streams each one's chunks; problems go to ``result``."""

    def __init__(self, lang: str, budgets: Budgets) -> None:
        self.lang = lang
        self.budgets = budgets
        self.result = ReadResult()
        self.sources: list[Source] = []
        self.seen: dict[str, str] = {}
        self._folder = tempfile.TemporaryDirectory(prefix="parcours-read-")

    @property
    def folder(self) -> Path:
        return Path(self._folder.name)

    def close(self) -> None:
        self._folder.cleanup()

    def unreadable(self, table: str, file: str, why: str) -> None:
        self.result.problems.append(problem("UNREADABLE_FILE", self.lang, table=table, file=file, value=why))

    def over(self, table: str, file: str, error: OverBudget) -> None:
        self.result.problems.append(problem("TOO_LARGE", self.lang, table=table, file=file, value=error.value))

    def link(self, table: str, file: str, target: str) -> None:
        self.result.problems.append(problem("SYMLINK", self.lang, table=table, file=file, value=target))

    def claim(self, table: str, file: str) -> bool:
        if table in self.seen:
            self.result.problems.append(
                problem("DUPLICATE_TABLE", self.lang, table=table, file=file, value=self.seen[table])
            )
            return False
        self.seen[table] = file
        return True

    def stream(self, source: Source) -> Iterator[RawTable]:
        """The source's chunks, in line order; a failure ends the stream with a problem and ``source.failed``."""
        where = (source.table, source.file)
        try:
            yield from self._chunks(source)
        except EmptyFile:
            self.result.problems.append(problem("EMPTY_FILE", self.lang, table=source.table, file=source.file))
            source.failed = True
        except OverBudget as error:
            self.over(*where, error)
            source.failed = True
        except Unreadable as error:
            self.unreadable(*where, str(error))
            source.failed = True
        except OSError as error:
            self.unreadable(*where, error.strerror or "cannot open")
            source.failed = True
        except Exception as error:  # polars may reject input in ways not worth telling apart
            self.unreadable(*where, type(error).__name__)
            source.failed = True

    def _chunks(self, source: Source) -> Iterator[RawTable]:
        header: _Header | None = None
        line, data_rows = source.first_line + 1, 0
        for frame in source.frames(source):
            if header is None:
                if frame.height == 0:
                    continue
                header = _header(frame, source.timestamps)
                contract = {c.source for c in contract_columns(source.table)}
                for key in dict.fromkeys(k for k in header.duplicates if k in contract):
                    self.result.problems.append(
                        problem("DUPLICATE_COLUMN", self.lang, table=source.table, file=source.file, column=key)
                    )
                frame = frame.slice(1)
            data_rows += frame.height
            if data_rows > self.budgets.rows:
                raise OverBudget("PARCOURS_MAX_ROWS", self.budgets.rows)
            body = _body(frame, header, line)
            line += frame.height
            source.rows += body.height
            yield RawTable(source.table, source.file, body, header.names, header.duplicates)
        if header is None:
            raise EmptyFile

    def data_file(self, table: str, file: str, path: Path, member: Callable[[Path], None] | None = None) -> None:
        """A CSV or Parquet file; ``member`` first extracts it (from a zip) to the given path."""
        if not self.claim(table, file):
            return
        parquet = file.lower().endswith(".parquet")

        def frames(source: Source) -> Iterator[pl.DataFrame]:
            target = path
            if member is not None:
                target = self.folder / f"member-{len(self.sources)}-{table}"
                member(target)
            try:
                budgets = self.budgets
                if parquet:
                    parquet_within_budget(target, budgets)
                elif target.stat().st_size > budgets.member_bytes:
                    raise OverBudget("PARCOURS_MAX_MEMBER_BYTES", budgets.member_bytes)
                facts = file_facts(target, None if parquet else budgets.line_bytes)
                source.sha256 = facts.sha256
                if parquet:
                    yield from parquet_frames(target)
                else:
                    yield from csv_frames(target, facts, self.folder)
            finally:
                if member is not None:
                    target.unlink(missing_ok=True)
                Path(f"{target}.utf8").unlink(missing_ok=True)

        self.sources.append(Source(table, file, frames, timestamps=parquet))

    def folder_of(self, path: Path) -> None:
        root = path.resolve()
        for child in sorted(path.iterdir(), key=lambda p: p.name):
            table = table_for(child.name)
            if not table or child.suffix.lower() not in DATA_SUFFIXES:
                continue
            if child.is_symlink() and not child.resolve().is_relative_to(root):
                self.link(table, child.name, os.readlink(child))
                continue
            if child.is_file():
                self.data_file(table, child.name, child)

    def zip(self, path: Path) -> None:
        try:
            with zipfile.ZipFile(path) as archive:
                members = sorted(archive.infolist(), key=lambda m: (m.filename.count("/"), m.filename))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
            self.unreadable("", path.name, "corrupted zip")
            return
        for member in members:
            inner = PurePosixPath(member.filename)
            table = table_for(inner.name)
            if (
                member.is_dir()
                or table is None
                or inner.suffix.lower() not in DATA_SUFFIXES
                or "__MACOSX" in inner.parts
                or inner.name.startswith(("._", "~$"))
            ):
                continue
            file = f"{path.name}!{member.filename}"
            if is_link(member):
                try:
                    with zipfile.ZipFile(path) as archive:
                        target = archive.read(member) if member.file_size <= 4096 else b"?"
                except Exception:
                    target = b"?"
                self.link(table, file, target.decode("utf-8", errors="replace"))
                continue
            try:
                within_budget(member, self.budgets)
            except OverBudget as error:
                self.over(table, file, error)
                continue

            def extract(target: Path, member: zipfile.ZipInfo = member) -> None:
                with zipfile.ZipFile(path) as archive:
                    extract_member(archive, member, self.budgets, target)

            self.data_file(table, file, Path(member.filename), member=extract)

    def workbook(self, path: Path) -> None:
        import fastexcel

        try:
            self.workbook_budget(path)
        except OverBudget as error:
            self.over("", path.name, error)
            return
        try:
            data = path.read_bytes()
            reader = fastexcel.read_excel(data)
            sheets = list(reader.sheet_names)
        except Exception:
            self.unreadable("", path.name, "corrupted workbook")
            return
        digest = hashlib.sha256(data).hexdigest()
        origins = sheet_origins(data)
        for sheet in sheets:
            table = table_for(sheet)
            if table is None:
                continue
            file = f"{path.name}!{sheet}"
            if not self.claim(table, file):
                continue

            def frames(source: Source, sheet: str = sheet) -> Iterator[pl.DataFrame]:
                source.sha256 = digest
                rows = self.budgets.rows
                try:
                    frame = reader.load_sheet(sheet, header_row=None, dtypes="string", n_rows=rows + 2).to_polars()
                except Exception as error:
                    raise Unreadable("unreadable sheet") from error
                if frame.height > rows + 1:
                    raise OverBudget("PARCOURS_MAX_ROWS", rows)
                yield frame.head(1)
                for start in range(1, frame.height, spill.CHUNK_ROWS):
                    yield frame.slice(start, spill.CHUNK_ROWS)

            self.sources.append(Source(table, file, frames, first_line=origins.get(sheet, 1), timestamps=True))

    def workbook_budget(self, path: Path) -> None:
        """A workbook is a zip: each of its parts within the member budgets, checked before any is expanded."""
        try:
            with zipfile.ZipFile(path) as archive:
                for member in archive.infolist():
                    within_budget(member, self.budgets)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
            return  # not a zip: fastexcel says the workbook is corrupted


def open_dataset(path: Path, lang: str = "fr", budgets: Budgets | None = None) -> Reader:
    """The sources of the dataset at ``path`` (``reader.sources``), nothing read yet but what
    finding them takes; problems met so far are in ``reader.result.problems``."""
    reader = Reader(lang, budgets or Budgets.from_settings())
    suffix = path.suffix.lower()
    if path.is_dir():
        reader.folder_of(path)
    elif not path.exists():
        reader.unreadable("", path.name or str(path), "not found")
    elif suffix == ".zip":
        reader.zip(path)
    elif suffix in (".xlsx", ".xlsm"):
        reader.workbook(path)
    elif suffix in DATA_SUFFIXES and (table := table_for(path.name)):
        reader.data_file(table, path.name, path)
    else:
        reader.unreadable("", path.name, "not a folder, .zip, .xlsx, .csv or .parquet")
    return reader


def read_dataset(path: Path, lang: str = "fr", budgets: Budgets | None = None) -> ReadResult:
    """Every contract table found at ``path``, as whole raw text frames, with the problems met.

    ``budgets`` default to the settings (``Budgets.from_settings``). For
    small datasets and tests: the load streams (``open_dataset``).
    """
    reader = open_dataset(path, lang, budgets)
    try:
        for source in reader.sources:
            chunks = list(reader.stream(source))
            if source.failed:
                continue
            frame = pl.concat([c.frame for c in chunks]) if chunks else pl.DataFrame()
            first = chunks[0] if chunks else RawTable(source.table, source.file, frame)
            reader.result.tables.append(RawTable(source.table, source.file, frame, first.headers, first.duplicates))
            reader.result.files.append(SourceFile(source.file, source.table, source.sha256, frame.height))
    finally:
        reader.close()
    return reader.result
