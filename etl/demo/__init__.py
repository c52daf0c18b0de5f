"""Realistic, deterministic demo datasets in the data contract's format.

``write_demo("S", Path("data/demo"))`` writes one social centre of 300
persons over the years since 2018; M, L and XL spread social centres,
CHRS-like shelters and public social-action centres over a network. The
effects planted in the data are listed in ``etl.demo.effects`` and
``docs/demo-data.md``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from etl.demo.effects import START_YEAR
from etl.demo.generate import TABLES, generate_structure
from etl.demo.sampling import day_number
from etl.demo.structures import SIZES, plan_network
from etl.demo.writer import WORKBOOK, DemoWriter

FORMATS = ("csv", "parquet", "xlsx")
XLSX_SIZES = ("S", "M")
__all__ = ["FORMATS", "SIZES", "TABLES", "WORKBOOK", "write_demo"]

_MESSAGES = {
    "size": {
        "fr": "Taille de jeu de démonstration inconnue : {value!r} (attendu : {choices}).",
        "en": "Unknown demo dataset size: {value!r} (expected: {choices}).",
    },
    "fmt": {
        "fr": "Format inconnu : {value!r} (attendu : {choices}).",
        "en": "Unknown format: {value!r} (expected: {choices}).",
    },
    "xlsx": {
        "fr": "Le format xlsx n'est proposé que pour les tailles {choices} : la taille {value} dépasse ce qu'un "
        "classeur Excel peut raisonnablement contenir ; utilisez csv ou parquet.",
        "en": "The xlsx format is only offered for sizes {choices}: size {value} is more than an Excel workbook "
        "can reasonably hold; use csv or parquet.",
    },
    "today": {
        "fr": "La date du jour ({value}) doit être postérieure au 1er juillet {year} : les données commencent le 1er janvier {year}.",
        "en": "Today ({value}) must be after 1 July {year}: the data starts on 1 January {year}.",
    },
}


def _error(key: str, lang: str, **values: object) -> ValueError:
    return ValueError(_MESSAGES[key]["en" if lang == "en" else "fr"].format(**values))


def write_demo(
    size: str, out: Path, *, seed: int = 42, fmt: str = "csv", today: date | None = None, lang: str = "fr",
    workshop_effect: float = 1.0,
) -> dict[str, int]:
    """Write a demo dataset in the data contract's format (French file and column names) into `out`;
    return rows per contract table.

    Same size, seed and ``today`` give byte-identical files. Data runs from
    1 January 2018 to ``today`` (default: the current date) and never after.
    ``workshop_effect`` scales the planted effect of regular workshop attendance on needs (1, the default, is
    the demo; 0 gives the same persons and attendance with no effect at all, to check that an analysis finds none).
    """
    if size not in SIZES:
        raise _error("size", lang, value=size, choices=", ".join(SIZES))
    if fmt not in FORMATS:
        raise _error("fmt", lang, value=fmt, choices=", ".join(FORMATS))
    if fmt == "xlsx" and size not in XLSX_SIZES:
        raise _error("xlsx", lang, value=size, choices=", ".join(XLSX_SIZES))
    today = today or date.today()
    if today < date(START_YEAR, 7, 1):
        raise _error("today", lang, value=today.isoformat(), year=START_YEAR)
    first, last = day_number(date(START_YEAR, 1, 1)), day_number(today)
    with DemoWriter(Path(out), fmt) as writer:
        for plan in plan_network(size, seed):
            for table, frame in generate_structure(plan, seed, first, last, workshop_effect).items():
                writer.write(table, frame)
    return {table: writer.counts.get(table, 0) for table in TABLES}
