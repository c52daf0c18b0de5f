"""``python -m dashboard figures workshop-effect`` on the demo with the planted effect."""

import csv
import io
import json

import pytest

from dashboard.cli import main

COLUMNS = ["outcome", "estimator", "estimate", "ci_low", "ci_high", "n_treated", "n_control", "ess", "max_abs_smd_after",
           "interpretable"]


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(["figures", *argv], out, err)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def demo_db(effect_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", effect_url)
    monkeypatch.setenv("PARCOURS_DISCLOSURE", "exact")


def test_csv_columns_and_rows(demo_db):
    status, out, err = run("workshop-effect", "--format", "csv")
    assert status == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == COLUMNS
    strategic = [r for r in rows if r["outcome"] == "distance_strategic_12m"]
    assert [r["estimator"] for r in strategic] == ["naive", "ipw", "aipw"]
    naive, ipw, _ = strategic
    assert ipw["interpretable"] == "true" and naive["interpretable"] == "false"
    assert float(ipw["ci_low"]) <= float(ipw["estimate"]) <= float(ipw["ci_high"])
    assert float(naive["estimate"]) > float(ipw["estimate"])  # the raw gap carries the confounding
    assert int(ipw["n_treated"]) >= 11 and int(ipw["ess"]) >= 50 and float(ipw["max_abs_smd_after"]) <= 0.1
    # A row that is not interpretable has no number.
    for row in rows:
        if row["estimator"] != "naive" and row["interpretable"] == "false":
            assert row["estimate"] == row["ci_low"] == row["ci_high"] == ""


def test_json_with_a_filter_and_exposure_options(demo_db):
    status, out, err = run("workshop-effect", "--sex", "F", "--exposure-sessions", "6", "--exposure-months", "4",
                           "--format", "json", "--lang", "en")
    assert status == 0, err
    document = json.loads(out)
    assert document["metric"] == "workshop-effect" and document["columns"] == COLUMNS
    assert document["filters"] == {"sex": ["F"]} and document["exposure"] == {"min_sessions": 6, "months": 4}
    assert document["k"] == 11 and document["too_small"] is False
    assert {row["estimator"] for row in document["rows"]} == {"naive", "ipw", "aipw"}


@pytest.mark.parametrize("argv", [["--exposure-sessions", "0"], ["--exposure-months", "x"], ["--format", "xml"],
                                  ["--sex", "F", "--sex", "M"]])
def test_bad_input_exits_2_with_a_message(demo_db, argv):
    status, out, err = run("workshop-effect", *argv, "--lang", "en")
    assert status == 2 and out == ""
    assert err.startswith("Error:") and "Traceback" not in err


def test_listed(demo_db):
    status, out, _ = run("--list")
    assert status == 0 and "workshop-effect" in out.splitlines()


def test_a_cohort_instead_of_filters(demo_db):
    status, out, err = run("workshop-effect", "--anchor", "entry", "--anchor-from", "2022-01-01", "--anchor-to",
                           "2023-12-31", "--format", "json")
    assert status == 0, err
    document = json.loads(out)
    assert document["cohort"] == {"anchor": "entry", "from": "2022-01-01", "to": "2023-12-31"}
    assert document["too_small"] is False and len(document["rows"]) == 36
