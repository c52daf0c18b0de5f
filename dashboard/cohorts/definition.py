"""What a cohort is: a set of persons chosen by an anchor event and criteria.

A researcher's question ("women under 26 referred by SPIP in 2023, followed
over time") is a ``Cohort``: the anchor (a referral, an entry into a program
or a first workshop attendance) dated in a range, criteria on that event,
criteria on the person (at the anchor) and needs at entry. Figures about a
cohort follow its persons from their anchor onwards, whatever the calendar.

Every criterion names one value or none, like the page filters: unions of
values could be differenced and averaged (see ``dashboard.disclosure``).
The anchor range snaps to whole months, so no cohort differs from another
by a few days' worth of persons.

A cohort travels in URLs (``to_query``/``from_query``, with a prefix so
that a comparison link carries up to four) and is stored as JSON
(``to_json``/``from_json``) with the definitions version it was made under.
"""

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, fields, replace
from datetime import date
from typing import Any, Literal, get_args

from dashboard.filters import AGE_BANDS
from dashboard.periods import snap_range
from models.reference import SENSITIVE_DOMAINS, SENSITIVE_SOURCES, codes

Anchor = Literal["referral", "entry", "workshop"]
ANCHORS: tuple[str, ...] = get_args(Anchor)
KINDS = ("PRATIQUE", "STRATEGIQUE")
PILLARS = ("LOGEMENT", "EMPLOI", "SANTE", "LIENS")
SESSION_STEPS = (1, 3, 5, 10, 20)
"""Allowed least numbers of attendances: two cohorts one attendance apart would differ by the few persons with exactly
that many; the gate also checks each cohort against the step below (``dashboard.cohorts.gate``)."""
MAX_NAME = 80

# Criterion -> (code list or fixed choices, anchors it applies to; () = every anchor).
CRITERIA: dict[str, tuple[str | tuple[str, ...], tuple[str, ...]]] = {
    "source": ("SOURCE", ("referral",)),
    "decision": ("DECISION", ("referral",)),
    "program": ("DISPOSITIF", ("entry",)),
    "category": ("CATEGORIE_ATELIER", ("workshop",)),
    "sex": ("SEXE", ()),
    "age_band": (AGE_BANDS, ()),
    "structure": ("", ()),
    "resources": ("RESSOURCES", ()),
    "justice": ("JUSTICE", ()),
    "need_domain": ("DOMAINE", ()),
    "need_kind": (KINDS, ()),
    "need_pillar": (PILLARS, ()),
}


class CohortError(ValueError):
    """A cohort definition that cannot be used; ``field`` names the criterion at fault."""

    def __init__(self, field: str, value: object) -> None:
        super().__init__(f"{field}: {value!r}")
        self.field = field
        self.value = value


@dataclass(frozen=True)
class Cohort:
    """One cohort's definition. ``None`` means "any"; dates are inclusive."""

    name: str = ""
    anchor: Anchor = "referral"
    start: date | None = None
    end: date | None = None
    source: str | None = None
    decision: str | None = None
    program: str | None = None
    category: str | None = None
    min_sessions: int = 1
    sex: str | None = None
    age_band: str | None = None
    structure: str | None = None
    resources: str | None = None
    justice: str | None = None
    priority_area: bool | None = None
    need_domain: str | None = None
    need_kind: str | None = None
    need_pillar: str | None = None

    def with_(self, **changes: object) -> "Cohort":
        return replace(self, **changes)  # type: ignore[arg-type]

    def snapped(self) -> "Cohort":
        """The same cohort with its anchor range on whole months."""
        start, end = snap_range(self.start, self.end, "month")
        return self if (start, end) == (self.start, self.end) else replace(self, start=start, end=end)

    def criteria(self) -> dict[str, object]:
        """The criteria that restrict the cohort (name -> value), the anchor range excluded."""
        return {
            f.name: getattr(self, f.name) for f in fields(self)
            if f.name not in ("name", "anchor", "start", "end") and getattr(self, f.name) != _DEFAULTS[f.name]
        }

    @property
    def sensitive(self) -> bool:
        """Whether the cohort is defined by a sensitive source, justice situation or domain: published k applies."""
        return (
            self.source in SENSITIVE_SOURCES
            or self.need_domain in SENSITIVE_DOMAINS
            or self.justice not in (None, "AUCUNE", "NR")
        )

    def validated(self, structures: Sequence[str] = ()) -> "Cohort":
        """Check every criterion against its code list (``CohortError`` otherwise) and snap the dates."""
        if self.anchor not in ANCHORS:
            raise CohortError("anchor", self.anchor)
        if len(self.name) > MAX_NAME or any(not ch.isprintable() for ch in self.name):
            raise CohortError("name", self.name[:MAX_NAME])
        for name, (choices, anchors) in CRITERIA.items():
            value = getattr(self, name)
            if value is None:
                continue
            if anchors and self.anchor not in anchors:
                raise CohortError(name, value)
            allowed = structures if name == "structure" else (codes(choices) if isinstance(choices, str) else choices)
            if (name != "structure" or structures) and value not in allowed:
                raise CohortError(name, value)
        if self.min_sessions not in SESSION_STEPS or (self.min_sessions > 1 and self.anchor != "workshop"):
            raise CohortError("min_sessions", self.min_sessions)
        if self.start and self.end and self.start > self.end:
            raise CohortError("start", self.start)
        return self.snapped()

    # URL form: short parameter names, one prefix per cohort ("c1_", "c2_", ...).
    def to_query(self, prefix: str = "") -> dict[str, str]:
        query: dict[str, str] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value == _DEFAULTS[f.name] and f.name != "anchor":
                continue
            query[prefix + _PARAMS[f.name]] = _text(value)
        return query

    @classmethod
    def from_query(cls, query: Mapping[str, str | Sequence[str]], prefix: str = "") -> "Cohort | None":
        """The cohort a link carries, or None when it carries none under ``prefix`` (no anchor, or an unknown one).

        Values that cannot be read are dropped (an old or hand-edited link still opens); ``validated`` then
        refuses codes that do not exist.
        """
        anchor = query.get(prefix + _PARAMS["anchor"])
        if anchor is None or _parse("anchor", anchor if isinstance(anchor, str) else (anchor[0] if anchor else "")) \
                is None:
            return None
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = query.get(prefix + _PARAMS[f.name])
            text = raw if isinstance(raw, str) else (raw[0] if raw else None)
            if text is None:
                continue
            parsed = _parse(f.name, text)
            if parsed is not None:
                values[f.name] = parsed
        return cls(**values)  # type: ignore[arg-type]

    def to_json(self, definitions_version: int) -> str:
        body = {k: _text(v) if isinstance(v, date) else v for k, v in asdict(self).items()}
        return json.dumps({"cohort": body, "definitions_version": definitions_version}, sort_keys=True,
                          ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> tuple["Cohort", int]:
        """(cohort, definitions version it was saved under)."""
        document = json.loads(text)
        body = {k: _parse(k, str(v)) if k in ("start", "end") and v else v for k, v in document["cohort"].items()}
        known = {f.name for f in fields(cls)}
        values: dict[str, Any] = {k: v for k, v in body.items() if k in known}
        return cls(**values), int(document["definitions_version"])


_DEFAULTS = {f.name: f.default for f in fields(Cohort)}
_PARAMS = {
    "name": "name", "anchor": "anchor", "start": "from", "end": "to", "source": "source", "decision": "decision",
    "program": "program", "category": "category", "min_sessions": "sessions", "sex": "sex", "age_band": "age",
    "structure": "structure", "resources": "resources", "justice": "justice", "priority_area": "qpv",
    "need_domain": "need", "need_kind": "need_kind", "need_pillar": "need_pillar",
}


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _parse(name: str, text: str) -> object:
    text = text.strip()
    if name in ("start", "end"):
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None
    if name == "min_sessions":
        return int(text) if text.isdigit() and len(text) <= 3 else None
    if name == "priority_area":
        return {"1": True, "0": False}.get(text)
    if name == "anchor":
        return text if text in ANCHORS else None
    if name == "name":
        return text[:MAX_NAME]
    return text[:64] or None
