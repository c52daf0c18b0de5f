"""The stability rule: whether a change is beyond what chance and perturbation explain.

- a count (value v, previous p): |v − p| ≤ 2·√(2·V + v + p), where v + p is
  the Poisson variance of the difference and V the variance of the
  perturbation of one count (the p-table's ``PARCOURS_CKM_VARIANCE``; 0 in
  exact mode);
- a rate (p1 over n1, p0 over n0, both published): |p1 − p0| ≤
  2·√(p1(1−p1)/n1 + p0(1−p0)/n0) (binomial standard error), and a change of
  one point or less is always stable (rates are rounded to whole percent).

Otherwise the figure went up or down. The rule is printed in the report.
"""

from __future__ import annotations

import math

from dashboard.disclosure import disclosure_mode
from dashboard.perturbation import ptable
from dashboard.report.model import Verdict


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
