"""The overview page shows the hand-computed figures of the fixture (see conftest)."""

from streamlit.testing.v1 import AppTest

from dashboard.formatting import NBSP, THIN
from tests.ui.conftest import APP, TIMEOUT


def open_overview(**query: str | list[str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for name, value in query.items():
        at.query_params[name] = value
    at.switch_page("../pages/overview.py")
    return at.run()


def cards(at: AppTest) -> dict[str, tuple[str, str | None]]:
    return {m.label: (m.value, m.delta) for m in at.metric}


def test_key_figures_in_french(ui_db):
    at = open_overview()
    assert not at.exception, at.exception
    shown = cards(at)
    # Counts change in units and in percent of the previous value: 234 / 1 000 = 23.4 %, -20 / 30 = -66.7 %;
    # no percent when the previous value is 0 (no exit in 2024).
    assert shown["Orientations reçues"] == (f"1{THIN}234", f"+234 (+23{NBSP}%)")
    assert shown["Personnes accompagnées"] == ("30", f"0 (0{NBSP}%)")
    assert shown["Nouvelles personnes"] == ("10", f"-20 (-67{NBSP}%)")
    assert shown["Sorties"] == ("12", "+12")
    assert shown["Sorties vers un logement"] == (f"67{NBSP}%", "")  # no exit in 2024: no previous rate, no change
    assert shown["Sorties dynamiques"] == ("masqué", "")  # 4 dynamic exits: the rate would give them back
    assert shown["Personnes venues en atelier"] == ("6", "+6")
    assert shown["Taux de présence en atelier"] == (f"75{NBSP}%", "")
    captions = " | ".join(c.value for c in at.caption)
    assert f"Période précédente : 1{THIN}000" in captions
    assert "du 01/01/2025 au 31/12/2025" in captions
    assert "n = 9" in captions  # housing rate: 12 exits minus 3 "not applicable"
    assert "n = 32" in captions  # attendance rate: 32 expected attendances


def test_key_figures_in_english(ui_db):
    at = open_overview(lang="en")
    shown = cards(at)
    assert shown["Referrals received"] == ("1,234", "+234 (+23%)")
    assert shown["Exits to housing"] == ("67%", "")
    assert shown["New persons"] == ("10", "-20 (-67%)")


def test_a_filter_in_the_url_changes_the_figures(ui_db):
    at = open_overview(sex="F")
    # Women: 620 referrals in 2025 and 670 in 2024 (see conftest): -50 / 670 = -7.5 %.
    assert cards(at)["Orientations reçues"] == ("620", f"-50 (-7{NBSP}%)")


def test_a_too_small_selection_shows_no_figure(ui_db):
    at = open_overview(sex="AUTRE")
    assert not at.exception
    assert len(at.metric) == 0
    assert at.warning[0].value == "La sélection est trop petite pour afficher des chiffres (moins de 5 personnes)."


def test_an_empty_selection_says_so(ui_db):
    at = open_overview(structure="S2", lang="en")
    assert not at.exception
    assert len(at.metric) == 0
    assert at.info[0].value == "No data for this selection. Widen the period or remove filters."


def test_table_and_downloads_use_labels_and_the_published_threshold(ui_db):
    at = open_overview()
    table = at.dataframe[0].value
    assert table.columns.tolist() == ["Indicateur", "Valeur", "Période précédente", "Évolution", "n"]
    rows = {row[0]: row[1:] for row in table.itertuples(index=False)}
    assert rows["Orientations reçues"] == (f"1{THIN}234", f"1{THIN}000", "+234", "–")  # a count is its own n
    assert rows["Sorties vers un logement"][0] == f"67{NBSP}%"
    assert rows["Sorties vers un logement"][3] == "9"  # 12 exits minus 3 "not applicable"
    labels = [b.label for b in at.main.get("download_button")]
    assert labels == ["Télécharger (CSV)", "Télécharger (Excel)"]
