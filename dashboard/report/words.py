"""The report's words: its sentences in French and English, dates in words, numbers as printed."""

from __future__ import annotations

from datetime import date

from dashboard.catalogue import CATALOGUE
from dashboard.charts.base import reading_text
from dashboard.disclosure import Protected
from dashboard.formatting import NBSP, fmt_decimal, fmt_int, fmt_rate
from dashboard.strings import STRINGS

MONTHS_WORDS = {
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
}
RATES = CATALOGUE["overview"].rates
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
