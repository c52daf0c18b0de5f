"""The PDF: its figures are the command line's published figures, nothing below k, no id or path, typst
injection is shown as text, command-line errors. Needs Chromium (Kaleido) for the charts."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from dashboard.filters import Filters
from dashboard.formatting import fmt_int, fmt_rate
from dashboard.report import build_report
from dashboard.report.pdf import render_pdf
from dashboard.report_cli import main
from tests.report.conftest import make_report_db, pdf_text, run

LABELS = {"persons_accompanied": "Personnes accompagnées", "new_persons": "Nouvelles personnes",
          "referrals": "Orientations reçues", "exits": "Sorties", "housing_positive_rate": "Sorties vers un logement",
          "dynamic_exit_rate": "Sorties dynamiques", "workshop_participants": "Personnes venues en atelier",
          "attendance_rate": "Taux de présence en atelier"}
RATES = {"housing_positive_rate", "dynamic_exit_rate", "attendance_rate"}
INJECTION = '#panic("x") *bold* $x$ \\ ] #{ } <b> _u_ @ref `raw` // c'


def _plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def _shown(value: float | None, is_rate: bool) -> str | None:
    if value is None:
        return None
    return _plain(fmt_rate(value, "fr") if is_rate else fmt_int(value, "fr"))


def _cli(metric: str, url: str, *extra: str, **env: str) -> dict:
    done = run(["figures", metric, "--from", "2025-01-01", "--to", "2025-12-31", "--format", "json", *extra], url, **env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module", params=["exact", "protected"])
def pdf_and_cli(request, report_db_url: str, tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN001, ANN201
    mode = request.param
    out = tmp_path_factory.mktemp(f"pdf-{mode}") / "rapport.pdf"
    done = run(["report", "--period", "2025", "--format", "pdf", "--out", str(out)], report_db_url,
               PARCOURS_DISCLOSURE=mode)
    assert done.returncode == 0, done.stderr
    overview = _cli("overview", report_db_url, PARCOURS_DISCLOSURE=mode)
    exits = _cli("exits", report_db_url, "--by", "year", PARCOURS_DISCLOSURE=mode)
    return mode, _plain(pdf_text(out)), overview, exits, out


def test_key_figures_equal_the_command_line(pdf_and_cli) -> None:  # noqa: ANN001
    mode, text, overview, _, _ = pdf_and_cli
    lines = text.splitlines()
    assert overview["k"] == 11
    for row in overview["rows"]:
        label = LABELS[row["figure"]]
        found = [line for line in lines if re.match(rf"\s*{re.escape(label)}\s{{2,}}", line)]
        assert found, (mode, label)
        cells = re.split(r"\s{2,}", found[0].strip())
        is_rate = row["figure"] in RATES
        value, previous = _shown(row["value"], is_rate), _shown(row["previous"], is_rate)
        assert cells[1] == (value or cells[1]), (mode, label, cells)
        assert cells[2] == (previous or cells[2]), (mode, label, cells)
        if value is None:  # hidden by the CLI: the PDF says so, never a number
            assert cells[1].startswith("<") or cells[1] == "masqué", (mode, label, cells)
        if row["change"] is not None and not is_rate:
            change = int(row["change"])
            assert cells[3] == (f"+{change}" if change > 0 else str(change)).replace("-", "-"), (mode, label, cells)


def test_exits_table_equals_the_command_line(pdf_and_cli) -> None:  # noqa: ANN001
    mode, text, _, exits, _ = pdf_and_cli
    total = next(r for r in exits["rows"] if r["program"] == "TOTAL")
    table = text.split("Sorties par dispositif", 1)[1]
    line = next(line for line in table.splitlines() if re.match(r"\s*Total\s{2,}", line))
    cells = re.split(r"\s{2,}", line.strip())
    assert cells[1] == _plain(fmt_int(total["exits"], "fr")), (mode, cells)
    if total["median_stay_days"] is not None:
        assert cells[-1] == _plain(fmt_int(total["median_stay_days"], "fr")), (mode, cells)


def test_pdf_has_footer_rules_and_no_identifiers(pdf_and_cli, report_db_url: str) -> None:  # noqa: ANN001
    mode, text, _, _, _ = pdf_and_cli
    assert "Définitions v" in text and "chargement n° 1 du 5 janvier 2026" in text
    assert ("protégé" if mode == "protected" else "exact") in text
    assert "2·√(2·V + v + p)" in re.sub(r"\s+", " ", text.replace("\u2060", "")) and "< 11" in text
    assert "Hypothèse" in text and "Coûts sociaux évités" in text
    assert not re.search(r"\bP\d{2}\b", text)  # no personne_id
    assert "exports/tilleuls" not in text and "/tmp" not in text and report_db_url.split("///")[1] not in text
    assert "1er janvier" in text


def test_typst_injection_is_text(tmp_path: Path, clean_env) -> None:  # noqa: ANN001
    from dashboard.data import read_data
    from models.db import make_engine
    from tests.ui.conftest import fixture_rows

    structures = fixture_rows()["structures"]
    structures[0] = structures[0] | {"name": INJECTION}
    url = make_report_db(tmp_path / "inject.db", structures=structures)
    engine = make_engine(url)
    data = read_data(engine)
    engine.dispose()
    report = build_report(data, Filters(start=date(2025, 1, 1), end=date(2025, 12, 31), structures=("S1",)), None, "fr")
    assert report.structures == INJECTION
    pdf = tmp_path / "inject.pdf"
    pdf.write_bytes(render_pdf(report))
    text = pdf_text(pdf, layout=False)
    assert INJECTION in _plain(text)


@pytest.mark.parametrize(("argv", "words"), [
    (["--period", "2025-13", "--out", "x.pdf"], "période « 2025-13 » invalide"),
    (["--period", "2025", "--from", "2025-01-01", "--to", "2025-02-01", "--out", "x.pdf"], "s'excluent"),
    (["--from", "2025-01-01", "--out", "x.pdf"], "vont ensemble"),
    (["--out", "x.pdf"], "indiquez la période"),
    (["--period", "2025"], "--out"),
    (["--period", "2025", "--format", "docx", "--out", "x.pdf"], "--format"),
    (["--period", "2025", "--structure", "NOPE", "--out", "x.pdf"], "structure « NOPE » absente"),
    (["--period", "2025", "--structure", "S1", "--structure", "S2", "--out", "x.pdf"], "une seule structure"),
    (["--period", "2025", "--bogus", "--out", "x.pdf"], "option inconnue"),
    (["--period", "2025", "--out", "/no/such/dir/x.pdf"], "n'existe pas"),
    (["--period", "2025", "--lang", "en", "--out", "x.pdf", "--compare", "last"], "invalid period 'last'"),
])
def test_cli_errors(argv: list[str], words: str, report_db_url: str, monkeypatch, capsys, clean_env) -> None:  # noqa: ANN001
    monkeypatch.setenv("DATABASE_URL", report_db_url)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err


def test_cli_costs_file_error(report_db_url: str, tmp_path: Path, monkeypatch, capsys, clean_env) -> None:  # noqa: ANN001
    monkeypatch.setenv("DATABASE_URL", report_db_url)
    bad = tmp_path / "costs.toml"
    bad.write_text("[housing_exit\n", encoding="utf-8")
    assert main(["--period", "2025", "--costs", str(bad), "--out", str(tmp_path / "r.pdf")]) == 2
    err = capsys.readouterr().err
    assert "costs.toml" in err and str(tmp_path) not in err


def test_cli_pptx_without_slides_module(report_db_url: str, tmp_path: Path, monkeypatch, capsys, clean_env) -> None:  # noqa: ANN001
    import sys

    monkeypatch.setenv("DATABASE_URL", report_db_url)
    monkeypatch.setitem(sys.modules, "dashboard.report.slides", None)
    assert main(["--period", "2025", "--format", "pptx", "--lang", "en", "--out", str(tmp_path / "r.pptx")]) == 2
    assert "pptx format is not available" in capsys.readouterr().err


def test_charts_are_vector(pdf_and_cli) -> None:  # noqa: ANN001
    import subprocess

    _, text, _, _, out = pdf_and_cli
    listing = subprocess.run(["pdfimages", "-list", str(out)], capture_output=True, text=True, check=True).stdout
    assert len(listing.strip().splitlines()) == 2, listing  # the header only: no raster image in the PDF
    assert "Part de chaque source dans les orientations" in text  # the charts are there, as text and paths


@pytest.mark.parametrize(("period", "lang", "words"), [
    ("2025-Q1", "fr", "du 1er janvier au 31 mars 2025"),
    ("2025-03", "en", "from 1 to 31 March 2025"),
])
def test_quarter_and_month_reports(period: str, lang: str, words: str, report_data, tmp_path: Path, clean_env) -> None:  # noqa: ANN001
    from dashboard.report import report_bytes
    from dashboard.report.content import parse_period

    span = parse_period(period)
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(report_bytes(report_data, Filters(start=span.start, end=span.end), None, lang, "pdf"))
    text = _plain(pdf_text(pdf, layout=False))
    assert words in text
    assert ("Chiffres clés" if lang == "fr" else "Key figures") in text


def test_too_small_selection_says_so(report_data, tmp_path: Path, clean_env) -> None:  # noqa: ANN001
    from dashboard.report import report_bytes

    filters = Filters(start=date(2025, 1, 1), end=date(2025, 12, 31), sexes=("AUTRE",))  # P40 alone
    report = build_report(report_data, filters, None, "fr")
    assert report.key_figures == () and report.costs is None and len(report.sections) == 1
    pdf = tmp_path / "small.pdf"
    pdf.write_bytes(report_bytes(report_data, filters, None, "fr", "pdf"))
    text = _plain(pdf_text(pdf, layout=False))
    assert "trop petite pour publier" in text and "P40" not in text


def test_cli_period_after_the_data(report_db_url: str, tmp_path: Path, monkeypatch, capsys, clean_env) -> None:  # noqa: ANN001
    monkeypatch.setenv("DATABASE_URL", report_db_url)
    assert main(["--period", "2027", "--out", str(tmp_path / "r.pdf")]) == 2
    assert "commence après le dernier jour des données (31 décembre 2025)" in _plain(capsys.readouterr().err)
