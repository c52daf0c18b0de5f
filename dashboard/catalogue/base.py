"""What a figure is: its name, how it is computed, its typed columns, its words and its disclosure rules.

Each figure is declared once (``dashboard.catalogue.<subject>``); the
command line, the pages, tables, downloads, docs and disclosure control all
read that declaration. A column's kind says how it is counted, perturbed,
hidden, rounded and formatted:

- ``period`` (a period label), ``code`` (a code of ``code_list``, shown as its
  label), ``text`` (free text or an id), ``index`` (a small integer that
  names a row, e.g. months since a cohort began), ``figure`` (the overview's
  row name): keys, shown as they are;
- ``persons``: a count of distinct persons (cell key ``_ck_<name>``);
- ``events``: a count of events (referrals, exits, attendances), shown only
  when the persons behind it reach k (``_ck_``, ``_pn_``, ``_pk_`` helpers);
- ``sessions``: a count that is not about persons (sessions held);
- ``rate``: ``of`` = (numerator, *denominators), whole percent;
- ``mean``: ``of`` = (count,), ``bounds`` = range of one contribution, one decimal;
- ``median``: ``of`` = (count,), shown over n >= k, whole number;
- ``probability``: ``of`` = (count at risk,), an estimate (survival, cumulative incidence) shown in whole percent
  when its count at risk is shown and reaches k;
- ``per_unit``: ``of`` = (count, per), one decimal;
- ``value``, ``change``, ``n``: the overview's cells (a count or a rate, by row).

Columns whose name starts with ``_`` are helpers: read by disclosure
control, never shown.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import polars as pl

from dashboard.disclosure_rules import Mean, PerUnit, Rate, Spec

Kind = Literal["period", "code", "text", "index", "figure", "persons", "events", "sessions", "rate", "mean", "median",
               "probability", "per_unit", "value", "change", "n"]
KEY_KINDS = frozenset({"period", "code", "text", "index", "figure"})
COUNT_KINDS = frozenset({"persons", "events", "sessions"})


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    code_list: str | None = None
    of: tuple[str, ...] = ()
    bounds: tuple[float, float] = (0.0, 0.0)

    @property
    def public(self) -> bool:
        return not self.name.startswith("_")


@dataclass(frozen=True)
class Figure:
    """One figure: ``compute(data, filters, **options)`` returns its raw table (public columns in order, then
    helpers); ``title`` and ``definition`` are {lang: text}."""

    name: str
    compute: Callable[..., pl.DataFrame]
    columns: tuple[Column, ...]
    title: dict[str, str]
    definition: dict[str, str]
    sensitive: tuple[str, frozenset[str]] | None = None
    whole_row: str | None = None
    rates: frozenset[str] = field(default_factory=frozenset)
    """For the overview: the rows (figures) that are rates; the others are counts."""
    by_period: str | None = None
    """The key column naming each row's period when every row depends only on the records of that whole period
    (and none on the range around it): the whole network's figure is then read from a table built once per
    snapshot (``dashboard.rollups``)."""
    groupings: tuple[str, ...] = ()
    """What the command line's ``--by`` names for this figure instead of a granularity (its ``by`` option, the
    first by default); its dates then snap to whole months."""

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)

    def kind(self, name: str) -> Kind | None:
        found = self.column(name)
        return found.kind if found else None

    @property
    def public_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.public]

    @property
    def spec(self) -> Spec:
        """How disclosure control reads this figure's table."""
        by_kind: dict[str, list[Column]] = {}
        for column in self.columns:
            by_kind.setdefault(column.kind, []).append(column)

        def names(kind: str) -> tuple[str, ...]:
            return tuple(c.name for c in by_kind.get(kind, []))

        return Spec(
            keys=tuple(c.name for c in self.columns if c.kind in KEY_KINDS),
            persons=names("persons"),
            events=names("events"),
            public=names("sessions"),
            rates={c.name: Rate(c.of[0], c.of[1:]) for c in by_kind.get("rate", [])},
            means={c.name: Mean(c.of[0], *c.bounds) for c in by_kind.get("mean", [])},
            per_unit={c.name: PerUnit(*c.of) for c in by_kind.get("per_unit", [])},
            medians={c.name: c.of[0] for c in by_kind.get("median", [])},
            probabilities={c.name: c.of[0] for c in by_kind.get("probability", [])},
            whole_row=self.whole_row,
            sensitive=self.sensitive,
        )


def period(name: str = "period") -> Column:
    return Column(name, "period")


def code(name: str, code_list: str | None) -> Column:
    return Column(name, "code", code_list=code_list)


def persons(name: str) -> Column:
    return Column(name, "persons")


def events(name: str) -> Column:
    return Column(name, "events")


def rate(name: str, numerator: str, *denominators: str) -> Column:
    return Column(name, "rate", of=(numerator, *denominators))


def mean(name: str, count: str, low: float, high: float) -> Column:
    return Column(name, "mean", of=(count,), bounds=(low, high))


def median(name: str, count: str) -> Column:
    return Column(name, "median", of=(count,))
