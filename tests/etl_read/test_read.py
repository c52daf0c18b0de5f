"""Every tolerance of the contract: encodings, delimiters, header and code
spellings, date formats, booleans, workbooks, Parquet and zip files."""

import io
import zipfile
from datetime import date, datetime
from pathlib import Path

import polars as pl
import xlsxwriter

from etl.dataset import read_and_validate
from tests.etl_read.fixtures import ACCOMPAGNEMENTS, BASE, ORIENTATIONS, PERSONNES, TODAY, check, where


def test_base_dataset_is_clean(tmp_path: Path) -> None:
    dataset = check(tmp_path)
    assert dataset.ok and dataset.errors == [] and dataset.warnings == []
    assert list(dataset.tables) == ["personnes", "orientations", "accompagnements"]
    assert dataset.structures == ["S1"]
    assert {(f.name, f.table, f.rows) for f in dataset.files} == {
        ("personnes.csv", "personnes", 2),
        ("orientations.csv", "orientations", 2),
        ("accompagnements.csv", "accompagnements", 1),
    }


def test_sha256_is_the_hash_of_the_file_bytes(tmp_path: Path) -> None:
    import hashlib

    dataset = check(tmp_path)
    by_name = {f.name: f.sha256 for f in dataset.files}
    assert by_name["personnes.csv"] == hashlib.sha256(PERSONNES.encode()).hexdigest()


def test_utf8_bom_is_ignored(tmp_path: Path) -> None:
    dataset = check(tmp_path, {"personnes.csv": b"\xef\xbb\xbf" + PERSONNES.encode()})
    assert dataset.ok
    assert dataset.tables["personnes"]["structure_id"].to_list() == ["S1", "S1"]


def test_windows_1252_with_accents(tmp_path: Path) -> None:
    text = "structure_id;personne_id;Année_Naissance;territoire\nS1;P1;1980;Évry-Courcouronnes\nS1;P2;1990;Sèvres\n"
    dataset = check(tmp_path, {"personnes.csv": text.encode("cp1252")})
    assert dataset.ok, dataset.errors
    persons = dataset.tables["personnes"]
    assert persons["territory"].to_list() == ["Évry-Courcouronnes", "Sèvres"]
    assert persons["birth_year"].to_list() == [1980, 1990]


def test_semicolon_delimiter_with_quoted_semicolon(tmp_path: Path) -> None:
    text = 'structure_id;personne_id;territoire\nS1;P1;"Lille; Fives"\nS1;P2;Roubaix\n'
    dataset = check(tmp_path, {"personnes.csv": text})
    assert dataset.ok
    assert dataset.tables["personnes"]["territory"].to_list() == ["Lille; Fives", "Roubaix"]


def test_header_spellings(tmp_path: Path) -> None:
    text = (
        " Structure_ID ,ORIENTATION_ID,Personne_Id, Date_Orientation ,SOURCE,Décision,Date décision\n"
        "S1,O1,P1,2024-01-10,SPIP,ACCEPTEE,2024-01-20\nS1,O2,P2,2024-02-01,CCAS,REFUSEE,2024-02-05\n"
    )
    dataset = check(tmp_path, {"orientations.csv": text})
    assert dataset.ok, dataset.errors
    referrals = dataset.tables["orientations"]
    assert referrals["referral_date"].to_list() == [date(2024, 1, 10), date(2024, 2, 1)]
    assert referrals["decision_date"].to_list() == [date(2024, 1, 20), date(2024, 2, 5)]


def test_file_names_match_case_and_accent_insensitively(tmp_path: Path) -> None:
    files = {
        "personnes.csv": None,
        "PERSONNES.CSV": PERSONNES,
        "Évaluations.csv": "structure_id,personne_id,date_evaluation,domaine,niveau\nS1,P1,2024-03-01,LOGEMENT,2\n",
        "notes.csv": "anything,at,all\n1,2,3\n",
        "readme.txt": "ignored",
    }
    dataset = check(tmp_path, files)
    assert dataset.ok, dataset.errors
    assert list(dataset.tables) == ["personnes", "orientations", "accompagnements", "evaluations"]
    assert dataset.tables["evaluations"]["level"].to_list() == [2]


def test_both_date_formats(tmp_path: Path) -> None:
    text = ORIENTATIONS.replace("2024-01-10", "10/01/2024").replace("2024-02-05", "05/02/2024")
    dataset = check(tmp_path, {"orientations.csv": text})
    assert dataset.ok
    referrals = dataset.tables["orientations"]
    assert referrals["referral_date"].to_list() == [date(2024, 1, 10), date(2024, 2, 1)]
    assert referrals["decision_date"].to_list() == [date(2024, 1, 20), date(2024, 2, 5)]


def test_code_spellings(tmp_path: Path) -> None:
    referrals = (
        "structure_id,orientation_id,personne_id,date_orientation,source,decision,dispositif\n"
        "S1,O1,P1,2024-01-10,as secteur, acceptée ,Hébergement-Urgence\n"
        "S1,O2,P2,2024-02-01,France Travail,Sans suite,soins\n"
    )
    supports = ACCOMPAGNEMENTS.replace("OBJECTIF_ATTEINT", "Objectif atteint").replace("SOINS", "soins")
    dataset = check(tmp_path, {"orientations.csv": referrals, "accompagnements.csv": supports})
    assert dataset.ok, dataset.errors
    staged = dataset.tables["orientations"]
    assert staged["source"].to_list() == ["AS_SECTEUR", "FRANCE_TRAVAIL"]
    assert staged["decision"].to_list() == ["ACCEPTEE", "SANS_SUITE"]
    assert staged["program"].to_list() == ["HEBERGEMENT_URGENCE", "SOINS"]
    assert dataset.tables["accompagnements"]["exit_reason"].to_list() == ["OBJECTIF_ATTEINT"]


def test_booleans(tmp_path: Path) -> None:
    values = ["OUI", "non", "TRUE", "false", "1", "0", "o", "N", "Vrai", "FAUX", ""]
    rows = "".join(f"S1,P{i},{v}\n" for i, v in enumerate(values))
    dataset = check(tmp_path, {"personnes.csv": "structure_id,personne_id,qpv\n" + rows})
    assert [p.code for p in dataset.errors] == []
    assert dataset.tables["personnes"]["priority_area"].to_list() == [
        True, False, True, False, True, False, True, False, True, False, None,
    ]


def test_missing_optional_columns_and_default_decision(tmp_path: Path) -> None:
    referrals = "structure_id,orientation_id,personne_id,date_orientation,source\nS1,O1,P1,2024-06-10,SPIP\n"
    text = referrals.replace("SPIP\n", "SPIP\nS1,O2,P2,2024-06-01,CCAS\n")
    dataset = check(tmp_path, {"orientations.csv": text})
    assert dataset.ok
    staged = dataset.tables["orientations"]
    assert staged["program"].to_list() == [None, None]
    assert staged["decision"].to_list() == ["EN_ATTENTE", "EN_ATTENTE"]
    assert staged["decision_date"].dtype == pl.Date


def test_empty_decision_cell_means_pending(tmp_path: Path) -> None:
    text = ORIENTATIONS.replace("ACCEPTEE,2024-01-20", ",").replace("2024-01-10", "2025-06-01")
    dataset = check(tmp_path, {"orientations.csv": text})
    assert dataset.ok
    assert dataset.tables["orientations"]["decision"].to_list() == ["EN_ATTENTE", "REFUSEE"]


def test_extra_columns_are_dropped(tmp_path: Path) -> None:
    text = "structure_id,personne_id,couleur_preferee,,remarque_code\nS1,P1,bleu,x,12\nS1,P2,vert,y,13\n"
    dataset = check(tmp_path, {"personnes.csv": text})
    assert dataset.ok
    assert "couleur_preferee" not in dataset.tables["personnes"].columns


def test_staged_dtypes_and_values(tmp_path: Path) -> None:
    text = (
        "structure_id,personne_id,sexe,annee_naissance,composition_familiale,qpv,territoire\n"
        " S1 , P1 , f , 1980.0 ,Parent isolé,Oui,  Lille  \nS1,P2,,,,,\n"
    )
    dataset = check(tmp_path, {"personnes.csv": text})
    assert dataset.ok, dataset.errors
    persons = dataset.tables["personnes"]
    assert persons.schema == pl.Schema({
        "structure_id": pl.String, "person_id": pl.String, "sex": pl.String, "birth_year": pl.Int64,
        "household": pl.String, "resources": pl.String, "nationality": pl.String, "french_level": pl.String,
        "justice": pl.String, "territory": pl.String, "priority_area": pl.Boolean, "_line": pl.Int64,
    })
    assert persons.row(0) == ("S1", "P1", "F", 1980, "PARENT_ISOLE", None, None, None, None, "Lille", True, 2)
    assert persons.row(1) == ("S1", "P2", None, None, None, None, None, None, None, None, None, 3)
    supports = dataset.tables["accompagnements"]
    assert supports.schema["entry_date"] == pl.Date and supports.schema["exit_date"] == pl.Date


def test_blank_lines_keep_line_numbers(tmp_path: Path) -> None:
    text = "structure_id,personne_id,sexe\nS1,P1,F\n\n,,\nS1,P2,X\n"
    dataset = check(tmp_path, {"personnes.csv": text})
    assert where(dataset.errors) == [("personnes", 5, "sexe", "X", "UNKNOWN_CODE")]
    assert dataset.tables["personnes"]["_line"].to_list() == [2, 5]


def test_structure_given_for_the_whole_dataset(tmp_path: Path) -> None:
    files = {name: text.replace("structure_id,", "").replace("S1,", "") for name, text in BASE.items()}
    dataset = check(tmp_path, files, structure="CHRS-LILLE")
    assert dataset.ok, dataset.errors
    assert dataset.structures == ["CHRS-LILLE"]
    assert dataset.tables["orientations"]["structure_id"].to_list() == ["CHRS-LILLE", "CHRS-LILLE"]


def test_xlsx_with_real_date_cells(tmp_path: Path) -> None:
    path = tmp_path / "export.xlsx"
    book = xlsxwriter.Workbook(path)
    as_date = book.add_format({"num_format": "dd/mm/yyyy"})
    for name, text in BASE.items():
        sheet = book.add_worksheet(name.removesuffix(".csv").capitalize())
        for r, line in enumerate(text.splitlines()):
            for c, cell in enumerate(line.split(",")):
                if r and len(cell) == 10 and cell[4] == "-":
                    sheet.write_datetime(r, c, datetime.fromisoformat(cell), as_date)
                elif r and cell.isdigit():
                    sheet.write_number(r, c, int(cell))
                else:
                    sheet.write_string(r, c, cell)
    book.add_worksheet("Notes").write_string(0, 0, "ignored")
    book.close()
    dataset = read_and_validate(path, today=TODAY)
    assert dataset.ok, dataset.errors
    assert dataset.tables["orientations"]["referral_date"].to_list() == [date(2024, 1, 10), date(2024, 2, 1)]
    assert dataset.tables["personnes"]["birth_year"].to_list() == [1980, 1990]
    assert sorted(f.name for f in dataset.files) == [
        "export.xlsx!Accompagnements", "export.xlsx!Orientations", "export.xlsx!Personnes",
    ]
    assert len({f.sha256 for f in dataset.files}) == 1


def test_xlsx_lines_are_sheet_rows(tmp_path: Path) -> None:
    path = tmp_path / "export.xlsx"
    book = xlsxwriter.Workbook(path)
    for name, text in BASE.items():
        sheet = book.add_worksheet(name.removesuffix(".csv"))
        for r, line in enumerate(text.splitlines()):
            sheet.write_row(r, 0, line.split(","))
    book.get_worksheet_by_name("orientations").write_string(2, 4, "inconnue")
    book.close()
    dataset = read_and_validate(path, today=TODAY)
    assert where(dataset.errors) == [("orientations", 3, "source", "inconnue", "UNKNOWN_CODE")]
    assert dataset.errors[0].file == "export.xlsx!orientations"


def test_parquet_with_typed_columns(tmp_path: Path) -> None:
    pl.DataFrame({
        "structure_id": ["S1", "S1"], "personne_id": ["P1", "P2"], "annee_naissance": [1980, 1990],
        "qpv": [True, None],
    }).write_parquet(tmp_path / "personnes.parquet")
    pl.read_csv(io.StringIO(ORIENTATIONS), try_parse_dates=True).write_parquet(tmp_path / "orientations.parquet")
    dataset = check(tmp_path, {"personnes.csv": None, "orientations.csv": None})
    assert dataset.ok, dataset.errors
    assert dataset.tables["personnes"]["priority_area"].to_list() == [True, None]
    assert dataset.tables["orientations"]["decision_date"].to_list() == [date(2024, 1, 20), date(2024, 2, 5)]


def test_zip_at_root_and_in_a_sub_folder(tmp_path: Path) -> None:
    for prefix in ("", "export_2024/"):
        path = tmp_path / f"data{len(prefix)}.zip"
        with zipfile.ZipFile(path, "w") as archive:
            for name, text in BASE.items():
                archive.writestr(prefix + name, text)
            archive.writestr(f"__MACOSX/{prefix}._personnes.csv", b"\x00\x05junk")
        dataset = read_and_validate(path, today=TODAY)
        assert dataset.ok, dataset.errors
        assert f"{path.name}!{prefix}personnes.csv" in {f.name for f in dataset.files}
        assert dataset.tables["personnes"].height == 2


def test_named_structure_fills_empty_structure_cells(tmp_path: Path) -> None:
    dataset = check(tmp_path, {"personnes.csv": PERSONNES.replace("S1,P2", ",P2")}, structure="S1")
    assert dataset.ok, dataset.errors
    assert dataset.tables["personnes"]["structure_id"].to_list() == ["S1", "S1"]


def test_single_csv_file_is_a_dataset_of_one_table(tmp_path: Path) -> None:
    path = tmp_path / "personnes.csv"
    path.write_text(PERSONNES)
    dataset = read_and_validate(path, today=TODAY)
    assert [(p.table, p.code) for p in dataset.errors] == [
        ("orientations", "MISSING_TABLE"), ("accompagnements", "MISSING_TABLE"),
    ]
    assert dataset.tables["personnes"].height == 2
