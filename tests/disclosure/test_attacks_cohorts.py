"""Attacks with cohorts on the M network: differencing a cohort against its neighbours, and the extract.

A researcher chooses both cohorts of a difference. The gate hides a cohort
that differs from the same cohort with one criterion lifted by 1 to k - 1
persons; here every such pair the network offers (each structure, each
criterion value, the anchors of one year) is tried, and whenever both
cohorts publish their size, the difference of their true sizes is at least
k, so no figure describes fewer than k persons by difference.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import date

import pytest

from dashboard.cohorts import Cohort, cohort_size
from dashboard.cohorts.definition import SESSION_STEPS
from dashboard.disclosure import figures, thresholds
from dashboard.filters import Filters
from models.reference import codes

pytestmark = pytest.mark.slow

YEAR = {"start": date(2025, 1, 1), "end": date(2025, 12, 31)}
_DEFAULTS = {f.name: f.default for f in fields(Cohort)}


def _candidates(structures: list[str]) -> list[Cohort]:
    found = []
    for structure in structures:
        base = Cohort(anchor="referral", structure=structure, **YEAR)
        found.append(base)
        for sex in codes("SEXE"):
            found.append(base.with_(sex=sex))
            for source in ("SPIP", "SIAO", "CCAS", "SANTE"):
                found.append(base.with_(sex=sex, source=source))
        for band in ("MOINS_26", "60_PLUS", "INCONNU"):
            found.append(base.with_(age_band=band, decision="ACCEPTEE"))
        for pillar in ("LOGEMENT", "SANTE"):
            found.append(base.with_(need_pillar=pillar, sex="F"))
        workshop = Cohort(anchor="workshop", structure=structure, **YEAR)
        found += [workshop.with_(min_sessions=n) for n in SESSION_STEPS]
    return found


def _size(data, cohort: Cohort) -> int | None:  # type: ignore[no-untyped-def]
    shown = figures("cohort-outcomes", data, Filters(), published=False, cohort=cohort)
    return None if shown.too_small else shown.table["persons"][0]


def test_no_two_published_cohorts_differ_by_fewer_than_k(m_data) -> None:  # type: ignore[no-untyped-def]
    k = thresholds(False)[0]
    structures = m_data.structures["structure_id"].to_list()[:3]
    tried = published_pairs = 0
    for cohort in _candidates(structures):
        if _size(m_data, cohort) is None:
            continue
        wider_ones = [cohort.with_(**{name: _DEFAULTS[name]}) for name in cohort.criteria()]
        if cohort.min_sessions > 1:
            wider_ones.append(cohort.with_(min_sessions=SESSION_STEPS[SESSION_STEPS.index(cohort.min_sessions) - 1]))
        for wider in wider_ones:
            tried += 1
            if _size(m_data, wider) is None:
                continue
            published_pairs += 1
            gap = cohort_size(m_data, wider) - cohort_size(m_data, cohort)
            assert gap == 0 or gap >= k, (cohort, wider, gap)
    assert published_pairs > 20 and tried > published_pairs  # the attack had material, and the gate hid some


def test_a_cohort_of_fewer_than_k_shows_nothing_anywhere(m_data) -> None:  # type: ignore[no-untyped-def]
    k = thresholds(False)[0]
    small = next(c for c in _candidates(m_data.structures["structure_id"].to_list())
                 if 0 < cohort_size(m_data, c) < k)
    for metric in ("cohort-outcomes", "cohort-needs", "exits", "needs-over-time", "time-to-exit"):
        options = {"by": "cohort"} if metric == "time-to-exit" else {}
        shown = figures(metric, m_data, Filters(), published=False, cohort=small, **options)
        assert shown.too_small and shown.table.is_empty(), metric
