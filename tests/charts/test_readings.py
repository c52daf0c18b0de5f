"""Hidden cells read in the charts as in the tables: "< k" with the row's own k for a small count, "masqué" /
"hidden" for any other hidden figure; no chart claims "< 5" for a cell hidden for another reason."""

import pytest

from dashboard.charts.base import hidden_labels, reading_text, suppressed_note
from dashboard.charts.exits import exit_rate_lines, exits_by, median_stay
from dashboard.charts.needs import distance_travelled, need_lines, needs_heatmap
from dashboard.charts.referrals import acceptance_heatmap, delay_heatmap, referrals_over_time, source_shares, territories
from dashboard.charts.workshops import by_category, by_workshop, cohort_heatmap, compare_groups, per_session
from tests.charts.helpers import LABELS, protect, strings, subtitle, trace

NBSP = "\u00a0"
COLUMNS = ["period", "source", "referrals", "accepted", "refused", "acceptance_rate", "median_days_to_decision"]
# A SPIP row is sensitive: its k is the published 11; the other sources' k is the screen 5.
ROWS = [
    ("2024-01", "AS_SECTEUR", 40, 20, 3, None, 9.0),       # 3 refusals < 5: the rate is masked (it would give them back)
    ("2024-01", "SPIP", 8, 6, 2, None, None),              # 8 < 11: every figure of the row hidden
    ("2024-02", "AS_SECTEUR", 3, 2, 1, None, None),        # 3 < 5
    ("2024-02", "SPIP", 30, 15, 12, 0.56, 14.0),
]
ROW_K = (5, 11, 5, 11)


def by_source(lang_rows=ROWS):
    rows = [dict(zip(COLUMNS, r, strict=True)) for r in lang_rows]
    return protect(
        rows,
        hidden={"referrals": [1, 2], "accepted": [1, 2], "refused": [0, 1, 2]},
        masked={"acceptance_rate": [0, 1, 2], "median_days_to_decision": [1, 2]},
        row_k=ROW_K,
    )


def test_reading_text_and_labels_per_row():
    assert reading_text(None, 5, "fr") is None
    assert reading_text("small", 11, "fr") == "< 11"
    assert (reading_text("masked", 5, "fr"), reading_text("masked", 5, "en")) == ("masqué", "hidden")
    shown = by_source()
    assert hidden_labels(shown, "referrals", "fr") == [None, "< 11", "< 5", None]
    assert hidden_labels(shown, "acceptance_rate", "en") == ["hidden", "hidden", "hidden", None]
    assert hidden_labels(shown, "period", "fr") == [None] * 4


def test_a_spip_row_hidden_at_11_reads_below_11_another_row_below_5():
    fig = referrals_over_time(by_source(), "fr", LABELS, "month")
    marks = trace(fig, "Masqué")  # two thresholds: the name claims none
    assert list(marks.x) == ["janv. 2024", "févr. 2024"]
    assert list(marks.text) == ["< 11", "< 5"]
    assert list(marks.hovertext) == ["SPIP (probation) : < 11", "Assistant·e social·e de secteur : < 5"]
    note = note_of(fig)
    assert note == ("Gris : chiffre masqué (secret statistique)<br>« < 5 » : moins de 5 personnes<br>"
                    "« < 11 » : moins de 11 personnes")
    assert list(trace(fig, "SPIP (probation)").y) == [None, 30]  # hidden stays null in the figure data


def test_two_thresholds_in_one_period_each_category_with_its_own():
    rows = [("2024", "AS_SECTEUR", 3, 0, 0, None, None), ("2024", "SPIP", 9, 0, 0, None, None),
            ("2024", "CCAS", 50, 0, 0, None, None)]
    shown = protect([dict(zip(COLUMNS, r, strict=True)) for r in rows], hidden={"referrals": [0, 1]}, row_k=(5, 11, 5))
    fig = referrals_over_time(shown, "en", LABELS, "year")
    marks = trace(fig, "Hidden")
    assert list(marks.text) == ["< 5, < 11"]
    assert marks.hovertext[0] == "Sector social worker: < 5<br>Probation service (SPIP): < 11"


def test_all_hidden_at_one_k_keep_the_short_note_and_name():
    rows = [("2024", "SPIP", 9, 0, 0, None, None), ("2024", "CCAS", 50, 0, 0, None, None)]
    shown = protect([dict(zip(COLUMNS, r, strict=True)) for r in rows], hidden={"referrals": [0]}, row_k=(11, 5))
    fig = referrals_over_time(shown, "fr", LABELS, "year")
    assert list(trace(fig, "Masqué (< 11)").text) == ["< 11"]
    assert subtitle(fig).split("<br>")[1] == "Gris ou « < 11 » : moins de 11 personnes, chiffre masqué (secret statistique)"


def note_of(fig) -> str:  # type: ignore[no-untyped-def]
    """The disclosure note of a chart: the subtitle's lines after the n, without the hint to regroup."""
    lines = subtitle(fig).split("<br>")[1:]
    return "<br>".join(line for line in lines if not line.startswith(("Beaucoup", "Many")))


@pytest.mark.parametrize(("lang", "word", "note"), [
    ("fr", "masqué", "Gris : chiffre masqué (secret statistique)<br>« masqué » : moins de 5 ou 11 personnes derrière le chiffre"),
    ("en", "hidden", "Grey: figure hidden (disclosure control)<br>“hidden”: fewer than 5 or 11 people behind the figure"),
])
def test_a_masked_rate_reads_masked_not_below_k(lang: str, word: str, note: str):
    fig = acceptance_heatmap(by_source(), lang, LABELS, "month")
    main, veil = fig.data
    assert [list(r) for r in main.z] == [[None, None], [None, pytest.approx(56.0)]]
    assert [list(r) for r in veil.text] == [[word, word], [word, ""]]
    assert veil.name == ("Masqué" if lang == "fr" else "Hidden")
    assert "%{text}" in veil.hovertemplate
    assert note_of(fig) == note
    assert not any("< 5" in s or "< 11" in s for s in strings(fig))


def test_a_masked_median_reads_masked():
    fig = delay_heatmap(by_source(), "fr", LABELS, "month")
    assert [list(r) for r in fig.data[1].text] == [["", "masqué"], ["masqué", ""]]
    assert not any("< 5" in s for s in strings(fig))


def test_the_note_names_every_reading_met():
    assert suppressed_note([("small", 5), ("masked", 5)], 5, "fr") == (
        "Gris : chiffre masqué (secret statistique)<br>« < 5 » : moins de 5 personnes<br>"
        "« masqué » : moins de 5 personnes derrière le chiffre")
    assert suppressed_note([], 5, "en") == "Grey or “< 5”: fewer than 5 people, figure hidden (disclosure control)"


EXITS = ["period", "program", "exits", "housing_positive", "housing_positive_rate", "dynamic_exits", "dynamic_exit_rate",
         "median_stay_days"]


def exits_table():
    rows = [
        ("2024", "HEBERGEMENT_INSERTION", 30, 12, 0.4, 4, None, 200.0),
        ("2024", "SOINS", 12, 3, None, 9, None, None),
        ("2024", "TOTAL", 42, 15, 0.36, 13, 0.31, 180.0),
        ("2025", "HEBERGEMENT_INSERTION", 9, 6, None, 6, None, None),
        ("2025", "TOTAL", 9, 6, None, 6, None, None),
    ]
    return protect([dict(zip(EXITS, r, strict=True)) for r in rows],
                   hidden={"housing_positive": [1], "dynamic_exits": [0], "exits": []},
                   masked={"housing_positive_rate": [1, 3, 4], "dynamic_exit_rate": [0, 1, 3, 4],
                           "dynamic_exits": [1], "median_stay_days": [1, 3, 4]},
                   row_k=(5, 11, 5, 11, 11))


def test_exit_rates_masked_and_a_spip_like_row_at_11():
    fig = exit_rate_lines(exits_table(), "dynamic_exit_rate", "en", LABELS, "year")
    marks = trace(fig, "Hidden")
    assert [h.rsplit(": ", 1)[1] for h in marks.hovertext] == ["hidden", "hidden"]
    assert "Total" not in marks.hovertext[0] and "All" in marks.hovertext[1]
    assert not any("< 5" in s or "< 11" in s for s in strings(fig))
    assert fig.data[0].hovertemplate.endswith("%{y:.0f}%<extra></extra>")  # rates in whole percent, never "66.67 %"


def test_masked_median_stay_reads_masked():
    fig = median_stay(exits_table(), "fr", "year")
    marks = trace(fig, "Masqué")
    assert list(marks.text) == ["masqué"]
    assert list(fig.data[0].y) == [180.0, None]
    assert "%{y:,.0f} j" in fig.data[0].hovertemplate


def test_masked_event_count_in_stacked_bars():
    rows = [{"period": "2024", "destination": "RUE", "exits": 40}, {"period": "2024", "destination": "LOGEMENT_AUTONOME",
                                                                    "exits": 3}]
    fig = exits_by(protect(rows, masked={"exits": [0]}, hidden={"exits": [1]}), "housing", "fr", LABELS, "year")
    marks = trace(fig, "Masqué")
    assert list(marks.text) == ["< 5, masqué"]
    assert marks.hovertext[0] == "Logement autonome : < 5<br>Rue : masqué"
    assert "« masqué » : moins de 5 personnes derrière le chiffre" in subtitle(fig)


def test_cohort_sizes_and_cells_read_as_disclosure_control_says():
    columns = ["cohort", "offset", "cohort_size", "persons_active", "retention"]
    rows = [("2024-01", 0, 12, 12, 1.0), ("2024-01", 1, 12, 3, None), ("2024-02", 0, 4, None, None)]
    shown = protect([dict(zip(columns, r, strict=True)) for r in rows],
                    hidden={"persons_active": [1], "cohort_size": [2]}, masked={"retention": [1, 2], "persons_active": [2]})
    fig = cohort_heatmap(shown, "fr", "month")
    main, veil = fig.data
    assert list(main.y) == ["janv. 2024 (n = 12)", "févr. 2024 (n = < 5)"]
    assert [list(r) for r in veil.text] == [["", "masqué"], ["masqué", ""]]  # a retention cell: a rate, never "< 5 %"
    assert veil.name == "Masqué"


def test_group_hover_and_markers_with_each_cells_reading():
    columns = ["facilitator", "sessions", "persons", "presences", "attendance_rate"]
    rows = [("INTERNE", 40, 25, 300, 0.8), ("EXTERNE", 6, 3, 12, None)]
    shown = protect([dict(zip(columns, r, strict=True)) for r in rows], hidden={"persons": [1]},
                    masked={"presences": [1], "attendance_rate": [1]}, row_k=(5, 11))
    fig = compare_groups(shown, "facilitator", "fr", LABELS)
    bars = fig.data[0]
    assert bars.customdata[list(bars.x).index("Externe")] == "6 séances, < 11 personnes, masqué présences"
    assert list(trace(fig, "Masqué").text) == ["masqué"]
    assert "« < 11 » : moins de 11 personnes" in subtitle(fig) and "< 5" not in subtitle(fig)


def test_territory_share_masked_and_counts_below_k():
    rows = [
        {"territory": "Lille", "referrals": 120, "persons": 100, "priority_area_share": 0.25},
        {"territory": "Tourcoing", "referrals": 30, "persons": 3, "priority_area_share": None},
        {"territory": "Wattrelos", "referrals": 2, "persons": 2, "priority_area_share": None},
    ]
    shown = protect(rows, hidden={"persons": [1, 2], "referrals": [2]}, masked={"priority_area_share": [1, 2]})
    fig = territories(shown, "en")
    bars = fig.data[0]
    assert dict(zip(bars.y, bars.text, strict=True)) == {"Lille": "QPV: 25%", "Tourcoing": "QPV: hidden", "Wattrelos": "QPV: hidden"}
    assert list(trace(fig, "Hidden (< 5)").text) == ["< 5"]


NEED = ["period", "domain", "persons_assessed", "persons_in_need", "share_in_need", "mean_level"]


def needs_table():
    rows = [("2024", "LOGEMENT", 20, 5, 0.25, 3.1), ("2024", "JUSTICE", 14, 3, None, None)]
    return protect([dict(zip(NEED, r, strict=True)) for r in rows], hidden={"persons_in_need": [1]},
                   masked={"share_in_need": [1], "mean_level": [1]}, row_k=(5, 11))


def test_a_masked_share_in_a_sensitive_domain_reads_masked():
    fig = needs_heatmap(needs_table(), "fr", LABELS, "year")
    assert [list(r) for r in fig.data[1].text] == [[""], ["masqué"]]
    assert "« masqué » : moins de 11 personnes derrière le chiffre" in subtitle(fig)
    assert fig.data[0].hovertemplate == "%{y}<br>%{x}<br>%{z:.0f}" + NBSP + "%<extra></extra>"


DISTANCE = ["domain", "persons", "improved", "stable", "worsened", "share_improved", "mean_change"]
ATTENDANCE = ["period", "structure_id", "atelier_id", "workshop", "category", "sessions", "persons", "presences",
              "attendance_rate", "mean_persons_per_session"]


def masked_everywhere():
    """Each builder on a table whose only hidden cells are masked (large or not, never "< k")."""
    refs = protect([dict(zip(COLUMNS, r, strict=True)) for r in ROWS[:2]],
                   masked={"referrals": [1], "acceptance_rate": [0, 1], "median_days_to_decision": [1]})
    exits = protect([dict(zip(EXITS, r, strict=True)) for r in [("2024", "SOINS", 30, 3, None, 20, None, None),
                                                                   ("2024", "TOTAL", 30, 3, None, 20, None, None)]],
                    masked={c: [0, 1] for c in ("housing_positive_rate", "dynamic_exit_rate", "median_stay_days", "exits")})
    distance = protect([dict(zip(DISTANCE, ("LOGEMENT", 30, 20, 6, 4, 0.67, 0.5), strict=True))],
                       masked={"worsened": [0], "share_improved": [0]})
    cohort = protect([dict(zip(["cohort", "offset", "cohort_size", "persons_active", "retention"], r, strict=True))
                      for r in [("2024-01", 0, 40, 40, 1.0), ("2024-01", 1, 40, 30, 0.75)]], masked={"retention": [1]})
    attendance = protect([dict(zip(ATTENDANCE, r, strict=True)) for r in [
        ("2024", "S1", "A1", "Couture", "EXPRESSION", 4, 8, 24, 0.8, 6.0),
        ("2024", "S1", "A2", "FLE", "LANGUE_SAVOIRS", 5, 9, 30, 0.7, 6.0),
    ]], masked={"presences": [0], "attendance_rate": [0]})
    groups = protect([dict(zip(["facilitator", "sessions", "persons", "presences", "attendance_rate"], r, strict=True))
                      for r in [("INTERNE", 40, 25, 300, 0.8), ("EXTERNE", 6, 7, 30, None)]],
                     masked={"presences": [1], "attendance_rate": [1]})
    territory = protect([{"territory": "Lille", "referrals": 120, "persons": 100, "priority_area_share": None}],
                        masked={"priority_area_share": [0]})
    return {
        "referrals_over_time": lambda lang: referrals_over_time(refs, lang, LABELS, "month"),
        "source_shares": lambda lang: source_shares(refs, lang, LABELS),
        "acceptance": lambda lang: acceptance_heatmap(refs, lang, LABELS, "month"),
        "delay": lambda lang: delay_heatmap(refs, lang, LABELS, "month"),
        "territories": lambda lang: territories(territory, lang),
        "needs_heatmap": lambda lang: needs_heatmap(needs_table_masked(), lang, LABELS, "year"),
        "need_lines": lambda lang: need_lines(needs_table_masked(), "domain", lang, LABELS, "year"),
        "distance": lambda lang: distance_travelled(distance, lang, LABELS),
        "cohorts": lambda lang: cohort_heatmap(cohort, lang, "month"),
        "by_category": lambda lang: by_category(attendance, lang, LABELS, "year"),
        "by_workshop": lambda lang: by_workshop(attendance, lang),
        "per_session": lambda lang: per_session(attendance, lang),
        "groups": lambda lang: compare_groups(groups, "facilitator", lang, LABELS),
        "exits_by": lambda lang: exits_by(protect([{"period": "2024", "destination": "RUE", "exits": 40}],
                                                  masked={"exits": [0]}), "housing", lang, LABELS, "year"),
        "rates": lambda lang: exit_rate_lines(exits, "housing_positive_rate", lang, LABELS, "year"),
        "stay": lambda lang: median_stay(exits, lang, "year"),
    }


def needs_table_masked():
    rows = [("2024", "LOGEMENT", 20, 5, 0.25, 3.1), ("2024", "JUSTICE", 14, 6, None, None)]
    return protect([dict(zip(NEED, r, strict=True)) for r in rows], masked={"share_in_need": [1], "mean_level": [1]})


@pytest.mark.parametrize("name", list(masked_everywhere()))
@pytest.mark.parametrize(("lang", "word"), [("fr", "masqué"), ("en", "hidden")])
def test_no_chart_says_below_5_for_a_masked_cell(name: str, lang: str, word: str):
    fig = masked_everywhere()[name](lang)
    assert fig is not None
    said = strings(fig)
    assert not [s for s in said if "< 5" in s or "“< " in s or "« < " in s], name
    assert word in subtitle(fig)


def test_charts_read_what_disclosure_control_decides():
    """The same rows through the real gate (exact mode: no noise): the charts say what the tables say."""
    import polars as pl

    from dashboard.disclosure import protect as gate

    raw = pl.DataFrame([dict(zip([*COLUMNS, "_decided", "_decisions"], r, strict=True)) for r in [
        ("2024-01", "AS_SECTEUR", 40, 20, 3, 0.87, 9.0, 23, 23),
        ("2024-01", "SPIP", 8, 6, 2, 0.75, 20.0, 8, 8),
        ("2024-02", "AS_SECTEUR", 3, 2, 1, 0.67, 5.0, 3, 3),
        ("2024-02", "SPIP", 30, 15, 12, 15 / 27, 14.0, 27, 27),
    ]])
    shown = gate("referrals-by-source", raw, k=5, k_sensitive=11, exact=True)
    assert shown.row_k == ROW_K
    marks = trace(referrals_over_time(shown, "fr", LABELS, "month"), "Masqué")
    assert list(marks.text) == ["< 11", "< 5"]
    heatmap = acceptance_heatmap(shown, "en", LABELS, "month")
    assert [list(r) for r in heatmap.data[1].text] == [["hidden", "hidden"], ["hidden", ""]]
    assert not any("< 5" in s or "< 11" in s for s in strings(heatmap))
    assert heatmap.data[0].z[1][1] == pytest.approx(56.0)  # published in whole percent
