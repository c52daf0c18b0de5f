"""Tables sort by value, hidden cells last, periods in time order; cells still read as on screen."""

from dataclasses import replace

import polars as pl

from dashboard.ui.show import sortable_table
from tests.ui.test_show import HIDDEN, TABLE, ctx, protected

ROWS = pl.DataFrame({
    "period": ["2024-10", "2024-02", "2024-03", "2024-11"],
    "source": ["SIAO", "SPIP", "AS_SECTEUR", "SIAO"],
    "referrals": [10, None, 104, 11],
    "acceptance_rate": [0.5, None, 0.25, 1.0],
    "median_days_to_decision": [3.0, None, 12.0, 7.0],
})
ROWS_HIDDEN = {"referrals": [False, True, False, False], "acceptance_rate": [False, True, False, False],
               "median_days_to_decision": [False, True, False, False]}


def order(styler, heading: str, descending: bool) -> list[str]:
    """The cells of ``heading`` as shown, in the order a click on the heading gives (Streamlit sorts the data,
    then shows each cell's display value)."""
    frame = styler.data.sort_values(heading, ascending=not descending, kind="stable")
    body = styler._translate(False, False)["body"]  # display values row by row, in the data's order
    column = list(styler.data.columns).index(heading) + 1  # after the index cell
    return [body[i][column]["display_value"] for i in frame.index]


def test_counts_sort_by_value_with_hidden_cells_last(ui_db_url):
    four = protected(ROWS.with_columns(), ROWS_HIDDEN)
    table = sortable_table(replace(four, row_k=(5, 11, 5, 5)), ctx(ui_db_url, "fr"))
    assert order(table, "Orientations", descending=True) == ["104", "11", "10", "< 11"]
    assert order(table, "Orientations", descending=False) == ["< 11", "10", "11", "104"]  # not "< 11, 10, 104, 11"
    assert order(table, "Taux d'acceptation", descending=True) == ["100\u00a0%", "50\u00a0%", "25\u00a0%", "masqué"]
    assert order(table, "Période", descending=False) == ["févr. 2024", "mars 2024", "oct. 2024", "nov. 2024"]
    assert order(table, "Délai médian de décision (jours)", descending=True) == ["12", "7", "3", "masqué"]


def test_the_browser_gets_no_value_of_a_hidden_cell(ui_db_url):
    data = sortable_table(protected(TABLE, HIDDEN), ctx(ui_db_url, "en")).data
    assert data["Referrals"].tolist()[1] == float("-inf")
    assert data["Acceptance rate"].tolist()[1] == float("-inf")
    assert data["Source"].tolist() == ["Housing helpline (SIAO / 115)", "Probation service (SPIP)", "Total"]
