"""The filters every page and the command line share, and their URL form.

A ``Filters`` value is what a director's link carries: ``to_query`` writes it
into URL query parameters and ``from_query`` reads it back, ignoring values it
does not understand so that an old or hand-edited link still opens.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Literal, get_args

Granularity = Literal["month", "quarter", "year"]
GRANULARITIES: tuple[str, ...] = get_args(Granularity)
AGE_BANDS: tuple[str, ...] = ("MOINS_26", "26_44", "45_59", "60_PLUS", "INCONNU")

# Filter field -> URL parameter name (short, stable: links are shared).
_LIST_PARAMS = {
    "structures": "structure",
    "programs": "program",
    "sources": "source",
    "sexes": "sex",
    "age_bands": "age",
}


@dataclass(frozen=True)
class Filters:
    """A selection of rows. Empty tuples mean "all"; dates are inclusive."""

    start: date | None = None
    end: date | None = None
    by: Granularity = "month"
    structures: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    sexes: tuple[str, ...] = ()
    age_bands: tuple[str, ...] = ()

    def with_(self, **changes: object) -> "Filters":
        return replace(self, **changes)  # type: ignore[arg-type]

    def snapped(self) -> "Filters":
        """The same selection with its dates on whole periods of ``by`` (``dashboard.periods.snap_range``).

        Idempotent; returns ``self`` when the dates are already whole (or open).
        """
        from dashboard.periods import snap_range  # dashboard.periods imports this module

        start, end = snap_range(self.start, self.end, self.by)
        return self if (start, end) == (self.start, self.end) else replace(self, start=start, end=end)

    @property
    def person_level(self) -> bool:
        """Whether the filter restricts persons (not just rows by date or structure)."""
        return bool(self.sexes or self.age_bands or self.sources or self.programs)

    def to_query(self) -> dict[str, str | list[str]]:
        """URL query parameters; defaults are left out to keep links short."""
        query: dict[str, str | list[str]] = {}
        if self.start:
            query["from"] = self.start.isoformat()
        if self.end:
            query["to"] = self.end.isoformat()
        if self.by != "month":
            query["by"] = self.by
        for field, param in _LIST_PARAMS.items():
            values = getattr(self, field)
            if values:
                query[param] = list(values)
        return query

    @classmethod
    def from_query(cls, query: Mapping[str, str | Sequence[str]]) -> "Filters":
        def first(name: str) -> str | None:
            value = query.get(name)
            if isinstance(value, str):
                return value
            if value:
                return value[0]
            return None

        def as_date(name: str) -> date | None:
            text = first(name)
            try:
                return date.fromisoformat(text) if text else None
            except ValueError:
                return None

        def as_list(name: str) -> tuple[str, ...]:
            value = query.get(name)
            if value is None:
                return ()
            items = [value] if isinstance(value, str) else list(value)
            # Also accept comma-separated values (hand-written links).
            return tuple(sorted({part for item in items for part in item.split(",") if part}))

        by = first("by")
        start, end = as_date("from"), as_date("to")
        if start and end and start > end:
            start, end = end, start
        return cls(
            start=start,
            end=end,
            by=by if by in GRANULARITIES else "month",  # type: ignore[arg-type]
            **{field: as_list(param) for field, param in _LIST_PARAMS.items()},
        )


FILTER_FIELDS = tuple(f.name for f in fields(Filters))
