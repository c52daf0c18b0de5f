"""Connexion: the only page without an account, and where a one-time password is replaced."""

import streamlit as st

from dashboard.i18n import t
from dashboard.ui import auth
from dashboard.ui.filterbar import language_switch

lang = language_switch()
st.title(t("page.signin", lang))
signed = auth.current()
if signed is None:
    auth.sign_in_form(lang)
elif signed.one_time:
    auth.change_password_form(lang, signed)
else:  # signed in, but no page opens to the roles held (none granted yet)
    st.info(t("auth.forbidden", lang))
