"""Statistical disclosure control: the one gate every figure passes through.

Pages, downloads, the command line and the board report all call
``figures`` (or ``protect`` on a table they computed), never a metric
directly. The rules, in the order they run (``DISCLOSURE_RULES`` in
``dashboard.definitions`` says the same for users):

1. small selection: a filter that leaves between 1 and k - 1 persons shows
   no figure at all (``too_small``); one that leaves nobody gives empty or
   zero tables (pages say "no data"), which reveal no one;
2. primary: a count c with 0 < c < k is suppressed; rows of a sensitive
   source or domain use the published threshold, and so does every row
   when the filter itself selects a sensitive source;
3. differencing: with a person-level or structure filter, the same table
   without those filters is the baseline; a count whose difference with
   the baseline is between 1 and k - 1 is suppressed, otherwise the
   difference of two published tables would reveal the small group left
   out. Limits: it guards each filtered table against the unfiltered one,
   not two filtered tables against each other (F versus F aged 26-44), and
   a row absent from the filtered table (a zero) cannot be hidden;
4. secondary: where counts add up to a total that is shown, a group of
   cells (a period, a category across periods, the parts of a row) with
   exactly one suppressed cell gets a second one suppressed, the smallest
   other positive cell, until no group has a single one;
5. a rate, share, mean or median is suppressed when a count it is computed
   from is, or when its n (denominator) is below k.
Helper columns (names starting with ``_``) are dropped from the output.
"""

from dataclasses import dataclass, replace

import polars as pl

from dashboard.data import Data
from dashboard.disclosure_rules import Spec, spec_for
from dashboard.filters import Filters
from dashboard.metrics import METRICS
from dashboard.metrics.common import PerSnapshot, selection
from dashboard.periods import in_range
from models.reference import SENSITIVE_SOURCES
from models.settings import get_setting

_ROW = "__row"
_K = "__k"
_MESSAGES = {
    "fr": "Le réglage {name} doit être un nombre entier au moins égal à 1 (valeur lue : {value!r}).",
    "en": "The setting {name} must be a whole number of at least 1 (value read: {value!r}).",
}


class ThresholdError(ValueError):
    """A threshold setting that is not a usable number."""


@dataclass(frozen=True)
class Protected:
    """A metric's table after disclosure control.

    ``table`` has the metric's public columns with suppressed cells null;
    ``suppressed`` has the same columns, True where a cell was suppressed
    (so that a page can write "< k" there and leave true blanks as blanks).
    """

    table: pl.DataFrame
    suppressed: pl.DataFrame
    k: int
    too_small: bool
    notes: tuple[str, ...]
    # Same columns, True where a count was hidden for being small itself (it reads "< k");
    # other suppressed cells (rates, secondary, differencing) may be larger and read "hidden".
    primary: pl.DataFrame | None = None
    # The threshold each row was protected with (sensitive rows use the published one).
    row_k: tuple[int, ...] = ()


def _threshold(name: str) -> int:
    value = get_setting(name)
    try:
        k = int(value)
    except ValueError:
        k = 0
    if k < 1:
        lang = get_setting("PARCOURS_LANG") if get_setting("PARCOURS_LANG") in _MESSAGES else "fr"
        raise ThresholdError(_MESSAGES[lang].format(name=name, value=value))
    return k


def thresholds(published: bool) -> tuple[int, int]:
    """(k, k_published): k is ``PARCOURS_MIN_CELL`` on screen, ``PARCOURS_MIN_CELL_PUBLISHED`` when published.

    The published threshold is never below the screen one.
    """
    screen = _threshold("PARCOURS_MIN_CELL")
    published_k = max(_threshold("PARCOURS_MIN_CELL_PUBLISHED"), screen)
    return (published_k if published else screen), published_k


def _public(table: pl.DataFrame) -> list[str]:
    return [name for name in table.columns if not name.startswith("_")]


def _flag(name: str) -> str:
    return f"__s_{name}"


def _small(value: pl.Expr) -> pl.Expr:
    return (value > 0) & (value < pl.col(_K))


def _row_thresholds(frame: pl.DataFrame, spec: Spec, k: int, k_sensitive: int, sensitive_all: bool) -> pl.DataFrame:
    if sensitive_all:
        return frame.with_columns(pl.lit(k_sensitive).alias(_K))
    if spec.sensitive:
        column, values = spec.sensitive
        return frame.with_columns(pl.when(pl.col(column).is_in(sorted(values))).then(k_sensitive).otherwise(k).alias(_K))
    return frame.with_columns(pl.lit(k).alias(_K))


def _primary(frame: pl.DataFrame, spec: Spec, k: int) -> tuple[pl.DataFrame, set[str]]:
    notes: set[str] = set()
    frame = frame.with_columns(_small(pl.col(c)).fill_null(False).alias(_flag(c)) for c in spec.counts)
    if spec.counts:
        any_small = frame.select(pl.any_horizontal(_flag(c) for c in spec.counts).any()).item()
        sensitive_only = frame.select(
            pl.any_horizontal(((pl.col(c) >= k) & pl.col(_flag(c))).fill_null(False) for c in spec.counts).any()
        ).item()
        notes |= {"PRIMARY"} if any_small else set()
        notes |= {"SENSITIVE"} if sensitive_only else set()
    return frame, notes


def _differencing(frame: pl.DataFrame, spec: Spec, baseline: pl.DataFrame) -> tuple[pl.DataFrame, set[str]]:
    counts = [c for c in spec.counts if c in baseline.columns]
    if not counts:
        return frame, set()
    keys = list(spec.keys)
    base = baseline.select(*keys, *(pl.col(c).alias(f"__base_{c}") for c in counts))
    if keys:
        joined = frame.join(base.unique(keys, keep="first"), on=keys, how="left", nulls_equal=True)
    else:
        joined = frame.join(base, how="cross") if base.height == 1 else frame
    exprs = []
    for c in counts:
        gap = pl.col(f"__base_{c}").cast(pl.Int64) - pl.col(c).cast(pl.Int64)
        exprs.append((pl.col(_flag(c)) | _small(gap).fill_null(False)).alias(_flag(c)))
    before = joined.select(pl.sum_horizontal(_flag(c) for c in counts).sum()).item()
    joined = joined.with_columns(exprs).sort(_ROW)
    after = joined.select(pl.sum_horizontal(_flag(c) for c in counts).sum()).item()
    joined = joined.drop(f"__base_{c}" for c in counts if f"__base_{c}" in joined.columns)
    return joined, ({"DIFFERENCING"} if after > before else set())


def _pick_in_groups(frame: pl.DataFrame, column: str, keys: tuple[str, ...]) -> tuple[pl.DataFrame, bool]:
    """In each group with exactly one suppressed ``column`` cell, suppress the smallest other positive one."""
    flag = pl.col(_flag(column))
    over = list(keys) if keys else [pl.lit(0)]
    value = pl.col(column).cast(pl.Int64)
    candidate = ~flag & value.is_not_null()
    # Order: positive cells first, then by value, then by row (deterministic).
    order = pl.when(candidate).then((value == 0).cast(pl.Int64) * (1 << 61) + value * (1 << 22) + pl.col(_ROW))
    pick = candidate & (flag.cast(pl.Int64).sum().over(over) == 1) & (order == order.min().over(over))
    picked = frame.select(pick.fill_null(False).any()).item()
    if picked:
        frame = frame.with_columns((flag | pick.fill_null(False)).alias(_flag(column)))
    return frame, picked


def _pick_in_rows(frame: pl.DataFrame, total: str, parts: tuple[str, ...]) -> tuple[pl.DataFrame, bool]:
    """Within each row, ``total`` = sum of ``parts``: a row with one suppressed cell among them gets a second."""
    cells = [total, *parts]
    single = pl.sum_horizontal(pl.col(_flag(c)).cast(pl.Int64) for c in cells) == 1
    order = {
        c: pl.when(~pl.col(_flag(c)) & pl.col(c).is_not_null())
        .then((pl.col(c) == 0).cast(pl.Int64) * (1 << 61) + pl.col(c).cast(pl.Int64) * 16 + i)
        for i, c in enumerate(cells)
    }
    smallest = pl.min_horizontal(order.values())
    picks = {c: (single & (order[c] == smallest)).fill_null(False) for c in cells}
    picked = frame.select(pl.any_horizontal(picks.values()).any()).item()
    if picked:
        frame = frame.with_columns((pl.col(_flag(c)) | picks[c]).alias(_flag(c)) for c in cells)
    return frame, picked


def _secondary(frame: pl.DataFrame, spec: Spec) -> tuple[pl.DataFrame, set[str]]:
    fired = False
    changed = True
    while changed:
        changed = False
        for column in spec.additive:
            for keys in spec.directions:
                frame, picked = _pick_in_groups(frame, column, keys)
                changed |= picked
        for total, parts in spec.row_sums:
            frame, picked = _pick_in_rows(frame, total, parts)
            changed |= picked
        fired |= changed
    return frame, ({"SECONDARY"} if fired else set())


def _derived(frame: pl.DataFrame, spec: Spec) -> pl.DataFrame:
    for name, ratio in spec.derived.items():
        hit = pl.lit(False)
        for column in (*ratio.numerators, *ratio.denominators, *ratio.follows):
            hit = hit | pl.col(_flag(column))
        if ratio.denominators:
            hit = hit | _small(pl.sum_horizontal(ratio.denominators)).fill_null(False)
        frame = frame.with_columns((hit & pl.col(name).is_not_null()).alias(_flag(name)))
    return frame


def protect(metric: str, table: pl.DataFrame, *, k: int, k_sensitive: int, baseline: pl.DataFrame | None = None,
            sensitive_all: bool = False) -> Protected:
    """Apply primary, differencing (when ``baseline`` is given), secondary and derived suppression to ``table``.

    ``sensitive_all`` applies ``k_sensitive`` to every row (a filter on a
    sensitive source makes the whole table sensitive).
    """
    spec = spec_for(metric, table)
    public = _public(table)
    frame = _row_thresholds(table.with_row_index(_ROW), spec, k, k_sensitive, sensitive_all)
    frame, notes = _primary(frame, spec, k)
    if baseline is not None and baseline.height:
        frame, fired = _differencing(frame, spec, baseline)
        notes |= fired
    frame, fired = _secondary(frame, spec)
    notes |= fired
    frame = _derived(frame, spec)
    flagged = [c for c in public if _flag(c) in frame.columns]
    suppressed = frame.select(
        pl.col(_flag(c)).alias(c) if c in flagged else pl.lit(False).alias(c) for c in public
    )
    shown = frame.select(
        pl.when(pl.col(_flag(c))).then(None).otherwise(pl.col(c)).alias(c) if c in flagged else pl.col(c) for c in public
    )
    primary = frame.select(
        (pl.col(_flag(c)) & _small(pl.col(c)).fill_null(False)).alias(c) if c in flagged and c in spec.counts
        else pl.repeat(False, pl.len()).alias(c)  # a column per row even when no column is a count
        for c in public
    )
    order = ("PRIMARY", "SENSITIVE", "DIFFERENCING", "SECONDARY")
    return Protected(table=shown, suppressed=suppressed, k=k_sensitive if sensitive_all else k, too_small=False,
                     notes=tuple(n for n in order if n in notes), primary=primary, row_k=tuple(frame[_K].to_list()))


_UNRESTRICTED = {"structures": (), "programs": (), "sources": (), "sexes": (), "age_bands": ()}


def persons_selected(data: Data, filters: Filters, enough: int) -> int:
    """Persons the filter leaves with at least one record dated in its range (counting stops at ``enough``).

    A record is a referral, an assessment or a workshop attendance dated in
    the range, or a support period overlapping it.
    """
    chosen = selection(data, filters)
    overlap = pl.lit(True)
    if filters.start:
        overlap = overlap & (pl.col("exit_date").is_null() | (pl.col("exit_date") >= filters.start))
    if filters.end:
        overlap = overlap & (pl.col("entry_date") <= filters.end)
    found = pl.Series("pid", [], dtype=pl.UInt32)
    for frame, condition in (
        (chosen.referrals, in_range("referral_date", filters)),
        (chosen.support_periods, overlap),
        (chosen.assessments, in_range("assessment_date", filters)),
        (chosen.attendances, in_range("session_date", filters)),
    ):
        pids = frame.lazy().filter(condition).select(pl.col("pid").unique()).collect()["pid"]
        found = pl.concat([found, pids.cast(pl.UInt32)]).unique()
        if found.len() >= enough:
            break
    return found.len()


# Raw (unprotected) metric tables are small aggregates: keep many. The
# differencing baseline only depends on the dates and granularity, so while a
# director clicks through sex, age or source filters it is computed once.
_RAW = PerSnapshot(size=128)


def raw_figures(metric: str, data: Data, filters: Filters, **options: object) -> pl.DataFrame:
    """``METRICS[metric](data, filters, **options)``, cached per snapshot. Never shown as is."""
    key = (metric, filters, tuple(sorted(options.items())))
    return _RAW.get(data, key, lambda: METRICS[metric](data, filters, **options))


def figures(metric: str, data: Data, filters: Filters, *, published: bool, **options: object) -> Protected:
    """``METRICS[metric](data, filters, **options)`` with every rule applied.

    Differencing compares with the same metric computed without the
    person-level and structure filters (same dates, same granularity).
    """
    k, k_published = thresholds(published)
    sensitive_all = bool(set(filters.sources) & SENSITIVE_SOURCES)
    k_rows = k_published if sensitive_all else k
    table = raw_figures(metric, data, filters, **options)
    if 0 < persons_selected(data, filters, k_rows) < k_rows:
        public = table.select(_public(table)).clear()
        return Protected(table=public, suppressed=public.select(pl.all().cast(pl.Boolean)), k=k_rows, too_small=True,
                         notes=("TOO_SMALL",))
    baseline = None
    if filters.person_level or filters.structures:
        baseline = raw_figures(metric, data, replace(filters, **_UNRESTRICTED), **options)
    return protect(metric, table, k=k, k_sensitive=k_published, baseline=baseline, sensitive_all=sensitive_all)


__all__ = ["Protected", "ThresholdError", "figures", "persons_selected", "protect", "raw_figures", "thresholds"]
