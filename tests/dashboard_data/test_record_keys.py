"""Record keys: derived from the secret, stable across reloads, different under another secret; the secret file."""

import os
import stat
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from dashboard.data import read_data
from dashboard.record_keys import _secret_for, hashes64, mixed, to_key
from models.db import make_engine
from tests.metrics.fixtures import make_db

PERSONS = [{"person_id": f"P{i}", "sex": "F"} for i in range(1, 31)]
REFERRALS = [{"person_id": f"P{i}", "referral_date": "2024-01-05", "source": "CCAS"} for i in range(1, 31)]


def _keys(url: str) -> pl.DataFrame:
    engine = make_engine(url)
    try:
        data = read_data(engine)
    finally:
        engine.dispose()
    return data.persons.select("structure_id", "person_id", "pk").join(
        data.referrals.select("structure_id", "referral_id", "person_id", pl.col("pk").alias("referral_pk"), "ek"),
        on=["structure_id", "person_id"], how="left",
    ).sort("person_id")


def test_keys_are_stable_across_reloads_and_follow_the_secret(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = _keys(make_db(tmp_path / "a.db", persons=PERSONS, referrals=REFERRALS))
    # the same records loaded in another order into another database: the same keys
    again = _keys(make_db(tmp_path / "b.db", persons=PERSONS[::-1], referrals=REFERRALS))  # persons in another order
    assert first.equals(again)
    assert (first["pk"] == first["referral_pk"]).all()  # a person's key travels with every record about them
    assert first["pk"].max() < 4096 and first["ek"].max() < 4096
    assert first["pk"].n_unique() > 20  # 30 keys spread over 0..4095, not a constant
    monkeypatch.setenv("PARCOURS_SECRET", "another secret")
    other = _keys(make_db(tmp_path / "c.db", persons=PERSONS, referrals=REFERRALS))
    assert not other["pk"].equals(first["pk"]) and not other["ek"].equals(first["ek"])


def test_keys_are_a_keyed_hash_of_kind_structure_and_id(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARCOURS_SECRET", "s")
    structures, ids = pl.Series(["S1", "S1", "S2"]), pl.Series(["1", "2", "1"])
    persons = hashes64("person", structures, ids)
    assert len(set(persons.tolist())) == 3
    assert (hashes64("person", structures, ids) == persons).all()
    assert not (hashes64("referral", structures, ids) == persons).any()  # the kind is part of the message
    keys = to_key(persons)
    assert keys.dtype == pl.UInt16 and keys.to_list() == [int(h >> 52) for h in persons.tolist()]
    # an attendance mixes its session and its person: change either and the key changes
    sessions = hashes64("session", structures, ids)
    assert len({*mixed(sessions, persons).tolist(), *mixed(persons, sessions).tolist()}) == 6
    assert (mixed(sessions, persons) == mixed(sessions.copy(), persons.copy())).all()
    assert mixed(np.array([], dtype=np.uint64), np.array([], dtype=np.uint64)).size == 0


def test_the_secret_file_is_generated_once_private_and_reused(tmp_path: Path) -> None:
    path = tmp_path / "data" / "parcours.secret"
    first = _secret_for("", str(path))
    mode = stat.S_IMODE(os.stat(path).st_mode)
    assert mode == 0o600
    text = path.read_text(encoding="utf-8").strip()
    assert len(text) == 64 and int(text, 16) >= 0
    _secret_for.cache_clear()
    assert _secret_for("", str(path)) == first  # read back, not regenerated
    assert _secret_for("explicit", str(path)) != first  # PARCOURS_SECRET wins over the file
