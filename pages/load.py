"""Importer: drop an export, see every error and warning of the check, confirm, load.

The check is ``python -m etl load --dry-run`` and the load ``python -m etl load``, run as a child process on
the uploads (``dashboard.importing``): same validation, anonymity guard and single transaction.
"""

import streamlit as st

from dashboard.i18n import t
from dashboard.importing import pseudonym_key_set
from dashboard.ui.auth import require_page
from dashboard.ui.filterbar import language_switch
from dashboard.ui.upload import Options, acceptable, checked, load, loaded, permitted, show

lang = language_switch()
st.title(t("page.load", lang))
require_page("load", lang)  # staff and administrators only, however the page is reached
st.markdown(t("load.intro", lang))
files = st.file_uploader(t("load.files", lang), type=["xlsx", "zip", "csv"], accept_multiple_files=True,
                         key="w_load_files")
left, right = st.columns(2)
options = Options(
    structure=left.text_input(t("load.structure", lang), key="w_load_structure", max_chars=64).strip(),
    replace=right.checkbox(t("load.replace", lang), key="w_load_replace", help=t("load.replace_help", lang)),
    pseudonymise=right.checkbox(t("load.pseudonymise", lang), value=True, key="w_load_pseudonymise")
    if pseudonym_key_set() else False,
)

if files and acceptable(files, lang):
    done = loaded(files, options)
    if done is not None:
        show(done, lang, done=True)
    else:
        check = checked(files, options, lang)
        show(check, lang)
        if check.ok and permitted(check, lang) and st.button(t("load.confirm", lang), type="primary",
                                                              key="w_load_confirm"):
            load(files, options, lang)
