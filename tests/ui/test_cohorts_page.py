"""The cohorts page through AppTest on the interface fixture (see tests/ui/conftest.py).

2024 referrals go to P01..P30: women P01..P20 (20), men P21..P30 (10); each person's anchor is their first
2024 referral (early January). k = 5 on screen.
"""

import pytest
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from models.db import get_engine
from models.tables import SavedCohort
from tests.ui.conftest import APP, TIMEOUT

WOMEN = {"c1_name": "Femmes 2024", "c1_anchor": "referral", "c1_from": "2024-01-01", "c1_to": "2024-12-31",
         "c1_sex": "F"}
MEN = {"c2_name": "Hommes 2024", "c2_anchor": "referral", "c2_from": "2024-01-01", "c2_to": "2024-12-31",
       "c2_sex": "M"}


def open_cohorts(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for name, value in query.items():
        at.query_params[name] = value
    at.switch_page("../pages/cohorts.py")
    return at.run()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_two_cohorts_side_by_side(ui_db, lang):
    at = open_cohorts(**WOMEN, **MEN, **({"lang": "en"} if lang == "en" else {}))
    assert not at.exception, at.exception
    assert at.title[0].value == ("Cohortes" if lang == "fr" else "Cohorts")
    assert [(m.label, m.value) for m in at.metric] == [("Femmes 2024", "20"), ("Hommes 2024", "10")]
    table = at.dataframe[0].value
    indicator = "Indicateur" if lang == "fr" else "Indicator"
    persons = "Personnes" if lang == "fr" else "Persons"
    members = table[table[indicator] == ("Personnes de la cohorte" if lang == "fr" else "Persons in the cohort")]
    assert members[persons].tolist() == ["20", "10"]
    # Codes never reach the screen.
    assert "SPIP" not in " ".join(str(v) for v in table.to_numpy().ravel())


def test_the_url_carries_the_cohorts(ui_db):
    at = open_cohorts(**WOMEN, **MEN)
    assert at.query_params["c1_sex"] == "F" and at.query_params["c2_sex"] == "M"
    # Change cohort 2's sex to "any": the URL follows, and the cohort is now everyone referred in 2024 (30).
    at.selectbox(key="c2_sex").set_value("").run()
    assert "c2_sex" not in at.query_params
    assert [m.value for m in at.metric] == ["20", "30"]


def test_a_small_cohort_is_hidden_whole(ui_db):
    # P40 ("other") is alone: fewer than k persons.
    other = {"c2_name": "Autre", "c2_anchor": "referral", "c2_from": "2025-01-01", "c2_to": "2025-12-31",
             "c2_sex": "AUTRE"}
    at = open_cohorts(**WOMEN, **other)
    assert not at.exception
    assert [m.value for m in at.metric] == ["20", "—"]
    assert any("Cohorte masquée" in c.value for c in at.caption)


def test_save_and_reopen_a_cohort(ui_db):
    at = open_cohorts(**WOMEN, **MEN)
    at.sidebar.button(key="save_1").click().run()
    assert not at.exception
    with Session(get_engine()) as session:
        names = session.exec(select(SavedCohort.name)).all()
    assert names == ["Femmes 2024"]
    # Open it in cohort 2.
    at.sidebar.radio(key="saved_target").set_value(2).run()
    at.sidebar.button(key="saved_open").click().run()
    assert [m.value for m in at.metric] == ["20", "20"]
    assert at.query_params["c2_sex"] == "F"


def test_an_unknown_code_in_a_link_says_which_criterion(ui_db):
    at = open_cohorts(**WOMEN, **{**MEN, "c2_source": "NOPE"})
    assert not at.exception
    # The select cannot show an unknown code: it falls back to "any", and the cohort is still drawn.
    assert [m.value for m in at.metric] == ["20", "10"]


def test_a_hostile_link_opens_the_page(ui_db):
    hostile = {"c1_name": "<script>alert(1)</script>", "c1_anchor": "referral", "c1_from": "99999-01-01",
               "c1_to": "0001-01-01", "c1_sessions": "-4", "c1_qpv": "peut-être", **MEN}
    at = open_cohorts(**hostile)
    assert not at.exception, at.exception
    # Unreadable values are dropped, year 1 is brought to the data's first day: cohort 1 is everyone referred up to
    # the first month, its name shown as text.
    assert [m.label for m in at.metric] == ["&lt;script&gt;alert(1)&lt;/script&gt;", "Hommes 2024"]
    # A name with a control character is refused with a message that says which cohort and which criterion.
    at = open_cohorts(**{**hostile, "c1_name": "\x1b[31mrouge"})
    assert not at.exception
    assert any("Cohorte 1" in e.value and "name" in e.value for e in at.error)
