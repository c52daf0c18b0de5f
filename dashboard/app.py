"""Entry point: ``streamlit run dashboard/app.py``.

Streamlit puts only this file's folder on ``sys.path``; the repository root
goes first so that ``dashboard`` and ``models`` import as packages.

A page that fails unexpectedly shows a short message in the reader's
language with a reference (8 hex digits); the server log has the same
reference with the traceback. Streamlit's own error box is off
(``showErrorDetails = "none"`` in ``.streamlit/config.toml``), so neither
a traceback nor a server path reaches the browser.
"""

import logging
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

import dashboard.theme  # noqa: E402, F401  (registers the Plotly template)
from dashboard.i18n import t  # noqa: E402
from dashboard.ui.context import PAGE_KEYS  # noqa: E402
from dashboard.ui.filterbar import current_lang  # noqa: E402

ICONS = {
    "overview": ":material/dashboard:",
    "referrals": ":material/call_received:",
    "needs": ":material/checklist:",
    "workshops": ":material/groups:",
    "exits": ":material/logout:",
    "data": ":material/description:",
}


# Kept here rather than in dashboard.strings: it must show even when the strings cannot be read.
UNEXPECTED = {
    "fr": "Une erreur inattendue empêche d'afficher cette page. Si elle persiste, transmettez la référence {ref} "
          "à l'administrateur du tableau de bord.",
    "en": "An unexpected error prevents this page from showing. If it persists, give the reference {ref} "
          "to the dashboard's administrator.",
}
log = logging.getLogger("dashboard.app")


def unexpected_error(lang: str) -> str:
    """Log the exception being handled with a new reference and return the reader's message; the reference is
    the only link between the two (no type, message, path or value reaches the page)."""
    ref = secrets.token_hex(4)
    log.exception("unexpected error on a page, reference %s", ref)
    return UNEXPECTED.get(lang, UNEXPECTED["fr"]).format(ref=ref)


def main() -> None:
    st.set_page_config(page_title=t("app.title", "fr"), page_icon=":material/route:", layout="wide")
    lang = "fr"
    try:
        lang = current_lang()
        pages = [
            st.Page(ROOT / "pages" / f"{key}.py", title=t(f"page.{key}", lang), icon=ICONS[key],
                    url_path=key, default=(key == "overview"))
            for key in PAGE_KEYS
            if (ROOT / "pages" / f"{key}.py").exists()
        ]
        st.navigation(pages).run()
    except Exception:  # st.stop() and st.rerun() raise ScriptControlException, a BaseException: they pass through
        st.error(unexpected_error(lang), icon=":material/error:")


main()
