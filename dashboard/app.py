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
from dashboard.accounts.roles import pages_for  # noqa: E402
from dashboard.i18n import t  # noqa: E402
from dashboard.ui import auth  # noqa: E402
from dashboard.ui.context import PAGE_KEYS  # noqa: E402
from dashboard.ui.filterbar import current_lang  # noqa: E402
from models.settings import database_url  # noqa: E402

# The browser tab's icon, served by the app: a ":material/...:" icon here is fetched from a font server, and
# intranets without Internet access must work fully. (A comment: Streamlit would show a bare string on the page.)
ICON = ROOT / "dashboard" / "ui" / "icon.png"
ICONS = {
    "overview": ":material/dashboard:",
    "referrals": ":material/call_received:",
    "needs": ":material/checklist:",
    "workshops": ":material/groups:",
    "exits": ":material/logout:",
    "pathways": ":material/alt_route:",
    "data": ":material/description:",
    "quality": ":material/fact_check:",
    "signin": ":material/login:",
    "users": ":material/manage_accounts:",
    "audit": ":material/policy:",
    "load": ":material/upload_file:",
    "cohorts": ":material/compare_arrows:",
    "analyses": ":material/query_stats:",
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
    st.set_page_config(page_title=t("app.title", "fr"), page_icon=str(ICON), layout="wide")
    lang = "fr"
    try:
        lang = current_lang()
        auth.bootstrap(database_url())  # first start: an administrator with a one-time password on the terminal
        signed = auth.current()
        # Without a valid session (or before a one-time password is replaced) the only page is the sign-in one;
        # signed in, the pages the person's roles open (dashboard.accounts.roles.PAGE_ROLES).
        keys = [] if signed is None or signed.one_time else pages_for(signed.scope, (*PAGE_KEYS, *auth.ACCOUNT_PAGES))
        keys = [key for key in keys if (ROOT / "pages" / f"{key}.py").exists()] or ["signin"]
        pages = [
            st.Page(ROOT / "pages" / f"{key}.py", title=t(f"page.{key}", lang), icon=ICONS.get(key, ":material/article:"),
                    url_path=key)
            for key in keys
        ]
        # "/" opens the first page through a hidden twin: made the default itself, that page would lose its own
        # address, and a link to it (/overview) would open Streamlit's "Page not found" dialog, in English.
        pages.insert(0, st.Page(ROOT / "pages" / f"{keys[0]}.py", title=t(f"page.{keys[0]}", lang), url_path="home",
                                visibility="hidden", default=True))
        if keys == ["signin"]:  # a shared link (/cohorts?c1_...) opens the sign-in form at its own address, with its
            # parameters: signed in, the same address runs the page it names (no "Page not found" dialog, in English)
            pages += [st.Page(ROOT / "pages" / "signin.py", title=t("page.signin", lang), url_path=key,
                              visibility="hidden") for key in (*PAGE_KEYS, *auth.ACCOUNT_PAGES) if key != "signin"]
        if signed is not None and not signed.one_time:
            auth.account_box(lang, signed)
        st.navigation(pages, expanded=True).run()  # every page listed: no "View 3 more", in English
    except Exception:  # st.stop() and st.rerun() raise ScriptControlException, a BaseException: they pass through
        st.error(unexpected_error(lang), icon=":material/error:")


main()
