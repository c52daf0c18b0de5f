"""The administrators' pages: accounts and roles (``pages/users.py``), the audit log (``pages/audit.py``).

Every change goes through ``dashboard.accounts.store`` with the administrator as actor, so it lands in the
audit log in the same transaction. A new or reset password is generated here and shown once.
"""

import secrets
from datetime import datetime, time

import polars as pl
import streamlit as st

from dashboard.accounts import audit
from dashboard.accounts.roles import ROLES, Scope
from dashboard.accounts.store import AccountError, accounts, add_user, grant, revoke, set_active, set_password
from dashboard.i18n import t
from dashboard.ui.downloads import csv_bytes
from models.db import get_engine
from models.settings import database_url


def _engine():  # noqa: ANN202  (sqlalchemy Engine)
    return get_engine(database_url())


def _error(exc: AccountError, lang: str) -> None:
    st.error(t(f"account.{exc.code}", lang, **exc.values))


def accounts_table(lang: str) -> pl.DataFrame:
    rows = [{t("users.user", lang): a.username, t("users.col.active", lang): a.active,
             t("users.col.grants", lang): "; ".join(f"{t(f'role.{r}', lang)} {s}" for r, s in a.grants)}
            for a in accounts(_engine())]
    return pl.DataFrame(rows) if rows else pl.DataFrame()


def _one_time(lang: str) -> None:
    st.success(t("users.one_time", lang, pw=st.session_state.pop("_users_new_password")))


def add_form(lang: str, scope: Scope) -> None:
    st.subheader(t("users.add", lang))
    if "_users_new_password" in st.session_state:
        _one_time(lang)
    with st.form("users_add", clear_on_submit=True):
        name = st.text_input(t("users.user", lang), key="users_add_name")
        submitted = st.form_submit_button(t("users.add", lang))
    if submitted:
        password = secrets.token_urlsafe(12)
        try:
            add_user(_engine(), name, password, actor=scope.username, one_time=True)
        except AccountError as exc:
            _error(exc, lang)
            return
        st.session_state["_users_new_password"] = password
        st.rerun()


def grant_form(lang: str, scope: Scope) -> None:
    st.subheader(t("users.grant", lang))
    names = [a.username for a in accounts(_engine())]
    with st.form("users_grant"):
        name = st.selectbox(t("users.user", lang), names, key="users_grant_name")
        role = st.selectbox(t("users.role", lang), ROLES, format_func=lambda r: t(f"role.{r}", lang), key="users_role")
        structures = st.text_input(t("users.structures", lang), key="users_structures")
        left, right = st.columns(2)
        do_grant = left.form_submit_button(t("users.do_grant", lang))
        do_revoke = right.form_submit_button(t("users.do_revoke", lang))
    chosen = [s.strip() for s in structures.split(",") if s.strip()]
    if (do_grant or do_revoke) and name:
        try:
            (grant if do_grant else revoke)(_engine(), name, role, chosen, actor=scope.username)
        except AccountError as exc:
            _error(exc, lang)
            return
        st.rerun()


def account_actions(lang: str, scope: Scope) -> None:
    names = [a.username for a in accounts(_engine())]
    if not names:
        return
    st.subheader(t("users.user", lang))
    name = st.selectbox(t("users.user", lang), names, key="users_action_name", label_visibility="collapsed")
    one, two, three = st.columns(3)
    if one.button(t("users.disable", lang), key="users_disable", disabled=name == scope.username):
        set_active(_engine(), name, False, actor=scope.username)
        st.rerun()
    if two.button(t("users.enable", lang), key="users_enable"):
        set_active(_engine(), name, True, actor=scope.username)
        st.rerun()
    if three.button(t("users.reset", lang), key="users_reset"):
        password = secrets.token_urlsafe(12)
        set_password(_engine(), name, password, actor=scope.username, one_time=True)
        st.session_state["_users_new_password"] = password
        st.rerun()


def audit_view(lang: str) -> None:
    """Filters (who, action, since), the rows newest first and a CSV export."""
    left, middle, right = st.columns(3)
    actor = left.text_input(t("audit.actor", lang), key="audit_actor")
    action = middle.selectbox(t("audit.action", lang), ("", *audit.ACTIONS), key="audit_action")
    since = right.date_input(t("audit.since", lang), value=None, key="audit_since")
    rows = audit.events(_engine(), actor=actor.strip().lower(), action=action or "",
                        since=datetime.combine(since, time()) if since else None)
    st.dataframe(rows, hide_index=True)
    st.download_button(t("audit.download", lang), csv_bytes(rows), file_name="audit.csv", mime="text/csv",
                       key="audit_csv", on_click="ignore")
