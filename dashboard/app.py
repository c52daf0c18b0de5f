"""Entry point: ``streamlit run dashboard/app.py``.

Streamlit puts only this file's folder on ``sys.path``; the repository root
goes first so that ``dashboard`` and ``models`` import as packages.
"""

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


def main() -> None:
    st.set_page_config(page_title=t("app.title", "fr"), page_icon=":material/route:", layout="wide")
    lang = current_lang()
    pages = [
        st.Page(ROOT / "pages" / f"{key}.py", title=t(f"page.{key}", lang), icon=ICONS[key],
                url_path=key, default=(key == "overview"))
        for key in PAGE_KEYS
        if (ROOT / "pages" / f"{key}.py").exists()
    ]
    st.navigation(pages).run()


main()
