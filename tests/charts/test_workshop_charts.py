"""Ateliers charts on small hand-written frames."""

from dashboard.charts.workshops import by_category, by_workshop, cohort_heatmap, compare_groups, per_session
from tests.charts.helpers import LABELS, THIN, protect, subtitle, trace

NBSP = "\u00a0"
COHORT = ["cohort", "offset", "cohort_size", "persons_active", "retention"]
GROUP = ["sessions", "persons", "presences", "attendance_rate"]
ATTENDANCE = ["period", "structure_id", "atelier_id", "workshop", "category", "sessions", "persons", "presences",
              "attendance_rate", "mean_persons_per_session"]


def test_cohort_grid_percentages_hidden_cells_and_no_future():
    rows = [
        ("2024-01", 0, 12, 12, 1.0), ("2024-01", 1, 12, 6, 0.5), ("2024-01", 2, 12, 3, 0.25),
        ("2024-02", 0, 20, 20, 1.0), ("2024-02", 1, 20, 10, 0.5),
    ]
    shown = protect([dict(zip(COHORT, r, strict=True)) for r in rows], {"persons_active": [2]}, masked={"retention": [2]})
    fig = cohort_heatmap(shown, "fr", "month")
    main, veil = fig.data
    assert list(main.y) == ["janv. 2024 (n = 12)", "févr. 2024 (n = 20)"]
    assert list(main.x) == [0, 1, 2]
    assert [list(r) for r in main.z] == [[100.0, 50.0, None], [100.0, 50.0, None]]  # the future offset stays blank
    assert [list(r) for r in veil.text] == [["", "", "masqué"], ["", "", ""]]
    assert "n = 32 personnes" in subtitle(fig)
    assert fig.layout.xaxis.title.text == "Mois depuis la première présence"


def test_attendance_by_category_stacked_with_total_n():
    rows = [
        ("2024-01", "NUMERIQUE", 4, 10, 1200, 0.8), ("2024-01", "BIEN_ETRE", 4, 3, 9, 0.5),
        ("2024-02", "NUMERIQUE", 4, 12, 40, 0.9),
    ]
    fig = by_category(protect([dict(zip(["period", "category", *GROUP], r, strict=True)) for r in rows],
                              {"persons": [1], "presences": [1]}), "fr", LABELS, "month")
    assert list(trace(fig, "Numérique").y) == [1200, 40]
    assert list(trace(fig, "Masqué (< 5)").x) == ["janv. 2024"]
    assert f"n = 1{THIN}240 présences" in subtitle(fig)


def attendance():
    rows = [
        ("2024-01", "S1", "A1", "Couture", "EXPRESSION", 4, 8, 24, 0.8, 6.0),
        ("2024-02", "S1", "A1", "Couture", "EXPRESSION", 2, 6, 10, 0.7, 5.0),
        ("2024-01", "S1", "A2", "FLE", "LANGUE_SAVOIRS", 5, 3, 3, 0.4, 0.6),
        ("2024-01", "S2", "A9", "Couture", "EXPRESSION", 3, 9, 21, 0.9, 7.0),
    ]
    return protect([dict(zip(ATTENDANCE, r, strict=True)) for r in rows], {"persons": [2], "presences": [2]})


def test_workshops_named_unambiguously_and_summed_over_periods():
    fig = by_workshop(attendance(), "fr")
    bars = fig.data[0]
    assert dict(zip(bars.y, bars.x, strict=True)) == {"Couture (S1)": 34, "Couture (S2)": 21, "FLE": 0}
    assert "« < 5 »" in subtitle(fig)


def test_persons_per_session_over_visible_cells():
    fig = per_session(attendance(), "en")
    bars = fig.data[0]
    values = dict(zip(bars.y, bars.x, strict=True))
    assert values["Couture (S1)"] == 34 / 6
    assert "FLE" not in values  # its presences are hidden: no ratio can be drawn
    assert "n = 9 sessions" in subtitle(fig)
    assert list(bars.text)[list(bars.y).index("Couture (S1)")] == "5.7"


def test_co_constructed_groups_named_and_rates_in_percent():
    rows = [(True, 40, 25, 300, 0.8), (False, 60, 30, 240, 0.6), (None, 2, 3, 4, 0.5)]
    shown = protect([dict(zip(["co_constructed", *GROUP], r, strict=True)) for r in rows], {"persons": [2], "presences": [2]})
    fig = compare_groups(shown, "co_constructed", "fr", LABELS)
    bars = fig.data[0]
    assert list(bars.x) == ["Non co-construit", "Co-construit", "Non renseigné"]
    assert list(bars.y) == [60.0, 80.0, 50.0]
    assert list(bars.text)[:2] == [f"60{NBSP}%", f"80{NBSP}%"]
    assert bars.customdata[2] == "2 séances, < 5 personnes, < 5 présences"
    assert "n = 102 séances" in subtitle(fig)


def test_facilitators_as_labels():
    rows = [("INTERNE", 40, 25, 300, 0.8), ("EXTERNE", 60, 30, 240, 0.6)]
    fig = compare_groups(protect([dict(zip(["facilitator", *GROUP], r, strict=True)) for r in rows]), "facilitator", "en", LABELS)
    assert list(fig.data[0].x) == ["External professional", "Internal staff"]


def test_co_constructed_read_from_oui_non_codes():
    rows = [("NON", 60, 30, 240, 0.6), ("OUI", 40, 25, 300, 0.8)]
    shown = protect([dict(zip(["co_constructed", *GROUP], r, strict=True)) for r in rows])
    fig = compare_groups(shown, "co_constructed", "en", LABELS)
    assert list(fig.data[0].x) == ["Not co-designed", "Co-designed"]
    assert list(fig.data[0].y) == [60.0, 80.0]


def test_unknown_facilitator_code_reads_not_recorded():
    rows = [("EXTERNE", 40, 25, 300, 0.8), ("INCONNU", 10, 8, 30, 0.5)]
    fig = compare_groups(protect([dict(zip(["facilitator", *GROUP], r, strict=True)) for r in rows]), "facilitator", "fr", LABELS)
    assert list(fig.data[0].x) == ["Externe", "Non renseigné"]
