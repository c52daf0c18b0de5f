"""The board report as an A4 PDF, typeset by typst (the ``typst`` package embeds the engine: no system binary).

Nothing from the data is ever written into typst markup: the report travels
to the template (``templates/report.typ``) as JSON in ``sys.inputs``, and the
template shows its strings as text. A structure named ``#panic("x") *bold*
$x$`` prints exactly those characters. Charts are SVG (vector) images of
Plotly figures, exported by the app's persistent Kaleido
(``dashboard.charts.png.svg_bytes``), and passed the same way as bytes.

French typography: a no-break space before « : ; ! ? » and « % » and inside
guillemets, a narrow no-break space between thousands (``dashboard.formatting``),
dates in words (``1er janvier 2025``).
"""

from __future__ import annotations

import dataclasses
import json
import re
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from dashboard.report.model import Report

TEMPLATE = Path(__file__).parent / "templates" / "report.typ"
NBSP = "\u00a0"
NNBSP = "\u202f"

_WORDS = {
    "fr": {"costs_title": "Coûts sociaux évités", "assumptions": "Hypothèses et sources", "notes": "Lire ce rapport",
           "costs_caption": "Coûts évités par résultat (fourchettes)",
           "costs_headings": ("Résultat", "Effectif publié", "Coût unitaire (hypothèse)", "Coûts évités"),
           "costs_para": "Ordre de grandeur des coûts sociaux évités sur la période : {range}. C'est une fourchette "
                         "d'hypothèses, pas une mesure ; elle ne compte que les résultats dont l'effectif est publié.",
           "spark": "Tendance : la valeur de chaque mois de la période (trimestre au-delà de trois ans), sur une "
                    "échelle qui part de zéro ; un trou est une période masquée."},
    "en": {"costs_title": "Avoided social costs", "assumptions": "Assumptions and sources", "notes": "Reading this report",
           "costs_caption": "Avoided costs by outcome (ranges)",
           "costs_headings": ("Outcome", "Published count", "Unit cost (assumption)", "Avoided costs"),
           "costs_para": "Order of magnitude of the social costs avoided in the period: {range}. It is a range of "
                         "assumptions, not a measurement; it counts only the outcomes whose count is published.",
           "spark": "Trend: the value of each month of the period (quarters beyond three years), on a scale "
                    "starting at zero; a gap is a hidden period."},
}


class PdfError(RuntimeError):
    """The PDF could not be made (chart export or typesetting failed): the message says why, without a path."""


def french_spaces(text: str) -> str:
    """No-break spaces where French typography wants them: before ``: ; ! ? %``, inside « guillemets »."""
    text = re.sub(r" ([;!?])", NNBSP + r"\1", text)
    text = re.sub(r" ([:%»])", NBSP + r"\1", text)
    return re.sub(r"« ", "«" + NBSP, text)


def _typography(value: Any, lang: str) -> Any:
    if isinstance(value, str):
        return french_spaces(value) if lang == "fr" else value
    if isinstance(value, dict):
        return {k: _typography(v, lang) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_typography(v, lang) for v in value]
    return value


def _unit_range(low: float, high: float, lang: str) -> str:
    from dashboard.report.costs import euros_short

    return f"{euros_short(low, lang)} – {euros_short(high, lang)}"


def report_document(report: Report) -> tuple[dict[str, Any], list[Any]]:
    """The JSON the template reads, and the charts (Plotly figures) in the order the template numbers them."""
    lang = report.lang
    words = _WORDS[lang]
    charts: list[Any] = []
    sections = []
    for section in report.sections:
        numbers = []
        for fig in section.charts:
            numbers.append(len(charts))
            charts.append(fig)
        sections.append({"key": section.key, "title": section.title, "paragraph": section.paragraph,
                         "charts": numbers, "tables": [[c, list(h), [list(r) for r in rows]] for c, h, rows in section.tables]})
    key_figures = []
    for figure in report.key_figures:
        entry = dataclasses.asdict(figure)
        entry["series"] = [None if v is None else float(v) for v in figure.series]
        key_figures.append(entry)
    costs = None
    rows: list[list[str]] = []
    if report.costs is not None:
        costs = {"assumptions": list(report.costs.assumptions),
                 "lines": [{"label": line.label, "source": line.source} for line in report.costs.lines]}
        rows = [[line.label, line.count_text, _unit_range(line.unit_low, line.unit_high, lang),
                 _unit_range(line.low, line.high, lang)] for line in report.costs.lines]
    document = {
        "lang": lang, "title": report.title, "structures": report.structures, "period": report.period,
        "compared_with": report.compared_with, "headings": list(report.headings), "key_figures": key_figures,
        "sections": sections, "costs": costs, "costs_title": words["costs_title"],
        "costs_paragraph": str(words["costs_para"]).format(range=report.costs.text_range) if report.costs else "",
        "costs_caption": words["costs_caption"], "costs_headings": list(words["costs_headings"]), "costs_rows": rows,
        "assumptions_title": words["assumptions"], "notes_title": words["notes"], "notes": list(report.notes),
        "footer": report.footer.text, "spark_note": words["spark"],
    }
    return _typography(document, lang), charts


def _svg(fig: Any) -> bytes:
    from dashboard.charts.png import svg_bytes

    return svg_bytes(fig, width=int(fig.layout.width or 700))


class ChartExports:
    """Charts exported as SVG in a background thread while the report's figures are still being computed.

    Pass an instance as ``build_report(..., on_chart=exports)`` and then to ``render_pdf(report, exports)``:
    the browser (started on the first chart, 3 to 11 s the first time in a process) draws each chart while
    polars computes the next sections. The thread only waits on Chromium.
    """

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="report-svg")
        self._futures: dict[int, tuple[Any, Future[bytes]]] = {}

    def __call__(self, fig: Any) -> None:
        if id(fig) not in self._futures:
            self._futures[id(fig)] = (fig, self._pool.submit(_svg, fig))

    def svgs(self, charts: list[Any]) -> list[bytes]:
        from dashboard.charts.png import ExportError

        for fig in charts:
            self(fig)
        try:
            return [self._futures[id(fig)][1].result() for fig in charts]
        except ExportError as exc:
            raise PdfError(f"chart export failed ({exc.reason})") from None
        finally:
            self._pool.shutdown(wait=False)


def render_pdf(report: Report, exports: ChartExports | None = None) -> bytes:
    """The report as PDF bytes (A4); ``exports``: the charts' exports already under way (else done here)."""
    import typst

    document, charts = report_document(report)
    svgs = (exports or ChartExports()).svgs(charts)
    inputs = {"report": json.dumps(document, ensure_ascii=False)}
    inputs |= {f"chart-{i}": svg.decode("utf-8") for i, svg in enumerate(svgs)}
    try:
        return bytes(typst.compile(str(TEMPLATE), format="pdf", sys_inputs=inputs, root=str(TEMPLATE.parent)))
    except Exception as exc:  # noqa: BLE001  (typst's errors carry the template's lines, not data)
        raise PdfError(f"typesetting failed: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None


__all__ = ["ChartExports", "PdfError", "french_spaces", "render_pdf", "report_document"]
