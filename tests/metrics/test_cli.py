"""``python -m dashboard figures``: exact output on a fixture database, and clear errors."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.catalogue import CATALOGUE
from dashboard.cli import main
from tests.metrics.fixtures import make_db

ROOT = Path(__file__).resolve().parents[2]

PERSONS = [{"person_id": f"P{i}", "sex": "F" if i % 2 else "M", "birth_year": 1980} for i in range(1, 5)]
REFERRALS = [
    {"person_id": "P1", "referral_date": "2024-01-05", "source": "CCAS", "decision": "ACCEPTEE", "decision_date": "2024-01-08"},
    {"person_id": "P2", "referral_date": "2024-01-20", "source": "SPIP", "decision": "REFUSEE", "decision_date": "2024-01-30"},
    {"person_id": "P3", "referral_date": "2024-03-02", "source": "CCAS"},
    {"person_id": "P4", "referral_date": "2024-03-03", "source": "CCAS", "decision": "ACCEPTEE", "decision_date": "2024-03-05"},
]
SUPPORTS = [
    {"person_id": "P1", "program": "HEBERGEMENT_INSERTION", "entry_date": "2024-01-10", "exit_date": "2024-02-10",
     "exit_housing": "LOGEMENT_AUTONOME", "exit_employment": "RECHERCHE_EMPLOI"},
    {"person_id": "P2", "program": "HEBERGEMENT_INSERTION", "entry_date": "2023-11-01", "exit_date": "2023-12-01",
     "exit_housing": "RUE", "exit_employment": "EMPLOI_DURABLE"},
    {"person_id": "P3", "program": "ACCUEIL_JOUR", "entry_date": "2024-03-03"},
]

# Months from the first day of data (P2's entry) to the last (P4's referral).
REFERRALS_CSV = """\
period,source,referrals,accepted,refused,acceptance_rate,median_days_to_decision
2023-11,TOTAL,0,0,0,,
2023-12,TOTAL,0,0,0,,
2024-01,CCAS,1,1,0,1.00,3
2024-01,SPIP,1,0,1,0.00,10
2024-01,TOTAL,2,1,1,0.50,7
2024-02,TOTAL,0,0,0,,
2024-03,CCAS,2,1,0,1.00,2
2024-03,TOTAL,2,1,0,1.00,2
"""

# 2024-Q1 against 2023-Q4: P2 entered in November (new then), left in December to the street, employed.
OVERVIEW_CSV = """\
figure,value,previous,change,n
persons_accompanied,2,1,1,
new_persons,3,1,2,
referrals,4,0,4,
exits,1,1,0,
housing_positive_rate,1.00,0.00,1.00,1
dynamic_exit_rate,0.00,1.00,-1.00,1
workshop_participants,0,0,0,
attendance_rate,,,,
"""


@pytest.fixture(scope="module")
def db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return make_db(tmp_path_factory.mktemp("cli") / "parcours.db", persons=PERSONS, referrals=REFERRALS, support_periods=SUPPORTS)


@pytest.fixture
def env(db_url: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Thresholds of 1: nothing is suppressed, every figure can be checked."""
    values = {"DATABASE_URL": db_url, "PARCOURS_MIN_CELL": "1", "PARCOURS_MIN_CELL_PUBLISHED": "1", "PARCOURS_LANG": "fr"}
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return values


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(args), out, err)
    return status, out.getvalue(), err.getvalue()


def run_process(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dashboard", *args], cwd=ROOT, env=os.environ | env,
                          capture_output=True, text=True, timeout=60, check=False)


def test_csv_through_the_real_entry_point(env: dict[str, str]) -> None:
    done = run_process(env, "figures", "referrals-by-source", "--by", "month")
    assert (done.returncode, done.stdout, done.stderr) == (0, REFERRALS_CSV, "")


def test_list(env: dict[str, str]) -> None:
    status, out, err = run("figures", "--list")
    assert (status, err) == (0, "")
    assert out.splitlines() == [*CATALOGUE, "workshop-effect"]  # the model of the analyses comes after the figures
    assert {"overview", "referrals-by-source", "needs-over-time", "exits", "workshop-cohorts"} <= set(out.splitlines())


def test_overview_counts_are_whole_and_rates_in_whole_percent(env: dict[str, str]) -> None:
    assert run("figures", "overview", "--from", "2024-01-01", "--to", "2024-03-31") == (0, OVERVIEW_CSV, "")


def test_filters_reach_the_metric(env: dict[str, str]) -> None:
    status, out, _ = run("figures", "referrals-by-source", "--by", "quarter", "--from", "2024-01-01", "--to", "2024-03-31",
                         "--source", "CCAS", "--age-band", "26_44", "--structure", "S1")
    assert status == 0
    assert out.splitlines()[1:] == ["2024-Q1,CCAS,3,2,0,1.00,3", "2024-Q1,TOTAL,3,2,0,1.00,3"]
    # one value per filter: a union of groups is refused, with the reason
    status, out, err = run("figures", "referrals-by-source", "--sex", "F", "M")
    assert (status, out) == (2, "")
    assert "--sex : une seule valeur (ou aucune, pour toutes)" in err
    status, out, _ = run("figures", "exits", "--by", "year", "--program", "ACCUEIL_JOUR")
    assert (status, out.splitlines()[1:]) == (0, ["2023,TOTAL,0,0,,0,,", "2024,TOTAL,0,0,,0,,"])


def test_json(env: dict[str, str]) -> None:
    status, out, err = run("figures", "referrals-by-source", "--by", "quarter", "--from", "2024-01-01", "--to", "2024-03-31",
                           "--format", "json")
    assert (status, err) == (0, "")
    document = json.loads(out)
    assert document["metric"] == "referrals-by-source"
    assert document["filters"] == {"from": "2024-01-01", "to": "2024-03-31", "by": "quarter"}
    assert (document["k"], document["too_small"]) == (1, False)
    assert document["columns"] == ["period", "source", "referrals", "accepted", "refused", "acceptance_rate",
                                   "median_days_to_decision"]
    assert document["rows"] == [
        {"period": "2024-Q1", "source": "CCAS", "referrals": 3, "accepted": 2, "refused": 0, "acceptance_rate": 1.0,
         "median_days_to_decision": 3},
        {"period": "2024-Q1", "source": "SPIP", "referrals": 1, "accepted": 0, "refused": 1, "acceptance_rate": 0.0,
         "median_days_to_decision": 10},
        {"period": "2024-Q1", "source": "TOTAL", "referrals": 4, "accepted": 2, "refused": 1, "acceptance_rate": 0.67,
         "median_days_to_decision": 3},
    ]


def test_too_small_selection_prints_the_header_only(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARCOURS_MIN_CELL_PUBLISHED", "11")  # four persons in the database
    status, out, err = run("figures", "referrals-by-source")
    assert (status, out) == (0, "period,source,referrals,accepted,refused,acceptance_rate,median_days_to_decision\n")
    assert "trop petite" in err and "11" in err
    status, out, err = run("figures", "overview", "--format", "json", "--lang", "en")
    assert status == 0 and "too small" in err
    assert json.loads(out)["too_small"] is True and json.loads(out)["rows"] == []


def test_published_threshold_empties_small_cells(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    persons = [{"person_id": f"P{i}"} for i in range(17)]
    referrals = [{"person_id": f"P{i}", "referral_date": "2024-01-10", "source": "SPIP" if i < 3 else "CCAS"} for i in range(17)]
    monkeypatch.setenv("DATABASE_URL", make_db(tmp_path / "big.db", persons=persons, referrals=referrals))
    monkeypatch.delenv("PARCOURS_MIN_CELL_PUBLISHED", raising=False)
    status, out, err = run("figures", "referrals-by-source")
    lines = dict((line.split(",")[1], line) for line in out.splitlines()[1:])
    assert (status, err) == (0, "")
    assert lines["SPIP"] == "2024-01,SPIP,,0,0,,"  # 3 referrals from a sensitive source, below 11; zeros stay
    assert lines["TOTAL"].startswith("2024-01,TOTAL,17,")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["figures", "nope"], "indicateur inconnu « nope »"),
        (["figures"], "indiquez un indicateur"),
        (["figures", "exits", "--from", "2024-13-01"], "--from : date « 2024-13-01 » invalide"),
        (["figures", "exits", "--to", "31/01/2024"], "--to : date « 31/01/2024 » invalide"),
        (["figures", "exits", "--from", "2024-02-01", "--to", "2024-01-01"], "--from (2024-02-01) est après --to (2024-01-01)"),
        (["figures", "exits", "--by", "week"], "--by : valeur « week » invalide"),
        (["figures", "exits", "--source", "POLICE"], "--source : valeur « POLICE » invalide"),
        (["figures", "exits", "--age-band", "30_40"], "--age-band : valeur « 30_40 » invalide"),
        (["figures", "exits", "--structure", "S9"], "structure « S9 » absente de la base. Structures : S1"),
        (["figures", "exits", "--format", "xml"], "--format : valeur « xml » invalide"),
        (["figures", "exits", "--colour", "red"], "option inconnue : --colour red"),
        (["report"], "la seule commande est « figures »"),
        (["figures", "nope", "--lang", "en"], "Error: unknown metric 'nope'"),
    ],
)
def test_invalid_input_says_why_and_exits_2(env: dict[str, str], args: list[str], message: str) -> None:
    status, out, err = run(*args)
    assert (status, out) == (2, "")
    assert message in err
    assert "Traceback" not in err


def test_missing_database_is_an_error_not_a_new_file(env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'absent.db'}")
    status, out, err = run("figures", "exits")
    assert (status, out) == (2, "")
    assert "absent.db n'existe pas" in err
    assert not (tmp_path / "absent.db").exists()


def test_invalid_threshold_setting(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARCOURS_MIN_CELL_PUBLISHED", "beaucoup")
    status, out, err = run("figures", "exits")
    assert (status, out) == (2, "")
    assert "PARCOURS_MIN_CELL_PUBLISHED" in err and "Traceback" not in err


# Whole periods: a start inside a month selects the whole month, so that two close starts cannot tell one day apart.
REFERRALS_FROM_JANUARY = "".join(REFERRALS_CSV.splitlines(keepends=True)[:1] + REFERRALS_CSV.splitlines(keepends=True)[3:])


def test_a_start_inside_a_month_gives_the_whole_month(env: dict[str, str]) -> None:
    whole = run("figures", "referrals-by-source", "--from", "2024-01-01")
    assert whole == (0, REFERRALS_FROM_JANUARY, "")
    for day in ("2024-01-23", "2024-01-24"):
        status, out, err = run("figures", "referrals-by-source", "--from", day)
        assert (status, out) == (0, whole[1])
        assert err == f"La période est élargie aux mois entiers : 2024-01-01 – … au lieu de {day} – ….\n"


def test_the_overview_of_a_cut_range_is_the_whole_range_s(env: dict[str, str]) -> None:
    status, out, err = run("figures", "overview", "--from", "2024-01-23", "--to", "2024-03-02", "--lang", "en")
    assert (status, out) == (0, OVERVIEW_CSV)
    assert err == "The range is widened to whole months: 2024-01-01 – 2024-03-31 instead of 2024-01-23 – 2024-03-02.\n"


def test_json_shows_the_widened_range(env: dict[str, str]) -> None:
    cut = run("figures", "referrals-by-source", "--by", "quarter", "--from", "2024-02-14", "--to", "2024-03-02",
              "--format", "json")
    whole = run("figures", "referrals-by-source", "--by", "quarter", "--from", "2024-01-01", "--to", "2024-03-31",
                "--format", "json")
    assert cut[:2] == whole[:2]
    assert json.loads(cut[1])["filters"] == {"from": "2024-01-01", "to": "2024-03-31", "by": "quarter"}
    assert cut[2] == "La période est élargie aux trimestres entiers : 2024-01-01 – 2024-03-31 au lieu de 2024-02-14 – 2024-03-02.\n"
    assert whole[2] == ""
    _, _, err = run("figures", "exits", "--by", "year", "--to", "2024-06-30")
    assert err == "La période est élargie aux années entières : … – 2024-12-31 au lieu de … – 2024-06-30.\n"
