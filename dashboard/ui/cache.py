"""The database is read once per data version; filter changes never touch it again.

``data_version`` is a handful of cheap aggregate queries run on every
rerun; when it changes (a new load, a changed domain reading, through this
process or any other) the snapshot of the new version is mapped from disk
(``dashboard.snapshot``: built once, by the first process that needs it), and
shared by every session of the process and, through the page cache, by
every process.

A page never gets the whole snapshot: ``load_data`` gives the signed-in
person's part of it (``dashboard.data.restrict``: only the structures their
roles cover, carrying the levels that the disclosure gate applies), cached
per scope. Without a signed-in person it raises ``NotSignedIn``.
"""

import streamlit as st

from dashboard import shared_figures, snapshot
from dashboard.accounts.access import Access
from dashboard.accounts.roles import Scope
from dashboard.data import Data, data_version, restrict
from dashboard.ui.auth import current_scope, staff_exact
from models.db import get_engine
from models.settings import database_url


@st.cache_resource(max_entries=4, show_spinner=False)
def _snapshot(url: str, version: str) -> Data:
    return snapshot.load(get_engine(url), version)


class NotSignedIn(PermissionError):
    """Data asked for without a signed-in person (the app shows only the sign-in page then)."""


@st.cache_resource(max_entries=32, show_spinner=False)
def _scoped(url: str, version: str, key: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]) -> Data:
    structures, exact, screen = key
    whole = _snapshot(url, version)
    part = restrict(whole, Access(frozenset(structures), frozenset(exact), frozenset(screen)))
    shared_figures.attach_scoped(whole, part, key)
    return part


def load_data(scope: Scope | None = None) -> Data:
    """The snapshot of ``DATABASE_URL`` that ``scope`` (default: the signed-in person's) may see, cached by
    data version and scope. An administrator of every structure gets the whole snapshot itself."""
    scope = scope or current_scope()
    if scope is None:
        raise NotSignedIn("sign in first")
    url = database_url()
    version = data_version(get_engine(url))
    whole = _snapshot(url, version)
    known = frozenset(whole.structures["structure_id"].to_list())
    access = scope.access(known, staff_exact=staff_exact())
    if access.structures == known and access.screen == known and not access.exact:
        return whole
    return _scoped(url, version, access.key())
