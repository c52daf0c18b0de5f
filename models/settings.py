"""Settings read from the environment (and, in the app, Streamlit secrets).

Every setting is listed in ``SETTINGS`` with its default and meaning; a test
checks that the README documents each one.
"""

import os
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


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
    Setting("PARCOURS_DISCLOSURE", "protected",
            "Disclosure mode, from the server's environment only: protected (cell-key perturbation) or exact."),
    Setting("PARCOURS_SECRET", "",
            "Secret from which every record key is derived; when empty, read from (or generated into) PARCOURS_SECRET_FILE."),
    Setting("PARCOURS_SECRET_FILE", "data/parcours.secret",
            "File holding the generated secret (mode 0600, outside the database); keep it with backups."),
    Setting("PARCOURS_CKM_MAX", "3", "Largest perturbation of a count (D of the p-table)."),
    Setting("PARCOURS_CKM_VARIANCE", "1.5", "Variance of the perturbation of a count (V of the p-table)."),
    Setting("PARCOURS_REPORT_COSTS", "", "TOML or JSON file of unit costs for the board report's avoided costs (defaults built in)."),
    Setting("PARCOURS_MAX_MEMBER_BYTES", str(4 * 1024**3),
            "Largest expanded size, in bytes, of one file inside a .zip or .xlsx, of a Parquet file's data, of a folder's CSV."),
    Setting("PARCOURS_MAX_RATIO", "200",
            "Largest compression ratio (expanded / compressed) of a zip or xlsx member or Parquet file over 1 MiB."),
    Setting("PARCOURS_MAX_ROWS", "100000000", "Largest number of rows in one table's file or sheet; more is refused."),
    Setting("PARCOURS_MAX_LINE_BYTES", "1000000", "Longest physical line, in bytes, of a CSV file; longer is refused."),
    Setting("PARCOURS_ANALYSIS_MIN_ESS", "50",
            "Smallest effective sample size of each group for an adjusted effect estimate to be shown (Analyses)."),
    Setting("PARCOURS_PASSWORD_MIN_LENGTH", "12", "Fewest characters of a new password (at least 8)."),
    Setting("PARCOURS_SESSION_HOURS", "8", "A sign-in session ends this many hours after it began."),
    Setting("PARCOURS_SESSION_IDLE_MINUTES", "30", "A sign-in session ends after this many minutes without use."),
    Setting("PARCOURS_SIGNIN_LOCKOUT_MINUTES", "15",
            "Window of the sign-in throttle: 5 failures on a name or 20 from an address in it lock sign-in."),
    Setting("PARCOURS_STAFF_EXACT", "on",
            "on: structure staff see their own structures at the exact level (off: perturbed like everyone)."),
    Setting("PARCOURS_BEHIND_PROXY", "off",
            "on: the client's address is the last entry of X-Forwarded-For (set it only behind a reverse proxy)."),
    Setting("PARCOURS_SNAPSHOT_DIR", "",
            "Folder of the on-disk snapshots the app processes map; empty: snapshots/ beside a SQLite file, else data/snapshots."),
    Setting("PARCOURS_TEST_ROLE", "",
            "Tests only, server environment only: every session is signed in with this role on every structure."),
)
_DEFAULTS = {s.name: s.default for s in SETTINGS}


SECRETS_FILE = Path(".streamlit") / "secrets.toml"


@lru_cache(maxsize=4)
def _secrets(path: Path) -> dict[str, str]:
    """Top-level string values of a Streamlit secrets file (read without Streamlit)."""
    try:
        with path.open("rb") as handle:
            content = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError):
        return {}
    return {key: str(value) for key, value in content.items() if not isinstance(value, dict)}


def get_setting(name: str) -> str:
    """The value of a setting: the environment, else ``.streamlit/secrets.toml``, else its default."""
    return os.environ.get(name) or _secrets(SECRETS_FILE.resolve()).get(name) or _DEFAULTS[name]


def server_setting(name: str) -> str:
    """A setting only the server's operator may set: the process environment, else its default.

    Never ``secrets.toml`` (it may travel with a deployment), never a URL or a widget.
    """
    return os.environ.get(name) or _DEFAULTS[name]


def database_url() -> str:
    return get_setting("DATABASE_URL")
