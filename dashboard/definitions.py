"""Every figure defined in words, in French and English, for the people who read them.

The "Données & définitions" page shows these texts, the board report quotes
them, and ``docs/metrics.md`` is generated from them
(``python -m dashboard.definitions > docs/metrics.md``; a test checks the
file is up to date). A change to how a figure is computed is a new entry in
``CHANGELOG`` with a new ``VERSION``, so that a figure that moves can be
explained.
"""

import sys

from dashboard.disclosure import thresholds
from models.settings import SETTINGS

VERSION = 1
_DEFAULTS = {setting.name: setting.default for setting in SETTINGS}
_DEFAULT_K = _DEFAULTS["PARCOURS_MIN_CELL"]
_DEFAULT_K_PUBLISHED = _DEFAULTS["PARCOURS_MIN_CELL_PUBLISHED"]

CONVENTIONS: dict[str, str] = {
    "fr": """\
- **Périodes** : mois, trimestre ou année civils, libellés `2024-03`, `2024-Q1`, `2024`. Un événement compte dans la
  période de sa date (date d'orientation, de sortie, d'évaluation, de séance) ; les dates de début et de fin choisies
  sont incluses.
- **Personne** : une personne est identifiée par sa structure et son identifiant ; le même identifiant dans deux
  structures désigne deux personnes.
- **Âge** : année de la première orientation ou du premier accompagnement, moins l'année de naissance. Tranches :
  moins de 26 ans, 26–44, 45–59, 60 et plus, âge inconnu.
- **Taux et parts** : vides (et non nuls) quand leur dénominateur est 0. Un code manquant se lit « Inconnu ».
- **Filtres** : *structures* : les lignes de ces structures ; *sexe*, *tranche d'âge* : les personnes de ce sexe,
  de cette tranche d'âge au premier contact ; *source d'orientation* : les orientations de cette source et, pour
  toute autre figure, les personnes orientées au moins une fois par elle ; *dispositif* : les orientations vers ce
  dispositif et les accompagnements dans ce dispositif, et, pour les besoins et les ateliers, les personnes
  accompagnées ou orientées au moins une fois dans ce dispositif.""",
    "en": """\
- **Periods**: calendar month, quarter or year, labelled `2024-03`, `2024-Q1`, `2024`. An event counts in the period
  of its date (referral, exit, assessment or session date); the chosen start and end dates are included.
- **Person**: a person is identified by their structure and their identifier; the same identifier in two structures
  is two persons.
- **Age**: year of the first referral or first support period minus the year of birth. Bands: under 26, 26–44,
  45–59, 60 and over, age unknown.
- **Rates and shares**: empty (not zero) when their denominator is 0. A missing code reads "Unknown".
- **Filters**: *structures*: rows of those structures; *sex*, *age band*: persons of that sex, of that age band at
  first contact; *referral source*: referrals from that source and, for every other figure, persons referred by it at
  least once; *program*: referrals asking for it and support periods in it, and, for needs and workshops, persons
  supported in it or referred to it at least once.""",
}

_WORKSHOP_COUNTS = {
    "fr": "`sessions` (séances tenues), `persons` (personnes présentes au moins une fois), `presences` (présences), "
          "`attendance_rate` (présences / personnes attendues, absents et excusés compris), "
          "`mean_persons_per_session` (présences / séances, 2 décimales)",
    "en": "`sessions` (sessions held), `persons` (persons present at least once), `presences` (PRESENT rows), "
          "`attendance_rate` (presences / persons expected, absent and excused included), "
          "`mean_persons_per_session` (presences / sessions, 2 decimals)",
}

_NEEDS = "`persons_assessed`, `persons_in_need`, `share_in_need`, `mean_level`"

DEFINITIONS: dict[str, dict[str, str]] = {
    "overview": {
        "fr": "Chiffres clés de la plage choisie (par défaut les 12 derniers mois complets), avec la même figure pour la "
              "plage de même longueur juste avant (`previous`) et l'écart (`change` = `value` − `previous` ; pour un taux, "
              "un écart en points). `persons_accompanied` : personnes dont un accompagnement chevauche la plage ; "
              "`new_persons` : personnes dont le premier contact (orientation ou accompagnement) tombe dans la plage ; "
              "`referrals` ; `exits`, `housing_positive_rate` et `dynamic_exit_rate` comme dans *Sorties* ; "
              "`workshop_participants` : personnes présentes au moins une fois à une séance ; `attendance_rate` : "
              "présences / personnes attendues.",
        "en": "Key figures of the chosen range (by default the last 12 whole months), with the same figure for the range "
              "of equal length just before (`previous`) and the change (`change` = `value` − `previous`; for a rate, a "
              "difference in points). `persons_accompanied`: persons with a support period overlapping the range; "
              "`new_persons`: persons whose first contact (referral or support period) falls in the range; `referrals`; "
              "`exits`, `housing_positive_rate` and `dynamic_exit_rate` as in *Exits*; `workshop_participants`: persons "
              "present at least once at a session; `attendance_rate`: presences / persons expected.",
    },
    "referrals-by-source": {
        "fr": "Par période de la **date d'orientation** et par source : `referrals` (orientations reçues, quelle que soit "
              "la suite), `accepted` et `refused` (décision acceptée, refusée), `acceptance_rate` = acceptées / "
              "(acceptées + refusées) — les orientations en attente ou sans suite n'y entrent pas —, "
              "`median_days_to_decision` : médiane des jours entre orientation et décision, parmi les orientations qui "
              "ont une date de décision. La ligne `TOTAL` additionne toutes les sources ; chaque période de la plage a "
              "la sienne, à 0 s'il ne s'est rien passé.",
        "en": "Per period of the **referral date** and per source: `referrals` (referrals received, whatever followed), "
              "`accepted` and `refused` (decision accepted, refused), `acceptance_rate` = accepted / (accepted + "
              "refused) — pending and dropped referrals stay out of it —, `median_days_to_decision`: median number of "
              "days from referral to decision, over referrals that have a decision date. The `TOTAL` row adds up every "
              "source; every period of the range has one, 0 when nothing happened.",
    },
    "referrals-by-territory": {
        "fr": "Orientations de la plage par territoire de résidence de la personne orientée (`Inconnu` s'il manque) : "
              "`referrals`, `persons` (personnes distinctes), `priority_area_share` : part de ces personnes qui vivent en "
              "quartier prioritaire (QPV), parmi celles dont on sait si c'est le cas.",
        "en": "Referrals of the range by the referred person's area of residence (`Unknown` when missing): `referrals`, "
              "`persons` (distinct persons), `priority_area_share`: share of them living in a priority neighbourhood "
              "(QPV), among those for whom this is known.",
    },
    "needs-over-time": {
        "fr": "Par période de la **date d'évaluation** et par domaine de vie, pour chaque personne la **dernière** "
              "évaluation du domaine dans la période : `persons_assessed` (personnes évaluées au moins une fois), "
              "`persons_in_need` (dernier niveau 1 « en crise » ou 2 « vulnérable »), `share_in_need` = en besoin / "
              "évaluées, `mean_level` : moyenne de ces derniers niveaux (1 à 5, 2 décimales). Une personne non évaluée "
              "dans la période ne compte pas : une baisse peut venir de moins d'évaluations.",
        "en": "Per period of the **assessment date** and per life domain, for each person the **latest** assessment of "
              "the domain in the period: `persons_assessed` (persons assessed at least once), `persons_in_need` (latest "
              "level 1 \"in crisis\" or 2 \"vulnerable\"), `share_in_need` = in need / assessed, `mean_level`: mean of "
              "those latest levels (1 to 5, 2 decimals). A person not assessed in the period does not count: a fall "
              "may come from fewer assessments.",
    },
    "needs-by-kind": {
        "fr": _NEEDS + " comme dans *Besoins par domaine*, par type de besoin"
              " (pratique : court terme, urgent ; stratégique : long "
              "terme), selon le classement des domaines de la structure. Une personne est évaluée pour un type si elle "
              "l'est pour au moins un de ses domaines, en besoin si elle l'est dans au moins un ; `mean_level` est la "
              "moyenne, sur les personnes, de la moyenne de leurs derniers niveaux dans ces domaines.",
        "en": _NEEDS + " as in *Needs by domain*, by kind of need"
              " (practical: short-term, urgent; strategic: long-term), following "
              "the structure's reading of the domains. A person is assessed for a kind when assessed for at least one of "
              "its domains, in need when in need in at least one; `mean_level` averages over persons the mean of their "
              "latest levels in those domains.",
    },
    "needs-by-pillar": {
        "fr": _NEEDS + " comme dans *Besoins par type*, par pilier"
              " (logement, emploi, santé, liens sociaux et familiaux) ; les domaines "
              "sans pilier n'y entrent pas.",
        "en": _NEEDS + " as in *Needs by kind*, by pillar"
              " (housing, employment, health, social and family bonds); domains without a "
              "pillar stay out.",
    },
    "distance-travelled": {
        "fr": "Par domaine, les personnes évaluées au moins deux fois dans la plage : premier niveau contre dernier. "
              "`persons`, `improved` (dernier > premier), `stable`, `worsened`, `share_improved` = améliorées / "
              "personnes, `mean_change` : moyenne de (dernier − premier), 2 décimales. Les périodes n'y jouent pas.",
        "en": "Per domain, persons assessed at least twice in the range: first level against latest. `persons`, "
              "`improved` (latest > first), `stable`, `worsened`, `share_improved` = improved / persons, "
              "`mean_change`: mean of (latest − first), 2 decimals. Periods play no part.",
    },
    "workshop-cohorts": {
        "fr": "La cohorte d'une personne est la période (mois, trimestre ou année) de sa **première présence** à un "
              "atelier du filtre (un atelier, une catégorie, ou tous), cherchée dans toutes les données : une personne "
              "venue avant la plage n'y est pas nouvelle. Les cohortes dont la période est dans la plage sont montrées. "
              "`offset` : nombre de périodes entières depuis la cohorte (0 = la période de la cohorte) ; `cohort_size` ; "
              "`persons_active` : personnes de la cohorte présentes au moins une fois à ce décalage ; `retention` = "
              "actives / taille. Les présences comptent jusqu'au dernier jour de données (la dernière séance des "
              "ateliers choisis) : un décalage dont la période commence après ce jour n'est pas montré (pas de zéro "
              "pour l'avenir) ; avant, 0 signifie que personne n'est venu.",
        "en": "A person's cohort is the period (month, quarter or year) of their **first presence** at a workshop of the "
              "filter (one workshop, a category, or all), looked for in all the data: a person who came before the "
              "range is not new in it. Cohorts whose period lies in the range are shown. `offset`: whole periods since "
              "the cohort (0 = the cohort's own period); `cohort_size`; `persons_active`: persons of the cohort present "
              "at least once at that offset; `retention` = active / size. Presences count up to the last day of data "
              "(the latest session of the chosen workshops): an offset whose period starts after that day is not shown "
              "(no zero for the future); before it, 0 means nobody came.",
    },
    "workshop-attendance": {
        "fr": "Par atelier (structure, `atelier_id`, nom `workshop`, `category`) et période de la **date de séance** : "
              + _WORKSHOP_COUNTS["fr"] + ". Les séances sont celles que l'atelier a tenues, quels que soient les filtres "
              "de personnes ; un atelier apparaît dans une période s'il y a tenu au moins une séance.",
        "en": "Per workshop (structure, `atelier_id`, name `workshop`, `category`) and period of the **session date**: "
              + _WORKSHOP_COUNTS["en"] + ". Sessions are those the workshop held, whatever the person filters; a "
              "workshop appears in a period when it held at least one session in it.",
    },
    "workshop-by-category": {
        "fr": "Par période et catégorie d'atelier : " + _WORKSHOP_COUNTS["fr"] + ". Une personne venue à deux ateliers "
              "de la même catégorie compte une fois dans `persons`.",
        "en": "Per period and workshop category: " + _WORKSHOP_COUNTS["en"] + ". A person who came to two workshops of "
              "the same category counts once in `persons`.",
    },
    "workshop-by-facilitator": {
        "fr": "Sur toute la plage, par intervenant (`INTERNE`, `EXTERNE`, `INCONNU` s'il n'est pas renseigné) : "
              + _WORKSHOP_COUNTS["fr"] + ".",
        "en": "Over the whole range, by facilitator (`INTERNE` internal, `EXTERNE` external, `INCONNU` when not "
              "recorded): " + _WORKSHOP_COUNTS["en"] + ".",
    },
    "workshop-by-co-construction": {
        "fr": "Sur toute la plage, selon que l'atelier a été co-construit avec les participants (`OUI`, `NON`, "
              "`INCONNU`) : " + _WORKSHOP_COUNTS["fr"] + ".",
        "en": "Over the whole range, by whether the workshop was designed with the participants (`OUI` yes, `NON` no, "
              "`INCONNU` unknown): " + _WORKSHOP_COUNTS["en"] + ".",
    },
    "exits": {
        "fr": "Par période de la **date de sortie** et par dispositif (et `TOTAL`) : `exits` : accompagnements terminés, "
              "décès exclus ; `housing_positive` : sortie vers un logement autonome ou accompagné ; "
              "`housing_positive_rate` = positives / (sorties − « non concerné ») : **une destination inconnue ou non "
              "renseignée reste au dénominateur**, elle n'est pas un succès ; `dynamic_exits` (« sorties dynamiques » : "
              "emploi durable, emploi de transition, sortie positive) et `dynamic_exit_rate` de même ; "
              "`median_stay_days` : durée médiane des accompagnements sortis, en jours.",
        "en": "Per period of the **exit date** and per program (and `TOTAL`): `exits`: support periods that ended, deaths "
              "left out; `housing_positive`: exit to independent or supported housing; `housing_positive_rate` = "
              "positive / (exits − \"not applicable\"): **an unknown or missing destination stays in the denominator**, "
              "it is not a success; `dynamic_exits` (lasting or transitional employment, positive exit to training or "
              "work integration) and `dynamic_exit_rate` likewise; `median_stay_days`: median length of the ended "
              "support periods, in days.",
    },
    "exits-by-housing": {
        "fr": "`exits` : sorties (décès exclus) par période de la date de sortie et par situation de logement à la sortie "
              "(`destination`, `INCONNU` si elle manque).",
        "en": "`exits`: exits (deaths left out) per period of the exit date and by housing situation at exit (`destination`, "
              "`INCONNU` when missing).",
    },
    "exits-by-employment": {
        "fr": "`exits` : sorties (décès exclus) par période de la date de sortie et par situation d'emploi à la sortie "
              "(`situation`, `INCONNU` si elle manque).",
        "en": "`exits`: exits (deaths left out) per period of the exit date and by employment situation at exit (`situation`, "
              "`INCONNU` when missing).",
    },
}

DISCLOSURE_RULES: dict[str, str] = {
    "fr": """\
Aucune figure ne doit permettre de reconnaître une personne. k vaut par défaut {k} à l'écran (réglage
`PARCOURS_MIN_CELL`) et {k_published} dans tout ce qui sort de l'application : téléchargements, ligne de commande,
rapport (`PARCOURS_MIN_CELL_PUBLISHED`).
1. **Sélection trop petite** : un filtre qui laisse de 1 à k − 1 personnes (ayant au moins un événement daté dans la
   plage) n'affiche aucune figure, seulement le constat que la sélection est trop petite.
2. **Petits effectifs** : un effectif c tel que 0 < c < k n'est pas montré ; la case indique « < k » et vaut vide
   dans les exports. Les nombres de séances ne comptent pas des personnes et restent affichés.
3. **Catégories sensibles** : les orientations du SPIP ou de la santé et les domaines justice et addictions
   utilisent le seuil de publication partout ; filtrer sur une source sensible rend tout le tableau sensible.
4. **Différences** : avec un filtre de personnes ou de structures, chaque effectif est comparé au même tableau sans
   ces filtres ; s'il en diffère de 1 à k − 1, il est masqué, sinon la différence des deux tableaux révélerait le
   petit groupe écarté. Limites : la protection vaut contre le tableau sans filtre, pas entre deux tableaux filtrés
   l'un par rapport à l'autre, et une ligne absente (un zéro) ne peut pas être masquée.
5. **Masquage secondaire** : quand des effectifs s'additionnent en un total lisible (ligne `TOTAL`, autre tableau,
   période plus longue, parties d'une ligne), un groupe qui n'a qu'une case masquée en voit masquer une deuxième, la
   plus petite autre case non nulle, jusqu'à ce qu'aucun groupe n'en ait une seule.
6. **Taux, parts, moyennes, médianes** : masqués quand un effectif dont ils sont calculés l'est, ou quand leur
   effectif de base est inférieur à k (un taux d'acceptation suit aussi le nombre de refus, qu'il permettrait de
   retrouver).
7. **Lecture** : à l'écran, un petit effectif masqué se lit « < k » ; toute autre case masquée (taux, masquage
   secondaire, différences) se lit « masqué », car sa valeur peut dépasser k. Dans les exports, ces cases sont vides.""",
    "en": """\
No figure may let anyone recognise a person. k is by default {k} on screen (setting `PARCOURS_MIN_CELL`) and
{k_published} in anything that leaves the application: downloads, command line, report (`PARCOURS_MIN_CELL_PUBLISHED`).
1. **Selection too small**: a filter that leaves 1 to k − 1 persons (with at least one event dated in the range)
   shows no figure, only the statement that the selection is too small.
2. **Small counts**: a count c with 0 < c < k is not shown; the cell reads "< k" and is empty in exports. Numbers of
   sessions do not count persons and stay shown.
3. **Sensitive categories**: referrals from probation (SPIP) or health services and the justice and addictions
   domains use the publication threshold everywhere; filtering on a sensitive source makes the whole table sensitive.
4. **Differences**: with a person or structure filter, every count is compared with the same table without those
   filters; when it differs from it by 1 to k − 1 it is hidden, otherwise the difference of the two tables would
   reveal the small group left out. Limits: this protects against the unfiltered table, not two filtered tables
   against each other, and a missing row (a zero) cannot be hidden.
5. **Secondary suppression**: where counts add up to a total someone can read (a `TOTAL` row, another table, a longer
   period, the parts of a row), a group with a single hidden cell gets a second one hidden, the smallest other
   non-zero cell, until no group has a single one.
6. **Rates, shares, means, medians**: hidden when a count they are computed from is, or when the count they rest on
   is below k (an acceptance rate also follows the number of refusals, which it would give back).
7. **Reading**: on screen, a hidden small count reads "< k"; any other hidden cell (rates, secondary suppression,
   differences) reads "hidden", as its value may be k or more. In exports these cells are empty.""",
}
DISCLOSURE_RULES = {lang: text.format(k=_DEFAULT_K, k_published=_DEFAULT_K_PUBLISHED) for lang, text in DISCLOSURE_RULES.items()}

CHANGELOG: list[tuple[str, str, dict[str, str]]] = [
    ("1", "2026-11-21", {"fr": "Définitions initiales.", "en": "Initial definitions."}),
]

TITLES: dict[str, dict[str, str]] = {
    "overview": {"fr": "Vue d'ensemble", "en": "Overview"},
    "referrals-by-source": {"fr": "Orientations par source", "en": "Referrals by source"},
    "referrals-by-territory": {"fr": "Orientations par territoire", "en": "Referrals by area"},
    "needs-over-time": {"fr": "Besoins par domaine", "en": "Needs by domain"},
    "needs-by-kind": {"fr": "Besoins par type", "en": "Needs by kind"},
    "needs-by-pillar": {"fr": "Besoins par pilier", "en": "Needs by pillar"},
    "distance-travelled": {"fr": "Distance parcourue", "en": "Distance travelled"},
    "workshop-cohorts": {"fr": "Cohortes d'ateliers", "en": "Workshop cohorts"},
    "workshop-attendance": {"fr": "Assiduité aux ateliers", "en": "Workshop attendance"},
    "workshop-by-category": {"fr": "Ateliers par catégorie", "en": "Workshops by category"},
    "workshop-by-facilitator": {"fr": "Ateliers par intervenant", "en": "Workshops by facilitator"},
    "workshop-by-co-construction": {"fr": "Ateliers co-construits", "en": "Co-constructed workshops"},
    "exits": {"fr": "Sorties", "en": "Exits"},
    "exits-by-housing": {"fr": "Sorties par logement", "en": "Exits by housing"},
    "exits-by-employment": {"fr": "Sorties par emploi", "en": "Exits by employment"},
}

_HEADINGS = {
    "fr": ("Définitions des figures", "Conventions", "Petits effectifs", "Historique des définitions", "version"),
    "en": ("Definitions of the figures", "Conventions", "Small counts", "Changelog of the definitions", "version"),
}


def disclosure_rules(lang: str = "fr") -> str:
    """The small-count rules with the thresholds in force now (settings may differ from the defaults)."""
    k, published = thresholds(False)[0], thresholds(True)[0]
    current = {"fr": f"Seuils en vigueur : k = {k} à l'écran, {published} pour ce qui est publié.",
               "en": f"Thresholds in force: k = {k} on screen, {published} for anything published."}
    return f"{DISCLOSURE_RULES[lang]}\n\n{current[lang]}"


def render_markdown(lang: str) -> str:
    """All definitions in one language, as the markdown section of ``docs/metrics.md``."""
    title, conventions, small, changelog, version = _HEADINGS[lang]
    parts = [f"## {title} ({version} {VERSION})", f"### {conventions}", CONVENTIONS[lang]]
    for metric, texts in DEFINITIONS.items():
        parts += [f"### {TITLES[metric][lang]} (`{metric}`)", texts[lang]]
    parts += [f"### {small}", DISCLOSURE_RULES[lang], f"### {changelog}"]
    parts += ["\n".join(f"- {version} {number} ({day}): {texts[lang]}" for number, day, texts in CHANGELOG)]
    return "\n\n".join(parts) + "\n"


def render_document() -> str:
    """The whole of ``docs/metrics.md``: French first, then English."""
    intro = ("# Parcours: metric definitions\n\n"
             "Generated from `dashboard/definitions.py` (`python -m dashboard.definitions > docs/metrics.md`); "
             "edit the module, not this file.\n\n")
    return intro + render_markdown("fr") + "\n" + render_markdown("en")


if __name__ == "__main__":
    sys.stdout.write(render_document())
