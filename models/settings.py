"""Settings read from the environment (and, in the app, Streamlit secrets).

Every setting is listed in ``SETTINGS`` with its default and meaning; a test
checks that the README documents each one.
"""

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    meaning: str


SETTINGS: tuple[Setting, ...] = (
    Setting("DATABASE_URL", "sqlite:///data/parcours.db", "SQLAlchemy URL of the database (SQLite file or PostgreSQL)."),
    Setting("PARCOURS_PSEUDONYM_KEY", "", "Secret key for `--pseudonymise` (HMAC-SHA-256); never stored."),
    Setting("PARCOURS_MIN_CELL", "5", "Smallest count shown on screen; smaller counts read '< k'."),
    Setting("PARCOURS_MIN_CELL_PUBLISHED", "11", "Smallest count in anything that leaves the app (downloads, command line, report)."),
    Setting("PARCOURS_LANG", "fr", "Default language of the interface and of messages (fr or en)."),
)
_DEFAULTS = {s.name: s.default for s in SETTINGS}


def get_setting(name: str) -> str:
    """The value of a setting: the environment, else its default."""
    return os.environ.get(name) or _DEFAULTS[name]


def database_url() -> str:
    return get_setting("DATABASE_URL")
