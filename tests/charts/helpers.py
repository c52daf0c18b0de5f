"""Small inputs for chart tests: metric frames written by hand, protected as
disclosure control would (hidden cells null, flagged in ``suppressed``)."""

import polars as pl

from dashboard.disclosure import Protected
from models.reference import CODE_LISTS

LABELS = pl.DataFrame(
    [
        {"code_list": name, "code": code, "label_fr": fr, "label_en": en, "position": i}
        for name, entries in CODE_LISTS.items()
        for i, (code, fr, en) in enumerate(entries)
    ]
)
"""The seeded ``code_labels`` table, as ``Data.labels`` holds it."""

THIN = "\u202f"


def protect(rows: list[dict], hidden: dict[str, list[int]] | None = None, k: int = 5, schema: dict | None = None) -> Protected:
    """``rows`` as a Protected table; ``hidden`` = column -> indices of rows whose cell is suppressed."""
    table = pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)
    hidden = hidden or {}
    suppressed = pl.DataFrame(
        {c: [i in hidden.get(c, []) for i in range(table.height)] for c in table.columns},
        schema={c: pl.Boolean for c in table.columns},
    )
    table = table.with_columns(
        pl.when(suppressed[c]).then(None).otherwise(pl.col(c)).alias(c) for c in table.columns if hidden.get(c)
    )
    notes = ("PRIMARY",) if hidden else ()
    return Protected(table=table, suppressed=suppressed, k=k, too_small=False, notes=notes)


def trace(fig, name: str):
    """The first trace called ``name``."""
    found = [t for t in fig.data if t.name == name]
    assert found, f"no trace {name!r} in {[t.name for t in fig.data]}"
    return found[0]


def subtitle(fig) -> str:
    return fig.layout.title.subtitle.text
