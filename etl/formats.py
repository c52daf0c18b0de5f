"""File formats at the byte level: one pass over a file's bytes (hash, header
line, encoding, NUL bytes, line lengths), the CSV delimiter, and the text
frames of a CSV or Parquet file in chunks of ``CHUNK_ROWS`` rows.

Everything is read as text (no type inference); staging types it. A file
that cannot be read raises ``Unreadable`` with a short reason in English.
"""

import codecs
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from etl import spill
from etl.budgets import OverBudget

MAX_HEADER_BYTES = 100_000
CHUNK_BYTES = 8 * 1024 * 1024


class Unreadable(Exception):
    """A file that cannot be read; ``args[0]`` says why, shortly, in English."""


@dataclass
class Facts:
    """What one pass over a file's bytes tells before parsing it."""

    sha256: str
    header: bytes  # first line, cut after MAX_HEADER_BYTES + 1 bytes
    blank: bool
    binary: bool
    utf8: bool


def _chunks(source: bytes | Path, size: int = CHUNK_BYTES) -> Iterator[bytes]:
    if isinstance(source, bytes):
        for start in range(0, len(source), size):
            yield source[start : start + size]
        return
    with source.open("rb") as handle:
        while chunk := handle.read(size):
            yield chunk


def file_facts(source: bytes | Path, line_bytes: int | None = None) -> Facts:
    """Hash, first line, emptiness and NUL bytes, streaming (a file is never held whole).

    With ``line_bytes``, a physical line longer than that raises ``OverBudget``
    as soon as it is met. Chunks are no longer than the budget, so a line
    over it always spans a chunk boundary, where it is measured.
    """
    digest = hashlib.sha256()
    header, header_done, blank, binary = b"", False, True, False
    decoder, utf8 = codecs.getincrementaldecoder("utf-8")(), True
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
        if utf8:
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                utf8 = False
        binary = binary or b"\x00" in chunk
        blank = blank and not chunk.strip(b" \t\r\n")
        if not header_done:
            end = chunk.find(b"\n")
            header = (header + (chunk if end < 0 else chunk[:end]))[: MAX_HEADER_BYTES + 1]
            header_done = end >= 0 or len(header) > MAX_HEADER_BYTES
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    return Facts(digest.hexdigest(), header, blank, binary, utf8)


def delimiter(header_line: bytes) -> str:
    """``;`` when the header has more semicolons than commas outside quotes."""
    counts = {",": 0, ";": 0}
    quoted = False
    for ch in header_line.decode("utf-8", errors="replace"):
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    return ";" if counts[";"] > counts[","] else ","


class EmptyFile(Exception):
    """A file without even a header row."""


def transcoded(path: Path, folder: Path) -> Path:
    """A Windows-1252 file rewritten as UTF-8, chunk by chunk (the encoding is one byte per character)."""
    target = folder / (path.name + ".utf8")
    with path.open("rb") as source, target.open("wb") as out:
        while chunk := source.read(CHUNK_BYTES):
            try:
                out.write(chunk.decode("cp1252").encode("utf-8"))
            except UnicodeDecodeError as error:
                raise Unreadable("unknown encoding") from error
    return target


def row_end(block: bytes) -> int:
    """Where the last row of ``block`` ends: its last newline outside quotes (-1: none).

    The block starts outside quotes; a newline is outside them when an even
    number of quotes comes before it (an escaped quote is two). Counted from
    the end, one segment between newlines at a time: linear in the block.
    """
    quotes, end = block.count(b'"'), len(block)
    position = block.rfind(b"\n")
    while position >= 0:
        quotes -= block.count(b'"', position, end)
        if quotes % 2 == 0:
            return position
        end, position = position, block.rfind(b"\n", 0, position)
    return -1


def csv_blocks(path: Path, size: int | None = None) -> Iterator[bytes]:
    """The file's bytes in blocks of about ``size`` bytes (``spill.BLOCK_BYTES``), each ending where a row ends
    (a quoted value spanning lines is never cut; UTF-8 never puts a newline or a quote
    inside a character)."""
    carry = b""
    with path.open("rb") as handle:
        while data := handle.read(size or spill.BLOCK_BYTES):
            block = carry + data
            cut = row_end(block)
            if cut < 0:
                carry = block
                continue
            yield block[: cut + 1]
            carry = block[cut + 1 :]
    if carry:
        yield carry


def _rows(frame: pl.DataFrame) -> Iterator[pl.DataFrame]:
    for start in range(0, max(frame.height, 1), spill.CHUNK_ROWS):
        yield frame.slice(start, spill.CHUNK_ROWS)


def csv_frames(path: Path, facts: Facts, folder: Path) -> Iterator[pl.DataFrame]:
    """The file's rows as text frames of at most ``CHUNK_ROWS`` rows, header row first.

    UTF-8 is read as it is (polars refuses invalid UTF-8); a file that is not
    UTF-8 is transcoded from Windows-1252 into a temporary file first. Each
    block of the file is parsed on its own with the header line put back in
    front (polars takes the number of columns from the first row): polars'
    own batched reader reads far ahead, and its memory grows with the file.
    """
    if facts.blank:
        raise EmptyFile
    if facts.binary:
        raise Unreadable("binary content")
    if len(facts.header) > MAX_HEADER_BYTES:
        raise Unreadable("header line too long")
    separator = delimiter(facts.header)
    source = path if facts.utf8 else transcoded(path, folder)
    header = facts.header if facts.utf8 else facts.header.decode("cp1252", errors="replace").encode("utf-8")
    first = True
    for block in csv_blocks(source):
        try:
            frame = pl.read_csv(
                io.BytesIO(block if first else header + b"\n" + block),
                has_header=False,
                infer_schema=False,
                separator=separator,
                truncate_ragged_lines=True,
                raise_if_empty=False,
            )
        except Exception as error:
            raise Unreadable("malformed CSV") from error
        if not first:
            frame = frame.slice(1)
        first = False
        yield from _rows(frame)


def parquet_frames(path: Path) -> Iterator[pl.DataFrame]:
    """Batches of text columns, the column names as a first row; one row group at a time."""
    import pyarrow.parquet as pq

    try:
        file = pq.ParquetFile(path)
        schema = pl.from_arrow(file.schema_arrow.empty_table()).schema  # type: ignore[union-attr]
    except Exception as error:
        raise Unreadable("invalid Parquet file") from error
    as_text = []
    for name, dtype in schema.items():
        if dtype.is_nested():
            raise Unreadable(f"nested column {name}")
        column = pl.col(name).dt.date() if isinstance(dtype, pl.Datetime) else pl.col(name)
        as_text.append(column.cast(pl.String, strict=False).alias(name))
    yield pl.DataFrame([pl.Series(n, [n], dtype=pl.String) for n in schema])
    try:
        for batch in file.iter_batches(batch_size=spill.CHUNK_ROWS):
            yield pl.DataFrame(pl.from_arrow(batch)).select(as_text)
    except Exception as error:
        raise Unreadable("invalid Parquet file") from error


def sheet_origins(data: bytes) -> dict[str, int]:
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
