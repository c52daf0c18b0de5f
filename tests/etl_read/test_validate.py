"""Every class of error, each with its table, line, column, value and code,
and all of them listed at once."""

import zipfile
from pathlib import Path

from etl.dataset import read_and_validate
from etl.messages import format_problem
from etl.stage import MAX_PROBLEMS_PER_KIND
from tests.etl_read.fixtures import ACCOMPAGNEMENTS, ORIENTATIONS, PERSONNES, TODAY, check, where

PERSONS_HEADER = "structure_id,personne_id,sexe,annee_naissance\n"


def test_missing_required_table(tmp_path: Path) -> None:
    dataset = check(tmp_path / "export", {"accompagnements.csv": None})
    assert where(dataset.errors) == [("accompagnements", None, None, None, "MISSING_TABLE")]
    assert dataset.errors[0].file == "export"
    assert not dataset.ok


def test_missing_required_column(tmp_path: Path) -> None:
    text = ORIENTATIONS.replace(",source", "").replace(",SPIP", "").replace(",CCAS", "")
    dataset = check(tmp_path, {"orientations.csv": text})
    assert where(dataset.errors) == [("orientations", None, "source", None, "MISSING_COLUMN")]


def test_no_structure_column_and_no_structure_named(tmp_path: Path) -> None:
    text = PERSONNES.replace("structure_id,", "").replace("S1,", "")
    dataset = check(tmp_path, {"personnes.csv": text})
    assert [(p.table, p.column, p.code) for p in dataset.errors] == [("personnes", "structure_id", "NO_STRUCTURE")]


def test_structure_column_disagreeing_with_the_named_structure(tmp_path: Path) -> None:
    dataset = check(tmp_path, {"personnes.csv": PERSONNES.replace("S1,P2", "S2,P2")}, structure="S1")
    assert where(dataset.errors) == [
        ("personnes", 3, "structure_id", "S2", "STRUCTURE_MISMATCH"),
        ("orientations", 3, "personne_id", "P2", "MISSING_REFERENCE"),
    ]


def test_bad_date(tmp_path: Path) -> None:
    dataset = check(tmp_path, {"orientations.csv": ORIENTATIONS.replace("2024-02-01", "31/02/2024")})
    assert where(dataset.errors) == [("orientations", 3, "date_orientation", "31/02/2024", "BAD_DATE")]
    assert dataset.errors[0].message == (
        "orientations.csv, ligne 3, colonne date_orientation : « 31/02/2024 » n'est pas une date valide "
        "(AAAA-MM-JJ ou JJ/MM/AAAA)."
    )


def test_bad_number(tmp_path: Path) -> None:
    dataset = check(tmp_path, {"personnes.csv": PERSONS_HEADER + "S1,P1,F,1980\nS1,P2,M,19 90\n"})
    assert where(dataset.errors) == [("personnes", 3, "annee_naissance", "19 90", "BAD_NUMBER")]


def test_bad_boolean(tmp_path: Path) -> None:
    dataset = check(tmp_path, {"personnes.csv": "structure_id,personne_id,qpv\nS1,P1,peut-être\nS1,P2,oui\n"})
    assert where(dataset.errors) == [("personnes", 2, "qpv", "peut-être", "BAD_BOOLEAN")]


def test_unknown_code_lists_valid_codes(tmp_path: Path) -> None:
    dataset = check(tmp_path, {"orientations.csv": ORIENTATIONS.replace("CCAS", "Mairie")})
    assert where(dataset.errors) == [("orientations", 3, "source", "Mairie", "UNKNOWN_CODE")]
    assert "AS_SECTEUR, REFERENT_RSA, CCAS" in dataset.errors[0].message


def test_required_value_empty(tmp_path: Path) -> None:
    dataset = check(tmp_path, {"orientations.csv": ORIENTATIONS.replace("O2,P2", "O2,")})
    assert where(dataset.errors) == [("orientations", 3, "personne_id", None, "MISSING_VALUE")]


def test_duplicate_key(tmp_path: Path) -> None:
    text = PERSONS_HEADER + "S1,P1,F,1980\nS1,P2,M,1990\nS2,P1,F,1970\nS1,P1,F,1981\n"
    dataset = check(tmp_path, {"personnes.csv": text})
    assert where(dataset.errors) == [("personnes", 5, "personne_id", "S1 | P1", "DUPLICATE_KEY")]
    assert [p.code for p in dataset.warnings] == ["PERSON_WITHOUT_ACTIVITY"]


def test_duplicate_composite_key(tmp_path: Path) -> None:
    text = (
        "structure_id,personne_id,date_evaluation,domaine,niveau\n"
        "S1,P1,2024-03-01,LOGEMENT,2\nS1,P1,01/03/2024,logement,3\nS1,P1,2024-03-01,EMPLOI_FORMATION,3\n"
    )
    dataset = check(tmp_path, {"evaluations.csv": text})
    assert where(dataset.errors) == [
        ("evaluations", 3, "personne_id, date_evaluation, domaine", "S1 | P1 | 2024-03-01 | LOGEMENT", "DUPLICATE_KEY")
    ]


def test_reference_to_a_missing_row_inside_the_same_structure(tmp_path: Path) -> None:
    persons = PERSONS_HEADER + "S1,P1,F,1980\nS1,P2,M,1990\nS2,P3,F,1970\n"
    referrals = ORIENTATIONS + "S1,O3,P3,2024-03-01,CCAS,REFUSEE,2024-03-02\nS2,O3,P3,2024-03-01,CCAS,REFUSEE,\n"
    supports = ACCOMPAGNEMENTS + "S1,A2,P2,O9,SOINS,2024-02-06,2024-03-01,AUTRE\n"
    dataset = check(tmp_path, {"personnes.csv": persons, "orientations.csv": referrals, "accompagnements.csv": supports})
    assert where(dataset.errors) == [
        ("orientations", 4, "personne_id", "P3", "MISSING_REFERENCE"),
        ("accompagnements", 3, "orientation_id", "O9", "MISSING_REFERENCE"),
    ]


def test_reference_to_an_absent_optional_table(tmp_path: Path) -> None:
    text = "structure_id,seance_id,personne_id,presence\nS1,X1,P1,PRESENT\n"
    dataset = check(tmp_path, {"participations.csv": text})
    assert where(dataset.errors) == [("seances", None, "seance_id", None, "MISSING_TABLE")]
    assert dataset.errors[0].file == "participations.csv"


def test_workshop_chain_references(tmp_path: Path) -> None:
    files = {
        "ateliers.csv": "structure_id,atelier_id,nom,categorie,co_construit\nS1,W1,Couture,VIE_QUOTIDIENNE,oui\n",
        "seances.csv": "structure_id,seance_id,atelier_id,date_seance,duree_minutes\nS1,X1,W1,2024-03-01,90\n"
        "S1,X2,W2,2024-03-08,90\n",
        "participations.csv": "structure_id,seance_id,personne_id,presence\nS1,X1,P1,présent\nS1,X3,P2,absent\n",
    }
    dataset = check(tmp_path, files)
    assert where(dataset.errors) == [
        ("seances", 3, "atelier_id", "W2", "MISSING_REFERENCE"),
        ("participations", 3, "seance_id", "X3", "MISSING_REFERENCE"),
    ]


def test_date_order(tmp_path: Path) -> None:
    referrals = ORIENTATIONS.replace("2024-01-20", "2024-01-09")
    supports = ACCOMPAGNEMENTS.replace("2024-05-01", "2024-01-20")
    dataset = check(tmp_path, {"orientations.csv": referrals, "accompagnements.csv": supports})
    assert where(dataset.errors) == [
        ("orientations", 2, "date_decision", "2024-01-09", "DATE_ORDER"),
        ("accompagnements", 2, "date_sortie", "2024-01-20", "DATE_ORDER"),
    ]
    assert "antérieure à date_entree" in dataset.errors[1].message


def test_future_date(tmp_path: Path) -> None:
    dataset = check(tmp_path, {"accompagnements.csv": ACCOMPAGNEMENTS.replace("2024-05-01", "2025-07-01")})
    assert where(dataset.errors) == [("accompagnements", 2, "date_sortie", "2025-07-01", "FUTURE_DATE")]
    assert check(tmp_path / "b", {"accompagnements.csv": ACCOMPAGNEMENTS.replace("2024-05-01", "2025-06-30")}).ok


def test_out_of_range_values(tmp_path: Path) -> None:
    files = {
        "personnes.csv": PERSONS_HEADER + "S1,P1,F,1899\nS1,P2,M,2026\n",
        "evaluations.csv": "structure_id,personne_id,date_evaluation,domaine,niveau\nS1,P1,2024-03-01,LOGEMENT,6\n"
        "S1,P1,2024-03-01,JUSTICE,0\nS1,P1,2024-03-01,ADDICTIONS,5\n",
        "ateliers.csv": "structure_id,atelier_id,nom,categorie\nS1,W1,FLE,LANGUE_SAVOIRS\n",
        "seances.csv": "structure_id,seance_id,atelier_id,date_seance,duree_minutes\nS1,X1,W1,2024-03-01,0\n"
        "S1,X2,W1,2024-03-01,1\n",
    }
    dataset = check(tmp_path, files)
    assert where(dataset.errors) == [
        ("personnes", 2, "annee_naissance", "1899", "OUT_OF_RANGE"),
        ("personnes", 3, "annee_naissance", "2026", "OUT_OF_RANGE"),
        ("evaluations", 2, "niveau", "6", "OUT_OF_RANGE"),
        ("evaluations", 3, "niveau", "0", "OUT_OF_RANGE"),
        ("seances", 2, "duree_minutes", "0", "OUT_OF_RANGE"),
    ]


def test_all_errors_are_listed_at_once(tmp_path: Path) -> None:
    persons = PERSONS_HEADER + "S1,P1,Z,1980\nS1,P2,M,abc\n"
    referrals = ORIENTATIONS.replace("2024-01-10", "2024-13-10").replace("CCAS", "?")
    dataset = check(tmp_path, {"personnes.csv": persons, "orientations.csv": referrals})
    assert sorted(where(dataset.errors), key=lambda w: (w[0], w[1] or 0, w[2] or "")) == [
        ("orientations", 2, "date_orientation", "2024-13-10", "BAD_DATE"),
        ("orientations", 3, "source", "?", "UNKNOWN_CODE"),
        ("personnes", 2, "sexe", "Z", "UNKNOWN_CODE"),
        ("personnes", 3, "annee_naissance", "abc", "BAD_NUMBER"),
    ]


def test_problems_are_capped_per_column_and_kind(tmp_path: Path) -> None:
    rows = "".join(f"S1,P{i},X,1980\n" for i in range(1, 131))
    dataset = check(tmp_path, {"personnes.csv": PERSONS_HEADER + rows})
    bad_sex = [p for p in dataset.errors if p.column == "sexe"]
    assert len(bad_sex) == MAX_PROBLEMS_PER_KIND + 1
    assert [p.line for p in bad_sex[:3]] == [2, 3, 4]
    assert (bad_sex[-1].code, bad_sex[-1].value, bad_sex[-1].line) == ("MORE_PROBLEMS", "80", None)
    assert "80 autres problèmes" in bad_sex[-1].message


def test_messages_in_english(tmp_path: Path) -> None:
    dataset = check(tmp_path, {"orientations.csv": ORIENTATIONS.replace("2024-02-01", "31/02/2024")}, lang="en")
    assert dataset.errors[0].message == (
        "orientations.csv, line 3, column date_orientation: “31/02/2024” is not a valid date (YYYY-MM-DD or DD/MM/YYYY)."
    )
    assert format_problem(dataset.errors[0], "fr").startswith("orientations.csv, ligne 3, colonne date_orientation : ")


def test_empty_file(tmp_path: Path) -> None:
    dataset = check(tmp_path, {"personnes.csv": b""})
    assert where(dataset.errors) == [("personnes", None, None, None, "EMPTY_FILE")]


def test_binary_file(tmp_path: Path) -> None:
    dataset = check(tmp_path, {"personnes.csv": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"})
    assert [(p.table, p.file, p.code) for p in dataset.errors] == [("personnes", "personnes.csv", "UNREADABLE_FILE")]


def test_ten_megabyte_single_line(tmp_path: Path) -> None:
    dataset = check(tmp_path, {"personnes.csv": "x" * 10_000_000})
    assert [(p.table, p.code) for p in dataset.errors] == [("personnes", "UNREADABLE_FILE")]


def test_malformed_quotes(tmp_path: Path) -> None:
    dataset = check(tmp_path, {"personnes.csv": 'structure_id,personne_id\n"S1,P1\nS1,P2\n'})
    assert [(p.table, p.code) for p in dataset.errors] == [("personnes", "UNREADABLE_FILE")]


def test_corrupted_zip_and_workbook(tmp_path: Path) -> None:
    for name in ("data.zip", "export.xlsx"):
        path = tmp_path / name
        path.write_bytes(b"PK\x03\x04 this is not really an archive")
        dataset = read_and_validate(path, today=TODAY)
        assert [(p.file, p.code) for p in dataset.errors] == [(name, "UNREADABLE_FILE")]


def test_missing_path_and_folder_without_tables(tmp_path: Path) -> None:
    assert [p.code for p in read_and_validate(tmp_path / "nowhere", today=TODAY).errors] == ["UNREADABLE_FILE"]
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.csv").write_text("a,b\n1,2\n")
    dataset = read_and_validate(tmp_path / "empty", today=TODAY)
    assert where(dataset.errors) == [
        ("personnes", None, None, None, "MISSING_TABLE"),
        ("orientations", None, None, None, "MISSING_TABLE"),
        ("accompagnements", None, None, None, "MISSING_TABLE"),
    ]


def test_two_files_for_one_table(tmp_path: Path) -> None:
    path = tmp_path / "data.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("personnes.csv", PERSONNES)
        archive.writestr("old/Personnes.csv", PERSONNES)
        archive.writestr("orientations.csv", ORIENTATIONS)
        archive.writestr("accompagnements.csv", ACCOMPAGNEMENTS)
    dataset = read_and_validate(path, today=TODAY)
    assert [(p.table, p.file, p.value, p.code) for p in dataset.errors] == [
        ("personnes", "data.zip!old/Personnes.csv", "data.zip!personnes.csv", "DUPLICATE_TABLE")
    ]


def test_duplicate_column(tmp_path: Path) -> None:
    dataset = check(tmp_path, {"personnes.csv": "structure_id,personne_id,Sexe,sexe\nS1,P1,F,M\nS1,P2,M,M\n"})
    assert where(dataset.errors) == [("personnes", None, "sexe", None, "DUPLICATE_COLUMN")]


def test_workbook_without_a_required_sheet(tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "export.xlsx"
    book = xlsxwriter.Workbook(path)
    for name, text in (("personnes", PERSONNES), ("orientations", ORIENTATIONS), ("Feuil1", "a,b\n")):
        sheet = book.add_worksheet(name)
        for r, line in enumerate(text.splitlines()):
            sheet.write_row(r, 0, line.split(","))
    book.close()
    dataset = read_and_validate(path, today=TODAY)
    assert [(p.table, p.file, p.code) for p in dataset.errors] == [("accompagnements", "export.xlsx", "MISSING_TABLE")]
    assert dataset.errors[0].message == (
        "export.xlsx : la table obligatoire accompagnements est absente (fichier accompagnements.csv ou feuille "
        "accompagnements attendu)."
    )


def test_duplicate_structure(tmp_path: Path) -> None:
    files = {"structures.csv": "structure_id,nom\nS1,CHRS A\nS1,CHRS B\n"}
    dataset = check(tmp_path, files)
    assert where(dataset.errors) == [("structures", 3, "structure_id", "S1", "DUPLICATE_KEY")]
