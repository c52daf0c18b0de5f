"""What each metric's columns are, for disclosure control.

``dashboard.disclosure`` applies the small-count rules; it needs to know,
for every table a metric returns, which columns identify a row, which are
counts of persons (or of their referrals, exits, presences: anything that
counts people), which figures (rates, shares, means, medians) are computed
from which counts, which counts add up to a total someone can read, and
which rows are sensitive. This module holds that knowledge, one ``Spec``
per registry key; a table with no spec is read cautiously (``fallback``).

Counts of sessions are not counts of persons and are never suppressed;
a mean per session is still suppressed with its numerator (presences).
"""

from dataclasses import dataclass, field

import polars as pl

from models.reference import SENSITIVE_DOMAINS, SENSITIVE_SOURCES


@dataclass(frozen=True)
class Ratio:
    """A figure computed from counts: suppressed when any of them is, or when its n is below k.

    ``denominators`` add up to the n behind the figure; ``follows`` names
    other figures (e.g. ``value`` and ``previous`` for a ``change``) whose
    suppression it shares.
    """

    numerators: tuple[str, ...] = ()
    denominators: tuple[str, ...] = ()
    follows: tuple[str, ...] = ()


@dataclass(frozen=True)
class Spec:
    """How disclosure control reads one metric's table.

    - ``keys``: the columns that identify a row (used to match the
      baseline in the differencing rule);
    - ``counts``: counts of persons, public or helper (``_``) columns;
    - ``derived``: figure -> the counts it is computed from, in the order
      they are checked;
    - ``additive``: public counts whose rows add up to a total that is shown
      (a ``TOTAL`` row, another table, a coarser period);
    - ``directions``: the groups of rows over which ``additive`` counts add
      up (``()`` for the whole table);
    - ``row_sums``: within a row, a total column and the parts it adds up;
    - ``sensitive``: a column and the values that make a row sensitive.
    """

    keys: tuple[str, ...]
    counts: tuple[str, ...]
    derived: dict[str, Ratio] = field(default_factory=dict)
    additive: tuple[str, ...] = ()
    directions: tuple[tuple[str, ...], ...] = ()
    row_sums: tuple[tuple[str, tuple[str, ...]], ...] = ()
    sensitive: tuple[str, frozenset[str]] | None = None


_BY_SOURCE = ("source", SENSITIVE_SOURCES)
_BY_DOMAIN = ("domain", SENSITIVE_DOMAINS)


def _needs(group: str, sensitive: tuple[str, frozenset[str]] | None = None) -> Spec:
    return Spec(
        keys=("period", group),
        counts=("persons_assessed", "persons_in_need"),
        derived={
            "share_in_need": Ratio(("persons_in_need",), ("persons_assessed",)),
            "mean_level": Ratio((), ("persons_assessed",)),
        },
        sensitive=sensitive,
    )


def _workshops(keys: tuple[str, ...], directions: tuple[tuple[str, ...], ...]) -> Spec:
    return Spec(
        keys=keys,
        counts=("persons", "presences", "_expected"),
        derived={
            "attendance_rate": Ratio(("presences",), ("_expected",)),
            "mean_persons_per_session": Ratio(("presences",)),
        },
        additive=("presences",),
        directions=directions,
    )


def _exits_by(column: str) -> Spec:
    return Spec(keys=("period", column), counts=("exits",), additive=("exits",), directions=(("period",), (column,)))


SPECS: dict[str, Spec] = {
    "overview": Spec(
        keys=("figure",),
        counts=("_value_n", "_previous_n", "_value_num", "_previous_num"),
        derived={
            "value": Ratio(("_value_num",), ("_value_n",)),
            "previous": Ratio(("_previous_num",), ("_previous_n",)),
            "change": Ratio(follows=("value", "previous")),
        },
    ),
    "referrals-by-source": Spec(
        keys=("period", "source"),
        counts=("referrals", "accepted", "refused", "_decided", "_decisions"),
        derived={
            # accepted + refused, not the helper total: the rate and ``accepted`` would give back a hidden ``refused``.
            "acceptance_rate": Ratio(("accepted",), ("accepted", "refused")),
            "median_days_to_decision": Ratio((), ("_decided",)),
        },
        additive=("referrals", "accepted", "refused"),
        directions=(("period",), ("source",)),
        sensitive=_BY_SOURCE,
    ),
    "referrals-by-territory": Spec(
        keys=("territory",),
        counts=("referrals", "persons", "_priority", "_priority_known"),
        derived={"priority_area_share": Ratio(("_priority",), ("_priority_known",))},
        additive=("referrals",),
        directions=((),),
    ),
    "needs-over-time": _needs("domain", _BY_DOMAIN),
    "needs-by-kind": _needs("kind"),
    "needs-by-pillar": _needs("pillar"),
    "distance-travelled": Spec(
        keys=("domain",),
        counts=("persons", "improved", "stable", "worsened"),
        derived={
            "share_improved": Ratio(("improved",), ("persons",)),
            "mean_change": Ratio((), ("persons",)),
        },
        row_sums=(("persons", ("improved", "stable", "worsened")),),
        sensitive=_BY_DOMAIN,
    ),
    "workshop-cohorts": Spec(
        keys=("cohort", "offset"),
        counts=("cohort_size", "persons_active"),
        derived={"retention": Ratio(("persons_active",), ("cohort_size",))},
    ),
    "workshop-attendance": _workshops(("period", "structure_id", "atelier_id"), (("period",), ("structure_id", "atelier_id"))),
    "workshop-by-category": _workshops(("period", "category"), (("period",), ("category",))),
    "workshop-by-facilitator": _workshops(("facilitator",), ((),)),
    "workshop-by-co-construction": _workshops(("co_constructed",), ((),)),
    "exits": Spec(
        keys=("period", "program"),
        counts=("exits", "housing_positive", "dynamic_exits", "_housing_denominator", "_dynamic_denominator"),
        derived={
            "housing_positive_rate": Ratio(("housing_positive",), ("_housing_denominator",)),
            "dynamic_exit_rate": Ratio(("dynamic_exits",), ("_dynamic_denominator",)),
            "median_stay_days": Ratio((), ("exits",)),
        },
        additive=("exits", "housing_positive", "dynamic_exits"),
        directions=(("period",), ("program",)),
    ),
    "exits-by-housing": _exits_by("destination"),
    "exits-by-employment": _exits_by("situation"),
}


_INTEGERS = (pl.Int8, pl.Int16, pl.Int32, pl.Int64, pl.UInt8, pl.UInt16, pl.UInt32, pl.UInt64)


def fallback(table: pl.DataFrame) -> Spec:
    """A cautious reading of a table nobody described: every integer is a count of persons,
    every other number is suppressed as soon as any count of its row is."""
    counts = tuple(name for name, dtype in table.schema.items() if dtype in _INTEGERS)
    numbers = tuple(name for name, dtype in table.schema.items() if dtype.is_numeric() and name not in counts)
    keys = tuple(name for name in table.columns if name not in counts and name not in numbers)
    return Spec(keys=keys, counts=counts, derived={name: Ratio(numerators=counts) for name in numbers})


def spec_for(metric: str, table: pl.DataFrame) -> Spec:
    """The spec of ``metric``, keeping only the columns ``table`` has (helpers may be missing)."""
    spec = SPECS.get(metric)
    if spec is None:
        return fallback(table)
    have = set(table.columns)

    def keep(names: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(name for name in names if name in have)

    counts = keep(spec.counts)

    def ratio(r: Ratio) -> Ratio:
        if keep(r.numerators) != r.numerators or keep(r.denominators) != r.denominators:
            return Ratio(counts, keep(r.denominators), keep(r.follows))  # a helper is missing: follow every count
        return Ratio(r.numerators, r.denominators, keep(r.follows))

    return Spec(
        keys=keep(spec.keys),
        counts=counts,
        derived={name: ratio(r) for name, r in spec.derived.items() if name in have},
        additive=keep(spec.additive),
        directions=tuple(d for d in spec.directions if set(d) <= have),
        row_sums=tuple((total, keep(parts)) for total, parts in spec.row_sums if total in have),
        sensitive=spec.sensitive if spec.sensitive and spec.sensitive[0] in have else None,
    )
