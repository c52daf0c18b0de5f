"""``python -m dashboard figures workshop-effect [filters | cohort options] [--exposure-sessions N]
[--exposure-months M] --format csv|json``.

The same selection options as every figure (``dashboard.cli``: structure,
sex, age band, source, program, dates of entry; or a cohort with
``--anchor``/``--cohort``, ``dashboard.cohort_cli``), and the exposure:
at least ``--exposure-sessions`` PRESENT sessions (default 4) in the first
``--exposure-months`` months after entry (default 3).

Output: one row per outcome and estimator with the columns of
``dashboard.analyses.effect.COLUMNS``, at the publication threshold. An
adjusted estimate that is not interpretable (balance or effective size)
has empty estimate and interval cells (``null`` in JSON); an outcome whose
groups are under the threshold has every figure empty. A selection too
small or too close to another gives the header only (JSON ``too_small``),
status 0, like every figure.
"""

import argparse
import json
from collections.abc import Sequence
from typing import Any, TextIO

import polars as pl

from dashboard import cli
from dashboard.analyses.effect import COLUMNS, EffectOptions, analyse_effect, effect_table, min_ess
from dashboard.analyses.exposure import DEFAULT_MIN_SESSIONS, DEFAULT_MONTHS, Exposure
from dashboard.cohort_cli import cohort_of
from dashboard.cohorts import cohort_gate, members
from dashboard.disclosure import close_to_another, disclosure_mode, persons_selected, thresholds
from dashboard.filters import Filters
from dashboard.safe_text import csv_cell

METRIC = "workshop-effect"
_HELP = {
    "fr": ("séances PRÉSENT au moins (exposition ; {d} par défaut)", "dans les N premiers mois après l'entrée ({d} par défaut)",
           "--exposure-sessions et --exposure-months : un nombre entier de 1 à 99 (reçu : « {value} »)."),
    "en": ("PRESENT sessions at least (exposure; {d} by default)", "in the first N months after entry ({d} by default)",
           "--exposure-sessions and --exposure-months: a whole number from 1 to 99 (got '{value}')."),
}


def _exposure(argv: Sequence[str], lang: str) -> tuple[Exposure, list[str]]:
    """The exposure options, and the other arguments for ``dashboard.cli.parse``."""
    say = _HELP[lang]
    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    parser.add_argument("--exposure-sessions", default=str(DEFAULT_MIN_SESSIONS), help=say[0].format(d=DEFAULT_MIN_SESSIONS))
    parser.add_argument("--exposure-months", default=str(DEFAULT_MONTHS), help=say[1].format(d=DEFAULT_MONTHS))
    known, rest = parser.parse_known_args(list(argv))
    for value in (known.exposure_sessions, known.exposure_months):
        if not value.isdigit() or not 1 <= int(value) <= 99:
            raise cli.UsageError(say[2].format(value=value))
    return Exposure(int(known.exposure_sessions), int(known.exposure_months)), rest


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".") if value == value else ""
    return csv_cell(str(value)) if isinstance(value, str) else str(value)


def write(table: pl.DataFrame, fmt: str, out: TextIO, document: dict[str, Any]) -> None:
    if fmt == "json":
        json.dump({**document, "columns": table.columns, "rows": table.to_dicts()}, out, ensure_ascii=False, indent=2)
        out.write("\n")
        return
    out.write(",".join(table.columns) + "\n")
    for row in table.rows():
        out.write(",".join(_text(v) for v in row) + "\n")


def effect_command(argv: Sequence[str], out: TextIO, err: TextIO) -> int:
    """``argv`` starts with the metric's name; returns the exit status (``dashboard.cli.main`` handles errors)."""
    lang = cli._lang(argv)
    exposure, rest = _exposure(argv, lang)
    args = cli.parse(rest, lang, [METRIC])
    if args.format not in ("csv", "json"):
        raise cli.UsageError(cli.MESSAGES[lang]["bad_choice"].format(option="--format", value=args.format,
                                                                     choices="csv, json"))
    data = cli.read_snapshot(lang, err)
    if data is None:
        return 1
    known = data.structures["structure_id"].to_list()
    for value in args.structure:
        if value not in known:
            raise cli.UsageError(cli.MESSAGES[lang]["unknown_structure"].format(value=value, choices=", ".join(known)))
    filters = cli.whole_periods(cli.filters_of(args), lang, err)
    cohort = cohort_of(args, lang, known)
    _, k = thresholds(True)
    chosen = None
    if cohort is not None:
        filters = Filters(start=filters.start, end=filters.end, by=filters.by)  # the list options are its criteria
        chosen = members(data, cohort)
        too_small = cohort_gate(data, cohort, k)
    else:
        too_small = 0 < persons_selected(data, filters, k) < k or close_to_another(data, filters, k)
    options = EffectOptions(exposure=exposure)
    table = pl.DataFrame(schema=dict.fromkeys(COLUMNS, pl.String))
    if not too_small:
        analysis = analyse_effect(data, filters, chosen, options)
        table = effect_table(analysis, k, disclosure_mode() == "exact", min_ess())
    else:
        err.write(cli.MESSAGES[lang]["too_small"].format(k=k) + "\n")
    document = {
        "metric": METRIC,
        "filters": filters.to_query(),
        **({"cohort": cohort.to_query()} if cohort is not None else {}),
        "exposure": {"min_sessions": exposure.min_sessions, "months": exposure.months},
        "k": k,
        "too_small": bool(too_small),
        "min_ess": min_ess(),
        "method": "observational estimate under assumptions (no unmeasured confounding, overlap); "
                  "docs/analyses.md",
    }
    write(table, args.format, out, document)
    return 0
