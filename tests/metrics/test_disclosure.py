"""Disclosure control, version 2: each rule on a small table whose outcome is worked out by hand.

Rules (thresholds, events behind persons, rates, means, medians, cohorts,
sensitive rows, the overview) are checked in exact mode, where the values
are the raw ones; the perturbation itself is checked against the p-table
read by hand, and the same rules are run again in protected mode.
"""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from dashboard.disclosure import (
    MASKED,
    SMALL,
    Protected,
    SelectionError,
    ThresholdError,
    close_to_another,
    disclosure_mode,
    figures,
    protect,
    sensitive_selection,
    thresholds,
)
from dashboard.filters import Filters
from dashboard.perturbation import KEY_RANGE, build_ptable, exact_share_bound, fitted_ptable, perturb, ptable
from models.reference import SENSITIVE_SOURCES, codes
from tests.metrics.fixtures import make_data


def cells(result: Protected, column: str) -> list:
    return result.table[column].to_list()


def readings(result: Protected, column: str) -> list:
    return result.cells[column].to_list()


def needs(rows: list[tuple], keys: bool = False) -> pl.DataFrame:
    """(period, domain, assessed, in need, share, mean, [ck assessed, ck in need, sum of levels])."""
    schema = {"period": pl.String, "domain": pl.String, "persons_assessed": pl.Int64, "persons_in_need": pl.Int64,
              "share_in_need": pl.Float64, "mean_level": pl.Float64}
    if keys:
        schema |= {"_ck_persons_assessed": pl.Int64, "_ck_persons_in_need": pl.Int64, "_sum_mean_level": pl.Float64}
    return pl.DataFrame(rows, schema=schema, orient="row")


def referrals(rows: list[tuple]) -> pl.DataFrame:
    """(period, source, referrals, persons behind them, accepted, refused, rate, median, decided) with keys 0."""
    frame = pl.DataFrame(rows, orient="row", schema={
        "period": pl.String, "source": pl.String, "referrals": pl.Int64, "_pn_referrals": pl.Int64, "accepted": pl.Int64,
        "refused": pl.Int64, "acceptance_rate": pl.Float64, "median_days_to_decision": pl.Float64, "_decided": pl.Int64,
    })
    extra = []
    for name in ("referrals", "accepted", "refused", "_decided"):
        extra.append(pl.lit(0, pl.Int64).alias(f"_ck_{name}"))
        extra.append(pl.lit(0, pl.Int64).alias(f"_pk_{name}"))
        if name != "referrals":  # persons behind a part: no more than its referrals, nor than the row's persons
            extra.append(pl.min_horizontal(name, "_pn_referrals").alias(f"_pn_{name}"))
    return frame.with_columns(extra)


# --- settings ---------------------------------------------------------------

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


def test_mode_comes_from_the_server_environment_only(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PARCOURS_DISCLOSURE", "EXACT")
    assert disclosure_mode() == "exact"
    monkeypatch.delenv("PARCOURS_DISCLOSURE")
    # A secrets file (which may travel with a deployment) cannot turn perturbation off.
    secrets = tmp_path / ".streamlit" / "secrets.toml"
    secrets.parent.mkdir()
    secrets.write_text('PARCOURS_DISCLOSURE = "exact"\n')
    monkeypatch.chdir(tmp_path)
    assert disclosure_mode() == "protected"
    monkeypatch.setenv("PARCOURS_DISCLOSURE", "off")
    monkeypatch.delenv("PARCOURS_LANG", raising=False)
    with pytest.raises(ThresholdError, match="PARCOURS_DISCLOSURE doit valoir protected ou exact"):
        disclosure_mode()


# --- the p-table and the perturbation ------------------------------------------

def test_ptable_rows_are_unbiased_bounded_and_never_publish_one_or_two() -> None:
    table = ptable()
    assert (table.max_perturbation, table.variance) == (3, 1.5)
    for value, row in enumerate(table.probabilities):
        assert row.sum() == pytest.approx(1.0)
        offsets = table.offsets[row > 0]
        assert abs(offsets).max() <= 3
        assert not set((value + offsets).tolist()) & {1, 2} and (value + offsets).min() >= 0
        mean = float(row @ table.offsets)
        assert abs(mean) <= 3 / KEY_RANGE  # unbiased up to the key grid (probabilities are multiples of 1/4096)
        variance = float(row @ table.offsets**2)
        expected = 0.0 if value == 0 else 2.0 if value in (1, 2) else 1.5  # 2 is the least an unbiased 1 or 2 allows
        assert variance == pytest.approx(expected, abs=0.01)
    assert table.rows()[1] == (1, {-1: pytest.approx(2 / 3, abs=1e-3), 2: pytest.approx(1 / 3, abs=1e-3)})


def test_perturbation_read_from_the_ptable_by_hand() -> None:
    # Row 6 and above: P(-3) = 0.0178, P(-2) = 0.0889, P(-1) = 0.2327, P(0) = 0.3213, ... A cell key c reads the
    # point (c + 0.5) / 4096: key 0 falls in the first slice (-3), key 4095 in the last (+3), key 2048 (0.5001)
    # in the slice of 0 (cumulative 0.3394 to 0.6607).
    values = np.array([20, 20, 20, 4, 4, 1, 1, 0])
    keys = np.array([0, 4095, 2048, 0, 4095, 0, 4095, 17])
    assert perturb(values, keys).tolist() == [17, 23, 20, 3, 7, 0, 3, 0]


def test_zeros_stay_zero_and_every_key_gives_a_published_value_of_zero_or_at_least_three() -> None:
    keys = np.arange(KEY_RANGE)
    for value in range(0, 30):
        out = perturb(np.full(KEY_RANGE, value), keys)
        assert not set(out.tolist()) & {1, 2}
        assert (abs(out - value) <= 3).all()
        assert out.mean() == pytest.approx(value, abs=0.01)  # unbiased over the keys
    assert set(perturb(np.zeros(KEY_RANGE, dtype=int), keys).tolist()) == {0}


def test_the_default_ptable_is_the_fitted_one_to_the_slot() -> None:
    """The embedded default (no SciPy at start) is exactly what the fit gives; other settings are fitted."""
    embedded, fitted = build_ptable(3, 1.5), fitted_ptable(3, 1.5)
    assert np.array_equal(embedded.offsets, fitted.offsets)
    assert np.array_equal(embedded.probabilities, fitted.probabilities)
    assert (embedded.probabilities.sum(axis=1) == 1).all()
    other = build_ptable(4, 2.0)
    assert other.probabilities.shape == (8, 9)
    assert float(other.probabilities[-1] @ other.offsets**2) == pytest.approx(2.0, abs=0.01)  # on the 4096 slots


def test_a_first_perturbed_figure_imports_no_optimiser() -> None:
    """Every app process perturbs a figure within a second of starting: SciPy's optimiser is not on that path."""
    script = (
        "import sys, numpy as np\n"
        "from dashboard.perturbation import perturb\n"
        "import dashboard.disclosure, dashboard.ui.context\n"
        "print(perturb(np.array([10, 4]), np.array([17, 3000])).tolist(), 'scipy.optimize' in sys.modules)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARCOURS_CKM")}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env)
    values, imported = out.stdout.split("] ")
    assert imported.strip() == "False"
    expected = perturb(np.array([10, 4]), np.array([17, 3000]), fitted_ptable(3, 1.5))
    assert values + "]" == str(expected.tolist())


def test_bad_ptable_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="PARCOURS_CKM_MAX"):
        build_ptable(2, 1.0)
    with pytest.raises(ValueError, match="PARCOURS_CKM_VARIANCE"):
        build_ptable(3, 50.0)


def test_exact_share_bound_is_the_largest_collision_probability_of_a_publishable_row() -> None:
    table = ptable()
    collision = [float((row**2).sum()) for row in table.probabilities]
    # k = 11: every publishable value uses the last rows (v >= 8 reads the row of 6): Σ p² of that row.
    assert exact_share_bound(11) == pytest.approx(collision[6])
    # k = 5: a 3 can be published as 5 or 6 (P = 0.046 + 0.004), and row 3 is the most concentrated one.
    assert exact_share_bound(5) == pytest.approx(max(collision[3:]))
    assert 0.2 < exact_share_bound(11) < exact_share_bound(5) < 0.45


# --- rules, in exact mode ---------------------------------------------------------

def test_persons_under_k_read_small_and_what_is_computed_from_them_is_masked() -> None:
    table = needs([
        ("2024-01", "LOGEMENT", 4, 0, 0.0, 3.5),
        ("2024-01", "MOBILITE", 5, 2, 0.4, 4.04),
        ("2024-01", "NUMERIQUE", 0, 0, None, None),
        ("2024-01", "SANTE", 30, 9, 0.3, 2.96),
    ])
    result = protect("needs-over-time", table, k=5, k_sensitive=11, exact=True)
    assert cells(result, "persons_assessed") == [None, 5, 0, 30]
    assert readings(result, "persons_assessed") == [SMALL, None, None, None]
    assert readings(result, "persons_in_need") == [None, SMALL, None, None]
    # the share of 2 in need among 5 would give the 2 back; a true blank (no one assessed) is no hiding
    assert cells(result, "share_in_need") == [None, None, None, 0.3]
    assert readings(result, "share_in_need") == [MASKED, MASKED, None, None]
    # means to one decimal over n >= k (no sum helper here: mean x n), the 4 persons' mean hidden
    assert cells(result, "mean_level") == [None, 4.0, None, 3.0]
    assert readings(result, "mean_level") == [MASKED, None, None, None]
    assert result.notes == ("PRIMARY", "MASKED") and result.mode == "exact" and not result.too_small
    assert result.suppressed["persons_assessed"].to_list() == [True, False, False, False]
    assert result.primary["share_in_need"].to_list() == [False, False, False, False]


def test_events_are_shown_only_when_the_persons_behind_them_reach_k() -> None:
    table = referrals([
        ("2024-Q1", "CCAS", 13, 1, 6, 7, 0.4615, 12.0, 13),  # 13 referrals of one person
        ("2024-Q1", "SIAO", 4, 4, 0, 0, None, None, 0),
        ("2024-Q1", "TOTAL", 40, 30, 20, 10, 0.6667, 6.5, 30),
    ])
    result = protect("referrals-by-source", table, k=5, k_sensitive=11, exact=True)
    assert readings(result, "referrals") == [MASKED, SMALL, None]
    assert cells(result, "referrals") == [None, None, 40]
    # rates in whole percent from the counts shown; medians over n >= k, rounded half up
    assert cells(result, "acceptance_rate") == [None, None, 0.67]
    assert cells(result, "median_days_to_decision") == [None, None, 7.0]
    assert readings(result, "median_days_to_decision") == [MASKED, None, None]


def test_acceptance_rate_hidden_with_a_small_refused_count() -> None:
    table = referrals([("2024", "CCAS", 60, 60, 57, 3, 0.95, 5.0, 60)])
    result = protect("referrals-by-source", table, k=5, k_sensitive=11, exact=True)
    # 57 / (57 + 3): the rate and the accepted count would give the 3 refusals back
    assert readings(result, "refused") == [SMALL]
    assert readings(result, "acceptance_rate") == [MASKED]


def test_sensitive_rows_use_the_published_threshold_and_a_source_filter_makes_everything_sensitive() -> None:
    table = referrals([
        ("2024", "SPIP", 8, 8, 8, 0, 1.0, 3.0, 8),
        ("2024", "CCAS", 8, 8, 8, 0, 1.0, 3.0, 8),
    ])
    result = protect("referrals-by-source", table, k=5, k_sensitive=11, exact=True)
    assert cells(result, "referrals") == [None, 8]
    assert result.row_k == (11, 5)
    assert "SENSITIVE" in result.notes
    everything = protect("referrals-by-source", table, k=5, k_sensitive=11, sensitive_all=True, exact=True)
    assert cells(everything, "referrals") == [None, None] and everything.k == 11


def test_a_cohort_under_k_is_hidden_whole() -> None:
    table = pl.DataFrame({
        "cohort": ["2024-01", "2024-01", "2024-02", "2024-02"], "offset": [0, 1, 0, 1],
        "cohort_size": [3, 3, 12, 12], "persons_active": [3, 0, 12, 6], "retention": [1.0, 0.0, 1.0, 0.5],
    })
    result = protect("workshop-cohorts", table, k=5, k_sensitive=11, exact=True)
    assert readings(result, "cohort_size") == [SMALL, SMALL, None, None]
    # the grid of the cohort of 3 would show when the group stopped coming: every cell goes, zeros too
    assert readings(result, "persons_active") == [MASKED, MASKED, None, None]
    assert readings(result, "retention") == [MASKED, MASKED, None, None]
    assert cells(result, "retention") == [None, None, 1.0, 0.5]


def test_workshop_sessions_stay_and_a_mean_per_session_goes_with_its_presences() -> None:
    table = pl.DataFrame({
        "period": ["2024-01"], "structure_id": ["S1"], "atelier_id": ["W1"], "workshop": ["Couture"],
        "category": ["EXPRESSION"], "sessions": [13], "persons": [1], "presences": [13], "attendance_rate": [1.0],
        "mean_persons_per_session": [1.0], "_expected": [13], "_pn_presences": [1], "_pn__expected": [1],
    })
    result = protect("workshop-attendance", table, k=5, k_sensitive=11, exact=True)
    assert result.table.row(0) == ("2024-01", "S1", "W1", "Couture", "EXPRESSION", 13, None, None, None, None)
    assert readings(result, "persons") == [SMALL] and readings(result, "presences") == [MASKED]


def test_overview_counts_rates_changes_and_the_n_beside_a_rate() -> None:
    keys = {f"_{kind}_{side}_{part}": [0, 0, 0] for side in ("value", "previous") for part in ("num", "n")
            for kind in ("ck", "pn", "pk")}
    table = pl.DataFrame({
        "figure": ["referrals", "exits", "housing_positive_rate"],
        "value": [40.0, 3.0, 0.25], "previous": [30.0, 9.0, 0.5], "change": [10.0, -6.0, -0.25],
        "_value_n": [40, 3, 20], "_previous_n": [30, 9, 10], "_value_num": [40, 3, 5], "_previous_num": [30, 9, 5],
        **keys,
    }).with_columns(
        pl.Series("_pn_value_num", [25, 3, 5]), pl.Series("_pn_previous_num", [20, 9, 5]),
        pl.Series("_pn_value_n", [25, 3, 20]), pl.Series("_pn_previous_n", [20, 9, 10]),
    )
    result = protect("overview", table, k=5, k_sensitive=11, exact=True)
    assert result.table.columns == ["figure", "value", "previous", "change", "n"]
    assert result.table.rows() == [
        ("referrals", 40.0, 30.0, 10.0, None),
        ("exits", None, 9.0, None, None),  # 3 exits read "< 5", and so no change is shown
        ("housing_positive_rate", 0.25, 0.5, -0.25, 20),
    ]
    assert readings(result, "value") == [None, SMALL, None]


def test_unknown_metric_shows_no_number_without_cell_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARCOURS_DISCLOSURE", "protected")
    table = pl.DataFrame({"group": ["a", "b"], "persons": [40, 3]})
    result = protect("something-new", table, k=5, k_sensitive=11)
    # without cell keys no count can be perturbed consistently, and a raw "< 5" would be exact: nothing shown
    assert cells(result, "persons") == [None, None]
    assert readings(result, "persons") == [MASKED, MASKED]


# --- protected mode: perturbation and consistency ------------------------------------

def test_protected_counts_follow_the_ptable_and_the_rules_still_hold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARCOURS_DISCLOSURE", "protected")
    table = needs([
        ("2024-01", "LOGEMENT", 20, 20, 1.0, 2.0, 0, 4095, 40.0),
        ("2024-02", "LOGEMENT", 20, 4, 0.2, 3.0, 2048, 0, 60.0),
        ("2024-03", "LOGEMENT", 6, 1, 0.1667, 3.0, 0, 0, 18.0),
    ], keys=True)
    result = protect("needs-over-time", table, k=5, k_sensitive=11)
    assert result.mode == "protected"
    # 20 at key 0 -> 17, at key 2048 -> 20; 6 at key 0 -> 3 (< 5); in need 20 at 4095 -> 23, 4 at 0 -> 3, 1 at 0 -> 0
    assert cells(result, "persons_assessed") == [17, 20, None]
    assert cells(result, "persons_in_need") == [23, None, 0]
    # a share from perturbed counts, capped at 100 %; one from a small numerator is hidden
    assert cells(result, "share_in_need") == [1.0, None, None]
    # the sum moves by up to one contribution (5) with the magnitude noise of the key: key 0 -> -0.3997, 2048 -> ?
    noise = {0: -0.3996582, 2048: float(np.round(2 * ((2048 * 2731 + 1229) % 4096 + 0.5) / 4096 - 1, 7))}
    assert cells(result, "mean_level")[0] == round((40.0 + 5 * noise[0]) / 17, 1)
    assert cells(result, "mean_level")[1] == round((60.0 + 5 * noise[2048]) / 20, 1)


def test_the_same_records_get_the_same_noise_wherever_they_are_asked(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARCOURS_DISCLOSURE", "protected")
    data = _referred(tmp_path, 37, 23)
    year = figures("referrals-by-source", data, Filters(by="year", start=_day("2024-01-01"), end=_day("2024-12-31")),
                   published=False)
    month = figures("referrals-by-source", data, Filters(by="month", start=_day("2024-01-01"), end=_day("2024-01-31")),
                    published=False)
    # all referrals are in January 2024: the year's cell and the month's cell hold the same records
    assert cells(year, "referrals") == cells(month, "referrals")
    assert abs(cells(year, "referrals")[0] - 60) <= 3
    # a range cut inside the month is widened to the whole month: the same answer again
    cut = figures("referrals-by-source", data, Filters(start=_day("2024-01-16"), end=_day("2024-01-20")), published=False)
    assert cells(cut, "referrals") == cells(month, "referrals")


def _day(text: str):
    from datetime import date

    return date.fromisoformat(text)


# --- through figures(): small selections ------------------------------------------

def _referred(tmp_path: Path, women: int, men: int):
    people = [{"person_id": f"F{i}", "sex": "F"} for i in range(women)] + [{"person_id": f"M{i}", "sex": "M"} for i in range(men)]
    return make_data(
        tmp_path, persons=people,
        referrals=[{"person_id": p["person_id"], "referral_date": "2024-01-15", "source": "AS_SECTEUR"} for p in people],
    )


def test_small_selection_shows_nothing(tmp_path: Path) -> None:
    data = _referred(tmp_path, 15, 3)
    result = figures("referrals-by-source", data, Filters(sexes=("M",)), published=False)
    assert result.too_small and result.notes == ("TOO_SMALL",)
    assert result.table.is_empty() and "referrals" in result.table.columns
    # 15 women of 18: published beside the whole, the women's figures would differ from it by the 3 men alone
    assert figures("referrals-by-source", data, Filters(sexes=("F",)), published=False).too_small
    assert close_to_another(data, Filters(sexes=("F",)), 5) and not close_to_another(data, Filters(), 5)


def test_a_selection_far_enough_from_its_neighbours_is_shown(tmp_path: Path) -> None:
    data = _referred(tmp_path, 15, 8)
    women = figures("referrals-by-source", data, Filters(sexes=("F",)), published=False)
    assert not women.too_small and cells(women, "referrals") == [15, 15]
    # published, the threshold is 11: the 8 men are too few a difference
    assert figures("referrals-by-source", data, Filters(sexes=("F",)), published=True).too_small


def test_a_filter_names_one_value_or_all(tmp_path: Path) -> None:
    data = _referred(tmp_path, 15, 8)
    # (F + M) - M, (F + NR) - NR, ...: differences of unions would give independent noise to average away
    with pytest.raises(SelectionError, match="sexes"):
        figures("referrals-by-source", data, Filters(sexes=("F", "M")), published=False)


def test_a_selection_that_picks_or_leaves_out_only_sensitive_sources_uses_the_published_threshold(tmp_path: Path) -> None:
    data = _referred(tmp_path, 8, 0)
    whole = figures("referrals-by-source", data, Filters(), published=False)
    assert cells(whole, "referrals") == [8, 8]
    # every source but the sensitive ones: it differs from the whole by probation and health referrals alone
    others = tuple(sorted(set(codes("SOURCE")) - SENSITIVE_SOURCES))
    assert figures("referrals-by-source", data, Filters(sources=("SPIP",)), published=False).k == 11
    # one ordinary source: the screen threshold
    picked = figures("referrals-by-source", data, Filters(sources=("AS_SECTEUR",)), published=False)
    assert picked.k == 5 and cells(picked, "referrals") == [8, 8]
    assert sensitive_selection(Filters(sources=others)) and sensitive_selection(Filters(sources=(*others[:-1], "SPIP")))
    assert not sensitive_selection(Filters())


def test_workshop_figures_with_options(tmp_path: Path) -> None:
    people = [{"person_id": f"F{i}", "sex": "F"} for i in range(12)] + [{"person_id": f"M{i}", "sex": "M"} for i in range(8)]
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
    assert women.table.select("sessions", "persons", "presences", "attendance_rate", "mean_persons_per_session").rows() == [
        (1, 12, 12, 1.0, 12.0)
    ]


def test_a_selection_of_nobody_is_empty_not_too_small(tmp_path: Path) -> None:
    data = _referred(tmp_path, 17, 3)
    result = figures("referrals-by-source", data, Filters(sexes=("AUTRE",)), published=False)
    assert not result.too_small
    assert cells(result, "referrals") == [0]
