"""The Importer page through Streamlit's AppTest, with the real ETL as a child process and a real SQLite file.

Counts are worked out by hand in ``tests/load_page/datasets.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from models.db import make_engine
from models.tables import Load, Person, Referral, Structure
from tests.load_page.datasets import VALID, WITH_ERRORS, uploads, workbook_without_structure, zipped
from tests.load_page.test_cli_json import etl, write

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "dashboard" / "app.py")
TIMEOUT = 120
FR_SUMMARY = [("structures", 1, 0, 0), ("personnes", 2, 0, 0), ("orientations", 2, 0, 0), ("accompagnements", 1, 0, 0),
              ("Total", 6, 0, 0)]


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where the page loads: a SQLite file that does not exist yet."""
    path = tmp_path / "db" / "parcours.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    for name in ("PARCOURS_LANG", "PARCOURS_PSEUDONYM_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))  # the uploads' private folders, checked empty afterwards
    (tmp_path / "tmp").mkdir()
    return path


def open_page(page: str = "load", lang: str = "fr") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if lang == "en":
        at.query_params["lang"] = "en"
    at.switch_page(f"../pages/{page}.py")
    return at.run()


def upload(at: AppTest, files: list[tuple[str, bytes, str]]) -> AppTest:
    at.file_uploader(key="w_load_files").set_value(files)
    at.run()
    assert not at.exception, at.exception
    return at


def rows(at: AppTest, index: int) -> list[tuple]:
    frame = at.dataframe[index].value
    return [tuple(None if v != v else v for v in row) for row in frame.itertuples(index=False)]  # NaN -> None


def headers(at: AppTest, index: int) -> list[str]:
    return list(at.dataframe[index].value.columns)


def stored(path: Path) -> dict[str, list]:
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        found = {
            "persons": conn.execute(select(Person.person_id, Person.sex, Person.birth_year).order_by(Person.person_id)).all(),
            "referrals": conn.execute(select(Referral.referral_id, Referral.source).order_by(Referral.referral_id)).all(),
            "structures": conn.execute(select(Structure.structure_id)).scalars().all(),
            "loads": conn.execute(select(Load.id, Load.source)).all(),
        }
    engine.dispose()
    return found


def test_check_then_load_in_french(database: Path) -> None:
    at = upload(open_page(), uploads(VALID))
    assert at.title[0].value == "Importer"
    assert [s.value for s in at.success] == [
        "Vérification réussie : voici ce que le chargement ferait. Rien n'est écrit avant votre confirmation."]
    assert headers(at, 0) == ["Table", "Insérées", "Mises à jour", "Inchangées"]
    assert rows(at, 0) == FR_SUMMARY
    assert headers(at, 1) == ["Type", "Fichier", "Ligne", "Colonne", "Valeur", "Motif"]
    assert rows(at, 1) == [("Avertissement", "accompagnements.csv", 2, "motif_sortie", "", "sortie sans motif_sortie.")]
    assert not database.exists()  # the check wrote nothing, not even an empty database

    at.button(key="w_load_confirm").click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == ["Chargement n° 1 terminé : toutes les pages montrent maintenant ces données."]
    assert rows(at, 0) == FR_SUMMARY
    assert not [b for b in at.button if b.key == "w_load_confirm"]  # loaded: no second confirmation
    assert stored(database) == {
        "persons": [("X-001", "F", 1984), ("X-002", "M", 2001)],
        "referrals": [("O1", "SPIP"), ("O2", "SIAO")],
        "structures": ["CS1"],
        "loads": [(1, "navigateur : personnes.csv, orientations.csv, accompagnements.csv")],
    }
    assert list((database.parent.parent / "tmp").iterdir()) == []  # the private folders are gone


def test_check_then_load_a_zip_in_english(database: Path) -> None:
    at = upload(open_page(lang="en"), [("export.zip", zipped(VALID), "application/zip")])
    assert at.title[0].value == "Import"
    assert [s.value for s in at.success] == ["Check passed: this is what the load would do. Nothing is written until you confirm."]
    assert headers(at, 0) == ["Table", "Inserted", "Updated", "Unchanged"]
    assert rows(at, 0) == [(*r[:1], *r[1:]) if r[0] != "Total" else ("Total", 6, 0, 0) for r in FR_SUMMARY]
    assert headers(at, 1) == ["Kind", "File", "Line", "Column", "Value", "Reason"]
    assert rows(at, 1) == [("Warning", "export.zip!accompagnements.csv", 2, "motif_sortie", "", "exit without motif_sortie.")]
    at.button(key="w_load_confirm").click().run()
    assert [s.value for s in at.success] == ["Load #1 finished: every page now shows this data."]
    assert stored(database)["persons"] == [("X-001", "F", 1984), ("X-002", "M", 2001)]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_errors_are_listed_and_nothing_can_be_loaded(database: Path, lang: str) -> None:
    at = upload(open_page(lang=lang), uploads(WITH_ERRORS))
    fr = lang == "fr"
    assert [e.value for e in at.error] == [
        "2 erreur(s) : rien n'a été chargé, la base est inchangée. Corrigez l'export et déposez-le à nouveau." if fr else
        "2 error(s): nothing was loaded, the database is unchanged. Correct the export and drop it again."]
    assert len(at.dataframe) == 1  # no counts: nothing would be loaded
    error, warning = ("Erreur", "Avertissement") if fr else ("Error", "Warning")
    bad_date = ("« 31/02/2024 » n'est pas une date valide (AAAA-MM-JJ ou JJ/MM/AAAA)." if fr else
                "“31/02/2024” is not a valid date (YYYY-MM-DD or DD/MM/YYYY).")
    bad_code = ("« =HYPERLINK(\"x\") » n'est pas un code de la liste SOURCE (codes valides : AS_SECTEUR, REFERENT_RSA, "
                "CCAS, SPIP, FRANCE_TRAVAIL, MISSION_LOCALE, …)." if fr else
                "“=HYPERLINK(\"x\")” is not a code of list SOURCE (valid codes: AS_SECTEUR, REFERENT_RSA, CCAS, SPIP, "
                "FRANCE_TRAVAIL, MISSION_LOCALE, …).")
    assert rows(at, 0) == [
        (error, "orientations.csv", 3, "date_orientation", "31/02/2024", bad_date),
        (error, "orientations.csv", 3, "source", '=HYPERLINK("x")', bad_code),
        (warning, "accompagnements.csv", 2, "motif_sortie", "", "sortie sans motif_sortie." if fr else
         "exit without motif_sortie."),
    ]
    assert [b.key for b in at.button if b.key == "w_load_confirm"] == []
    assert not database.exists()


def test_the_check_on_a_loaded_database_changes_nothing_until_confirmed(database: Path, tmp_path: Path) -> None:
    assert etl("load", str(write(tmp_path / "first", VALID)), url=f"sqlite:///{database}").returncode == 0
    before = stored(database)
    more = {**VALID, "personnes.csv": VALID["personnes.csv"].replace("CS1;X-002;m;2001", "CS1;X-002;m;2002")
            + "CS1;X-003;F;1990;NON\n"}
    at = upload(open_page(), uploads(more))
    # X-003 is new, X-002's year of birth changed, X-001 is as stored; the rest is unchanged. CS1 is stored
    # already: no structure row to add, so no structures line.
    assert rows(at, 0) == [("personnes", 1, 1, 1), ("orientations", 0, 0, 2), ("accompagnements", 0, 0, 1),
                           ("Total", 1, 1, 4)]
    assert stored(database) == before
    at.button(key="w_load_confirm").click().run()
    assert [s.value for s in at.success] == ["Chargement n° 2 terminé : toutes les pages montrent maintenant ces données."]
    assert stored(database)["persons"] == [("X-001", "F", 1984), ("X-002", "M", 2002), ("X-003", "F", 1990)]


def test_the_other_pages_show_the_new_data_after_a_load(database: Path) -> None:
    overview = open_page("overview")
    assert "page **Importer**" in overview.info[0].value
    assert [link.label for link in overview.get("page_link")] == ["Importer"]
    at = upload(open_page(), uploads(VALID))
    at.button(key="w_load_confirm").click().run()
    data = open_page("data")
    assert not data.exception
    assert not [i.value for i in data.info if "vide" in i.value]
    assert [m.value for m in data.metric][:2] == ["1", "2"]  # 1 structure, 2 persons


def test_a_workbook_without_structure_column_takes_the_structure_given(database: Path) -> None:
    at = open_page()
    at.text_input(key="w_load_structure").set_value("CS-01")
    upload(at, [("export.xlsx", workbook_without_structure(), "application/octet-stream")])
    assert rows(at, 0) == [("structures", 1, 0, 0), ("personnes", 3, 0, 0), ("orientations", 1, 0, 0),
                           ("accompagnements", 1, 0, 0), ("Total", 6, 0, 0)]
    assert at.caption[0].value == "Structures (1) : CS\\-01"  # Markdown source: "-" escaped, shows as written
    at.button(key="w_load_confirm").click().run()
    assert stored(database)["structures"] == ["CS-01"]


def test_sets_that_are_not_a_dataset_and_ignored_files_are_said(database: Path) -> None:
    at = upload(open_page(), [("export.zip", zipped(VALID), "application/zip"), *uploads(VALID)[:1]])
    assert "sans les mélanger" in at.error[0].value and not at.dataframe
    at = upload(open_page(lang="en"), [*uploads(VALID), ("notes.csv", b"a,b\n1,2\n", "text/csv")])
    assert [w.value for w in at.warning if w.value.startswith("Files ignored")] == [
        "Files ignored (no table of the dictionary has that name): notes\\.csv."]
    assert not database.exists()


def test_no_link_to_the_import_page_for_who_may_not_load(database: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARCOURS_TEST_ROLE", "board")
    overview = open_page("overview")
    assert not overview.exception
    assert "La base de données est vide" in overview.info[0].value
    assert overview.get("page_link") == []


def test_with_a_server_key_the_page_pseudonymises(database: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARCOURS_PSEUDONYM_KEY", "a-secret-key-of-some-length")
    at = open_page()
    assert at.checkbox(key="w_load_pseudonymise").value is True
    upload(at, uploads(VALID)).button(key="w_load_confirm").click().run()
    persons = stored(database)["persons"]
    assert len(persons) == 2 and all(len(p[0]) == 32 and not p[0].startswith("X-") for p in persons)
