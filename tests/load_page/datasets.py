"""Small exports as a director would drop them, with what loading them does worked out by hand.

``VALID`` (CSV, structure CS1): 2 persons, 2 referrals, 1 support period,
so 1 + 2 + 2 + 1 = 6 rows inserted (the structure row is created from its
id); one warning: the support period ends without a reason
(accompagnements.csv, line 2, column motif_sortie).

``WITH_ERRORS``: the same, but the second referral (orientations.csv,
line 3) has the date 31/02/2024 and the source ``=HYPERLINK("x")``: two
errors, so nothing may be written.
"""

from __future__ import annotations

import io
import zipfile

import xlsxwriter

PERSONS = "structure_id;personne_id;sexe;annee_naissance;qpv\nCS1;X-001;F;1984;OUI\nCS1;X-002;m;2001;non\n"
REFERRALS = (
    "structure_id,orientation_id,personne_id,date_orientation,source,decision,date_decision\n"
    "CS1,O1,X-001,10/01/2024,spip,Acceptée,2024-01-15\n"
    "CS1,O2,X-002,2024-02-01,SIAO,REFUSEE,2024-02-03\n"
)
SUPPORTS = (
    "structure_id,accompagnement_id,personne_id,orientation_id,dispositif,date_entree,date_sortie,motif_sortie\n"
    "CS1,A1,X-001,O1,HEBERGEMENT_INSERTION,2024-01-16,2024-03-01,\n"
)
VALID = {"personnes.csv": PERSONS, "orientations.csv": REFERRALS, "accompagnements.csv": SUPPORTS}
WITH_ERRORS = {**VALID, "orientations.csv": REFERRALS.replace("2024-02-01,SIAO", '31/02/2024,"=HYPERLINK(""x"")"')}


def uploads(files: dict[str, str]) -> list[tuple[str, bytes, str]]:
    """(name, content, MIME type) as the browser sends them."""
    return [(name, text.encode("utf-8"), "text/csv") for name, text in files.items()]


def zipped(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def workbook_without_structure() -> bytes:
    """One sheet per table and no structure_id column: loaded with the structure given on the page (CS-01).
    3 persons, 1 referral, 1 support period with its exit reason: 1 + 3 + 1 + 1 = 6 rows, no warning
    except the person without referral or support (X-3)."""
    sheets = {
        "personnes": [["personne_id", "sexe", "annee_naissance"], ["X-1", "F", 1990], ["X-2", "M", 1985],
                      ["X-3", "F", 1970]],
        "orientations": [["orientation_id", "personne_id", "date_orientation", "source", "decision", "date_decision"],
                         ["O1", "X-1", "2024-03-01", "SIAO", "ACCEPTEE", "2024-03-05"]],
        "accompagnements": [["accompagnement_id", "personne_id", "orientation_id", "dispositif", "date_entree",
                             "date_sortie", "motif_sortie"],
                            ["A1", "X-2", "", "HEBERGEMENT_INSERTION", "2024-01-02", "2024-06-30", "ACCES_SOLUTION"]],
    }
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                sheet.write(r, c, value)
    book.close()
    return buffer.getvalue()
