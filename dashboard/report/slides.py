"""The board report as a PowerPoint deck (16:9), drawn from a ``Report`` with python-pptx.

Slides, in order:

1. the title: the report's title, the structures, the period and the one it
   is compared with;
2. the key figures, as a table: value, previous value, change (units or
   points), change in %, and the verdict word (eight figures a slide, more
   go on a "continued" slide);
3. one slide per section: its title, its first chart (a PNG drawn on the
   server by Kaleido, ``dashboard.charts.png``; without a chart, its first
   table) and its three sentences; the section's paragraph goes in the
   speaker notes;
4. the avoided social costs: the range, the lines it adds up and the
   assumptions beside it, the sources in the speaker notes (no slide when
   the report has no costs);
5. the notes (disclosure notes, the stability rule), when there are any.

Every slide carries the footer of the report (definitions version, data
version, disclosure mode) and its number. Sizes are for a projector: titles
32 pt, table cells 18 to 20 pt, nothing under 12 pt.

Text that comes from the data (structure names, labels) may hold characters
XML does not allow (control characters, lone surrogates): they are removed
before they reach the file, so the deck always opens without repair.
Renderers never compute a figure: every string is the report's.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable, Sequence

import plotly.graph_objects as go
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.presentation import Presentation as Deck
from pptx.util import Emu, Inches, Pt

from dashboard.charts.png import DEFAULT_HEIGHT, ExportError, png_bytes
from dashboard.formatting import fmt_int
from dashboard.i18n import t
from dashboard.report.model import Costs, KeyFigure, Report, Section

_log = logging.getLogger(__name__)

WIDTH = Inches(13.333)
HEIGHT = Inches(7.5)
MARGIN = Inches(0.5)
TITLE_TOP = Inches(0.3)
TITLE_HEIGHT = Inches(0.9)
BODY_TOP = Inches(1.35)
FOOTER_TOP = Inches(6.95)
FOOTER_HEIGHT = Inches(0.4)
BODY_HEIGHT = FOOTER_TOP - BODY_TOP - Inches(0.1)
KEY_FIGURES_PER_SLIDE = 8
COST_LINES_PER_SLIDE = 6

CHART_BOX = (Inches(7.6), BODY_HEIGHT)
"""Where a section's chart goes (left of its sentences)."""
CHART_MIN_WIDTH_PX = 480
CHART_MAX_WIDTH_PX = 720
"""Layout pixels a chart is drawn on: 7.6 inches for at most 720 px, so 13 px labels read at least 10 pt."""
CHART_SCALE = 2.5

PRIMARY = RGBColor(0x00, 0x72, 0xB2)
TEXT = RGBColor(0x1F, 0x29, 0x37)
MUTED = RGBColor(0x4B, 0x55, 0x63)
HEADER_FILL = RGBColor(0xE8, 0xF1, 0xF8)
ROW_FILL = (RGBColor(0xFF, 0xFF, 0xFF), RGBColor(0xF3, 0xF5, 0xF8))

LAYOUT_TITLE = 0  # "Title Slide" of python-pptx's default template
LAYOUT_TITLE_ONLY = 5  # "Title Only"

ChartImage = Callable[[go.Figure], bytes]

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def clean(text: object) -> str:
    """``text`` as a string XML accepts: line ends as ``\\n``, control characters and lone surrogates removed."""
    value = "" if text is None else str(text)
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n").replace("\x0c", "\n")
    return _NOT_XML.sub("", value)


def _lang_tag(lang: str) -> str:
    return "en-GB" if lang == "en" else "fr-FR"


def _style_run(run, *, size: float, bold: bool = False, color: RGBColor = TEXT, lang: str = "fr") -> None:  # noqa: ANN001
    font = run.font
    font.size = Pt(size)
    font.bold = bold
    font.color.rgb = color
    run._r.get_or_add_rPr().set("lang", _lang_tag(lang))  # spell-checking in the report's language


def _write(frame, lines: Sequence[str], *, size: float, bold: bool = False, color: RGBColor = TEXT,  # noqa: ANN001
           lang: str = "fr", align: PP_ALIGN | None = None, space_after: float = 0, bullet: bool = False) -> None:
    """Replace the text of ``frame`` by ``lines``, one paragraph each (a line's own line ends become paragraphs)."""
    frame.clear()
    paragraphs = [part for line in lines for part in clean(line).split("\n")] or [""]
    for index, text in enumerate(paragraphs):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        if align is not None:
            paragraph.alignment = align
        if space_after:
            paragraph.space_after = Pt(space_after)
        run = paragraph.add_run()
        run.text = f"•\u00a0{text}" if bullet and text else text
        _style_run(run, size=size, bold=bold, color=color, lang=lang)


def _textbox(slide, left: int, top: int, width: int, height: int, lines: Sequence[str], *, size: float,  # noqa: ANN001
             name: str, shrink: bool = False, anchor: MSO_ANCHOR = MSO_ANCHOR.TOP, **style) -> object:  # noqa: ANN003
    box = slide.shapes.add_textbox(left, top, width, height)
    box.name = name
    frame = box.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = anchor
    if shrink:
        frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE  # PowerPoint and Impress shrink text that would overflow
    _write(frame, lines, size=size, **style)
    return box


def _title(slide, text: str, lang: str) -> None:  # noqa: ANN001
    """The slide's title placeholder, moved to the top band of a 16:9 slide."""
    shape = slide.shapes.title
    shape.left, shape.top, shape.width, shape.height = MARGIN, TITLE_TOP, WIDTH - 2 * MARGIN, TITLE_HEIGHT
    frame = shape.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
    _write(frame, [text], size=32, bold=True, color=PRIMARY, lang=lang, align=PP_ALIGN.LEFT)


def _footer(slide, report: Report, number: int, total: int) -> None:  # noqa: ANN001
    _textbox(slide, MARGIN, FOOTER_TOP, WIDTH - 2 * MARGIN - Inches(1.2), FOOTER_HEIGHT, [report.footer.text], size=12,
             color=MUTED, lang=report.lang, name="Footer", shrink=True, anchor=MSO_ANCHOR.MIDDLE)
    _textbox(slide, WIDTH - MARGIN - Inches(1.1), FOOTER_TOP, Inches(1.1), FOOTER_HEIGHT, [f"{number} / {total}"],
             size=12, color=MUTED, lang=report.lang, name="Slide number", align=PP_ALIGN.RIGHT, anchor=MSO_ANCHOR.MIDDLE)


def _notes(slide, lines: Sequence[str]) -> None:  # noqa: ANN001
    text = "\n".join(clean(line) for line in lines if line)
    if text:
        slide.notes_slide.notes_text_frame.text = text


def _table(slide, left: int, top: int, width: int, headings: Sequence[str], rows: Sequence[Sequence[str]],  # noqa: ANN001
           widths: Sequence[float], *, lang: str, size: float, row_height: int, name: str) -> object:
    """A plain table: a tinted heading row, alternate row shading, text only (no figure is computed here)."""
    shape = slide.shapes.add_table(len(rows) + 1, len(headings), left, top, width, row_height * (len(rows) + 1))
    shape.name = name
    table = shape.table
    total = sum(widths)
    for index, share in enumerate(widths):
        table.columns[index].width = Emu(int(width * share / total))
    for row_index in range(len(rows) + 1):
        table.rows[row_index].height = row_height
    for column, heading in enumerate(headings):
        cell = table.cell(0, column)
        cell.fill.solid()
        cell.fill.fore_color.rgb = HEADER_FILL
        _write(cell.text_frame, [heading], size=size - 2, bold=True, color=TEXT, lang=lang,
               align=PP_ALIGN.LEFT if column == 0 else PP_ALIGN.RIGHT)
        cell.vertical_anchor = MSO_ANCHOR.MIDDLE
    for row_index, row in enumerate(rows, start=1):
        for column, text in enumerate(row):
            cell = table.cell(row_index, column)
            cell.fill.solid()
            cell.fill.fore_color.rgb = ROW_FILL[row_index % 2]
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            _write(cell.text_frame, [text], size=size, bold=column == 1, color=TEXT, lang=lang,
                   align=PP_ALIGN.LEFT if column == 0 else PP_ALIGN.RIGHT)
    return shape


def _chunks(items: Sequence, size: int) -> list[Sequence]:
    return [items[i:i + size] for i in range(0, len(items), size)] or [items]


def verdict_word(figure: KeyFigure, lang: str) -> str:
    return t(f"slides.verdict.{figure.verdict}", lang)


def key_figure_row(figure: KeyFigure, lang: str) -> tuple[str, str, str, str, str, str]:
    """The cells of a key figure's row, as the report prints them."""
    return (figure.label, figure.text_value, figure.text_previous, figure.text_change, figure.text_change_percent,
            verdict_word(figure, lang))


def _title_slide(prs: Deck, report: Report) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE])
    lang = report.lang
    shape = slide.shapes.title
    shape.left, shape.top, shape.width, shape.height = MARGIN + Inches(0.4), Inches(1.6), WIDTH - 2 * MARGIN - Inches(0.8), Inches(1.5)
    shape.text_frame.word_wrap = True
    shape.text_frame.vertical_anchor = MSO_ANCHOR.BOTTOM
    shape.text_frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
    _write(shape.text_frame, [report.title], size=40, bold=True, color=PRIMARY, lang=lang, align=PP_ALIGN.LEFT)
    subtitle = slide.placeholders[1]
    subtitle.left, subtitle.top, subtitle.width, subtitle.height = shape.left, Inches(3.35), shape.width, Inches(2.6)
    frame = subtitle.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
    _write(frame, [report.structures], size=28, bold=True, color=TEXT, lang=lang, align=PP_ALIGN.LEFT, space_after=10)
    compared = clean(report.compared_with)
    for text, size in ((report.period, 24), (compared[:1].upper() + compared[1:], 20)):
        paragraph = frame.add_paragraph()
        paragraph.alignment = PP_ALIGN.LEFT
        paragraph.space_after = Pt(6)
        run = paragraph.add_run()
        run.text = clean(text)
        _style_run(run, size=size, color=TEXT if size == 24 else MUTED, lang=lang)


def _key_figure_slides(prs: Deck, report: Report) -> None:
    lang = report.lang
    headings = [t(f"slides.col.{c}", lang) for c in ("figure", "value", "previous", "change", "change_percent", "verdict")]
    for index, chunk in enumerate(_chunks(report.key_figures, KEY_FIGURES_PER_SLIDE)):
        slide = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE_ONLY])
        _title(slide, t("slides.key_figures" if index == 0 else "slides.key_figures_more", lang), lang)
        rows = [key_figure_row(figure, lang) for figure in chunk]
        row_height = min(Inches(0.56), int(BODY_HEIGHT / (len(rows) + 1)))
        _table(slide, MARGIN, BODY_TOP, WIDTH - 2 * MARGIN, headings, rows, (4.3, 1.4, 1.6, 1.4, 1.4, 1.6), lang=lang,
               size=18, row_height=row_height, name="Key figures")
        _notes(slide, report.notes)


def chart_width(fig: go.Figure) -> int:
    """Layout pixels wide to draw ``fig`` at: the shape of the slide's chart box for the figure's own height
    (a short chart is drawn narrower, so that it fills the box and its labels stay large)."""
    height = fig.layout.height or DEFAULT_HEIGHT
    return int(min(CHART_MAX_WIDTH_PX, max(CHART_MIN_WIDTH_PX, height * CHART_BOX[0] / CHART_BOX[1])))


def _chart_png(fig: go.Figure) -> bytes:
    return png_bytes(fig, width=chart_width(fig), scale=CHART_SCALE)


def _fit(image_width: int, image_height: int, box_width: int, box_height: int) -> tuple[int, int]:
    ratio = min(box_width / image_width, box_height / image_height)
    return int(image_width * ratio), int(image_height * ratio)


def _section_slide(prs: Deck, report: Report, section: Section, chart_image: ChartImage) -> None:
    lang = report.lang
    slide = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE_ONLY])
    _title(slide, section.title, lang)
    image: bytes | None = None
    missing = False
    if section.charts:
        try:
            image = chart_image(section.charts[0])
        except ExportError as error:  # no Chromium on this server: the slide keeps its sentences
            _log.warning("report slide %s: chart not drawn (%s): %s", section.key, error.reason, error)
            missing = True
    text_left: int = MARGIN
    text_width: int = WIDTH - 2 * MARGIN
    size = 22
    if image is not None:
        box_width, box_height = CHART_BOX
        picture = slide.shapes.add_picture(io.BytesIO(image), MARGIN, BODY_TOP)
        width, height = _fit(picture.width, picture.height, box_width, box_height)
        picture.width, picture.height = width, height
        picture.top = BODY_TOP + (box_height - height) // 2
        picture.name = "Chart"
        title = section.charts[0].layout.title.text or section.title
        picture._element.nvPicPr.cNvPr.set("descr", clean(title))  # alternative text
        text_left = MARGIN + width + Inches(0.35)
        text_width = WIDTH - MARGIN - text_left
        size = 20
    elif section.tables:
        caption, headings, rows = section.tables[0]
        shown = rows[:8]
        row_height = min(Inches(0.5), int((BODY_HEIGHT - Inches(0.5)) / (len(shown) + 1)))
        _textbox(slide, MARGIN, BODY_TOP, CHART_BOX[0], Inches(0.45), [caption], size=16, bold=True, lang=lang,
                 name="Table caption")
        _table(slide, MARGIN, BODY_TOP + Inches(0.5), CHART_BOX[0], headings, shown, [2] + [1] * (len(headings) - 1),
               lang=lang, size=16, row_height=row_height, name="Table")
        text_left = MARGIN + CHART_BOX[0] + Inches(0.35)
        text_width = WIDTH - MARGIN - text_left
        size = 20
    lines = list(section.sentences)
    if missing:
        lines.append(t("slides.no_chart", lang))
    _textbox(slide, text_left, BODY_TOP, text_width, BODY_HEIGHT, lines, size=size, lang=lang, name="Sentences",
             shrink=True, space_after=14, bullet=True, anchor=MSO_ANCHOR.MIDDLE)
    _notes(slide, [section.paragraph])


def _euros(amount: float, lang: str) -> str:
    number = fmt_int(amount, lang)
    return f"{number}\u00a0€" if lang == "fr" else f"€{number}"


def _costs_slide(prs: Deck, report: Report, costs: Costs) -> None:
    """The range on top; below, the lines it adds up (left) and the assumptions (right); the sources of the
    unit costs, often long, go in the speaker notes with the assumptions."""
    lang = report.lang
    slide = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE_ONLY])
    _title(slide, t("slides.costs", lang), lang)
    _textbox(slide, MARGIN, BODY_TOP, WIDTH - 2 * MARGIN, Inches(0.8), [costs.text_range], size=30, bold=True,
             color=PRIMARY, lang=lang, name="Range", shrink=True, anchor=MSO_ANCHOR.MIDDLE)
    top = BODY_TOP + Inches(1.0)
    left_width = Inches(7.3)
    lines = costs.lines[:COST_LINES_PER_SLIDE]
    if lines:
        headings = [t(f"slides.costs.col.{c}", lang) for c in ("outcome", "count", "unit", "range")]
        rows = [(line.label, line.count_text, f"{_euros(line.unit_low, lang)} – {_euros(line.unit_high, lang)}",
                 f"{_euros(line.low, lang)} – {_euros(line.high, lang)}") for line in lines]
        _table(slide, MARGIN, top, left_width, headings, rows, (2.5, 1.2, 1.8, 1.8), lang=lang, size=14,
               row_height=Inches(0.45), name="Cost lines")
    right = MARGIN + left_width + Inches(0.3) if lines else MARGIN
    width = WIDTH - MARGIN - right
    sources = [f"{line.label} : {line.source}" if lang == "fr" else f"{line.label}: {line.source}"
               for line in costs.lines if line.source]
    text = list(costs.assumptions)
    if text:
        _textbox(slide, right, top, width, Inches(0.4), [t("slides.costs.assumptions", lang)], size=16, bold=True,
                 lang=lang, name="Assumptions heading")
        _textbox(slide, right, top + Inches(0.45), width, FOOTER_TOP - top - Inches(0.55), text, size=14, lang=lang,
                 name="Assumptions", shrink=True, bullet=True, space_after=4)
    _notes(slide, [*text, *sources])  # the sources in full, for the presenter


def _notes_slide(prs: Deck, report: Report) -> None:
    lang = report.lang
    slide = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE_ONLY])
    _title(slide, t("slides.notes", lang), lang)
    _textbox(slide, MARGIN, BODY_TOP, WIDTH - 2 * MARGIN, BODY_HEIGHT, report.notes, size=18, lang=lang, name="Notes",
             shrink=True, bullet=True, space_after=10)


def render_pptx(report: Report, *, chart_image: ChartImage | None = None) -> bytes:
    """The report as a .pptx file (bytes). ``chart_image`` draws a chart as PNG bytes (default: Kaleido,
    ``dashboard.charts.png``); a chart it cannot draw (``ExportError``) leaves its slide with text only."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    prs.core_properties.title = clean(report.title)
    prs.core_properties.subject = clean(f"{report.structures} – {report.period}")
    prs.core_properties.author = "Parcours"
    prs.core_properties.language = _lang_tag(report.lang)
    draw = chart_image or _chart_png
    _title_slide(prs, report)
    _key_figure_slides(prs, report)
    for section in report.sections:
        _section_slide(prs, report, section, draw)
    if report.costs is not None:
        _costs_slide(prs, report, report.costs)
    if report.notes:
        _notes_slide(prs, report)
    total = len(prs.slides)
    for number, slide in enumerate(prs.slides, start=1):
        _footer(slide, report, number, total)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


__all__ = ["clean", "key_figure_row", "render_pptx", "verdict_word"]
