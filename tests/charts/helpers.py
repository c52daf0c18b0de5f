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


def protect(rows: list[dict], hidden: dict[str, list[int]] | None = None, k: int = 5, schema: dict | None = None,
            masked: dict[str, list[int]] | None = None, row_k: tuple[int, ...] = ()) -> Protected:
    """``rows`` as a Protected table; ``hidden`` = column -> indices of rows whose cell reads "< k" (k of the row:
    ``row_k[i]``, else ``k``), ``masked`` = column -> indices of rows whose cell reads "masqué"."""
    table = pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)
    hidden, masked = hidden or {}, masked or {}
    assert not row_k or len(row_k) == table.height, "row_k: one threshold per row"

    def reading(column: str, i: int) -> str | None:
        if i in masked.get(column, []):
            return "masked"
        return "small" if i in hidden.get(column, []) else None

    cells = pl.DataFrame(
        {c: [reading(c, i) for i in range(table.height)] for c in table.columns},
        schema={c: pl.String for c in table.columns},
    )
    table = table.with_columns(
        pl.when(cells[c].is_not_null()).then(None).otherwise(pl.col(c)).alias(c)
        for c in table.columns if hidden.get(c) or masked.get(c)
    )
    notes = (("PRIMARY",) if any(hidden.values()) else ()) + (("MASKED",) if any(masked.values()) else ())
    if row_k and max(row_k) > k and notes:
        notes += ("SENSITIVE",)
    return Protected(table=table, cells=cells, k=k, too_small=False, notes=notes, row_k=row_k)


def trace(fig, name: str):
    """The first trace called ``name``."""
    found = [t for t in fig.data if t.name == name]
    assert found, f"no trace {name!r} in {[t.name for t in fig.data]}"
    return found[0]


def subtitle(fig) -> str:
    return fig.layout.title.subtitle.text


def strings(fig) -> list[str]:
    """Every string the browser receives with the figure (trace and layout texts, hovers, names)."""
    found: list[str] = []

    def walk(value) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)
        elif hasattr(value, "tolist"):  # numpy arrays
            walk(value.tolist())

    plain = fig.to_plotly_json()
    walk(plain["data"])
    walk({k: v for k, v in plain["layout"].items() if k != "template"})
    return found
