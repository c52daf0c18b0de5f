"""Problems gathered chunk by chunk, shown and counted as if the table had been checked whole.

``problems_where`` shows at most ``MAX_PROBLEMS_PER_KIND`` problems of one
kind (table, file, column, code) and then one ``MORE_PROBLEMS`` saying how
many it left out. Checked chunk by chunk, each chunk says that much again:
``Problems`` keeps the first ones shown (chunks come in line order, so they
are the first lines) and adds up the rest, then words a single
``MORE_PROBLEMS`` at the end. Problems without a line (a missing column)
are said by every chunk and kept once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from etl.dataset import Problem
from etl.messages import problem
from etl.stage import MAX_PROBLEMS_PER_KIND

Order = tuple[int, ...]


@dataclass
class _Kind:
    order: Order
    first: Problem
    shown: list[Problem] = field(default_factory=list)
    total: int = 0


class Problems:
    """Problems of several chunks, grouped by kind; ``order`` places a kind in the final list."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._kinds: dict[tuple[object, ...], _Kind] = {}

    def add(self, problems: list[Problem], order: Order = (), *, cap: int = MAX_PROBLEMS_PER_KIND) -> None:
        last: _Kind | None = None
        for p in problems:
            if p.code == "MORE_PROBLEMS":
                if last is not None and p.value and p.value.isdigit():
                    last.total += int(p.value)
                continue
            key = (order, p.table, p.file, p.column, p.code)
            kind = self._kinds.setdefault(key, _Kind(order, p))
            last = kind
            if p.line is None and p in kind.shown:
                continue
            if len(kind.shown) < cap:
                kind.shown.append(p)
            kind.total = kind.total + 1 if cap == MAX_PROBLEMS_PER_KIND else len(kind.shown)

    def merge(self, other: Problems) -> None:
        for key, kind in other._kinds.items():
            mine = self._kinds.setdefault(key, _Kind(kind.order, kind.first))
            room = MAX_PROBLEMS_PER_KIND - len(mine.shown)
            mine.shown += kind.shown[: max(room, 0)]
            mine.total += kind.total

    def __bool__(self) -> bool:
        return bool(self._kinds)

    def listed(self) -> list[Problem]:
        """Every kind in ``order`` (then first seen): its problems shown, then how many more."""
        out: list[Problem] = []
        for kind in sorted(self._kinds.values(), key=lambda k: k.order):
            out += kind.shown
            more = kind.total - len(kind.shown)
            if more > 0 and kind.shown and kind.shown[0].line is not None:
                f = kind.first
                out.append(problem("MORE_PROBLEMS", self.lang, table=f.table, file=f.file, column=f.column, value=more))
        return out
