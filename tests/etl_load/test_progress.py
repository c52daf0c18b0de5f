"""End-of-load summary and the progress bar."""

from __future__ import annotations

import io

from etl.dataset import Problem
from etl.load import LoadReport
from etl.log import TableCount
from etl.progress import Progress, format_summary


def _warning(line: int, code: str = "EXIT_WITHOUT_REASON") -> Problem:
    return Problem("accompagnements", "accompagnements.csv", line, "motif_sortie", None, code, "sortie sans motif_sortie.")


def _report(warnings: list[Problem]) -> LoadReport:
    return LoadReport(
        source="d", structures=["S1", "S2"], load_id=7, seconds=2.25, warnings=warnings,
        counts={"personnes": TableCount(1200, 3, 40, 0), "jalons": TableCount(0, 0, 5, 2)},
    )


def cells(line: str) -> list[str]:
    """Cells of a summary row (numbers keep their narrow no-break spaces)."""
    return [c for c in line.split(" ") if c]


def test_summary_in_french_with_totals_and_warnings_by_kind() -> None:
    warnings = [_warning(n) for n in range(2, 9)] + [_warning(20, "SUPPORT_OPEN_3Y")]
    text = format_summary(_report(warnings))
    lines = text.splitlines()
    assert lines[0] == "Chargement terminé (2.2 s), chargement n° 7."
    assert lines[1] == "Structures : S1, S2"
    assert cells(lines[3]) == ["table", "insérées", "mises", "à", "jour", "inchangées", "supprimées"]
    assert cells(lines[4]) == ["personnes", "1\u202f200", "3", "40", "0"]
    assert cells(lines[6]) == ["total", "1\u202f200", "3", "45", "2"]
    assert "8 avertissement(s) :" in text
    assert "  sortie sans motif : 7" in text and "  accompagnement ouvert depuis plus de 3 ans : 1" in text
    assert text.count("\n  - ") == 5 and "accompagnements.csv, ligne 2, colonne motif_sortie" in text
    assert "… et 3 autre(s)" in text


def test_summary_counts_the_warnings_the_read_side_left_out() -> None:
    """After a few of a kind, the read side adds one MORE_PROBLEMS whose value is how many it left out."""
    more = Problem("accompagnements", "accompagnements.csv", None, "motif_sortie", "120", "MORE_PROBLEMS", "…")
    warnings = [_warning(n) for n in range(2, 52)] + [more, _warning(9, "SUPPORT_OPEN_3Y")]
    text = format_summary(_report(warnings))
    assert "171 avertissement(s) :" in text  # 50 listed + 120 left out + 1
    assert "  sortie sans motif : 170" in text and "  accompagnement ouvert depuis plus de 3 ans : 1" in text
    assert "… et 166 autre(s)" in text  # 171 minus the 5 shown


def test_summary_in_english_without_warnings() -> None:
    text = format_summary(_report([]), "en")
    assert text.splitlines()[0] == "Load finished (2.2 s), load #7."
    assert cells(text.splitlines()[6]) == ["total", "1,200", "3", "45", "2"]
    assert text.endswith("No warnings.")


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_bar_is_drawn_on_a_terminal_only_after_the_delay() -> None:
    tty = Tty()
    bar = Progress(tty, delay=0.0)
    bar.start(200, "compare")
    bar.advance(50)
    bar.start(4, "write")
    bar.advance(4)
    bar.finish()
    assert tty.getvalue() == (
        "\rComparaison avec la base [#######.......................]  25% 50/200"
        "\rComparaison avec la base [#######.......................]  25% 50/200\n"
        "\rÉcriture [##############################] 100% 4/4"
        "\rÉcriture [##############################] 100% 4/4\n"
    )
    quiet = io.StringIO()
    silent = Progress(quiet, delay=0.0)
    silent.start(10, "write")
    silent.advance(10)
    silent.finish()
    assert quiet.getvalue() == ""
    slow_start = Tty()
    late = Progress(slow_start, delay=60.0)
    late.start(10, "write")
    late.advance(10)
    late.finish()
    assert slow_start.getvalue() == ""
