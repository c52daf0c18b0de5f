"""The data page shows warnings as counts per load and kind, never a row-level
value: no person id, line, birth year, date of an event or server path, in
French or in English, whatever element it would hide in."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.ui.inventory import warning_counts
from models.db import make_engine
from tests.etl_load.warnings_dataset import (
    BIRTH_YEAR,
    COUNTS,
    LATEST_PERSON_ID,
    PENDING_DATE,
    PERSON_ID,
    PERSON_LINE,
    SECRET_DIR,
    load_both,
)
from tests.ui.test_app import open_page, texts

DB_DIR = "srv-secret-db-5582"
KINDS = {
    "fr": {
        "EXIT_WITHOUT_REASON": "Sortie sans motif",
        "REFERRAL_PENDING_90D": "Orientation en attente depuis plus de 90 jours",
        "AGE_IMPLAUSIBLE": "Âge improbable au premier contact",
        "SUPPORT_OPEN_3Y": "Accompagnement ouvert depuis plus de 3 ans",
        "PERSON_WITHOUT_ACTIVITY": "Personne sans orientation ni accompagnement",
    },
    "en": {
        "EXIT_WITHOUT_REASON": "Exit without a reason",
        "REFERRAL_PENDING_90D": "Referral pending for over 90 days",
        "AGE_IMPLAUSIBLE": "Implausible age at first contact",
        "SUPPORT_OPEN_3Y": "Support period open for over 3 years",
        "PERSON_WITHOUT_ACTIVITY": "Person with no referral and no support period",
    },
}
HEADINGS = {"fr": ("N°", "Date du chargement", "Type d'avertissement", "Nombre"),
            "en": ("No.", "Load date", "Kind of warning", "Count")}
# Row-level values the warnings of the fixture carry, and where the data came from.
SECRETS = (PERSON_ID, LATEST_PERSON_ID, "P-0005", BIRTH_YEAR, PENDING_DATE, "17/03/2023", "03/17/2023", SECRET_DIR,
           "tilleuls", "arc-en-ciel", DB_DIR, "parcours.db", "personnes.csv", "accompagnements.csv",
           f"ligne {PERSON_LINE}", f"line {PERSON_LINE}")


@pytest.fixture(scope="module")
def warnings_db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    root = tmp_path_factory.mktemp(DB_DIR)
    url = f"sqlite:///{root / 'parcours.db'}"
    engine = make_engine(url)
    load_both(engine, root)
    engine.dispose()
    return url


@pytest.fixture
def warnings_db(warnings_db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("DATABASE_URL", warnings_db_url)
    for name in ("PARCOURS_LANG", "PARCOURS_MIN_CELL", "PARCOURS_MIN_CELL_PUBLISHED"):
        monkeypatch.delenv(name, raising=False)
    yield warnings_db_url


def sent_to_browser(at: AppTest) -> str:
    """Every block and element of the page as serialised for the browser (tables as their Arrow bytes)."""
    chunks: list[bytes] = []

    def walk(node: object) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            chunks.append(proto.SerializeToString())
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return b"\n".join(chunks).decode("utf-8", errors="replace")


def visible(at: AppTest) -> str:
    """What a reader sees: texts, metrics, every table's headings and cells, widget labels and values."""
    parts = [texts(at)]
    for frame in at.dataframe:
        parts += [str(c) for c in frame.value.columns] + [str(v) for v in frame.value.to_numpy().ravel()]
    parts += [f"{w.label} {w.value}" for kind in ("selectbox", "multiselect", "date_input", "toggle", "radio")
              for w in getattr(at, kind)]
    parts += [e.label for e in at.expander]
    return "\n".join(parts)


def table_with(at: AppTest, heading: str):  # type: ignore[no-untyped-def]
    found = [frame.value for frame in at.dataframe if heading in frame.value.columns]
    assert len(found) == 1, [list(f.value.columns) for f in at.dataframe]
    return found[0]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_data_page_shows_true_counts_per_load_and_kind_and_no_row_level_value(warnings_db: str, lang: str) -> None:
    at = open_page("data", lang=lang)
    assert not at.exception, at.exception
    number, day, kind, count = HEADINGS[lang]
    shown = table_with(at, kind)
    assert list(shown.columns) == [number, day, kind, count]
    expected = [
        [str(load), KINDS[lang][code], str(n)]
        for load in (2, 1)
        for code, n in sorted(COUNTS[load].items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    assert shown[[number, kind, count]].values.tolist() == expected
    assert all(re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", d) for d in shown[day])
    # The load history counts the same warnings, MORE_PROBLEMS included (60 = 50 stored + 10 counted).
    loads = table_with(at, "Avertissements" if lang == "fr" else "Warnings")
    assert loads.iloc[:, 0].tolist() == ["2", "1"]
    assert loads.iloc[:, -1].tolist() == [str(sum(COUNTS[2].values())), str(sum(COUNTS[1].values()))]
    assert "Jeu de données" not in loads.columns and "Dataset" not in loads.columns
    # The operator is told where the detail is.
    assert "python -m etl status --warnings" in texts(at)

    browser = sent_to_browser(at)
    assert KINDS[lang]["PERSON_WITHOUT_ACTIVITY"] in browser  # the search does reach the tables' cells
    assert [s for s in SECRETS if s in browser] == []
    seen = visible(at)
    assert [s for s in SECRETS if s in seen] == []
    assert not re.search(rf"(?<!\d){PERSON_LINE}(?!\d)", seen)  # the line number, alone or in a sentence


def test_unreadable_database_shows_no_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "srv-secret-db-9931"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{blocker / 'sub' / 'parcours.db'}")
    at = open_page("data")
    assert not at.exception, at.exception
    assert at.error[0].value.startswith("Impossible de lire la base de données (")
    assert "DATABASE_URL" in at.error[0].value
    browser = sent_to_browser(at)
    assert "srv-secret-db-9931" not in browser and str(tmp_path) not in browser and "sqlite:" not in browser


def test_warning_counts_give_each_capped_count_to_the_kind_it_follows() -> None:
    stored = pl.DataFrame({
        "id": [1, 2, 3, 4, 5, 6, 7],
        "load_id": [1, 1, 1, 1, 2, 2, 2],
        "code": ["AGE_IMPLAUSIBLE", "MORE_PROBLEMS", "SUPPORT_OPEN_3Y", "MORE_PROBLEMS", "MORE_PROBLEMS", "NEW_RULE",
                 "MORE_PROBLEMS"],
        "value": ["1911", "40", "2022-02-01", "not a number", "7", "x", "3"],
    })
    assert warning_counts(stored).rows() == [
        (1, "AGE_IMPLAUSIBLE", 41), (1, "SUPPORT_OPEN_3Y", 1), (2, "OTHER", 11),  # 7 with no kind before, 1 + 3 unknown
    ]
