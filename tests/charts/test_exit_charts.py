"""Sorties charts on small hand-written frames."""

from dashboard.charts.exits import exit_rate_lines, exits_by, median_stay
from dashboard.charts.layout import y_title_of
from tests.charts.helpers import LABELS, THIN, protect, subtitle, trace

NBSP = "\u00a0"
EXITS = ["period", "program", "exits", "housing_positive", "housing_positive_rate", "dynamic_exits", "dynamic_exit_rate",
         "median_stay_days"]
ROWS = [
    ("2024", "HEBERGEMENT_INSERTION", 30, 12, 0.4, 6, 0.2, 200.0),
    ("2024", "SOINS", 3, 1, 1 / 3, 0, 0.0, 90.0),
    ("2024", "TOTAL", 33, 13, 13 / 33, 6, 6 / 33, 180.0),
    ("2025", "HEBERGEMENT_INSERTION", 1000, 500, 0.5, 100, 0.1, 210.0),
    ("2025", "TOTAL", 1000, 500, 0.5, 100, 0.1, 210.0),
]


def exits():
    counts, figures = ["exits", "housing_positive", "dynamic_exits"], ["housing_positive_rate", "dynamic_exit_rate",
                                                                        "median_stay_days"]
    return protect([dict(zip(EXITS, r, strict=True)) for r in ROWS], {c: [1] for c in counts}, masked={c: [1] for c in figures})


def test_rate_lines_total_in_bold_programs_as_labels():
    fig = exit_rate_lines(exits(), "housing_positive_rate", "fr", LABELS, "year")
    total = trace(fig, "Ensemble")
    assert total.line.width == 4
    assert list(total.y) == [100 * 13 / 33, 50.0]
    assert list(trace(fig, "Hébergement d'insertion").y) == [40.0, 50.0]
    assert list(trace(fig, "Soins").y) == [None, None]
    assert list(trace(fig, "Masqué").x) == ["2024"]
    assert list(trace(fig, "Masqué").hovertext) == ["Soins : masqué"]
    assert trace(fig, "Masqué").text is None and trace(fig, "Masqué").mode == "markers"  # a tick on the axis, no words
    assert fig.layout.yaxis.ticksuffix == NBSP + "%"
    assert f"n = 1{THIN}033 sorties" in subtitle(fig)


def test_median_stay_of_all_programs():
    fig = median_stay(exits(), "fr", "year")
    assert list(fig.data[0].y) == [180.0, 210.0]
    assert y_title_of(fig) == "Durée médiane (jours)" and fig.layout.yaxis.title.text is None


def test_exits_by_housing_destination():
    rows = [
        {"period": "2024-Q1", "destination": "LOGEMENT_AUTONOME", "exits": 12},
        {"period": "2024-Q1", "destination": None, "exits": 7},
        {"period": "2024-Q2", "destination": "RUE", "exits": 2},
    ]
    fig = exits_by(protect(rows, {"exits": [2]}), "housing", "fr", LABELS, "quarter")
    assert list(trace(fig, "Logement autonome").x) == ["T1 2024", "T2 2024"]
    assert list(trace(fig, "Logement autonome").y) == [12, None]
    assert list(trace(fig, "Non renseigné").y) == [7, None]
    assert list(trace(fig, "Masqué (< 5)").hovertext) == ["Rue : < 5"]
    assert "n = 19 sorties" in subtitle(fig)


def test_charts_carry_the_template_whatever_plotlys_default():
    """Importing Streamlit makes its own template Plotly's default: charts must not depend on it."""
    import plotly.io as pio

    from dashboard.theme import PALETTE

    previous = pio.templates.default
    pio.templates.default = "plotly"
    try:
        fig = median_stay(exits(), "fr", "year")
    finally:
        pio.templates.default = previous
    assert list(fig.layout.template.layout.colorway) == PALETTE
