"""Pseudonymisation of person ids with a keyed hash (``--pseudonymise``).

Each ``person_id`` becomes the first 32 hex characters (128 bits) of
HMAC-SHA-256(key, structure-free raw id). The same key always gives the same
pseudonym, so successive loads of one structure stay consistent and every
table keeps pointing at the same person; without the key the raw id cannot
be recovered or checked. 128 bits keep collisions out of reach for any
realistic number of persons while halving the stored width.

The key comes from ``PARCOURS_PSEUDONYM_KEY``; it is never stored, logged
or printed.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import replace

import polars as pl

from etl.dataset import Problem, ValidatedDataset
from etl.spill import StagedTables
from models.settings import get_setting

KEY_SETTING = "PARCOURS_PSEUDONYM_KEY"
MIN_KEY_LENGTH = 16
DIGEST_CHARS = 32
PERSON_COLUMN = "person_id"
PERSON_SOURCE = "personne_id"

_KEY_MESSAGES = {
    "missing": {
        "fr": "La pseudonymisation demande une clé secrète : définissez la variable d'environnement {var} "
        "(au moins {n} caractères). Rien n'a été chargé.",
        "en": "Pseudonymisation needs a secret key: set the environment variable {var} "
        "(at least {n} characters). Nothing was loaded.",
    },
    "short": {
        "fr": "La clé de pseudonymisation ({var}) est trop courte : {length} caractères, il en faut au moins {n}. "
        "Rien n'a été chargé.",
        "en": "The pseudonymisation key ({var}) is too short: {length} characters, at least {n} are needed. "
        "Nothing was loaded.",
    },
}


class PseudonymKeyError(ValueError):
    """The key is missing or too short; the message is ready for users."""


def pseudonym_key(lang: str = "fr") -> bytes:
    """The key from the environment, or a clear refusal."""
    key = get_setting(KEY_SETTING)
    lang = lang if lang in ("fr", "en") else "fr"
    if not key:
        raise PseudonymKeyError(_KEY_MESSAGES["missing"][lang].format(var=KEY_SETTING, n=MIN_KEY_LENGTH))
    if len(key) < MIN_KEY_LENGTH:
        raise PseudonymKeyError(
            _KEY_MESSAGES["short"][lang].format(var=KEY_SETTING, n=MIN_KEY_LENGTH, length=len(key))
        )
    return key.encode("utf-8")


def pseudonym(raw_id: str, key: bytes) -> str:
    return hmac.new(key, raw_id.encode("utf-8"), hashlib.sha256).hexdigest()[:DIGEST_CHARS]


def pseudonym_map(raw_ids: pl.Series, key: bytes) -> pl.DataFrame:
    """Unique raw ids -> pseudonyms, hashed once each."""
    unique = raw_ids.drop_nulls().unique().to_list()
    return pl.DataFrame(
        {"raw": unique, "pseudo": [pseudonym(raw, key) for raw in unique]},
        schema={"raw": pl.String, "pseudo": pl.String},
    )


def _problem(p: Problem, key: bytes) -> Problem:
    """A problem whose value (and message) no longer shows a raw person id."""
    if p.value is None or p.column != PERSON_SOURCE:
        return p
    new = pseudonym(p.value, key)
    return replace(p, value=new, message=p.message.replace(p.value, new))


def _pseudonymised(frame: pl.DataFrame, key: bytes) -> pl.DataFrame:
    if PERSON_COLUMN not in frame.columns:
        return frame
    mapping = pseudonym_map(frame[PERSON_COLUMN], key)
    return frame.with_columns(pl.col(PERSON_COLUMN).replace_strict(mapping["raw"], mapping["pseudo"], default=None))


def pseudonymise(dataset: ValidatedDataset, key: bytes) -> ValidatedDataset:
    """A copy of ``dataset`` with every person id replaced by its pseudonym.

    Tables spilled to disk are pseudonymised chunk by chunk as the load
    reads them (each chunk hashes its own distinct ids: same key, same id,
    same pseudonym).
    """
    if isinstance(dataset.tables, StagedTables):
        tables: Mapping[str, pl.DataFrame] = dataset.tables.mapped(lambda frame: _pseudonymised(frame, key))
    else:
        tables = {name: _pseudonymised(frame, key) for name, frame in dataset.tables.items()}
    return ValidatedDataset(
        tables=tables,
        files=dataset.files,
        errors=[_problem(p, key) for p in dataset.errors],
        warnings=[_problem(p, key) for p in dataset.warnings],
        structures=dataset.structures,
    )
