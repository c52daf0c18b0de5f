"""The committed data dictionary matches the table definitions."""

from __future__ import annotations

from pathlib import Path

from etl import dictionary


def test_committed_dictionary_is_up_to_date() -> None:
    assert dictionary.DICTIONARY_PATH.read_text(encoding="utf-8") == dictionary.render(), (
        "docs/data-dictionary.md is out of date: run `python -m etl dictionary`"
    )


def test_dictionary_describes_columns_keys_and_codes() -> None:
    text = dictionary.render()
    assert "## `evaluations` → `assessments`" in text
    assert "- Clé / Key : `structure_id`, `personne_id`, `date_evaluation`, `domaine`" in text
    assert ("| `niveau` | `level` | entier / integer 1–5 | oui / yes | 1 en crise, 2 vulnérable, 3 stabilisé, "
            "4 en progression, 5 autonome. / 1 in crisis, 2 vulnerable,") in text
    assert "| `qpv` | `priority_area` | booléen / boolean | non / no |" in text
    assert ("| `source` | `source` | code ([SOURCE](#source)) | oui / yes | "
            "Qui a orienté la personne. / Who referred the person. |") in text
    assert "| `SPIP` | SPIP (probation) | Probation service (SPIP) |" in text
    assert "### KIND" not in text and text.count("\n### ") == 19


def test_stale_file_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "dict.md"
    assert not dictionary.is_up_to_date(path)
    dictionary.write(path)
    assert dictionary.is_up_to_date(path)
    path.write_text(path.read_text(encoding="utf-8").replace("Sex.", "Gender."), encoding="utf-8")
    assert not dictionary.is_up_to_date(path)
