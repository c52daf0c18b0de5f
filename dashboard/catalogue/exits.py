"""Exits (Sorties): how support periods end, by housing and employment."""

from dashboard.catalogue.base import Figure, code, events, median, period, rate
from dashboard.metrics.exits import exits, exits_by_employment, exits_by_housing

EXITS = Figure(
    name="exits",
    compute=exits,
    by_period="period",
    columns=(
        period(), code("program", "DISPOSITIF"), events("exits"), events("housing_positive"),
        rate("housing_positive_rate", "housing_positive", "_housing_denominator"), events("dynamic_exits"),
        rate("dynamic_exit_rate", "dynamic_exits", "_dynamic_denominator"), median("median_stay_days", "exits"),
        events("_housing_denominator"), events("_dynamic_denominator"),
    ),
    title={"fr": 'Sorties', "en": 'Exits'},
    definition={
        "fr": (
            'Par période de la **date de sortie** et par dispositif (et `TOTAL`) : `exits` : accompagnements '
            'terminés, décès exclus ; `housing_positive` : sortie vers un logement autonome ou accompagné ; '
            '`housing_positive_rate` = positives / (sorties − « non concerné ») : **une destination inconnue ou '
            "non renseignée reste au dénominateur**, elle n'est pas un succès ; `dynamic_exits` (« sorties "
            'dynamiques » : emploi durable, emploi de transition, sortie positive) et `dynamic_exit_rate` de '
            'même ; `median_stay_days` : durée médiane des accompagnements sortis, en jours.'
        ),
        "en": (
            'Per period of the **exit date** and per program (and `TOTAL`): `exits`: support periods that ended, '
            'deaths left out; `housing_positive`: exit to independent or supported housing; '
            '`housing_positive_rate` = positive / (exits − "not applicable"): **an unknown or missing '
            'destination stays in the denominator**, it is not a success; `dynamic_exits` (lasting or '
            'transitional employment, positive exit to training or work integration) and `dynamic_exit_rate` '
            'likewise; `median_stay_days`: median length of the ended support periods, in days.'
        ),
    },
)
EXITS_BY_HOUSING = Figure(
    name="exits-by-housing", compute=exits_by_housing, by_period="period",
    columns=(period(), code("destination", "LOGEMENT_SORTIE"), events("exits")),
    title={"fr": 'Sorties par logement', "en": 'Exits by housing'},
    definition={
        "fr": (
            '`exits` : sorties (décès exclus) par période de la date de sortie et par situation de logement à la '
            'sortie (`destination`, `INCONNU` si elle manque).'
        ),
        "en": (
            '`exits`: exits (deaths left out) per period of the exit date and by housing situation at exit '
            '(`destination`, `INCONNU` when missing).'
        ),
    },
)
EXITS_BY_EMPLOYMENT = Figure(
    name="exits-by-employment", compute=exits_by_employment, by_period="period",
    columns=(period(), code("situation", "EMPLOI_SORTIE"), events("exits")),
    title={"fr": 'Sorties par emploi', "en": 'Exits by employment'},
    definition={
        "fr": (
            "`exits` : sorties (décès exclus) par période de la date de sortie et par situation d'emploi à la "
            'sortie (`situation`, `INCONNU` si elle manque).'
        ),
        "en": (
            '`exits`: exits (deaths left out) per period of the exit date and by employment situation at exit '
            '(`situation`, `INCONNU` when missing).'
        ),
    },
)

FIGURES = (EXITS, EXITS_BY_HOUSING, EXITS_BY_EMPLOYMENT)
