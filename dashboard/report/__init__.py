"""The board report: ``build_report`` (content from published figures) and ``report_bytes`` (PDF or PowerPoint).

``report_bytes(data, filters, compare, lang, fmt)`` is what the app's button
and ``python -m dashboard report`` call; ``fmt`` is ``pdf`` (typst, here)
or ``pptx`` (``dashboard.report.slides.render_pptx``).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from dashboard.report.content import ReportError, Span, build_report, parse_period

if TYPE_CHECKING:
    from dashboard.data import Data
    from dashboard.filters import Filters

FORMATS = ("pdf", "pptx")


class SlidesUnavailable(ImportError):
    """``dashboard.report.slides`` (the PowerPoint renderer) is not installed."""


def render(report, fmt: str) -> bytes:  # type: ignore[no-untyped-def]
    if fmt == "pdf":
        from dashboard.report.pdf import render_pdf

        return render_pdf(report)
    if fmt == "pptx":
        try:
            from dashboard.report.slides import render_pptx
        except ImportError as exc:
            raise SlidesUnavailable(str(exc)) from None
        return render_pptx(report)
    raise ValueError(fmt)


def report_bytes(data: Data, filters: Filters, compare: Span | Filters | tuple[date, date] | None = None,
                 lang: str = "fr", fmt: str = "pdf", **options: object) -> bytes:
    """The report for ``filters`` (its dates are the period) as PDF or PowerPoint bytes."""
    if fmt == "pdf":
        from dashboard.report.pdf import ChartExports, render_pdf

        exports = ChartExports()
        return render_pdf(build_report(data, filters, compare, lang, on_chart=exports, **options), exports)  # type: ignore[arg-type]
    return render(build_report(data, filters, compare, lang, **options), fmt)  # type: ignore[arg-type]


__all__ = ["FORMATS", "ReportError", "SlidesUnavailable", "Span", "build_report", "parse_period", "render", "report_bytes"]
