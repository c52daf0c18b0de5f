"""``python -m dashboard figures time-to-exit --by program``: columns and values on the fixture, exact mode.

Published threshold 5 here: HEBERGEMENT_INSERTION (10 periods) shows days 30 and 90 (at risk 8 and 7; hand
values in ``test_estimates.py``, whole percent), hides day 180 and 365 (at risk 3 and 1: "< 5", empty in CSV)
and the probabilities of day 730 (at risk 0 is shown as 0, its probabilities are not); ACCUEIL_JOUR
(3 periods) is hidden whole. Programs in code order, days in order.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from dashboard.cli import main
from tests.survival.fixture import fixture_db

EXPECTED_CSV = """\
program,day,at_risk,survival,cif_housing_positive,cif_other_exit
ACCUEIL_JOUR,30,,,,
ACCUEIL_JOUR,90,,,,
ACCUEIL_JOUR,180,,,,
ACCUEIL_JOUR,365,,,,
ACCUEIL_JOUR,730,,,,
HEBERGEMENT_INSERTION,30,8,0.80,0.10,0.10
HEBERGEMENT_INSERTION,90,7,0.70,0.20,0.10
HEBERGEMENT_INSERTION,180,,,,
HEBERGEMENT_INSERTION,365,,,,
HEBERGEMENT_INSERTION,730,0,,,
"""


@pytest.fixture(scope="module")
def db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return fixture_db(tmp_path_factory.mktemp("tte-cli") / "parcours.db")


@pytest.fixture(autouse=True)
def env(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {"DATABASE_URL": db_url, "PARCOURS_MIN_CELL": "5", "PARCOURS_MIN_CELL_PUBLISHED": "5",
                        "PARCOURS_LANG": "fr", "PARCOURS_DISCLOSURE": "exact"}.items():
        monkeypatch.setenv(name, value)


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(args), out, err)
    return status, out.getvalue(), err.getvalue()


def test_csv_by_program() -> None:
    assert run("figures", "time-to-exit", "--by", "program", "--from", "2023-01-01", "--to", "2023-12-31",
               "--format", "csv") == (0, EXPECTED_CSV, "")


def test_program_is_the_default_grouping_and_dates_snap_to_months() -> None:
    status, out, err = run("figures", "time-to-exit", "--from", "2023-01-15", "--to", "2023-12-31")
    assert (status, out) == (0, EXPECTED_CSV)
    assert "2023-01-01" in err  # widened to whole months, said on standard error


def test_json_rows() -> None:
    status, out, _ = run("figures", "time-to-exit", "--by", "program", "--from", "2023-01-01", "--to", "2023-12-31",
                         "--format", "json")
    document = json.loads(out)
    assert status == 0 and document["columns"] == ["program", "day", "at_risk", "survival", "cif_housing_positive",
                                                  "cif_other_exit"]
    assert document["rows"][7] == {"program": "HEBERGEMENT_INSERTION", "day": 180, "at_risk": None, "survival": None,
                                   "cif_housing_positive": None, "cif_other_exit": None}
    assert [row["survival"] for row in document["rows"][5:]] == [0.8, 0.7, None, None, None]


def test_a_program_filter_next_to_the_whole_is_refused() -> None:
    """Without the filter, the selection holds 3 more persons (ACCUEIL_JOUR's): the two side by side would describe
    them, so the program alone shows nothing (``dashboard.disclosure.close_to_another``)."""
    status, out, err = run("figures", "time-to-exit", "--from", "2023-01-01", "--to", "2023-12-31",
                           "--program", "HEBERGEMENT_INSERTION", "--format", "json")
    document = json.loads(out)
    assert (status, document["too_small"], document["rows"]) == (0, True, [])
    assert "trop petite" in err


@pytest.mark.parametrize(("args", "words"), [
    (("--by", "quarter"), "--by : valeur « quarter » invalide. Valeurs possibles : program, cohort."),
    (("--by", "cohort"), "l'indicateur time-to-exit décrit une cohorte"),
])
def test_bad_grouping(args: tuple[str, ...], words: str) -> None:
    status, out, err = run("figures", "time-to-exit", *args)
    assert (status, out) == (2, "") and words in err


def test_other_figures_keep_their_granularity(tmp_path: Path) -> None:
    status, out, _ = run("figures", "exits", "--by", "year", "--from", "2023-01-01", "--to", "2023-12-31")
    assert status == 0 and out.splitlines()[1].startswith("2023,")
    assert run("figures", "exits", "--by", "program")[0] == 2


# A cohort anchored on entry in 2023 (no other criterion): P01..P13, each followed from their first period entered
# from the anchor on (P01's period of 2022 is before it). 13 subjects:
#   10 H (P11), 20 H, 20 O, 40 O (P12), 50 H, 80 O (P13), 100 c, 100 H, 100 O (death), 150 O, 200 c, 300 H, 400 c.
# S: day 10: 12/13; day 20: * 10/12 = 10/13; day 40: * 9/10 = 9/13; day 50: * 8/9 = 8/13; day 80: * 7/8 = 7/13;
#    day 100: * 5/7 = 5/13 (then 1 censored); day 150: * 3/4 = 15/52.
# At day 30: S = 10/13 = 0.769 -> 0.77; housing 1/13 (day 10) + 12/13 * 1/12 (day 20) = 2/13 = 0.154 -> 0.15;
#    other 12/13 * 1/12 = 1/13 = 0.077 -> 0.08; at risk: 13 - 3 = 10.
# At day 90: S = 7/13 = 0.538 -> 0.54; housing 2/13 + 9/13 * 1/9 (day 50) = 3/13 = 0.231 -> 0.23; other 1/13
#    + 10/13 * 1/10 (day 40) + 8/13 * 1/8 (day 80) = 3/13 -> 0.23; at risk 7 (times 100 and more).
# Day 180: at risk 3 (< 5); day 365: 1; day 730: 0.
COHORT_CSV = """\
cohort,day,at_risk,survival,cif_housing_positive,cif_other_exit
T,30,10,0.77,0.15,0.08
T,90,7,0.54,0.23,0.23
T,180,,,,
T,365,,,,
T,730,0,,,
"""


def test_csv_by_cohort() -> None:
    assert run("figures", "time-to-exit", "--by", "cohort", "--anchor", "entry", "--anchor-from", "2023-01-01",
               "--anchor-to", "2023-12-31", "--cohort-name", "T") == (0, COHORT_CSV, "")
