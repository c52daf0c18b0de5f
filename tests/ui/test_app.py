"""The app shell through Streamlit's AppTest: every page in both languages,
the language switch, filters restored from and written to the URL, the
data page's figures, an empty database."""

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.formatting import THIN
from tests.ui.conftest import APP, PAGES, TIMEOUT

TITLES = {
    "overview": ("Vue d'ensemble", "Overview"),
    "referrals": ("Orientations", "Referrals"),
    "needs": ("Besoins", "Needs"),
    "workshops": ("Ateliers", "Workshops"),
    "exits": ("Sorties", "Exits"),
    "pathways": ("Parcours et durées", "Pathways and time to exit"),
    "data": ("Données & définitions", "Data & definitions"),
    "quality": ("Qualité des données", "Data quality"),
    "analyses": ("Analyses", "Analyses"),
    "load": ("Importer", "Import"),
    "cohorts": ("Cohortes", "Cohorts"),
}
# The import page reads no figures; the cohorts page's cohorts replace the filters (tests/ui/test_cohorts_page.py).
NO_FILTER_BAR = {"load", "cohorts"}


def open_page(page: str, **query: str | list[str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for name, value in query.items():
        at.query_params[name] = value
    at.switch_page(f"../pages/{page}.py")
    return at.run()


def texts(at: AppTest) -> str:
    """Everything written on the page (markdown, captions, alerts, metrics)."""
    parts = [e.value for kind in ("markdown", "caption", "info", "warning", "success", "error", "title", "header",
                                  "subheader") for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value} {m.delta}" for m in at.metric]
    return "\n".join(str(p) for p in parts)


def test_every_page_file_is_known():
    assert set(PAGES) <= set(TITLES)


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_in_both_languages(ui_db, page, lang):
    at = open_page(page, lang=lang) if lang == "en" else open_page(page)
    assert not at.exception, at.exception
    assert at.title[0].value == TITLES[page][lang == "en"]
    assert at.sidebar.toggle(key="w_lang").value is (lang == "en")
    if page in NO_FILTER_BAR:
        return
    # Codes never reach the screen: every filter shows labels.
    sexes = at.sidebar.multiselect(key="w_sexes")
    expected = ["Femme", "Homme", "Autre", "Non renseigné"] if lang == "fr" else ["Woman", "Man", "Other", "Not recorded"]
    assert sexes.options == expected
    shown = texts(at)
    for code in ("HEBERGEMENT_INSERTION", "AS_SECTEUR", "LOGEMENT_AUTONOME", "EXPRESSION"):
        assert code not in shown
    for frame in at.dataframe:
        cells = " ".join(str(v) for v in frame.value.to_numpy().ravel())
        assert "HEBERGEMENT_INSERTION" not in cells and "AS_SECTEUR" not in cells


def test_language_switch_changes_the_interface_and_the_url(ui_db):
    at = open_page("data")
    assert at.title[0].value == "Données & définitions"
    assert "lang" not in at.query_params
    at.sidebar.toggle(key="w_lang").set_value(True).run()
    assert at.title[0].value == "Data & definitions"
    assert at.query_params["lang"] == ["en"] or at.query_params["lang"] == "en"
    assert at.sidebar.date_input(key="w_from").label == "From"
    at.sidebar.toggle(key="w_lang").set_value(False).run()
    assert at.title[0].value == "Données & définitions"
    assert "lang" not in at.query_params


def test_default_language_comes_from_the_setting(ui_db, monkeypatch):
    monkeypatch.setenv("PARCOURS_LANG", "en")
    at = open_page("data")
    assert at.title[0].value == "Data & definitions"
    fr = open_page("data", lang="fr")
    assert fr.title[0].value == "Données & définitions"
    assert fr.query_params["lang"] in ("fr", ["fr"])  # differs from the default: kept in the link


def test_url_restores_the_filters(ui_db):
    at = open_page("data", **{"from": "2025-01-01", "to": "2025-06-30", "by": "quarter", "sex": "F",
                              "structure": "S1", "source": ["SIAO", "AS_SECTEUR"], "age": "26_44"})
    assert not at.exception
    bar = at.sidebar
    assert bar.date_input(key="w_from").value == date(2025, 1, 1)
    assert bar.date_input(key="w_to").value == date(2025, 6, 30)
    assert bar.selectbox(key="w_by").value == "quarter"
    assert bar.selectbox(key="w_by").format_func("quarter") == "Trimestre"
    assert bar.multiselect(key="w_sexes").value == ["F"]
    assert bar.multiselect(key="w_structures").value == ["S1"]
    # one value per filter: the link's first source is kept, and the sidebar says why
    assert bar.multiselect(key="w_sources").value == ["AS_SECTEUR"]
    assert any(c.value.startswith("Un seul choix par filtre (ou tous)") for c in bar.caption)
    assert bar.multiselect(key="w_age_bands").value == ["26_44"]
    # ...and the URL still carries them after the run.
    assert at.query_params["from"] in ("2025-01-01", ["2025-01-01"])
    assert at.query_params["source"] in ("AS_SECTEUR", ["AS_SECTEUR"])


def test_unknown_values_in_a_link_are_dropped(ui_db):
    at = open_page("data", sex="Z", structure=["S1", "NOPE"], by="week", **{"from": "not-a-date"})
    assert not at.exception
    assert at.sidebar.multiselect(key="w_sexes").value == []
    assert at.sidebar.multiselect(key="w_structures").value == ["S1"]
    assert at.sidebar.selectbox(key="w_by").value == "month"


def test_changing_a_filter_updates_the_url(ui_db):
    at = open_page("data")
    assert "sex" not in at.query_params and "from" not in at.query_params
    at.sidebar.multiselect(key="w_sexes").select("M").run()
    assert list(at.query_params["sex"]) == ["M"] or at.query_params["sex"] == "M"
    at.sidebar.date_input(key="w_from").set_value(date(2025, 2, 1)).run()
    assert at.query_params["from"] in ("2025-02-01", ["2025-02-01"])
    assert at.query_params["to"] in ("2025-12-31", ["2025-12-31"])
    at.sidebar.button(key="w_reset").click().run()
    assert "sex" not in at.query_params and "from" not in at.query_params
    assert at.sidebar.multiselect(key="w_sexes").value == []


def test_default_periods(ui_db):
    """Overview: the last 12 whole months; trend pages: three calendar years (here from the first day of data)."""
    overview = open_page("overview")
    assert overview.sidebar.date_input(key="w_from").value == date(2025, 1, 1)
    assert overview.sidebar.date_input(key="w_to").value == date(2025, 12, 31)
    data = open_page("data")
    assert data.sidebar.date_input(key="w_from").value == date(2024, 1, 1)
    assert data.sidebar.date_input(key="w_to").value == date(2025, 12, 31)


def test_filters_survive_a_page_change(ui_db):
    at = open_page("data", sex="F")
    at.switch_page("../pages/overview.py").run()
    assert at.sidebar.multiselect(key="w_sexes").value == ["F"]
    assert at.query_params["sex"] in ("F", ["F"])


@pytest.mark.parametrize(("lang", "referrals", "structure_type"), [
    ("fr", f"2{THIN}234", "Centre social"),
    ("en", "2,234", "Social centre"),
])
def test_data_page_figures(ui_db, lang, referrals, structure_type):
    at = open_page("data", lang=lang)
    rows = at.dataframe[0].value
    assert rows.iloc[2].tolist() == [("Orientations" if lang == "fr" else "Referrals"), referrals]
    assert rows.iloc[1].tolist()[1] == "40"
    structures = at.dataframe[1].value
    assert structures.iloc[:, 1].tolist() == ["CHRS" if lang == "fr" else "Shelter (CHRS)", structure_type]
    loads = at.dataframe[2].value
    assert loads.iloc[0, 1] == "05/01/2026 09:30"
    assert loads.iloc[0, -1] == "2"
    assert loads.iloc[0, 6:10].tolist() == [f"2{THIN if lang == 'fr' else ','}274", "0", "0", "0"]
    assert "exports/tilleuls-2025" not in loads.to_numpy().ravel().tolist()  # no dataset path on screen
    # Warnings: counts per load and kind in words, never a line, value or code (a kind the app does not know is "other").
    warnings = at.dataframe[3].value
    assert warnings.iloc[:, [0, 2, 3]].values.tolist() == (
        [["1", "Âge improbable au premier contact", "1"], ["1", "Autre avertissement", "1"]] if lang == "fr"
        else [["1", "Implausible age at first contact", "1"], ["1", "Other warning", "1"]]
    )
    shown = texts(at)
    assert "docs/data-dictionary.md" in shown
    assert ("k = 5 à l'écran, 11 pour ce qui est publié" if lang == "fr" else "k = 5 on screen, 11 for anything published") in shown
    assert ("Définitions initiales." if lang == "fr" else "Initial definitions.") in shown


def test_thresholds_come_from_the_settings(ui_db, monkeypatch):
    monkeypatch.setenv("PARCOURS_MIN_CELL", "7")
    at = open_page("data")
    assert "k = 7 à l'écran, 11 pour ce qui est publié" in texts(at)


def test_a_bad_threshold_setting_is_a_clear_message(ui_db, monkeypatch):
    monkeypatch.setenv("PARCOURS_MIN_CELL", "cinq")
    at = open_page("overview")
    assert not at.exception
    assert "PARCOURS_MIN_CELL" in at.error[0].value and "'cinq'" in at.error[0].value


def test_empty_database_says_so(empty_db):
    at = open_page("overview")
    assert not at.exception
    assert "La base de données est vide" in at.info[0].value


def test_default_period_rule():
    from types import SimpleNamespace

    from dashboard.ui.filterbar import default_period

    long_history = SimpleNamespace(first_day=date(2018, 1, 1), last_day=date(2026, 11, 20))
    assert default_period("needs", long_history) == (date(2024, 1, 1), date(2026, 10, 31))  # the last whole month
    assert default_period("needs", long_history, "quarter") == (date(2024, 1, 1), date(2026, 9, 30))
    assert default_period("overview", long_history) == (date(2025, 11, 1), date(2026, 10, 31))
    short_history = SimpleNamespace(first_day=date(2026, 3, 5), last_day=date(2026, 11, 20))
    assert default_period("exits", short_history) == (date(2026, 3, 5), date(2026, 10, 31))
    assert default_period("exits", short_history, "year") == (date(2026, 3, 5), date(2026, 11, 20))  # no whole year


@pytest.mark.parametrize("mode", ["protected", "exact"])
def test_data_page_says_which_disclosure_mode_is_in_force(ui_db, monkeypatch, mode):
    monkeypatch.setenv("PARCOURS_DISCLOSURE", mode)
    at = open_page("data", lang="fr")
    assert not at.exception
    said = [i.value for i in at.info]
    expected = "Mode en vigueur : protégé." if mode == "protected" else "Mode en vigueur : exact (réservé aux responsables"
    assert any(text.startswith(expected) for text in said), said
