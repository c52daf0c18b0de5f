"""A small valid dataset written by the tests, and helpers to vary it.

The base dataset has no error and no warning on ``TODAY``; each test
changes one file and asserts exactly what that change produces.
"""

from datetime import date
from pathlib import Path

from etl.dataset import Problem, ValidatedDataset, read_and_validate

TODAY = date(2025, 6, 30)

PERSONNES = "structure_id,personne_id,sexe,annee_naissance\nS1,P1,F,1980\nS1,P2,M,1990\n"
ORIENTATIONS = (
    "structure_id,orientation_id,personne_id,date_orientation,source,decision,date_decision\n"
    "S1,O1,P1,2024-01-10,SPIP,ACCEPTEE,2024-01-20\n"
    "S1,O2,P2,2024-02-01,CCAS,REFUSEE,2024-02-05\n"
)
ACCOMPAGNEMENTS = (
    "structure_id,accompagnement_id,personne_id,orientation_id,dispositif,date_entree,date_sortie,motif_sortie\n"
    "S1,A1,P1,O1,SOINS,2024-01-21,2024-05-01,OBJECTIF_ATTEINT\n"
)
BASE: dict[str, str] = {
    "personnes.csv": PERSONNES,
    "orientations.csv": ORIENTATIONS,
    "accompagnements.csv": ACCOMPAGNEMENTS,
}


def write(folder: Path, files: dict[str, str | bytes | None], *, base: bool = True) -> Path:
    """Write the base dataset (unless ``base`` is False) with ``files`` replacing
    or adding files; a ``None`` content removes the file."""
    folder.mkdir(parents=True, exist_ok=True)
    merged: dict[str, str | bytes | None] = {**(BASE if base else {}), **files}
    for name, content in merged.items():
        if content is None:
            continue
        data = content.encode("utf-8") if isinstance(content, str) else content
        (folder / name).write_bytes(data)
    return folder


def check(folder: Path, files: dict[str, str | bytes | None] | None = None, **kwargs: object) -> ValidatedDataset:
    """Write and read-and-validate, on ``TODAY`` unless told otherwise."""
    kwargs.setdefault("today", TODAY)
    return read_and_validate(write(folder, files or {}), **kwargs)  # type: ignore[arg-type]


def where(problems: list[Problem]) -> list[tuple[str, int | None, str | None, str | None, str]]:
    """(table, line, column, value, code) of each problem, to compare at once."""
    return [(p.table, p.line, p.column, p.value, p.code) for p in problems]
