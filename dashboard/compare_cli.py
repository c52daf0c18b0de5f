"""``python -m dashboard compare --cohort LINK --cohort LINK [...]``: two to four cohorts side by side.

Each ``--cohort`` is a cohort in the form of the comparison page's link
(``anchor=referral&from=2023-01-01&to=2023-12-31&source=SPIP&name=SPIP``).
The output follows the ``figures`` command's conventions (CSV or JSON, the
published threshold, exit status 2 on invalid input, a hidden cohort's rows
empty): ``--figure outcomes`` (default) gives one row per indicator and
cohort with ``difference``, ``ci_low`` and ``ci_high`` against the first
cohort; ``--figure needs`` gives needs per quarter since the anchor.
"""

import argparse
import io
import json
import sys
from collections.abc import Sequence
from typing import NoReturn, TextIO

import polars as pl

from dashboard.cli import LANGS, _csv_line, _csv_text, _lang, _message, read_snapshot
from dashboard.cohort_cli import CohortUsageError, from_link, horizon_of
from dashboard.cohort_cli import add_options as add_cohort_options
from dashboard.compare import MAX_COHORTS, compare

MESSAGES = {
    "fr": {
        "usage": "usage : python -m dashboard compare --cohort LIEN --cohort LIEN [--figure outcomes|needs] "
                 "[--format csv|json] [--horizon N] [--lang fr|en]",
        "error": "Erreur : {message}",
        "count": "indiquez de 2 à {most} cohortes (--cohort), pas {value}.",
        "bad": "{option} : valeur « {value} » invalide. Valeurs possibles : {choices}.",
        "hidden": "La cohorte {index} est trop petite, ou trop proche d'une cohorte voisine, pour publier des "
                  "chiffres : ses lignes sont vides.",
    },
    "en": {
        "usage": "usage: python -m dashboard compare --cohort LINK --cohort LINK [--figure outcomes|needs] "
                 "[--format csv|json] [--horizon N] [--lang fr|en]",
        "error": "Error: {message}",
        "count": "give 2 to {most} cohorts (--cohort), not {value}.",
        "bad": "{option}: invalid value '{value}'. Possible values: {choices}.",
        "hidden": "Cohort {index} is too small, or too close to a neighbouring cohort, to publish figures: its rows "
                  "are empty.",
    },
}
DIGITS = {"rate": 2, "difference": 2, "ci_low": 2, "ci_high": 2, "share_in_need": 2}


class _Usage(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _Usage(message)


def _parser(lang: str) -> _Parser:
    parser = _Parser(prog="python -m dashboard compare", allow_abbrev=False)
    add_cohort_options(parser, lang, link_repeats=True)
    parser.add_argument("--figure", default="outcomes")
    parser.add_argument("--format", default="csv")
    parser.add_argument("--lang", default=lang)
    return parser


def _choice(option: str, value: str, choices: Sequence[str], lang: str) -> None:
    if value not in choices:
        raise _Usage(MESSAGES[lang]["bad"].format(option=option, value=value, choices=", ".join(choices)))


def compare_command(argv: Sequence[str], out: TextIO, err: TextIO) -> int:
    lang = _lang(argv)
    args = _parser(lang).parse_args(argv)
    _choice("--lang", args.lang, LANGS, lang)
    _choice("--figure", args.figure, ("outcomes", "needs"), lang)
    _choice("--format", args.format, ("csv", "json"), lang)
    if not 2 <= len(args.cohort) <= MAX_COHORTS:
        raise _Usage(MESSAGES[lang]["count"].format(most=MAX_COHORTS, value=len(args.cohort)))
    horizon = horizon_of(args, lang)
    data = read_snapshot(lang, err)
    if data is None:
        return 1
    known = data.structures["structure_id"].to_list()
    cohorts = [from_link(link, lang, known) for link in args.cohort]
    result = compare(data, cohorts, published=True, horizon=horizon)
    for index in range(len(cohorts)):
        if result.hidden(index):
            _message(err, MESSAGES[lang]["hidden"].format(index=index + 1))
    table = result.outcomes if args.figure == "outcomes" else result.needs
    names = pl.Series("name", [cohorts[i - 1].name for i in table["cohort"].to_list()], dtype=pl.String)
    table = table.insert_column(table.columns.index("cohort") + 1, names)
    if args.format == "json":
        document = {
            "figure": args.figure, "k": result.protected[0].k, "horizon": horizon,
            "cohorts": [c.to_query() for c in cohorts], "columns": table.columns,
            "rows": [dict(zip(table.columns, row, strict=True)) for row in table.rows()],
        }
        json.dump(document, out, ensure_ascii=False, indent=2)
        out.write("\n")
        return 0
    out.write(_csv_line(table.columns))
    for row in table.rows(named=True):
        out.write(_csv_line([_csv_text(value, DIGITS.get(name)) for name, value in row.items()]))
    return 0


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    out, err = out or sys.stdout, err or sys.stderr
    lang = _lang(argv)
    say = MESSAGES[lang]
    try:
        buffer = io.StringIO()
        status = compare_command(argv, buffer, err)
        out.write(buffer.getvalue())
        return status
    except (_Usage, CohortUsageError) as exc:
        _message(err, say["error"].format(message=exc))
        _message(err, say["usage"])
        return 2
    except Exception as exc:  # the last guard: a message, never a traceback
        _message(err, say["error"].format(message=f"{type(exc).__name__}: {exc}"))
        return 1
