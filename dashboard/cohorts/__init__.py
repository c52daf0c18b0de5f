"""Cohorts: persons chosen by an anchor event and criteria, followed from their anchor on."""

from dashboard.cohorts.definition import ANCHORS, Cohort, CohortError
from dashboard.cohorts.gate import cohort_gate, cohort_size
from dashboard.cohorts.membership import cohort_data, members, months_since_anchor
from dashboard.cohorts.rows import needs_at_entry

__all__ = ["ANCHORS", "Cohort", "CohortError", "cohort_data", "cohort_gate", "cohort_size", "members",
           "months_since_anchor", "needs_at_entry"]
