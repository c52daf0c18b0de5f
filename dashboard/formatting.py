"""Numbers, rates, dates and period labels in the reader's language.

French: ``1 234,5`` (narrow no-break space between thousands), ``12 %``
(no-break space before the sign), ``21/11/2026``, ``mars 2024``, ``T1 2024``.
English: ``1,234.5``, ``12%``, ``21/11/2026``, ``Mar 2024``, ``Q1 2024``.
A missing value reads as an en dash, never ``None`` or ``nan``.
"""

import math
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

THIN = "\u202f"  # narrow no-break space: French thousands separator
NBSP = "\u00a0"  # no-break space: before "%" in French
MISSING = "–"

MONTHS = {
    "fr": ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}

PLOTLY_SEPARATORS = {"fr": ", ", "en": ".,"}
"""Plotly ``layout.separators``: decimal mark then thousands separator."""


def _missing(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def _localise(text: str, lang: str) -> str:
    """``1,234.5`` (Python's own format) into the language's marks."""
    if lang == "fr":
        return text.replace(",", THIN).replace(".", ",")
    return text


def _half_up(x: object, digits: int) -> Decimal:
    """Rounded half away from zero on the shortest decimal form (12.5 -> 13, 2.345 -> 2.35), as people expect."""
    return Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)  # type: ignore[arg-type]


def fmt_int(n: object, lang: str) -> str:
    if _missing(n):
        return MISSING
    return _localise(f"{_half_up(n, 0):,f}", lang)


def fmt_decimal(x: object, lang: str, digits: int = 1) -> str:
    if _missing(x):
        return MISSING
    return _localise(f"{_half_up(x, digits):,f}", lang)


def fmt_rate(x: object, lang: str, digits: int = 0) -> str:
    """A share between 0 and 1 as a percentage: 0.125 -> ``13 %`` / ``13%``."""
    if _missing(x):
        return MISSING
    number = fmt_decimal(float(x) * 100, lang, digits)  # type: ignore[arg-type]
    return f"{number}{NBSP}%" if lang == "fr" else f"{number}%"


def fmt_points(x: object, lang: str, digits: int = 0) -> str:
    """A change between two shares, in percentage points, signed."""
    if _missing(x):
        return MISSING
    rounded = float(_half_up(float(x) * 100, digits))  # type: ignore[arg-type]
    return f"{_sign(rounded)}{fmt_decimal(abs(rounded), lang, digits)}{NBSP}pt"


def fmt_signed_int(n: object, lang: str) -> str:
    if _missing(n):
        return MISSING
    rounded = float(_half_up(n, 0))
    return f"{_sign(rounded)}{fmt_int(abs(rounded), lang)}"


def _sign(value: float) -> str:
    if value > 0:
        return "+"
    if value < 0:
        return "-"
    return ""


def fmt_date(d: date | datetime | None, lang: str) -> str:
    """``21/11/2026`` in both languages (unambiguous with the day first in both UIs)."""
    if d is None:
        return MISSING
    return d.strftime("%d/%m/%Y")


def fmt_datetime(d: datetime | str | None, lang: str) -> str:
    """``05/01/2026 09:30``; ISO text (as some drivers return it) is parsed first."""
    if isinstance(d, str):
        try:
            d = datetime.fromisoformat(d)
        except ValueError:
            return str(d)  # not a date: shown as written
    if d is None:
        return MISSING
    return d.strftime("%d/%m/%Y %H:%M")


def fmt_period(label: str | None, lang: str) -> str:
    """``2024-03`` -> ``mars 2024`` / ``Mar 2024``; ``2024-Q1`` -> ``T1 2024`` / ``Q1 2024``; ``2024`` unchanged."""
    if label is None:
        return MISSING
    text = str(label)
    if len(text) == 7 and text[4] == "-" and text[:4].isdigit() and text[5:].isdigit():
        month = int(text[5:])
        if 1 <= month <= 12:
            return f"{MONTHS[lang if lang in MONTHS else 'fr'][month - 1]} {text[:4]}"
    if len(text) == 7 and text[4:6] == "-Q" and text[:4].isdigit():
        prefix = "T" if lang == "fr" else "Q"
        return f"{prefix}{text[6]} {text[:4]}"
    return text
