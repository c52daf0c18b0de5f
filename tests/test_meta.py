"""Tests of the codebase itself: layering, size, settings, pins, no reads of shared/."""

import ast
import re
from pathlib import Path

import pytest

from models.settings import SETTINGS

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ("models", "etl", "dashboard", "pages")
# What each layer may import from the project (DESIGN.md: etl -> models, dashboard -> models, pages -> dashboard).
ALLOWED = {
    "models": {"models"},
    "etl": {"etl", "models"},
    "dashboard": {"dashboard", "models"},
    "pages": {"dashboard"},
}
# Parts of the read side that are pure and must stay free of Streamlit.
NO_STREAMLIT = ("models", "etl", "dashboard/metrics", "dashboard/charts")
NO_STREAMLIT_FILES = ("dashboard/disclosure.py", "dashboard/data.py", "dashboard/filters.py", "dashboard/selection.py",
                      "dashboard/periods.py", "dashboard/formatting.py", "dashboard/definitions.py", "dashboard/cli.py")


def python_files(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py") if ".venv" not in p.parts)


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("layer", LAYERS)
def test_imports_point_one_way(layer: str) -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted((imported_modules(path) & set(LAYERS)) - ALLOWED[layer])
        for path in python_files(layer)
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_pure_layers_never_import_streamlit() -> None:
    paths = python_files(*[f for f in NO_STREAMLIT if (ROOT / f).exists()])
    paths += [ROOT / f for f in NO_STREAMLIT_FILES if (ROOT / f).exists()]
    assert [str(p.relative_to(ROOT)) for p in paths if "streamlit" in imported_modules(p)] == []


def test_nothing_reads_the_shared_folder() -> None:
    pattern = re.compile(r"""["'/]\.\./shared|/work/shared""")
    paths = python_files(*LAYERS, "tests", "bench", "scripts") + [ROOT / "Makefile", ROOT / ".ci" / "run"]
    assert [str(p.relative_to(ROOT)) for p in paths if p.exists() and pattern.search(p.read_text(encoding="utf-8"))
            and p.name != "test_meta.py"] == []


def test_pages_stay_thin() -> None:
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in python_files("pages")}
    assert sizes, "no pages found"
    assert {name: n for name, n in sizes.items() if n > 110} == {}


def test_modules_stay_small() -> None:
    sizes = {str(p.relative_to(ROOT)): len(p.read_text(encoding="utf-8").splitlines())
             for p in python_files(*LAYERS, "bench")}
    assert {name: n for name, n in sizes.items() if n > 500} == {}


def test_every_setting_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert [s.name for s in SETTINGS if f"`{s.name}`" not in readme] == []


def test_runtime_requirements_are_pinned() -> None:
    for name in ("requirements.txt", "requirements-dev.txt"):
        lines = [line.split("#")[0].strip() for line in (ROOT / name).read_text().splitlines()]
        unpinned = [line for line in lines if line and not line.startswith("-r") and "==" not in line]
        assert unpinned == [], name


def test_readme_shows_the_two_commands_and_ci_calls_make_test() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make run" in readme and "make test" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_every_table_states_its_grain() -> None:
    from sqlmodel import SQLModel

    import models.tables  # noqa: F401

    missing = []
    for mapper in SQLModel._sa_registry.mappers:  # type: ignore[attr-defined]
        doc = mapper.class_.__doc__ or ""
        if not doc.strip().startswith("One row per"):
            missing.append(mapper.class_.__name__)
    assert missing == []
