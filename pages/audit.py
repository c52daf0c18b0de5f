"""Journal d'audit: who did what, for administrators; read-only (the database refuses changes)."""

import streamlit as st

from dashboard.i18n import t
from dashboard.ui import auth, auth_admin
from dashboard.ui.filterbar import language_switch

lang = language_switch()
st.title(t("page.audit", lang))
auth.require_page("audit", lang)
st.caption(t("audit.readonly", lang))
auth_admin.audit_view(lang)
