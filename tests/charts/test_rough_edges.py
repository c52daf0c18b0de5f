"""Rough edges seen in the browser (issue 10), checked on the figures the builders return."""

from dashboard.charts.base import OTHERS, clicked, picked_code
from dashboard.charts.exits import exit_rate_lines, exits_by
from tests.charts.helpers import LABELS, protect, trace
from tests.charts.test_exit_charts import exits


def test_a_click_on_a_marker_or_on_others_is_a_click_without_a_code() -> None:
    marker = {"selection": {"points": [{"x": "mars 2024", "y": 0}]}}  # a "< 5" marker carries no customdata
    others = {"selection": {"points": [{"customdata": OTHERS}]}}
    assert clicked(marker) and picked_code(marker) is None
    assert clicked(others) and picked_code(others) is None
    assert not clicked({"selection": {"points": []}}) and not clicked(None)
    assert picked_code({"selection": {"points": [{"customdata": "SPIP"}]}}) == "SPIP"


def test_small_counts_tick_on_whole_numbers() -> None:
    rows = [
        {"period": "2024-Q1", "destination": "LOGEMENT_AUTONOME", "exits": 1},
        {"period": "2024-Q1", "destination": "RUE", "exits": 2},  # stacked: 3 in Q1
        {"period": "2024-Q2", "destination": "RUE", "exits": 1},
    ]
    fig = exits_by(protect(rows, k=1), "housing", "fr", LABELS, "quarter")
    assert fig.layout.yaxis.dtick == 1  # Plotly would tick 0, 0.5, 1... read "0 0 1 1 2 2 3" in whole numbers
    big = [{**r, "exits": r["exits"] * 10} for r in rows]  # stacked 30 in Q1: Plotly's own ticks are whole
    assert exits_by(protect(big, k=1), "housing", "fr", LABELS, "quarter").layout.yaxis.dtick is None


def test_exit_rate_lines_fit_half_a_page() -> None:
    fig = exit_rate_lines(exits(), "housing_positive_rate", "fr", LABELS, "year")
    assert fig.layout.legend.orientation == "v"
    assert fig.layout.yaxis.title.text is None  # the ticks say "%": no y-title to run into the subtitle
    assert fig.layout.height == 420 + 20 * 3  # Ensemble and two programs
    marks = trace(fig, "Masqué")
    assert marks.mode == "markers" and marks.marker.symbol == "line-ns-open" and marks.text is None


def test_distance_travelled_speaks_as_its_table_and_keeps_grey_for_hidden() -> None:
    from dashboard.charts.needs import distance_travelled
    from dashboard.i18n import t
    from dashboard.theme import SUPPRESSED_COLOR

    rows = [{"domain": "LOGEMENT", "persons": 20, "improved": 10, "stable": 6, "worsened": 4}]
    fig = distance_travelled(protect(rows), "fr", LABELS)
    names = [tr.name for tr in fig.data if tr.showlegend is not False]
    assert names == [t("col.worsened", "fr"), t("col.stable", "fr"), t("col.improved", "fr")]
    assert names == ["En recul", "Stables", "En progrès"]
    stable = trace(fig, "Stables")
    assert stable.marker.color not in (SUPPRESSED_COLOR, "#BFBFBF") and list(stable.x) == [-15.0]


def test_long_legends_go_two_a_row_and_the_chart_grows_for_them() -> None:
    rows = [{"period": "2024-Q1", "destination": d, "exits": 20} for d in
            ("LOGEMENT_AUTONOME", "LOGEMENT_ACCOMPAGNE", "RUE", "HEBERGEMENT_URGENCE", "SOINS", "TIERS")]
    fig = exits_by(protect(rows), "housing", "fr", LABELS, "quarter")
    assert (fig.layout.legend.entrywidth, fig.layout.legend.entrywidthmode) == (0.5, "fraction")
    assert fig.layout.height == 500 + 20 * (3 - 2)  # six entries: three rows, one more than the two a chart has room for
    # "Hébergement d'insertion" (23 characters) would run under its neighbour on a phone: one entry a row.
    longer = [{**row, "destination": "HEBERGEMENT_INSERTION"} if row["destination"] == "SOINS" else row for row in rows]
    fig = exits_by(protect(longer), "housing", "fr", LABELS, "quarter")
    assert (fig.layout.legend.entrywidth, fig.layout.legend.entrywidthmode) == (1, "fraction")
    assert fig.layout.height == 500 + 20 * (6 - 2)
    few = exits_by(protect(rows[:2]), "housing", "fr", LABELS, "quarter")
    assert few.layout.legend.entrywidth is None and few.layout.height == 500
