"""Password hashing with Argon2id (``argon2-cffi``, the reference implementation's binding; parameters of
RFC 9106's low-memory profile, its defaults) and the minimum length."""

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from models.settings import get_setting

_HASHER = PasswordHasher()


@lru_cache(maxsize=1)
def _dummy() -> str:
    """Verified when the account does not exist, so that a wrong name takes as long as a wrong password.

    Hashed at the first sign-in rather than at import: a hash costs 0.15 s, and every page imports this module.
    """
    return _HASHER.hash("parcours-no-such-account")


class PasswordTooShort(ValueError):
    """A new password under ``PARCOURS_PASSWORD_MIN_LENGTH`` characters."""


def min_length() -> int:
    try:
        return max(8, int(get_setting("PARCOURS_PASSWORD_MIN_LENGTH")))
    except ValueError:
        return 12


def hash_password(password: str) -> str:
    """The Argon2id hash of a new password, refused when too short."""
    if len(password) < min_length():
        raise PasswordTooShort(f"a password needs at least {min_length()} characters")
    return _HASHER.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    """Whether ``password`` matches ``stored`` (a missing hash is checked against a dummy, and fails)."""
    try:
        return _HASHER.verify(stored or _dummy(), password) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return _HASHER.check_needs_rehash(stored)
