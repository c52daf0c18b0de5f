"""Statistical disclosure control, version 2: the one gate every figure passes through.

Pages, downloads, chart images, the command line and the board report all
call ``figures``, never a metric directly. Version 1 protected each table
alone (suppression, a differencing check); their differences leaked. Version
2 holds across any number of queries:

1. whole periods: the date range snaps to whole months, quarters or years
   (``Filters.snapped``): no sliding window by the day;
2. small selection: a filter that leaves between 1 and k - 1 persons shows
   no figure at all, and so does one that differs from a neighbouring
   selection (one filter lifted) by 1 to k - 1 persons; each filter names
   one value or all (unions of values could be differenced and averaged);
3. cell-key perturbation (``dashboard.perturbation``): every count moves by
   a small amount read from the p-table at (value, cell key), the cell key
   being the sum of its records' keys: the same records always get the
   same noise, so two outputs differenced give noise, not a person;
4. thresholds after perturbation: a count of persons below k reads "< k";
   a count of events is shown only when the (perturbed) persons behind it
   reach k; rows of a sensitive source or domain use the published k, and
   so does every row when the filter picks a sensitive source or leaves
   out only sensitive ones (a selection that differs from the whole by a
   sensitive group alone is sensitive);
5. rates, shares and means from perturbed counts (sums for means), rates in
   whole percent, means to one decimal; hidden when their n is under k or
   a count they come from reads "< k"; medians only over n >= k, rounded; estimated probabilities
   (time to exit) in whole percent, hidden where their count at risk is hidden or under k;
6. a cohort under k persons is hidden whole.

``PARCOURS_DISCLOSURE=exact`` (server environment only) skips step 3 for
data stewards and for tests of hand-computed figures; every other rule
holds. Helper columns (names starting with ``_``) never leave this module.
"""

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import polars as pl

from dashboard import rollups
from dashboard.catalogue import CATALOGUE
from dashboard.cohorts import Cohort, cohort_data, cohort_gate, members
from dashboard.data import Data
from dashboard.disclosure_rules import Spec, fallback
from dashboard.filters import Filters
from dashboard.metrics.common import PerSnapshot
from dashboard.metrics.time_to_exit import CohortMembers
from dashboard.perturbation import magnitude_noise, perturb, ptable
from dashboard.shared_figures import shared
from dashboard.small_selection import (
    LIST_FIELDS,
    SelectionError,
    _selected,
    close_to_another,
    persons_selected,
    sensitive_selection,
)
from models.settings import get_setting, server_setting

SMALL = "small"
"""A cell that reads "< k" (k of its row): a count under the threshold."""
MASKED = "masked"
"""A cell that reads "masqué": a figure whose n, or the persons behind it, are under the threshold."""

_MESSAGES = {
    "fr": "Le réglage {name} doit être un nombre entier au moins égal à 1 (valeur lue : {value!r}).",
    "en": "The setting {name} must be a whole number of at least 1 (value read: {value!r}).",
}
_MODE_MESSAGES = {
    "fr": "Le réglage PARCOURS_DISCLOSURE doit valoir protected ou exact (valeur lue : {value!r}).",
    "en": "The setting PARCOURS_DISCLOSURE must be protected or exact (value read: {value!r}).",
}
MODES = ("protected", "exact")


class ThresholdError(ValueError):
    """A threshold or mode setting that is not usable."""


@dataclass(frozen=True)
class Protected:
    """A metric's table after disclosure control.

    ``table`` has the metric's public columns: published values, hidden
    cells null. ``cells`` has the same columns as strings: null where the
    cell shows its value, ``SMALL`` where it reads "< k" (k of its row,
    ``row_k``), ``MASKED`` where it reads "masqué". Charts and tables both
    read ``cells``; ``suppressed`` and ``primary`` are its Boolean views.
    """

    table: pl.DataFrame
    cells: pl.DataFrame
    k: int
    too_small: bool
    notes: tuple[str, ...]
    row_k: tuple[int, ...] = ()
    mode: str = "protected"
    metric: str = ""
    """The figure's name in ``dashboard.catalogue.CATALOGUE`` (column kinds, words)."""

    # Views computed once: the same answer serves every rerun of every session (``figures`` keeps it).
    @cached_property
    def suppressed(self) -> pl.DataFrame:
        return self.cells.select(pl.all().is_not_null())

    @cached_property
    def blank(self) -> bool:
        """No row, or nothing but zeros and blanks in every numeric cell that is not hidden (nothing happened)."""
        if self.table.is_empty():
            return True
        numeric = [c for c in self.table.columns if self.table[c].dtype.is_numeric() and c != "offset"]
        if not numeric:
            return False
        hidden = self.suppressed
        return not self.table.select(
            pl.any_horizontal(((pl.col(c).fill_null(0) != 0) | hidden[c]) for c in numeric).any()).item()

    @cached_property
    def primary(self) -> pl.DataFrame:
        return self.cells.select((pl.all() == SMALL).fill_null(False))

    def reading(self, column: str, row: int) -> tuple[str | None, int]:
        """(``None``, ``SMALL`` or ``MASKED``, the row's k) for one cell."""
        k = self.row_k[row] if self.row_k else self.k
        return (self.cells[column][row] if column in self.cells.columns else None), k


def _threshold(name: str) -> int:
    value = get_setting(name)
    try:
        k = int(value)
    except ValueError:
        k = 0
    if k < 1:
        raise ThresholdError(_MESSAGES[_lang()].format(name=name, value=value))
    return k


def _lang() -> str:
    lang = get_setting("PARCOURS_LANG")
    return lang if lang in _MESSAGES else "fr"


def thresholds(published: bool) -> tuple[int, int]:
    """(k, k_published): k is ``PARCOURS_MIN_CELL`` on screen, ``PARCOURS_MIN_CELL_PUBLISHED`` when published.

    The published threshold is never below the screen one.
    """
    screen = _threshold("PARCOURS_MIN_CELL")
    published_k = max(_threshold("PARCOURS_MIN_CELL_PUBLISHED"), screen)
    return (published_k if published else screen), published_k


def disclosure_mode() -> str:
    """``protected`` or ``exact``, from the server's environment only (never a URL, a widget or secrets.toml)."""
    value = server_setting("PARCOURS_DISCLOSURE").strip().lower()
    if value not in MODES:
        raise ThresholdError(_MODE_MESSAGES[_lang()].format(value=value))
    return value


def answer_settings(mode: str, k: int, k_published: int) -> tuple[object, ...]:
    """Every setting an answer of the gate depends on, for the keys of the answers kept per snapshot (``figures``,
    ``pathway_disclosure``): one place, so that a new setting cannot reach one key and be forgotten in another."""
    return mode, k, k_published, get_setting("PARCOURS_CKM_MAX"), get_setting("PARCOURS_CKM_VARIANCE")


def _public(table: pl.DataFrame) -> list[str]:
    return [name for name in table.columns if not name.startswith("_")]


_SHOWN, _SMALL, _MASKED = np.int8(0), np.int8(1), np.int8(2)
_READING_TEXT = np.array([None, SMALL, MASKED], dtype=object)


def _round(values: np.ndarray, digits: int) -> np.ndarray:
    """Half away from zero, as people round (numpy rounds half to even); the tiny nudge keeps 2.345 (stored as
    2.34499...) rounding to 2.35 as it reads."""
    scale = 10.0**digits
    values = np.asarray(values, dtype=np.float64)
    return np.sign(values) * np.floor(np.abs(values) * scale + 0.5 + 1e-9) / scale


class _Cells:
    """Values and readings of one table while the rules run (numpy columns, one entry per row)."""

    def __init__(self, table: pl.DataFrame, row_k: np.ndarray, exact: bool) -> None:
        self.table = table
        self.k = row_k
        self.exact = exact
        self.table_ = ptable()
        self.values: dict[str, np.ndarray] = {}
        self.readings: dict[str, np.ndarray] = {}

    # Numpy throughout: each polars Series operation runs a small query (~1 ms), and a page protects a dozen tables.
    def column(self, name: str) -> np.ndarray:
        return _numbers(self.table[name])

    def _perturbed(self, count: str, key: str) -> np.ndarray:
        raw = np.nan_to_num(_numbers(self.table[count])).astype(np.int64)
        if self.exact or key not in self.table.columns:
            return raw
        return perturb(raw, np.nan_to_num(_numbers(self.table[key])).astype(np.int64), self.table_)

    def count(self, name: str, *, events: bool) -> None:
        value = self._perturbed(name, f"_ck_{name}")
        reading = np.zeros(len(value), dtype=np.int8)
        reading[(value > 0) & (value < self.k)] = _SMALL
        if events and f"_pn_{name}" in self.table.columns:
            behind = self._perturbed(f"_pn_{name}", f"_pk_{name}")
            reading[(reading == _SHOWN) & (value > 0) & (behind < self.k)] = _MASKED
        if not self.exact and f"_ck_{name}" not in self.table.columns:
            reading[value > 0] = _MASKED  # a count without a cell key cannot be perturbed consistently: never shown
        self.values[name] = value.astype(np.float64)
        self.readings[name] = reading

    def hidden(self, name: str) -> np.ndarray:
        return self.readings[name] != _SHOWN

    def small_or_masked(self, name: str) -> np.ndarray:
        """Hidden and not zero: a figure computed from it would give it back."""
        return self.hidden(name) & (self.values[name] > 0)

    def derived(self, name: str, value: np.ndarray, hide: np.ndarray) -> None:
        reading = np.zeros(len(value), dtype=np.int8)
        reading[hide & ~np.isnan(value)] = _MASKED
        self.values[name] = value
        self.readings[name] = reading


def _numbers(series: pl.Series) -> np.ndarray:
    """A numeric column as float64, nulls as NaN (no polars query)."""
    return np.asarray(series.to_numpy(), dtype=np.float64).copy()


def _reading_texts(name: str, reading: np.ndarray) -> pl.Series:
    """The readings as text (null where shown); in polars, not through a list of Python strings (350 000 cells on
    XL's workshops by month)."""
    codes = pl.Series(name, reading, dtype=pl.Int8)
    return codes.replace_strict(list(range(len(_READING_TEXT))), _READING_TEXT.tolist(), return_dtype=pl.String)


def _row_k(table: pl.DataFrame, spec: Spec, k: int, k_sensitive: int, sensitive_all: bool) -> np.ndarray:
    if sensitive_all:
        return np.full(table.height, k_sensitive)
    if spec.sensitive and spec.sensitive[0] in table.columns:
        column, values = spec.sensitive
        return np.where(np.isin(table[column].to_numpy().astype(object), sorted(values)), k_sensitive, k)
    return np.full(table.height, k)


def _apply(spec: Spec, cells: _Cells) -> None:
    table = cells.table
    for name in spec.persons:
        if name in table.columns:
            cells.count(name, events=False)
    for name in spec.events:
        if name in table.columns:
            cells.count(name, events=True)
    for name in spec.public:
        if name in table.columns:
            cells.values[name] = cells.column(name)
            cells.readings[name] = np.zeros(table.height, dtype=np.int8)
    for name, rate in spec.rates.items():
        if name not in table.columns:
            continue
        num = cells.values[rate.numerator]
        den = sum(cells.values[d] for d in rate.denominators)
        with np.errstate(invalid="ignore", divide="ignore"):
            value = np.where(den > 0, np.minimum(num, den) / np.where(den > 0, den, 1), np.nan)
        hide = cells.small_or_masked(rate.numerator) | (den < cells.k)
        for d in rate.denominators:
            hide |= cells.small_or_masked(d)
        cells.derived(name, _round(value, 2), hide)
    for name, mean in spec.means.items():
        if name not in table.columns:
            continue
        n = cells.values[mean.count]
        total = cells.column(f"_sum_{name}") if f"_sum_{name}" in table.columns else cells.column(name) * cells.column(mean.count)
        if not cells.exact:
            keys = np.nan_to_num(_numbers(table[f"_ck_{mean.count}"])).astype(np.int64)
            total = total + max(abs(mean.low), abs(mean.high)) * magnitude_noise(keys)
        with np.errstate(invalid="ignore", divide="ignore"):
            value = np.clip(np.where(n > 0, total / np.where(n > 0, n, 1), np.nan), mean.low, mean.high)
        cells.derived(name, _round(value, 1), cells.hidden(mean.count) | (n < cells.k))
    for name, unit in spec.per_unit.items():
        if name in table.columns:
            per = cells.values[unit.per]
            with np.errstate(invalid="ignore", divide="ignore"):
                value = np.where(per > 0, cells.values[unit.count] / np.where(per > 0, per, 1), np.nan)
            cells.derived(name, _round(value, 1), cells.small_or_masked(unit.count))
    for name, count in spec.probabilities.items():
        if name in table.columns:
            n = cells.values[count]
            cells.derived(name, _round(np.clip(cells.column(name), 0.0, 1.0), 2), cells.hidden(count) | (n < cells.k))
    for name, count in spec.medians.items():
        if name in table.columns:
            n = cells.values[count]
            cells.derived(name, _round(cells.column(name), 0), cells.hidden(count) | (n < cells.k))
    if spec.whole_row and spec.whole_row in cells.readings:
        gone = cells.hidden(spec.whole_row)
        for name in cells.readings:
            if name != spec.whole_row:
                cells.readings[name] = np.where(gone, _MASKED, cells.readings[name]).astype(np.int8)


def _overview(cells: _Cells) -> None:
    """The overview: one row per key figure, a count or a rate, for the range and the one before."""
    table = cells.table
    is_rate = np.isin(table["figure"].to_numpy().astype(object), sorted(CATALOGUE["overview"].rates))
    denominators = {}
    for side in ("value", "previous"):
        parts = {}
        for part in ("num", "n"):
            name = f"_{side}_{part}"
            renamed = table.select(
                pl.col(name).alias("c"), pl.col(f"_ck{name}").alias("_ck_c"),
                pl.col(f"_pn{name}").alias("_pn_c"), pl.col(f"_pk{name}").alias("_pk_c"),
            )
            sub = _Cells(renamed, cells.k, cells.exact)
            sub.count("c", events=True)
            parts[part] = (sub.values["c"], sub.readings["c"], sub.small_or_masked("c"), sub.hidden("c"))
        num, num_reading, num_hidden, _ = parts["num"]
        den, _, _, den_any = parts["n"]
        with np.errstate(invalid="ignore", divide="ignore"):
            rate = np.where(den > 0, np.minimum(num, den) / np.where(den > 0, den, 1), np.nan)
        value = np.where(is_rate, _round(rate, 2), num)
        reading = np.where(is_rate, np.where(num_hidden | den_any | (den < cells.k), _MASKED, _SHOWN), num_reading)
        reading = np.where(is_rate & np.isnan(value), _SHOWN, reading).astype(np.int8)
        cells.values[side] = value
        cells.readings[side] = reading
        denominators[side] = den
    both = (cells.readings["value"] == _SHOWN) & (cells.readings["previous"] == _SHOWN)
    change = np.where(both, cells.values["value"] - cells.values["previous"], np.nan)
    cells.derived("change", np.where(is_rate, _round(change, 2), change), ~both)
    den = denominators["value"]
    n_shown = is_rate & (cells.readings["value"] == _SHOWN) & ~np.isnan(cells.values["value"])
    cells.values["n"] = np.where(n_shown, den, np.nan)
    cells.readings["n"] = np.zeros(table.height, dtype=np.int8)


def protect(metric: str, table: pl.DataFrame, *, k: int, k_sensitive: int, sensitive_all: bool = False,
            exact: bool | None = None, spec: Spec | None = None) -> Protected:
    """Perturb (unless ``exact``), threshold and round ``table``; see the module's rules 3 to 6.

    ``spec`` describes a table that is not a catalogue figure (the data-quality counts, ``dashboard.quality``).
    """
    exact = disclosure_mode() == "exact" if exact is None else exact
    spec = spec or (CATALOGUE[metric].spec if metric in CATALOGUE else fallback(table))
    row_k = _row_k(table, spec, k, k_sensitive, sensitive_all)
    cells = _Cells(table, row_k, exact)
    if metric == "overview":
        _overview(cells)
        public = ["figure", "value", "previous", "change", "n"]
    else:
        _apply(spec, cells)
        public = _public(table)
    columns, readings, met = {}, {}, set()
    for name in public:
        if name in cells.values:
            reading = cells.readings[name]
            met |= set(np.unique(reading).tolist())
            value = np.where(reading == _SHOWN, cells.values[name], np.nan)
            dtype = table.schema.get(name, pl.Int64 if name == "n" else pl.Float64)
            shown = pl.Series(name, value, dtype=pl.Float64, nan_to_null=True)
            columns[name] = shown if dtype == pl.Float64 or not dtype.is_numeric() else shown.cast(dtype)
            readings[name] = _reading_texts(name, reading)
        else:  # keys, codes, labels: shown as they are
            columns[name] = table[name]
            readings[name] = pl.repeat(None, table.height, dtype=pl.String, eager=True).alias(name)
    shown_table = pl.DataFrame(columns)
    cell_frame = pl.DataFrame(readings)
    notes = []
    if int(_SMALL) in met:
        notes.append("PRIMARY")
    if int(_MASKED) in met:
        notes.append("MASKED")
    if (row_k > k).any() and notes:
        notes.append("SENSITIVE")
    return Protected(table=shown_table, cells=cell_frame, k=k_sensitive if sensitive_all else k, too_small=False,
                     notes=tuple(notes), row_k=tuple(row_k.tolist()), mode="exact" if exact else "protected",
                     metric=metric)


# Raw (unprotected) metric tables are small aggregates: keep many, so that the
# screen and the published version of a page share one computation.
_RAW = PerSnapshot(size=128)


_MEMBERS = PerSnapshot(size=32)


def cohort_members(data: Data, cohort: Cohort, label: str) -> CohortMembers:
    """The cohort's members as the time-to-exit figure takes them, one object per (cohort, label) and snapshot, so
    that the figure's cache (keyed by its options) holds."""
    return _MEMBERS.get(data, ("members", cohort, label), lambda: CohortMembers(label, members(data, cohort)))


COHORT_FIGURES = frozenset({"cohort-outcomes", "cohort-needs"})
"""Figures computed for a cohort itself (time since anchor); every other figure follows the cohort's rows."""


def raw_figures(metric: str, data: Data, filters: Filters, **options: object) -> pl.DataFrame:
    """The figure's raw table (``CATALOGUE[metric].compute``), cached per snapshot in this process and, for a
    snapshot on disk, computed once for every process (``dashboard.shared_figures``). Never shown as is."""
    key = (metric, filters, tuple(sorted(options.items())))

    def compute() -> pl.DataFrame:
        rolled = rollups.answer(metric, data, filters, options)  # the whole network's periods, built once per version
        return rolled if rolled is not None else shared(data, key, lambda: CATALOGUE[metric].compute(data, filters, **options))

    return _RAW.get(data, key, compute)


def figures(metric: str, data: Data, filters: Filters, *, published: bool, **options: object) -> Protected:
    """The figure ``metric`` of ``dashboard.catalogue`` with every rule applied, on whole periods.

    Each list filter names one value or none (all): a union of values (two structures, two sexes) would let
    differences between unions be averaged (``SelectionError`` otherwise).
    """
    filters = filters.snapped()
    several = [field for field in LIST_FIELDS if len(getattr(filters, field)) > 1]
    if several:
        raise SelectionError(f"one value per filter: {', '.join(several)}")
    mode = disclosure_mode()
    cohort: Cohort | None = options.pop("cohort", None)  # type: ignore[assignment]
    if data.access is not None:  # a signed-in person's snapshot: its scope sets the level, never the caller
        # A cohort names its structure as a criterion (or none: every structure of the scope).
        chosen = ((cohort.structure,) if cohort.structure else ()) if cohort is not None else filters.structures
        published, mode = data.access.disclosure(chosen, published, mode)
    k, k_published = thresholds(published)
    # Same question, same answer: a page asks its figures again on every rerun (a click anywhere), and the
    # rules below cost more than reading the cached raw table. Every input of the answer is in the key.
    key = (metric, filters, published, cohort, tuple(sorted(options.items())), answer_settings(mode, k, k_published))
    try:
        hash(key)
    except TypeError:  # an option that is not hashable: answered each time
        return _answer(metric, data, filters, cohort, k, k_published, mode, **options)
    return _PROTECTED.get(data, key, lambda: _answer(metric, data, filters, cohort, k, k_published, mode, **options))


_PROTECTED = PerSnapshot(size=256)


def _answer(metric: str, data: Data, filters: Filters, cohort: Cohort | None, k: int, k_published: int, mode: str,
            **options: object) -> Protected:
    if cohort is not None:
        dates = Filters(start=filters.start, end=filters.end, by=filters.by)  # the cohort replaces the list filters
        return _cohort_figures(metric, data, cohort.snapped().with_(name=""), dates, k, k_published, mode, **options)
    sensitive_all = sensitive_selection(filters)
    k_rows = k_published if sensitive_all else k
    table = raw_figures(metric, data, filters, **options)
    if 0 < _selected(data, filters) < k_rows or close_to_another(data, filters, k_rows):
        return _hidden(metric, table, k_rows, mode)
    return protect(metric, table, k=k, k_sensitive=k_published, sensitive_all=sensitive_all, exact=mode == "exact")


def _hidden(metric: str, table: pl.DataFrame, k_rows: int, mode: str) -> Protected:
    """The figure hidden whole: its columns, no rows."""
    public = table.select(_public(table)).clear()
    if metric == "overview":
        public = public.with_columns(pl.lit(None, dtype=pl.Float64).alias("n")).clear()
    return Protected(table=public, cells=public.select(pl.all().cast(pl.String)), k=k_rows, too_small=True,
                     notes=("TOO_SMALL",), mode=mode, metric=metric)


def _cohort_figures(metric: str, data: Data, cohort: Cohort, dates: Filters, k: int, k_published: int, mode: str,
                    **options: object) -> Protected:
    """A figure about a cohort: the cohort's own figures (``cohort`` option), or any other figure computed on the
    cohort's rows from its anchor on. The cohort is hidden whole under k or near a neighbouring cohort
    (``dashboard.cohorts.gate``); a cohort defined by a sensitive criterion uses the published k throughout."""
    sensitive_all = cohort.sensitive
    k_rows = k_published if sensitive_all else k
    if metric in COHORT_FIGURES:
        table = raw_figures(metric, data, Filters(), cohort=cohort, **options)
    elif metric == "time-to-exit" and options.get("by") == "cohort":  # needs the members only, not all their rows
        table = raw_figures(metric, data, dates, cohorts=(cohort_members(data, cohort, str(options.pop("label", ""))),),
                            **options)
    else:
        table = raw_figures(metric, cohort_data(data, cohort), dates, **options)
    if cohort_gate(data, cohort, k_rows):
        return _hidden(metric, table, k_rows, mode)
    return protect(metric, table, k=k, k_sensitive=k_published, sensitive_all=sensitive_all, exact=mode == "exact")


__all__ = ["LIST_FIELDS", "MASKED", "SMALL", "Protected", "SelectionError", "ThresholdError", "answer_settings",
           "close_to_another", "disclosure_mode", "figures", "persons_selected", "protect", "raw_figures", "thresholds"]
