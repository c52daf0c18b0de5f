"""Cohorts against hand-computed membership and figures on a small fixture.

The fixture (structure S1; the last day of data is P5's exit, 2024-06-30):

| person | sex, born | referrals (date, source, decision)                       | support periods                         |
|--------|-----------|----------------------------------------------------------|-----------------------------------------|
| P1     | F 2000    | 2022-12-20 SPIP; 2023-02-10 SPIP ACCEPTEE; 2023-05-05 SPIP | HI 2023-03-01 → 2023-09-15 housed, work |
| P2     | F 1995    | 2023-01-01 SPIP (first day of the range)                 | AJ 2023-02-01, still open               |
| P3     | M 2001    | 2023-12-31 SANTE (last day of the range)                 |                                         |
| P4     | F 2002    | 2024-01-01 SPIP (the day after the range)                |                                         |
| P5     | F 2003    | 2023-06-30 SPIP REFUSEE                                  | HI 2023-08-01 → 2024-06-30 TIERS        |
| P6     | F, unknown| 2023-03-15 AS_SECTEUR                                    | AJ 2022-11-01 → 2023-04-01 death        |
"""

import json
from datetime import date
from pathlib import Path

import pytest

from dashboard.cohorts import Cohort, CohortError, cohort_data, cohort_gate, members
from dashboard.compare import compare, newcombe
from dashboard.disclosure import figures
from dashboard.filters import Filters
from dashboard.metrics.cohorts import cohort_needs, cohort_outcomes
from tests.metrics.fixtures import make_data, rows

HI, AJ = "HEBERGEMENT_INSERTION", "ACCUEIL_JOUR"
YEAR = {"start": date(2023, 1, 1), "end": date(2023, 12, 31)}
SPIP_2023 = Cohort(name="SPIP 2023", anchor="referral", source="SPIP", **YEAR)

FIXTURE = {
    "persons": [
        {"person_id": "P1", "sex": "F", "birth_year": 2000}, {"person_id": "P2", "sex": "F", "birth_year": 1995},
        {"person_id": "P3", "sex": "M", "birth_year": 2001}, {"person_id": "P4", "sex": "F", "birth_year": 2002},
        {"person_id": "P5", "sex": "F", "birth_year": 2003}, {"person_id": "P6", "sex": "F"},
    ],
    "referrals": [
        {"person_id": "P1", "referral_date": "2022-12-20", "source": "SPIP"},
        {"person_id": "P1", "referral_date": "2023-02-10", "source": "SPIP", "decision": "ACCEPTEE"},
        {"person_id": "P1", "referral_date": "2023-05-05", "source": "SPIP"},
        {"person_id": "P2", "referral_date": "2023-01-01", "source": "SPIP"},
        {"person_id": "P3", "referral_date": "2023-12-31", "source": "SANTE"},
        {"person_id": "P4", "referral_date": "2024-01-01", "source": "SPIP"},
        {"person_id": "P5", "referral_date": "2023-06-30", "source": "SPIP", "decision": "REFUSEE"},
        {"person_id": "P6", "referral_date": "2023-03-15", "source": "AS_SECTEUR"},
    ],
    "support_periods": [
        {"person_id": "P1", "program": HI, "entry_date": "2023-03-01", "exit_date": "2023-09-15",
         "exit_reason": "OBJECTIF_ATTEINT", "exit_housing": "LOGEMENT_AUTONOME", "exit_employment": "EMPLOI_DURABLE"},
        {"person_id": "P2", "program": AJ, "entry_date": "2023-02-01"},
        {"person_id": "P5", "program": HI, "entry_date": "2023-08-01", "exit_date": "2024-06-30",
         "exit_reason": "AUTRE", "exit_housing": "TIERS", "exit_employment": "INACTIF"},
        {"person_id": "P6", "program": AJ, "entry_date": "2022-11-01", "exit_date": "2023-04-01", "exit_reason": "DECES"},
    ],
    "assessments": [
        # P1 (anchor 2023-02-10): LOGEMENT 1 then 3 within the baseline window: the latest (3) counts, not in need.
        {"person_id": "P1", "assessment_date": "2023-01-15", "domain": "LOGEMENT", "level": 1},
        {"person_id": "P1", "assessment_date": "2023-02-20", "domain": "LOGEMENT", "level": 3},
        {"person_id": "P1", "assessment_date": "2023-02-01", "domain": "ESTIME_DE_SOI", "level": 2},
        {"person_id": "P1", "assessment_date": "2023-09-01", "domain": "ESTIME_DE_SOI", "level": 4},
        # P2 (anchor 2023-01-01): LOGEMENT 2 nineteen days after; ESTIME before the window (2022-07-05 on).
        {"person_id": "P2", "assessment_date": "2023-01-20", "domain": "LOGEMENT", "level": 2},
        {"person_id": "P2", "assessment_date": "2022-06-01", "domain": "ESTIME_DE_SOI", "level": 3},
        # P5 (anchor 2023-06-30): ESTIME 1 at entry and 1 again seven months later (no change).
        {"person_id": "P5", "assessment_date": "2023-07-10", "domain": "ESTIME_DE_SOI", "level": 1},
        {"person_id": "P5", "assessment_date": "2024-01-15", "domain": "ESTIME_DE_SOI", "level": 1},
    ],
    "workshops": [
        {"workshop_id": "W1", "name": "Informatique", "category": "NUMERIQUE"},
        {"workshop_id": "W2", "name": "Théâtre", "category": "EXPRESSION"},
    ],
    "sessions": [
        {"session_id": "SE1", "workshop_id": "W1", "session_date": "2023-04-10"},
        {"session_id": "SE2", "workshop_id": "W1", "session_date": "2023-04-17"},
        {"session_id": "SE3", "workshop_id": "W2", "session_date": "2023-05-02"},
    ],
    "attendances": [
        {"session_id": "SE1", "person_id": "P1", "presence": "PRESENT"},
        {"session_id": "SE2", "person_id": "P1", "presence": "PRESENT"},
        {"session_id": "SE1", "person_id": "P2", "presence": "ABSENT"},
        {"session_id": "SE3", "person_id": "P2", "presence": "PRESENT"},
        {"session_id": "SE3", "person_id": "P3", "presence": "PRESENT"},
    ],
}


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return make_data(Path(tmp_path_factory.mktemp("cohorts")), **FIXTURE)


def who(data, cohort: Cohort) -> dict[str, date]:
    ids = dict(zip(data.persons["pid"].to_list(), data.persons["person_id"].to_list(), strict=True))
    found = members(data, cohort)
    return {ids[p]: d for p, d in zip(found["pid"].to_list(), found["anchor_date"].to_list(), strict=True)}


def test_referral_anchor_takes_the_earliest_matching_referral_in_the_range(data):
    # P1's 2022 referral is before the range, so the anchor is 2023-02-10 (not 2023-05-05); P4 is the day after.
    assert who(data, SPIP_2023) == {"P1": date(2023, 2, 10), "P2": date(2023, 1, 1), "P5": date(2023, 6, 30)}
    assert who(data, Cohort(anchor="referral", **YEAR)) == {
        "P1": date(2023, 2, 10), "P2": date(2023, 1, 1), "P3": date(2023, 12, 31), "P5": date(2023, 6, 30),
        "P6": date(2023, 3, 15)}
    assert who(data, SPIP_2023.with_(decision="ACCEPTEE")) == {"P1": date(2023, 2, 10)}
    assert who(data, SPIP_2023.with_(decision="REFUSEE")) == {"P5": date(2023, 6, 30)}


def test_person_criteria_read_at_the_anchor(data):
    # Age at the anchor: P1 2023 - 2000 = 23, P5 20 (under 26); P2 28; P6's age is unknown.
    assert set(who(data, SPIP_2023.with_(sex="F", age_band="MOINS_26"))) == {"P1", "P5"}
    assert set(who(data, Cohort(anchor="referral", age_band="INCONNU", **YEAR))) == {"P6"}
    assert set(who(data, Cohort(anchor="referral", sex="M", **YEAR))) == {"P3"}
    assert who(data, SPIP_2023.with_(structure="S2")) == {}


def test_entry_and_workshop_anchors(data):
    assert who(data, Cohort(anchor="entry", program=HI, **YEAR)) == {"P1": date(2023, 3, 1), "P5": date(2023, 8, 1)}
    # P6 entered in 2022: outside the range.
    assert set(who(data, Cohort(anchor="entry", **YEAR))) == {"P1", "P2", "P5"}
    # P2's first *present* attendance is SE3 (absent at SE1).
    assert who(data, Cohort(anchor="workshop", **YEAR)) == {
        "P1": date(2023, 4, 10), "P2": date(2023, 5, 2), "P3": date(2023, 5, 2)}
    assert who(data, Cohort(anchor="workshop", min_sessions=3, **YEAR)) == {}
    # P1 attended twice: at least 2 (not an allowed step on screen, but the rule itself) keeps P1 alone.
    assert who(data, Cohort(anchor="workshop", min_sessions=2, **YEAR)) == {"P1": date(2023, 4, 10)}
    assert who(data, Cohort(anchor="workshop", category="EXPRESSION", **YEAR)) == {
        "P2": date(2023, 5, 2), "P3": date(2023, 5, 2)}


def test_needs_at_entry_use_the_latest_level_in_the_baseline_window(data):
    assert set(who(data, SPIP_2023.with_(need_pillar="LOGEMENT"))) == {"P2"}  # P1's latest LOGEMENT is 3
    assert set(who(data, SPIP_2023.with_(need_kind="STRATEGIQUE"))) == {"P1", "P5"}  # P2's is before the window
    assert set(who(data, SPIP_2023.with_(need_domain="ESTIME_DE_SOI"))) == {"P1", "P5"}


def test_cohort_outcomes_by_hand(data):
    # Every member is followed 12 months (P5: 2023-06-30 + 12 months = 2024-06-30, the last day of data).
    table = cohort_outcomes(data, Filters(), cohort=SPIP_2023)
    assert rows(table, 2) == [
        ("members", 3, 3, 1.0),
        ("practical_need_at_entry", 2, 1, 0.5),    # P1 and P2 assessed in LOGEMENT; P2 in need
        ("strategic_need_at_entry", 2, 2, 1.0),    # P1 (ESTIME 2) and P5 (ESTIME 1)
        ("strategic_improved", 2, 1, 0.5),         # P1: 4 - 2 = +2; P5: 1 - 1 = 0
        ("improved_logement", 0, 0, None),         # no LOGEMENT assessment after the baseline
        ("improved_emploi", 0, 0, None),
        ("improved_sante", 0, 0, None),
        ("improved_liens", 2, 1, 0.5),             # ESTIME_DE_SOI is in the bonds pillar: as above
        ("workshop", 3, 2, 0.67),                  # P1 (SE1), P2 (SE3)
        ("exited", 3, 2, 0.67),                    # P1 2023-09-15, P5 2024-06-30 (the horizon's last day)
        ("housing_positive", 3, 1, 0.33),          # P1
        ("dynamic_exit", 3, 1, 0.33),              # P1
    ]
    # A 6-month horizon: P1's exit (7 months after 2023-02-10) and P5's (12 months) no longer count.
    six = dict((r[0], r[1:]) for r in rows(cohort_outcomes(data, Filters(), cohort=SPIP_2023, horizon=6), 2))
    assert six["exited"] == (3, 0, 0.0)
    assert six["workshop"] == (3, 2, 0.67)


def test_only_horizons_in_steps_of_six_months(data):
    with pytest.raises(ValueError):
        cohort_outcomes(data, Filters(), cohort=SPIP_2023, horizon=13)


def test_horizon_counts_only_persons_followed_for_all_of_it(data):
    # With 18 months, only P2 (2023-01-01 + 18 months = 2024-07-01 > 2024-06-30: not followed either) ... none.
    table = dict((r[0], r[1:]) for r in rows(cohort_outcomes(data, Filters(), cohort=SPIP_2023, horizon=18), 2))
    assert table["exited"] == (0, 0, None)
    assert table["members"] == (3, 3, 1.0)  # the size does not depend on the horizon


def test_cohort_needs_by_quarter_since_the_anchor(data):
    table = [r for r in rows(cohort_needs(data, Filters(), cohort=SPIP_2023), 2) if r[2]]
    assert table == [
        (0, "PRATIQUE", 2, 1, 0.5),      # P1 latest LOGEMENT 3 (not in need), P2 LOGEMENT 2
        (0, "STRATEGIQUE", 2, 2, 1.0),   # P1 ESTIME 2, P5 ESTIME 1
        (2, "STRATEGIQUE", 2, 1, 0.5),   # P1 ESTIME 4 (month 7), P5 ESTIME 1 (month 7)
    ]


def test_cohort_data_keeps_rows_from_the_anchor_on(data):
    restricted = cohort_data(data, SPIP_2023)
    assert sorted(restricted.persons["person_id"].to_list()) == ["P1", "P2", "P5"]
    # P1's 2022 referral is before the anchor; the 2023-05-05 one is after it.
    assert sorted(str(d) for d in restricted.referrals["referral_date"].to_list()) == [
        "2023-01-01", "2023-02-10", "2023-05-05", "2023-06-30"]
    # Follow-up runs to the data's last day (P5's exit), not to the cohort's last event (P1's, 2023-09-15).
    assert cohort_data(data, SPIP_2023.with_(decision="ACCEPTEE")).last_day == date(2024, 6, 30)
    # P2's 2022-06-01 assessment is before the baseline window.
    assert "2022-06-01" not in [str(d) for d in restricted.assessments["assessment_date"].to_list()]


def test_gate_hides_small_cohorts_and_neighbours(data, monkeypatch):
    monkeypatch.setenv("PARCOURS_MIN_CELL", "2")
    monkeypatch.setenv("PARCOURS_MIN_CELL_PUBLISHED", "2")
    assert not cohort_gate(data, SPIP_2023, 2)                                      # 3 persons, 5 without SPIP
    assert cohort_gate(data, SPIP_2023.with_(decision="ACCEPTEE"), 2)               # 1 person
    assert cohort_gate(data, SPIP_2023.with_(age_band="MOINS_26"), 2)               # 2 persons, 3 without the age
    # SPIP women are the 3 SPIP persons, but women referred in 2023 are 4: the two differ by P6 alone.
    assert cohort_gate(data, SPIP_2023.with_(sex="F"), 2)
    shown = figures("cohort-outcomes", data, Filters(), published=False, cohort=SPIP_2023)
    assert not shown.too_small and shown.table["persons"].to_list()[0] == 3
    hidden = figures("cohort-outcomes", data, Filters(), published=False, cohort=SPIP_2023.with_(age_band="MOINS_26"))
    assert hidden.too_small and hidden.table.is_empty()
    # Every other figure follows a cohort through the same gate.
    assert figures("exits", data, Filters(), published=False, cohort=SPIP_2023.with_(age_band="MOINS_26")).too_small


def test_sensitive_criteria_use_the_published_threshold():
    assert SPIP_2023.sensitive
    assert Cohort(justice="SORTANT_DETENTION").sensitive
    assert Cohort(need_domain="ADDICTIONS").sensitive
    assert not Cohort(source="CCAS", justice="AUCUNE").sensitive


def test_url_and_json_round_trip():
    cohort = SPIP_2023.with_(sex="F", age_band="MOINS_26", priority_area=False, need_pillar="LOGEMENT")
    query = cohort.to_query("c2_")
    assert query == {"c2_name": "SPIP 2023", "c2_anchor": "referral", "c2_from": "2023-01-01", "c2_to": "2023-12-31",
                     "c2_source": "SPIP", "c2_sex": "F", "c2_age": "MOINS_26", "c2_qpv": "0",
                     "c2_need_pillar": "LOGEMENT"}
    assert Cohort.from_query(query, "c2_") == cohort
    assert Cohort.from_query(query, "c1_") is None
    text = cohort.to_json(2)
    assert json.loads(text)["definitions_version"] == 2
    assert Cohort.from_json(text) == (cohort, 2)


def test_validation_refuses_unknown_codes_and_snaps_to_months():
    with pytest.raises(CohortError) as error:
        Cohort(source="NOPE").validated()
    assert error.value.field == "source"
    with pytest.raises(CohortError):
        Cohort(anchor="entry", source="SPIP").validated()  # a referral criterion on an entry anchor
    with pytest.raises(CohortError):
        Cohort(min_sessions=3).validated()  # only for workshop anchors
    with pytest.raises(CohortError):
        Cohort(anchor="workshop", min_sessions=4).validated()  # 1, 3, 5, 10 or 20 only
    snapped = Cohort(start=date(2023, 1, 15), end=date(2023, 3, 2)).validated()
    assert (snapped.start, snapped.end) == (date(2023, 1, 1), date(2023, 3, 31))
    # A link with a broken date or an unknown anchor still opens (the value is dropped).
    assert Cohort.from_query({"anchor": "referral", "from": "2023-13-45"}) == Cohort(anchor="referral")
    assert Cohort.from_query({"anchor": "nope"}) is None


def test_newcombe_matches_the_published_example():
    # Newcombe (1998), Stat Med 17:873-890, example (56/70 vs 48/80): difference 0.2000, interval 0.0524 to 0.3339.
    low, high = newcombe(56, 70, 48, 80)
    assert (round(low, 4), round(high, 4)) == (0.0524, 0.3339)


def test_comparison_by_hand(data, monkeypatch):
    monkeypatch.setenv("PARCOURS_MIN_CELL", "1")
    monkeypatch.setenv("PARCOURS_MIN_CELL_PUBLISHED", "1")
    everyone = Cohort(name="2023", anchor="referral", **YEAR)
    result = compare(data, [SPIP_2023, everyone], published=True)
    exited = result.outcomes.filter(result.outcomes["indicator"] == "exited")
    # SPIP: 2 of 3 exited; everyone: P1, P5 of P1 P2 P5 P6 (P3's horizon ends after the data; P6's exit is a death).
    assert exited.select("cohort", "persons", "count", "rate").rows() == [(1, 3, 2, 0.67), (2, 4, 2, 0.5)]
    low, high = newcombe(2, 4, 2, 3)
    assert exited["difference"].to_list() == [None, round(2 / 4 - 2 / 3, 2)]
    assert exited["ci_low"].to_list()[1] == round(low, 2) and exited["ci_high"].to_list()[1] == round(high, 2)
