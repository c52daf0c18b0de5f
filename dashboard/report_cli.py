"""``python -m dashboard report``: the board report as a PDF or a PowerPoint file.

    python -m dashboard report --period 2025 [--compare 2024] [--structure ID] [--lang fr|en] \\
        --format pdf|pptx --out FILE [--costs FILE]

``--period``: a year ``2025``, a quarter ``2025-Q1`` or a month ``2025-03``;
or ``--from``/``--to`` (``AAAA-MM-JJ``, widened to whole months). The
comparison defaults to the previous period of equal length. Every figure is
published (threshold ``PARCOURS_MIN_CELL_PUBLISHED``). Invalid input exits
with status 2 and a message in the chosen language, an unreadable database
with status 1; never a traceback (as ``dashboard.cli``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn, TextIO

from dashboard.cli import LANGS, UsageError, _date, _lang, read_snapshot
from dashboard.disclosure import ThresholdError
from models.settings import get_setting

COSTS_SETTING = "PARCOURS_REPORT_COSTS"

MESSAGES: dict[str, dict[str, str]] = {
    "fr": {
        "error": "Erreur : {message}",
        "usage": "usage : python -m dashboard report --period 2025 [--compare 2024] [--structure ID] "
                 "[--lang fr|en] --format pdf|pptx --out FICHIER ; aide : --help",
        "bad_arguments": "ligne de commande invalide ({value}).",
        "unknown_option": "option inconnue : {value}.",
        "bad_period": "{option} : période « {value} » invalide, attendu une année (2025), un trimestre (2025-Q1) "
                      "ou un mois (2025-03).",
        "period_and_dates": "--period et --from/--to s'excluent : donnez l'un ou l'autre.",
        "need_both": "--from et --to vont ensemble.",
        "no_period": "indiquez la période : --period (par exemple 2025) ou --from et --to.",
        "dates_order": "--from ({start}) est après --to ({end}).",
        "bad_choice": "{option} : valeur « {value} » invalide. Valeurs possibles : {choices}.",
        "no_out": "indiquez le fichier à écrire : --out FICHIER.",
        "out_dir": "--out : le dossier de « {value} » n'existe pas.",
        "unknown_structure": "--structure : structure « {value} » absente de la base. Structures : {choices}.",
        "no_slides": "le format pptx n'est pas disponible (module dashboard.report.slides absent).",
        "costs": "--costs : {detail}",
        "no_data": "la base ne contient aucune donnée.",
        "export": "le rapport n'a pas pu être produit : {detail}",
        "written": "Rapport écrit : {name} ({size} octets).",
        "help_period": "période : année (2025), trimestre (2025-Q1) ou mois (2025-03)",
        "help_compare": "période de comparaison, même forme ; par défaut la période précédente de même longueur",
        "help_from": "premier jour (AAAA-MM-JJ), au lieu de --period",
        "help_to": "dernier jour (AAAA-MM-JJ), au lieu de --period",
        "help_structure": "une structure (identifiant) ; sans l'option : toutes",
        "one_structure": "--structure : une seule structure (ou aucune, pour toutes) ; des unions de structures "
                         "permettraient de retrouver des personnes par différence.",
        "help_lang": "langue du rapport et des messages : fr (par défaut) ou en",
        "help_format": "pdf ou pptx",
        "help_out": "fichier à écrire",
        "help_costs": "coûts unitaires (TOML ou JSON) à la place des valeurs par défaut ; réglage " + COSTS_SETTING,
    },
    "en": {
        "error": "Error: {message}",
        "usage": "usage: python -m dashboard report --period 2025 [--compare 2024] [--structure ID] "
                 "[--lang fr|en] --format pdf|pptx --out FILE; help: --help",
        "bad_arguments": "invalid command line ({value}).",
        "unknown_option": "unknown option: {value}.",
        "bad_period": "{option}: invalid period '{value}', expected a year (2025), a quarter (2025-Q1) or a month "
                      "(2025-03).",
        "period_and_dates": "--period and --from/--to exclude each other: give one or the other.",
        "need_both": "--from and --to go together.",
        "no_period": "give the period: --period (for example 2025) or --from and --to.",
        "dates_order": "--from ({start}) is after --to ({end}).",
        "bad_choice": "{option}: invalid value '{value}'. Possible values: {choices}.",
        "no_out": "give the file to write: --out FILE.",
        "out_dir": "--out: the folder of '{value}' does not exist.",
        "unknown_structure": "--structure: structure '{value}' is not in the database. Structures: {choices}.",
        "no_slides": "the pptx format is not available (module dashboard.report.slides missing).",
        "costs": "--costs: {detail}",
        "no_data": "the database holds no data.",
        "export": "the report could not be made: {detail}",
        "written": "Report written: {name} ({size} bytes).",
        "help_period": "period: year (2025), quarter (2025-Q1) or month (2025-03)",
        "help_compare": "period to compare with, same form; by default the previous period of equal length",
        "help_from": "first day (YYYY-MM-DD), instead of --period",
        "help_to": "last day (YYYY-MM-DD), instead of --period",
        "help_structure": "one structure (id); without the option: all",
        "one_structure": "--structure: one structure (or none, for all); unions of structures would let persons be "
                         "worked out by difference.",
        "help_lang": "language of the report and of messages: fr (default) or en",
        "help_format": "pdf or pptx",
        "help_out": "file to write",
        "help_costs": "unit costs (TOML or JSON) instead of the defaults; setting " + COSTS_SETTING,
    },
}


class _Parser(argparse.ArgumentParser):
    lang = "fr"

    def error(self, message: str) -> NoReturn:
        raise UsageError(MESSAGES[self.lang]["bad_arguments"].format(value=message))


def _parser(lang: str) -> _Parser:
    say = MESSAGES[lang]
    parser = _Parser(prog="python -m dashboard report", allow_abbrev=False)
    parser.lang = lang
    parser.add_argument("--period", help=say["help_period"])
    parser.add_argument("--compare", help=say["help_compare"])
    parser.add_argument("--from", dest="start", help=say["help_from"])
    parser.add_argument("--to", dest="end", help=say["help_to"])
    parser.add_argument("--structure", action="extend", nargs="+", default=[], metavar="ID", help=say["help_structure"])
    parser.add_argument("--lang", default=lang, help=say["help_lang"])
    parser.add_argument("--format", default="pdf", help=say["help_format"])
    parser.add_argument("--out", help=say["help_out"])
    parser.add_argument("--costs", help=say["help_costs"])
    return parser


def _span(option: str, value: str, lang: str):  # type: ignore[no-untyped-def]
    from dashboard.report.content import parse_period

    try:
        return parse_period(value)
    except ValueError:
        raise UsageError(MESSAGES[lang]["bad_period"].format(option=option, value=value)) from None


def parse(argv: Sequence[str], lang: str) -> argparse.Namespace:
    from dashboard.report import FORMATS
    from dashboard.report.content import Span

    say = MESSAGES[lang]
    args, unknown = _parser(lang).parse_known_args(argv)
    if unknown:
        raise UsageError(say["unknown_option"].format(value=" ".join(unknown)))
    for option, value, choices in (("--lang", args.lang, LANGS), ("--format", args.format, FORMATS)):
        if value not in choices:
            raise UsageError(say["bad_choice"].format(option=option, value=value, choices=", ".join(choices)))
    if args.period and (args.start or args.end):
        raise UsageError(say["period_and_dates"])
    if args.period:
        args.span = _span("--period", args.period, lang)
    elif args.start or args.end:
        if not (args.start and args.end):
            raise UsageError(say["need_both"])
        start, end = _date("--from", args.start, lang), _date("--to", args.end, lang)
        assert start and end
        if start > end:
            raise UsageError(say["dates_order"].format(start=start, end=end))
        from dashboard.periods import snap_range

        whole = snap_range(start, end, "month")
        args.span = Span(whole[0], whole[1])  # type: ignore[arg-type]
    else:
        raise UsageError(say["no_period"])
    args.compare_span = _span("--compare", args.compare, lang) if args.compare else None
    if not args.out:
        raise UsageError(say["no_out"])
    if not Path(args.out).expanduser().resolve().parent.is_dir():
        raise UsageError(say["out_dir"].format(value=Path(args.out).name))
    return args


def report_command(argv: Sequence[str], err: TextIO) -> int:
    lang = _lang(argv)
    say = MESSAGES[lang]
    args = parse(argv, lang)
    lang = args.lang
    say = MESSAGES[lang]
    from dashboard.report.costs import CostsFileError, load_unit_costs

    try:
        unit_costs, costs_name = load_unit_costs(args.costs or get_setting(COSTS_SETTING) or None, lang)
    except CostsFileError as exc:
        raise UsageError(say["costs"].format(detail=exc)) from None
    if args.format == "pptx":
        import importlib.util

        if importlib.util.find_spec("dashboard.report.slides") is None:
            raise UsageError(say["no_slides"])
    data = read_snapshot(lang, err)
    if data is None:
        return 1
    if data.empty:
        raise UsageError(say["no_data"])
    if len(set(args.structure)) > 1:  # one value per filter, as everywhere (see dashboard.disclosure)
        raise UsageError(say["one_structure"])
    known = data.structures["structure_id"].to_list()
    for value in args.structure:
        if value not in known:
            raise UsageError(say["unknown_structure"].format(value=value, choices=", ".join(known)))
    from dashboard.filters import Filters
    from dashboard.report import ReportError, SlidesUnavailable, build_report, render
    from dashboard.report.pdf import ChartExports, PdfError, render_pdf

    filters = Filters(start=args.span.start, end=args.span.end, structures=tuple(sorted(set(args.structure))))
    exports = ChartExports() if args.format == "pdf" else None
    try:
        report = build_report(data, filters, args.compare_span, lang, unit_costs=unit_costs, costs_file=costs_name,
                              on_chart=exports)
    except ReportError as exc:
        raise UsageError(str(exc)) from None
    try:
        content = render_pdf(report, exports) if exports is not None else render(report, args.format)
    except SlidesUnavailable:
        raise UsageError(say["no_slides"]) from None
    except PdfError as exc:
        err.write(say["error"].format(message=say["export"].format(detail=exc)) + "\n")
        return 1
    out = Path(args.out).expanduser()
    out.write_bytes(content)
    err.write(say["written"].format(name=out.name, size=len(content)) + "\n")
    return 0


def main(argv: Sequence[str] | None = None, err: TextIO | None = None) -> int:
    """``python -m dashboard report ...``; returns the exit status."""
    argv = list(sys.argv[2:] if argv is None else argv)
    err = err or sys.stderr
    lang = _lang(argv)
    say = MESSAGES[lang]
    try:
        if argv and argv[0] in ("-h", "--help"):
            _parser(lang).print_help(sys.stdout)
            return 0
        return report_command(argv, err)
    except UsageError as exc:
        err.write(say["error"].format(message=exc) + "\n" + say["usage"] + "\n")
        return 2
    except ThresholdError as exc:
        err.write(say["error"].format(message=exc) + "\n")
        return 2
    except Exception as exc:  # the last guard: a message, never a traceback
        err.write(say["error"].format(message=f"{type(exc).__name__}: {exc}") + "\n")
        return 1


__all__ = ["MESSAGES", "main", "parse"]

