"""Cohort options of ``python -m dashboard figures`` and ``python -m dashboard compare`` on the cohorts fixture."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.cli import main as figures_main
from dashboard.compare_cli import main as compare_main
from tests.cohorts.test_cohorts import FIXTURE
from tests.metrics.fixtures import make_db

ROOT = Path(__file__).resolve().parents[2]
SPIP = "anchor=referral&from=2023-01-01&to=2023-12-31&source=SPIP&name=SPIP"
ALL = "anchor=referral&from=2023-01-01&to=2023-12-31&name=Tous"


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DATABASE_URL", make_db(tmp_path / "cohorts.db", **FIXTURE))
    monkeypatch.setenv("PARCOURS_MIN_CELL", "1")  # a fixture of six persons: every cell shown
    monkeypatch.setenv("PARCOURS_MIN_CELL_PUBLISHED", "1")
    return tmp_path


def run(entry, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = entry(list(args), out, err)
    return status, out.getvalue(), err.getvalue()


def test_cohort_options_make_a_cohort(env: Path) -> None:
    status, out, err = run(figures_main, "figures", "cohort-outcomes", "--anchor", "referral", "--anchor-from",
                           "2023-01-10", "--anchor-to", "2023-12-31", "--source", "SPIP")
    assert status == 0, err
    # --anchor-from widens to 2023-01-01 (whole months): P2's 2023-01-01 referral is in.
    assert out.splitlines() == [
        "indicator,persons,count,rate", "members,3,3,1.00", "practical_need_at_entry,2,1,0.50",
        "strategic_need_at_entry,2,2,1.00", "strategic_improved,2,1,0.50", "improved_logement,0,0,",
        "improved_emploi,0,0,", "improved_sante,0,0,", "improved_liens,2,1,0.50", "workshop,3,2,0.67", "exited,3,2,0.67",
        "housing_positive,3,1,0.33", "dynamic_exit,3,1,0.33",
    ]


def test_a_link_and_the_options_give_the_same_cohort(env: Path) -> None:
    by_options = run(figures_main, "figures", "cohort-needs", "--anchor", "referral", "--anchor-from", "2023-01-01",
                     "--anchor-to", "2023-12-31", "--source", "SPIP", "--format", "json")
    by_link = run(figures_main, "figures", "cohort-needs", "--cohort", "https://x.org/cohorts?" + SPIP, "--format",
                  "json")
    assert json.loads(by_options[1])["rows"] == json.loads(by_link[1])["rows"]
    assert json.loads(by_link[1])["cohort"]["source"] == "SPIP"


def test_horizon_option(env: Path) -> None:
    _, out, _ = run(figures_main, "figures", "cohort-outcomes", "--cohort", SPIP, "--horizon", "6")
    assert "exited,3,0,0.00" in out.splitlines()


@pytest.mark.parametrize(("args", "message"), [
    (["figures", "cohort-outcomes"], "--anchor"),
    (["figures", "exits", "--decision", "ACCEPTEE"], "--anchor"),
    (["figures", "cohort-outcomes", "--anchor", "entry", "--decision", "ACCEPTEE"], "decision"),
    (["figures", "cohort-outcomes", "--anchor", "referral", "--need-pillar", "NOPE"], "need_pillar"),
    (["figures", "cohort-outcomes", "--anchor", "referral", "--horizon", "0"], "horizon"),
    (["figures", "cohort-outcomes", "--anchor", "referral", "--horizon", "13"], "horizon"),
])
def test_invalid_cohort_options_exit_2(env: Path, args: list[str], message: str) -> None:
    status, out, err = run(figures_main, *args)
    assert status == 2 and out == ""
    assert message in err and "Traceback" not in err


def test_compare_command_csv(env: Path) -> None:
    status, out, err = run(compare_main, "--cohort", SPIP, "--cohort", ALL)
    assert status == 0, err
    lines = out.splitlines()
    assert lines[0] == "indicator,cohort,name,persons,count,rate,difference,ci_low,ci_high"
    # Everyone referred in 2023: P1 P2 P3 P5 P6; followed 12 months: all but P3; exited (no death): P1, P5.
    exited = [line for line in lines if line.startswith("exited,")]
    assert exited[0] == "exited,1,SPIP,3,2,0.67,,,"
    assert exited[1].startswith("exited,2,Tous,4,2,0.50,-0.17,")


def test_compare_through_the_real_entry_point(env: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "dashboard", "compare", "--cohort", SPIP, "--cohort", ALL,
                           "--figure", "needs", "--format", "json", "--lang", "en"],
                          capture_output=True, text=True, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert document["columns"][:3] == ["cohort", "name", "quarter"]
    first = [r for r in document["rows"] if r["cohort"] == 1 and r["quarter"] == 0 and r["kind"] == "PRATIQUE"]
    assert first == [{"cohort": 1, "name": "SPIP", "quarter": 0, "kind": "PRATIQUE", "persons_assessed": 2,
                      "persons_in_need": 1, "share_in_need": 0.5}]


def test_compare_needs_two_to_four_cohorts(env: Path) -> None:
    status, _, err = run(compare_main, "--cohort", SPIP, "--lang", "en")
    assert status == 2 and "2 to 4 cohorts" in err
