"""``dashboard.importing`` without Streamlit: which sets of files make a dataset, the private folder, the
CSV of problems, and Markdown that shows file names as written."""

from __future__ import annotations

import io
import stat
from pathlib import Path

import polars as pl
import pytest

from dashboard.importing import (
    FOLDER,
    BadUploads,
    Outcome,
    check_uploads,
    literal,
    problem_count,
    problems_csv,
    problems_table,
    save_uploads,
    shown_file,
    structure_list,
    summary_table,
)


class Upload(io.BytesIO):
    def __init__(self, name: str, data: bytes) -> None:
        super().__init__(data)
        self.name = name


@pytest.mark.parametrize(("names", "key"), [
    (["export.xls"], "kind"),
    ([".hidden.csv"], "kind"),
    (["a.zip", "personnes.csv"], "mix"),
    (["a.xlsx", "b.xlsx"], "mix"),
    (["a.zip", "b.zip"], "mix"),
    (["personnes.csv", "PERSONNES.csv"], "twice"),
])
def test_sets_that_are_not_one_dataset_are_refused(names: list[str], key: str) -> None:
    with pytest.raises(BadUploads) as refused:
        check_uploads(names)
    assert refused.value.key == key


def test_only_the_base_name_is_kept() -> None:
    assert check_uploads(["../../etc/personnes.csv", "C:\\Users\\x\\orientations.CSV"]) == [
        "personnes.csv", "orientations.CSV"]
    assert check_uploads(["export.xlsx"]) == ["export.xlsx"]


def test_uploads_land_in_a_private_folder(tmp_path: Path) -> None:
    target = save_uploads([Upload("personnes.csv", b"a\n1\n"), Upload("orientations.csv", b"b\n2\n")], tmp_path)
    assert target == tmp_path / FOLDER
    assert stat.S_IMODE(target.stat().st_mode) == 0o700
    assert sorted(p.name for p in target.iterdir()) == ["orientations.csv", "personnes.csv"]
    assert (target / "personnes.csv").read_bytes() == b"a\n1\n"
    (tmp_path / "other").mkdir()
    single = save_uploads([Upload("export.zip", b"PK")], tmp_path / "other")
    assert single == tmp_path / "other" / FOLDER / "export.zip"


def test_problem_table_and_its_csv() -> None:
    outcome = Outcome(dry_run=True, errors=[
        {"file": "orientations.csv", "line": 3, "column": "source", "value": "=HYPERLINK(\"x\")", "reason": "bad"},
        {"file": FOLDER, "line": None, "column": None, "value": None, "reason": "missing table"},
    ], warnings=[{"file": "accompagnements.csv", "line": 2, "column": "motif_sortie", "value": None, "reason": "w"}])
    table = problems_table(outcome, "en")
    assert table.columns == ["Kind", "File", "Line", "Column", "Value", "Reason"]
    assert table.rows() == [
        ("Error", "orientations.csv", 3, "source", '=HYPERLINK("x")', "bad"),
        ("Error", "—", None, "", "", "missing table"),
        ("Warning", "accompagnements.csv", 2, "motif_sortie", "", "w"),
    ]
    text = problems_csv(table).decode("utf-8")
    assert text.startswith("\ufeffKind,File,Line,Column,Value,Reason\n")
    # The formula is written as text; the line stays a number.
    assert "Error,orientations.csv,3,source,\"'=HYPERLINK(\"\"x\"\")\",bad\n" in text


def test_summary_table_adds_the_total_and_deleted_only_when_replacing() -> None:
    counts = {"personnes": {"inserted": 2, "updated": 1, "unchanged": 4, "deleted": 3},
              "orientations": {"inserted": 5, "updated": 0, "unchanged": 1, "deleted": 0}}
    table = summary_table(Outcome(dry_run=True, counts=counts), "fr")
    assert table.columns == ["Table", "Insérées", "Mises à jour", "Inchangées"]
    assert table.rows() == [("personnes", 2, 1, 4), ("orientations", 5, 0, 1), ("Total", 7, 1, 5)]
    replaced = summary_table(Outcome(dry_run=True, counts=counts, replaced=True), "en")
    assert replaced.columns[-1] == "Deleted" and replaced.rows()[-1] == ("Total", 7, 1, 5, 3)
    assert replaced.schema["Deleted"] == pl.Int64


def test_file_names_show_as_written_in_markdown() -> None:
    assert literal("[x](javascript:alert(1)).csv") == "\\[x\\]\\(javascript\\:alert\\(1\\)\\)\\.csv"
    assert literal("été_$x$*") == "été\\_\\$x\\$\\*"
    assert shown_file(FOLDER) == "—" and shown_file("a.zip!personnes.csv") == "a.zip!personnes.csv"


def test_true_number_of_problems_counts_those_left_out() -> None:
    listed = [{"code": "AGE_IMPLAUSIBLE", "value": "1917"}, {"code": "AGE_IMPLAUSIBLE", "value": "2019"},
              {"code": "MORE_PROBLEMS", "value": "40"}, {"code": "EXIT_WITHOUT_REASON", "value": None}]
    assert problem_count(listed) == 2 + 40 + 1
    assert problem_count([]) == 0


def test_a_long_structure_list_is_cut() -> None:
    assert structure_list(["S1", "S2"]) == "S1, S2"
    assert structure_list([f"S{i:03d}" for i in range(1, 201)], 3) == "S001, S002, S003, …"


def test_the_upload_limit_stays_within_the_reading_budget() -> None:
    """A file larger than PARCOURS_MAX_MEMBER_BYTES is refused by the load: the browser may not send more."""
    import tomllib

    from models.settings import SETTINGS

    config = tomllib.loads((Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml").read_text())
    budget = int(next(s.default for s in SETTINGS if s.name == "PARCOURS_MAX_MEMBER_BYTES"))
    assert 200 <= config["server"]["maxUploadSize"] <= budget // 2**20  # never below Streamlit's own default
