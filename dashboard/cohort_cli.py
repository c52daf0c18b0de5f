"""Cohort options of the command line (``figures``, ``compare``): every criterion of ``dashboard.cohorts.Cohort``.

``--anchor`` makes the selection a cohort; then ``--source``, ``--program``,
``--sex``, ``--age-band`` and ``--structure`` are the cohort's criteria (the
referral's source, the entry's program, the person at the anchor) and
``--anchor-from``/``--anchor-to`` its anchor range. ``--cohort`` takes the
query string of a cohort link copied from the comparison page instead
(``anchor=referral&from=2023-01-01&source=SPIP``).
"""

import argparse
from datetime import date
from typing import Any
from urllib.parse import parse_qs

from dashboard.cohorts import ANCHORS, Cohort, CohortError
from dashboard.metrics.cohorts import HORIZONS

HELP = {
    "fr": {
        "anchor": "fait de la sélection une cohorte ancrée sur : referral (orientation), entry (entrée dans un "
                  "dispositif) ou workshop (première présence en atelier)",
        "anchor_from": "premier jour de la période d'ancrage (AAAA-MM-JJ), ramené au début de son mois",
        "anchor_to": "dernier jour de la période d'ancrage (AAAA-MM-JJ), porté à la fin de son mois",
        "decision": "cohorte : décision de l'orientation (code DECISION)",
        "category": "cohorte : catégorie d'atelier (code CATEGORIE_ATELIER)",
        "min_sessions": "cohorte : nombre minimal de présences dans la catégorie : 1 (par défaut), 3, 5, 10 ou 20",
        "resources": "cohorte : ressources (code RESSOURCES)",
        "justice": "cohorte : situation judiciaire (code JUSTICE)",
        "qpv": "cohorte : résidence en quartier prioritaire de la ville (oui ou non)",
        "need_domain": "cohorte : en besoin à l'entrée dans ce domaine (code DOMAINE)",
        "need_kind": "cohorte : en besoin à l'entrée dans ce type (PRATIQUE ou STRATEGIQUE)",
        "need_pillar": "cohorte : en besoin à l'entrée dans ce pilier (LOGEMENT, EMPLOI, SANTE, LIENS)",
        "cohort_name": "nom de la cohorte (repris dans la sortie JSON)",
        "cohort": "une cohorte sous la forme du lien de la page de comparaison (anchor=referral&from=...)",
        "horizon": "horizon des indicateurs de cohorte, en mois : 6, 12, 18 ... 60 (12 par défaut)",
    },
    "en": {
        "anchor": "make the selection a cohort anchored on: referral, entry (into a program) or workshop (first "
                  "attendance)",
        "anchor_from": "first day of the anchor range (YYYY-MM-DD), moved back to the start of its month",
        "anchor_to": "last day of the anchor range (YYYY-MM-DD), moved on to the end of its month",
        "decision": "cohort: the referral's decision (DECISION code)",
        "category": "cohort: workshop category (CATEGORIE_ATELIER code)",
        "min_sessions": "cohort: least number of attendances in the category: 1 (default), 3, 5, 10 or 20",
        "resources": "cohort: resources (RESSOURCES code)",
        "justice": "cohort: justice situation (JUSTICE code)",
        "qpv": "cohort: lives in a priority urban area (QPV): yes or no",
        "need_domain": "cohort: in need at entry in this domain (DOMAINE code)",
        "need_kind": "cohort: in need at entry in this kind (PRATIQUE or STRATEGIQUE)",
        "need_pillar": "cohort: in need at entry in this pillar (LOGEMENT, EMPLOI, SANTE, LIENS)",
        "cohort_name": "the cohort's name (shown in the JSON output)",
        "cohort": "a cohort in the form of the comparison page's link (anchor=referral&from=...)",
        "horizon": "horizon of the cohort indicators, in months: 6, 12, 18 ... 60 (12 by default)",
    },
}
MESSAGES = {
    "fr": {
        "bad": "critère de cohorte {field} : valeur « {value} » invalide.",
        "no_anchor": "les options de cohorte demandent --anchor (ou --cohort).",
        "link": "--cohort : le lien ne décrit pas de cohorte (il lui faut au moins anchor=...).",
    },
    "en": {
        "bad": "cohort criterion {field}: invalid value '{value}'.",
        "no_anchor": "cohort options need --anchor (or --cohort).",
        "link": "--cohort: the link describes no cohort (it needs at least anchor=...).",
    },
}
_YES = {"oui": True, "yes": True, "1": True, "non": False, "no": False, "0": False}
_SIMPLE = ("decision", "category", "resources", "justice", "need_domain", "need_kind", "need_pillar")


class CohortUsageError(ValueError):
    """A cohort option that cannot be used; the message is in the user's language."""


def add_options(parser: argparse.ArgumentParser, lang: str, *, link_repeats: bool = False) -> None:
    say = HELP[lang]
    day = "AAAA-MM-JJ" if lang == "fr" else "YYYY-MM-DD"
    parser.add_argument("--anchor", metavar="{" + ",".join(ANCHORS) + "}", help=say["anchor"])
    parser.add_argument("--anchor-from", metavar=day, help=say["anchor_from"])
    parser.add_argument("--anchor-to", metavar=day, help=say["anchor_to"])
    for name in _SIMPLE:
        parser.add_argument("--" + name.replace("_", "-"), metavar="CODE", help=say[name])
    parser.add_argument("--min-sessions", metavar="N", help=say["min_sessions"])
    parser.add_argument("--qpv", metavar="{oui,non}", help=say["qpv"])
    parser.add_argument("--cohort-name", metavar="NOM" if lang == "fr" else "NAME", help=say["cohort_name"])
    parser.add_argument("--horizon", metavar="N", default="12", help=say["horizon"])
    parser.add_argument("--cohort", action="append" if link_repeats else "store", metavar="LIEN" if lang == "fr"
                        else "LINK", default=[] if link_repeats else None, help=say["cohort"])


def from_link(text: str, lang: str, structures: list[str]) -> Cohort:
    """The cohort of a link's query string (with or without the ``?`` and the page address)."""
    query = text.split("?", 1)[-1]
    found = Cohort.from_query({k: v for k, v in parse_qs(query, keep_blank_values=False).items()})
    if found is None:
        raise CohortUsageError(MESSAGES[lang]["link"])
    return _checked(found, lang, structures)


def _checked(cohort: Cohort, lang: str, structures: list[str]) -> Cohort:
    try:
        return cohort.validated(structures)
    except CohortError as exc:
        raise CohortUsageError(MESSAGES[lang]["bad"].format(field=exc.field, value=exc.value)) from None


def _one(values: list[str] | None) -> str | None:
    return values[0] if values else None


def horizon_of(args: argparse.Namespace, lang: str) -> int:
    """The horizon in months: a multiple of 6 up to 60 (``HORIZONS``). Horizons a month apart would differ by one
    month's exits of one month's anchors: a finer window than the page's whole periods."""
    text = str(args.horizon)
    if not text.isdigit() or int(text) not in HORIZONS:
        raise CohortUsageError(MESSAGES[lang]["bad"].format(field="horizon", value=text))
    return int(text)


def cohort_of(args: argparse.Namespace, lang: str, structures: list[str]) -> Cohort | None:
    """The cohort the options describe, checked, or None when they describe none."""
    link = args.cohort[0] if isinstance(args.cohort, list) and args.cohort else args.cohort
    if link:
        return from_link(link, lang, structures)
    given = [name for name in (*_SIMPLE, "min_sessions", "qpv", "anchor_from", "anchor_to", "cohort_name")
             if getattr(args, name, None) is not None]
    if args.anchor is None:
        if given:
            raise CohortUsageError(MESSAGES[lang]["no_anchor"])
        return None
    if args.anchor not in ANCHORS:
        raise CohortUsageError(MESSAGES[lang]["bad"].format(field="anchor", value=args.anchor))
    sessions = args.min_sessions or "1"
    if not sessions.isdigit() or len(sessions) > 3:
        raise CohortUsageError(MESSAGES[lang]["bad"].format(field="min_sessions", value=sessions))
    qpv = None if args.qpv is None else _YES.get(args.qpv.lower())
    if args.qpv is not None and qpv is None:
        raise CohortUsageError(MESSAGES[lang]["bad"].format(field="qpv", value=args.qpv))
    dates: dict[str, Any] = {}
    for option, field in (("anchor_from", "start"), ("anchor_to", "end")):
        text = getattr(args, option)
        try:
            dates[field] = date.fromisoformat(text) if text else None
        except ValueError:
            raise CohortUsageError(MESSAGES[lang]["bad"].format(field=field, value=text)) from None
    cohort = Cohort(
        name=args.cohort_name or "", anchor=args.anchor, **dates,
        source=_one(getattr(args, "source", None)), program=_one(getattr(args, "program", None)),
        sex=_one(getattr(args, "sex", None)), age_band=_one(getattr(args, "age_band", None)),
        structure=_one(getattr(args, "structure", None)), min_sessions=int(sessions), priority_area=qpv,
        **{name: getattr(args, name) for name in _SIMPLE},
    )
    return _checked(cohort, lang, structures)
