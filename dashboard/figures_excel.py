"""``python -m dashboard figures METRIC --format xlsx --out FILE``: the published figures as the app's Excel download.

The command line's CSV and JSON stay the machine form researchers script
against (``dashboard.cli``). ``--format xlsx`` writes instead the workbook a
person opens: headings and labels in ``--lang``, counts as whole numbers,
rates as percentages, hidden cells as ``< 11`` / "masqué", and the
provenance sheet, exactly as the page download
(``dashboard.ui.downloads.table_file``). The file is written whole or not
at all; without ``--out`` the command stops with status 2.
"""

import argparse
from pathlib import Path
from typing import TextIO

from dashboard.cohorts import Cohort
from dashboard.data import Data
from dashboard.disclosure import Protected
from dashboard.filters import Filters
from dashboard.provenance import selection_of, snapshot_files
from dashboard.spreadsheets import write_whole
from dashboard.terminal import printable
from dashboard.ui.downloads import table_file

MESSAGES = {
    "fr": {"help_out": "fichier à écrire avec --format xlsx",
           "no_out": "Erreur : --format xlsx écrit un fichier : indiquez-le avec --out FICHIER.xlsx.",
           "written": "Classeur écrit dans {path}.",
           "write": "Erreur : écriture de {path} impossible : {detail}"},
    "en": {"help_out": "file to write with --format xlsx",
           "no_out": "Error: --format xlsx writes a file: name it with --out FILE.xlsx.",
           "written": "Workbook written to {path}.",
           "write": "Error: cannot write {path}: {detail}"},
}


def add_out_option(parser: argparse.ArgumentParser, lang: str) -> None:
    parser.add_argument("--out", metavar="FICHIER" if lang == "fr" else "FILE", help=MESSAGES[lang]["help_out"])


def write_figures_xlsx(out: str | None, protected: Protected, data: Data, filters: Filters, lang: str,
                       err: TextIO, cohort: Cohort | None = None) -> int:
    """Write the workbook to ``out``; the exit status (2 without ``--out``, 1 when the file cannot be written).

    The provenance names the cohort's definition when the figures describe one, else the filters."""
    say = MESSAGES[lang]
    if not out:
        err.write(say["no_out"] + "\n")
        return 2
    path = Path(out)
    try:
        selection = selection_of(cohort.to_query() | {"by": filters.by}) if cohort is not None else None
        write_whole(path, table_file(protected, data, filters, lang, "xlsx", snapshot_files(data), selection=selection))
    except OSError as exc:
        err.write(printable(say["write"].format(path=path, detail=exc.strerror or exc)) + "\n")
        return 1
    err.write(printable(say["written"].format(path=path)) + "\n")
    return 0


__all__ = ["add_out_option", "write_figures_xlsx"]
