"""The "Qualité des données" page through AppTest, in French and English: counts after the gate (exact mode,
k = 5), the score, the trend over loads, nothing row-level, and a structure too small to show."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import insert
from streamlit.testing.v1 import AppTest

from models.db import make_engine
from models.tables import Load, LoadQuality
from tests.metrics.fixtures import write_rows
from tests.quality.fixture import rows
from tests.quality.test_counts import LOG
from tests.ui.conftest import APP, TIMEOUT

TITLES = {"fr": "Qualité des données", "en": "Data quality"}
OVERLAP = {"fr": "Accompagnements qui se chevauchent (même personne, même dispositif)",
           "en": "Overlapping support periods (same person, same program)"}
# Ids, dates and names of rows that a count could stand for: none may reach the page.
ROW_LEVEL = ("P01", "P05", "P06", "P10", "A3", "A9", "R2", "R5", "W2", "Vide", "2024-03-02", "02/03/2024")


@pytest.fixture(scope="module")
def quality_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{Path(tmp_path_factory.mktemp('quality-page')) / 'parcours.db'}"
    engine = make_engine(url)
    write_rows(engine, **rows())
    with engine.begin() as conn:
        conn.execute(insert(Load.__table__), [  # type: ignore[attr-defined]
            {"id": n, "started_at": datetime(2025, 1, n, 9, tzinfo=UTC), "finished_at": datetime(2025, 1, n, 10, tzinfo=UTC),
             "source": f"export-{n}", "structures": "S1", "replace": False, "pseudonymised": False} for n in (1, 2, 3)
        ])
        conn.execute(insert(LoadQuality.__table__), LOG.to_dicts())  # type: ignore[attr-defined]
    engine.dispose()
    return url


@pytest.fixture
def quality_db(quality_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("DATABASE_URL", quality_url)
    for name in ("PARCOURS_LANG", "PARCOURS_MIN_CELL", "PARCOURS_MIN_CELL_PUBLISHED"):
        monkeypatch.delenv(name, raising=False)
    yield quality_url


def open_quality(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for name, value in query.items():
        at.query_params[name] = value
    at.switch_page("../pages/quality.py")
    return at.run()


def frames(at: AppTest) -> list[dict[str, list[str]]]:
    return [{str(c): [str(v) for v in f.value[c].tolist()] for c in f.value.columns} for f in at.table]


def everything(at: AppTest) -> str:
    parts = [str(e.value) for kind in ("markdown", "caption", "info", "warning", "title", "subheader")
             for e in getattr(at, kind)]
    parts += [" ".join(" ".join(column) for column in frame.values()) for frame in frames(at)]
    return "\n".join(parts)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_page_in_both_languages(quality_db: str, lang: str) -> None:
    at = open_quality(structure="S1", **({"lang": "en"} if lang == "en" else {}))
    assert not at.exception, at.exception
    assert at.title[0].value == TITLES[lang]
    scores, completeness, consistency, trends = frames(at)
    fr = lang == "fr"
    # Score of S1: 74.2 shown in 5-point steps as 75, band B; its timeliness from load 2 (9 of 10 on time).
    assert scores["Score"] == ["75 · B"]
    assert scores[("Délais" if fr else "Timeliness")] == ["90\u00a0%" if fr else "90%"]
    rule = "Règle" if fr else "Rule"
    row = consistency[rule].index(OVERLAP[lang])
    judged, flagged, share = ("Examinées", "Signalées", "% signalées") if fr else ("Judged", "Flagged", "% flagged")
    assert (consistency[judged][row], consistency[flagged][row], consistency[share][row]) == \
        ("10", "< 5", "masqué" if fr else "hidden")
    column = "Colonne" if fr else "Column"
    sex = completeness[column].index("Personnes · Sexe" if fr else "Persons · Sex")
    assert completeness[("Attendues" if fr else "Expected")][sex] == "12"
    assert completeness[("Manquantes" if fr else "Missing")][sex] == "< 5"
    household = completeness[column].index("Personnes · Composition familiale" if fr else "Persons · Household composition")
    assert completeness[("% manquantes" if fr else "% missing")][household] == ("0\u00a0%" if fr else "0%")
    assert completeness[("% inconnues" if fr else "% unknown")][completeness[column].index(
        "Personnes · Année de naissance" if fr else "Persons · Year of birth")] == "–"  # no "unknown" code there
    assert trends["Score"] == ["90 · A", "100 · A", "–"]  # load 3: under the published k
    assert trends[("Chargement" if fr else "Load")][0] == ("n° 1 · 01/01/2025" if fr else "#1 · 01/01/2025")
    assert len(at.get("plotly_chart")) == 1  # loads 1 and 2 drawn
    shown = everything(at)
    assert [value for value in ROW_LEVEL if value in shown] == []


def test_a_chosen_load_shows_shares_only(quality_db: str) -> None:
    at = open_quality(structure="S1")
    at.selectbox(key="quality_view").set_value(1).run()
    assert not at.exception, at.exception
    completeness, consistency = frames(at)[1:3]
    assert completeness == {"Colonne": ["Personnes · Sexe"], "% manquantes": ["5\u00a0%"], "% inconnues": ["–"]}
    assert consistency == {"Règle": ["Orientations en attente depuis des mois"], "% signalées": ["15\u00a0%"]}


def test_a_structure_under_k_persons_shows_no_figure(quality_db: str) -> None:
    at = open_quality(structure="S2")
    assert not at.exception, at.exception
    assert any("5" in w.value for w in at.warning if "Test" not in w.value)
    assert len(at.table) == 1  # the score table only, where S2 has no score
    assert frames(at)[0]["Score"] == ["–"]
