"""Time to exit (Parcours et durées): how long support periods last and how they end, at fixed days."""

from dashboard.catalogue.base import Column, Figure, code, events
from dashboard.metrics.time_to_exit import BANDS, ESTIMATES, time_to_exit


def _probability(name: str) -> Column:
    return Column(name, "probability", of=("at_risk",))


TIME_TO_EXIT = Figure(
    name="time-to-exit",
    compute=time_to_exit,
    columns=(
        code("program", "DISPOSITIF"), Column("cohort", "text"), Column("day", "index"), events("at_risk"),
        *(_probability(name) for name in (*ESTIMATES, *BANDS)), events("_subjects"),
    ),
    title={"fr": "Durée jusqu'à la sortie", "en": "Time to exit"},
    definition={
        "fr": (
            "Par dispositif (`program` : les accompagnements **entrés** dans la période) ou par cohorte (`cohort` : "
            "pour chaque personne, le premier accompagnement entré à partir de sa date d'ancrage), aux jours 30, "
            "90, 180, 365 et 730 après l'entrée (`day`) : `at_risk`, les accompagnements encore en cours et "
            "observés ce jour-là ; `survival`, la probabilité d'être encore accompagné (Kaplan–Meier) ; "
            "`cif_housing_positive`, la probabilité d'être sorti vers un logement autonome ou accompagné, et "
            "`cif_other_exit`, celle d'être sorti autrement (**décès compris**), en risques concurrents "
            "(Aalen–Johansen) : les trois font 1. Un accompagnement encore en cours est **censuré** au dernier jour "
            "des données, même après la fin de la période. Formules de la bibliothèque lifelines, vérifiées "
            "contre elle par les tests. Seuls ces cinq jours sont publiés, jamais les dates des sorties ; "
            "probabilités en pourcentage entier, masquées quand "
            "`at_risk` est masqué ou sous le seuil ; un dispositif ou une cohorte de moins de k accompagnements est "
            "masqué en entier. Sur les pages, intervalles de confiance à 95 % : `survival_low` et `survival_high`, "
            "`cif_housing_positive_low` et `cif_housing_positive_high`, `cif_other_exit_low` et `cif_other_exit_high`."
        ),
        "en": (
            "Per program (`program`: support periods **entered** in the range) or per cohort (`cohort`: for each "
            "person, the first support period entered on or after their anchor date), at days 30, 90, 180, 365 "
            "and 730 after entry (`day`): `at_risk`, the support periods still open and observed on that day; "
            "`survival`, the probability of still being accompanied (Kaplan–Meier); `cif_housing_positive`, the "
            "probability of having left to independent or supported housing, and `cif_other_exit`, of having left "
            "otherwise (**death included**), as competing risks (Aalen–Johansen): the three add up to 1. A support "
            "period still open is **censored** at the last day of data, even after the end of the range. The "
            "lifelines library's formulas, checked against it by the tests. Only these five days are published, "
            "never exit dates; probabilities in "
            "whole percent, hidden where `at_risk` is hidden or under the threshold; a program or cohort of fewer "
            "than k support periods is hidden whole. On the pages, 95 % confidence intervals: `survival_low` and "
            "`survival_high`, `cif_housing_positive_low` and `cif_housing_positive_high`, `cif_other_exit_low` and "
            "`cif_other_exit_high`."
        ),
    },
    groupings=("program", "cohort"),
    whole_row="_subjects",  # a group under k is hidden whole: its curve would tell when its few persons left
)

FIGURES = (TIME_TO_EXIT,)
