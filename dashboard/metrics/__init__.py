"""The computations behind every figure: pure functions ``(Data, Filters, **options) -> pl.DataFrame``.

Each returns raw (unprotected) figures: the public columns of its
definition, in order, then helper columns starting with ``_`` (cell keys,
denominators) that disclosure control reads and drops. Figures are
declared, with these functions, in ``dashboard.catalogue``; nothing leaves
the application without going through ``dashboard.disclosure``.
"""

import polars as pl


def public_columns(frame: pl.DataFrame) -> list[str]:
    """The columns a reader sees (helper ``_`` columns left out)."""
    return [name for name in frame.columns if not name.startswith("_")]
