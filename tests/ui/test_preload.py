"""The served processes import the pages' modules before they listen (``dashboard/preload.py``)."""

import subprocess
import sys
from pathlib import Path

from dashboard.preload import ROOT, SCRIPTS, page_modules, preload


def test_the_modules_are_read_from_every_page_and_the_app(tmp_path: Path) -> None:
    page = tmp_path / "page.py"
    page.write_text("import json\nfrom dashboard.ui.plot import plot\nfrom . import sibling\n"
                    "def later():\n    import csv\n", encoding="utf-8")
    assert page_modules((page,)) == ["dashboard.ui.plot", "json"]  # top level, absolute only
    names = page_modules()
    assert {p.name for p in SCRIPTS} >= {"app.py", "overview.py", "referrals.py", "signin.py"}
    assert {"streamlit", "dashboard.ui.context", "dashboard.ui.plot"} <= set(names)


def test_every_module_imports_and_a_broken_one_is_reported() -> None:
    assert preload(page_modules()) == []
    assert preload(["dashboard.no_such_module"]) == ["dashboard.no_such_module"]


def test_the_command_line_is_streamlit_s() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "dashboard" / "preload.py"), "version"], capture_output=True,
                          text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Streamlit, version ")
    import streamlit

    assert streamlit.__version__ in done.stdout
