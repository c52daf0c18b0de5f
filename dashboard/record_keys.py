"""Permanent record keys, derived from a secret so that they survive reloads.

Every person, referral, support period and workshop session gets a key in
0..KEY_RANGE-1 from a keyed BLAKE2b hash of its natural identifiers
(structure and id): reloading the same data gives the same keys, so the
same cell always gets the same noise; without the secret nobody can
compute them. An attendance (a person at a session) mixes the 64-bit
hashes of its session and its person, vectorised, since size L holds
millions of them.

The secret is ``PARCOURS_SECRET``; when it is empty, the first start
generates one into ``PARCOURS_SECRET_FILE`` (mode 0600, outside the
database). Several app processes on one database must share it.
"""

import hashlib
import os
import secrets
from functools import lru_cache
from pathlib import Path

import numpy as np
import polars as pl

from dashboard.perturbation import KEY_RANGE
from models.settings import server_setting


class SecretError(RuntimeError):
    """The secret file cannot be read or written."""


def _from_file(path: Path) -> str:
    if path.exists():
        try:
            text = path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise SecretError(f"PARCOURS_SECRET_FILE {path.name}: {exc.strerror}") from exc
        if text:
            return text
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_hex(32)
    try:
        # O_EXCL: two processes starting together keep the first one's secret.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise SecretError(f"PARCOURS_SECRET_FILE {path.name}: {exc.strerror}") from exc
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(value + "\n")
    return value


@lru_cache(maxsize=4)
def _secret_for(explicit: str, file: str) -> bytes:
    text = explicit or _from_file(Path(file))
    return hashlib.sha256(text.encode("utf-8")).digest()  # BLAKE2b keys are at most 64 bytes


def secret() -> bytes:
    return _secret_for(server_setting("PARCOURS_SECRET"), server_setting("PARCOURS_SECRET_FILE"))


def hashes64(kind: str, structures: pl.Series, ids: pl.Series) -> np.ndarray:
    """A keyed 64-bit hash of (kind, structure, id) per row, as uint64."""
    key = secret()
    prefix = kind.encode() + b"\x1f"
    out = np.empty(len(ids), dtype=np.uint64)
    for i, (structure, ident) in enumerate(zip(structures.to_list(), ids.to_list(), strict=True)):
        message = prefix + str(structure).encode() + b"\x1f" + str(ident).encode()
        out[i] = int.from_bytes(hashlib.blake2b(message, key=key, digest_size=8).digest(), "little")
    return out


def to_key(hashes: np.ndarray) -> pl.Series:
    """The record key in 0..KEY_RANGE-1 (top bits of the hash)."""
    return pl.Series(((hashes >> np.uint64(52)) % np.uint64(KEY_RANGE)).astype(np.uint16))


def mixed(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """A 64-bit hash of a pair of 64-bit hashes (SplitMix64's finaliser over their combination)."""
    with np.errstate(over="ignore"):
        z = first ^ (second * np.uint64(0x9E3779B97F4A7C15))
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


__all__ = ["SecretError", "hashes64", "mixed", "secret", "to_key"]
