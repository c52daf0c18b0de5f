"""Exposure: regular workshop attendance in the first months after entry.

A person is *exposed* (a regular attendee) with at least ``min_sessions``
sessions marked PRESENT from their entry day to the day before entry +
``months`` months. Defaults: 4 sessions in 3 months, about one session in
three of a weekly workshop: enough to be a habit, early enough that the
outcomes at 6 and 12 months come after it.

Only persons *at risk of exposure for the whole window* are analysed (a
landmark): still supported at entry + ``months`` months (their first support
period had not ended before) and entered at least ``months`` months before
the last day of data. Without that, people who leave early would count as
non-attendees only because they had no time to attend (immortal time).
"""

from dataclasses import dataclass
from datetime import date

import polars as pl

from dashboard.data import Data

PRESENT = "PRESENT"
DEFAULT_MIN_SESSIONS = 4
DEFAULT_MONTHS = 3


@dataclass(frozen=True)
class Exposure:
    min_sessions: int = DEFAULT_MIN_SESSIONS
    months: int = DEFAULT_MONTHS

    def __post_init__(self) -> None:
        if self.min_sessions < 1 or self.months < 1:
            raise ValueError("min_sessions and months must be at least 1")


def window_end(months: int) -> pl.Expr:
    """The first day after the exposure window."""
    return pl.col("entry_date").dt.offset_by(f"{months}mo")


def exposed(data: Data, people: pl.DataFrame, exposure: Exposure, last_day: date | None) -> pl.DataFrame:
    """``people`` (from ``population.entries``) kept when at risk for the whole window, with ``sessions`` (PRESENT
    sessions in the window) and ``treated`` (bool); order kept."""
    at_risk = people.with_columns(window_end(exposure.months).alias("_window_end")).filter(
        pl.col("exit_date").is_null() | (pl.col("exit_date") >= pl.col("_window_end")),
        pl.col("_window_end") <= (last_day or date.min),
    )
    present = (
        data.attendances.lazy()
        .filter(pl.col("presence") == PRESENT)
        .select("pid", "session_date")
        .join(at_risk.lazy().select("pid", "entry_date", "_window_end"), on="pid", how="inner")
        .filter(pl.col("session_date") >= pl.col("entry_date"), pl.col("session_date") < pl.col("_window_end"))
        .group_by("pid")
        .agg(pl.len().cast(pl.Int64).alias("sessions"))
        .collect()
    )
    return (
        at_risk.join(present, on="pid", how="left", maintain_order="left")
        .with_columns(pl.col("sessions").fill_null(0))
        .with_columns((pl.col("sessions") >= exposure.min_sessions).alias("treated"))
        .drop("_window_end")
    )
