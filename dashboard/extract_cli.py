"""``python -m dashboard extract [cohort options] --out FILE``: a cohort's safe person-level extract as a file.

The cohort is given as for ``figures`` (``--anchor``, ``--anchor-from``,
``--anchor-to``, ``--source``, ``--program``, ``--sex``, ``--age-band``,
``--structure`` and the other cohort options of ``dashboard.cohort_cli``,
or ``--cohort LINK``). The file is XLSX (extract and provenance sheets) or
CSV (provenance as ``#`` lines, then the extract), from ``--format`` or
the file's suffix, in the conventions of ``--lang`` (``fr``: ``;`` and
decimal commas). See ``dashboard.extracts`` for what the extract holds and
how it protects persons.

Exit status: 0 with the file written (a line on standard error says how
many rows and how many persons were suppressed), or 0 without a file when
the cohort is too small or too close to a neighbouring one (a message says
so, as ``figures`` does for a selection too small); 2 for invalid input;
1 when the database cannot be read. The file is written whole or not at
all (a temporary file renamed).
"""

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn, TextIO

from dashboard.cli import LANGS, UsageError, read_snapshot
from dashboard.cli import _lang as lang_of_argv
from dashboard.cohort_cli import CohortUsageError, cohort_of
from dashboard.cohort_cli import add_options as add_cohort_options
from dashboard.disclosure import ThresholdError, disclosure_mode, thresholds
from dashboard.extracts import FORMATS, cohort_extract, extract_bytes, extract_notes, extract_what
from dashboard.provenance import gather, selection_of, snapshot_files
from dashboard.spreadsheets import write_whole
from dashboard.terminal import printable

MESSAGES: dict[str, dict[str, str]] = {
    "fr": {
        "error": "Erreur : {message}",
        "usage": "usage : python -m dashboard extract --anchor ... [options de cohorte] --out FICHIER.xlsx ; aide : --help",
        "bad_arguments": "ligne de commande invalide ({value}).",
        "unknown_option": "option inconnue : {value}.",
        "no_cohort": "un extrait décrit une cohorte : indiquez --anchor (ou --cohort).",
        "no_out": "indiquez le fichier à écrire : --out FICHIER.xlsx (ou .csv).",
        "bad_format": "--format : « {value} » invalide ; valeurs possibles : csv, xlsx (ou l'extension de --out).",
        "bad_lang": "--lang : « {value} » invalide ; valeurs possibles : fr, en.",
        "one_value": "{option} : une seule valeur (ou aucune).",
        "unknown_structure": "--structure : structure « {value} » absente de la base.",
        "hidden": "La cohorte compte moins de {k} personnes, ou diffère de moins de {k} personnes d'une cohorte voisine "
                  "(un critère en moins) : pas d'extrait, aucun fichier écrit.",
        "written": "Extrait écrit dans {path} : {rows} ligne(s) ; {suppressed} personne(s) retirée(s) sur {members}.",
        "write": "écriture de {path} impossible : {detail}",
        "help_out": "fichier à écrire (.xlsx ou .csv)",
        "help_format": "format : xlsx ou csv (par défaut : l'extension de --out)",
        "help_lang": "langue des en-têtes, des messages et des conventions du fichier : fr (par défaut) ou en",
        "help_code": "cohorte : une valeur ({what})",
    },
    "en": {
        "error": "Error: {message}",
        "usage": "usage: python -m dashboard extract --anchor ... [cohort options] --out FILE.xlsx; help: --help",
        "bad_arguments": "invalid command line ({value}).",
        "unknown_option": "unknown option: {value}.",
        "no_cohort": "an extract describes a cohort: give --anchor (or --cohort).",
        "no_out": "name the file to write: --out FILE.xlsx (or .csv).",
        "bad_format": "--format: invalid '{value}'; possible values: csv, xlsx (or the suffix of --out).",
        "bad_lang": "--lang: invalid '{value}'; possible values: fr, en.",
        "one_value": "{option}: one value (or none).",
        "unknown_structure": "--structure: structure '{value}' is not in the database.",
        "hidden": "The cohort has fewer than {k} persons, or differs by fewer than {k} persons from a neighbouring "
                  "cohort (one criterion lifted): no extract, no file written.",
        "written": "Extract written to {path}: {rows} row(s); {suppressed} person(s) suppressed out of {members}.",
        "write": "cannot write {path}: {detail}",
        "help_out": "file to write (.xlsx or .csv)",
        "help_format": "format: xlsx or csv (default: the suffix of --out)",
        "help_lang": "language of headings, messages and file conventions: fr (default) or en",
        "help_code": "cohort: one value ({what})",
    },
}
_CODES = {"--source": "SOURCE", "--program": "DISPOSITIF", "--sex": "SEXE", "--age-band": "AGE_BAND",
          "--structure": "structure"}


class _Parser(argparse.ArgumentParser):
    lang = "fr"

    def error(self, message: str) -> NoReturn:
        raise UsageError(MESSAGES[self.lang]["bad_arguments"].format(value=message))


def parse(argv: Sequence[str], lang: str) -> argparse.Namespace:
    say = MESSAGES[lang]
    parser = _Parser(prog="python -m dashboard extract", allow_abbrev=False)
    parser.lang = lang
    for option, what in _CODES.items():
        parser.add_argument(option, action="append", metavar="CODE", help=say["help_code"].format(what=what))
    add_cohort_options(parser, lang)
    parser.add_argument("--out", metavar="FICHIER" if lang == "fr" else "FILE", help=say["help_out"])
    parser.add_argument("--format", metavar="{xlsx,csv}", help=say["help_format"])
    parser.add_argument("--lang", default=lang, metavar="{fr,en}", help=say["help_lang"])
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        raise UsageError(say["unknown_option"].format(value=" ".join(unknown)))
    if args.lang not in LANGS:
        raise UsageError(say["bad_lang"].format(value=args.lang))
    for option in _CODES:
        values = getattr(args, option.lstrip("-").replace("-", "_"))
        if values and len(set(values)) > 1:
            raise UsageError(say["one_value"].format(option=option))
    if not args.anchor and not args.cohort:
        raise UsageError(say["no_cohort"])
    if not args.out:
        raise UsageError(say["no_out"])
    args.format = (args.format or Path(args.out).suffix.lstrip(".")).lower()
    if args.format not in FORMATS:
        raise UsageError(say["bad_format"].format(value=args.format))
    return args


def extract_command(argv: Sequence[str], lang: str, err: TextIO) -> int:
    args = parse(argv, lang)
    lang = args.lang
    data = read_snapshot(lang, err)
    if data is None:
        return 1
    known = data.structures["structure_id"].to_list()
    for value in args.structure or []:
        if value not in known:
            raise UsageError(MESSAGES[lang]["unknown_structure"].format(value=value))
    try:
        cohort = cohort_of(args, lang, known)
    except CohortUsageError as exc:
        raise UsageError(str(exc)) from None
    assert cohort is not None  # parse() asked for --anchor or --cohort
    k, k_screen = thresholds(True)[0], thresholds(False)[0]
    extract = cohort_extract(data, cohort, k=k)
    if extract is None:
        err.write(MESSAGES[lang]["hidden"].format(k=k) + "\n")
        return 0
    provenance = gather(data, what=extract_what(cohort.name or "-", lang), selection=selection_of(cohort.to_query()),
                        files=snapshot_files(data), k=k, k_screen=k_screen, mode=disclosure_mode(),
                        notes=extract_notes(extract, lang))
    path = Path(args.out)
    try:
        write_whole(path, extract_bytes(extract, args.format, lang, provenance))
    except OSError as exc:
        raise UsageError(MESSAGES[lang]["write"].format(path=path, detail=exc.strerror or exc)) from None
    err.write(printable(MESSAGES[lang]["written"].format(path=path, rows=extract.rows.height,
                                                        suppressed=extract.suppressed, members=extract.members)) + "\n")
    return 0


def main(argv: Sequence[str] | None = None, err: TextIO | None = None) -> int:
    """Run ``extract``; returns the exit status (never a traceback)."""
    argv = list(sys.argv[2:] if argv is None else argv)
    err = err or sys.stderr
    lang = lang_of_argv(argv)
    say = MESSAGES[lang]
    try:
        return extract_command(argv, lang, err)
    except UsageError as exc:
        err.write(printable(say["error"].format(message=exc)) + "\n" + say["usage"] + "\n")
        return 2
    except ThresholdError as exc:
        err.write(printable(say["error"].format(message=exc)) + "\n")
        return 2
    except Exception as exc:  # the last guard: a message, never a traceback
        err.write(printable(say["error"].format(message=f"{type(exc).__name__}: {exc}")) + "\n")
        return 1


__all__ = ["MESSAGES", "extract_command", "main", "parse"]
