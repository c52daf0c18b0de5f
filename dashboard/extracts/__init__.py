"""Safe person-level extracts for researchers: k-anonymous, l-diverse, with random ids and a provenance sheet.

``cohort_extract(data, cohort)`` builds the extract of a cohort;
``extract_bytes(extract, ...)`` writes it as CSV or XLSX. See
``dashboard.extracts.anonymity`` for the method and
``dashboard.extracts.hierarchy`` for the generalisation hierarchies.
"""

from dashboard.extracts.anonymity import EXTRACT_COLUMNS, Extract, ExtractCheckError, anonymise, check
from dashboard.extracts.cohort import cohort_extract, cohort_extract_bytes, extract_of_members
from dashboard.extracts.files import FORMATS, extract_bytes, extract_notes, extract_sheet, extract_what
from dashboard.extracts.hierarchy import HIERARCHIES, QI_COLUMNS
from dashboard.extracts.records import person_records

__all__ = ["EXTRACT_COLUMNS", "FORMATS", "HIERARCHIES", "QI_COLUMNS", "Extract", "ExtractCheckError", "anonymise",
           "check", "cohort_extract", "cohort_extract_bytes", "extract_bytes", "extract_notes", "extract_of_members",
           "extract_sheet", "extract_what", "person_records"]
