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

Hostile input is refused early, as a problem, before it is read whole:
paths are literal (a ``[`` or ``*`` in a folder name is never a pattern),
a symbolic link leaving the dataset's folder (or any link inside a zip) is
not followed, and the ``Budgets`` (expanded size and compression ratio of a
zip or workbook member, rows per table, length of a CSV line) bound what a
file may cost; a real export never reaches them.
"""

import hashlib
import io
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import polars as pl

from etl.budgets import Budgets, OverBudget, is_link, parquet_within_budget, read_member, within_budget
from etl.dataset import Problem, SourceFile
from etl.messages import problem
from etl.normalise import drop_time_of_day, header_key
from models.contract import CONTRACT_TABLES, contract_columns

LINE = "_line"
MAX_HEADER_BYTES = 100_000
CHUNK_BYTES = 8 * 1024 * 1024
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


class Unreadable(Exception):
    """A file that cannot be read; ``args[0]`` says why, shortly, in English."""


def table_for(name: str) -> str | None:
    """The contract table a file or sheet name stands for (``Évaluations.CSV`` -> ``evaluations``)."""
    key = header_key(PurePosixPath(name).stem if "." in name else name)
    return key if key in CONTRACT_TABLES else None


@dataclass
class _Facts:
    """What one pass over a file's bytes tells before parsing it."""

    sha256: str
    header: bytes  # first line, cut after MAX_HEADER_BYTES + 1 bytes
    blank: bool
    binary: bool


def _chunks(source: bytes | Path, size: int = CHUNK_BYTES) -> Iterator[bytes]:
    if isinstance(source, bytes):
        for start in range(0, len(source), size):
            yield source[start : start + size]
        return
    with source.open("rb") as handle:
        while chunk := handle.read(size):
            yield chunk


def _facts(source: bytes | Path, line_bytes: int | None = None) -> _Facts:
    """Hash, first line, emptiness and NUL bytes, streaming (a file is never held whole).

    With ``line_bytes``, a physical line longer than that raises ``OverBudget``
    as soon as it is met. Chunks are no longer than the budget, so a line
    over it always spans a chunk boundary, where it is measured.
    """
    digest = hashlib.sha256()
    header, header_done, blank, binary = b"", False, True, False
    since, newline_seen = 0, False  # bytes since the last newline; whether the header line has ended
    size = CHUNK_BYTES if line_bytes is None else max(1, min(CHUNK_BYTES, line_bytes))
    for chunk in _chunks(source, size):
        if line_bytes is not None:
            first = chunk.find(b"\n")
            longest = since + (len(chunk) if first < 0 else first)
            since = longest if first < 0 else len(chunk) - chunk.rfind(b"\n") - 1
            newline_seen = newline_seen or first >= 0
            if max(longest, since) > line_bytes:
                if not newline_seen and longest > MAX_HEADER_BYTES:
                    line_bytes = None  # the header line itself: refused below as "header line too long"
                else:
                    raise OverBudget("PARCOURS_MAX_LINE_BYTES", line_bytes)
        digest.update(chunk)
        binary = binary or b"\x00" in chunk
        blank = blank and not chunk.strip(b" \t\r\n")
        if not header_done:
            end = chunk.find(b"\n")
            header = (header + (chunk if end < 0 else chunk[:end]))[: MAX_HEADER_BYTES + 1]
            header_done = end >= 0 or len(header) > MAX_HEADER_BYTES
    return _Facts(digest.hexdigest(), header, blank, binary)


def _delimiter(header_line: bytes) -> str:
    """``;`` when the header has more semicolons than commas outside quotes."""
    counts = {",": 0, ";": 0}
    quoted = False
    for ch in header_line.decode("utf-8", errors="replace"):
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    return ";" if counts[";"] > counts[","] else ","


def _polars_csv(source: bytes | Path, separator: str, rows: int) -> pl.DataFrame:
    """At most ``rows`` data rows (plus the header) and one more, to tell a table over budget."""
    frame = pl.read_csv(
        io.BytesIO(source) if isinstance(source, bytes) else source,
        has_header=False,
        infer_schema=False,
        separator=separator,
        truncate_ragged_lines=True,
        raise_if_empty=False,
        glob=False,  # the path is a file's name, never a pattern
        n_rows=rows + 2,
    )
    if frame.height > rows + 1:
        raise OverBudget("PARCOURS_MAX_ROWS", rows)
    return frame


def _csv_frame(source: bytes | Path, facts: _Facts, rows: int) -> pl.DataFrame | None:
    """Header row included as the first row; None for an empty file.

    UTF-8 is tried first (polars refuses invalid UTF-8); only a file that is
    not UTF-8 is decoded in memory as Windows-1252.
    """
    if facts.blank:
        return None
    if facts.binary:
        raise Unreadable("binary content")
    if len(facts.header) > MAX_HEADER_BYTES:
        raise Unreadable("header line too long")
    separator = _delimiter(facts.header)
    try:
        return _polars_csv(source, separator, rows)
    except OverBudget:
        raise
    except Exception as utf8_error:
        data = source if isinstance(source, bytes) else source.read_bytes()
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            raise Unreadable("malformed CSV") from utf8_error
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise Unreadable("unknown encoding") from error
    try:
        return _polars_csv(text.encode("utf-8"), separator, rows)
    except OverBudget:
        raise
    except Exception as error:
        raise Unreadable("malformed CSV") from error


def _parquet_frame(source: bytes | Path, rows: int) -> pl.DataFrame:
    try:
        frame = pl.read_parquet(
            io.BytesIO(source) if isinstance(source, bytes) else source, glob=False, n_rows=rows + 1
        )
    except Exception as error:
        raise Unreadable("invalid Parquet file") from error
    if frame.height > rows:
        raise OverBudget("PARCOURS_MAX_ROWS", rows)
    as_text = []
    for name, dtype in frame.schema.items():
        column = pl.col(name)
        if isinstance(dtype, pl.Datetime):
            column = column.dt.date()
        if not dtype.is_nested():
            as_text.append(column.cast(pl.String, strict=False).alias(name))
        else:
            raise Unreadable(f"nested column {name}")
    header = pl.DataFrame([pl.Series(n, [n], dtype=pl.String) for n in frame.columns])
    return pl.concat([header, frame.select(as_text)], how="vertical")


def _raw_table(table: str, file: str, frame: pl.DataFrame, first_line: int, timestamps: bool) -> RawTable:
    """Split header from rows, name columns by normalised header, drop blank rows."""
    header = [None if v is None else str(v) for v in frame.row(0)] if frame.height else []
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
    rows = frame.slice(1)
    body = rows.select(
        *renames, pl.int_range(first_line + 1, first_line + 1 + rows.height, dtype=pl.Int64).alias(LINE)
    )
    blank = pl.all_horizontal(pl.exclude(LINE).is_null())
    if renames and body.select(blank.any()).item():
        body = body.filter(~blank)
    # Contiguous once here: polars' eager operations would otherwise copy a
    # many-chunk frame on every select, one table-sized copy per check.
    return RawTable(table=table, file=file, frame=body.rechunk(), headers=names, duplicates=duplicates)


class _Reader:
    def __init__(self, lang: str, budgets: Budgets) -> None:
        self.lang = lang
        self.budgets = budgets
        self.result = ReadResult()
        self.seen: dict[str, str] = {}

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

    def add(self, raw: RawTable, sha256: str) -> None:
        contract = {c.source for c in contract_columns(raw.table)}
        for key in dict.fromkeys(k for k in raw.duplicates if k in contract):
            self.result.problems.append(
                problem("DUPLICATE_COLUMN", self.lang, table=raw.table, file=raw.file, column=key)
            )
        self.result.tables.append(raw)
        self.result.files.append(SourceFile(raw.file, raw.table, sha256, raw.frame.height))

    def data_file(self, table: str, file: str, source: bytes | Path) -> None:
        """Read one CSV or Parquet file, given as its bytes or its path."""
        if not self.claim(table, file):
            return
        parquet = file.lower().endswith(".parquet")
        budgets = self.budgets
        try:
            if parquet:
                parquet_within_budget(source, budgets)
            elif isinstance(source, Path) and source.stat().st_size > budgets.member_bytes:
                raise OverBudget("PARCOURS_MAX_MEMBER_BYTES", budgets.member_bytes)
            facts = _facts(source, None if parquet else budgets.line_bytes)
            frame = _parquet_frame(source, budgets.rows) if parquet else _csv_frame(source, facts, budgets.rows)
            if frame is None or frame.height == 0:
                self.result.problems.append(problem("EMPTY_FILE", self.lang, table=table, file=file))
                return
            raw = _raw_table(table, file, frame, 1, timestamps=parquet)
        except OverBudget as error:
            self.over(table, file, error)
            return
        except Unreadable as error:
            self.unreadable(table, file, str(error))
            return
        except OSError as error:
            self.unreadable(table, file, error.strerror or "cannot open")
            return
        except Exception as error:  # polars may reject input in ways not worth telling apart
            self.unreadable(table, file, type(error).__name__)
            return
        self.add(raw, facts.sha256)

    def folder(self, path: Path) -> None:
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
                        target = archive.read(member) if member.file_size <= 4096 else b"?"
                        self.link(table, file, target.decode("utf-8", errors="replace"))
                        continue
                    try:
                        data = read_member(archive, member, self.budgets)
                    except OverBudget as error:
                        self.over(table, file, error)
                        continue
                    except Exception as error:
                        self.unreadable(table, file, type(error).__name__)
                        continue
                    self.data_file(table, file, data)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
            self.unreadable("", path.name, "corrupted zip")

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
        origins = _sheet_origins(data)
        for sheet in sheets:
            table = table_for(sheet)
            if table is None:
                continue
            file = f"{path.name}!{sheet}"
            if not self.claim(table, file):
                continue
            try:
                rows = self.budgets.rows
                frame = reader.load_sheet(sheet, header_row=None, dtypes="string", n_rows=rows + 2).to_polars()
            except Exception:
                self.unreadable(table, file, "unreadable sheet")
                continue
            if frame.height > rows + 1:
                self.over(table, file, OverBudget("PARCOURS_MAX_ROWS", rows))
                continue
            if frame.height == 0:
                self.result.problems.append(problem("EMPTY_FILE", self.lang, table=table, file=file))
                continue
            self.add(_raw_table(table, file, frame, origins.get(sheet, 1), timestamps=True), digest)

    def workbook_budget(self, path: Path) -> None:
        """A workbook is a zip: each of its parts within the member budgets, checked before any is expanded."""
        try:
            with zipfile.ZipFile(path) as archive:
                for member in archive.infolist():
                    within_budget(member, self.budgets)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
            return  # not a zip: fastexcel says the workbook is corrupted


def _sheet_origins(data: bytes) -> dict[str, int]:
    """Sheet -> row number of its first used row (calamine starts there)."""
    try:
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
        try:
            return {ws.title: ws.min_row or 1 for ws in book.worksheets}
        finally:
            book.close()
    except Exception:
        return {}


def read_dataset(path: Path, lang: str = "fr", budgets: Budgets | None = None) -> ReadResult:
    """Every contract table found at ``path``, as raw text frames, with the problems met.

    ``budgets`` default to the settings (``Budgets.from_settings``).
    """
    reader = _Reader(lang, budgets or Budgets.from_settings())
    suffix = path.suffix.lower()
    if path.is_dir():
        reader.folder(path)
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
    return reader.result
