"""Orientations charts on small hand-written frames."""

from dashboard.charts.layout import y_title_of
from dashboard.charts.referrals import acceptance_heatmap, delay_heatmap, referrals_over_time, source_shares, territories
from tests.charts.helpers import LABELS, THIN, protect, subtitle, trace

NBSP = "\u00a0"
COLUMNS = ["period", "source", "referrals", "accepted", "refused", "acceptance_rate", "median_days_to_decision"]
ROWS = [
    ("2024-01", "AS_SECTEUR", 1000, 600, 200, 0.75, 12.0),
    ("2024-01", "SPIP", 3, 1, 1, 0.5, 20.0),
    ("2024-01", "TOTAL", 1003, 601, 201, 601 / 802, 12.0),
    ("2024-02", "AS_SECTEUR", 231, 100, 100, 0.5, 9.0),
    ("2024-02", "SPIP", 12, 6, 2, 0.75, 15.0),
    ("2024-02", "TOTAL", 243, 106, 102, 106 / 208, 9.5),
]
# The SPIP row of January is too small: its counts read "< 5", its rate and median "masqué".
HIDDEN = {c: [1] for c in COLUMNS[2:5]}
MASKED = {c: [1] for c in COLUMNS[5:]}


def by_source():
    return protect([dict(zip(COLUMNS, r, strict=True)) for r in ROWS], HIDDEN, masked=MASKED)


def test_stacked_bars_show_labels_counts_and_the_total_n_in_french():
    fig = referrals_over_time(by_source(), "fr", LABELS, "month")
    assert fig.layout.title.text == "Orientations reçues, par source"
    assert f"n = 1{THIN}246 orientations" in subtitle(fig)
    social = trace(fig, "Assistant·e social·e de secteur")
    assert list(social.x) == ["janv. 2024", "févr. 2024"]
    assert list(social.y) == [1000, 231]
    assert list(social.customdata) == ["AS_SECTEUR", "AS_SECTEUR"]
    assert list(trace(fig, "SPIP (probation)").y) == [None, 12]
    assert fig.layout.separators == ", "
    assert ",.0f" in social.hovertemplate
    assert fig.layout.xaxis.title.text == "Mois"
    assert y_title_of(fig) == "Orientations (nombre)"


def test_hidden_cell_is_marked_not_drawn_as_zero():
    fig = referrals_over_time(by_source(), "fr", LABELS, "month")
    marks = trace(fig, "Masqué (< 5)")
    assert list(marks.x) == ["janv. 2024"]
    assert list(marks.text) == ["< 5"]
    assert "SPIP (probation) : < 5" in marks.hovertext[0]
    assert "« < 5 » : moins de 5 personnes" in subtitle(fig)


def test_no_hidden_cell_no_marker_and_no_note():
    fig = referrals_over_time(protect([dict(zip(COLUMNS, r, strict=True)) for r in ROWS[3:]]), "fr", LABELS, "month")
    assert all(t.name != "Masqué (< 5)" for t in fig.data)
    assert "secret statistique" not in subtitle(fig)
    assert "n = 243 orientations" in subtitle(fig)


def test_english_labels_and_number_format():
    fig = referrals_over_time(by_source(), "en", LABELS, "quarter")
    assert fig.layout.separators == ".,"
    assert "n = 1,246 referrals" in subtitle(fig)
    assert list(trace(fig, "Sector social worker").x) == ["Jan 2024", "Feb 2024"]
    assert fig.layout.xaxis.title.text == "Quarter"


def test_more_than_seven_sources_keep_the_largest_and_sum_the_rest_as_others():
    sources = ["AS_SECTEUR", "REFERENT_RSA", "CCAS", "SPIP", "FRANCE_TRAVAIL", "MISSION_LOCALE", "SIAO", "SANTE", "BAILLEUR"]
    rows = [dict(zip(COLUMNS, ("2024", s, 90 - 10 * i, 0, 0, None, None), strict=True)) for i, s in enumerate(sources)]
    fig = referrals_over_time(protect(rows), "fr", LABELS, "year")
    bars = [t for t in fig.data if t.type == "bar"]
    assert len(bars) == 8
    assert list(trace(fig, "Autres").y) == [30]
    assert "Bailleur social" not in [t.name for t in bars]
    assert [t.name for t in bars][0] == "Assistant·e social·e de secteur"  # code-list order, Others last


def test_source_shares_sum_visible_cells_over_the_total_and_flag_partial_sums():
    fig = source_shares(by_source(), "fr", LABELS)
    bars = fig.data[0]
    assert list(bars.y) == ["SPIP (probation)", "Assistant·e social·e de secteur"]
    assert list(bars.x) == [12, 1231]
    # SPIP's January cell is hidden: 12 / 1 246 is a lower bound.
    assert list(bars.text) == [f"≥ 1{NBSP}%", f"99{NBSP}%"]
    assert list(bars.customdata) == ["SPIP", "AS_SECTEUR"]
    assert f"n = 1{THIN}246 orientations" in subtitle(fig)
    assert "< 5" in subtitle(fig)


def test_source_with_only_hidden_cells_reads_hidden_not_zero():
    rows = [dict(zip(COLUMNS, r, strict=True)) for r in ROWS[:3]]
    bars = source_shares(protect(rows, HIDDEN, masked=MASKED), "fr", LABELS).data[0]
    expected = {"SPIP (probation)": "masqué", "Assistant·e social·e de secteur": f"100{NBSP}%"}
    assert dict(zip(bars.y, bars.text, strict=True)) == expected


def test_acceptance_heatmap_in_percent_with_hidden_cell_veiled():
    fig = acceptance_heatmap(by_source(), "fr", LABELS, "month")
    main, veil = fig.data
    assert list(main.y) == ["Assistant·e social·e de secteur", "SPIP (probation)", "Ensemble"]
    assert [list(r) for r in main.z][:2] == [[75.0, 50.0], [None, 75.0]]
    assert [list(r) for r in veil.text][1] == ["masqué", ""]  # a rate hidden with its counts: never "< 5" (%)
    assert main.colorbar.ticksuffix == NBSP + "%"
    assert f"n = 1{THIN}010 décisions" in subtitle(fig)


def test_delay_heatmap_in_days():
    fig = delay_heatmap(by_source(), "en", LABELS, "month")
    assert [list(r) for r in fig.data[0].z][0] == [12.0, 9.0]
    assert fig.data[0].colorbar.title.text == "Days"


def test_territories_show_priority_share_and_mark_hidden_rows():
    rows = [
        {"territory": "Lille", "referrals": 120, "persons": 100, "priority_area_share": 0.25},
        {"territory": "Roubaix", "referrals": 1540, "persons": 1200, "priority_area_share": 0.5},
        {"territory": "Tourcoing", "referrals": 3, "persons": 3, "priority_area_share": 1.0},
    ]
    fig = territories(protect(rows, {"referrals": [2], "persons": [2], "priority_area_share": [2]}), "fr")
    bars = fig.data[0]
    assert list(bars.y) == ["Tourcoing", "Lille", "Roubaix"]
    assert list(bars.text) == ["QPV : < 5", f"QPV : 25{NBSP}%", f"QPV : 50{NBSP}%"]  # says what is under 5
    assert list(trace(fig, "Masqué (< 5)").y) == ["Tourcoing"]
    assert f"n = 1{THIN}660 orientations" in subtitle(fig)


def test_a_click_event_gives_the_source_code_of_the_bar():
    from dashboard.charts.base import picked_code

    event = {"selection": {"points": [{"curve_number": 0, "x": "janv. 2024", "y": 1000, "customdata": "AS_SECTEUR"}]}}
    assert picked_code(event) == "AS_SECTEUR"
    assert picked_code({"selection": {"points": [{"customdata": ""}]}}) is None  # "Others" carries no code
    assert picked_code({"selection": {"points": [{"customdata": ["SPIP", 3]}]}}) == "SPIP"
    assert picked_code({"selection": {"points": []}}) is None
    assert picked_code(None) is None
