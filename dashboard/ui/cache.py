"""The database is read once per data version; filter changes never touch it again.

``data_version`` is a handful of cheap aggregate queries run on every
rerun; the full ``read_data`` happens only when it changes (a new load, a
changed domain reading), and the snapshot is shared by every session.
"""

import streamlit as st

from dashboard.data import Data, data_version, read_data
from models.db import get_engine
from models.settings import database_url


@st.cache_resource(max_entries=4, show_spinner=False)
def _snapshot(url: str, version: str) -> Data:
    return read_data(get_engine(url))


def load_data() -> Data:
    """The current snapshot of ``DATABASE_URL`` (cached by data version)."""
    url = database_url()
    return _snapshot(url, data_version(get_engine(url)))
