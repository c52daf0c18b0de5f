"""Tables as shown on screen: labels, language formats, hidden cells, notes."""

import polars as pl

from dashboard.data import read_data
from dashboard.disclosure import Protected
from dashboard.formatting import NBSP, THIN
from dashboard.ui.context import PageContext
from dashboard.ui.show import column_kind, disclosure_notes, display_frame
from models.db import get_engine


def protected(table: pl.DataFrame, hidden: dict[str, list[bool]], notes: tuple[str, ...] = ("PRIMARY",)) -> Protected:
    """What disclosure control hands over: here the SPIP row (sensitive) was protected at 11, and its count
    is the small one; the rate and median computed from it are hidden along."""
    cells = pl.DataFrame({
        c: [("small" if c == "referrals" else "masked") if h else None for h in hidden.get(c, [False] * table.height)]
        for c in table.columns
    }, schema=dict.fromkeys(table.columns, pl.String))
    return Protected(table=table, cells=cells, k=5, too_small=False, notes=notes, row_k=(5, 11, 5),
                     metric="referrals-by-source")


def ctx(url: str, lang: str) -> PageContext:
    return PageContext(lang=lang, data=read_data(get_engine(url)), filters=None, published_k=11, screen_k=5)  # type: ignore[arg-type]


TABLE = pl.DataFrame({
    "period": ["2024-03", "2024-03", "2024-Q2"],
    "source": ["SIAO", "SPIP", "TOTAL"],
    "referrals": [1234, None, 1240],
    "acceptance_rate": [0.125, None, 0.5],
    "median_days_to_decision": [12.0, None, 7.5],
})
HIDDEN = {"referrals": [False, True, False], "acceptance_rate": [False, True, False], "median_days_to_decision": [False, True, False]}


def test_display_in_french(ui_db_url):
    shown = display_frame(protected(TABLE, HIDDEN), ctx(ui_db_url, "fr"))
    assert shown.columns == ["Période", "Origine", "Orientations", "Taux d'acceptation", "Délai médian de décision (jours)"]
    assert shown.rows() == [
        ("mars 2024", "SIAO / 115", f"1{THIN}234", f"13{NBSP}%", "12"),
        ("mars 2024", "SPIP (probation)", "< 11", "masqué", "masqué"),  # a sensitive row: the published threshold
        ("T2 2024", "Total", f"1{THIN}240", f"50{NBSP}%", "8"),  # medians are whole days
    ]


def test_display_in_english_with_chosen_columns(ui_db_url):
    shown = display_frame(protected(TABLE, HIDDEN), ctx(ui_db_url, "en"), {"source": "Who referred", "referrals": ""})
    assert shown.columns == ["Who referred", "Referrals"]
    assert shown.rows() == [("Housing helpline (SIAO / 115)", "1,234"), ("Probation service (SPIP)", "< 11"), ("Total", "1,240")]


def test_notes_say_why_cells_are_hidden(ui_db_url):
    notes = disclosure_notes(protected(TABLE, HIDDEN, ("PRIMARY", "MASKED")), ctx(ui_db_url, "fr"))
    assert notes[0].startswith("Les chiffres sont légèrement perturbés pour protéger les personnes (un total peut différer")
    assert notes[1] == "Petits effectifs : après perturbation, les nombres de personnes entre 1 et 4 ne sont pas affichés."
    assert notes[2].startswith("Un taux, une moyenne ou une médiane n'est affiché que si son effectif atteint le seuil")
    assert disclosure_notes(protected(TABLE, {}), ctx(ui_db_url, "fr")) == []


def test_column_kinds_come_from_the_declaration():
    assert column_kind("needs-over-time", "period", pl.String()) == "period"
    assert column_kind("needs-over-time", "share_in_need", pl.Float64()) == "rate"
    assert column_kind("workshop-cohorts", "retention", pl.Float64()) == "rate"
    assert column_kind("needs-over-time", "mean_level", pl.Float64()) == "mean"
    assert column_kind("workshop-attendance", "mean_persons_per_session", pl.Float64()) == "mean"
    assert column_kind("exits", "median_stay_days", pl.Float64()) == "median"
    assert column_kind("workshop-attendance", "persons", pl.UInt32()) == "int"
    assert column_kind("workshop-attendance", "workshop", pl.String()) == "text"
    # a column nobody declared is read from its type
    assert column_kind("something-new", "x", pl.Float64()) == "decimal"

