"""Rule 2 of disclosure control: a selection of too few persons, or too close to a neighbouring one, shows nothing.

Also what makes a whole selection sensitive (rule 4). Separate from ``dashboard.disclosure`` (which re-exports
these names) because the analyses and the cohorts gate apply the same rules to their own selections.
"""

import polars as pl

from dashboard.data import Data
from dashboard.filters import Filters
from dashboard.metrics.common import PerSnapshot, selection
from dashboard.periods import in_range
from models.reference import SENSITIVE_SOURCES, codes


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
    # Assessments and attendances are tens of millions of rows on a national network: read in place, not copied.
    for frame, condition in (
        (chosen.referrals.lazy(), in_range("referral_date", filters)),
        (chosen.support_periods.lazy(), overlap),
        (chosen.scan("assessments"), in_range("assessment_date", filters)),
        (chosen.scan("attendances"), in_range("session_date", filters)),
    ):
        pids = frame.filter(condition).select(pl.col("pid").unique()).collect()["pid"]
        found = pl.concat([found, pids.cast(pl.UInt32)]).unique()
        if found.len() >= enough:
            break
    return found.len()


def sensitive_selection(filters: Filters) -> bool:
    """Whether the filter makes every row sensitive: it picks a sensitive source, or it leaves out only sensitive
    sources (it then differs from the whole selection by a sensitive group alone)."""
    chosen = set(filters.sources)
    if not chosen:
        return False
    left_out = set(codes("SOURCE")) - chosen
    return bool(chosen & SENSITIVE_SOURCES) or (bool(left_out) and left_out <= SENSITIVE_SOURCES)


LIST_FIELDS = ("structures", "programs", "sources", "sexes", "age_bands")


class SelectionError(ValueError):
    """A selection the gate refuses to describe (a filter with several values)."""


# Person counts of a selection, per snapshot: a page asks several figures for the same filters.
_SELECTED = PerSnapshot(size=64)


def _selected(data: Data, filters: Filters) -> int:
    return _SELECTED.get(data, ("selected", filters), lambda: persons_selected(data, filters, enough=1 << 62))


def close_to_another(data: Data, filters: Filters, k: int) -> bool:
    """Whether the selection differs from a neighbouring one (the same filters with one of them lifted) by 1 to k - 1
    persons: published side by side, the two would differ by a group too small to show. Record keys make the
    noise of cells that hold the same records identical, so every cell that differs would reveal the group."""
    chosen = _selected(data, filters)
    for field in LIST_FIELDS:
        if getattr(filters, field):
            wider = _selected(data, filters.with_(**{field: ()}))
            if 0 < wider - chosen < k:
                return True
    return False
