"""Referrals (Orientations): where people come from and what is decided."""

from dashboard.catalogue.base import Column, Figure, code, events, median, period, persons, rate
from dashboard.metrics.referrals import referrals_by_source, referrals_by_territory
from models.reference import SENSITIVE_SOURCES

REFERRALS_BY_SOURCE = Figure(
    name="referrals-by-source",
    compute=referrals_by_source,
    by_period="period",
    columns=(
        period(), code("source", "SOURCE"), events("referrals"), events("accepted"), events("refused"),
        # accepted + refused as shown, so that the rate agrees with the counts beside it and hides with either
        rate("acceptance_rate", "accepted", "accepted", "refused"), median("median_days_to_decision", "_decided"),
        events("_decided"), events("_decisions"),
    ),
    title={"fr": 'Orientations par source', "en": 'Referrals by source'},
    definition={
        "fr": (
            "Par période de la **date d'orientation** et par source : `referrals` (orientations reçues, quelle "
            'que soit la suite), `accepted` et `refused` (décision acceptée, refusée), `acceptance_rate` = '
            "acceptées / (acceptées + refusées) — les orientations en attente ou sans suite n'y entrent pas —, "
            '`median_days_to_decision` : médiane des jours entre orientation et décision, parmi les orientations '
            'qui ont une date de décision. La ligne `TOTAL` compte toutes les sources ; chaque période de la '
            "plage a la sienne, à 0 s'il ne s'est rien passé."
        ),
        "en": (
            'Per period of the **referral date** and per source: `referrals` (referrals received, whatever '
            'followed), `accepted` and `refused` (decision accepted, refused), `acceptance_rate` = accepted / '
            '(accepted + refused) — pending and dropped referrals stay out of it —, `median_days_to_decision`: '
            'median number of days from referral to decision, over referrals that have a decision date. The '
            '`TOTAL` row counts every source; every period of the range has one, 0 when nothing happened.'
        ),
    },
    sensitive=("source", SENSITIVE_SOURCES),
)

REFERRALS_BY_TERRITORY = Figure(
    name="referrals-by-territory",
    compute=referrals_by_territory,
    columns=(
        Column("territory", "text"), events("referrals"), persons("persons"),
        rate("priority_area_share", "_priority", "_priority_known"), persons("_priority"), persons("_priority_known"),
    ),
    title={"fr": 'Orientations par territoire', "en": 'Referrals by area'},
    definition={
        "fr": (
            "Orientations de la plage par territoire de résidence de la personne orientée (`Inconnu` s'il "
            'manque) : `referrals`, `persons` (personnes distinctes), `priority_area_share` : part de ces '
            "personnes qui vivent en quartier prioritaire (QPV), parmi celles dont on sait si c'est le cas."
        ),
        "en": (
            "Referrals of the range by the referred person's area of residence (`Unknown` when missing): "
            '`referrals`, `persons` (distinct persons), `priority_area_share`: share of them living in a '
            'priority neighbourhood (QPV), among those for whom this is known.'
        ),
    },
)

FIGURES = (REFERRALS_BY_SOURCE, REFERRALS_BY_TERRITORY)
