"""The safe extract of a cohort, and its file, as the cohort page and the command line ask for them.

An extract leaves the app: it uses the published threshold
(``dashboard.disclosure.thresholds(True)``). A cohort that the cohort gate
hides (under k persons, or within 1 to k - 1 persons of the same cohort
with one criterion lifted: two such extracts side by side would hold the
few persons between them) has no extract: ``None``.
"""

from datetime import datetime

import polars as pl

from dashboard.cohorts import Cohort, cohort_gate, members
from dashboard.data import Data
from dashboard.disclosure import disclosure_mode, thresholds
from dashboard.extracts.anonymity import Extract, anonymise
from dashboard.extracts.files import extract_bytes, extract_notes, extract_what
from dashboard.extracts.records import person_records
from dashboard.provenance import gather, selection_of, snapshot_files


def extract_of_members(data: Data, chosen: pl.DataFrame, k: int) -> Extract:
    """The extract of a members frame (``pid``, ``structure_id``, ``anchor_date``), without the cohort gate."""
    return anonymise(person_records(data, chosen), k=k, structures=data.structures.height)


def cohort_extract(data: Data, cohort: Cohort, *, k: int | None = None) -> Extract | None:
    """The cohort's extract at the published threshold (or ``k``); None when the cohort gate hides it."""
    k = k if k is not None else thresholds(True)[0]
    if cohort_gate(data, cohort, k):
        return None
    return extract_of_members(data, members(data, cohort), k)


def cohort_extract_bytes(data: Data, cohort: Cohort, fmt: str, lang: str, *, files: pl.DataFrame | None = None,
                         made_at: datetime | None = None) -> bytes | None:
    """The cohort's extract as ``csv`` or ``xlsx`` bytes with its provenance; None when the gate hides it."""
    extract = cohort_extract(data, cohort)
    if extract is None:
        return None
    k_screen = thresholds(False)[0]
    provenance = gather(
        data, what=extract_what(cohort.name or "-", lang), selection=selection_of(cohort.snapped().to_query()),
        files=files if files is not None else snapshot_files(data), k=extract.k, k_screen=k_screen,
        mode=disclosure_mode(), made_at=made_at, notes=extract_notes(extract, lang),
    )
    return extract_bytes(extract, fmt, lang, provenance)


__all__ = ["cohort_extract", "cohort_extract_bytes", "extract_of_members"]
