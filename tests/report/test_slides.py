"""The PowerPoint deck of the board report: read back with python-pptx, checked part by part, opened in Impress.

The report is built by hand here (the renderer never computes a figure, so
any ``Report`` will do); its strings are the ones the fixture of
tests/ui/conftest.py gives for 2025 against 2024.
"""

from __future__ import annotations

import io
import posixpath
import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path, PurePosixPath

import plotly.graph_objects as go
import pytest
from lxml import etree
from PIL import Image
from pptx import Presentation
from pptx.util import Inches

from dashboard.charts.png import ExportError
from dashboard.formatting import NBSP, THIN
from dashboard.report.model import CostLine, Costs, Footer, KeyFigure, Report, Section
from dashboard.report.slides import chart_width, clean, render_pptx
from tests.ui.conftest import ui_db_url  # noqa: F401, F811  (the fixture database of the interface tests)

ROOT = Path(__file__).resolve().parents[2]
SLIDES_DIR = ROOT / "artifacts" / "slides"
FOOTER = "Définitions v2 · données : chargement n° 1 du 05/01/2026 · mode de protection : perturbation (cellule-clé)"


def tiny_png(width: int = 600, height: int = 450) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (0, 114, 178)).save(out, format="PNG")
    return out.getvalue()


def fake_chart(fig: go.Figure) -> bytes:
    return tiny_png()


def key_figures() -> tuple[KeyFigure, ...]:
    def count(figure: str, label: str, value: float, previous: float | None, verdict: str, change: str, percent: str) -> KeyFigure:
        return KeyFigure(figure=figure, label=label, is_rate=False, value=value, previous=previous,
                         change=None if previous is None else value - previous,
                         change_percent=None if not previous else (value - previous) / previous, verdict=verdict,
                         text_value=f"{value:,.0f}".replace(",", THIN),
                         text_previous="–" if previous is None else f"{previous:,.0f}".replace(",", THIN),
                         text_change=change, text_change_percent=percent)

    return (
        count("referrals", "Orientations reçues", 1234, 1000, "up", "+234", f"+23{NBSP}%"),
        count("persons", "Personnes accompagnées", 30, 30, "stable", "0", f"0{NBSP}%"),
        count("new_persons", "Nouvelles personnes", 10, 30, "down", "-20", f"-67{NBSP}%"),
        count("exits", "Sorties", 12, 0, "new", "+12", "–"),
        KeyFigure(figure="housing_positive_rate", label="Sorties vers un logement", is_rate=True, value=0.67, previous=None,
                  change=None, change_percent=None, verdict="new", text_value=f"67{NBSP}%", text_previous="–",
                  text_change="–", text_change_percent="–"),
        KeyFigure(figure="dynamic_exit_rate", label="Sorties dynamiques", is_rate=True, value=None, previous=None,
                  change=None, change_percent=None, verdict="hidden", text_value="masqué", text_previous="–",
                  text_change="–", text_change_percent="–"),
    )


def chart(title: str) -> go.Figure:
    return go.Figure(go.Bar(x=["SIAO", "AS_SECTEUR"], y=[617, 617]), layout={"title": {"text": title}, "height": 420})


def sample_report(*, structures: str = "Foyer Les Tilleuls", lang: str = "fr", figures: tuple[KeyFigure, ...] | None = None,
                  costs: bool = True, notes: tuple[str, ...] = ("Les chiffres sont légèrement perturbés.",)) -> Report:
    sections = (
        Section(key="referrals", title="Orientations", paragraph="1 234 orientations en 2025, contre 1 000 en 2024.",
                sentences=("Les orientations augmentent de 23 %.", "Le SIAO en adresse la moitié.",
                           "Les décisions sont rendues en moins d'un mois."),
                charts=(chart("Orientations par source"),)),
        Section(key="exits", title="Sorties", paragraph="12 sorties en 2025.",
                sentences=("12 personnes sont sorties.", "67 % vers un logement.", "Les sorties dynamiques sont masquées."),
                charts=(chart("Sorties par destination"),)),
        Section(key="workshops", title="Ateliers", paragraph="Un atelier, quatre séances.",
                sentences=("6 personnes venues.", "75 % de présence.", "Un seul atelier : Couture."),
                tables=(("Ateliers", ("Atelier", "Séances", "Présence"), (("Couture", "4", f"75{NBSP}%"),)),)),
    )
    cost = Costs(
        lines=(CostLine(outcome="housing_exit", label="Sortie vers un logement", count_text="12", unit_low=8000,
                        unit_high=15000, low=96000, high=180000, source="Étude nationale 2017 (fictive)"),),
        low=96000, high=180000,
        assumptions=("Coût d'une année de rue évité par sortie vers un logement.", "Les nombres sous 11 sont omis."),
        text_range=f"de 96{THIN}000 à 180{THIN}000{NBSP}€",
    )
    return Report(
        lang=lang, title="Rapport d'activité 2025", structures=structures,
        period="du 1er janvier au 31 décembre 2025",
        compared_with="comparé à la période du 1er janvier au 31 décembre 2024" if lang == "fr"
        else "compared with 1 January to 31 December 2024",
        key_figures=figures if figures is not None else key_figures(), sections=sections,
        costs=cost if costs else None,
        footer=Footer(definitions_version=2, load_number=1, load_date=date(2026, 1, 5),
                      disclosure_mode="perturbation", text=FOOTER),
        notes=notes,
    )


def read(deck: bytes) -> Presentation:
    return Presentation(io.BytesIO(deck))


def texts(slide) -> list[str]:  # noqa: ANN001
    return [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]


def table_rows(slide) -> list[list[str]]:  # noqa: ANN001
    table = next(shape for shape in slide.shapes if shape.has_table).table
    return [[cell.text_frame.text for cell in row.cells] for row in table.rows]


def test_slides_read_back():
    report = sample_report()
    prs = read(render_pptx(report, chart_image=fake_chart))
    assert (prs.slide_width, prs.slide_height) == (Inches(13.333), Inches(7.5))  # 16:9
    slides = list(prs.slides)
    # Title, key figures, three sections, costs, notes.
    assert len(slides) == 7
    assert [s.shapes.title.text_frame.text for s in slides] == [
        "Rapport d'activité 2025", "Chiffres clés", "Orientations", "Sorties", "Ateliers", "Coûts sociaux évités", "À savoir",
    ]
    title_texts = " | ".join(texts(slides[0]))
    assert "Foyer Les Tilleuls" in title_texts
    assert "du 1er janvier au 31 décembre 2025" in title_texts
    assert "Comparé à la période du 1er janvier au 31 décembre 2024" in title_texts

    rows = table_rows(slides[1])
    assert rows[0] == ["Indicateur", "Période", "Précédente", "Évolution", "En %", "Lecture"]
    assert rows[1] == ["Orientations reçues", f"1{THIN}234", f"1{THIN}000", "+234", f"+23{NBSP}%", "en hausse"]
    assert rows[2] == ["Personnes accompagnées", "30", "30", "0", f"0{NBSP}%", "stable"]
    assert rows[3] == ["Nouvelles personnes", "10", "30", "-20", f"-67{NBSP}%", "en baisse"]
    assert rows[4] == ["Sorties", "12", "0", "+12", "–", "nouveau"]
    assert rows[6] == ["Sorties dynamiques", "masqué", "–", "–", "–", "masqué"]
    for figure, row in zip(report.key_figures, rows[1:], strict=True):
        assert row[:5] == [figure.label, figure.text_value, figure.text_previous, figure.text_change,
                           figure.text_change_percent]

    referrals = slides[2]
    pictures = [s for s in referrals.shapes if s.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE
    assert len(pictures) == 1
    assert pictures[0]._element.nvPicPr.cNvPr.get("descr") == "Orientations par source"
    sentences = next(s for s in referrals.shapes if s.name == "Sentences").text_frame.text
    assert sentences.split("\n") == [f"•{NBSP}{x}" for x in report.sections[0].sentences]
    assert referrals.notes_slide.notes_text_frame.text == report.sections[0].paragraph
    workshops = slides[4]
    assert table_rows(workshops) == [["Atelier", "Séances", "Présence"], ["Couture", "4", f"75{NBSP}%"]]

    costs = slides[5]
    assert f"de 96{THIN}000 à 180{THIN}000{NBSP}€" in texts(costs)
    assert table_rows(costs) == [
        ["Sortie", "Nombre", "Coût unitaire", "Fourchette"],
        ["Sortie vers un logement", "12", f"8{THIN}000{NBSP}€ – 15{THIN}000{NBSP}€", f"96{THIN}000{NBSP}€ – 180{THIN}000{NBSP}€"],
    ]
    assumptions = next(s for s in costs.shapes if s.name == "Assumptions").text_frame.text.split("\n")
    assert assumptions == [f"•{NBSP}{x}" for x in report.costs.assumptions]
    assert costs.notes_slide.notes_text_frame.text.split("\n")[-1] == "Sortie vers un logement : Étude nationale 2017 (fictive)"

    for number, slide in enumerate(slides, start=1):
        footer = next(s for s in slide.shapes if s.name == "Footer")
        assert footer.text_frame.text == FOOTER
        assert next(s for s in slide.shapes if s.name == "Slide number").text_frame.text == f"{number} / 7"


def test_english_words_and_no_costs_no_notes():
    report = sample_report(lang="en", costs=False, notes=())
    prs = read(render_pptx(report, chart_image=fake_chart))
    slides = list(prs.slides)
    assert len(slides) == 5  # title, key figures, three sections
    assert slides[1].shapes.title.text_frame.text == "Key figures"
    assert [row[5] for row in table_rows(slides[1])] == ["Reading", "up", "stable", "down", "new", "new", "hidden"]
    assert "Compared with 1 January to 31 December 2024" in " | ".join(texts(slides[0]))


def test_more_than_eight_key_figures_continue_on_a_second_slide():
    many = key_figures() * 2  # 12 figures: 8 then 4
    prs = read(render_pptx(sample_report(figures=many), chart_image=fake_chart))
    slides = list(prs.slides)
    assert [s.shapes.title.text_frame.text for s in slides[1:3]] == ["Chiffres clés", "Chiffres clés (suite)"]
    assert len(table_rows(slides[1])) == 9
    assert len(table_rows(slides[2])) == 5


def test_a_chart_that_cannot_be_drawn_leaves_the_sentences():
    def broken(fig: go.Figure) -> bytes:
        raise ExportError("no_browser", "no Chromium found")

    prs = read(render_pptx(sample_report(), chart_image=broken))
    referrals = list(prs.slides)[2]
    assert not [s for s in referrals.shapes if s.shape_type == 13]
    sentences = next(s for s in referrals.shapes if s.name == "Sentences").text_frame.text
    assert sentences.endswith("Graphique indisponible sur ce serveur.")


NASTY = "Foyer \x00les\x1b <Tilleuls> & \"Cie\" 'Lyon'\x0bBâtiment\x7f B\ud800 \ufffe\x08fin"


def test_clean_removes_what_xml_refuses():
    assert clean(NASTY) == "Foyer les <Tilleuls> & \"Cie\" 'Lyon'\nBâtiment B fin"
    assert clean("a\r\nb\rc\td") == "a\nb\nc\td"
    assert clean(None) == ""


def test_text_from_the_data_cannot_break_the_file():
    figures = (KeyFigure(figure="x", label="Orientations <script>&amp;\x1b\x00", is_rate=False, value=1.0, previous=1.0,
                         change=0.0, change_percent=0.0, verdict="stable", text_value="1", text_previous="1",
                         text_change="0", text_change_percent="0 %"),)
    deck = render_pptx(sample_report(structures=NASTY, figures=figures, notes=("note\x01",)), chart_image=fake_chart)
    check_package(deck)
    prs = read(deck)
    assert "Foyer les <Tilleuls> & \"Cie\" 'Lyon'" in " | ".join(texts(prs.slides[0]))
    assert table_rows(prs.slides[1])[1][0] == "Orientations <script>&amp;"


def check_package(deck: bytes) -> None:
    """Every part parses as XML, has a content type, and every internal relationship points at a part."""
    with zipfile.ZipFile(io.BytesIO(deck)) as package:
        assert package.testzip() is None
        names = set(package.namelist())
        types = etree.fromstring(package.read("[Content_Types].xml"))
        ns = {"ct": "http://schemas.openxmlformats.org/package/2006/content-types"}
        defaults = {d.get("Extension").lower() for d in types.findall("ct:Default", ns)}
        overrides = {o.get("PartName") for o in types.findall("ct:Override", ns)}
        for name in names:
            if name.endswith("/"):
                continue
            assert f"/{name}" in overrides or name.rsplit(".", 1)[-1].lower() in defaults, f"no content type: {name}"
            if name.endswith((".xml", ".rels")):
                etree.fromstring(package.read(name))  # raises on anything XML refuses
        assert all(part.lstrip("/") in names for part in overrides), "content type for a missing part"
        for name in names:
            if not name.endswith(".rels"):
                continue
            folder = PurePosixPath(name).parent.parent  # "ppt/slides/_rels/slide1.xml.rels" -> "ppt/slides"
            for rel in etree.fromstring(package.read(name)):
                if rel.get("TargetMode") == "External":
                    continue
                target = rel.get("Target")
                path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(str(folder / target))
                assert path in names, f"{name}: relationship to a missing part {target}"


def test_package_structure():
    check_package(render_pptx(sample_report(), chart_image=fake_chart))


@pytest.mark.browser
def test_real_charts_drawn_by_kaleido():
    from dashboard.charts.png import export_status

    if export_status() is not None:
        pytest.skip(f"no PNG export here: {export_status()}")
    prs = read(render_pptx(sample_report()))
    picture = next(s for s in list(prs.slides)[2].shapes if s.shape_type == 13)
    image = Image.open(io.BytesIO(picture.image.blob))
    # 420 pixels high: drawn 420 x 7.6 / 5.5 = 580 pixels wide (the shape of the chart's box), at scale 2.5.
    assert image.size == (1450, 1050)
    assert picture.width <= Inches(7.6) and picture.top >= Inches(1.3)


def test_chart_width_follows_the_figure_height():
    assert chart_width(go.Figure(layout={"height": 420})) == 580
    assert chart_width(go.Figure(layout={"height": 200})) == 480  # never narrower: the labels would be too large for the drawing
    assert chart_width(go.Figure()) == 621  # Plotly's 450 pixels
    assert chart_width(go.Figure(layout={"height": 900})) == 720


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.slow
@pytest.mark.skipif(soffice() is None, reason="LibreOffice Impress is not installed (scripts/install-system-deps.sh)")
def test_impress_opens_the_deck(tmp_path: Path):
    """LibreOffice converts the deck to PDF, one page a slide; the pages are kept as images in artifacts/slides."""
    from dashboard.charts.png import export_status

    real = export_status() is None
    deck = render_pptx(sample_report(structures=NASTY), chart_image=None if real else fake_chart)
    source = tmp_path / "rapport.pptx"
    source.write_bytes(deck)
    done = subprocess.run(
        [soffice(), "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path / 'profile'}",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        capture_output=True, text=True, timeout=180,
    )
    pdf = tmp_path / "rapport.pdf"
    assert done.returncode == 0 and pdf.exists(), done.stdout + done.stderr
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages == 7
    size = next(line for line in info.splitlines() if line.startswith("Page size:")).split()
    width, height = float(size[2]), float(size[4])
    assert abs(width / height - 16 / 9) < 0.01
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Chiffres clés" in text and "Orientations reçues" in text and "Coûts sociaux évités" in text
    SLIDES_DIR.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(SLIDES_DIR / "slide")], check=True, timeout=120)
    assert len(list(SLIDES_DIR.glob("slide-*.png"))) >= 7


def test_the_report_of_the_ui_fixture_reads_back(ui_db_url):  # noqa: F811
    """The real content (``build_report`` on tests/ui/conftest.py's database, 2025 against 2024), drawn and read back."""
    content = pytest.importorskip("dashboard.report.content")
    from dashboard.data import read_data
    from dashboard.filters import Filters
    from models.db import get_engine

    data = read_data(get_engine(ui_db_url))
    for lang in ("fr", "en"):
        report = content.build_report(data, Filters(start=date(2025, 1, 1), end=date(2025, 12, 31)),
                                      (date(2024, 1, 1), date(2024, 12, 31)), lang)
        prs = read(render_pptx(report, chart_image=fake_chart))
        slides = list(prs.slides)
        figure_slides = -(-len(report.key_figures) // 8)
        assert len(slides) == 1 + figure_slides + len(report.sections) + (report.costs is not None) + bool(report.notes)
        titles = [s.shapes.title.text_frame.text for s in slides]
        assert titles[0] == report.title
        assert titles[1 + figure_slides:1 + figure_slides + len(report.sections)] == [s.title for s in report.sections]
        rows = [row for slide in slides[1:1 + figure_slides] for row in table_rows(slide)[1:]]
        assert [row[:5] for row in rows] == [[f.label, f.text_value, f.text_previous, f.text_change, f.text_change_percent]
                                             for f in report.key_figures]
        for slide in slides:
            assert next(s for s in slide.shapes if s.name == "Footer").text_frame.text == report.footer.text
        if lang == "fr":
            referrals = next(f for f in report.key_figures if f.figure == "referrals")
            assert (referrals.text_value, referrals.text_previous) == (f"1{THIN}234", f"1{THIN}000")
