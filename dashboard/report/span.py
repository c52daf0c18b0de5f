"""The report's period: a year, a quarter or a month, and the period it is compared with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dashboard.filters import Granularity
from dashboard.periods import previous_range


@dataclass(frozen=True)
class Span:
    start: date
    end: date

    @property
    def months(self) -> int:
        after = self.end + timedelta(days=1)
        return (after.year - self.start.year) * 12 + after.month - self.start.month

    @property
    def whole_by(self) -> Granularity:
        """The granularity of which the span is exactly one period, or the coarsest that tiles it."""
        after = self.end + timedelta(days=1)
        if self.start.month == 1 and after.month == 1 and after.day == 1 and self.start.day == 1:
            return "year"
        if self.start.day == 1 and after.day == 1 and (self.start.month - 1) % 3 == 0 and (after.month - 1) % 3 == 0:
            return "quarter"
        return "month"

    @property
    def series_by(self) -> Granularity:
        """Sparklines and series over the span: months (quarters beyond three years)."""
        return "quarter" if self.months > 36 else "month"

    @property
    def cohort_by(self) -> Granularity:
        return "quarter" if self.months >= 6 else "month"


def parse_period(text: str) -> Span:
    """``2025``, ``2025-Q1``, ``2025-03`` -> the span of that year, quarter or month (ValueError otherwise)."""
    import re

    from dashboard.periods import period_bounds

    if re.fullmatch(r"\d{4}", text):
        return Span(date(int(text), 1, 1), date(int(text), 12, 31))
    match = re.fullmatch(r"(\d{4})-[QqTt]([1-4])", text)
    if match:
        start, end = period_bounds(date(int(match[1]), 3 * int(match[2]) - 2, 1), "quarter")
        return Span(start, end)
    match = re.fullmatch(r"(\d{4})-(\d{2})", text)
    if match and 1 <= int(match[2]) <= 12:
        start, end = period_bounds(date(int(match[1]), int(match[2]), 1), "month")
        return Span(start, end)
    raise ValueError(text)


def default_compare(span: Span) -> Span:
    start, end = previous_range(span.start, span.end)
    return Span(start, end)
