"""The board report as data: what every renderer (PDF, PowerPoint) draws, built once from published figures.

``dashboard.report.content.build_report`` fills it from ``figures(...,
published=True)`` only (everything in a report is at the published level);
``dashboard.report.pdf.render_pdf`` and ``dashboard.report.slides.render_pptx``
turn it into bytes. Renderers never compute a figure.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

import plotly.graph_objects as go

Verdict = Literal["up", "down", "stable", "hidden", "new"]


@dataclass(frozen=True)
class KeyFigure:
    """One key figure of the period with the previous one beside it.

    ``text_*`` are the strings as printed (French typography in French);
    ``verdict`` is "stable" when the change is within what chance and
    perturbation explain (the rule is in ``dashboard.report.content``).
    """

    figure: str
    label: str
    is_rate: bool
    value: float | None
    previous: float | None
    change: float | None  # absolute (points for a rate, as a share: 0.05 = 5 points)
    change_percent: float | None  # relative change (0.12 = +12 %), None when previous is 0 or hidden
    verdict: Verdict
    text_value: str
    text_previous: str
    text_change: str
    text_change_percent: str
    series: tuple[float | None, ...] = ()
    """The figure over the chosen period, one value per period of ``series_labels`` (a sparkline; None = hidden);
    empty when no published series exists for it."""
    series_labels: tuple[str, ...] = ()
    text_verdict: str = ""


@dataclass(frozen=True)
class Section:
    """One section of the report (and one slide): a title, a short paragraph generated from the figures,
    three sentences for the slide, charts (Plotly figures from the published tables) and small tables."""

    key: str
    title: str
    paragraph: str
    sentences: tuple[str, ...]
    charts: tuple[go.Figure, ...] = ()
    tables: tuple[tuple[str, tuple[str, ...], tuple[tuple[str, ...], ...]], ...] = ()
    """(caption, headings, rows of strings) each."""


@dataclass(frozen=True)
class CostLine:
    outcome: str  # e.g. "housing_exit"
    label: str
    count_text: str  # the published count it multiplies ("< 11" lines are left out, never estimated)
    unit_low: float
    unit_high: float
    low: float
    high: float
    source: str


@dataclass(frozen=True)
class Costs:
    """Avoided social costs as a range, with the assumptions written beside it."""

    lines: tuple[CostLine, ...]
    low: float
    high: float
    assumptions: tuple[str, ...]
    text_range: str


@dataclass(frozen=True)
class Footer:
    definitions_version: int
    load_number: int | None
    load_date: date | None
    disclosure_mode: str
    text: str


@dataclass(frozen=True)
class Report:
    lang: str
    title: str
    structures: str  # the structures' names, or the network's
    period: str  # e.g. "du 1er janvier au 31 décembre 2025"
    compared_with: str
    key_figures: tuple[KeyFigure, ...]
    sections: tuple[Section, ...]
    costs: Costs | None
    footer: Footer
    notes: tuple[str, ...] = field(default_factory=tuple)  # disclosure notes, the stability rule
    k: int = 11
    """The published threshold every figure of the report went through."""
    headings: tuple[str, ...] = ()
    """Column headings of the key-figures table (figure, value, previous, change, change %, verdict, trend)."""
