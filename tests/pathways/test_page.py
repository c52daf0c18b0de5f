"""The page Parcours et durées through Streamlit's AppTest, in French and in English (hand figures in
``tests/pathways/fixture.py``; exact mode, k = 5 on screen)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from tests.metrics.fixtures import make_db
from tests.pathways.fixture import rows

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "dashboard" / "app.py")
YEAR_2025 = {"by": "year", "from": "2025-01-01", "to": "2025-12-31"}


@pytest.fixture(scope="module")
def db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return make_db(tmp_path_factory.mktemp("pathways-page") / "parcours.db", **rows())


@pytest.fixture(autouse=True)
def env(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("PARCOURS_DISCLOSURE", "exact")
    for name in ("PARCOURS_LANG", "PARCOURS_MIN_CELL", "PARCOURS_MIN_CELL_PUBLISHED"):
        monkeypatch.delenv(name, raising=False)


def open_page(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    for name, value in query.items():
        at.query_params[name] = value
    at.switch_page("../pages/pathways.py")
    at.run()
    assert not at.exception, at.exception
    return at


def charts(at: AppTest) -> dict[str, dict[str, Any]]:
    out = {}
    for element in at.get("plotly_chart"):
        figure = json.loads(element.proto.spec)
        out[figure["layout"]["title"]["text"]] = figure
    return out


def curve(figure: dict[str, Any], name: str) -> list[Any]:
    found = [trace for trace in figure["data"] if trace.get("name") == name]
    assert len(found) == 1, [trace.get("name") for trace in figure["data"]]
    return found[0]["y"]


def test_page_in_french() -> None:
    at = open_page(**YEAR_2025)
    assert at.title[0].value == "Parcours et durées"
    shown = charts(at)
    sankey = shown["De l'orientation à la sortie"]["data"][0]
    # Node labels are shortened for phones; the hover has the whole name and the node's persons.
    hovers = [text.split("<br>") for text in sankey["node"]["customdata"]]
    names = [name for name, _ in hovers]
    flows = sorted((names[s], names[t], v) for s, t, v in
                   zip(sankey["link"]["source"], sankey["link"]["target"], sankey["link"]["value"], strict=True))
    assert flows == sorted([
        ("Assistant·e social·e de secteur", "Hébergement d'insertion", 8), ("Autres orientations", "Hébergement d'insertion", 5),
        ("SIAO / 115", "Hébergement d'insertion", 6), ("Hébergement d'insertion", "Logement accompagné", 5),
        ("Hébergement d'insertion", "Logement autonome", 14),
    ])
    assert dict(hovers)["Hébergement d'insertion"] == "19 personnes"
    assert all(len(label) <= 16 for label in sankey["node"]["label"])
    subtitle = shown["De l'orientation à la sortie"]["layout"]["title"]["subtitle"]["text"]
    assert "regroupés dans « Autres »" in subtitle and "retirés du schéma" in subtitle
    # Survival at day 0, 30, 90, 180, 365, 730: 1, 1, 0.45, 0.45, then hidden (nobody left to follow).
    survival = shown["Encore accompagnés, par dispositif"]
    assert curve(survival, "Hébergement d'insertion") == [1.0, 1.0, 0.45, 0.45, None, None]
    housing = shown["Sortis vers un logement, par dispositif"]
    assert curve(housing, "Hébergement d'insertion") == [0.0, 0.0, 0.55, 0.55, None, None]
    assert "Accueil de jour" not in [trace.get("name") for trace in survival["data"]]  # one period: hidden whole
    at.toggle(key="show_tables").set_value(True).run()
    assert not at.exception, at.exception
    # The table of the six published columns (its cells' format is the tables' own, tested with them).
    assert list(at.dataframe[0].value.columns) == ["Dispositif", "Jour", "Encore suivis", "Encore accompagnés",
                                                   "Sortis vers un logement", "Sortis autrement"]
    flows = at.dataframe[1].value.to_dict("records")
    assert {"De": "Autres orientations", "Vers": "Hébergement d'insertion", "Personnes": 5} in flows


def test_page_in_english() -> None:
    at = open_page(lang="en", **YEAR_2025)
    assert at.title[0].value == "Pathways and time to exit"
    shown = charts(at)
    assert set(shown) >= {"From referral to exit", "Still accompanied, by program", "Left to housing, by program",
                          "Left otherwise (death included), by program"}
    hovers = dict(text.split("<br>") for text in shown["From referral to exit"]["data"][0]["node"]["customdata"])
    assert hovers["Other referrals"] == "5 people" and hovers["Independent housing"] == "14 people"
    assert curve(shown["Still accompanied, by program"], "Transitional housing") == [1.0, 1.0, 0.45, 0.45, None, None]
    assert {"Where people come from, where they go", "How long until the exit"} <= {s.value for s in at.subheader}


def test_a_selection_too_small_shows_nothing() -> None:
    at = open_page(program="ACCUEIL_JOUR", **YEAR_2025)
    assert not at.get("plotly_chart")
    assert at.warning and "5" in at.warning[0].value
