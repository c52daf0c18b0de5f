"""The Analyses page through AppTest, in French and English, on the demo with the planted effect; and on the
small interface fixture, where the groups are too small to show anything."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.conftest import APP, ui_db, ui_db_url  # noqa: F401  (fixtures)

TIMEOUT = 180


def open_page(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for name, value in query.items():
        at.query_params[name] = value
    at.switch_page("../pages/analyses.py")
    return at.run()


@pytest.fixture
def demo_db(effect_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", effect_url)
    monkeypatch.delenv("PARCOURS_LANG", raising=False)


WORDS = {
    "fr": {"title": "Analyses", "observational": "Estimation observationnelle sous hypothèses",
           "ipw": "Ajusté (IPW)", "method": "Méthode, hypothèses et limites", "types": "Types de situations à l'entrée",
           "type_col": "Type"},
    "en": {"title": "Analyses", "observational": "An observational estimate under assumptions",
           "ipw": "Adjusted (IPW)", "method": "Method, assumptions and limits", "types": "Kinds of situations at entry",
           "type_col": "Type"},
}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_page_in_both_languages(demo_db, lang):
    at = open_page(**({"lang": "en"} if lang == "en" else {}))
    words = WORDS[lang]
    assert not at.exception, at.exception
    assert at.title[0].value == words["title"]
    assert any(c.value.startswith(words["observational"]) for c in at.caption)
    estimates = at.dataframe[0].value
    assert words["ipw"] in estimates.columns
    assert len(estimates) == 12  # one row per outcome
    assert at.expander[0].label == words["method"]
    assert words["types"] in [s.value for s in at.main.subheader]
    evolution = at.dataframe[1].value
    assert evolution.columns[0] == words["type_col"] and len(evolution) == 2
    text = " ".join(str(v) for v in estimates.to_numpy().ravel())
    assert "distance_" not in text  # outcomes in words, never codes


def test_exposure_inputs_change_the_analysis(demo_db):
    at = open_page()
    before = at.dataframe[0].value.copy()
    at.number_input(key="an_sessions").set_value(8).run()
    assert not at.exception
    assert not at.dataframe[0].value.equals(before)


def test_too_few_persons_show_no_estimate(ui_db):  # noqa: F811
    at = open_page()
    assert not at.exception
    assert at.title[0].value == "Analyses"
    assert any("Trop peu de personnes" in i.value for i in at.info)
    assert len(at.dataframe) == 0


def test_a_cohort_in_the_link_replaces_the_filters(demo_db):
    at = open_page(c1_anchor="entry", c1_from="2022-01-01", c1_to="2023-12-31")
    assert not at.exception, at.exception
    assert any(c.value.startswith("Personnes de la cohorte du lien") for c in at.caption)
    with_cohort = at.dataframe[0].value
    plain = open_page().dataframe[0].value
    assert len(with_cohort) == 12 and not with_cohort.equals(plain)
