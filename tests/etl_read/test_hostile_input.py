"""Hostile input: bidirectional controls, over-long text, terminal escapes,
glob characters in paths, decompression bombs and other budgets, symbolic
links. Each is refused with a clear problem, early, and nothing else is read."""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import polars as pl
import pytest

from etl.cli import main
from etl.dataset import read_and_validate
from etl.messages import format_problem, truncate
from etl.read import Budgets, read_dataset
from etl.stage import BIDI_CONTROLS
from tests.etl_read.fixtures import BASE, PERSONNES, TODAY, check, where, write

ROOT = Path(__file__).resolve().parents[2]
PERSONNES_T = "structure_id,personne_id,sexe,annee_naissance,territoire\nS1,P1,F,1980,{t1}\nS1,P2,M,1990,{t2}\n"


def personnes(t1: str = "Paris", t2: str = "Lyon") -> str:
    return PERSONNES_T.format(t1=t1, t2=t2)


# -- 3. bidirectional controls -------------------------------------------------------------------------------


@pytest.mark.parametrize("char", list(BIDI_CONTROLS))
def test_every_bidi_control_is_refused_with_where_and_escaped_value(tmp_path: Path, char: str) -> None:
    dataset = check(tmp_path, {"personnes.csv": personnes(t2=f"Lyon{char}evil")})
    escaped = f"Lyon\\u{ord(char):04x}evil"
    assert where(dataset.errors) == [("personnes", 3, "territoire", escaped, "BIDI_CONTROL")]
    message = dataset.errors[0].message
    assert message.startswith(f"personnes.csv, ligne 3, colonne territoire : « {escaped} » contient un caractère")
    assert char not in message
    english = format_problem(dataset.errors[0], "en")
    assert english.startswith(f"personnes.csv, line 3, column territoire: “{escaped}” holds a Unicode bidirectional")


def test_bidi_override_in_an_id_and_a_workshop_name(tmp_path: Path) -> None:
    ateliers = "structure_id,atelier_id,nom,theme\nS1,AT1,Cuisine \u202egnirts\u202c,CUISINE\n"
    dataset = check(tmp_path, {
        "personnes.csv": "structure_id,personne_id,sexe,annee_naissance\nS1,P1,F,1980\nS1,P\u20662,M,1990\n",
        "ateliers.csv": ateliers,
    })
    bidi = [(p.table, p.line, p.column, p.value) for p in dataset.errors if p.code == "BIDI_CONTROL"]
    assert bidi == [
        ("personnes", 3, "personne_id", "P\\u20662"),
        ("ateliers", 2, "nom", "Cuisine \\u202egnirts\\u202c"),
    ]


def test_ordinary_right_to_left_text_is_accepted(tmp_path: Path) -> None:
    dataset = check(tmp_path, {"personnes.csv": personnes(t1="القاهرة", t2="תל אביב")})
    assert dataset.ok, dataset.errors
    assert dataset.tables["personnes"]["territory"].to_list() == ["القاهرة", "תל אביב"]


# -- 8. maximum length of text -------------------------------------------------------------------------------


def test_text_longer_than_the_contract_is_an_error(tmp_path: Path) -> None:
    ok = check(tmp_path / "ok", {"personnes.csv": personnes(t1="T" * 200, t2=" " + "é" * 200 + " ")})
    assert ok.ok, ok.errors
    long_id = "P" * 65
    dataset = check(tmp_path / "ko", {
        "personnes.csv": personnes(t1="T" * 201).replace("S1,P2,", f"S1,{long_id},"),
        "orientations.csv": None,
        "accompagnements.csv": None,
    })
    too_long = [(p.line, p.column, p.value) for p in dataset.errors if p.code == "TEXT_TOO_LONG"]
    assert too_long == [(3, "personne_id", long_id), (2, "territoire", "T" * 79 + "…")]
    messages = {p.column: p.message for p in dataset.errors if p.code == "TEXT_TOO_LONG"}
    assert messages["territoire"].endswith("dépasse 200 caractères, la longueur maximale de cette colonne.")
    assert messages["personne_id"].startswith("personnes.csv, ligne 3, colonne personne_id : ")
    assert "64 caractères" in messages["personne_id"]
    assert format_problem(next(p for p in dataset.errors if p.column == "personne_id"), "en").endswith(
        "is longer than 64 characters, the most this column allows."
    )
    ids64 = check(tmp_path / "ids", {"personnes.csv": PERSONNES.replace("P2", "P" * 64)})
    assert not [p for p in ids64.errors if p.code == "TEXT_TOO_LONG"]


# -- 5. paths are literal ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["exp[1]", "a*b", "q?", "exp[!x]"])
def test_glob_characters_in_a_folder_name_read_that_folder_only(tmp_path: Path, name: str) -> None:
    decoy = {n: c.replace("S1", "S9") for n, c in BASE.items()}
    for other in ("exp1", "axxb", "qz", "expy"):
        write(tmp_path / other, decoy, base=False)
    folder = write(tmp_path / name, {})
    dataset = read_and_validate(folder, today=TODAY)
    assert dataset.ok, dataset.errors
    assert dataset.structures == ["S1"]
    single = read_and_validate(folder / "personnes.csv", today=TODAY)
    assert single.tables["personnes"]["structure_id"].to_list() == ["S1", "S1"]


@pytest.mark.parametrize("name", ["exp[1]", "a*b", "q?"])
def test_glob_characters_with_parquet_zip_and_xlsx(tmp_path: Path, name: str) -> None:
    import xlsxwriter

    frames = {n.removesuffix(".csv"): pl.read_csv(io.BytesIO(c.encode()), infer_schema=False) for n, c in BASE.items()}
    for folder, structure in ((tmp_path / name, "S1"), (tmp_path / "exp1", "S9"), (tmp_path / "axb", "S9"),
                              (tmp_path / "qz", "S9")):
        folder.mkdir()
        for table, frame in frames.items():
            frame.with_columns(pl.lit(structure).alias("structure_id")).write_parquet(folder / f"{table}.parquet")
    parquet = read_and_validate(tmp_path / name, today=TODAY)
    assert parquet.ok, parquet.errors
    assert parquet.structures == ["S1"]

    archive = tmp_path / name / f"{name}.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for file, content in BASE.items():
            zf.writestr(file, content)
    assert read_and_validate(archive, today=TODAY).structures == ["S1"]

    book = tmp_path / name / f"{name}.xlsx"
    workbook = xlsxwriter.Workbook(book)
    for table, frame in frames.items():
        sheet = workbook.add_worksheet(table)
        for r, row in enumerate([frame.columns, *frame.rows()]):
            sheet.write_row(r, 0, row)
    workbook.close()
    xlsx = read_and_validate(book, today=TODAY)
    assert xlsx.ok, xlsx.errors
    assert xlsx.structures == ["S1"]


# -- 6. budgets ----------------------------------------------------------------------------------------------


def _bomb(path: Path, member: str, megabytes: int = 50) -> Path:
    """A zip whose one member is ``megabytes`` MB of zeros, written without holding them."""
    block = b"0" * (1024 * 1024)
    with (
        zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf,
        zf.open(member, "w", force_zip64=True) as handle,
    ):
        for _ in range(megabytes):
            handle.write(block)
    return path


_MEASURE = """
import sys, tracemalloc
from pathlib import Path
from etl.dataset import read_and_validate
import etl.validate, etl.anonymity, etl.stage, etl.warnings_rules, zipfile  # imports are not the file's cost
read_and_validate(Path("/nonexistent"))
tracemalloc.start()
dataset = read_and_validate(Path(sys.argv[1]))
peak = tracemalloc.get_traced_memory()[1]
print([(p.code, p.value) for p in dataset.errors])
print(peak)
# VmHWM: this process's peak resident memory (ru_maxrss would carry the forking pytest's across exec)
print(next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM")))
"""


def _measure(path: Path, **env: str) -> tuple[str, int, int]:
    environment = {**os.environ, **env}
    done = subprocess.run([sys.executable, "-c", _MEASURE, str(path)], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=120, check=True)
    errors, peak, rss = done.stdout.strip().splitlines()[-3:]
    return errors, int(peak), int(rss)


def test_zip_bomb_is_refused_before_it_is_expanded(tmp_path: Path) -> None:
    bomb = _bomb(tmp_path / "export.zip", "personnes.csv")
    assert bomb.stat().st_size < 200_000
    errors, peak, rss_kb = _measure(bomb)
    assert errors == "[('TOO_LARGE', 'PARCOURS_MAX_RATIO=200'), ('MISSING_TABLE', None), ('MISSING_TABLE', None)]"
    assert peak < 5_000_000  # Python allocations: the 50 MB member is never read
    assert rss_kb < 200_000  # whole process, interpreter and polars included (about 90 MB measured)
    # Without the ratio budget the member is expanded and read (chunk by chunk: the read streams).
    _, unbounded, _ = _measure(bomb, PARCOURS_MAX_RATIO="1e9")
    assert unbounded > 10 * peak
    dataset = read_and_validate(bomb, today=TODAY)
    assert dataset.errors[0].message == (
        "export.zip!personnes.csv : fichier refusé avant d'être lu en entier : taux de compression supérieur à 200 "
        "(bombe de décompression ?). Aucun export réel n'atteint cette limite ; si celui-ci est authentique, "
        "relevez PARCOURS_MAX_RATIO."
    )


def test_member_size_budget_holds_whatever_the_ratio(tmp_path: Path) -> None:
    bomb = _bomb(tmp_path / "export.zip", "data/personnes.csv", megabytes=20)
    errors, peak, _ = _measure(bomb, PARCOURS_MAX_RATIO="100000", PARCOURS_MAX_MEMBER_BYTES="10000000")
    assert errors.startswith("[('TOO_LARGE', 'PARCOURS_MAX_MEMBER_BYTES=10000000')")
    assert peak < 5_000_000


def test_workbook_bomb_is_refused_before_calamine_opens_it(tmp_path: Path) -> None:
    book = _bomb(tmp_path / "export.xlsx", "xl/worksheets/sheet1.xml", megabytes=30)
    dataset = read_and_validate(book, today=TODAY)
    assert [(p.file, p.code, p.value) for p in dataset.errors] == [("export.xlsx", "TOO_LARGE", "PARCOURS_MAX_RATIO=200")]


def test_small_budgets_refuse_rows_lines_and_sizes(tmp_path: Path) -> None:
    rows = "structure_id,personne_id,sexe,annee_naissance\n" + "".join(f"S1,P{i},F,1980\n" for i in range(11))
    write(tmp_path / "rows", {"personnes.csv": rows})
    budget = Budgets(rows=10)
    read = read_dataset(tmp_path / "rows", budgets=budget)
    assert [(p.file, p.code, p.value) for p in read.problems] == [
        ("personnes.csv", "TOO_LARGE", "PARCOURS_MAX_ROWS=10")
    ]
    assert read_dataset(tmp_path / "rows", budgets=Budgets(rows=11)).problems == []

    frame = pl.read_csv(io.BytesIO(rows.encode()), infer_schema=False)
    (tmp_path / "pq").mkdir()
    frame.write_parquet(tmp_path / "pq" / "personnes.parquet")
    assert [p.value for p in read_dataset(tmp_path / "pq", budgets=budget).problems] == ["PARCOURS_MAX_ROWS=10"]

    bomb = pl.DataFrame({"structure_id": ["S1"] * 3_000_000, "personne_id": ["P" * 30] * 3_000_000})
    (tmp_path / "pqbomb").mkdir()
    bomb.write_parquet(tmp_path / "pqbomb" / "personnes.parquet", compression="zstd", use_pyarrow=True,
                       pyarrow_options={"use_dictionary": False})
    assert (tmp_path / "pqbomb" / "personnes.parquet").stat().st_size < 1_000_000
    assert [p.value for p in read_dataset(tmp_path / "pqbomb").problems] == ["PARCOURS_MAX_RATIO=200"]
    assert [p.value for p in read_dataset(tmp_path / "pqbomb", budgets=Budgets(ratio=1e9, rows=100)).problems] == [
        "PARCOURS_MAX_ROWS=100"
    ]

    line = PERSONNES + "S1,P3,F,1980" + "," * 2000 + "\n"
    write(tmp_path / "line", {"personnes.csv": line})
    assert [p.value for p in read_dataset(tmp_path / "line", budgets=Budgets(line_bytes=1000)).problems] == [
        "PARCOURS_MAX_LINE_BYTES=1000"
    ]
    assert read_dataset(tmp_path / "line", budgets=Budgets(line_bytes=2100)).problems == []
    # chunked reading measures a line across chunk boundaries exactly
    assert [p.value for p in read_dataset(tmp_path / "line", budgets=Budgets(line_bytes=2011)).problems] == [
        "PARCOURS_MAX_LINE_BYTES=2011"
    ]
    assert read_dataset(tmp_path / "line", budgets=Budgets(line_bytes=2012)).problems == []

    assert {(p.file, p.value) for p in read_dataset(tmp_path / "rows", budgets=Budgets(member_bytes=160)).problems} == {
        ("orientations.csv", "PARCOURS_MAX_MEMBER_BYTES=160"),
        ("accompagnements.csv", "PARCOURS_MAX_MEMBER_BYTES=160"),
        ("personnes.csv", "PARCOURS_MAX_MEMBER_BYTES=160"),
    }
    english = format_problem(read_dataset(tmp_path / "rows", budgets=budget).problems[0], "en")
    assert english == (
        "personnes.csv: file refused before being read whole: over 10 rows. No real export reaches this limit; "
        "if this one is genuine, raise PARCOURS_MAX_ROWS."
    )


def test_budget_settings_are_read_and_checked(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PARCOURS_MAX_ROWS", "1")
    write(tmp_path / "d", {})
    assert ("personnes", "TOO_LARGE") in [(p.table, p.code) for p in read_and_validate(tmp_path / "d").errors]
    monkeypatch.setenv("PARCOURS_MAX_ROWS", "beaucoup")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite'}")
    assert main(["load", str(tmp_path / "d"), "--dry-run"]) == 2
    assert "PARCOURS_MAX_ROWS" in capsys.readouterr().err
    monkeypatch.delenv("PARCOURS_MAX_ROWS")
    assert Budgets.from_settings() == Budgets()


# -- 9. symbolic links ---------------------------------------------------------------------------------------


def test_symlink_leaving_the_folder_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "secret" / "personnes.csv"
    outside.parent.mkdir()
    outside.write_text(PERSONNES, encoding="utf-8")
    folder = write(tmp_path / "export", {"personnes.csv": None})
    (folder / "personnes.csv").symlink_to(outside)
    dataset = read_and_validate(folder, today=TODAY)
    assert [(p.table, p.file, p.code, p.value) for p in dataset.errors] == [
        ("personnes", "personnes.csv", "SYMLINK", truncate(str(outside)))
    ]
    assert "lien symbolique vers" in dataset.errors[0].message
    relative = write(tmp_path / "export2", {"personnes.csv": None})
    (relative / "personnes.csv").symlink_to(Path("..") / "secret" / "personnes.csv")
    assert [p.code for p in read_and_validate(relative, today=TODAY).errors] == ["SYMLINK"]


def test_symlink_inside_the_folder_is_followed(tmp_path: Path) -> None:
    folder = write(tmp_path / "export", {"personnes.csv": None})
    (folder / "sources").mkdir()
    (folder / "sources" / "p.csv").write_text(PERSONNES, encoding="utf-8")
    (folder / "personnes.csv").symlink_to(Path("sources") / "p.csv")
    assert read_and_validate(folder, today=TODAY).ok


def test_symlink_inside_a_zip_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for file, content in BASE.items():
            if file != "personnes.csv":
                zf.writestr(file, content)
        link = zipfile.ZipInfo("personnes.csv")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "../../etc/passwd")
    dataset = read_and_validate(archive, today=TODAY)
    assert [(p.file, p.code, p.value) for p in dataset.errors] == [
        ("export.zip!personnes.csv", "SYMLINK", "../../etc/passwd")
    ]


# -- 4. terminal escapes in etl load and etl status ----------------------------------------------------------

ESC = "\x1b]0;pwned\x07\x1b[2J"


def test_load_errors_and_summary_and_status_print_escapes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite'}")
    monkeypatch.delenv("PARCOURS_LANG", raising=False)
    bad = write(tmp_path / "bad", {"personnes.csv": PERSONNES.replace(",F,", f",F{ESC}\r\n,")})
    capsys.readouterr()
    assert main(["load", str(bad)]) == 1
    out, err = capsys.readouterr()
    assert "\x1b" not in err and "\x07" not in err
    assert "\\x1b]0;pwned\\x07\\x1b[2J" in err

    hostile = "S\x1b[31mX\u2028"
    good = write(tmp_path / f"good{ESC}", {n: c.replace("S1", hostile) for n, c in BASE.items()})
    assert main(["load", str(good)]) == 0, capsys.readouterr().err
    out, err = capsys.readouterr()
    assert "\x1b" not in out + err and "\u2028" not in out
    assert "Structures : S\\x1b[31mX\\u2028" in out
    assert main(["status"]) == 0
    out, err = capsys.readouterr()
    assert "\x1b" not in out + err and "\x07" not in out and "\u2028" not in out
    assert "S\\x1b[31mX\\u2028" in out and "good\\x1b]0;pwned\\x07" in out
    assert main(["status", "--warnings"]) == 0
    out, _ = capsys.readouterr()
    assert "\x1b" not in out


def test_usage_errors_are_escaped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite'}")
    assert main(["domain", f"X{ESC}", "--kind", "PRATIQUE"]) == 2
    assert main(["status", "--warnings", "--load", f"1{ESC}"]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\\x1b" in err
