"""Disclosure control: each rule on a small table whose outcome is worked out by hand."""

from pathlib import Path

import polars as pl
import pytest

from dashboard.disclosure import Protected, ThresholdError, figures, protect, thresholds
from dashboard.filters import Filters
from tests.metrics.fixtures import make_data


def cells(result: Protected, column: str) -> list:
    return result.table[column].to_list()


def flags(result: Protected, column: str) -> list[bool]:
    return result.suppressed[column].to_list()


def needs(rows: list[tuple[str, str, int, int, float | None, float | None]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema={"period": pl.String, "domain": pl.String, "persons_assessed": pl.Int64,
                                      "persons_in_need": pl.Int64, "share_in_need": pl.Float64, "mean_level": pl.Float64},
                        orient="row")


def by_source(rows: list[tuple[str, str, int]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema={"period": pl.String, "source": pl.String, "referrals": pl.Int64}, orient="row")


# --- thresholds -------------------------------------------------------------

def test_thresholds_defaults_and_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PARCOURS_MIN_CELL", raising=False)
    monkeypatch.delenv("PARCOURS_MIN_CELL_PUBLISHED", raising=False)
    assert thresholds(False) == (5, 11)
    assert thresholds(True) == (11, 11)
    monkeypatch.setenv("PARCOURS_MIN_CELL", "3")
    monkeypatch.setenv("PARCOURS_MIN_CELL_PUBLISHED", "8")
    assert thresholds(False) == (3, 8)
    assert thresholds(True) == (8, 8)
    monkeypatch.setenv("PARCOURS_MIN_CELL", "20")  # never publish below the screen threshold
    assert thresholds(True) == (20, 20)


def test_threshold_setting_that_is_not_a_number(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARCOURS_MIN_CELL", "cinq")
    monkeypatch.delenv("PARCOURS_LANG", raising=False)
    with pytest.raises(ThresholdError, match=r"PARCOURS_MIN_CELL doit être un nombre entier.*'cinq'"):
        thresholds(False)
    monkeypatch.setenv("PARCOURS_LANG", "en")
    monkeypatch.setenv("PARCOURS_MIN_CELL", "0")
    with pytest.raises(ThresholdError, match=r"PARCOURS_MIN_CELL must be a whole number.*'0'"):
        thresholds(False)


# --- primary and derived ----------------------------------------------------

def test_primary_four_hidden_five_shown() -> None:
    table = needs([
        ("2024-01", "LOGEMENT", 4, 0, 0.0, 3.5),
        ("2024-01", "MOBILITE", 5, 0, 0.0, 4.0),
        ("2024-01", "NUMERIQUE", 0, 0, None, None),
    ])
    result = protect("needs-over-time", table, k=5, k_sensitive=11)
    assert cells(result, "persons_assessed") == [None, 5, 0]
    assert flags(result, "persons_assessed") == [True, False, False]
    # the share and mean of 4 persons go with them; a true blank (no one assessed) is not a suppression
    assert cells(result, "share_in_need") == [None, 0.0, None]
    assert flags(result, "share_in_need") == [True, False, False]
    assert flags(result, "mean_level") == [True, False, False]
    assert result.notes == ("PRIMARY",) and result.k == 5 and not result.too_small


def test_rates_follow_their_numerator_and_denominator() -> None:
    table = needs([
        ("2024-01", "LOGEMENT", 20, 3, 0.15, 2.9),  # 3 in need: the share would give them away
        ("2024-01", "MOBILITE", 30, 12, 0.4, 3.1),
    ])
    result = protect("needs-over-time", table, k=5, k_sensitive=11)
    assert cells(result, "persons_in_need") == [None, 12]
    assert cells(result, "share_in_need") == [None, 0.4]
    assert cells(result, "mean_level") == [2.9, 3.1]  # its n is the 20 assessed


def test_rate_with_small_helper_denominator() -> None:
    # 12 exits, of which only 4 concerned by housing: 0 housed of 4 is a rate on 4 persons
    table = pl.DataFrame({
        "period": ["2024"], "program": ["TOTAL"], "exits": [12], "housing_positive": [0], "housing_positive_rate": [0.0],
        "dynamic_exits": [6], "dynamic_exit_rate": [0.5], "median_stay_days": [90.0],
        "_housing_denominator": [4], "_dynamic_denominator": [12],
    })
    result = protect("exits", table, k=5, k_sensitive=11)
    assert result.table.columns == ["period", "program", "exits", "housing_positive", "housing_positive_rate",
                                    "dynamic_exits", "dynamic_exit_rate", "median_stay_days"]
    assert result.table.row(0) == ("2024", "TOTAL", 12, 0, None, 6, 0.5, 90.0)


def test_median_follows_its_helper_count() -> None:
    table = pl.DataFrame({
        "period": ["2024-01"], "source": ["CCAS"], "referrals": [9], "accepted": [6], "refused": [0],
        "acceptance_rate": [1.0], "median_days_to_decision": [12.0], "_decided": [3], "_decisions": [6],
    })
    result = protect("referrals-by-source", table, k=5, k_sensitive=11)
    assert result.table.row(0) == ("2024-01", "CCAS", 9, 6, 0, 1.0, None)


def test_acceptance_rate_hidden_with_a_hidden_refused_count() -> None:
    """58 accepted and 8 refused: 58 / 66 = 0.8788 would give back the hidden 8 (k = 11)."""
    table = pl.DataFrame({
        "period": ["2024"], "source": ["ASSOCIATION"], "referrals": [68], "accepted": [58], "refused": [8],
        "acceptance_rate": [58 / 66], "median_days_to_decision": [10.0], "_decided": [66], "_decisions": [66],
    })
    result = protect("referrals-by-source", table, k=11, k_sensitive=11)
    assert result.table.row(0) == ("2024", "ASSOCIATION", 68, 58, None, None, 10.0)


# --- secondary --------------------------------------------------------------

def test_secondary_suppresses_exactly_the_smallest_other_cell() -> None:
    table = by_source([
        ("2024-01", "AS_SECTEUR", 3),
        ("2024-01", "CCAS", 8),
        ("2024-01", "FRANCE_TRAVAIL", 6),
        ("2024-01", "SIAO", 20),
        ("2024-01", "TOTAL", 37),
    ])
    result = protect("referrals-by-source", table, k=5, k_sensitive=11)
    # 37 - 8 - 20 = 9 = AS + FT: neither can be told
    assert cells(result, "referrals") == [None, 8, None, 20, 37]
    assert result.notes == ("PRIMARY", "SECONDARY")
    # Only AS_SECTEUR (3) is small itself and reads "< k"; FRANCE_TRAVAIL (6) is hidden alongside.
    assert result.primary is not None and result.primary["referrals"].to_list() == [True, False, False, False, False]
    assert flags(result, "referrals") == [True, False, True, False, False]


def test_secondary_both_directions_until_stable() -> None:
    table = by_source([
        ("2024-01", "A", 3), ("2024-01", "B", 6), ("2024-01", "C", 10), ("2024-01", "TOTAL", 19),
        ("2024-02", "A", 60), ("2024-02", "B", 2), ("2024-02", "C", 50), ("2024-02", "TOTAL", 112),
        ("2024-03", "A", 30), ("2024-03", "B", 20), ("2024-03", "C", 25), ("2024-03", "TOTAL", 75),
    ])
    result = protect("referrals-by-source", table, k=5, k_sensitive=11)
    # pass 1, by period: B-01 (6) beside A-01; C-02 (50, smaller than 60) beside B-02.
    # pass 1, by source: A has only A-01 -> A-03 (30 < 60); C has only C-02 -> C-01 (10 < 25).
    # pass 2, by period: 2024-03 now has only A-03 -> B-03 (20). Then stable.
    assert cells(result, "referrals") == [None, None, None, 19, 60, None, None, 112, None, None, 25, 75]


def test_secondary_within_a_row() -> None:
    table = pl.DataFrame({"domain": ["LOGEMENT"], "persons": [33], "improved": [3], "stable": [10], "worsened": [20],
                          "share_improved": [3 / 33], "mean_change": [0.2]})
    result = protect("distance-travelled", table, k=5, k_sensitive=11)
    assert result.table.row(0) == ("LOGEMENT", 33, None, None, 20, None, 0.2)


# --- sensitive ---------------------------------------------------------------

def test_sensitive_source_uses_published_threshold_on_screen() -> None:
    table = by_source([
        ("2024-01", "AS_SECTEUR", 30), ("2024-01", "CCAS", 12), ("2024-01", "SPIP", 7), ("2024-01", "SANTE", 11),
        ("2024-01", "TOTAL", 60),
    ])
    result = protect("referrals-by-source", table, k=5, k_sensitive=11)
    # SPIP 7 < 11 hidden; then the smallest other cell (SANTE 11, below CCAS 12) goes with it
    assert cells(result, "referrals") == [30, 12, None, None, 60]
    assert result.notes == ("PRIMARY", "SENSITIVE", "SECONDARY")
    # The table reads SPIP as "< 11" (each row's threshold is handed over); SANTE, 11 itself, as "masqué".
    assert result.row_k == (5, 5, 11, 11, 5)
    assert result.primary is not None and result.primary["referrals"].to_list() == [False, False, True, False, False]


def test_sensitive_domain() -> None:
    table = needs([("2024-01", "JUSTICE", 7, 5, 5 / 7, 2.0), ("2024-01", "LOGEMENT", 7, 5, 5 / 7, 2.0)])
    result = protect("needs-over-time", table, k=5, k_sensitive=11)
    assert cells(result, "persons_assessed") == [None, 7]
    assert cells(result, "share_in_need") == [None, 5 / 7]


def test_everything_sensitive_when_asked() -> None:
    table = needs([("2024-01", "LOGEMENT", 7, 5, 5 / 7, 2.0)])
    result = protect("needs-over-time", table, k=5, k_sensitive=11, sensitive_all=True)
    assert cells(result, "persons_assessed") == [None] and result.k == 11


# --- other tables --------------------------------------------------------------

def test_overview_counts_and_rates() -> None:
    table = pl.DataFrame({
        "figure": ["referrals", "housing_positive_rate"], "value": [3.0, 0.5], "previous": [12.0, 0.4], "change": [-9.0, 0.1],
        "_value_n": [3, 4], "_previous_n": [12, 10], "_value_num": [3, 2], "_previous_num": [12, 4],
    })
    result = protect("overview", table, k=5, k_sensitive=11)
    assert result.table.columns == ["figure", "value", "previous", "change"]
    assert result.table.rows() == [("referrals", None, 12.0, None), ("housing_positive_rate", None, None, None)]


def test_unknown_metric_is_read_cautiously() -> None:
    table = pl.DataFrame({"group": ["a", "b"], "persons": [3, 40], "share": [0.5, 0.25]})
    result = protect("something-new", table, k=5, k_sensitive=11)
    assert result.table.rows() == [("a", None, None), ("b", 40, 0.25)]


def test_workshop_attendance_keeps_sessions() -> None:
    table = pl.DataFrame({
        "period": ["2024-01"], "structure_id": ["S1"], "atelier_id": ["W1"], "workshop": ["Couture"], "category": ["EXPRESSION"],
        "sessions": [2], "persons": [3], "presences": [4], "attendance_rate": [4 / 6], "mean_persons_per_session": [2.0],
        "_expected": [6],
    })
    result = protect("workshop-attendance", table, k=5, k_sensitive=11)
    assert result.table.row(0) == ("2024-01", "S1", "W1", "Couture", "EXPRESSION", 2, None, None, None, None)


# --- through figures(): small selection and differencing -------------------------

def _referred(tmp_path: Path, women: int, men: int) -> Filters:
    people = [{"person_id": f"F{i}", "sex": "F"} for i in range(women)] + [{"person_id": f"M{i}", "sex": "M"} for i in range(men)]
    return make_data(
        tmp_path, persons=people,
        referrals=[{"person_id": p["person_id"], "referral_date": "2024-01-15", "source": "AS_SECTEUR"} for p in people],
    )


def test_small_selection_shows_nothing(tmp_path: Path) -> None:
    data = _referred(tmp_path, 17, 3)
    result = figures("referrals-by-source", data, Filters(sexes=("M",)), published=False)
    assert result.too_small and result.notes == ("TOO_SMALL",)
    assert result.table.is_empty() and "referrals" in result.table.columns
    assert not figures("referrals-by-source", data, Filters(sexes=("F",)), published=False).too_small


def test_differencing_hides_a_filtered_cell_close_to_the_whole(tmp_path: Path) -> None:
    data = _referred(tmp_path, 17, 3)
    whole = figures("referrals-by-source", data, Filters(), published=False)
    assert cells(whole, "referrals") == [20, 20]
    women = figures("referrals-by-source", data, Filters(sexes=("F",)), published=False)
    # 20 - 17 = 3 would give the men's count: both the source cell and the total go
    assert women.table["source"].to_list() == ["AS_SECTEUR", "TOTAL"]
    assert cells(women, "referrals") == [None, None]
    assert "DIFFERENCING" in women.notes


def test_differencing_leaves_a_safe_difference(tmp_path: Path) -> None:
    data = _referred(tmp_path, 15, 5)
    women = figures("referrals-by-source", data, Filters(sexes=("F",)), published=False)
    assert cells(women, "referrals") == [15, 15] and women.notes == ()
    published = figures("referrals-by-source", data, Filters(sexes=("F",)), published=True)
    assert cells(published, "referrals") == [None, None] and published.k == 11  # 20 - 15 = 5 < 11


def test_workshop_figures_with_options_and_differencing(tmp_path: Path) -> None:
    people = [{"person_id": f"F{i}", "sex": "F"} for i in range(17)] + [{"person_id": f"M{i}", "sex": "M"} for i in range(3)]
    data = make_data(
        tmp_path, persons=people,
        workshops=[{"workshop_id": "W1", "name": "Couture", "category": "EXPRESSION"},
                   {"workshop_id": "W2", "name": "FLE", "category": "LANGUE_SAVOIRS"}],
        sessions=[{"session_id": "SE1", "workshop_id": "W1", "session_date": "2024-01-10"}],
        attendances=[{"session_id": "SE1", "person_id": p["person_id"], "presence": "PRESENT"} for p in people],
    )
    cohorts = figures("workshop-cohorts", data, Filters(), published=False, workshops=("W1",))
    assert cohorts.table.rows() == [("2024-01", 0, 20, 20, 1.0)]
    assert figures("workshop-cohorts", data, Filters(), published=False, workshops=("W2",)).table.is_empty()
    women = figures("workshop-attendance", data, Filters(sexes=("F",)), published=False)
    # 17 of 20 present: the 3 men would show through; the session count is not about persons and stays
    assert women.table.select("sessions", "persons", "presences", "attendance_rate").rows() == [(1, None, None, None)]
    assert women.notes == ("DIFFERENCING",)


def test_a_selection_of_nobody_is_empty_not_too_small(tmp_path: Path) -> None:
    data = _referred(tmp_path, 17, 3)
    result = figures("referrals-by-source", data, Filters(sexes=("AUTRE",)), published=False)
    assert not result.too_small
    # nobody of sex AUTRE: the TOTAL row reads 0, and the whole table's 20 is more than k away from it
    assert cells(result, "referrals") == [0]
