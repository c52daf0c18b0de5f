"""The command line for figures: ``python -m dashboard figures METRIC ...``.

Researchers script against this output, so it is stable:
- columns are the metric's public columns, named as in the definitions;
- periods read ``2024``, ``2024-Q1``, ``2024-03``;
- rates and shares are decimals between 0 and 1 rounded to whole percent
  (2 decimals), means have 1 decimal, medians and counts are whole numbers;
  counts are perturbed (cell-key method, see ``dashboard.disclosure``) unless
  the server runs with ``PARCOURS_DISCLOSURE=exact``;
- every figure goes through disclosure control with the *published*
  threshold (``PARCOURS_MIN_CELL_PUBLISHED``): a suppressed cell is empty in
  CSV and ``null`` in JSON (as is a figure with no value, e.g. a rate over 0);
- a selection too small to show anything is not an error: a message goes to
  standard error, the output has the CSV header only (or JSON with
  ``too_small: true`` and no rows), and the exit status is 0, so that a
  script looping over cohorts keeps going;
- dates are widened to whole periods of ``--by`` (``--from`` back to the
  first day of its month, quarter or year, ``--to`` on to the last day of
  its period; see ``dashboard.periods.snap_range``), so that two close
  ranges never tell one day's events apart; a line on standard error says
  so when it changed the dates given, and the output (JSON ``filters``
  included) is the widened range's;
- invalid input (unknown metric, option, code or structure, malformed
  date) prints a message, in French unless ``--lang en``, and exits with
  status 2; an unreadable database exits with status 1. Never a traceback;
  control characters in a message (a structure id from the database, a
  value typed) are escaped (``dashboard.terminal.printable``).

CSV is UTF-8, comma-separated, ``\\n`` line ends; a text cell that starts with
``= + - @``, a tab or a carriage return is written with a leading ``'``
(formula injection, see ``dashboard.safe_text``), numbers never. JSON is one object:
``metric``, ``filters``, ``k`` (threshold used), ``too_small``, ``notes``
(rules that fired), ``columns`` and ``rows`` (one object per row).
"""

import argparse
import io
import json
import re
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn, TextIO

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from dashboard.catalogue import CATALOGUE
from dashboard.cohort_cli import CohortUsageError, cohort_of, horizon_of
from dashboard.cohort_cli import add_options as add_cohort_options
from dashboard.cohorts import Cohort
from dashboard.data import Data, read_data
from dashboard.disclosure import COHORT_FIGURES, Protected, ThresholdError, figures
from dashboard.figures_excel import add_out_option, write_figures_xlsx
from dashboard.filters import AGE_BANDS, GRANULARITIES, Filters
from dashboard.safe_text import csv_cell
from dashboard.terminal import printable
from models.db import make_engine
from models.reference import codes
from models.settings import database_url, get_setting

RATE_DIGITS = 2
DECIMAL_DIGITS = 1
LANGS = ("fr", "en")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

MESSAGES: dict[str, dict[str, str]] = {
    "fr": {
        "error": "Erreur : {message}",
        "usage": "usage : python -m dashboard figures INDICATEUR [options] (ou --list) ; aide : --help",
        "no_command": "commande manquante ou inconnue{value} : la seule commande est « figures ».",
        "no_metric": "indiquez un indicateur (la liste : python -m dashboard figures --list).",
        "unknown_metric": "indicateur inconnu « {value} ». Indicateurs : {choices}.",
        "unknown_option": "option inconnue : {value}.",
        "bad_arguments": "ligne de commande invalide ({value}).",
        "bad_choice": "{option} : valeur « {value} » invalide. Valeurs possibles : {choices}.",
        "bad_date": "{option} : date « {value} » invalide, attendu AAAA-MM-JJ (par exemple 2024-01-31).",
        "dates_order": "--from ({start}) est après --to ({end}).",
        "unknown_structure": "--structure : structure « {value} » absente de la base. Structures : {choices}.",
        "no_database": "la base de données {value} n'existe pas (réglage DATABASE_URL).",
        "database": "lecture de la base de données {value} impossible : {detail}",
        "too_small": "La sélection est trop petite pour publier des chiffres (moins de {k} personnes) : aucun chiffre.",
        "needs_cohort": "l'indicateur {value} décrit une cohorte : ajoutez --anchor (ou --cohort).",
        "one_value": "{option} : une seule valeur (ou aucune, pour toutes) ; des unions de groupes permettraient de retrouver "
                     "des personnes par différence.",
        "widened": "La période est élargie aux {whole} : {start} – {end} au lieu de {asked_start} – {asked_end}.",
        "whole_month": "mois entiers",
        "whole_quarter": "trimestres entiers",
        "whole_year": "années entières",
        "help_metric": "indicateur à calculer (voir --list)",
        "help_list": "affiche la liste des indicateurs",
        "help_by": "période : month (mois), quarter (trimestre) ou year (année) ; month par défaut ; pour "
                   "time-to-exit : program (par dispositif, par défaut) ou cohort (avec une cohorte)",
        "help_from": "premier jour (AAAA-MM-JJ), inclus ; ramené au premier jour de sa période (--by)",
        "help_to": "dernier jour (AAAA-MM-JJ), inclus ; porté au dernier jour de sa période (--by)",
        "help_list_of": "une valeur ({what}) ; sans l'option : toutes",
        "structure_ids": "identifiants de structure",
        "help_format": "format de sortie : csv (par défaut), json, ou xlsx (classeur du téléchargement, avec --out)",
        "help_lang": "langue des messages : fr (par défaut) ou en",
        "epilog": "Seuil de publication : PARCOURS_MIN_CELL_PUBLISHED ; cellule masquée = vide (CSV) ou null (JSON). "
                  "Sélection trop petite : message sur la sortie d'erreur, en-tête seul, code 0. "
                  "Entrée invalide : code 2 ; base illisible : code 1.",
    },
    "en": {
        "error": "Error: {message}",
        "usage": "usage: python -m dashboard figures METRIC [options] (or --list); help: --help",
        "no_command": "missing or unknown command{value}: the only command is 'figures'.",
        "no_metric": "name a metric (the list: python -m dashboard figures --list).",
        "unknown_metric": "unknown metric '{value}'. Metrics: {choices}.",
        "unknown_option": "unknown option: {value}.",
        "bad_arguments": "invalid command line ({value}).",
        "bad_choice": "{option}: invalid value '{value}'. Possible values: {choices}.",
        "bad_date": "{option}: invalid date '{value}', expected YYYY-MM-DD (for example 2024-01-31).",
        "dates_order": "--from ({start}) is after --to ({end}).",
        "unknown_structure": "--structure: structure '{value}' is not in the database. Structures: {choices}.",
        "no_database": "the database {value} does not exist (setting DATABASE_URL).",
        "database": "cannot read the database {value}: {detail}",
        "too_small": "The selection is too small to publish figures (fewer than {k} persons): no figures.",
        "needs_cohort": "the metric {value} describes a cohort: add --anchor (or --cohort).",
        "one_value": "{option}: one value (or none, for all); unions of groups would let persons be worked out by "
                     "difference.",
        "widened": "The range is widened to {whole}: {start} – {end} instead of {asked_start} – {asked_end}.",
        "whole_month": "whole months",
        "whole_quarter": "whole quarters",
        "whole_year": "whole years",
        "help_metric": "metric to compute (see --list)",
        "help_list": "list the metrics",
        "help_by": "period: month, quarter or year; month by default; for time-to-exit: program (by "
                   "program, the default) or cohort (with a cohort)",
        "help_from": "first day (YYYY-MM-DD), included; moved back to the first day of its period (--by)",
        "help_to": "last day (YYYY-MM-DD), included; moved on to the last day of its period (--by)",
        "help_list_of": "one value ({what}); without the option: all",
        "structure_ids": "structure ids",
        "help_format": "output format: csv (default), json, or xlsx (the download workbook, with --out)",
        "help_lang": "language of messages: fr (default) or en",
        "epilog": "Publication threshold: PARCOURS_MIN_CELL_PUBLISHED; a suppressed cell is empty (CSV) or null (JSON). "
                  "Selection too small: a message on standard error, the header only, status 0. "
                  "Invalid input: status 2; unreadable database: status 1.",
    },
}

# option -> (Filters field, code list or None for structures)
_LIST_OPTIONS: dict[str, tuple[str, str | None]] = {
    "--structure": ("structures", None),
    "--source": ("sources", "SOURCE"),
    "--program": ("programs", "DISPOSITIF"),
    "--sex": ("sexes", "SEXE"),
    "--age-band": ("age_bands", "AGE_BAND"),
}


class UsageError(Exception):
    """Invalid input: the message is shown as is and the exit status is 2."""


class _Parser(argparse.ArgumentParser):
    lang = "fr"

    def error(self, message: str) -> NoReturn:
        raise UsageError(MESSAGES[self.lang]["bad_arguments"].format(value=message))


def _lang(argv: Sequence[str]) -> str:
    """``--lang`` read before parsing, so that parsing errors speak it too."""
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv) and argv[index + 1] in LANGS:
            return argv[index + 1]
        if arg.startswith("--lang=") and arg.split("=", 1)[1] in LANGS:
            return arg.split("=", 1)[1]
    setting = get_setting("PARCOURS_LANG")
    return setting if setting in LANGS else "fr"


def _parser(lang: str) -> _Parser:
    say = MESSAGES[lang]
    parser = _Parser(prog="python -m dashboard figures", allow_abbrev=False, epilog=say["epilog"])
    parser.lang = lang
    parser.add_argument("metric", nargs="?", help=say["help_metric"])
    parser.add_argument("--list", action="store_true", help=say["help_list"])
    day = "AAAA-MM-JJ" if lang == "fr" else "YYYY-MM-DD"
    parser.add_argument("--by", default=None, metavar="{month,quarter,year}", help=say["help_by"])
    parser.add_argument("--from", dest="start", metavar=day, help=say["help_from"])
    parser.add_argument("--to", dest="end", metavar=day, help=say["help_to"])
    for option, (_, code_list) in _LIST_OPTIONS.items():
        parser.add_argument(option, action="extend", nargs="+", default=[], metavar="ID" if code_list is None else "CODE",
                            help=say["help_list_of"].format(what=code_list or say["structure_ids"]))
    parser.add_argument("--format", default="csv", metavar="{csv,json,xlsx}", help=say["help_format"])
    parser.add_argument("--lang", default=lang, metavar="{fr,en}", help=say["help_lang"])
    add_cohort_options(parser, lang)
    add_out_option(parser, lang)  # --format xlsx writes the download workbook there (dashboard.figures_excel)
    return parser


def _choice(option: str, value: str, choices: Sequence[str], lang: str) -> str:
    if value not in choices:
        raise UsageError(MESSAGES[lang]["bad_choice"].format(option=option, value=value, choices=", ".join(choices)))
    return value


def _date(option: str, value: str | None, lang: str) -> date | None:
    if value is None:
        return None
    try:
        if not _DATE.fullmatch(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(MESSAGES[lang]["bad_date"].format(option=option, value=value)) from None


def parse(argv: Sequence[str], lang: str, metrics: Sequence[str]) -> argparse.Namespace:
    """Parse and check everything that does not need the database."""
    say = MESSAGES[lang]
    args, unknown = _parser(lang).parse_known_args(argv)
    if unknown:
        raise UsageError(say["unknown_option"].format(value=" ".join(unknown)))
    _choice("--lang", args.lang, LANGS, lang)
    if args.list:
        return args
    if not args.metric:
        raise UsageError(say["no_metric"])
    if args.metric not in metrics:
        raise UsageError(say["unknown_metric"].format(value=args.metric, choices=", ".join(metrics)))
    groupings = CATALOGUE[args.metric].groupings if args.metric in CATALOGUE else ()
    args.group = None
    if groupings:  # --by names the figure's grouping (time-to-exit: program or cohort); dates snap to whole months
        args.group = _choice("--by", args.by or groupings[0], groupings, lang)
        args.by = "month"
    else:
        args.by = _choice("--by", args.by or "month", GRANULARITIES, lang)
    _choice("--format", args.format, ("csv", "json", "xlsx"), lang)
    args.start, args.end = _date("--from", args.start, lang), _date("--to", args.end, lang)
    if args.start and args.end and args.start > args.end:
        raise UsageError(say["dates_order"].format(start=args.start, end=args.end))
    for option, (_, code_list) in _LIST_OPTIONS.items():
        values = getattr(args, option.lstrip("-").replace("-", "_"))
        if len(set(values)) > 1:
            raise UsageError(say["one_value"].format(option=option))
        if code_list:
            allowed = AGE_BANDS if code_list == "AGE_BAND" else codes(code_list)
            for value in values:
                _choice(option, value, allowed, lang)
    return args


def filters_of(args: argparse.Namespace) -> Filters:
    lists = {field: tuple(sorted(set(getattr(args, option.lstrip("-").replace("-", "_")))))
             for option, (field, _) in _LIST_OPTIONS.items()}
    return Filters(start=args.start, end=args.end, by=args.by, **lists)


def _day(value: date | None) -> str:
    return value.isoformat() if value else "…"


def whole_periods(asked: Filters, lang: str, err: TextIO) -> Filters:
    """The filters on whole periods; says so on ``err`` when that changed the dates given."""
    filters = asked.snapped()
    if filters != asked:
        say = MESSAGES[lang]
        err.write(say["widened"].format(whole=say[f"whole_{filters.by}"], start=_day(filters.start), end=_day(filters.end),
                                        asked_start=_day(asked.start), asked_end=_day(asked.end)) + "\n")
    return filters


def _cell(value: Any, digits: int | None) -> Any:
    """A value as the output shows it (JSON types; CSV turns them into text)."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, float):
        return int(round(value)) if digits is None else (round(value, digits) or 0.0)
    return value


_DIGITS = {"rate": RATE_DIGITS, "probability": RATE_DIGITS, "mean": DECIMAL_DIGITS, "per_unit": DECIMAL_DIGITS}


def _digits(protected: Protected) -> list[list[int | None]]:
    """Per row and column: decimals to keep (None for a whole number), from the columns' declared kinds."""
    table = protected.table
    figure = CATALOGUE.get(protected.metric)
    rates = figure.rates if figure else frozenset()
    digits = []
    for name_of_row in (table["figure"] if "figure" in table.columns else [None] * table.height):
        row: list[int | None] = []
        for name, dtype in table.schema.items():
            kind = figure.kind(name) if figure else None
            if kind in ("value", "change"):
                row.append(RATE_DIGITS if name_of_row in rates else None)
            elif kind is None and dtype.is_float():  # a column nobody declared: keep some decimals
                row.append(DECIMAL_DIGITS)
            else:
                row.append(_DIGITS.get(kind or ""))
        digits.append(row)
    return digits


def output_rows(protected: Protected) -> list[list[Any]]:
    return [[_cell(v, d) for v, d in zip(row, row_digits, strict=True)]
            for row, row_digits in zip(protected.table.rows(), _digits(protected), strict=True)]


def _csv_text(value: Any, digits: int | None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    if isinstance(value, str):  # text from the data: never read as a formula by a spreadsheet
        return csv_cell(value)
    return str(value)


def write_csv(protected: Protected, out: TextIO) -> None:
    """RFC 4180 with ``\\n`` line ends; text cells neutralised (``_csv_text``)."""
    out.write(_csv_line(protected.table.columns))
    for row, row_digits in zip(output_rows(protected), _digits(protected), strict=True):
        out.write(_csv_line([_csv_text(v, d) for v, d in zip(row, row_digits, strict=True)]))


def _csv_line(cells: Sequence[str]) -> str:
    """One CSV line: a cell with a comma, a quote, a line feed or a carriage return is quoted (Python's csv module
    leaves a lone ``\\r`` bare, which a spreadsheet reads as a new row, whose first cell could be a formula)."""
    return ",".join(
        '"' + cell.replace('"', '""') + '"' if any(c in cell for c in ',"\n\r') else cell for cell in cells
    ) + "\n"


def write_json(metric: str, filters: Filters, protected: Protected, out: TextIO, cohort: Cohort | None = None) -> None:
    table = protected.table
    document = {
        "metric": metric,
        "filters": filters.to_query() | {"by": filters.by},
        **({"cohort": cohort.to_query()} if cohort is not None else {}),
        "k": protected.k,
        "too_small": protected.too_small,
        "notes": list(protected.notes),
        "columns": table.columns,
        "rows": [dict(zip(table.columns, row, strict=True)) for row in output_rows(protected)],
    }
    json.dump(document, out, ensure_ascii=False, indent=2)
    out.write("\n")


def _engine_url(lang: str) -> str:
    url = database_url()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:") \
            and not Path(parsed.database).exists():
        raise UsageError(MESSAGES[lang]["no_database"].format(value=parsed.database))
    return url


def _message(err: TextIO, text: str) -> None:
    """One line on standard error; database values in it (structure ids ...) cannot drive the terminal."""
    err.write(printable(text) + "\n")


def read_snapshot(lang: str, err: TextIO) -> Data | None:
    """The data snapshot of ``DATABASE_URL``; None after a message on ``err`` when the database cannot be read."""
    url = _engine_url(lang)
    try:
        engine = make_engine(url)
        data = read_data(engine)
        engine.dispose()
    except SQLAlchemyError as exc:
        shown = make_url(url).render_as_string(hide_password=True)
        detail = str(getattr(exc, "orig", None) or exc).splitlines()[0]  # DBAPIError carries the driver's error
        say = MESSAGES[lang]
        _message(err, say["error"].format(message=say["database"].format(value=shown, detail=detail)))
        return None
    return data


def figures_command(argv: Sequence[str], out: TextIO, err: TextIO) -> int:
    lang = _lang(argv)
    if argv and argv[0] == "workshop-effect":  # a model, not a catalogue figure (loads scikit-learn only then)
        from dashboard.analyses.cli import effect_command

        return effect_command(argv, out, err)
    args = parse(argv, lang, list(CATALOGUE))
    if args.list:
        out.write("".join(f"{name}\n" for name in (*CATALOGUE, "workshop-effect")))
        return 0
    data = read_snapshot(lang, err)
    if data is None:
        return 1
    known = data.structures["structure_id"].to_list()
    for value in args.structure:
        if value not in known:
            raise UsageError(MESSAGES[lang]["unknown_structure"].format(value=value, choices=", ".join(known)))
    filters = whole_periods(filters_of(args), lang, err)
    cohort = cohort_of(args, lang, known)
    options: dict[str, object] = {}
    if cohort is not None:
        filters = Filters(start=filters.start, end=filters.end, by=filters.by)  # the list options are its criteria
        options["cohort"] = cohort
        if args.metric == "cohort-outcomes":
            options["horizon"] = horizon_of(args, lang)
    elif args.metric in COHORT_FIGURES or args.group == "cohort":
        raise UsageError(MESSAGES[lang]["needs_cohort"].format(value=args.metric))
    if args.group:
        options["by"] = args.group
        if args.group == "cohort" and cohort is not None:
            options["label"] = cohort.name or "cohort"
    protected = figures(args.metric, data, filters, published=True, **options)
    if protected.too_small:
        err.write(MESSAGES[lang]["too_small"].format(k=protected.k) + "\n")
    if args.format == "xlsx":
        return write_figures_xlsx(args.out, protected, data, filters, lang, err, cohort)
    if args.format == "json":
        write_json(args.metric, filters, protected, out, cohort)
    else:
        write_csv(protected, out)
    return 0


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the command line; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    out, err = out or sys.stdout, err or sys.stderr
    lang = _lang(argv)
    say = MESSAGES[lang]
    try:
        if not argv or argv[0] != "figures":
            if argv and argv[0] in ("-h", "--help"):
                out.write(say["usage"] + "\n")
                return 0
            raise UsageError(say["no_command"].format(value=f" « {argv[0]} »" if argv and lang == "fr"
                                                       else f" '{argv[0]}'" if argv else ""))
        buffer = io.StringIO()
        status = figures_command(argv[1:], buffer, err)
        out.write(buffer.getvalue())
        return status
    except (UsageError, CohortUsageError) as exc:
        _message(err, say["error"].format(message=exc))
        _message(err, say["usage"])
        return 2
    except ThresholdError as exc:
        _message(err, say["error"].format(message=exc))
        return 2
    except Exception as exc:  # the last guard: a message, never a traceback
        _message(err, say["error"].format(message=f"{type(exc).__name__}: {exc}"))
        return 1
