"""``python -m dashboard figures``: text from the database never reaches the terminal raw in a message.

A structure id holding an ANSI escape sequence (loaded from a hostile file) is listed by the
unknown-structure error; it shows as ``\\x1b[...`` and cannot recolour or rewrite the screen.
CSV and JSON on standard output are data and stay as they are.
"""

import io

import pytest

from dashboard.cli import main
from dashboard.terminal import printable
from tests.metrics.fixtures import make_db

HOSTILE_ID = "S\x1b[2J\x1b[31mRED\u202e\r"
STRUCTURES = [
    {"structure_id": "S1", "name": "Foyer", "type": "CHRS", "territory": "Lyon"},
    {"structure_id": HOSTILE_ID, "name": "Nom\x1b]0;titre\x07", "type": "CHRS", "territory": "Lyon"},
]
PERSONS = [{"person_id": f"P{i}", "sex": "F", "birth_year": 1980} for i in range(1, 4)]
REFERRALS = [{"person_id": f"P{i}", "referral_date": "2024-01-05", "source": "CCAS"} for i in range(1, 4)]


@pytest.fixture
def env(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    url = make_db(tmp_path / "hostile.db", structures=STRUCTURES, persons=PERSONS, referrals=REFERRALS)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("PARCOURS_LANG", "fr")


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(args), out, err)
    return status, out.getvalue(), err.getvalue()


def test_printable_escapes_controls_and_keeps_text() -> None:
    assert printable("Âge « 1911 » – ok\u202f!") == "Âge « 1911 » – ok\u202f!"
    assert printable("a\nb\tc\x00\x9b\u2028\x1b[31m") == "a\\nb\\tc\\x00\\x9b\\u2028\\x1b[31m"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_unknown_structure_lists_the_database_ids_escaped(env: None, lang: str) -> None:
    status, out, err = run("figures", "referrals-by-source", "--structure", "S9\x1b[5m", "--lang", lang)
    assert (status, out) == (2, "")
    assert "\x1b" not in err and "\r" not in err and "\u202e" not in err
    assert "S9\\x1b[5m" in err  # the id typed is escaped too
    assert "S\\x1b[2J\\x1b[31mRED\\u202e\\r" in err
    assert err.count("\n") == 2  # the error and the usage line: no forged line

