"""When a cohort must be hidden whole: too few persons, or too close to a neighbouring cohort.

The page filters' rule (``dashboard.disclosure.close_to_another``) applied
to cohorts: a cohort of 1 to k - 1 persons shows nothing, and neither does
one that differs by 1 to k - 1 persons from the same cohort with one
criterion lifted. Shown side by side, those two would describe the few
persons between them (their exits, their needs), whatever the noise on
each cell, since the attacker chooses both definitions.

The anchor range is not a criterion that can be lifted here: it snaps to
whole months (``Cohort.snapped``), and a month's difference is protected by
the cell-key noise like any two periods of the trend pages.
"""

from dataclasses import fields

from dashboard.cohorts.definition import SESSION_STEPS, Cohort
from dashboard.cohorts.membership import members
from dashboard.data import Data

_DEFAULTS = {f.name: f.default for f in fields(Cohort)}


def cohort_size(data: Data, cohort: Cohort) -> int:
    return members(data, cohort).height


def cohort_gate(data: Data, cohort: Cohort, k: int) -> bool:
    """Whether the cohort must be hidden whole for threshold ``k``."""
    size = cohort_size(data, cohort)
    if 0 < size < k:
        return True
    neighbours = [cohort.with_(**{name: _DEFAULTS[name]}) for name in cohort.criteria()]
    if cohort.min_sessions > 1:  # and the step below: 5 attendances against 3, not only against 1
        neighbours.append(cohort.with_(min_sessions=SESSION_STEPS[SESSION_STEPS.index(cohort.min_sessions) - 1]))
    return any(0 < cohort_size(data, wider) - size < k for wider in neighbours)
