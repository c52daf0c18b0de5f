"""Budgets: what one file of a dataset may cost before it is refused.

A real export never reaches them; a decompression bomb (a small zip that
expands to gigabytes), a table of a billion rows or a line of a gigabyte
does, and is refused before it is decompressed or parsed whole. Each budget
is a setting (``PARCOURS_MAX_...``, see ``models.settings``).
"""

import io
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path

from models.settings import get_setting

RATIO_FLOOR_BYTES = 1024 * 1024  # a member expanding to less than this is never a bomb, whatever its ratio


@dataclass(frozen=True)
class Budgets:
    """What one file may cost; each field is a setting (``PARCOURS_MAX_...``)."""

    member_bytes: int = 4 * 1024**3  # PARCOURS_MAX_MEMBER_BYTES
    ratio: float = 200.0  # PARCOURS_MAX_RATIO
    rows: int = 100_000_000  # PARCOURS_MAX_ROWS
    line_bytes: int = 1_000_000  # PARCOURS_MAX_LINE_BYTES

    @classmethod
    def from_settings(cls) -> "Budgets":
        """The budgets set in the environment; ``ValueError`` naming the setting if one is not a positive number."""

        def positive(name: str, kind: type) -> int | float:
            value = get_setting(name)
            try:
                number = kind(value.strip().replace("_", ""))
            except ValueError:
                number = 0
            if not number > 0:
                raise ValueError(
                    f"{name} : nombre positif attendu / a positive number is expected ({value!r})"
                )
            return number

        return cls(
            member_bytes=int(positive("PARCOURS_MAX_MEMBER_BYTES", int)),
            ratio=float(positive("PARCOURS_MAX_RATIO", float)),
            rows=int(positive("PARCOURS_MAX_ROWS", int)),
            line_bytes=int(positive("PARCOURS_MAX_LINE_BYTES", int)),
        )


class OverBudget(Exception):
    """A file over one of the budgets: ``setting`` names it, ``limit`` is its value."""

    def __init__(self, setting: str, limit: float) -> None:
        super().__init__(setting, limit)
        self.setting = setting
        self.limit = limit

    @property
    def value(self) -> str:
        limit = int(self.limit) if float(self.limit).is_integer() else self.limit
        return f"{self.setting}={limit}"


def is_link(member: zipfile.ZipInfo) -> bool:
    """A zip member stored as a symbolic link (Unix mode in the high bits of its attributes)."""
    return stat.S_ISLNK(member.external_attr >> 16)


def within_budget(member: zipfile.ZipInfo, budgets: Budgets) -> None:
    """Refuse a member from its declared sizes, before decompressing a byte of it."""
    if member.file_size > budgets.member_bytes:
        raise OverBudget("PARCOURS_MAX_MEMBER_BYTES", budgets.member_bytes)
    if member.file_size > RATIO_FLOOR_BYTES and member.file_size > budgets.ratio * max(member.compress_size, 1):
        raise OverBudget("PARCOURS_MAX_RATIO", budgets.ratio)


def extract_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, budgets: Budgets, target: Path) -> None:
    """Copy the member to ``target`` in chunks, never more than the budget: zipfile stops at
    the declared size, and the budget is checked on what really comes out."""
    within_budget(member, budgets)
    written = 0
    with archive.open(member) as handle, target.open("wb") as out:
        while chunk := handle.read(8 * 1024 * 1024):
            written += len(chunk)
            if written > budgets.member_bytes:
                raise OverBudget("PARCOURS_MAX_MEMBER_BYTES", budgets.member_bytes)
            out.write(chunk)


def parquet_within_budget(source: bytes | Path, budgets: Budgets) -> None:
    """Refuse a Parquet file from its footer, before a page is decompressed: rows,
    expanded size (the row groups' uncompressed bytes) and compression ratio.
    A footer that cannot be read is left for polars to call invalid."""
    import pyarrow.parquet as pq

    try:
        meta = pq.ParquetFile(io.BytesIO(source) if isinstance(source, bytes) else str(source)).metadata
        expanded = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
        rows = meta.num_rows
    except Exception:
        return
    stored = len(source) if isinstance(source, bytes) else source.stat().st_size
    if rows > budgets.rows:
        raise OverBudget("PARCOURS_MAX_ROWS", budgets.rows)
    if expanded > budgets.member_bytes:
        raise OverBudget("PARCOURS_MAX_MEMBER_BYTES", budgets.member_bytes)
    if expanded > RATIO_FLOOR_BYTES and expanded > budgets.ratio * max(stored, 1):
        raise OverBudget("PARCOURS_MAX_RATIO", budgets.ratio)
