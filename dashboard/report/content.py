"""The board report's content, built from published figures only (``figures(..., published=True)``).

Every number in the report is a cell of a published table (perturbed in
protected mode, hidden under the published threshold k) or a sum of
published cells; nothing is read from rows. Hidden cells read "< k" or
"masqué" and are never estimated.

**The stability rule.** A change is called "stable" when it is within what
chance and perturbation explain:

- a count (value v, previous p): |v − p| ≤ 2·√(2·V + v + p), where v + p is
  the Poisson variance of the difference and V the variance of the
  perturbation of one count (the p-table's ``PARCOURS_CKM_VARIANCE``; 0 in
  exact mode);
- a rate (p1 over n1, p0 over n0, both published): |p1\u00a0−\u00a0p0|\u00a0≤
  2·√(p1(1−p1)/n1 + p0(1−p0)/n0) (binomial standard error), and a change of
  one point or less is always stable (rates are rounded to whole percent).

Otherwise the figure went up or down. The rule is printed in the report.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from dashboard.charts.base import reading_text
from dashboard.data import Data
from dashboard.definitions import VERSION
from dashboard.disclosure import Protected, disclosure_mode, figures, thresholds
from dashboard.filters import Filters, Granularity
from dashboard.formatting import NBSP, fmt_decimal, fmt_int, fmt_period, fmt_points, fmt_rate
from dashboard.i18n import label_map
from dashboard.periods import previous_range
from dashboard.perturbation import ptable
from dashboard.report import charts
from dashboard.report.costs import UnitCost, avoided_costs
from dashboard.report.model import Costs, Footer, KeyFigure, Report, Section, Verdict
from dashboard.strings import STRINGS
from models.reference import codes

MONTHS_WORDS = {
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
}
RATES = frozenset({"housing_positive_rate", "dynamic_exit_rate", "attendance_rate"})
DYNAMIC_EMPLOYMENT = ("EMPLOI_DURABLE", "EMPLOI_TRANSITION")
WORD_JOINER = "\u2060"
COUNT_RULE = "|v − p| ≤ 2·√(2·V + v + p)".replace(" ", NBSP).replace("|", f"{WORD_JOINER}|{WORD_JOINER}")
RATE_RULE = "|p1 − p0| ≤ 2·√(p1(1 − p1)/n1 + p0(1 − p0)/n0)".replace(" ", NBSP).replace("|", f"{WORD_JOINER}|{WORD_JOINER}")
"""The stability rule's formulas, printed whole (no-break spaces; word joiners keep "|" from ending a line)."""

W: dict[str, dict[str, str]] = {
    "fr": {
        "title": "Rapport au conseil d'administration",
        "network": "Ensemble du réseau ({n} structures)",
        "period": "du {start} au {end}",
        "compared": "comparé à la période {period}",
        "h_figure": "Indicateur", "h_value": "Période", "h_previous": "Précédente", "h_change": "Écart",
        "h_percent": "Écart en %", "h_verdict": "Lecture", "h_trend": "Tendance",
        "up": "en hausse", "down": "en baisse", "stable": "stable", "hidden": "non publiable", "new": "nouveau",
        "rule": "Lecture des écarts : « stable » quand l'écart reste dans ce que le hasard et la perturbation "
                "expliquent. Pour un effectif v contre p : {count_rule}, V = {v} étant la variance "
                "de la perturbation d'un effectif{exact}. Pour un taux p1 sur n1 contre p0 sur n0 (effectifs "
                "publiés) : {rate_rule} ; un écart d'un point ou moins est "
                "toujours stable (taux arrondis au point). Au-delà : en hausse ou en baisse, sans dire pourquoi.",
        "exact_v": " (mode exact : pas de perturbation, V = 0 ici)",
        "k_note": "Chaque chiffre est publié au seuil de diffusion : un effectif de moins de {k} personnes se lit "
                  "« < {k} », un chiffre dont l'effectif sous-jacent est trop petit se lit « masqué » ; ils ne sont "
                  "jamais estimés. En mode protégé, les effectifs sont légèrement perturbés : un total n'est pas "
                  "exactement la somme de ses parties.",
        "too_small": "La sélection est trop petite pour publier des chiffres (moins de {k} personnes).",
        "after_data": "la période commence après le dernier jour des données ({last}).",
        "cut": "Les données s'arrêtent le {last} : la fin de la période n'a pas encore de données, ses chiffres "
               "sont donc partiels.",
        "footer": "Définitions v{version} · Données : chargement n°\u00a0{load} du {load_date} · Mode de diffusion : {mode}",
        "footer_noload": "Définitions v{version} · Données : aucun chargement enregistré · Mode de diffusion : {mode}",
        "mode_protected": "protégé (chiffres perturbés)", "mode_exact": "exact (non perturbé)",
        "s_key": "Chiffres clés", "s_referrals": "Orientations", "s_needs": "Besoins", "s_workshops": "Ateliers",
        "s_exits": "Sorties", "s_costs": "Coûts sociaux évités",
        "moved": "{label} {verdict} : {value} contre {previous} ({change})",
        "kept": "{label} stable ({value} contre {previous})",
        "key_para": "{moved}. {kept}. {hidden}",
        "key_none_moved": "Aucun chiffre clé ne bouge au-delà de ce que le hasard et la perturbation expliquent",
        "key_all_moved": "Aucun chiffre clé n'est stable",
        "key_hidden": "Non publiable (effectif trop petit) : {items}.",
        "key_kept_intro": "Restent stables : ",
        "ref_para": "{referrals} orientations reçues sur la période. La première source, {top}, représente {top_share} "
                    "des orientations dont la source est publiée. Taux d'acceptation : {rate} ({rate_verdict} par "
                    "rapport à {rate_prev}) ; délai médian de décision : {delay} jours (contre {delay_prev}).",
        "ref_shares_title": "Part de chaque source dans les orientations, par année",
        "ref_table": "Orientations par source",
        "h_source": "Source", "h_referrals": "Orientations", "h_share": "Part", "h_acceptance": "Acceptation",
        "h_delay": "Délai médian (j)", "h_period_col": "Période",
        "needs_para": "Part des personnes évaluées en besoin : {kinds}. Par pilier, la plus forte est {top_pillar} "
                      "({top_share}). Distance parcourue : selon le domaine, {improved} des personnes "
                      "évaluées deux fois ou plus progressent entre leur première et leur dernière évaluation, le "
                      "plus souvent en {top_domain} ({top_domain_share}) ; ces chiffres ne disent pas ce qui a causé le changement.",
        "needs_kind_title": "Part des personnes en besoin, pratique et stratégique",
        "needs_pillar_table": "Besoins par pilier",
        "distance_title": "Distance parcourue : évolution entre première et dernière évaluation",
        "distance_table": "Distance parcourue par domaine",
        "h_pillar": "Pilier", "h_assessed": "Évaluées", "h_in_need": "En besoin", "h_share_need": "Part en besoin",
        "h_share_prev": "Précédente", "h_mean": "Niveau moyen", "h_domain": "Domaine", "h_persons": "Personnes",
        "h_improved": "Améliorées", "h_worsened": "Dégradées", "h_mean_change": "Évolution moyenne",
        "improved": "Amélioré", "stable_level": "Stable", "worsened": "Dégradé",
        "work_para": "{participants} personnes venues en atelier ({participants_verdict}), taux de présence "
                     "{attendance} ({attendance_verdict}). {retention} Les ateliers co-construits avec les "
                     "participants réunissent {co_persons} personnes ({co_rate} de présence, contre {non_co_rate} "
                     "pour les autres) ; les intervenants extérieurs animent {ext_sessions} séances. Ces écarts "
                     "décrivent, ils n'expliquent pas.",
        "retention": "Parmi les personnes venues pour la première fois en {cohort}, {share} sont revenues la "
                     "période suivante.",
        "retention_none": "La fidélisation des cohortes n'est pas publiable sur cette période.",
        "work_cat_title": "Personnes venues en atelier, par catégorie",
        "work_cohorts": "Fidélisation : part des personnes d'une cohorte revenues n périodes plus tard",
        "work_co": "Ateliers co-construits", "work_fac": "Ateliers par intervenant",
        "h_cohort": "Cohorte", "h_size": "Taille", "h_sessions": "Séances", "h_presences": "Présences",
        "h_attendance": "Présence", "h_per_session": "Par séance", "h_co": "Co-construit",
        "h_facilitator": "Intervenant",
        "exits_para": "{exits} sorties sur la période ({exits_verdict}). Sorties vers un logement : {housing} "
                      "({housing_verdict}, contre {housing_prev}) ; sorties dynamiques : {dynamic} "
                      "({dynamic_verdict}, contre {dynamic_prev}). Durée médiane d'accompagnement des personnes "
                      "sorties : {stay} jours. Une destination inconnue compte comme un non-succès.",
        "exits_dest_title": "Sorties par situation de logement à la sortie",
        "exits_table": "Sorties par dispositif",
        "h_program": "Dispositif", "h_exits": "Sorties", "h_housing": "Vers un logement",
        "h_dynamic": "Dynamiques", "h_stay": "Durée médiane (j)",
        "costs_para": "Ordre de grandeur des coûts sociaux évités sur la période : {range}. C'est une fourchette "
                      "d'hypothèses, pas une mesure.",
        "days": "jours",
        "partial_hidden": "Les cellules masquées sont laissées de côté.",
        "cost_h_outcome": "Résultat", "cost_h_count": "Effectif publié", "cost_h_unit": "Coût unitaire (hypothèse)",
        "cost_h_range": "Coûts évités",
        "verdict_text": "{verdict}",
    },
    "en": {
        "title": "Board report",
        "network": "Whole network ({n} structures)",
        "period": "from {start} to {end}",
        "compared": "compared with the period {period}",
        "h_figure": "Figure", "h_value": "Period", "h_previous": "Previous", "h_change": "Change",
        "h_percent": "Change %", "h_verdict": "Reading", "h_trend": "Trend",
        "up": "up", "down": "down", "stable": "stable", "hidden": "not publishable", "new": "new",
        "rule": "Reading changes: \"stable\" when the change is within what chance and perturbation explain. For a "
                "count v against p: {count_rule}, V = {v} being the variance of the perturbation of "
                "one count{exact}. For a rate p1 over n1 against p0 over n0 (published counts): {rate_rule}; a "
                "change of one point or less is always stable (rates are "
                "rounded to whole points). Beyond that: up or down, without saying why.",
        "exact_v": " (exact mode: no perturbation, V = 0 here)",
        "k_note": "Every figure is published at the publication threshold: a count under {k} persons reads "
                  "\"< {k}\", a figure whose underlying count is too small reads \"hidden\"; they are never "
                  "estimated. In protected mode counts are slightly perturbed: a total is not exactly the sum of "
                  "its parts.",
        "too_small": "The selection is too small to publish figures (fewer than {k} persons).",
        "after_data": "the period starts after the last day of data ({last}).",
        "cut": "The data stop on {last}: the end of the period has no data yet, so its figures are partial.",
        "footer": "Definitions v{version} · Data: load no. {load} of {load_date} · Disclosure mode: {mode}",
        "footer_noload": "Definitions v{version} · Data: no load recorded · Disclosure mode: {mode}",
        "mode_protected": "protected (perturbed figures)", "mode_exact": "exact (not perturbed)",
        "s_key": "Key figures", "s_referrals": "Referrals", "s_needs": "Needs", "s_workshops": "Workshops",
        "s_exits": "Exits", "s_costs": "Avoided social costs",
        "moved": "{label} {verdict}: {value} against {previous} ({change})",
        "kept": "{label} stable ({value} against {previous})",
        "key_para": "{moved}. {kept}. {hidden}",
        "key_none_moved": "No key figure moves beyond what chance and perturbation explain",
        "key_all_moved": "No key figure is stable",
        "key_hidden": "Not publishable (count too small): {items}.",
        "key_kept_intro": "Stable: ",
        "ref_para": "{referrals} referrals received in the period. The first source, {top}, accounts for {top_share} "
                    "of the referrals whose source is published. Acceptance rate: {rate} ({rate_verdict} against "
                    "{rate_prev}); median time to decision: {delay} days (against {delay_prev}).",
        "ref_shares_title": "Share of each source in referrals, per year",
        "ref_table": "Referrals by source",
        "h_source": "Source", "h_referrals": "Referrals", "h_share": "Share", "h_acceptance": "Acceptance",
        "h_delay": "Median delay (d)", "h_period_col": "Period",
        "needs_para": "Share of assessed persons in need: {kinds}. By pillar, the highest is {top_pillar} "
                      "({top_share}). Distance travelled: depending on the domain, {improved} of "
                      "the persons assessed twice or more improve between their first and latest assessment, most "
                      "often in {top_domain} ({top_domain_share}); these figures do not say what caused the change.",
        "needs_kind_title": "Share of persons in need, practical and strategic",
        "needs_pillar_table": "Needs by pillar",
        "distance_title": "Distance travelled: change between first and latest assessment",
        "distance_table": "Distance travelled by domain",
        "h_pillar": "Pillar", "h_assessed": "Assessed", "h_in_need": "In need", "h_share_need": "Share in need",
        "h_share_prev": "Previous", "h_mean": "Mean level", "h_domain": "Domain", "h_persons": "Persons",
        "h_improved": "Improved", "h_worsened": "Worsened", "h_mean_change": "Mean change",
        "improved": "Improved", "stable_level": "Stable", "worsened": "Worsened",
        "work_para": "{participants} persons attended workshops ({participants_verdict}), attendance rate "
                     "{attendance} ({attendance_verdict}). {retention} Workshops designed with the participants "
                     "gathered {co_persons} persons ({co_rate} attendance, against {non_co_rate} for the others); "
                     "external facilitators ran {ext_sessions} sessions. These differences describe, they do not "
                     "explain.",
        "retention": "Of the persons who first came in {cohort}, {share} came back the next period.",
        "retention_none": "Cohort retention is not publishable for this period.",
        "work_cat_title": "Persons attending workshops, by category",
        "work_cohorts": "Retention: share of a cohort back n periods later",
        "work_co": "Co-constructed workshops", "work_fac": "Workshops by facilitator",
        "h_cohort": "Cohort", "h_size": "Size", "h_sessions": "Sessions", "h_presences": "Presences",
        "h_attendance": "Attendance", "h_per_session": "Per session", "h_co": "Co-constructed",
        "h_facilitator": "Facilitator",
        "exits_para": "{exits} exits in the period ({exits_verdict}). Exits to housing: {housing} "
                      "({housing_verdict}, against {housing_prev}); dynamic exits: {dynamic} ({dynamic_verdict}, "
                      "against {dynamic_prev}). Median length of support of those who left: {stay} days. An "
                      "unknown destination counts as a non-success.",
        "exits_dest_title": "Exits by housing situation at exit",
        "exits_table": "Exits by program",
        "h_program": "Program", "h_exits": "Exits", "h_housing": "To housing", "h_dynamic": "Dynamic",
        "h_stay": "Median stay (d)",
        "costs_para": "Order of magnitude of the social costs avoided in the period: {range}. It is a range of "
                      "assumptions, not a measurement.",
        "days": "days",
        "partial_hidden": "Hidden cells are left out.",
        "cost_h_outcome": "Outcome", "cost_h_count": "Published count", "cost_h_unit": "Unit cost (assumption)",
        "cost_h_range": "Avoided costs",
        "verdict_text": "{verdict}",
    },
}


class ReportError(ValueError):
    """Input the report cannot be built from (the message is in the report's language)."""


# --------------------------------------------------------------------------- words and numbers


def date_words(day: date, lang: str, *, year: bool = True) -> str:
    """``1er janvier 2025`` / ``1 January 2025``."""
    month = MONTHS_WORDS[lang][day.month - 1]
    if lang == "fr":
        number = "1er" if day.day == 1 else str(day.day)
        return f"{number}{NBSP}{month}" + (f" {day.year}" if year else "")
    return f"{day.day}{NBSP}{month}" + (f" {day.year}" if year else "")


def range_words(start: date, end: date, lang: str) -> str:
    """``du 1er janvier au 31 décembre 2025`` (the year once when both ends share it)."""
    same = start.year == end.year
    if same and start.month == end.month:  # "du 1er au 31 mars 2025"
        first = ("1er" if start.day == 1 else str(start.day)) if lang == "fr" else str(start.day)
        return W[lang]["period"].format(start=first, end=date_words(end, lang))
    return W[lang]["period"].format(start=date_words(start, lang, year=not same), end=date_words(end, lang))


def _label(key: str, lang: str) -> str:
    fr, en = STRINGS[f"figure.{key}"]
    return fr if lang == "fr" else en


def _count_text(value: float | None, reading: str | None, k: int, lang: str) -> str:
    if reading is not None:
        return (reading_text(reading, k, lang) or "–").replace(" ", NBSP)
    return fmt_int(value, lang)


def _rate_text(value: float | None, reading: str | None, k: int, lang: str) -> str:
    if reading is not None:
        return (reading_text(reading, k, lang) or "–").replace(" ", NBSP)
    return fmt_rate(value, lang)


def _cell(p: Protected, column: str, row: int, lang: str) -> str:
    """One published cell as printed: its value in the column's format, or its reading ("< k", "masqué")."""
    reading, k = p.reading(column, row)
    value = p.table[column][row]
    if reading is not None:
        return (reading_text(reading, k, lang) or "–").replace(" ", NBSP)
    if value is None:
        return "–"
    from dashboard.catalogue import CATALOGUE

    kind = CATALOGUE[p.metric].kind(column) if p.metric in CATALOGUE else None
    if kind == "rate":
        return fmt_rate(value, lang)
    if kind in ("mean", "per_unit"):
        return fmt_decimal(value, lang, 1)
    return fmt_int(value, lang)


def _signed_percent(x: float, lang: str) -> str:
    number = fmt_decimal(abs(x) * 100, lang, 1)
    sign = "+" if x > 0 else ("-" if x < 0 else "")
    return f"{sign}{number}{NBSP}%" if lang == "fr" else f"{sign}{number}%"


def _signed_int(x: float, lang: str) -> str:
    sign = "+" if x > 0 else ("-" if x < 0 else "")
    return f"{sign}{fmt_int(abs(x), lang)}"


# --------------------------------------------------------------------------- the stability rule


def perturbation_variance() -> float:
    """V in the count rule: the p-table's variance in protected mode, 0 in exact mode (no perturbation)."""
    return 0.0 if disclosure_mode() == "exact" else float(ptable().variance)


def verdict(value: float | None, previous: float | None, *, is_rate: bool, n: float | None = None,
            n_previous: float | None = None, variance: float = 0.0) -> Verdict:
    """"up", "down" or "stable" by the module's rule; "hidden" when either side is not published."""
    if value is None or previous is None or (isinstance(value, float) and math.isnan(value)) \
            or (isinstance(previous, float) and math.isnan(previous)):
        return "hidden"
    change = value - previous
    if is_rate:
        if abs(change) <= 0.01 + 1e-9:
            return "stable"
        n1 = n or n_previous
        n0 = n_previous or n
        if not n1 or not n0:
            return "hidden"
        se = math.sqrt(value * (1 - value) / n1 + previous * (1 - previous) / n0)
        bound = 2 * se
    else:
        if previous == 0 and value > 0:
            return "new"
        bound = 2 * math.sqrt(2 * variance + max(value, 0) + max(previous, 0))
    if abs(change) <= bound + 1e-9:
        return "stable"
    return "up" if change > 0 else "down"


# --------------------------------------------------------------------------- periods


@dataclass(frozen=True)
class Span:
    start: date
    end: date

    @property
    def months(self) -> int:
        after = self.end + timedelta(days=1)
        return (after.year - self.start.year) * 12 + after.month - self.start.month

    @property
    def whole_by(self) -> Granularity:
        """The granularity of which the span is exactly one period, or the coarsest that tiles it."""
        after = self.end + timedelta(days=1)
        if self.start.month == 1 and after.month == 1 and after.day == 1 and self.start.day == 1:
            return "year"
        if self.start.day == 1 and after.day == 1 and (self.start.month - 1) % 3 == 0 and (after.month - 1) % 3 == 0:
            return "quarter"
        return "month"

    @property
    def series_by(self) -> Granularity:
        """Sparklines and series over the span: months (quarters beyond three years)."""
        return "quarter" if self.months > 36 else "month"

    @property
    def cohort_by(self) -> Granularity:
        return "quarter" if self.months >= 6 else "month"


def parse_period(text: str) -> Span:
    """``2025``, ``2025-Q1``, ``2025-03`` -> the span of that year, quarter or month (ValueError otherwise)."""
    import re

    from dashboard.periods import period_bounds

    if re.fullmatch(r"\d{4}", text):
        return Span(date(int(text), 1, 1), date(int(text), 12, 31))
    match = re.fullmatch(r"(\d{4})-[QqTt]([1-4])", text)
    if match:
        start, end = period_bounds(date(int(match[1]), 3 * int(match[2]) - 2, 1), "quarter")
        return Span(start, end)
    match = re.fullmatch(r"(\d{4})-(\d{2})", text)
    if match and 1 <= int(match[2]) <= 12:
        start, end = period_bounds(date(int(match[1]), int(match[2]), 1), "month")
        return Span(start, end)
    raise ValueError(text)


def default_compare(span: Span) -> Span:
    start, end = previous_range(span.start, span.end)
    return Span(start, end)


# --------------------------------------------------------------------------- the builder


class _Figures:
    """Published figures for the report's filters (one gate: ``figures(..., published=True)``)."""

    def __init__(self, data: Data, filters: Filters) -> None:
        self.data = data
        self.filters = filters

    def get(self, metric: str, start: date, end: date, by: Granularity) -> Protected:
        return figures(metric, self.data, self.filters.with_(start=start, end=end, by=by), published=True)


def _total_row(p: Protected, column: str, code: str = "TOTAL") -> int | None:
    if column not in p.table.columns:
        return None
    rows = [i for i, value in enumerate(p.table[column].to_list()) if value == code]
    return rows[0] if rows else None


def _value(p: Protected, column: str, row: int | None) -> float | None:
    if row is None or p.too_small:
        return None
    reading, _ = p.reading(column, row)
    value = p.table[column][row]
    return None if reading is not None or value is None else float(value)


def _series(p: Protected, key: str | None, code: str | None, column: str, periods: Sequence[str]) -> tuple[float | None, ...]:
    """One published value per period (None when hidden or absent)."""
    if p.too_small or p.table.is_empty():
        return tuple(None for _ in periods)
    values: dict[str, float | None] = {}
    for i, period in enumerate(p.table["period"].to_list()):
        if key is not None and p.table[key][i] != code:
            continue
        values[period] = _value(p, column, i)
    return tuple(values.get(period) for period in periods)


def _period_labels(span: Span, by: Granularity) -> tuple[str, ...]:
    from dashboard.periods import label_of, period_bounds

    labels, day = [], span.start
    while day <= span.end:
        labels.append(label_of(day, by))
        day = period_bounds(day, by)[1] + timedelta(days=1)
    return tuple(labels)


def _short_labels(labels: Sequence[str], lang: str) -> list[str]:
    """Period labels for an axis: without the year when they all share it (it is in the report's period)."""
    shown = [fmt_period(x, lang) for x in labels]
    years = {x[:4] for x in labels}
    if len(years) == 1:
        year = next(iter(years))
        shown = [x.replace(f" {year}", "") for x in shown]
    return shown


def _structures_text(data: Data, filters: Filters, lang: str) -> str:
    names = dict(zip(data.structures["structure_id"].to_list(), data.structures["name"].to_list(), strict=True))
    if filters.structures:
        return ", ".join(names.get(s, s) for s in filters.structures)
    if len(names) == 1:
        return next(iter(names.values()))
    return W[lang]["network"].format(n=len(names))


def _footer(data: Data, lang: str) -> Footer:
    mode = disclosure_mode()
    loads = data.loads
    number = load_day = None
    if loads.height:
        last = loads.sort("id").row(-1, named=True)
        number = int(last["id"])
        finished = last.get("finished_at") or last.get("started_at")
        load_day = finished.date() if hasattr(finished, "date") else None
    words = W[lang]
    mode_text = words[f"mode_{mode}"]
    text = (words["footer"].format(version=VERSION, load=number, load_date=date_words(load_day, lang) if load_day else "–",
                                   mode=mode_text)
            if number is not None else words["footer_noload"].format(version=VERSION, mode=mode_text))
    return Footer(definitions_version=VERSION, load_number=number, load_date=load_day, disclosure_mode=mode, text=text)


def _overview_series(f: _Figures, span: Span, by: Granularity,
                     labels: Sequence[str]) -> dict[str, tuple[float | None, ...]]:
    """Each key figure per period of the span (the overview of each month or quarter, published): the sparklines."""
    from dashboard.periods import period_bounds

    values: dict[str, list[float | None]] = {}
    day = span.start
    for index, _ in enumerate(labels):
        first, last = period_bounds(day, by)
        p = f.get("overview", first, last, "month")
        for i, name in enumerate([] if p.too_small else p.table["figure"].to_list()):
            values.setdefault(name, [None] * len(labels))[index] = _value(p, "value", i)
        day = last + timedelta(days=1)
    return {name: tuple(v) for name, v in values.items()}


def _key_figures(f: _Figures, span: Span, compare: Span, lang: str, k: int, variance: float) -> tuple[KeyFigure, ...]:
    words = W[lang]
    main = f.get("overview", span.start, span.end, "month")
    default = compare == default_compare(span)
    other = f.get("overview", compare.start, compare.end, "month")
    by = span.series_by
    labels = _period_labels(span, by)
    series = _overview_series(f, span, by, labels)
    out = []
    for i, name in enumerate(main.table["figure"].to_list() if not main.too_small else []):
        is_rate = name in RATES
        value = _value(main, "value", i)
        j = _total_row(other, "figure", name)
        previous = _value(main, "previous", i) if default else _value(other, "value", j)
        n = _value(main, "n", i)
        n_prev = _value(other, "n", j)
        change = None if value is None or previous is None else round(value - previous, 2 if is_rate else 0)
        if default and change is not None and _value(main, "change", i) is not None:
            change = _value(main, "change", i)
        change_percent = (change / previous) if change is not None and previous else None
        v = verdict(value, previous, is_rate=is_rate, n=n, n_previous=n_prev, variance=variance)
        fmt = _rate_text if is_rate else _count_text
        reading_value, _ = main.reading("value", i)
        reading_previous = main.reading("previous", i)[0] if default else (other.reading("value", j)[0] if j is not None else None)
        text_change = "–" if change is None else (fmt_points(change, lang) if is_rate else _signed_int(change, lang))
        if is_rate and change is not None and lang == "fr":
            text_change = text_change.replace(f"{NBSP}pt", f"{NBSP}pt" if abs(change) <= 0.015 else f"{NBSP}pts")
        out.append(KeyFigure(
            figure=name, label=_label(name, lang), is_rate=is_rate, value=value, previous=previous, change=change,
            change_percent=None if is_rate else change_percent, verdict=v,
            text_value=fmt(value, reading_value, k, lang), text_previous=fmt(previous, reading_previous, k, lang),
            text_change=text_change,
            text_change_percent="–" if is_rate or change_percent is None else _signed_percent(change_percent, lang),
            series=series.get(name, ()), series_labels=tuple(fmt_period(x, lang) for x in labels) if name in series else (),
            text_verdict=words[v],
        ))
    return tuple(out)


def _key_paragraph(figs: Sequence[KeyFigure], lang: str) -> tuple[str, tuple[str, ...]]:
    words = W[lang]
    moved = [words["moved"].format(label=x.label, verdict=words[x.verdict], value=x.text_value, previous=x.text_previous,
                                   change=x.text_change) for x in figs if x.verdict in ("up", "down", "new")]
    kept = [x.label.lower() if lang == "fr" else x.label for x in figs if x.verdict == "stable"]
    hidden = [x.label for x in figs if x.verdict == "hidden"]
    moved_text = "; ".join(moved) if moved else words["key_none_moved"]
    kept_text = (words["key_kept_intro"] + ", ".join(kept)) if kept else words["key_all_moved"]
    hidden_text = words["key_hidden"].format(items=", ".join(hidden)) if hidden else ""
    paragraph = f"{moved_text}. {kept_text}. {hidden_text}".strip()
    sentences = tuple(s for s in (moved[0] + "." if moved else words["key_none_moved"] + ".",
                                  kept_text + ".", hidden_text) if s)
    return paragraph, sentences[:3]


def _codes_labels(data: Data, code_list: str, lang: str) -> dict[str, str]:
    names = label_map(code_list, lang, data.labels)
    names.setdefault("INCONNU", "Non renseigné" if lang == "fr" else "Not recorded")
    names.setdefault("TOTAL", "Total")
    return names


def _referrals(f: _Figures, span: Span, compare: Span, lang: str, k: int) -> Section:
    words = W[lang]
    names = _codes_labels(f.data, "SOURCE", lang)
    by = span.whole_by
    now = f.get("referrals-by-source", span.start, span.end, by)
    before = f.get("referrals-by-source", compare.start, compare.end, compare_by(compare))
    # five years of shares, ending with the report's period
    five = f.get("referrals-by-source", date(span.end.year - 4, 1, 1), span.end, "year")
    several = now.table["period"].n_unique() > 1 if not now.too_small else False
    rows, headings = [], [words["h_source"], words["h_referrals"], words["h_share"], words["h_acceptance"], words["h_delay"]]
    if several:
        headings.insert(0, words["h_period_col"])
    totals: dict[str, float | None] = {}
    if not now.too_small:
        for i, period in enumerate(now.table["period"].to_list()):
            if now.table["source"][i] == "TOTAL":
                totals[period] = _value(now, "referrals", i)
        order = sorted(range(now.table.height), key=lambda i: (now.table["period"][i], now.table["source"][i] == "TOTAL",
                                                                -(_value(now, "referrals", i) or 0)))
        for i in order:
            source, period = now.table["source"][i], now.table["period"][i]
            count = _value(now, "referrals", i)
            total = totals.get(period)
            share = fmt_rate(count / total, lang) if count is not None and total and source != "TOTAL" else "–"
            row = [names.get(source, source), _cell(now, "referrals", i, lang), share,
                   _cell(now, "acceptance_rate", i, lang), _cell(now, "median_days_to_decision", i, lang)]
            if several:
                row.insert(0, fmt_period(period, lang))
            rows.append(tuple(row))
    t_now, t_before = _total_row(now, "source"), _total_row(before, "source")
    rate, rate_prev = _value(now, "acceptance_rate", t_now), _value(before, "acceptance_rate", t_before)
    decided = (_value(now, "accepted", t_now) or 0) + (_value(now, "refused", t_now) or 0)
    decided_prev = (_value(before, "accepted", t_before) or 0) + (_value(before, "refused", t_before) or 0)
    rate_verdict = verdict(rate, rate_prev, is_rate=True, n=decided or None, n_previous=decided_prev or None)
    visible = [(now.table["source"][i], _value(now, "referrals", i)) for i in range(now.table.height)
               if not now.too_small and now.table["source"][i] != "TOTAL" and _value(now, "referrals", i) is not None]
    visible_total = sum(v for _, v in visible if v)
    top = max(visible, key=lambda x: x[1] or 0) if visible else None
    total_text = _cell(now, "referrals", t_now, lang) if t_now is not None else "–"
    paragraph = words["ref_para"].format(
        referrals=total_text, top=names.get(top[0], top[0]) if top else "–",
        top_share=fmt_rate(top[1] / visible_total, lang) if top and visible_total else "–",
        rate=_rate_or_hidden(now, "acceptance_rate", t_now, lang), rate_verdict=words[rate_verdict],
        rate_prev=_rate_or_hidden(before, "acceptance_rate", t_before, lang),
        delay=_cell(now, "median_days_to_decision", t_now, lang) if t_now is not None else "–",
        delay_prev=_cell(before, "median_days_to_decision", t_before, lang) if t_before is not None else "–",
    )
    chart = charts.source_shares(five, names, words["ref_shares_title"], lang)
    sentences = tuple(s.strip() + ("" if s.strip().endswith(".") else ".") for s in paragraph.split(". ")[:3])
    return Section(key="referrals", title=words["s_referrals"], paragraph=paragraph, sentences=sentences,
                   charts=tuple(c for c in (chart,) if c is not None),
                   tables=((words["ref_table"], tuple(headings), tuple(rows)),))


def compare_by(span: Span) -> Granularity:
    return span.whole_by


def _rate_or_hidden(p: Protected, column: str, row: int | None, lang: str) -> str:
    return "–" if row is None or p.too_small else _cell(p, column, row, lang)


def _needs(f: _Figures, span: Span, compare: Span, lang: str, k: int) -> Section:
    words = W[lang]
    by = span.whole_by
    kinds = _codes_labels(f.data, "KIND", lang)
    pillars = _codes_labels(f.data, "PILLAR", lang)
    domains = _codes_labels(f.data, "DOMAINE", lang)
    series_by = span.series_by
    labels = _period_labels(span, series_by)
    by_kind = f.get("needs-by-kind", span.start, span.end, series_by)
    kind_now = f.get("needs-by-kind", span.start, span.end, by)
    kind_series = {code: _series(by_kind, "kind", code, "share_in_need", labels) for code in ("PRATIQUE", "STRATEGIQUE")}
    chart_kind = charts.lines({kinds[c]: s for c, s in kind_series.items()}, _short_labels(labels, lang),
                              words["needs_kind_title"], lang, percent=True)
    pillar_now = f.get("needs-by-pillar", span.start, span.end, by)
    pillar_before = f.get("needs-by-pillar", compare.start, compare.end, compare_by(compare))
    rows = []
    best = None
    if not pillar_now.too_small:
        order = {c: i for i, c in enumerate(codes("PILLAR"))} if _has_list("PILLAR") else {}
        for i in sorted(range(pillar_now.table.height), key=lambda i: (pillar_now.table["period"][i],
                                                                        order.get(pillar_now.table["pillar"][i], 99))):
            code = pillar_now.table["pillar"][i]
            j = _total_row(pillar_before, "pillar", code)
            share = _value(pillar_now, "share_in_need", i)
            if share is not None and (best is None or share > best[1]):
                best = (code, share)
            rows.append((pillars.get(code, code), _cell(pillar_now, "persons_assessed", i, lang),
                         _cell(pillar_now, "persons_in_need", i, lang), _cell(pillar_now, "share_in_need", i, lang),
                         _rate_or_hidden(pillar_before, "share_in_need", j, lang),
                         _cell(pillar_now, "mean_level", i, lang)))
    distance = f.get("distance-travelled", span.start, span.end, by)
    d_rows, top_domain = [], None
    if not distance.too_small:
        for i in sorted(range(distance.table.height), key=lambda i: -(_value(distance, "share_improved", i) or -1)):
            code = distance.table["domain"][i]
            share = _value(distance, "share_improved", i)
            if share is not None and top_domain is None:
                top_domain = (code, share)
            d_rows.append((domains.get(code, code), _cell(distance, "persons", i, lang), _cell(distance, "improved", i, lang),
                           _cell(distance, "share_improved", i, lang), _cell(distance, "worsened", i, lang),
                           _cell(distance, "mean_change", i, lang)))
    chart_distance = charts.distance(distance, domains, words, lang)
    kinds_text = ", ".join(
        f"{kinds[c].lower() if lang == 'fr' else kinds[c]} "
        f"{_rate_or_hidden(kind_now, 'share_in_need', _total_row(kind_now, 'kind', c), lang)}"
        for c in ("PRATIQUE", "STRATEGIQUE"))
    # "improved in at least one domain" is not published: the paragraph cites the domain figures only
    improved = _domain_range(distance, lang)
    paragraph = words["needs_para"].format(
        kinds=kinds_text, top_pillar=(pillars.get(best[0], best[0]).lower() if lang == "fr" else pillars.get(best[0], best[0]))
        if best else "–", top_share=fmt_rate(best[1], lang) if best else "–", improved=improved,
        top_domain=(domains.get(top_domain[0], top_domain[0]).lower() if lang == "fr" else domains.get(top_domain[0], top_domain[0]))
        if top_domain else "–", top_domain_share=fmt_rate(top_domain[1], lang) if top_domain else "–")
    sentences = tuple(s.strip() + ("" if s.strip().endswith(".") else ".") for s in paragraph.split(". ")[:3])
    tables = ((words["needs_pillar_table"], (words["h_pillar"], words["h_assessed"], words["h_in_need"],
                                             words["h_share_need"], words["h_share_prev"], words["h_mean"]), tuple(rows)),
              (words["distance_table"], (words["h_domain"], words["h_persons"], words["h_improved"], words["h_share"],
                                         words["h_worsened"], words["h_mean_change"]), tuple(d_rows)))
    return Section(key="needs", title=words["s_needs"], paragraph=paragraph, sentences=sentences,
                   charts=tuple(c for c in (chart_kind, chart_distance) if c is not None), tables=tables)


def _has_list(code_list: str) -> bool:
    try:
        return bool(codes(code_list))
    except Exception:  # noqa: BLE001  (label-only lists may not be in the reference codes)
        return False


def _domain_range(distance: Protected, lang: str) -> str:
    """"de 22 % à 28 %": the range of the published shares of persons improved, per domain."""
    shares = [s for s in (_value(distance, "share_improved", i) for i in range(distance.table.height)) if s is not None] \
        if not distance.too_small else []
    if not shares:
        return "–"
    low, high = min(shares), max(shares)
    if low == high:
        return fmt_rate(low, lang)
    return (f"de {fmt_rate(low, lang)} à {fmt_rate(high, lang)}" if lang == "fr"
            else f"from {fmt_rate(low, lang)} to {fmt_rate(high, lang)}")


def _workshops(f: _Figures, span: Span, lang: str, keyfigs: Sequence[KeyFigure], k: int) -> Section:
    words = W[lang]
    by = span.whole_by
    key = {x.figure: x for x in keyfigs}
    cats = _codes_labels(f.data, "CATEGORIE_ATELIER", lang)
    by_cat = f.get("workshop-by-category", span.start, span.end, by)
    chart_cat = charts.category_bars(by_cat, cats, words["work_cat_title"], lang)
    cohort_by = span.cohort_by
    cohorts = f.get("workshop-cohorts", span.start, span.end, cohort_by)
    offsets = sorted(set(cohorts.table["offset"].to_list())) if not cohorts.too_small and cohorts.table.height else []
    offsets = [o for o in offsets if o > 0][:4]
    c_rows, retention_text = [], words["retention_none"]
    if offsets:
        for cohort in sorted(set(cohorts.table["cohort"].to_list())):
            idx = [i for i in range(cohorts.table.height) if cohorts.table["cohort"][i] == cohort]
            size_row = next((i for i in idx if cohorts.table["offset"][i] == 0), idx[0])
            cells = []
            for o in offsets:
                i = next((i for i in idx if cohorts.table["offset"][i] == o), None)
                cells.append("–" if i is None else _cell(cohorts, "retention", i, lang))
            c_rows.append((fmt_period(cohort, lang), _cell(cohorts, "cohort_size", size_row, lang), *cells))
        first = [i for i in range(cohorts.table.height) if cohorts.table["offset"][i] == 1
                 and _value(cohorts, "retention", i) is not None]
        if first:
            i = first[0]
            retention_text = words["retention"].format(cohort=fmt_period(cohorts.table["cohort"][i], lang),
                                                      share=fmt_rate(_value(cohorts, "retention", i), lang))
    co = f.get("workshop-by-co-construction", span.start, span.end, by)
    fac = f.get("workshop-by-facilitator", span.start, span.end, by)
    co_names = _codes_labels(f.data, "CO_CONSTRUIT", lang)
    fac_names = _codes_labels(f.data, "INTERVENANT", lang)

    def small_table(p: Protected, column: str, names: dict[str, str]) -> tuple[tuple[str, ...], ...]:
        if p.too_small:
            return ()
        return tuple((names.get(p.table[column][i], p.table[column][i]), _cell(p, "sessions", i, lang),
                      _cell(p, "persons", i, lang), _cell(p, "presences", i, lang), _cell(p, "attendance_rate", i, lang),
                      _cell(p, "mean_persons_per_session", i, lang)) for i in range(p.table.height))

    yes, no = _total_row(co, "co_constructed", "OUI"), _total_row(co, "co_constructed", "NON")
    ext = _total_row(fac, "facilitator", "EXTERNE")
    participants, attendance = key.get("workshop_participants"), key.get("attendance_rate")
    paragraph = words["work_para"].format(
        participants=participants.text_value if participants else "–",
        participants_verdict=participants.text_verdict if participants else "–",
        attendance=attendance.text_value if attendance else "–",
        attendance_verdict=attendance.text_verdict if attendance else "–", retention=retention_text,
        co_persons=_rate_or_hidden(co, "persons", yes, lang), co_rate=_rate_or_hidden(co, "attendance_rate", yes, lang),
        non_co_rate=_rate_or_hidden(co, "attendance_rate", no, lang),
        ext_sessions=_rate_or_hidden(fac, "sessions", ext, lang))
    head = (words["h_sessions"], words["h_persons"], words["h_presences"], words["h_attendance"], words["h_per_session"])
    offset_heads = tuple(f"+{o}" for o in offsets)
    tables = []
    if c_rows:
        tables.append((words["work_cohorts"], (words["h_cohort"], words["h_size"], *offset_heads), tuple(c_rows)))
    tables.append((words["work_co"], (words["h_co"], *head), small_table(co, "co_constructed", co_names)))
    tables.append((words["work_fac"], (words["h_facilitator"], *head), small_table(fac, "facilitator", fac_names)))
    sentences = tuple(s.strip() + ("" if s.strip().endswith(".") else ".") for s in paragraph.split(". ")[:3])
    return Section(key="workshops", title=words["s_workshops"], paragraph=paragraph, sentences=sentences,
                   charts=tuple(c for c in (chart_cat,) if c is not None), tables=tuple(tables))


def _exits(f: _Figures, span: Span, compare: Span, lang: str, keyfigs: Sequence[KeyFigure],
           k: int) -> tuple[Section, Protected, Protected]:
    words = W[lang]
    by = span.whole_by
    key = {x.figure: x for x in keyfigs}
    programs = _codes_labels(f.data, "DISPOSITIF", lang)
    dests = _codes_labels(f.data, "LOGEMENT_SORTIE", lang)
    now = f.get("exits", span.start, span.end, by)
    several = not now.too_small and now.table["period"].n_unique() > 1
    rows = []
    if not now.too_small:
        order = sorted(range(now.table.height), key=lambda i: (now.table["period"][i], now.table["program"][i] == "TOTAL",
                                                                -(_value(now, "exits", i) or 0)))
        for i in order:
            row = [programs.get(now.table["program"][i], now.table["program"][i]), _cell(now, "exits", i, lang),
                   _cell(now, "housing_positive_rate", i, lang), _cell(now, "dynamic_exit_rate", i, lang),
                   _cell(now, "median_stay_days", i, lang)]
            if several:
                row.insert(0, fmt_period(now.table["period"][i], lang))
            rows.append(tuple(row))
    headings = [words["h_program"], words["h_exits"], words["h_housing"], words["h_dynamic"], words["h_stay"]]
    if several:
        headings.insert(0, words["h_period_col"])
    housing = f.get("exits-by-housing", span.start, span.end, by)
    chart = charts.destination_bars(housing, dests, words["exits_dest_title"], lang)
    employment = f.get("exits-by-employment", span.start, span.end, by)
    total = _total_row(now, "program")
    xs, hr, dr = key.get("exits"), key.get("housing_positive_rate"), key.get("dynamic_exit_rate")
    paragraph = words["exits_para"].format(
        exits=xs.text_value if xs else "–", exits_verdict=xs.text_verdict if xs else "–",
        housing=hr.text_value if hr else "–", housing_verdict=hr.text_verdict if hr else "–",
        housing_prev=hr.text_previous if hr else "–", dynamic=dr.text_value if dr else "–",
        dynamic_verdict=dr.text_verdict if dr else "–", dynamic_prev=dr.text_previous if dr else "–",
        stay=_rate_or_hidden(now, "median_stay_days", total, lang) if not several else "–")
    sentences = tuple(s.strip() + ("" if s.strip().endswith(".") else ".") for s in paragraph.split(". ")[:3])
    section = Section(key="exits", title=words["s_exits"], paragraph=paragraph, sentences=sentences,
                      charts=tuple(c for c in (chart,) if c is not None),
                      tables=((words["exits_table"], tuple(headings), tuple(rows)),))
    return section, now, employment


def _summed(p: Protected, key: str, keep: Sequence[str], column: str, lang: str, k: int) -> tuple[float | None, str]:
    """The sum of published cells of rows whose ``key`` is in ``keep``; None (hidden) when any of them is hidden."""
    if p.too_small:
        return None, "–"
    total, seen = 0.0, False
    for i in range(p.table.height):
        if p.table[key][i] in keep:
            value = _value(p, column, i)
            reading, _ = p.reading(column, i)
            if reading is not None:
                return None, (reading_text(reading, k, lang) or "–").replace(" ", NBSP)
            total += value or 0
            seen = True
    return (total, fmt_int(total, lang)) if seen else (0.0, fmt_int(0, lang))


def _costs(exits: Protected, employment: Protected, lang: str, k: int, unit_costs: dict[str, UnitCost] | None,
           file_name: str | None) -> Costs:
    counts = {
        "housing_exit": _summed(exits, "program", ["TOTAL"], "housing_positive", lang, k),
        "employment_exit": _summed(employment, "situation", list(DYNAMIC_EMPLOYMENT), "exits", lang, k),
    }
    return avoided_costs(counts, lang, k, unit_costs, file_name)


def build_report(data: Data, filters: Filters, compare: Span | Filters | tuple[date, date] | None = None,
                 lang: str = "fr", *, unit_costs: dict[str, UnitCost] | None = None,
                 costs_file: str | None = None, on_chart: Callable[[Any], None] | None = None) -> Report:
    """The report for ``filters`` (its ``start``..``end`` is the period; structures and person filters apply to
    every figure), compared with ``compare`` (default: the previous period of equal length).

    ``on_chart`` is called with each chart as soon as its section is built (``dashboard.report.pdf.ChartExports``
    starts exporting it while the next sections are computed)."""
    lang = lang if lang in W else "fr"
    if filters.start is None or filters.end is None:
        last = data.last_day
        if last is None:
            raise ReportError("aucune donnée chargée" if lang == "fr" else "no data loaded")
        filters = filters.with_(start=date(last.year - 1, 1, 1), end=date(last.year - 1, 12, 31)) if filters.start is None \
            else filters.with_(end=last)
    snapped = filters.with_(by="month").snapped()
    span = Span(snapped.start, snapped.end)  # type: ignore[arg-type]
    if isinstance(compare, Filters):
        whole = compare.with_(by="month").snapped()
        compare = Span(whole.start or span.start, whole.end or span.end)
    elif isinstance(compare, tuple):
        compare = Span(*compare)
    compare = compare or default_compare(span)
    words = W[lang]
    k = thresholds(True)[0]
    variance = perturbation_variance()
    f = _Figures(data, snapped)
    last_day = data.last_day
    if last_day is None or span.start > last_day:
        raise ReportError(words["after_data"].format(last=date_words(last_day, lang) if last_day else "–"))
    # the needs figures (the slowest to compute cold) in a second thread: polars releases the GIL while it works,
    # and the metric caches are shared under a lock (``PerSnapshot``)
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="report-needs")
    needs_future = pool.submit(_needs, f, span, compare, lang, k)
    pool.shutdown(wait=False)
    keyfigs = _key_figures(f, span, compare, lang, k, variance)
    rule = words["rule"].format(v=fmt_decimal(variance, lang, 1), count_rule=COUNT_RULE, rate_rule=RATE_RULE,
                                exact=words["exact_v"] if disclosure_mode() == "exact" else "")
    notes = [words["k_note"].format(k=k), rule]
    if span.end > last_day:
        notes.insert(0, words["cut"].format(last=date_words(last_day, lang)))
    header = {
        "lang": lang, "title": words["title"], "structures": _structures_text(data, filters, lang),
        "period": range_words(span.start, span.end, lang), "footer": _footer(data, lang), "k": k,
        "compared_with": words["compared"].format(period=range_words(compare.start, compare.end, lang)),
        "headings": (words["h_figure"], words["h_value"], words["h_previous"], words["h_change"], words["h_percent"],
                     words["h_verdict"], words["h_trend"]),
    }
    if not keyfigs:  # a selection too small to publish anything: say so, and nothing else
        needs_future.cancel()
        message = words["too_small"].format(k=k)
        section = Section(key="key_figures", title=words["s_key"], paragraph=message, sentences=(message,))
        return Report(key_figures=(), sections=(section,), costs=None, notes=tuple(notes), **header)  # type: ignore[arg-type]
    key_paragraph, key_sentences = _key_paragraph(keyfigs, lang)
    key_section = Section(key="key_figures", title=words["s_key"], paragraph=key_paragraph, sentences=key_sentences)

    def built(section: Section) -> Section:
        if on_chart is not None:
            for chart in section.charts:
                on_chart(chart)
        return section

    referrals = built(_referrals(f, span, compare, lang, k))
    exits_section, exits_table, employment = _exits(f, span, compare, lang, keyfigs, k)
    built(exits_section)
    workshops = built(_workshops(f, span, lang, keyfigs, k))
    needs = built(needs_future.result())
    sections = (key_section, referrals, needs, workshops, exits_section)
    costs = _costs(exits_table, employment, lang, k, unit_costs, costs_file)
    return Report(key_figures=keyfigs, sections=sections, costs=costs, notes=tuple(notes), **header)  # type: ignore[arg-type]


__all__ = ["ReportError", "Span", "build_report", "date_words", "default_compare", "parse_period", "range_words",
           "verdict"]

