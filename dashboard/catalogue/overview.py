"""Overview (Vue d'ensemble): key figures for a range and the range before it."""

from dashboard.catalogue.base import Column, Figure
from dashboard.metrics.overview import overview

RATES = frozenset({"housing_positive_rate", "dynamic_exit_rate", "attendance_rate"})
"""The key figures that are rates (in whole percent, their change in points); the others are counts."""

OVERVIEW = Figure(
    name="overview",
    compute=overview,
    # Each row is a count or a rate (``RATES``): ``value`` and ``previous`` for the range and the one before,
    # ``change`` between them, ``n`` the (perturbed) denominator beside a rate.
    columns=(Column("figure", "figure"), Column("value", "value"), Column("previous", "value"), Column("change", "change"),
             Column("n", "n")),
    title={"fr": "Vue d'ensemble", "en": 'Overview'},
    definition={
        "fr": (
            'Chiffres clés de la plage choisie (par défaut les 12 derniers mois complets), avec la même figure '
            "pour la plage de même longueur juste avant (`previous`) et l'écart (`change` = `value` − `previous` "
            '; pour un taux, un écart en points). `persons_accompanied` : personnes dont un accompagnement '
            'chevauche la plage ; `new_persons` : personnes dont le premier contact (orientation ou '
            'accompagnement) tombe dans la plage ; `referrals` ; `exits`, `housing_positive_rate` et '
            '`dynamic_exit_rate` comme dans *Sorties* ; `workshop_participants` : personnes présentes au moins '
            "une fois à une séance ; `attendance_rate` : présences / personnes attendues. `n` : à côté d'un taux "
            'affiché, son dénominateur, perturbé comme tout effectif.'
        ),
        "en": (
            'Key figures of the chosen range (by default the last 12 whole months), with the same figure for the '
            'range of equal length just before (`previous`) and the change (`change` = `value` − `previous`; for '
            'a rate, a difference in points). `persons_accompanied`: persons with a support period overlapping '
            'the range; `new_persons`: persons whose first contact (referral or support period) falls in the '
            'range; `referrals`; `exits`, `housing_positive_rate` and `dynamic_exit_rate` as in *Exits*; '
            '`workshop_participants`: persons present at least once at a session; `attendance_rate`: presences / '
            'persons expected. `n`: beside a rate shown, its denominator, perturbed like every count.'
        ),
    },
    rates=RATES,
)

FIGURES = (OVERVIEW,)
