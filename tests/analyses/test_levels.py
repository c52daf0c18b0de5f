"""Levels at entry and near each horizon, read from the assessments layout: checked by hand on a small fixture.

Person P1 enters on 2024-01-10. LOGEMENT: assessed 2023-12-01 (40 days before: outside the entry window),
2024-01-20 (level 2: the earliest inside [-30, +60] days), 2024-03-01 (level 3, also inside but later), then
2024-07-01 (level 4: 174 days after entry + 6 months = 2024-07-10, 9 days away), 2024-08-25 (level 5, 46 days
away: farther), 2025-01-10 (level 5: exactly entry + 12 months). EMPLOI_FORMATION: 2024-02-01 (level 1) and
two assessments equally close to 2025-01-10, on 2024-12-31 (level 2) and 2025-01-20 (level 3): the earlier
wins. P2 enters on 2024-05-01 and is assessed only long before (no level at entry) and once at 6 months.
P3 is assessed but never enters (no support period): absent.
"""

import numpy as np
import polars as pl
import pytest

from dashboard.analyses.levels import by_person, domain_levels
from dashboard.analyses.outcomes import outcomes
from dashboard.analyses.population import entries, entry_levels
from tests.metrics.fixtures import make_data

READINGS = {"LOGEMENT": ("PRATIQUE", "LOGEMENT"), "EMPLOI_FORMATION": ("STRATEGIQUE", "EMPLOI")}


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    assessed = [
        ("P1", "2023-12-01", "LOGEMENT", 1), ("P1", "2024-01-20", "LOGEMENT", 2), ("P1", "2024-03-01", "LOGEMENT", 3),
        ("P1", "2024-07-01", "LOGEMENT", 4), ("P1", "2024-08-25", "LOGEMENT", 5), ("P1", "2025-01-10", "LOGEMENT", 5),
        ("P1", "2024-02-01", "EMPLOI_FORMATION", 1), ("P1", "2024-12-31", "EMPLOI_FORMATION", 2),
        ("P1", "2025-01-20", "EMPLOI_FORMATION", 3),
        ("P2", "2023-01-01", "LOGEMENT", 1), ("P2", "2024-11-03", "LOGEMENT", 4),
        ("P3", "2024-05-01", "LOGEMENT", 2),
    ]
    return make_data(
        tmp_path_factory.mktemp("levels"),
        support_periods=[
            {"person_id": "P1", "program": "HEBERGEMENT", "entry_date": "2024-01-10"},
            {"person_id": "P2", "program": "HEBERGEMENT", "entry_date": "2024-05-01"},
        ],
        assessments=[{"person_id": p, "assessment_date": d, "domain": dom, "level": lv} for p, d, dom, lv in assessed],
        domain_readings=READINGS,
    )


def _by_person_id(data, frame: pl.DataFrame) -> dict[tuple[str, str], tuple]:
    ids = data.persons.select("pid", "person_id")
    joined = frame.join(ids, on="pid").sort("person_id", "domain")
    return {(r["person_id"], r["domain"]): tuple(v for k, v in r.items() if k not in {"pid", "person_id", "domain"})
            for r in joined.iter_rows(named=True)}


def test_levels_at_entry_and_at_each_horizon(data):
    people = entries(data)
    got = _by_person_id(data, domain_levels(data, people, (6, 12)))
    assert got == {
        ("P1", "EMPLOI_FORMATION"): (1, None, 2),  # 6 months: nothing within 60 days; 12: the earlier of two ties
        ("P1", "LOGEMENT"): (2, 4, 5),
        ("P2", "LOGEMENT"): (None, 4, None),  # 2024-11-03 is 2 days from entry + 6 months
    }
    assert _by_person_id(data, entry_levels(data, people)) == {("P1", "EMPLOI_FORMATION"): (1,), ("P1", "LOGEMENT"): (2,)}


def test_by_person_lays_levels_out_in_the_people_order(data):
    people = entries(data).sort("pid", descending=True)
    levels = domain_levels(data, people, (6,))
    matrix = by_person(levels, people, "later_6", ["EMPLOI_FORMATION", "LOGEMENT", "SANS_EVALUATION"])
    ids = people.join(data.persons.select("pid", "person_id"), on="pid", maintain_order="left")["person_id"].to_list()
    expected = {"P1": [np.nan, 4.0, np.nan], "P2": [np.nan, 4.0, np.nan]}
    np.testing.assert_array_equal(matrix, np.array([expected[i] for i in ids]))


def test_distances_are_the_mean_change_over_the_domains_with_both_levels(data):
    people = entries(data)
    table = outcomes(data, people, (6, 12)).join(data.persons.select("pid", "person_id"), on="pid").sort("person_id")
    p1, p2 = table.row(0, named=True), table.row(1, named=True)
    # P1 at 12 months: LOGEMENT 5 - 2 = +3 (practical, pillar LOGEMENT), EMPLOI_FORMATION 2 - 1 = +1 (strategic).
    assert (p1["distance_strategic_12m"], p1["distance_logement_12m"], p1["distance_emploi_12m"]) == (1.0, 3.0, 1.0)
    # At 6 months EMPLOI_FORMATION has no level: no strategic distance; LOGEMENT 4 - 2.
    assert (p1["distance_strategic_6m"], p1["distance_logement_6m"]) == (None, 2.0)
    # P2 has no level at entry: no distance at all.
    assert all(p2[c] is None for c in table.columns if c.startswith("distance_"))
