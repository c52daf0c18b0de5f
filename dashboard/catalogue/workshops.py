"""Workshops (Ateliers): cohorts, attendance and breakdowns by kind of workshop."""

from dashboard.catalogue.base import Column, Figure, code, events, period, persons, rate
from dashboard.metrics.workshops import (
    workshop_attendance,
    workshop_by_category,
    workshop_by_co_construction,
    workshop_by_facilitator,
    workshop_cohorts,
    workshop_retention,
    workshop_retention_by_category,
)

# Sessions are not about persons: shown as they are; presences per session go with their presences.
_COUNTS = (
    Column("sessions", "sessions"), persons("persons"), events("presences"), rate("attendance_rate", "presences", "_expected"),
    Column("mean_persons_per_session", "per_unit", of=("presences", "sessions")), events("_expected"),
)


def _workshops(name: str, compute, keys: tuple[Column, ...], *, title: dict[str, str],  # type: ignore[no-untyped-def]
               definition: dict[str, str]) -> Figure:
    by_period = "period" if keys[0].kind == "period" else None  # by facilitator or co-construction: over the range
    return Figure(name=name, compute=compute, columns=(*keys, *_COUNTS), title=title, definition=definition,
                  by_period=by_period)


WORKSHOP_COHORTS = Figure(
    name="workshop-cohorts",
    compute=workshop_cohorts,
    columns=(
        period("cohort"), Column("offset", "index"), persons("cohort_size"), persons("persons_active"),
        rate("retention", "persons_active", "cohort_size"),
    ),
    title={"fr": "Cohortes d'ateliers", "en": 'Workshop cohorts'},
    definition={
        "fr": (
            "La cohorte d'une personne est la période (mois, trimestre ou année) de sa **première présence** à "
            'un atelier du filtre (un atelier, une catégorie, ou tous), cherchée dans toutes les données : une '
            "personne venue avant la plage n'y est pas nouvelle. Les cohortes dont la période est dans la plage "
            'sont montrées. `offset` : nombre de périodes entières depuis la cohorte (0 = la période de la '
            'cohorte) ; `cohort_size` ; `persons_active` : personnes de la cohorte présentes au moins une fois à '
            "ce décalage ; `retention` = actives / taille. Les présences comptent jusqu'au dernier jour de "
            'données (la dernière séance des ateliers choisis) : un décalage dont la période commence après ce '
            "jour n'est pas montré (pas de zéro pour l'avenir) ; avant, 0 signifie que personne n'est venu."
        ),
        "en": (
            "A person's cohort is the period (month, quarter or year) of their **first presence** at a workshop "
            'of the filter (one workshop, a category, or all), looked for in all the data: a person who came '
            'before the range is not new in it. Cohorts whose period lies in the range are shown. `offset`: '
            "whole periods since the cohort (0 = the cohort's own period); `cohort_size`; `persons_active`: "
            'persons of the cohort present at least once at that offset; `retention` = active / size. Presences '
            'count up to the last day of data (the latest session of the chosen workshops): an offset whose '
            'period starts after that day is not shown (no zero for the future); before it, 0 means nobody came.'
        ),
    },
    whole_row="cohort_size",
    by_period="cohort",  # a cohort under k persons is hidden whole: its grid would show when the group stopped
)
WORKSHOP_ATTENDANCE = _workshops("workshop-attendance", workshop_attendance, (
    period(), code("structure_id", None), Column("atelier_id", "text"), Column("workshop", "text"),
    code("category", "CATEGORIE_ATELIER"),
),
    title={"fr": 'Assiduité aux ateliers', "en": 'Workshop attendance'},
    definition={
        "fr": (
            'Par atelier (structure, `atelier_id`, nom `workshop`, `category`) et période de la **date de '
            'séance** : `sessions` (séances tenues), `persons` (personnes présentes au moins une fois), '
            '`presences` (présences), `attendance_rate` (présences / personnes attendues, absents et excusés '
            'compris), `mean_persons_per_session` (présences / séances, 1 décimale). Les séances sont celles que '
            "l'atelier a tenues, quels que soient les filtres de personnes ; un atelier apparaît dans une "
            "période s'il y a tenu au moins une séance."
        ),
        "en": (
            'Per workshop (structure, `atelier_id`, name `workshop`, `category`) and period of the **session '
            'date**: `sessions` (sessions held), `persons` (persons present at least once), `presences` (PRESENT '
            'rows), `attendance_rate` (presences / persons expected, absent and excused included), '
            '`mean_persons_per_session` (presences / sessions, 1 decimal). Sessions are those the workshop held, '
            'whatever the person filters; a workshop appears in a period when it held at least one session in it.'
        ),
    },
)
WORKSHOP_BY_CATEGORY = _workshops("workshop-by-category", workshop_by_category, (period(), code("category", "CATEGORIE_ATELIER")),
    title={"fr": 'Ateliers par catégorie', "en": 'Workshops by category'},
    definition={
        "fr": (
            "Par période et catégorie d'atelier : `sessions` (séances tenues), `persons` (personnes présentes au "
            'moins une fois), `presences` (présences), `attendance_rate` (présences / personnes attendues, '
            'absents et excusés compris), `mean_persons_per_session` (présences / séances, 1 décimale). Une '
            'personne venue à deux ateliers de la même catégorie compte une fois dans `persons`.'
        ),
        "en": (
            'Per period and workshop category: `sessions` (sessions held), `persons` (persons present at least '
            'once), `presences` (PRESENT rows), `attendance_rate` (presences / persons expected, absent and '
            'excused included), `mean_persons_per_session` (presences / sessions, 1 decimal). A person who came '
            'to two workshops of the same category counts once in `persons`.'
        ),
    },
)
WORKSHOP_BY_FACILITATOR = _workshops("workshop-by-facilitator", workshop_by_facilitator, (code("facilitator", "INTERVENANT"),),
    title={"fr": 'Ateliers par intervenant', "en": 'Workshops by facilitator'},
    definition={
        "fr": (
            "Sur toute la plage, par intervenant (`INTERNE`, `EXTERNE`, `INCONNU` s'il n'est pas renseigné) : "
            '`sessions` (séances tenues), `persons` (personnes présentes au moins une fois), `presences` '
            '(présences), `attendance_rate` (présences / personnes attendues, absents et excusés compris), '
            '`mean_persons_per_session` (présences / séances, 1 décimale).'
        ),
        "en": (
            'Over the whole range, by facilitator (`INTERNE` internal, `EXTERNE` external, `INCONNU` when not '
            'recorded): `sessions` (sessions held), `persons` (persons present at least once), `presences` '
            '(PRESENT rows), `attendance_rate` (presences / persons expected, absent and excused included), '
            '`mean_persons_per_session` (presences / sessions, 1 decimal).'
        ),
    },
)
WORKSHOP_BY_CO_CONSTRUCTION = _workshops("workshop-by-co-construction", workshop_by_co_construction,
                                         (code("co_constructed", "CO_CONSTRUIT"),),
    title={"fr": 'Ateliers co-construits', "en": 'Co-constructed workshops'},
    definition={
        "fr": (
            "Sur toute la plage, selon que l'atelier a été co-construit avec les participants (`OUI`, `NON`, "
            '`INCONNU`) : `sessions` (séances tenues), `persons` (personnes présentes au moins une fois), '
            '`presences` (présences), `attendance_rate` (présences / personnes attendues, absents et excusés '
            'compris), `mean_persons_per_session` (présences / séances, 1 décimale).'
        ),
        "en": (
            'Over the whole range, by whether the workshop was designed with the participants (`OUI` yes, `NON` '
            'no, `INCONNU` unknown): `sessions` (sessions held), `persons` (persons present at least once), '
            '`presences` (PRESENT rows), `attendance_rate` (presences / persons expected, absent and excused '
            'included), `mean_persons_per_session` (presences / sessions, 1 decimal).'
        ),
    },
)

_RETENTION = (persons("newcomers"), persons("returned"), rate("retention", "returned", "newcomers"))
_RETENTION_WORDS = {
    "fr": (
        "`newcomers` : personnes dont la **première présence** à {of} (cherchée dans toutes les données) tombe "
        "dans la plage, au moins 3 mois avant la dernière séance des données (chacune a eu le temps de rester) ; "
        "`returned` : celles d'entre elles encore présentes à {of} 3 mois ou plus après le mois de leur première "
        "présence ; `retention` = restées / nouvelles."
    ),
    "en": (
        "`newcomers`: persons whose **first presence** at {of} (looked for in all the data) falls in the range, "
        "at least 3 months before the last session of the data (each had the time to stay); `returned`: those of "
        "them still present at {of} 3 months or more after the month of their first presence; `retention` = "
        "stayed / newcomers."
    ),
}
WORKSHOP_RETENTION = Figure(
    name="workshop-retention",
    compute=workshop_retention,
    columns=(code("structure_id", None), Column("atelier_id", "text"), Column("workshop", "text"),
             code("category", "CATEGORIE_ATELIER"), *_RETENTION),
    title={"fr": "Qui reste, par atelier", "en": "Who stays, by workshop"},
    definition={"fr": "Par atelier (structure, `atelier_id`, nom `workshop`, `category`). "
                      + _RETENTION_WORDS["fr"].format(of="l'atelier"),
                "en": "Per workshop (structure, `atelier_id`, name `workshop`, `category`). "
                      + _RETENTION_WORDS["en"].format(of="the workshop")},
)
WORKSHOP_RETENTION_BY_CATEGORY = Figure(
    name="workshop-retention-by-category",
    compute=workshop_retention_by_category,
    columns=(code("category", "CATEGORIE_ATELIER"), *_RETENTION),
    title={"fr": "Qui reste, par catégorie d'atelier", "en": "Who stays, by workshop category"},
    definition={"fr": "Par catégorie d'atelier (`INCONNU` si elle n'est pas renseignée). "
                      + _RETENTION_WORDS["fr"].format(of="un atelier de la catégorie"),
                "en": "Per workshop category (`INCONNU` when not recorded). "
                      + _RETENTION_WORDS["en"].format(of="a workshop of the category")},
)

FIGURES = (WORKSHOP_COHORTS, WORKSHOP_RETENTION, WORKSHOP_RETENTION_BY_CATEGORY, WORKSHOP_ATTENDANCE, WORKSHOP_BY_CATEGORY,
           WORKSHOP_BY_FACILITATOR, WORKSHOP_BY_CO_CONSTRUCTION)
