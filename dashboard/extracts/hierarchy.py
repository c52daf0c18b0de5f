"""The generalisation hierarchies of the quasi-identifiers of an extract.

A quasi-identifier is what someone may know about a person without the
data (age, sex, when they came, where): combined, a few of them single a
person out. Each has a hierarchy, from finest (level 0) to nothing
published (last level):

====================  =======================  ==========================  ==========
quasi-identifier      level 0                  level 1                     level 2
====================  =======================  ==========================  ==========
``sex``               sex                      (none)
``age``               age band (5 bands)       wide band (< 45, 45 +)      (none)
``place``             structure + territory    territory                   (none)
``period``            half-year of the anchor  year of the anchor          (none)
====================  =======================  ==========================  ==========

The structure is never published when the network has fewer than
``MIN_NETWORK_STRUCTURES`` structures (``place`` starts at level 1): in a
small network a structure is nearly a place and a team that knows its few
persons. An unknown value is a value of its own (``INCONNU``, ``NR``); a
quasi-identifier not published is empty.

The order of ``HIERARCHIES`` is the order of preference when two
generalisations lose as much: sex is kept finest first, then age, then
place; the period is generalised first.
"""

from dataclasses import dataclass

import polars as pl

MIN_NETWORK_STRUCTURES = 5
WIDE_BANDS = {"MOINS_26": "MOINS_45", "26_44": "MOINS_45", "45_59": "45_PLUS", "60_PLUS": "45_PLUS",
              "INCONNU": "INCONNU"}
WIDE_BAND_LABELS = {"MOINS_45": ("Moins de 45 ans", "Under 45"), "45_PLUS": ("45 ans et plus", "45 and over")}


@dataclass(frozen=True)
class Hierarchy:
    """One quasi-identifier: the output ``columns`` it fills and the name of each level."""

    name: str
    columns: tuple[str, ...]
    levels: tuple[str, ...]

    @property
    def top(self) -> int:
        return len(self.levels) - 1

    def at(self, level: int) -> list[pl.Expr]:
        """The output columns at ``level`` (from the records' finest columns)."""
        return [_EXPRESSIONS[self.name](level, column).alias(column) for column in self.columns]


def _none() -> pl.Expr:
    return pl.lit(None, dtype=pl.String)


def _sex(level: int, column: str) -> pl.Expr:
    return pl.col("sex") if level == 0 else _none()


def _age(level: int, column: str) -> pl.Expr:
    if level == 0:
        return pl.col("age_band")
    if level == 1:
        return pl.col("age_band").replace_strict(WIDE_BANDS, default="INCONNU", return_dtype=pl.String)
    return _none()


def _place(level: int, column: str) -> pl.Expr:
    if column == "structure":
        return pl.col("structure") if level == 0 else _none()
    return pl.col("territory") if level <= 1 else _none()


def _period(level: int, column: str) -> pl.Expr:
    year = pl.col("anchor_date").dt.year().cast(pl.String)
    if level == 0:
        half = pl.when(pl.col("anchor_date").dt.month() <= 6).then(pl.lit("-H1")).otherwise(pl.lit("-H2"))
        return pl.concat_str(year, half)
    if level == 1:
        return year
    return _none()


_EXPRESSIONS = {"sex": _sex, "age": _age, "place": _place, "period": _period}

HIERARCHIES: tuple[Hierarchy, ...] = (
    Hierarchy("sex", ("sex",), ("sex", "none")),
    Hierarchy("age", ("age_band",), ("band", "wide_band", "none")),
    Hierarchy("place", ("structure", "territory"), ("structure", "territory", "none")),
    Hierarchy("period", ("anchor_period",), ("half_year", "year", "none")),
)
QI_COLUMNS: tuple[str, ...] = tuple(c for h in HIERARCHIES for c in h.columns)
"""The published quasi-identifier columns: an equivalence class is one combination of their values."""

LEVEL_WORDS: dict[str, tuple[str, str]] = {
    "sex": ("sexe", "sex"), "age": ("âge", "age"), "place": ("lieu", "place"), "period": ("période", "period"),
    "band": ("tranche d'âge", "age band"), "wide_band": ("tranche large (moins de 45 ans, 45 ans et plus)",
                                                         "wide band (under 45, 45 and over)"),
    "structure": ("structure et territoire", "structure and territory"), "territory": ("territoire", "territory"),
    "half_year": ("semestre", "half-year"), "year": ("année", "year"), "none": ("non publié", "not published"),
}


def min_levels(structures: int) -> tuple[int, ...]:
    """The finest level allowed per hierarchy, for a network of ``structures`` structures."""
    return tuple(1 if h.name == "place" and structures < MIN_NETWORK_STRUCTURES else 0 for h in HIERARCHIES)


def period_text(code: str | None, lang: str) -> str | None:
    """``2023-H1`` -> ``S1 2023`` / ``H1 2023``; a year stays as it is."""
    if code is None or "-H" not in code:
        return code
    year, half = code.split("-H")
    return f"{'S' if lang == 'fr' else 'H'}{half} {year}"


__all__ = ["HIERARCHIES", "Hierarchy", "LEVEL_WORDS", "MIN_NETWORK_STRUCTURES", "QI_COLUMNS", "WIDE_BANDS",
           "WIDE_BAND_LABELS", "min_levels", "period_text"]
