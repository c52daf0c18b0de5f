"""Comptes: accounts and their roles, for administrators (every change is in the audit log)."""

import streamlit as st

from dashboard.i18n import t
from dashboard.ui import auth, auth_admin
from dashboard.ui.filterbar import language_switch

lang = language_switch()
st.title(t("page.users", lang))
scope = auth.require_page("users", lang)
st.subheader(t("users.list", lang))
st.dataframe(auth_admin.accounts_table(lang), hide_index=True)
auth_admin.add_form(lang, scope)
auth_admin.grant_form(lang, scope)
auth_admin.account_actions(lang, scope)
