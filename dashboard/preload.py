"""``streamlit`` with the pages' imports done before the server listens (``scripts/serve.sh`` starts it this way).

Streamlit imports what a page needs when the first session runs it: on the first page after a start, 2.4 to
3 s of a 3.4 s wait were imports (polars, plotly's figure classes, SQLModel, the dashboard's modules). Here
every module that ``dashboard/app.py`` and ``pages/*.py`` import at their top level (read from their source,
so that a new page needs nothing here) is imported first; then Streamlit's own command line runs with the
arguments given, in the same process:

    python dashboard/preload.py run dashboard/app.py --server.port 8501

``streamlit run dashboard/app.py`` stays the plain entry point (``make run``); this only moves the wait from
the first visitor to the start.
"""

import ast
import importlib
import logging
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = (ROOT / "dashboard" / "app.py", *sorted((ROOT / "pages").glob("*.py")))


def page_modules(scripts: tuple[Path, ...] = SCRIPTS) -> list[str]:
    """The absolute module names the scripts import at their top level, sorted."""
    names: set[str] = set()
    for path in scripts:
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
    return sorted(names)


def preload(names: list[str]) -> list[str]:
    """Import ``names``; those that fail are logged and left to the page (which then shows its own error)."""
    failed = []
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001  (a module that cannot import must not stop the server)
            logging.getLogger(__name__).exception("preloading %s failed", name)
            failed.append(name)
    return failed


def main() -> int:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    preload(page_modules())
    from streamlit.web import cli

    sys.argv = ["streamlit", *sys.argv[1:]]
    return int(cli.main(prog_name="streamlit") or 0)


if __name__ == "__main__":
    sys.exit(main())
