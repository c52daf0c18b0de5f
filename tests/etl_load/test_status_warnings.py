"""``python -m etl status --warnings``: the operator's row-level view of a
load's warnings (the dashboard shows counts only), run as a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from etl.dataset import Problem, SourceFile
from etl.log import record_load
from etl.terminal import printable
from models.db import make_engine
from tests.etl_load.warnings_dataset import (
    BIRTH_YEAR,
    COUNTS,
    LATEST_PERSON_ID,
    PENDING_DATE,
    PERSON_ID,
    PERSON_LINE,
    load_both,
)

ROOT = Path(__file__).resolve().parents[2]
KINDS_EN = {
    "EXIT_WITHOUT_REASON": "exit without a reason",
    "REFERRAL_PENDING_90D": "referral pending for over 90 days",
    "AGE_IMPLAUSIBLE": "implausible age",
    "SUPPORT_OPEN_3Y": "support period open for over 3 years",
    "PERSON_WITHOUT_ACTIVITY": "person with no referral and no support period",
}


def etl(*args: str, url: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PARCOURS_LANG", "PARCOURS_DEBUG")}
    env["DATABASE_URL"] = url
    return subprocess.run([sys.executable, "-m", "etl", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120, check=False)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> str:
    root = tmp_path_factory.mktemp("status")
    url = f"sqlite:///{root / 'parcours.db'}"
    engine = make_engine(url)
    load_both(engine, root)
    engine.dispose()
    return url


def test_latest_load_lists_each_warning_with_file_line_column_and_value(loaded: str) -> None:
    done = etl("status", "--warnings", url=loaded)
    assert (done.returncode, done.stderr) == (0, "")
    first, *rest = done.stdout.splitlines()
    assert first.startswith("Chargement n° 2 le ") and first.endswith("3 avertissement(s)")
    assert rest == [
        "3 avertissement(s) :",
        "  sortie sans motif : 2",
        "  personne sans orientation ni accompagnement : 1",
        f"  - personnes.csv, ligne 4, colonne personne_id : la personne « {LATEST_PERSON_ID} » n'a ni orientation "
        "ni accompagnement.",
        "  - accompagnements.csv, ligne 2, colonne motif_sortie : sortie sans motif_sortie.",
        "  - accompagnements.csv, ligne 3, colonne motif_sortie : sortie sans motif_sortie.",
    ]


def test_chosen_load_in_english_with_the_counts_the_read_side_capped(loaded: str) -> None:
    done = etl("status", "--warnings", "--load", "1", "--lang", "en", url=loaded)
    assert (done.returncode, done.stderr) == (0, "")
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Load #1 on ") and lines[0].endswith("68 warning(s)")
    assert lines[1] == "68 warning(s):"
    by_kind = sorted(COUNTS[1].items(), key=lambda kv: (-kv[1], kv[0]))
    assert lines[2:7] == [f"  {KINDS_EN[code]}: {n}" for code, n in by_kind]
    rows = lines[7:]
    assert len(rows) == 2 + 1 + 3 + 50 + 1 + 2  # every stored row, the MORE_PROBLEMS one included
    assert f"  - personnes.csv, line {PERSON_LINE}, column personne_id: person “{PERSON_ID}” has no referral and no " \
           "support period." in rows
    assert "  - personnes.csv, line 6, column annee_naissance: age at first contact under 16 or over 100 " \
           f"(year of birth “{BIRTH_YEAR}”)." in rows
    assert f"  - orientations.csv, line 621, column date_orientation: referral received on “{PENDING_DATE}”, still " \
           "pending after more than 90 days." in rows
    assert "  - accompagnements.csv, column motif_sortie: … and 10 more problems of the same kind in this column, " \
           "not listed." in rows


@pytest.mark.parametrize(("args", "message"), [
    (("--load", "9"), "Chargement n° 9 inconnu (derniers chargements enregistrés : 1, 2)."),
    (("--load", "9", "--lang", "en"), "Unknown load #9 (latest loads recorded: 1, 2)."),
    (("--load", "-1"), "--load attend un numéro de chargement (nombre entier positif), pas « -1 »."),
])
def test_unknown_or_bad_load_number_exits_2_with_a_message(loaded: str, args: tuple[str, ...], message: str) -> None:
    done = etl("status", "--warnings", *args, url=loaded)
    assert (done.returncode, done.stdout, done.stderr) == (2, "", message + "\n")


def test_load_without_warnings_flag_is_a_usage_error(loaded: str) -> None:
    done = etl("status", "--load", "1", "--lang", "en", url=loaded)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "--load only goes with --warnings: python -m etl status --warnings --load N.\n"


@pytest.mark.parametrize(("lang", "message"), [
    ("fr", "Aucun chargement enregistré : il n'y a pas d'avertissement à afficher."),
    ("en", "No load recorded: there are no warnings to show."),
])
def test_empty_database_exits_2_with_a_message(sqlite_url: str, lang: str, message: str) -> None:
    done = etl("status", "--warnings", "--lang", lang, url=sqlite_url)
    assert (done.returncode, done.stdout, done.stderr) == (2, "", message + "\n")


def test_text_from_the_data_cannot_drive_the_terminal(sqlite_url: str) -> None:
    nasty = "\x1b[2J\x1b[31mX-1\rFAUX\u202e\x07"
    engine = make_engine(sqlite_url)
    now = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
    with engine.begin() as conn:
        record_load(conn, started_at=now, finished_at=now, source="d\x1b]0;titre\x07", structures=["S1"], replace=False,
                    pseudonymised=False, files=[SourceFile("perso\x1b[0mnnes.csv", "personnes", "0" * 64, 1)], counts={},
                    warnings=[Problem("personnes", "", 2, "personne_id", nasty, "PERSON_WITHOUT_ACTIVITY", "")])
    engine.dispose()
    done = etl("status", "--warnings", url=sqlite_url)
    assert done.returncode == 0, done.stderr
    assert not [c for c in done.stdout if c in "\x1b\r\x07\u202e"]
    assert "la personne « \\x1b[2J\\x1b[31mX-1\\rFAUX\\u202e\\x07 » n'a ni" in done.stdout
    assert "perso\\x1b[0mnnes.csv, ligne 2" in done.stdout and "d\\x1b]0;titre\\x07" in done.stdout


def test_printable_escapes_controls_and_keeps_text() -> None:
    assert printable("Âge « 1911 » – ok\u202f!") == "Âge « 1911 » – ok\u202f!"
    assert printable("a\nb\tc\x00\x9b\u2028") == "a\\nb\\tc\\x00\\x9b\\u2028"
