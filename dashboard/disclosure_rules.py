"""What each metric's columns are, for disclosure control.

``dashboard.disclosure`` perturbs and hides; it needs to know, for every
table a metric returns, what each column is: a key (period, code), a count
of persons, a count of events (referrals, exits, attendances: each shown
only when the persons behind it reach k), a public count that is not about
persons (sessions held), a rate or share (from which counts), a mean (from
which sum and which count, and the range of one contribution), a median
(over which count). A column's kind decides how it is perturbed, rounded,
hidden and formatted. One ``Spec`` per registry key; a table with no spec
is read cautiously (``fallback``).

Metrics carry the cell keys beside each count (``_ck_<count>``; for event
counts also ``_pn_<count>`` and ``_pk_<count>``: the distinct persons behind
it and their cell key; for means ``_sum_<mean>``), see
``dashboard.metrics.common.event_count``.
"""

from dataclasses import dataclass, field

import polars as pl


@dataclass(frozen=True)
class Rate:
    """``numerator / sum(denominators)`` from perturbed counts, in whole percent."""

    numerator: str
    denominators: tuple[str, ...]


@dataclass(frozen=True)
class Mean:
    """``(_sum_<name> + magnitude noise) / count`` to one decimal; one contribution lies in ``low..high``."""

    count: str
    low: float
    high: float


@dataclass(frozen=True)
class PerUnit:
    """A perturbed count divided by a public count (presences per session), to one decimal."""

    count: str
    per: str


@dataclass(frozen=True)
class Spec:
    """How disclosure control reads one metric's table.

    - ``keys``: the columns that identify a row;
    - ``persons``: counts of distinct persons (public or helper columns);
    - ``events``: counts of events, each shown only when the persons behind it reach k;
    - ``public``: counts that are not about persons (sessions held): shown as they are;
    - ``rates``, ``means``, ``per_unit``: figures computed from perturbed counts;
    - ``medians``: figure -> the count it is taken over (shown when that count reaches k, rounded);
    - ``probabilities``: an estimated probability (survival, cumulative incidence) -> the count at risk behind it:
      shown in whole percent when that count is shown and reaches k;
    - ``whole_row``: a count whose hiding hides the whole row (a cohort under k persons);
    - ``sensitive``: a column and the values that make a row sensitive (published k).
    """

    keys: tuple[str, ...]
    persons: tuple[str, ...] = ()
    events: tuple[str, ...] = ()
    public: tuple[str, ...] = ()
    rates: dict[str, Rate] = field(default_factory=dict)
    means: dict[str, Mean] = field(default_factory=dict)
    per_unit: dict[str, PerUnit] = field(default_factory=dict)
    medians: dict[str, str] = field(default_factory=dict)
    probabilities: dict[str, str] = field(default_factory=dict)
    whole_row: str | None = None
    sensitive: tuple[str, frozenset[str]] | None = None

    @property
    def counts(self) -> tuple[str, ...]:
        return (*self.persons, *self.events)


_INTEGERS = (pl.Int8, pl.Int16, pl.Int32, pl.Int64, pl.UInt8, pl.UInt16, pl.UInt32, pl.UInt64)


def fallback(table: pl.DataFrame) -> Spec:
    """A cautious reading of a table nobody described: every integer is a count of persons without a cell key
    (so it cannot be perturbed consistently: ``dashboard.disclosure`` hides every number of such a table)."""
    counts = tuple(name for name, dtype in table.schema.items() if dtype in _INTEGERS and not name.startswith("_"))
    numbers = tuple(name for name, dtype in table.schema.items() if dtype.is_numeric() and name not in counts)
    keys = tuple(name for name in table.columns if name not in counts and name not in numbers)
    return Spec(keys=keys, persons=counts)


