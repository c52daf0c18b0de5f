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

from models.reference import SENSITIVE_DOMAINS, SENSITIVE_SOURCES


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
    whole_row: str | None = None
    sensitive: tuple[str, frozenset[str]] | None = None

    @property
    def counts(self) -> tuple[str, ...]:
        return (*self.persons, *self.events)


_BY_SOURCE = ("source", SENSITIVE_SOURCES)
_BY_DOMAIN = ("domain", SENSITIVE_DOMAINS)
LEVELS = (1.0, 5.0)
"""Assessment levels run from 1 (in crisis) to 5 (autonomous)."""


def _needs(group: str, sensitive: tuple[str, frozenset[str]] | None = None) -> Spec:
    return Spec(
        keys=("period", group),
        persons=("persons_assessed", "persons_in_need"),
        rates={"share_in_need": Rate("persons_in_need", ("persons_assessed",))},
        means={"mean_level": Mean("persons_assessed", *LEVELS)},
        sensitive=sensitive,
    )


def _workshops(keys: tuple[str, ...]) -> Spec:
    return Spec(
        keys=keys,
        persons=("persons",),
        events=("presences", "_expected"),
        public=("sessions",),
        rates={"attendance_rate": Rate("presences", ("_expected",))},
        per_unit={"mean_persons_per_session": PerUnit("presences", "sessions")},
    )


def _exits_by(column: str) -> Spec:
    return Spec(keys=("period", column), events=("exits",))


SPECS: dict[str, Spec] = {
    # Rows of different kinds (a count or a rate per figure, for the range and the one before): the rules are
    # those of ``persons``/``events`` and ``rates`` applied row by row in ``dashboard.disclosure``.
    "overview": Spec(keys=("figure",)),
    "referrals-by-source": Spec(
        keys=("period", "source"),
        events=("referrals", "accepted", "refused", "_decided", "_decisions"),
        # accepted + refused as shown, so the rate agrees with the counts beside it and hides with either.
        rates={"acceptance_rate": Rate("accepted", ("accepted", "refused"))},
        medians={"median_days_to_decision": "_decided"},
        sensitive=_BY_SOURCE,
    ),
    "referrals-by-territory": Spec(
        keys=("territory",),
        persons=("persons", "_priority", "_priority_known"),
        events=("referrals",),
        rates={"priority_area_share": Rate("_priority", ("_priority_known",))},
    ),
    "needs-over-time": _needs("domain", _BY_DOMAIN),
    "needs-by-kind": _needs("kind"),
    "needs-by-pillar": _needs("pillar"),
    "distance-travelled": Spec(
        keys=("domain",),
        persons=("persons", "improved", "stable", "worsened"),
        rates={"share_improved": Rate("improved", ("persons",))},
        means={"mean_change": Mean("persons", LEVELS[0] - LEVELS[1], LEVELS[1] - LEVELS[0])},
        sensitive=_BY_DOMAIN,
    ),
    "workshop-cohorts": Spec(
        keys=("cohort", "offset"),
        persons=("cohort_size", "persons_active"),
        rates={"retention": Rate("persons_active", ("cohort_size",))},
        whole_row="cohort_size",
    ),
    "workshop-attendance": _workshops(("period", "structure_id", "atelier_id")),
    "workshop-by-category": _workshops(("period", "category")),
    "workshop-by-facilitator": _workshops(("facilitator",)),
    "workshop-by-co-construction": _workshops(("co_constructed",)),
    "exits": Spec(
        keys=("period", "program"),
        events=("exits", "housing_positive", "dynamic_exits", "_housing_denominator", "_dynamic_denominator"),
        rates={
            "housing_positive_rate": Rate("housing_positive", ("_housing_denominator",)),
            "dynamic_exit_rate": Rate("dynamic_exits", ("_dynamic_denominator",)),
        },
        medians={"median_stay_days": "exits"},
    ),
    "exits-by-housing": _exits_by("destination"),
    "exits-by-employment": _exits_by("situation"),
}


_INTEGERS = (pl.Int8, pl.Int16, pl.Int32, pl.Int64, pl.UInt8, pl.UInt16, pl.UInt32, pl.UInt64)


def fallback(table: pl.DataFrame) -> Spec:
    """A cautious reading of a table nobody described: every integer is a count of persons without a cell key
    (so it cannot be perturbed consistently: ``dashboard.disclosure`` hides every number of such a table)."""
    counts = tuple(name for name, dtype in table.schema.items() if dtype in _INTEGERS and not name.startswith("_"))
    numbers = tuple(name for name, dtype in table.schema.items() if dtype.is_numeric() and name not in counts)
    keys = tuple(name for name in table.columns if name not in counts and name not in numbers)
    return Spec(keys=keys, persons=counts)


def spec_for(metric: str, table: pl.DataFrame) -> Spec:
    """The spec of ``metric`` (``fallback`` for a table nobody described)."""
    spec = SPECS.get(metric)
    return spec if spec is not None else fallback(table)
