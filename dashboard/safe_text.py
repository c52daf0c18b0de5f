"""Text from the data made safe for where it goes: spreadsheets and charts.

Names of workshops and structures, territories and ids are typed by people
at the structures: they may hold anything. Two readers interpret text:

- a **spreadsheet** (Excel, LibreOffice) runs a CSV cell that starts with
  ``=``, ``+``, ``-`` or ``@`` as a formula (``=HYPERLINK(...)``,
  ``+cmd|' /C calc'!A0``), and a tab or carriage return can start one too.
  ``csv_cell`` neutralises it as OWASP describes ("CSV Injection"): a
  leading ``'`` before such a text cell. Numbers are never text cells and
  stay as they are (``-2`` is a number, not a formula).
- **Plotly** reads ``<b>``, ``<br>``, ``<span style=...>``, ``<a href=...>``
  and HTML entities in labels, legend names, hover texts and annotations.
  ``markup_escaped`` makes such text literal (Plotly shows ``&lt;`` as
  ``<``), and ``short_label`` also shortens it for ticks and legends, the
  whole (escaped) value staying in the hover.

No Streamlit here: the command line and the board report use it too.
"""

from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (OWASP, CSV Injection)."""

LABEL_LIMIT = 40
"""Most characters of a label from the data shown in a tick or a legend (then "…")."""

ELLIPSIS = "…"


def csv_cell(value: str) -> str:
    """A text cell for a CSV file: prefixed with ``'`` when it starts like a formula, else unchanged.

    Only for text: callers pass numbers through untouched."""
    return f"'{value}" if value.startswith(FORMULA_START) else value


def markup_escaped(value: str) -> str:
    """``value`` with ``&``, ``<`` and ``>`` as HTML entities, so that Plotly shows it as written."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def shortened(value: str, limit: int = LABEL_LIMIT) -> str:
    """``value`` cut to ``limit`` characters, the last one an ellipsis, when longer (plain text, before escaping)."""
    return value if len(value) <= limit else value[: limit - 1] + ELLIPSIS


def short_label(value: str, limit: int = LABEL_LIMIT) -> str:
    """A label from the data for a tick or a legend: shortened, then escaped (never cut inside an entity)."""
    return markup_escaped(shortened(value, limit))
