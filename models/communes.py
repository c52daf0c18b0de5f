"""French communes by INSEE code, shipped as data (no network at run time).

``data/communes.csv.gz`` maps every INSEE commune code of the *Code officiel
géographique* 2026 (current communes, municipal districts, and former or
delegated codes, each under the name of the commune it belongs to today) to
its name. Source: INSEE COG 2026 as packaged by Etalab in
``@etalab/decoupage-administratif`` 6.0.0; data under the Licence Ouverte
2.0 (Etalab). ``scripts/build_communes.py`` rebuilds the file.
"""

import csv
import gzip
import io
import re
from functools import cache
from pathlib import Path

FILE = Path(__file__).with_name("data") / "communes.csv.gz"
INSEE_CODE = re.compile(r"\d{5}|2[AB]\d{3}")
"""The shape of an INSEE commune code: five digits, or 2A/2B and three digits for Corsica."""


@cache
def commune_names() -> dict[str, str]:
    """INSEE code -> commune name (read once)."""
    with gzip.open(FILE, "rt", encoding="utf-8", newline="") as handle:
        return {row["code"]: row["nom"] for row in csv.DictReader(io.StringIO(handle.read()))}


def commune_name(value: str | None) -> str | None:
    """The commune's name when ``value`` is a known INSEE code (spaces around it ignored), else None."""
    code = (value or "").strip().upper()
    return commune_names().get(code) if INSEE_CODE.fullmatch(code) else None


__all__ = ["FILE", "INSEE_CODE", "commune_name", "commune_names"]
