"""``python -m etl quality``: the rows behind the page's counts, from the database or from an export."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from etl.cli import main
from tests.metrics.fixtures import make_db
from tests.quality.fixture import rows
from tests.quality.test_load_log import write_export


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = make_db(tmp_path / "cli.db", **rows())
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["quality", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_consistency_rows_from_the_database(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--structure", "S1")
    assert code == 0
    lines = [line.split("\t") for line in out.splitlines()]
    assert all(len(line) == 5 for line in lines)
    rules = [line for line in lines if line[3] not in ("MISSING", "UNKNOWN")]
    assert rules == [
        ["accompagnements", f"structure_id=S1 accompagnement_id={a} personne_id={p}", "-", "OVERLAPPING_SUPPORT", "-"]
        for a, p in (("A3", "P02"), ("A4", "P02"), ("A5", "P03"), ("A6", "P03"))
    ] + [
        ["accompagnements", "structure_id=S1 accompagnement_id=A9 personne_id=P05", "-", "EXIT_WITHOUT_DESTINATION", "-"],
        ["orientations", "structure_id=S1 orientation_id=R2 personne_id=P02", "-", "REFERRAL_PENDING", "-"],
        ["orientations", "structure_id=S1 orientation_id=R5 personne_id=P05", "-", "REFERRAL_PENDING", "-"],
        ["evaluations", "structure_id=S1 personne_id=P05 date_evaluation=2024-03-02 domaine=EMPLOI_FORMATION", "-",
         "ASSESSMENT_AFTER_EXIT", "-"],
        ["evaluations", "structure_id=S1 personne_id=P06 date_evaluation=2024-03-01 domaine=LOGEMENT", "-",
         "ASSESSMENT_AFTER_EXIT", "-"],
        ["ateliers", "structure_id=S1 atelier_id=W2", "-", "WORKSHOP_WITHOUT_SESSION", "-"],
    ]
    sex = sorted((line[1].split("=")[-1], line[3]) for line in lines if line[4] == "sexe")
    assert sex == [("P09", "UNKNOWN"), ("P10", "MISSING"), ("P11", "UNKNOWN"), ("P12", "MISSING")]
    # 17 completeness rows (fixture.COLUMNS_S1: missing + unknown: 4 + 1 + 1 + 1 + 6 + 3 + 1) and 10 rule rows.
    assert len(lines) == 17 + 10
    assert err.strip() == "27 ligne(s) signalée(s) pour S1 (référence des délais : 2024-12-31)."


def test_csv_has_a_header_and_the_same_rows(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    _, text, _ = run(capsys, "--structure", "S1")
    code, out, _ = run(capsys, "--structure", "S1", "--format", "csv")
    assert code == 0
    found = list(csv.DictReader(io.StringIO(out)))
    assert list(found[0]) == ["table", "ids", "line", "rule", "column"]
    assert len(found) == len(text.splitlines())
    assert found[-1] == {"table": "ateliers", "ids": "structure_id=S1 atelier_id=W2", "line": "",
                         "rule": "WORKSHOP_WITHOUT_SESSION", "column": ""}


def test_an_unknown_structure_is_refused_with_the_known_ones(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--structure", "S9", "--lang", "en")
    assert code == 2 and out == ""
    assert err.strip() == "Unknown structure: S9 (structures in the database: S1, S2)."


def test_an_export_gives_lines_and_escapes_what_it_prints(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'never.db'}")
    folder = write_export(tmp_path / "export")
    people = (folder / "personnes.csv").read_text(encoding="utf-8").replace("S1,P3,,1990", "S1,P3\x1b[31m,,1990")
    (folder / "personnes.csv").write_text(people, encoding="utf-8")
    supports = (folder / "accompagnements.csv").read_text(encoding="utf-8").replace(",P2,", ",P3\x1b[31m,")
    (folder / "accompagnements.csv").write_text(supports, encoding="utf-8")
    refs = (folder / "orientations.csv").read_text(encoding="utf-8").replace(",P2,", ",P3\x1b[31m,")
    (folder / "orientations.csv").write_text(refs, encoding="utf-8")
    code, out, _ = run(capsys, str(folder), "--structure", "S1")
    assert code == 0
    assert "\x1b" not in out
    lines = [line.split("\t") for line in out.splitlines()]
    assert ["personnes", "structure_id=S1 personne_id=P3\\x1b[31m", "4", "MISSING", "sexe"] in lines
    assert ["orientations", "structure_id=S1 orientation_id=O1 personne_id=P1", "2", "REFERRAL_PENDING", "-"] in lines
    assert ["accompagnements", "structure_id=S1 accompagnement_id=A1 personne_id=P1", "2", "EXIT_WITHOUT_DESTINATION",
            "-"] in lines
    assert not (tmp_path / "never.db").exists()  # checking an export never touches the database


def test_an_export_without_structure_column_belongs_to_the_structure_given(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'never.db'}")
    folder = write_export(tmp_path / "export")
    for path in folder.glob("*.csv"):  # drop the structure_id column (the first) from every file
        path.write_text("".join(line.split(",", 1)[1] for line in path.read_text().splitlines(keepends=True)))
    code, out, _ = run(capsys, str(folder), "--structure", "CS-01")
    assert code == 0
    assert "orientations\tstructure_id=CS-01 orientation_id=O1 personne_id=P1\t2\tREFERRAL_PENDING\t-" in out.splitlines()
