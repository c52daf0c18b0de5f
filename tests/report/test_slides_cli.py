"""The PowerPoint of ``python -m dashboard report --format pptx`` carries the published figures of the command line."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pptx import Presentation

from tests.report.conftest import run
from tests.report.test_pdf import LABELS, RATES, _cli, _plain, _shown


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["exact", "protected"])
def test_key_figures_slide_equals_the_command_line(mode: str, report_db_url: str, tmp_path: Path) -> None:
    out = tmp_path / "presentation.pptx"
    done = run(["report", "--period", "2025", "--format", "pptx", "--out", str(out)], report_db_url,
               PARCOURS_DISCLOSURE=mode)
    assert done.returncode == 0, done.stderr
    deck = Presentation(io.BytesIO(out.read_bytes()))
    rows = []
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_table:
                rows += [[_plain(cell.text_frame.text) for cell in row.cells] for row in shape.table.rows]
    by_label = {row[0]: row for row in rows}
    overview = _cli("overview", report_db_url, PARCOURS_DISCLOSURE=mode)
    assert overview["k"] == 11
    for figure in overview["rows"]:
        label = LABELS[figure["figure"]]
        assert label in by_label, (mode, label, sorted(by_label))
        cells = by_label[label]
        is_rate = figure["figure"] in RATES
        value, previous = _shown(figure["value"], is_rate), _shown(figure["previous"], is_rate)
        if value is None:  # hidden by the command line: the slide says so, never a number
            assert cells[1].startswith("<") or cells[1] == "masqué", (mode, label, cells)
        else:
            assert cells[1] == value, (mode, label, cells)
        if previous is not None:
            assert cells[2] == previous, (mode, label, cells)
    text = " ".join(shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame)
    assert "P01" not in text and "/tmp" not in text and "/work" not in text
