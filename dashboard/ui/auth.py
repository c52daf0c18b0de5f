"""Who is signed in, in the app: the session token in Streamlit's server-side state, the sign-in and
password forms, the account box in the sidebar.

The token lives in ``st.session_state`` under ``TOKEN``, which no widget uses: a URL parameter or a widget
value cannot set it. Every run resolves it against the database (``dashboard.accounts.signin.resolve``),
so an expired, ended or disabled session stops at the next click.

``PARCOURS_TEST_ROLE`` (server environment only; the test suite sets it) signs every session in as that role
on every structure, with a banner on every page saying so.
"""

import logging
import sys
from collections.abc import Callable
from typing import Any

import streamlit as st

from dashboard.accounts import audit
from dashboard.accounts.passwords import PasswordTooShort, min_length
from dashboard.accounts.roles import ALL, ROLES, Scope
from dashboard.accounts.signin import OK, THROTTLED, Signed, lockout, resolve, sign_in, sign_out, sso_sign_in
from dashboard.accounts.store import ensure_first_admin, set_password
from dashboard.i18n import lang_of, t
from models.db import get_engine
from models.settings import database_url, get_setting, server_setting

TOKEN = "_parcours_session_token"
ACCOUNT_PAGES = ("users", "audit")
"""Pages of administrators, after the subject pages in the navigation."""
_log = logging.getLogger(__name__)


def test_role() -> str:
    role = server_setting("PARCOURS_TEST_ROLE").strip().lower()
    return role if role in ROLES else ""


def staff_exact() -> bool:
    return server_setting("PARCOURS_STAFF_EXACT").strip().lower() in ("on", "1", "true", "yes")


def address() -> str:
    try:
        value = st.context.ip_address
        if server_setting("PARCOURS_BEHIND_PROXY").strip().lower() in ("on", "1", "true", "yes"):
            # Behind a reverse proxy every client has the proxy's address: the proxy's X-Forwarded-For names the
            # client (its last entry, the one the proxy itself added; earlier ones come from the client).
            forwarded = (st.context.headers.get("X-Forwarded-For") or "").split(",")[-1].strip()
            value = forwarded or value
    except Exception:  # no script run (a helper called from a test): no client
        return "unknown"
    return value if isinstance(value, str) and value else "unknown"  # None on localhost websockets, in AppTest


def sso_configured() -> bool:
    """Whether single sign-on is set up: an ``[auth]`` section in Streamlit's secrets (``st.login``)."""
    try:
        return bool(st.secrets.get("auth", {}).get("client_id"))
    except Exception:  # no secrets file at all
        return False


def _sso_user() -> tuple[str, str, str | None] | None:
    """(issuer, subject, e-mail) of a person signed in at the identity provider, or None."""
    if not sso_configured() or not st.user.is_logged_in:
        return None
    return str(st.user.get("iss", "")), str(st.user.get("sub", "")), st.user.get("email")  # type: ignore[return-value]


def current() -> Signed | None:
    """This browser session's signed-in person, or None.

    With single sign-on, a person the identity provider vouches for gets a session of ours (so it expires and
    ends like any other); when ours has ended, they sign in again at the provider."""
    role = test_role()
    if role:
        return Signed(Scope(f"test:{role}", frozenset({(role, ALL)})), False)
    engine = get_engine(database_url())
    token = st.session_state.get(TOKEN)
    signed = resolve(engine, token)
    sso = _sso_user()
    if signed is None and sso is not None:
        if token is not None:  # our session ended (idle, expired, signed out elsewhere): the provider's ends too
            st.session_state.pop(TOKEN, None)
            st.logout()
        outcome = sso_sign_in(engine, *sso, address())
        if outcome.token is not None:
            st.session_state[TOKEN] = outcome.token
            signed = resolve(engine, outcome.token)
    return signed


def current_scope() -> Scope | None:
    """The scope of the signed-in person once they may see figures (not while a one-time password waits)."""
    signed = current()
    return signed.scope if signed is not None and not signed.one_time else None


def record(action: str, structures: list[str] | tuple[str, ...] = (), **detail: Any) -> None:
    """An audit row for an action of the signed-in person (an extract, a download, a load)."""
    scope = current_scope()
    audit.record(get_engine(database_url()), scope.username if scope else "anonymous", action, address=address(),
                 structures=structures, **detail)


def recorder(action: str, structures: list[str] | tuple[str, ...] = (), **detail: Any) -> Callable[[], None]:
    """An audit row to write later, for the signed-in person of this run: a download button's callable runs
    outside the page's run, when the file is made, and then calls this (no Streamlit call in it)."""
    scope, where, url = current_scope(), address(), database_url()
    actor = scope.username if scope else "anonymous"
    return lambda: audit.record(get_engine(url), actor, action, address=where, structures=structures, **detail)


@st.cache_resource(show_spinner=False)
def bootstrap(url: str) -> None:
    """Once per process: on a database without accounts, create the first administrator and print its one-time
    password on the terminal that started the app (never in the log)."""
    if test_role():
        return
    password = ensure_first_admin(get_engine(url))
    if password is not None:
        lang = lang_of(get_setting("PARCOURS_LANG"))
        print(f"\nParcours : {t('account.first_admin', lang, password=password)}\n", file=sys.stderr, flush=True)


def sign_in_form(lang: str) -> None:
    """The sign-in form; a success stores the token and reruns the app."""
    if st.session_state.pop(TOKEN, None) is not None:  # a token that no longer resolves: the session ended
        st.warning(t("auth.expired", lang))
    st.caption(t("auth.intro", lang))
    if sso_configured() and st.button(t("auth.sso", lang), key="signin_sso", icon=":material/badge:", type="primary"):
        st.login()
    with st.form("signin", enter_to_submit=True):
        name = st.text_input(t("auth.username", lang), key="signin_user", autocomplete="username")
        password = st.text_input(t("auth.password", lang), type="password", key="signin_password",
                                 autocomplete="current-password")
        submitted = st.form_submit_button(t("auth.submit", lang), type="primary")
    if not submitted:
        return
    outcome = sign_in(get_engine(database_url()), name, password, address())
    if outcome.outcome == OK:
        st.session_state[TOKEN] = outcome.token
        st.session_state.pop("signin_password", None)
        st.rerun()
    elif outcome.outcome == THROTTLED:
        st.error(t("auth.throttled", lang, minutes=int(lockout().total_seconds() // 60)))
    else:
        st.error(t("auth.bad", lang))


def change_password_form(lang: str, signed: Signed) -> None:
    """After a one-time password: the person chooses their own before seeing anything."""
    st.info(t("auth.change_intro", lang, n=min_length()))
    with st.form("change_password"):
        first = st.text_input(t("auth.new_password", lang), type="password", key="new_password",
                              autocomplete="new-password")
        second = st.text_input(t("auth.repeat_password", lang), type="password", key="repeat_password",
                               autocomplete="new-password")
        submitted = st.form_submit_button(t("auth.change", lang), type="primary")
    if not submitted:
        return
    if first != second:
        st.error(t("auth.mismatch", lang))
        return
    try:
        set_password(get_engine(database_url()), signed.scope.username, first, actor=signed.scope.username,
                     one_time=False)
    except PasswordTooShort:
        st.error(t("auth.too_short", lang, n=min_length()))
        return
    st.rerun()


def account_box(lang: str, signed: Signed) -> None:
    """Who is signed in and the sign-out button, at the top of the sidebar."""
    if test_role():
        st.sidebar.warning(t("auth.test_role", lang, role=test_role()), icon=":material/science:")
        return
    roles = ", ".join(t(f"role.{r}", lang) for r in sorted(signed.scope.roles)) or "-"
    st.sidebar.markdown(t("auth.signed_as", lang, name=signed.scope.username, roles=roles))
    if st.sidebar.button(t("auth.signout", lang), key="signout", icon=":material/logout:"):
        sign_out(get_engine(database_url()), st.session_state.pop(TOKEN, None), address())
        if _sso_user() is not None:
            st.logout()
        st.rerun()


def require_page(page: str, lang: str) -> Scope:
    """The scope, when it opens ``page``; otherwise a message and the page stops (a page reached some other way
    than the navigation, e.g. run directly)."""
    scope = current_scope()
    if scope is None or not scope.may_open(page):
        st.error(t("auth.forbidden", lang))
        st.stop()
    return scope  # type: ignore[return-value]  # st.stop() does not return


__all__ = ["ACCOUNT_PAGES", "TOKEN", "account_box", "address", "bootstrap", "change_password_form", "current", "current_scope",
           "record", "recorder", "require_page", "sign_in_form", "sso_configured", "staff_exact", "test_role"]
