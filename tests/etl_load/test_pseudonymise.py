"""Keyed pseudonyms: stable per key, different across keys, consistent across tables."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from etl.dataset import Problem
from etl.load import load_dataset
from etl.pseudonymise import PseudonymKeyError, pseudonym, pseudonym_key, pseudonymise
from models.db import make_engine
from tests.etl_load.builders import small_dataset, snapshot

KEY = b"0123456789abcdef-key"
OTHER = b"another-key-0123456789"


def test_pseudonym_is_truncated_hmac_sha256() -> None:
    expected = hmac.new(KEY, b"P1", hashlib.sha256).hexdigest()[:32]
    assert pseudonym("P1", KEY) == expected
    assert len(expected) == 32 and pseudonym("P1", OTHER) != expected and pseudonym("P2", KEY) != expected


def test_every_table_gets_the_same_pseudonym_for_the_same_person() -> None:
    warning = Problem("personnes", "personnes.csv", 4, "personne_id", "P3", "PERSON_WITHOUT_ACTIVITY",
                      "la personne « P3 » n'a ni orientation ni accompagnement.")
    out = pseudonymise(small_dataset(warnings=[warning]), KEY)
    p1, p2, p3 = (pseudonym(raw, KEY) for raw in ("P1", "P2", "P3"))
    assert out.tables["personnes"]["person_id"].to_list() == [p1, p2, p3]
    assert out.tables["orientations"]["person_id"].to_list() == [p1, p2]
    assert out.tables["participations"]["person_id"].to_list() == [p1, p2]
    assert out.tables["evaluations"]["person_id"].to_list() == [p1, p1]
    assert out.tables["jalons"]["person_id"].to_list() == [p1]
    assert out.tables["orientations"]["referral_id"].to_list() == ["O1", "O2"]
    assert out.warnings[0].value == p3 and "P3" not in out.warnings[0].message and p3 in out.warnings[0].message
    again = pseudonymise(small_dataset(), KEY)
    assert again.tables["personnes"]["person_id"].to_list() == [p1, p2, p3]
    other = pseudonymise(small_dataset(), OTHER)
    assert set(other.tables["personnes"]["person_id"]).isdisjoint({p1, p2, p3})


def test_reloading_with_the_same_key_changes_nothing(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    load_dataset(engine, pseudonymise(small_dataset(), KEY), source="a", pseudonymised=True)
    report = load_dataset(engine, pseudonymise(small_dataset(), KEY), source="a", pseudonymised=True)
    assert report.total.unchanged == 13 and report.total.inserted == 0
    cells = {str(v) for rows in snapshot(engine).values() for row in rows for v in row}
    assert not {"P1", "P2", "P3"} & cells


@pytest.mark.parametrize(
    "value, lang, fragment",
    [
        (None, "fr", "définissez la variable d'environnement PARCOURS_PSEUDONYM_KEY"),
        ("short", "fr", "trop courte : 5 caractères, il en faut au moins 16"),
        ("fifteen-chars!!", "en", "too short: 15 characters, at least 16"),
    ],
)
def test_key_is_refused_when_missing_or_short(
    value: str | None, lang: str, fragment: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if value is None:
        monkeypatch.delenv("PARCOURS_PSEUDONYM_KEY", raising=False)
    else:
        monkeypatch.setenv("PARCOURS_PSEUDONYM_KEY", value)
    with pytest.raises(PseudonymKeyError, match=fragment) as caught:
        pseudonym_key(lang)
    if value:
        assert value not in str(caught.value)


def test_key_of_sixteen_characters_is_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARCOURS_PSEUDONYM_KEY", "sixteen-chars!!!")
    assert pseudonym_key() == b"sixteen-chars!!!"
